// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The OOM-event parser (lib/oomlog.c) on the real logs of tests/fixtures/oomlogs/
 * (INDEX.tsv and README.md there say where each came from).  Every expected
 * value is read off the log text, not off what the parser printed; where the
 * kernel states a number (the "score" of its kill line) the re-ranking is held
 * to it.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "oomlens/badness.h"
#include "oomlens/oomlog.h"

#include "fixtures.h"
#include "evlist.h"

static const struct ol_oom_event *only_event(const struct evlist *l)
{
	assert_int_equal(l->n, 1);
	return l->v[0];
}

static void assert_victim(const struct ol_victim *v, long pid, const char *comm)
{
	assert_int_equal(v->pid, pid);
	assert_string_equal(v->comm, comm);
}

/* ---- the score of "Kill process N (x) score S or sacrifice child" ---- */

/*
 * Up to 5.0 the kernel printed the chosen task's score: in 2.6.36 .. 3.4 its
 * badness, already on a 0..1000 scale; from 3.5 badness * 1000 / totalpages
 * (mm/oom_kill.c: select_bad_process() or oom_kill_process()).  The badness
 * is the era's (include/oomlens/badness.h) on the row's own counters.
 */
static long logged_score(enum ol_era era, long badness, unsigned long totalpages)
{
	if (era == OL_ERA_B)
		return badness;
	return (long)((unsigned long)badness * 1000 / totalpages);
}

/*
 * Events whose score the re-ranking cannot reproduce, each with the reason,
 * found by reading the log: every other event with a score must reproduce it.
 */
enum why_not {
	/* no task table for this event in the log: nothing to re-rank */
	NO_TASK_TABLE,
	/*
	 * 2.6.36 .. 3.5 task tables print no swapents and no nr_ptes column,
	 * while the badness counts both: only bounds can be checked
	 */
	TABLE_LACKS_SWAP_AND_PTES,
};

static const struct {
	const char *file;
	long pid;		/* the selected task */
	enum why_not why;
} not_reproducible[] = {
	/* the score's event is cut to its two kill lines; the table below is the next event's */
	{ "019.log", 24894, NO_TASK_TABLE },
	/* before 2.6.36 (total_vm, cpu time, run time, children): and no table either */
	{ "039.log", 20273, NO_TASK_TABLE },
	/* 3.2, swap full: the kernel counted ~0.5 M pages of swap and page tables the table omits */
	{ "003.log", 27085, TABLE_LACKS_SWAP_AND_PTES },
};

static int why_not(const char *file, long pid, enum why_not *why)
{
	for (size_t i = 0; i < sizeof(not_reproducible) / sizeof(not_reproducible[0]); i++)
		if (strcmp(not_reproducible[i].file, file) == 0 && not_reproducible[i].pid == pid) {
			*why = not_reproducible[i].why;
			return 1;
		}
	return 0;
}

/*
 * The row the score belongs to: the selected task's, or its thread group's
 * (009: "Kill process 26074" names a thread, "Killed process 24518" its
 * process; they share the mm whose counters the row shows).
 */
static const struct ol_task_row *scored_row(const struct ol_oom_event *ev)
{
	const struct ol_task_row *r = evlist_row(ev, ev->selected_pid);

	for (size_t i = 0; !r && i < ev->ntasks; i++)
		if ((ev->tasks[i].have & OL_COL_TGID) && ev->tasks[i].tgid == ev->selected_pid)
			r = &ev->tasks[i];
	if (!r && ev->nvictims)
		r = evlist_row(ev, ev->victims[0].pid);
	return r;
}

static void check_reproduced(const char *file, const struct ol_oom_event *ev)
{
	const struct ol_prediction *pr = &ev->prediction;
	const struct ol_task_row *r = scored_row(ev);
	enum ol_era era = ol_era_from_release(ev->kernel);
	long s, s_root;

	/* what the log gives for totalpages: the constraint's own numbers */
	if (ev->kind == OL_EV_MEMCG)
		assert_true((ev->have_mem & OL_MEM_MEMCG) != 0);
	else
		assert_int_equal(ev->have_mem & (OL_MEM_PAGES_RAM | OL_MEM_RESERVED | OL_MEM_TOTAL_SWAP),
				 OL_MEM_PAGES_RAM | OL_MEM_RESERVED | OL_MEM_TOTAL_SWAP);
	assert_true(pr->valid);
	assert_non_null(r);
	/* the formula of the release the log names */
	assert_true(era >= OL_ERA_B && era <= OL_ERA_E);
	assert_int_equal(pr->era, era);
	s = logged_score(era, r->badness, pr->totalpages);
	s_root = logged_score(era, r->badness_root, pr->totalpages);
	/* root may or may not have had CAP_SYS_ADMIN (the bonus up to 4.16): the log cannot say */
	if (s != ev->selected_score && !(r->uid == 0 && s_root == ev->selected_score))
		fail_msg("%s: %s[%ld] logged score %ld, re-ranked %ld (with the root bonus %ld), totalpages %lu",
			 file, ev->selected_comm, ev->selected_pid, ev->selected_score, s, s_root, pr->totalpages);
}

