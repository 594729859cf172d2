// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Re-ranking a logged task table (lib/oomrank.c ol_oom_event_predict()) on
 * small tables built in memory: the tie rule of the release, the root bonus
 * of the eras that had it, the rows the kernel never picks, and totalpages
 * of a memory cgroup.  The expected numbers follow mm/oom_kill.c of each era
 * (oom_badness(), select_bad_process()/oom_evaluate_task()) and
 * mm/memcontrol.c (mem_cgroup_get_max()), worked out in the comments.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oomlens/badness.h"
#include "oomlens/oomlog.h"

/* Columns of the 4.0 .. 4.14, 3.6 .. 3.19, 2.6.36 .. 3.5, 4.19+ and 6.8+ tables */
#define COLS_BASE	(OL_COL_PID | OL_COL_UID | OL_COL_TGID | OL_COL_TOTAL_VM | OL_COL_RSS | OL_COL_OOM_SCORE_ADJ)
#define COLS_4_0	(COLS_BASE | OL_COL_NR_PTES | OL_COL_NR_PMDS | OL_COL_SWAPENTS)
#define COLS_3_6	(COLS_BASE | OL_COL_NR_PTES | OL_COL_SWAPENTS)
#define COLS_2_6_36	(COLS_BASE | OL_COL_CPU | OL_COL_OOM_ADJ)
#define COLS_4_19	(COLS_BASE | OL_COL_PGTABLES_BYTES | OL_COL_SWAPENTS)
#define COLS_6_8	(COLS_4_19 | OL_COL_RSS_ANON | OL_COL_RSS_FILE | OL_COL_RSS_SHMEM)

/*
 * A global event on a machine of @ram_pages (none reserved) and no swap,
 * 4 KiB pages, with room for @n rows.
 */
static struct ol_oom_event *new_event(const char *kernel, unsigned int cols, size_t n,
				      unsigned long long ram_pages)
{
	struct ol_oom_event *ev = calloc(1, sizeof(*ev));

	assert_non_null(ev);
	snprintf(ev->kernel, sizeof(ev->kernel), "%s", kernel);
	ev->kind = OL_EV_GLOBAL;
	ev->outcome = OL_OUTCOME_KILLED;
	ev->columns = cols;
	ev->page_size = 4096;
	ev->pages_ram = ram_pages;
	ev->pages_reserved = 0;
	ev->total_swap_kb = 0;
	ev->have_mem = OL_MEM_PAGES_RAM | OL_MEM_RESERVED | OL_MEM_TOTAL_SWAP;
	ev->tasks = calloc(n, sizeof(*ev->tasks));
	assert_non_null(ev->tasks);
	ev->tasks_cap = n;
	ev->tasks_seen = 1;
	return ev;
}

/* A row of @rss pages and nothing else. */
static void add_row(struct ol_oom_event *ev, long pid, long uid, long rss, long adj)
{
	struct ol_task_row *r = &ev->tasks[ev->ntasks++];

	assert_true(ev->ntasks <= ev->tasks_cap);
	r->pid = r->tgid = pid;
	r->uid = uid;
	r->rss = rss;
	r->total_vm = rss * 2;
	r->oom_score_adj = adj;
	r->have = ev->columns;
	snprintf(r->name, sizeof(r->name), "task%ld", pid);
}

static void set_victim(struct ol_oom_event *ev, long pid)
{
	ev->victims = calloc(1, sizeof(*ev->victims));
	assert_non_null(ev->victims);
	ev->nvictims = 1;
	ev->victims[0].pid = pid;
	ev->victims[0].uid = -1;
}

static long top_pid(const struct ol_oom_event *ev)
{
	assert_true(ev->prediction.valid);
	assert_true(ev->prediction.top >= 0);
	return ev->tasks[ev->prediction.top].pid;
}

/* ---- ties: the first found before 5.3, the last from 5.3 ---- */

