// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The OOM heuristic per era (include/oomlens/badness.h) against vectors
 * worked out by hand from mm/oom_kill.c oom_badness() and fs/proc/base.c
 * proc_oom_score() of each era (see oomlens-kernel(7), man/oomlens-kernel.7,
 * "BADNESS BY ERA" and "/proc/PID/oom_score").  Every division below is C
 * integer division on long: it truncates toward zero.
 *
 * Most vectors use the example machine of oomlens-kernel(7), EXAMPLES:
 * MemTotal 24684084 kB, no swap, 4 KiB pages, so totalpages = 24684084 / 4
 * = 6171021 and totalpages / 1000 = 6171 (the "adj unit" of eras C..F).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "oomlens/badness.h"
#include "oomlens/model.h"
#include "oomlens/proc.h"

#define TP	6171021UL	/* the example machine's totalpages */

struct vec {
	const char *what;
	struct ol_badness_in in;
	int killable;
	long usage, usage_scaled, root_bonus, adj_eff, adj_unit, adj_pages, raw, points;
	int clamped_low, clamped_high;
	unsigned long oom_score;
};

static void check(enum ol_era era, const struct vec *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct ol_badness b;
		unsigned long score;

		memset(&b, 0x5a, sizeof(b));
		if (ol_badness(era, &v[i].in, &b) != 0)
			fail_msg("%s: ol_badness failed", v[i].what);
		score = ol_oom_score(era, b.points, b.killable, v[i].in.totalpages);
#define EQ(field) do { if ((long)b.field != (long)v[i].field) \
		fail_msg("%s: " #field " = %ld, want %ld", v[i].what, (long)b.field, (long)v[i].field); } while (0)
		EQ(killable);
		EQ(usage);
		EQ(points);
		if (b.era != era)
			fail_msg("%s: era %d", v[i].what, (int)b.era);
		if (score != v[i].oom_score)
			fail_msg("%s: oom_score = %lu, want %lu", v[i].what, score, v[i].oom_score);
		if (!v[i].killable)
			continue;	/* the kernel returns before computing anything else */
		EQ(usage_scaled);
		EQ(root_bonus);
		EQ(adj_eff);
		EQ(adj_unit);
		EQ(adj_pages);
		EQ(raw);
		EQ(clamped_low);
		EQ(clamped_high);
#undef EQ
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Era B, 2.6.36 .. 3.4: a 0..1000 scale.
 *   points = (rss + pt + swap) * 1000 / totalpages; -30 if CAP_SYS_ADMIN;
 *   + adj; <= 0 -> 1; > 1000 -> 1000; adj -1000 -> 0.
 *   oom_score = points.
 */
static void era_b(void **state)
{
	static const struct vec v[] = {
		/* typical: usage = 250000 + 0 + 500 = 250500;
		 * 250500 * 1000 / 1000000 = 250500000 / 1000000 = 250 (250.5 truncated);
		 * + adj 0 = 250; oom_score = 250 */
		{ "B typical", { 250000, 0, 500, 0, 1000000, 0 },
		  1, 250500, 250, 0, 0, 0, 0, 250, 250, 0, 0, 250 },
		/* negative adj: 250 + (-200) = 50 */
		{ "B adj -200", { 250000, 0, 500, -200, 1000000, 0 },
		  1, 250500, 250, 0, -200, 0, -200, 50, 50, 0, 0, 50 },
		/* <= 0 clamp: 250 + (-500) = -250 <= 0 -> 1 */
		{ "B clamp low", { 250000, 0, 500, -500, 1000000, 0 },
		  1, 250500, 250, 0, -500, 0, -500, -250, 1, 1, 0, 1 },
		/* exactly 0 is clamped too: 250 + (-250) = 0 -> 1 */
		{ "B zero", { 250000, 0, 500, -250, 1000000, 0 },
		  1, 250500, 250, 0, -250, 0, -250, 0, 1, 1, 0, 1 },
		/* adj -1000: never killed, badness 0, oom_score 0 */
		{ "B adj -1000", { 250000, 0, 500, -1000, 1000000, 0 },
		  0, 250500, 0, 0, -1000, 0, 0, 0, 0, 0, 0, 0 },
		/* adj +1000: 250 + 1000 = 1250 > 1000 -> 1000 (the B-era cap) */
		{ "B adj +1000", { 250000, 0, 500, 1000, 1000000, 0 },
		  1, 250500, 250, 0, 1000, 0, 1000, 1250, 1000, 0, 1, 1000 },
		/* all of memory: 1000000 * 1000 / 1000000 = 1000; + 1 = 1001 -> 1000 */
		{ "B cap", { 999000, 500, 500, 1, 1000000, 0 },
		  1, 1000000, 1000, 0, 1, 0, 1, 1001, 1000, 0, 1, 1000 },
		/* CAP_SYS_ADMIN: 250 - 30 = 220 */
		{ "B root", { 250000, 0, 500, 0, 1000000, 1 },
		  1, 250500, 250, 30, 0, 0, 0, 220, 220, 0, 0, 220 },
		/* CAP_SYS_ADMIN, small task: 10000 * 1000 / 1000000 = 10; 10 - 30 = -20 -> 1 */
		{ "B root small", { 9000, 500, 500, 0, 1000000, 1 },
		  1, 10000, 10, 30, 0, 0, 0, -20, 1, 1, 0, 1 },
		/* CAP_SYS_ADMIN and adj 100: 250 - 30 + 100 = 320 */
		{ "B root adj 100", { 250000, 0, 500, 100, 1000000, 1 },
		  1, 250500, 250, 30, 100, 0, 100, 320, 320, 0, 0, 320 },
		/* totalpages < 1000 still scales in B: 100 * 1000 / 500 = 200; + 100 = 300 */
		{ "B small totalpages", { 90, 5, 5, 100, 500, 0 },
		  1, 100, 200, 0, 100, 0, 100, 300, 300, 0, 0, 300 },
		/* a memcg limit of 0: the kernel divides by 1 instead:
		 * 3 * 1000 / 1 = 3000 -> 1000 */
		{ "B totalpages 0", { 3, 0, 0, 0, 0, 0 },
		  1, 3, 3000, 0, 0, 0, 0, 3000, 1000, 0, 1, 0 },
		/* the example machine, tiny task: 1 * 1000 / 6171021 = 0; + 0 = 0 -> 1 */
		{ "B tiny", { 1, 0, 0, 0, TP, 0 },
		  1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1 },
	};

	check(OL_ERA_B, v, N(v));
}

/*
 * Era C, 3.5 .. 3.13: pages.
 *   adj -= 30 if CAP_SYS_ADMIN;
 *   points = rss + pt + swap + adj * (totalpages / 1000); <= 0 -> 1.
 *   oom_score = points * 1000 / totalpages (unsigned).
 * On the example machine totalpages / 1000 = 6171021 / 1000 = 6171.
 */
static void era_c(void **state)
{
	static const struct vec v[] = {
		/* typical: usage = 250000 + 1000 + 600 = 251600; adj 0 -> 251600;
		 * oom_score = 251600 * 1000 / 6171021 = 251600000 / 6171021 = 40 (40.77) */
		{ "C typical", { 250000, 1000, 600, 0, TP, 0 },
		  1, 251600, 0, 0, 0, 6171, 0, 251600, 251600, 0, 0, 40 },
		/* negative adj: -10 * 6171 = -61710; 251600 - 61710 = 189890;
		 * oom_score = 189890000 / 6171021 = 30 (30.77) */
		{ "C adj -10", { 250000, 1000, 600, -10, TP, 0 },
		  1, 251600, 0, 0, -10, 6171, -61710, 189890, 189890, 0, 0, 30 },
		/* adj -1000: 0, never; oom_score 0 */
		{ "C adj -1000", { 250000, 1000, 600, -1000, TP, 0 },
		  0, 251600, 0, 0, -1000, 0, 0, 0, 0, 0, 0, 0 },
		/* adj +1000: 1000 * 6171 = 6171000; 251600 + 6171000 = 6422600 (no cap in C);
		 * oom_score = 6422600000 / 6171021 = 1040 (1040.77) */
		{ "C adj +1000", { 250000, 1000, 600, 1000, TP, 0 },
		  1, 251600, 0, 0, 1000, 6171, 6171000, 6422600, 6422600, 0, 0, 1040 },
		/* <= 0 clamp: usage 1000, adj -1: 1000 - 6171 = -5171 -> 1;
		 * oom_score = 1 * 1000 / 6171021 = 0 */
		{ "C clamp low", { 900, 50, 50, -1, TP, 0 },
		  1, 1000, 0, 0, -1, 6171, -6171, -5171, 1, 1, 0, 0 },
		/* totalpages < 1000: 800 / 1000 = 0, so adj 500 adds 500 * 0 = 0;
		 * points = 100; oom_score = 100 * 1000 / 800 = 125 */
		{ "C small totalpages", { 90, 5, 5, 500, 800, 0 },
		  1, 100, 0, 0, 500, 0, 0, 100, 100, 0, 0, 125 },
		/* ... and a negative adj has no effect either: 100 + (-999 * 0) = 100 */
		{ "C small totalpages adj -999", { 90, 5, 5, -999, 800, 0 },
		  1, 100, 0, 0, -999, 0, 0, 100, 100, 0, 0, 125 },
		/* CAP_SYS_ADMIN: adj 0 - 30 = -30 before multiplying:
		 * -30 * 6171 = -185130; 251600 - 185130 = 66470;
		 * oom_score = 66470000 / 6171021 = 10 (10.77) */
		{ "C root", { 250000, 1000, 600, 0, TP, 1 },
		  1, 251600, 0, 30, -30, 6171, -185130, 66470, 66470, 0, 0, 10 },
		/* CAP_SYS_ADMIN and adj 10: 10 - 30 = -20; -20 * 6171 = -123420;
		 * 251600 - 123420 = 128180; oom_score = 128180000 / 6171021 = 20 (20.77) */
		{ "C root adj 10", { 250000, 1000, 600, 10, TP, 1 },
		  1, 251600, 0, 30, -20, 6171, -123420, 128180, 128180, 0, 0, 20 },
		/* CAP_SYS_ADMIN, small task: 1000 + (-30 * 6171) = 1000 - 185130 = -184130 -> 1 */
		{ "C root small", { 900, 50, 50, 0, TP, 1 },
		  1, 1000, 0, 30, -30, 6171, -185130, -184130, 1, 1, 0, 0 },
	};

	check(OL_ERA_C, v, N(v));
}

/*
 * Era D, 3.14 .. 4.16: as C, but the root bonus is
 *   points -= points * 3 / 100 (the task's own usage, before adj).
 */
static void era_d(void **state)
{
	static const struct vec v[] = {
		/* typical: as C, 251600; oom_score 40 */
		{ "D typical", { 250000, 1000, 600, 0, TP, 0 },
		  1, 251600, 0, 0, 0, 6171, 0, 251600, 251600, 0, 0, 40 },
		/* negative adj: 251600 - 61710 = 189890; oom_score 30 */
		{ "D adj -10", { 250000, 1000, 600, -10, TP, 0 },
		  1, 251600, 0, 0, -10, 6171, -61710, 189890, 189890, 0, 0, 30 },
		/* adj -1000 */
		{ "D adj -1000", { 250000, 1000, 600, -1000, TP, 0 },
		  0, 251600, 0, 0, -1000, 0, 0, 0, 0, 0, 0, 0 },
		/* adj +1000: 251600 + 6171000 = 6422600; oom_score 1040 */
		{ "D adj +1000", { 250000, 1000, 600, 1000, TP, 0 },
		  1, 251600, 0, 0, 1000, 6171, 6171000, 6422600, 6422600, 0, 0, 1040 },
		/* <= 0 clamp: 1000 - 6171 = -5171 -> 1 */
		{ "D clamp low", { 900, 50, 50, -1, TP, 0 },
		  1, 1000, 0, 0, -1, 6171, -6171, -5171, 1, 1, 0, 0 },
		/* totalpages < 1000: adj * 0 = 0; 100 * 1000 / 800 = 125 */
		{ "D small totalpages", { 90, 5, 5, 500, 800, 0 },
		  1, 100, 0, 0, 500, 0, 0, 100, 100, 0, 0, 125 },
		/* CAP_SYS_ADMIN: 251600 * 3 / 100 = 754800 / 100 = 7548;
		 * 251600 - 7548 = 244052; adj 0; oom_score = 244052000 / 6171021 = 39 (39.55) */
		{ "D root", { 250000, 1000, 600, 0, TP, 1 },
		  1, 251600, 0, 7548, 0, 6171, 0, 244052, 244052, 0, 0, 39 },
		/* CAP_SYS_ADMIN and adj 100 (the bonus comes before adj):
		 * 244052 + 100 * 6171 = 244052 + 617100 = 861152;
		 * oom_score = 861152000 / 6171021 = 139 (139.55) */
		{ "D root adj 100", { 250000, 1000, 600, 100, TP, 1 },
		  1, 251600, 0, 7548, 100, 6171, 617100, 861152, 861152, 0, 0, 139 },
		/* CAP_SYS_ADMIN, tiny task: 33 * 3 / 100 = 99 / 100 = 0, no bonus at all */
		{ "D root tiny", { 30, 2, 1, 0, TP, 1 },
		  1, 33, 0, 0, 0, 6171, 0, 33, 33, 0, 0, 0 },
	};

	check(OL_ERA_D, v, N(v));
}

/*
 * Era E, 4.17 .. 5.8: no root bonus at all.
 *   points = rss + swap + pt + adj * (totalpages / 1000); <= 0 -> 1.
 */
static void era_e(void **state)
{
	static const struct vec v[] = {
		/* typical: 251600; oom_score 40 */
		{ "E typical", { 250000, 1000, 600, 0, TP, 0 },
		  1, 251600, 0, 0, 0, 6171, 0, 251600, 251600, 0, 0, 40 },
		/* CAP_SYS_ADMIN changes nothing: still 251600 */
		{ "E root", { 250000, 1000, 600, 0, TP, 1 },
		  1, 251600, 0, 0, 0, 6171, 0, 251600, 251600, 0, 0, 40 },
		/* negative adj: 189890; oom_score 30 */
		{ "E adj -10", { 250000, 1000, 600, -10, TP, 1 },
		  1, 251600, 0, 0, -10, 6171, -61710, 189890, 189890, 0, 0, 30 },
		/* adj -1000 */
		{ "E adj -1000", { 250000, 1000, 600, -1000, TP, 0 },
		  0, 251600, 0, 0, -1000, 0, 0, 0, 0, 0, 0, 0 },
		/* adj +1000: 6422600; oom_score 1040 */
		{ "E adj +1000", { 250000, 1000, 600, 1000, TP, 0 },
		  1, 251600, 0, 0, 1000, 6171, 6171000, 6422600, 6422600, 0, 0, 1040 },
		/* <= 0 clamp: -5171 -> 1 */
		{ "E clamp low", { 900, 50, 50, -1, TP, 0 },
		  1, 1000, 0, 0, -1, 6171, -6171, -5171, 1, 1, 0, 0 },
		/* totalpages < 1000: adj has no effect; oom_score 125 */
		{ "E small totalpages", { 90, 5, 5, -500, 800, 0 },
		  1, 100, 0, 0, -500, 0, 0, 100, 100, 0, 0, 125 },
		/* all of RAM: 6171021 * 1000 / 6171021 = 1000 */
		{ "E all of RAM", { 6171000, 0, 21, 0, TP, 0 },
		  1, 6171021, 0, 0, 0, 6171, 0, 6171021, 6171021, 0, 0, 1000 },
	};

	check(OL_ERA_E, v, N(v));
}

/*
 * Era F, 5.9 on: returns long, LONG_MIN when unkillable, may be negative.
 *   points = rss + swap + pt + adj * (totalpages / 1000)   (no clamp)
 *   oom_score = (1000 + points * 1000 / totalpages) * 2 / 3, 0 for LONG_MIN.
 */
static void era_f(void **state)
{
	static const struct vec v[] = {
		/* typical: 251600; 251600000 / 6171021 = 40; (1000 + 40) * 2 / 3 = 2080 / 3 = 693 */
		{ "F typical", { 250000, 1000, 600, 0, TP, 0 },
		  1, 251600, 0, 0, 0, 6171, 0, 251600, 251600, 0, 0, 693 },
		/* CAP_SYS_ADMIN changes nothing */
		{ "F root", { 250000, 1000, 600, 0, TP, 1 },
		  1, 251600, 0, 0, 0, 6171, 0, 251600, 251600, 0, 0, 693 },
		/* oomlens-kernel(7)'s example: adj 0, tiny rss: 1 * 1000 / 6171021 = 0;
		 * (1000 + 0) * 2 / 3 = 666 */
		{ "F tiny", { 1, 0, 0, 0, TP, 0 },
		  1, 1, 0, 0, 0, 6171, 0, 1, 1, 0, 0, 666 },
		/* negative, not clamped: 1000 - 6171 = -5171;
		 * -5171000 / 6171021 = 0 (-0.84 truncated toward zero); 1000 * 2 / 3 = 666 */
		{ "F negative", { 900, 50, 50, -1, TP, 0 },
		  1, 1000, 0, 0, -1, 6171, -6171, -5171, -5171, 0, 0, 666 },
		/* very negative: 0 + (-999 * 6171) = -6164829;
		 * -6164829000 / 6171021 = -998 (-998.997 truncated toward zero, not -999);
		 * (1000 - 998) * 2 / 3 = 4 / 3 = 1 */
		{ "F adj -999", { 0, 0, 0, -999, TP, 0 },
		  1, 0, 0, 0, -999, 6171, -6164829, -6164829, -6164829, 0, 0, 1 },
		/* adj -1000: LONG_MIN, oom_score 0 */
		{ "F adj -1000", { 250000, 1000, 600, -1000, TP, 0 },
		  0, 251600, 0, 0, -1000, 0, 0, LONG_MIN, LONG_MIN, 0, 0, 0 },
		/* adj +1000: 251600 + 6171000 = 6422600; 6422600000 / 6171021 = 1040;
		 * (1000 + 1040) * 2 / 3 = 4080 / 3 = 1360 */
		{ "F adj +1000", { 250000, 1000, 600, 1000, TP, 0 },
		  1, 251600, 0, 0, 1000, 6171, 6171000, 6422600, 6422600, 0, 0, 1360 },
		/* tiny task with adj +1000: 1 + 6171000 = 6171001; 6171001000 / 6171021 = 999;
		 * (1000 + 999) * 2 / 3 = 3998 / 3 = 1332, i.e. 666 more than adj 0 */
		{ "F tiny adj +1000", { 1, 0, 0, 1000, TP, 0 },
		  1, 1, 0, 0, 1000, 6171, 6171000, 6171001, 6171001, 0, 0, 1332 },
		/* all of RAM, adj 0: 6171021 * 1000 / 6171021 = 1000; 2000 * 2 / 3 = 1333 */
		{ "F all of RAM", { 6171000, 0, 21, 0, TP, 0 },
		  1, 6171021, 0, 0, 0, 6171, 0, 6171021, 6171021, 0, 0, 1333 },
		/* all of RAM and adj +1000: 6171021 + 6171000 = 12342021;
		 * 12342021000 / 6171021 = 1999; 2999 * 2 / 3 = 5998 / 3 = 1999 */
		{ "F all of RAM adj +1000", { 6171000, 0, 21, 1000, TP, 0 },
		  1, 6171021, 0, 0, 1000, 6171, 6171000, 12342021, 12342021, 0, 0, 1999 },
		/* totalpages < 1000: 800 / 1000 = 0, adj -500 has no effect: 100;
		 * 100 * 1000 / 800 = 125; (1000 + 125) * 2 / 3 = 2250 / 3 = 750 */
		{ "F small totalpages", { 90, 5, 5, -500, 800, 0 },
		  1, 100, 0, 0, -500, 0, 0, 100, 100, 0, 0, 750 },
		/* zero usage, adj 0: 0, not clamped to 1 (as B..E would); 1000 * 2 / 3 = 666 */
		{ "F zero", { 0, 0, 0, 0, TP, 0 },
		  1, 0, 0, 0, 0, 6171, 0, 0, 0, 0, 0, 666 },
	};

	check(OL_ERA_F, v, N(v));
}

static void bad_era(void **state)
{
	struct ol_badness_in in = { 100, 0, 0, 0, TP, 0 };
	struct ol_badness b;

	/* era A is history (cpu time, children, nice): not computable */
	assert_int_equal(ol_badness(OL_ERA_A, &in, &b), -EINVAL);
	assert_int_equal(ol_badness(OL_ERA_UNKNOWN, &in, &b), -EINVAL);
	assert_int_equal(ol_badness((enum ol_era)99, &in, &b), -EINVAL);
	assert_int_equal(ol_oom_score(OL_ERA_A, 100, 1, TP), 0);
	assert_int_equal(ol_oom_score(OL_ERA_UNKNOWN, 100, 1, TP), 0);
	/* no totalpages: nothing to scale by */
	assert_int_equal(ol_oom_score(OL_ERA_F, 100, 1, 0), 0);
	assert_int_equal(ol_oom_score(OL_ERA_C, 100, 1, 0), 0);
}

/* Counts no kernel holds (corrupt logs): refused before they overflow a long. */
static void out_of_range(void **state)
{
	struct ol_badness_in in = { OL_PAGES_MAX / 2, OL_PAGES_MAX / 4, OL_PAGES_MAX / 4, 1000, OL_TOTALPAGES_MAX, 1 };
	struct ol_badness b;
	enum ol_era era;

	(void)state;
	/* the largest accepted values, in every era, and their oom_score */
	for (era = OL_ERA_B; era <= OL_ERA_F; era++) {
		assert_int_equal(ol_badness(era, &in, &b), 0);
		(void)ol_oom_score(era, b.points, b.killable, OL_TOTALPAGES_MAX);
	}
	in.adj = -999;
	assert_int_equal(ol_badness(OL_ERA_F, &in, &b), 0);
	(void)ol_oom_score(OL_ERA_F, b.points, b.killable, OL_TOTALPAGES_MAX);
	in.adj = 1000;

	in.rss = OL_PAGES_MAX + 1;
	assert_int_equal(ol_badness(OL_ERA_F, &in, &b), -ERANGE);
	in.rss = OL_PAGES_MAX / 2 + 1;	/* the sum over the bound */
	assert_int_equal(ol_badness(OL_ERA_F, &in, &b), -ERANGE);
	in.rss = 1;
	in.swap = ~0UL;
	assert_int_equal(ol_badness(OL_ERA_B, &in, &b), -ERANGE);
	in.swap = 1;
	in.pgtables = OL_PAGES_MAX + 1;
	assert_int_equal(ol_badness(OL_ERA_D, &in, &b), -ERANGE);
	in.pgtables = 1;
	in.totalpages = OL_TOTALPAGES_MAX + 1;
	assert_int_equal(ol_badness(OL_ERA_E, &in, &b), -ERANGE);
	in.totalpages = TP;
	in.adj = 1001;
	assert_int_equal(ol_badness(OL_ERA_C, &in, &b), -ERANGE);
	in.adj = -1001;
	assert_int_equal(ol_badness(OL_ERA_F, &in, &b), -ERANGE);
}

/*
 * The example machine of oomlens-kernel(7), EXAMPLES (a real 6.x machine's
 * figures): MemTotal 24684084 kB, SwapTotal 0, 4 KiB pages -> totalpages =
 * (24684084 + 0) / 4 = 6171021.
 */
static void oom_score_reference_machine(void **state)
{
	unsigned long tp = (24684084UL + 0) / (4096 / 1024);

	assert_int_equal(tp, 6171021);
	/* adj 0, tiny rss reads 666 */
	assert_int_equal(ol_oom_score(OL_ERA_F, 1, 1, tp), 666);
	/* all of RAM + swap reads 1333 */
	assert_int_equal(ol_oom_score(OL_ERA_F, (long)tp, 1, tp), 1333);
	/* adj 1000 adds up to 666: tiny task 1332 = 666 + 666; all of RAM 1999 = 1333 + 666 */
	assert_int_equal(ol_oom_score(OL_ERA_F, 1 + 1000L * (long)(tp / 1000), 1, tp) -
			 ol_oom_score(OL_ERA_F, 1, 1, tp), 666);
	assert_int_equal(ol_oom_score(OL_ERA_F, (long)tp + 1000L * (long)(tp / 1000), 1, tp), 1999);
	/* unkillable reads 0 */
	assert_int_equal(ol_oom_score(OL_ERA_F, LONG_MIN, 0, tp), 0);
	assert_int_equal(ol_oom_score(OL_ERA_F, LONG_MIN, 1, tp), 0);
	/* the most negative a killable task can be (usage 0, adj -999) still reads >= 0:
	 * -999 * 6171 * 1000 / 6171021 = -998; (1000 - 998) * 2 / 3 = 1 */
	assert_int_equal(ol_oom_score(OL_ERA_F, -999L * 6171, 1, tp), 1);
	/* C..E: killable 0 reads 0 whatever points says */
	assert_int_equal(ol_oom_score(OL_ERA_E, 5000, 0, tp), 0);
	assert_int_equal(ol_oom_score(OL_ERA_B, 500, 0, tp), 0);
	/* B: the points are the score */
	assert_int_equal(ol_oom_score(OL_ERA_B, 1000, 1, tp), 1000);
}

static void era_from_release(void **state)
{
	static const struct {
		const char *release;
		enum ol_era era;
	} r[] = {
		{ "2.6.32-754.el6.x86_64", OL_ERA_A },
		{ "2.6.35.14", OL_ERA_A },
		{ "2.4.37", OL_ERA_A },
		{ "2.6", OL_ERA_A },
		{ "2.6.36", OL_ERA_B },
		{ "2.6.36-rc1", OL_ERA_B },
		{ "2.6.39.4", OL_ERA_B },
		{ "3.0.101", OL_ERA_B },
		{ "3.4.113", OL_ERA_B },
		{ "3.5.0", OL_ERA_C },
		{ "3.10.0-1160.el7.x86_64", OL_ERA_C },
		{ "3.13.0", OL_ERA_C },
		{ "3.13.0-170-generic", OL_ERA_C },
		{ "3.14.1", OL_ERA_D },
		{ "3.14", OL_ERA_D },
		{ "3.19.8", OL_ERA_D },
		{ "4.4.0-210-generic", OL_ERA_D },
		{ "4.16.18", OL_ERA_D },
		{ "4.17.0", OL_ERA_E },
		{ "4.18.0-553.el8_10.x86_64", OL_ERA_E },
		{ "5.4.0-100-generic", OL_ERA_E },
		{ "5.8.18", OL_ERA_E },
		{ "5.9.0", OL_ERA_F },
		{ "5.10.0-28-amd64", OL_ERA_F },
		{ "6.1.0-13-amd64", OL_ERA_F },
		{ "6.18.44-fc-v782", OL_ERA_F },
		{ "", OL_ERA_UNKNOWN },
		{ "garbage", OL_ERA_UNKNOWN },
		{ "6", OL_ERA_UNKNOWN },
		{ "5.x", OL_ERA_UNKNOWN },
		{ "v5.9", OL_ERA_UNKNOWN },
		{ "Linux version 5.9.0", OL_ERA_UNKNOWN },
		{ "\xff\xfe", OL_ERA_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < N(r); i++)
		if (ol_era_from_release(r[i].release) != r[i].era)
			fail_msg("'%s' -> era %d, want %d", r[i].release,
				 (int)ol_era_from_release(r[i].release), (int)r[i].era);
	assert_int_equal(ol_era_from_release(NULL), OL_ERA_UNKNOWN);
}

static void era_range(void **state)
{
	assert_string_equal(ol_era_range(OL_ERA_A), "before 2.6.36");
	assert_string_equal(ol_era_range(OL_ERA_B), "2.6.36-3.4");
	assert_string_equal(ol_era_range(OL_ERA_C), "3.5-3.13");
	assert_string_equal(ol_era_range(OL_ERA_D), "3.14-4.16");
	assert_string_equal(ol_era_range(OL_ERA_E), "4.17-5.8");
	assert_string_equal(ol_era_range(OL_ERA_F), "5.9+");
	assert_string_equal(ol_era_range(OL_ERA_UNKNOWN), "unknown");
}

/*
 * Legacy oom_adj, fs/proc/base.c (3.7+):
 *   write: oom_adj 15 -> 1000, else oom_score_adj = oom_adj * 1000 / 17
 *   read:  oom_score_adj 1000 -> 15, else oom_adj = oom_score_adj * 17 / 1000,
 *          capped at 15.
 * Every division truncates toward zero.  The write side for 0 .. 15 and the
 * read side for values >= 0 were checked on this 6.18 machine:
 *   sh -c 'echo N > /proc/self/oom_adj; cat /proc/self/oom_score_adj'
 *   sh -c 'echo N > /proc/self/oom_score_adj; cat /proc/self/oom_adj'
 * (1 -> 58, 2 -> 117, 8 -> 470, 14 -> 823, 15 -> 1000; 58 -> 0, 59 -> 1,
 * 117 -> 1, 500 -> 8, 941 -> 15, 942 -> 15, 999 -> 15, 1000 -> 15).  Lowering
 * is denied here (no CAP_SYS_RESOURCE), so negatives come from the source.
 */
static const struct {
	int oom_adj, score_adj, read_back;
} adj_table[] = {
	/* oom_adj, oom_adj * 1000 / 17, then that * 17 / 1000 */
	{ -17, -1000, -17 },	/* -17000 / 17 = -1000;   -17000 / 1000 = -17 */
	{ -16,  -941, -15 },	/* -16000 / 17 = -941.2;  -15997 / 1000 = -15.997 */
	{ -15,  -882, -14 },	/* -15000 / 17 = -882.4;  -14994 / 1000 */
	{ -14,  -823, -13 },	/* -14000 / 17 = -823.5;  -13991 / 1000 */
	{ -13,  -764, -12 },	/* -13000 / 17 = -764.7;  -12988 / 1000 */
	{ -12,  -705, -11 },	/* -12000 / 17 = -705.9;  -11985 / 1000 */
	{ -11,  -647, -10 },	/* -11000 / 17 = -647.1;  -10999 / 1000 */
	{ -10,  -588,  -9 },	/* -10000 / 17 = -588.2;   -9996 / 1000 */
	{  -9,  -529,  -8 },	/*  -9000 / 17 = -529.4;   -8993 / 1000 */
	{  -8,  -470,  -7 },	/*  -8000 / 17 = -470.6;   -7990 / 1000 */
	{  -7,  -411,  -6 },	/*  -7000 / 17 = -411.8;   -6987 / 1000 */
	{  -6,  -352,  -5 },	/*  -6000 / 17 = -352.9;   -5984 / 1000 */
	{  -5,  -294,  -4 },	/*  -5000 / 17 = -294.1;   -4998 / 1000 */
	{  -4,  -235,  -3 },	/*  -4000 / 17 = -235.3;   -3995 / 1000 */
	{  -3,  -176,  -2 },	/*  -3000 / 17 = -176.5;   -2992 / 1000 */
	{  -2,  -117,  -1 },	/*  -2000 / 17 = -117.6;   -1989 / 1000 */
	{  -1,   -58,   0 },	/*  -1000 / 17 =  -58.8;    -986 / 1000 = -0.986 */
	{   0,     0,   0 },
	{   1,    58,   0 },	/*   1000 / 17 =   58.8;     986 / 1000 */
	{   2,   117,   1 },	/*   2000 / 17 =  117.6;    1989 / 1000 */
	{   3,   176,   2 },	/*   3000 / 17 =  176.5;    2992 / 1000 */
	{   4,   235,   3 },
	{   5,   294,   4 },
	{   6,   352,   5 },
	{   7,   411,   6 },
	{   8,   470,   7 },	/*   8000 / 17 =  470.6;    7990 / 1000 */
	{   9,   529,   8 },
	{  10,   588,   9 },
	{  11,   647,  10 },
	{  12,   705,  11 },
	{  13,   764,  12 },
	{  14,   823,  13 },	/*  14000 / 17 =  823.5;   13991 / 1000 */
	{  15,  1000,  15 },	/* the special cases both ways */
};

static void oom_adj_write(void **state)
{
	size_t i;

	for (i = 0; i < N(adj_table); i++)
		if (ol_score_adj_from_oom_adj(adj_table[i].oom_adj) != adj_table[i].score_adj)
			fail_msg("oom_adj %d -> %d, want %d", adj_table[i].oom_adj,
				 ol_score_adj_from_oom_adj(adj_table[i].oom_adj),
				 adj_table[i].score_adj);
}

static void oom_adj_read(void **state)
{
	size_t i;

	for (i = 0; i < N(adj_table); i++)
		if (ol_oom_adj_from_score_adj(adj_table[i].score_adj) != adj_table[i].read_back)
			fail_msg("oom_score_adj %d -> %d, want %d", adj_table[i].score_adj,
				 ol_oom_adj_from_score_adj(adj_table[i].score_adj),
				 adj_table[i].read_back);
	/* read side, values checked on this machine */
	assert_int_equal(ol_oom_adj_from_score_adj(1), 0);
	assert_int_equal(ol_oom_adj_from_score_adj(59), 1);	/* 1003 / 1000 */
	assert_int_equal(ol_oom_adj_from_score_adj(500), 8);	/* 8500 / 1000 */
	assert_int_equal(ol_oom_adj_from_score_adj(941), 15);	/* 15997 / 1000 */
	assert_int_equal(ol_oom_adj_from_score_adj(942), 15);	/* 16014 / 1000 = 16, capped */
	assert_int_equal(ol_oom_adj_from_score_adj(999), 15);	/* 16983 / 1000 = 16, capped */
	/* no cap below: -999 reads -16 (OOM_ADJUST_MIN), -1000 reads -17 */
	assert_int_equal(ol_oom_adj_from_score_adj(-1), 0);	/* -17 / 1000 */
	assert_int_equal(ol_oom_adj_from_score_adj(-59), -1);	/* -1003 / 1000 */
	assert_int_equal(ol_oom_adj_from_score_adj(-999), -16);	/* -16983 / 1000 */
}

/*
 * Round trips lose precision: writing oom_adj N and reading it back gives N
 * only for -17, 0 and 15; every other value comes back one step nearer 0
 * (the table's third column).  Writing oom_score_adj and reading it back
 * through oom_adj keeps at most the 1/17 steps.
 */
static void oom_adj_round_trips(void **state)
{
	int a, s;

	for (a = OL_OOM_DISABLE; a <= OL_OOM_ADJUST_MAX; a++) {
		int back = ol_oom_adj_from_score_adj(ol_score_adj_from_oom_adj(a));

		if (a == -17 || a == 0 || a == 15)
			assert_int_equal(back, a);
		else
			assert_int_equal(back, a > 0 ? a - 1 : a + 1);
	}
	for (s = OL_OOM_SCORE_ADJ_MIN; s <= OL_OOM_SCORE_ADJ_MAX; s++) {
		int a2 = ol_oom_adj_from_score_adj(s);
		int s2 = ol_score_adj_from_oom_adj(a2);

		assert_true(a2 >= OL_OOM_DISABLE && a2 <= OL_OOM_ADJUST_MAX);
		/* never further from 0 than where it started, except 15 -> 1000 */
		if (a2 != OL_OOM_ADJUST_MAX)
			assert_true(s >= 0 ? (s2 >= 0 && s2 <= s) : (s2 <= 0 && s2 >= s));
	}
	assert_int_equal(ol_score_adj_from_oom_adj(ol_oom_adj_from_score_adj(500)), 470);	/* 8 */
	assert_int_equal(ol_score_adj_from_oom_adj(ol_oom_adj_from_score_adj(-500)), -470);
	assert_int_equal(ol_score_adj_from_oom_adj(ol_oom_adj_from_score_adj(-1000)), -1000);
	assert_int_equal(ol_score_adj_from_oom_adj(ol_oom_adj_from_score_adj(1000)), 1000);
	assert_int_equal(ol_score_adj_from_oom_adj(ol_oom_adj_from_score_adj(942)), 1000);
}

/*
 * select_bad_process() / oom_evaluate_task(): up to ~5.2 a task with points
 * equal to the chosen one's is skipped (the first found wins); from ~5.3
 * "points < chosen_points" skips and an equal one replaces it (the last
 * found wins).  The scan runs in creation order.
 */
static void ties_by_release(void **state)
{
	static const struct {
		const char *release;
		int last;
	} r[] = {
		{ "2.6.36", 0 }, { "3.10.0-1160.el7.x86_64", 0 }, { "4.19.0", 0 },
		{ "5.2.21", 0 }, { "5.3", 1 }, { "5.3.0-rc1", 1 }, { "5.4.0-100-generic", 1 },
		{ "5.8.18", 1 }, { "6.18.44-fc-v782", 1 }, { "10.0", 1 },
		{ "", 1 }, { "garbage", 1 },
	};
	struct ol_kernel k;
	size_t i;

	for (i = 0; i < N(r); i++) {
		ol_kernel_from_release(r[i].release, &k);
		if (k.ties_last != r[i].last)
			fail_msg("'%s' -> %d, want %d", r[i].release, k.ties_last, r[i].last);
	}
	/* unknown: the newest rules, and said so */
	assert_int_equal(ol_kernel_from_release(NULL, &k), -EINVAL);
	assert_int_equal(k.ties_last, 1);
	assert_int_equal(k.era, OL_ERA_F);
	assert_int_equal(k.known, 0);
	assert_int_equal(ol_kernel_from_release("garbage", &k), -EINVAL);
	assert_int_equal(ol_kernel_from_release("4.19.0-26-amd64", &k), 0);
	assert_int_equal(k.era, OL_ERA_E);
}

static void rank_ties(void **state)
{
	struct ol_proc old = { .pid = 300, .have = OL_HAVE_START, .starttime = 100 };
	struct ol_proc young = { .pid = 200, .have = OL_HAVE_START, .starttime = 500 };
	struct ol_badness b = { .killable = 1, .points = 4242 }, more = { .killable = 1, .points = 4243 };

	/* 5.3+: the younger (found last) first, whatever the pids say */
	assert_true(ol_rank_cmp_ties(&young, &b, 1, &old, &b, 1, 1) < 0);
	assert_true(ol_rank_cmp_ties(&old, &b, 1, &young, &b, 1, 1) > 0);
	/* before: the older (found first) first */
	assert_true(ol_rank_cmp_ties(&old, &b, 1, &young, &b, 1, 0) < 0);
	assert_true(ol_rank_cmp_ties(&young, &b, 1, &old, &b, 1, 0) > 0);
	/* no start times: the pid stands for the age */
	old.have = young.have = 0;
	assert_true(ol_rank_cmp_ties(&old, &b, 1, &young, &b, 1, 1) < 0);	/* pid 300 is "younger" */
	assert_true(ol_rank_cmp_ties(&young, &b, 1, &old, &b, 1, 0) < 0);
	assert_int_equal(ol_rank_cmp_ties(&old, &b, 1, &old, &b, 1, 0), 0);
	/* no tie: the badness decides under either rule */
	assert_true(ol_rank_cmp_ties(&old, &more, 1, &young, &b, 1, 1) < 0);
	assert_true(ol_rank_cmp_ties(&old, &more, 1, &young, &b, 1, 0) < 0);
}

/*
 * Page tables: 4.0 .. 4.14 count nr_ptes + nr_pmds, and their status shows
 * the PMD pages as VmPMD apart from VmPTE.  ol_proc_badness_k() adds it for
 * 4.0 on; 3.x kernels (eras B, C and 3.14 .. 3.19 of D) had no such count.
 */
static void proc_badness_vmpmd(void **state)
{
	struct ol_kernel k44, k510, k310, k316;
	struct ol_proc p = {
		.pid = 4242,
		.have = OL_HAVE_RSS | OL_HAVE_SWAP | OL_HAVE_PGTABLES | OL_HAVE_ADJ | OL_HAVE_CAPS |
			OL_HAVE_KTHREAD | OL_HAVE_MM | OL_HAVE_PMD,
		.has_mm = 1,
		.rss = 1000 * 4096ULL,
		.pgtables = 20 * 4096ULL,	/* VmPTE 80 kB */
		.pgtables_pmd = 3 * 4096ULL,	/* VmPMD 12 kB */
	};
	struct ol_badness b;

	ol_kernel_from_release("4.4.0", &k44);
	ol_kernel_from_release("5.10.0", &k510);
	ol_kernel_from_release("3.10.0", &k310);
	ol_kernel_from_release("3.16.0", &k316);
	/* 1000 + 20 + 3 */
	assert_int_equal(ol_proc_badness_k(&p, &k44, 4096, TP, NULL, &b), 0);
	assert_int_equal(b.usage, 1023);
	assert_int_equal(ol_proc_badness_k(&p, &k510, 4096, TP, NULL, &b), 0);
	assert_int_equal(b.usage, 1023);
	/* 3.5 .. 3.13, and 3.14 .. 3.19 of era D: PTE pages only */
	assert_int_equal(ol_proc_badness_k(&p, &k310, 4096, TP, NULL, &b), 0);
	assert_int_equal(b.usage, 1020);
	assert_int_equal(ol_proc_badness_k(&p, &k316, 4096, TP, NULL, &b), 0);
	assert_int_equal(b.usage, 1020);
	/* no VmPMD line (every other kernel): VmPTE alone */
	p.have &= ~OL_HAVE_PMD;
	assert_int_equal(ol_proc_badness_k(&p, &k44, 4096, TP, NULL, &b), 0);
	assert_int_equal(b.usage, 1020);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(era_b),
		cmocka_unit_test(era_c),
		cmocka_unit_test(era_d),
		cmocka_unit_test(era_e),
		cmocka_unit_test(era_f),
		cmocka_unit_test(bad_era),
		cmocka_unit_test(out_of_range),
		cmocka_unit_test(oom_score_reference_machine),
		cmocka_unit_test(era_from_release),
		cmocka_unit_test(era_range),
		cmocka_unit_test(oom_adj_write),
		cmocka_unit_test(oom_adj_read),
		cmocka_unit_test(oom_adj_round_trips),
		cmocka_unit_test(ties_by_release),
		cmocka_unit_test(rank_ties),
		cmocka_unit_test(proc_badness_vmpmd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