/*
 * 003: the upper bound gives the row all the swap in use (Total swap - Free
 * swap) and all the page tables of Mem-Info ("pagetables:17914"), the lower
 * bound none of them.
 */
static void check_bounds_003(const struct ol_oom_event *ev)
{
	const struct ol_task_row *r = scored_row(ev);
	unsigned long pk = (unsigned long)ev->page_size / 1024;
	struct ol_badness_in in = { 0 };
	struct ol_badness lo, hi;

	assert_non_null(r);
	assert_true(ev->prediction.valid);
	assert_int_equal(ev->columns & (OL_COL_SWAPENTS | OL_COL_NR_PTES), 0);
	in.rss = (unsigned long)r->rss;
	in.adj = r->oom_score_adj;
	in.totalpages = ev->prediction.totalpages;
	assert_int_equal(ol_badness(OL_ERA_B, &in, &lo), 0);
	in.swap = (unsigned long)((ev->total_swap_kb - ev->free_swap_kb) / pk);
	in.pgtables = 17914;
	assert_int_equal(ol_badness(OL_ERA_B, &in, &hi), 0);
	assert_int_equal(lo.points, r->badness);
	assert_true(lo.points < ev->selected_score);
	assert_true(ev->selected_score <= hi.points);
}

static void logged_scores(void **state)
{
	char *index = load_fixture("oomlogs/INDEX.tsv", NULL), *line, *save = NULL;
	int reproduced = 0, allocating = 0, skipped = 0, kill_lines = 0;

	for (line = strtok_r(index, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char file[64], rel[96], *text;
		struct evlist l = { 0 };
		size_t len;

		if (sscanf(line, "%63[^\t]", file) != 1 || !strstr(file, ".log"))
			continue;
		/* the kill lines that state a score, counted in the text itself */
		pathf(rel, sizeof(rel), "oomlogs/%s", file);
		text = load_fixture(rel, &len);
		for (const char *p = text; (p = strstr(p, "ill process ")); p++) {
			const char *eol = strchr(p, '\n');

			if (memmem(p, eol ? (size_t)(eol - p) : strlen(p), " score ", 7))
				kill_lines++;
		}
		evlist_parse(&l, text, len, EVLIST_REFERENCE);
		free(text);
		for (size_t i = 0; i < l.n; i++) {
			const struct ol_oom_event *ev = l.v[i];
			enum why_not why;

			if (!ev->have_selected)
				continue;
			if (ev->have_selected == 2) {
				/* oom_kill_allocating_task: out_of_memory() passes points 0 */
				assert_int_equal(ev->selected_score, 0);
				allocating++;
			} else if (!why_not(file, ev->selected_pid, &why)) {
				check_reproduced(file, ev);
				reproduced++;
			} else if (why == NO_TASK_TABLE) {
				assert_int_equal(ev->ntasks, 0);
				assert_false(ev->prediction.valid);
				skipped++;
			} else {
				check_bounds_003(ev);
				skipped++;
			}
		}
		evlist_free(&l);
	}
	free(index);
	/* 002, 004, 009, 032, 035 (three); 030; 003, 019, 039 */
	assert_int_equal(reproduced, 7);
	assert_int_equal(allocating, 1);
	assert_int_equal(skipped, 3);
	assert_int_equal(kill_lines, reproduced + allocating + skipped);
}

/* ---- one log at a time: what its text says ---- */

/* Bare kernel lines (RHEL 7 3.10, as OOMAnalyser carries it). */
static void log_002(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;
	const struct ol_task_row *r;

	evlist_parse_fixture(&l, "002.log");
	ev = only_event(&l);
	assert_string_equal(ev->kernel, "3.10.0-514.6.1.el7.x86_64");
	assert_int_equal(ev->kind, OL_EV_GLOBAL);
	assert_string_equal(ev->constraint, "");
	assert_int_equal(ev->outcome, OL_OUTCOME_KILLED);
	assert_false(ev->partial);
	assert_string_equal(ev->host, "");
	assert_string_equal(ev->time, "");
	assert_true(ev->boot < 0);
	/* "sed invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0" */
	assert_string_equal(ev->trigger_comm, "sed");
	assert_int_equal(ev->trigger_pid, 29481);	/* "CPU: 4 PID: 29481 Comm: sed" */
	assert_string_equal(ev->gfp_mask, "0x201da");
	assert_int_equal(ev->order, 0);
	assert_int_equal(ev->trigger_adj, 0);
	assert_int_equal(ev->have_trigger, OL_TRIG_GFP | OL_TRIG_ORDER | OL_TRIG_ADJ | OL_TRIG_PID |
			 OL_TRIG_COMM);
	assert_string_equal(ev->cpuset, "/");
	assert_string_equal(ev->mems_allowed, "0-1");
	assert_null(ev->oom_memcg);
	/* show_mem() */
	assert_true(ev->pages_ram == 8379834);
	assert_true(ev->pages_reserved == 192987);
	assert_true(ev->free_pages == 39513);		/* " free:39513 free_pcp:2958" */
	assert_true(ev->free_swap_kb == 0);
	assert_true(ev->total_swap_kb == 8388604);
	assert_int_equal(ev->have_mem, OL_MEM_PAGES_RAM | OL_MEM_RESERVED | OL_MEM_FREE |
			 OL_MEM_FREE_SWAP | OL_MEM_TOTAL_SWAP);
	assert_int_equal(ev->page_size, 4096);		/* "Node 0 DMA: 0*4kB 0*8kB ..." */
	/* "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name" */
	assert_true(ev->tasks_seen);
	assert_int_equal(ev->ntasks, 85);
	assert_int_equal(ev->columns, OL_COL_PID | OL_COL_UID | OL_COL_TGID | OL_COL_TOTAL_VM | OL_COL_RSS |
			 OL_COL_NR_PTES | OL_COL_SWAPENTS | OL_COL_OOM_SCORE_ADJ);
	/* "[  390]     0   390    39012     6739      78       51             0 systemd-journal" */
	r = &ev->tasks[0];
	assert_int_equal(r->pid, 390);
	assert_int_equal(r->uid, 0);
	assert_int_equal(r->tgid, 390);
	assert_int_equal(r->total_vm, 39012);
	assert_int_equal(r->rss, 6739);
	assert_int_equal(r->nr_ptes, 78);
	assert_int_equal(r->swapents, 51);
	assert_int_equal(r->oom_score_adj, 0);
	assert_string_equal(r->name, "systemd-journal");
	/* "[  433]     0   433    11104        2      22      360         -1000 systemd-udevd" */
	r = evlist_row(ev, 433);
	assert_non_null(r);
	assert_int_equal(r->oom_score_adj, -1000);
	assert_string_equal(r->name, "systemd-udevd");
	/* "[ 6576] 12345  6576  8478546  5157063   15483  1527848             0 java" */
	r = evlist_row(ev, 6576);
	assert_non_null(r);
	assert_int_equal(r->uid, 12345);
	assert_int_equal(r->rss, 5157063);
	assert_int_equal(r->nr_ptes, 15483);
	assert_int_equal(r->swapents, 1527848);
	assert_string_equal(ev->tasks[84].name, "rotatelogs");
	assert_int_equal(ev->tasks[84].pid, 29752);
	/* "Out of memory: Kill process 6576 (java) score 651 or sacrifice child" */
	assert_int_equal(ev->have_selected, 1);
	assert_int_equal(ev->selected_pid, 6576);
	assert_string_equal(ev->selected_comm, "java");
	assert_int_equal(ev->selected_score, 651);
	/* "Killed process 6576 (java) total-vm:33914892kB, anon-rss:20629004kB, file-rss:0kB, shmem-rss:0kB" */
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 6576, "java");
	assert_int_equal(ev->victims[0].uid, -1);
	assert_true(ev->victims[0].total_vm_kb == 33914892);
	assert_true(ev->victims[0].anon_rss_kb == 20629004);
	assert_true(ev->victims[0].file_rss_kb == 0);
	assert_true(ev->victims[0].shmem_rss_kb == 0);
	assert_int_equal(ev->victims[0].have, OL_VIC_TOTAL_VM | OL_VIC_ANON | OL_VIC_FILE | OL_VIC_SHMEM);
	assert_int_equal(ev->victims[0].reaped, 0);
	assert_int_equal(ev->first_line, 1);
	assert_int_equal(ev->last_line, 145);
	evlist_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(logged_scores),
		cmocka_unit_test(log_002),
	};

	/* year-less syslog dates and dmesg -T stamps are local time */
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