static void ties_by_release(void **state)
{
	static const struct {
		const char *kernel;
		unsigned int cols;
		long top;
	} cases[] = {
		{ "3.10.0-514.el7.x86_64", COLS_3_6, 100 },
		{ "4.9.0", COLS_4_0, 100 },
		{ "4.19.0", COLS_4_19, 100 },
		{ "5.2.21", COLS_4_19, 100 },
		{ "5.3.0", COLS_4_19, 300 },
		{ "5.15.0-1087-azure", COLS_4_19, 300 },
		{ "6.8.0", COLS_6_8, 300 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ol_oom_event *ev = new_event(cases[i].kernel, cases[i].cols, 4, 1000000);

		/* three equal candidates in scan (table) order, and a smaller one */
		add_row(ev, 100, 1000, 5000, 0);
		add_row(ev, 50, 1000, 4000, 0);
		add_row(ev, 200, 1000, 5000, 0);
		add_row(ev, 300, 1000, 5000, 0);
		ol_oom_event_predict(ev, NULL);
		assert_int_equal(top_pid(ev), cases[i].top);
		assert_true(ev->prediction.tie);
		assert_int_equal(ev->prediction.ranked, 4);
		ol_oom_event_free(ev);
	}
}

/* --kernel overrides the release the log names; a tie explains a disagreement */
static void ties_override_and_cause(void **state)
{
	struct ol_oom_event *ev = new_event("5.2.0", COLS_4_19, 2, 1000000);

	add_row(ev, 10, 1000, 7000, 0);
	add_row(ev, 20, 1000, 7000, 0);
	set_victim(ev, 20);
	ol_oom_event_predict(ev, NULL);
	assert_int_equal(top_pid(ev), 10);
	assert_false(ev->prediction.agrees);
	assert_int_equal(ev->prediction.victim_rank, 2);
	assert_non_null(strstr(ev->prediction.cause, "tie"));
	ol_oom_event_predict(ev, "5.3.0");
	assert_int_equal(top_pid(ev), 20);
	assert_true(ev->prediction.agrees);
	assert_int_equal(ev->prediction.victim_rank, 1);
	ol_oom_event_free(ev);
}

/* ---- the root bonus: 3% of usage in 3.14 .. 4.16, 30 adj units before, none after ---- */

static void root_bonus_3_14_to_4_16(void **state)
{
	struct ol_oom_event *ev = new_event("4.9.0-gentoo", COLS_4_0, 2, 1000000);

	/* root 1030 pages: 1030 - 1030 * 3 / 100 = 1000 with the bonus, below the user's 1010 */
	add_row(ev, 1, 0, 1030, 0);
	add_row(ev, 2, 1000, 1010, 0);
	set_victim(ev, 2);
	ol_oom_event_predict(ev, NULL);
	assert_int_equal(ev->prediction.era, OL_ERA_D);
	assert_int_equal(ev->tasks[0].badness, 1030);
	assert_int_equal(ev->tasks[0].badness_root, 1000);
	assert_int_equal(ev->tasks[1].badness, 1010);
	assert_int_equal(ev->tasks[1].badness_root, 1010);	/* not root: no bonus */
	assert_int_equal(top_pid(ev), 1);
	assert_true(ev->prediction.root_bonus_changes);
	assert_false(ev->prediction.agrees);
	assert_non_null(strstr(ev->prediction.cause, "root bonus"));
	ol_oom_event_free(ev);
}

static void root_bonus_3_5_to_3_13(void **state)
{
	/* totalpages 100000: adj unit 100; root's adj 0 becomes -30, i.e. -3000 pages */
	struct ol_oom_event *ev = new_event("3.10.0-693.11.6.el7.x86_64", COLS_3_6, 2, 100000);

	add_row(ev, 1, 0, 5000, 0);
	add_row(ev, 2, 1000, 3000, 0);
	ol_oom_event_predict(ev, NULL);
	assert_int_equal(ev->prediction.era, OL_ERA_C);
	assert_int_equal(ev->prediction.totalpages, 100000);
	assert_int_equal(ev->tasks[0].badness, 5000);
	assert_int_equal(ev->tasks[0].badness_root, 2000);
	assert_int_equal(top_pid(ev), 1);
	assert_true(ev->prediction.root_bonus_changes);
	ol_oom_event_free(ev);
}

static void root_bonus_2_6_36_to_3_4(void **state)
{
	/* 0..1000 scale: 50000 of 100000 pages is 500, minus 30 for root */
	struct ol_oom_event *ev = new_event("3.2.0-23-generic", COLS_2_6_36, 2, 100000);

	add_row(ev, 1, 0, 50000, 0);
	add_row(ev, 2, 1000, 48000, 0);
	ol_oom_event_predict(ev, NULL);
	assert_int_equal(ev->prediction.era, OL_ERA_B);
	assert_int_equal(ev->tasks[0].badness, 500);
	assert_int_equal(ev->tasks[0].badness_root, 470);
	assert_int_equal(ev->tasks[1].badness, 480);
	assert_int_equal(top_pid(ev), 1);
	assert_true(ev->prediction.root_bonus_changes);
	ol_oom_event_free(ev);
}

static void no_root_bonus_from_4_17(void **state)
{
	static const char *const kernels[] = { "4.17.0", "5.8.0-32-generic", "6.1.0-13-amd64" };

	for (size_t i = 0; i < 3; i++) {
		struct ol_oom_event *ev = new_event(kernels[i], COLS_4_19, 2, 1000000);

		add_row(ev, 1, 0, 1030, 0);
		add_row(ev, 2, 1000, 1010, 0);
		ol_oom_event_predict(ev, NULL);
		assert_true(ev->prediction.era >= OL_ERA_E);
		assert_int_equal(ev->tasks[0].badness_root, ev->tasks[0].badness);
		assert_int_equal(top_pid(ev), 1);
		assert_false(ev->prediction.root_bonus_changes);
		ol_oom_event_free(ev);
	}
}

/* ---- oom_score_adj -1000: never a candidate ---- */

static void unkillable_rows_excluded(void **state)
{
	static const char *const kernels[] = { "3.2.0", "3.10.0", "4.9.0", "5.8.0", "6.18.0" };
	static const unsigned int cols[] = { COLS_2_6_36, COLS_3_6, COLS_4_0, COLS_4_19, COLS_6_8 };

	for (size_t i = 0; i < 5; i++) {
		struct ol_oom_event *ev = new_event(kernels[i], cols[i], 3, 1000000);

		add_row(ev, 10, 0, 900000, -1000);	/* by far the largest */
		add_row(ev, 20, 1000, 2000, 0);
		add_row(ev, 30, 1000, 1000, 0);
		ol_oom_event_predict(ev, NULL);
		assert_false(ev->tasks[0].eligible);
		assert_true(ev->tasks[1].eligible && ev->tasks[2].eligible);
		assert_int_equal(ev->prediction.ranked, 2);
		assert_int_equal(ev->tasks[ev->prediction.order[0]].pid, 20);
		assert_int_equal(ev->tasks[ev->prediction.order[1]].pid, 30);
		assert_int_equal(top_pid(ev), 20);
		ol_oom_event_free(ev);
	}
}

/* A table of nothing but -1000 rows ranks nobody. */
static void only_unkillable_rows(void **state)
{
	struct ol_oom_event *ev = new_event("6.1.0", COLS_4_19, 2, 1000000);

	add_row(ev, 10, 0, 5000, -1000);
	add_row(ev, 20, 0, 4000, -1000);
	ol_oom_event_predict(ev, NULL);
	assert_true(ev->prediction.valid);
	assert_int_equal(ev->prediction.ranked, 0);
	assert_int_equal(ev->prediction.top, -1);
	ol_oom_event_free(ev);
}

/* ---- totalpages ---- */

/* A memcg OOM at @limit_kb, the rest of what mem_cgroup_get_max() reads given in kB. */
static unsigned long memcg_totalpages(long page_size, unsigned long long limit_kb, long long memsw_kb,
				      long long swapmax_kb, long long total_swap_kb, int *estimated)
{
	struct ol_oom_event *ev = new_event("5.15.0", COLS_4_19, 1, 1000000);
	unsigned long t;

	ev->kind = OL_EV_MEMCG;
	ev->page_size = page_size;
	ev->have_mem = OL_MEM_MEMCG;
	ev->memcg_limit_kb = limit_kb;
	if (memsw_kb >= 0) {
		ev->have_mem |= OL_MEM_MEMSW;
		ev->memsw_limit_kb = (unsigned long long)memsw_kb;
	}
	if (swapmax_kb >= 0) {
		ev->have_mem |= OL_MEM_SWAP;
		ev->swap_limit_kb = (unsigned long long)swapmax_kb;
	}
	if (total_swap_kb >= 0) {
		ev->have_mem |= OL_MEM_TOTAL_SWAP;
		ev->total_swap_kb = (unsigned long long)total_swap_kb;
	}
	add_row(ev, 1, 1000, 10, 0);
	ol_oom_event_predict(ev, NULL);
	t = ev->prediction.totalpages;
	*estimated = ev->prediction.totalpages_estimated;
	ol_oom_event_free(ev);
	return t;
}

static void memcg_totalpages_limit_plus_swap(void **state)
{
	int est;

	/* v1: 250000 pages + min(350000 - 250000, 50000 pages of swap) */
	assert_int_equal(memcg_totalpages(4096, 1000000, 1400000, -1, 200000, &est), 300000);
	assert_false(est);
	/* v1: 250000 + min(275000 - 250000, 50000) */
	assert_int_equal(memcg_totalpages(4096, 1000000, 1100000, -1, 200000, &est), 275000);
	/* v1 with memsw equal to the limit: no swap for the group */
	assert_int_equal(memcg_totalpages(4096, 1000000, 1000000, -1, 200000, &est), 250000);
	/* v1, memsw unlimited (PAGE_COUNTER_MAX as printed), all of 50000 pages of swap */
	assert_int_equal(memcg_totalpages(4096, 1000000, 9007199254740988LL, -1, 200000, &est), 300000);
	/* v2: 250000 + min(swap.max 10000 pages, 50000) */
	assert_int_equal(memcg_totalpages(4096, 1000000, -1, 40000, 200000, &est), 260000);
	/* v2, swap.max unlimited, no swap on the machine */
	assert_int_equal(memcg_totalpages(4096, 1000000, -1, 9007199254740988LL, 0, &est), 250000);
	assert_false(est);
	/* 64 KiB pages (arm64, ppc64le): 15625 + min(6250, 3125) */
	assert_int_equal(memcg_totalpages(65536, 1000000, 1400000, -1, 200000, &est), 18750);
	/*
	 * a memcg OOM prints no "Total swap": the headroom is taken, and said
	 * to be an estimate (044's kernel scored 1046 by limit + headroom; with
	 * no swap it would have been 2093)
	 */
	assert_int_equal(memcg_totalpages(4096, 1000000, 1400000, -1, -1, &est), 350000);
	assert_true(est);
}

/*
 * A global OOM: pages RAM - pages reserved + Total swap in pages.  show_mem()
 * counts reserved as present - managed pages, so RAM - reserved is
 * totalram_pages itself: not an estimate.
 */
static void global_totalpages(void **state)
{
	struct ol_oom_event *ev = new_event("3.10.0-514.6.1.el7.x86_64", COLS_3_6, 1, 8379834);

	/* 002: 8379834 pages RAM, 192987 reserved, Total swap = 8388604kB */
	ev->pages_reserved = 192987;
	ev->total_swap_kb = 8388604;
	add_row(ev, 6576, 12345, 5157063, 0);
	ol_oom_event_predict(ev, NULL);
	assert_int_equal(ev->prediction.totalpages, 8379834 - 192987 + 8388604 / 4);
	assert_false(ev->prediction.totalpages_estimated);
	assert_null(ev->prediction.totalpages_note);
	/* without "pages reserved", all of RAM, and said to be an estimate */
	ev->have_mem &= ~OL_MEM_RESERVED;
	ol_oom_event_predict(ev, NULL);
	assert_int_equal(ev->prediction.totalpages, 8379834 + 8388604 / 4);
	assert_true(ev->prediction.totalpages_estimated);
	assert_non_null(ev->prediction.totalpages_note);
	ol_oom_event_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ties_by_release),
		cmocka_unit_test(ties_override_and_cause),
		cmocka_unit_test(root_bonus_3_14_to_4_16),
		cmocka_unit_test(root_bonus_3_5_to_3_13),
		cmocka_unit_test(root_bonus_2_6_36_to_3_4),
		cmocka_unit_test(no_root_bonus_from_4_17),
		cmocka_unit_test(unkillable_rows_excluded),
		cmocka_unit_test(only_unkillable_rows),
		cmocka_unit_test(memcg_totalpages_limit_plus_swap),
		cmocka_unit_test(global_totalpages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
