/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_BADNESS_H
#define OOMLENS_BADNESS_H

/*
 * The kernel's OOM heuristic (mm/oom_kill.c oom_badness()) and the
 * /proc/PID/oom_score mapping (fs/proc/base.c proc_oom_score()), era by
 * era, with the kernel's own integer arithmetic.
 */

#include <limits.h>

#define OL_OOM_SCORE_ADJ_MIN	(-1000)
#define OL_OOM_SCORE_ADJ_MAX	1000
#define OL_OOM_DISABLE		(-17)
#define OL_OOM_ADJUST_MIN	(-16)
#define OL_OOM_ADJUST_MAX	15

enum ol_era {
	OL_ERA_UNKNOWN = 0,
	OL_ERA_A,	/* before 2.6.36: total_vm, cpu time, nice, caps (history) */
	OL_ERA_B,	/* 2.6.36 .. 3.4: 0..1000 scale, root -30 */
	OL_ERA_C,	/* 3.5 .. 3.13: pages, root adj -30 */
	OL_ERA_D,	/* 3.14 .. 4.16: pages, root -3% of usage */
	OL_ERA_E,	/* 4.17 .. 5.8: pages, no root bonus */
	OL_ERA_F,	/* 5.9 on: long, LONG_MIN for unkillable, may be negative */
};

/* Era of a kernel release string such as "6.1.0-13-amd64"; UNKNOWN if unparsable. */
enum ol_era ol_era_from_release(const char *release);
/* "5.9+", "4.17-5.8", ... */
const char *ol_era_range(enum ol_era era);

/*
 * The most pages a process's rss + swap + page tables may come to (2^63
 * bytes of 4 KiB pages is 2^51), and totalpages (an unlimited memcg's
 * PAGE_COUNTER_MAX is 2^51): ol_badness() refuses more with -ERANGE,
 * keeping its arithmetic inside a long.
 */
#define OL_PAGES_MAX		(1UL << 52)
#define OL_TOTALPAGES_MAX	(1UL << 52)

struct ol_badness_in {
	unsigned long rss;		/* pages: anon + file + shmem */
	unsigned long swap;		/* pages: swap entries */
	unsigned long pgtables;		/* pages: page tables */
	long adj;			/* oom_score_adj */
	unsigned long totalpages;
	int cap_sys_admin;		/* eras B, C, D only */
};

struct ol_badness {
	enum ol_era era;
	int killable;		/* 0: adj == -1000 (badness 0, or LONG_MIN in F) */
	long usage;		/* rss + swap + pgtables, pages */
	long usage_scaled;	/* era B: usage * 1000 / totalpages */
	long root_bonus;	/* what CAP_SYS_ADMIN took off (B: points, C: adj units, D: pages) */
	long adj_eff;		/* adj after the era's root adjustment */
	long adj_unit;		/* totalpages / 1000 (C..F) */
	long adj_pages;		/* adj_eff * adj_unit (C..F), adj points (B) */
	long raw;		/* before the era's clamps */
	long points;		/* what oom_badness() returns (LONG_MIN when unkillable in F) */
	int clamped_low;	/* raw <= 0 became 1 (B..E) */
	int clamped_high;	/* raw > 1000 became 1000 (B) */
};

/*
 * Era B..F.  Returns 0, -EINVAL for an unknown or historical era, or -ERANGE
 * for a usage above OL_PAGES_MAX, totalpages above OL_TOTALPAGES_MAX or an
 * adj outside -1000..1000.
 */
int ol_badness(enum ol_era era, const struct ol_badness_in *in,
	       struct ol_badness *out);

/*
 * /proc/PID/oom_score for @points as returned by ol_badness() in @era,
 * computed as the kernel does (totalpages = totalram + total swap).
 */
unsigned long ol_oom_score(enum ol_era era, long points, int killable,
			   unsigned long totalpages);

/*
 * Legacy /proc/PID/oom_adj <-> oom_score_adj, as the kernel converts them
 * (3.7+).  ol_oom_adj_read() is the read side, @capped on 5.14+ (see
 * ol_kernel.oom_adj_capped); ol_oom_adj_from_score_adj() is it capped.
 */
int ol_oom_adj_read(int score_adj, int capped);
int ol_oom_adj_from_score_adj(int score_adj);
int ol_score_adj_from_oom_adj(int oom_adj);

#endif
