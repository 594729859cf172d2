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
#include "fixture-load.h"
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
	/* ... and the prediction says so itself */
	assert_int_equal(pr->score, ev->selected_score);
	assert_null(pr->score_note);
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
				assert_string_equal(ev->prediction.score_note, "no task table for this event in the log");
				skipped++;
			} else {
				check_bounds_003(ev);
				assert_non_null(strstr(ev->prediction.score_note, "lacks swapents and nr_ptes"));
				skipped++;
			}
		}
		evlist_free(&l);
	}
	free(index);
	/* 002, 004, 009, 032, 035 (three), 044 (two); 030; 003, 019, 039 */
	assert_int_equal(reproduced, 9);
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

/* ---- every log: the victims its kill lines name, in order (INDEX.tsv, column 7) ---- */

static void index_victims(void **state)
{
	char *index = load_fixture("oomlogs/INDEX.tsv", NULL), *line, *save = NULL;
	int files = 0;

	for (line = strtok_r(index, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *col[9], *save2 = NULL, *got;
		struct evlist l = { 0 };
		size_t sz = 1, off = 0;
		int n = 0;

		for (char *c = strtok_r(line, "\t", &save2); c && n < 9; c = strtok_r(NULL, "\t", &save2))
			col[n++] = c;
		if (n < 9 || !strstr(col[0], ".log"))
			continue;
		evlist_parse_fixture(&l, col[0]);
		for (size_t i = 0; i < l.n; i++)
			for (size_t k = 0; k < l.v[i]->nvictims; k++)
				sz += 24 + strlen(l.v[i]->victims[k].comm);
		got = calloc(1, sz + 8);
		assert_non_null(got);
		for (size_t i = 0; i < l.n; i++) {
			const struct ol_oom_event *ev = l.v[i];

			assert_false(ev->userspace);
			for (size_t k = 0; k < ev->nvictims; k++)
				off += (size_t)snprintf(got + off, sz - off, "%s%ld:%s", off ? "," : "",
							ev->victims[k].pid, ev->victims[k].comm);
		}
		if (strcmp(col[6], "(none)") == 0)
			assert_string_equal(got, "");
		else if (strcmp(got, col[6]) != 0)
			fail_msg("%s: victims %s, the log says %s", col[0], got, col[6]);
		/* has_task_dump: rows of a task table, in some event */
		{
			int rows = 0;

			for (size_t i = 0; i < l.n; i++)
				rows |= l.v[i]->ntasks > 0;
			assert_int_equal(rows, strcmp(col[7], "yes") == 0);
		}
		free(got);
		evlist_free(&l);
		files++;
	}
	free(index);
	assert_int_equal(files, 21);
}

/* dmesg (Ubuntu 12.04, 3.2): "Pid: N, comm: X" header; 2.6.36 .. 3.5 columns */
static void log_003(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;
	const struct ol_task_row *r;

	evlist_parse_fixture(&l, "003.log");
	ev = only_event(&l);
	assert_string_equal(ev->kernel, "3.2.0-23-generic");
	assert_string_equal(ev->time, "[4379596.347992]");
	assert_true(ev->boot > 4379596.347991 && ev->boot < 4379596.347993);
	assert_string_equal(ev->trigger_comm, "mysqld");
	assert_int_equal(ev->trigger_pid, 24310);	/* "Pid: 24310, comm: mysqld" */
	assert_true(ev->have_trigger & OL_TRIG_ADJ);	/* "oom_adj=0, oom_score_adj=0" */
	assert_int_equal(ev->trigger_adj, 0);
	assert_true(ev->pages_ram == 8388592);
	assert_true(ev->pages_reserved == 154844);
	assert_true(ev->free_pages == 41161);
	assert_true(ev->total_swap_kb == 1952764);
	assert_int_equal(ev->page_size, 4096);
	/* "[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name" */
	assert_int_equal(ev->ntasks, 40);
	assert_int_equal(ev->columns, OL_COL_PID | OL_COL_UID | OL_COL_TGID | OL_COL_TOTAL_VM | OL_COL_RSS |
			 OL_COL_CPU | OL_COL_OOM_ADJ | OL_COL_OOM_SCORE_ADJ);
	/* "[27085]   112 27085 10766615  8033034   0       0             0 mysqld" */
	r = evlist_row(ev, 27085);
	assert_non_null(r);
	assert_int_equal(r->uid, 112);
	assert_int_equal(r->total_vm, 10766615);
	assert_int_equal(r->rss, 8033034);
	assert_int_equal(r->cpu, 0);
	assert_int_equal(r->oom_adj, 0);
	assert_string_equal(r->name, "mysqld");
	/* the victim is the process, not the thread that asked (24310) */
	assert_int_equal(ev->selected_pid, 27085);
	assert_int_equal(ev->selected_score, 978);
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 27085, "mysqld");
	assert_true(ev->victims[0].total_vm_kb == 43066460);
	assert_true(ev->victims[0].anon_rss_kb == 32132136);
	/* "file-rss:0kB" and nothing after: no shmem-rss before 4.5 */
	assert_int_equal(ev->victims[0].have, OL_VIC_TOTAL_VM | OL_VIC_ANON | OL_VIC_FILE);
	evlist_free(&l);
}

/* /dev/kmsg records: dictionary lines, \x0a-escaped Mem-Info, much traffic before */
static void log_004(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "004.log");
	ev = only_event(&l);
	assert_string_equal(ev->kernel, "4.8.0-gentoo");
	assert_int_equal(ev->first_line, 91);		/* "4,1530,22664882991,-;i3bar invoked ..." */
	assert_int_equal(ev->last_line, 227);		/* the oom_reaper record */
	/* the record's clock as dmesg shows it, not its prefix "4,1530,22664882991,-" */
	assert_string_equal(ev->time, "[22664.882991]");
	assert_true(ev->boot > 22664.882990 && ev->boot < 22664.882992);
	assert_string_equal(ev->trigger_comm, "i3bar");
	assert_int_equal(ev->trigger_pid, 6530);
	assert_string_equal(ev->gfp_mask, "0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD)");
	assert_string_equal(ev->mems_allowed, "0");
	/* "... mapped:1308 shmem:17562 pagetables:10420 bounce:0\x0a free:11442 free_pcp:93" */
	assert_true(ev->have_mem & OL_MEM_FREE);
	assert_true(ev->free_pages == 11442);
	assert_true(ev->pages_ram == 2066251);
	assert_true(ev->pages_reserved == 54780);
	assert_true(ev->total_swap_kb == 4194300);
	/* "[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name" */
	assert_int_equal(ev->ntasks, 90);
	assert_true(ev->columns & OL_COL_NR_PMDS);
	assert_int_equal(ev->selected_score, 900);
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 13935, "gunpowder-memho");
	assert_true(ev->victims[0].anon_rss_kb == 7716656);
	assert_true(ev->victims[0].file_rss_kb == 4);
	/* "oom_reaper: reaped process 13935 (gunpowder-memho), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB" */
	assert_int_equal(ev->victims[0].reaped, 1);
	assert_true(ev->victims[0].reaped_anon_kb == 0 && ev->victims[0].reaped_file_kb == 0);
	evlist_free(&l);
}

/* kern.log (Ubuntu 20.10, 5.8): the oom-kill: summary, no score; names with spaces */
static void log_008(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;
	const struct ol_task_row *r;
	struct tm tm;

	evlist_parse_fixture(&l, "008.log");
	ev = only_event(&l);
	assert_string_equal(ev->host, "scottubuntu");
	assert_string_equal(ev->time, "Dec  8 01:56:31");
	gmtime_r(&ev->epoch, &tm);	/* the year before the reference (2026-12-01) */
	assert_int_equal(tm.tm_year + 1900, 2025);
	assert_int_equal(tm.tm_mon, 11);
	assert_int_equal(tm.tm_mday, 8);
	assert_int_equal(tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec, 1 * 3600 + 56 * 60 + 31);
	assert_true(ev->boot > 106464.880259 && ev->boot < 106464.880261);
	assert_string_equal(ev->kernel, "5.8.0-32-generic");
	assert_string_equal(ev->trigger_comm, "mono");
	assert_int_equal(ev->trigger_pid, 25017);
	assert_string_equal(ev->gfp_mask, "0x100cca(GFP_HIGHUSER_MOVABLE)");
	/* "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,
	 *  task_memcg=/user.slice/user-1000.slice/session-27.scope,task=kwin_x11,pid=18006,uid=1000" */
	assert_string_equal(ev->constraint, "CONSTRAINT_NONE");
	assert_int_equal(ev->kind, OL_EV_GLOBAL);
	assert_string_equal(ev->nodemask, "(null)");
	assert_string_equal(ev->cpuset, "/");
	assert_string_equal(ev->mems_allowed, "0");
	assert_null(ev->oom_memcg);
	assert_string_equal(ev->task_memcg, "/user.slice/user-1000.slice/session-27.scope");
	assert_true(ev->pages_ram == 4174296);
	assert_true(ev->pages_reserved == 80886);
	assert_true(ev->free_pages == 32994);
	assert_true(ev->total_swap_kb == 2097148);
	/* "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name" */
	assert_int_equal(ev->ntasks, 162);
	assert_int_equal(ev->columns, OL_COL_PID | OL_COL_UID | OL_COL_TGID | OL_COL_TOTAL_VM | OL_COL_RSS |
			 OL_COL_PGTABLES_BYTES | OL_COL_SWAPENTS | OL_COL_OOM_SCORE_ADJ);
	/* "[  18249]  1000 18249   711450    24287  1544192     4777             0 Web Content" */
	r = evlist_row(ev, 18249);
	assert_non_null(r);
	assert_string_equal(r->name, "Web Content");
	assert_int_equal(r->pgtables_bytes, 1544192);
	assert_int_equal(r->swapents, 4777);
	assert_string_equal(evlist_row(ev, 18510)->name, "Privileged Cont");
	assert_string_equal(evlist_row(ev, 18630)->name, "RDD Process");
	/* 5.1 on: no "Kill process ... score" line */
	assert_int_equal(ev->have_selected, 0);
	/* "Out of memory: Killed process 18006 (kwin_x11) total-vm:13442796kB, anon-rss:375524kB,
	 *  file-rss:9979584kB, shmem-rss:40kB, UID:1000 pgtables:21320kB oom_score_adj:0" */
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 18006, "kwin_x11");
	assert_int_equal(ev->victims[0].uid, 1000);
	assert_true(ev->victims[0].total_vm_kb == 13442796);
	assert_true(ev->victims[0].anon_rss_kb == 375524);
	assert_true(ev->victims[0].file_rss_kb == 9979584);
	assert_true(ev->victims[0].shmem_rss_kb == 40);
	assert_true(ev->victims[0].pgtables_kb == 21320);
	assert_int_equal(ev->victims[0].oom_score_adj, 0);
	assert_int_equal(ev->victims[0].have, OL_VIC_TOTAL_VM | OL_VIC_ANON | OL_VIC_FILE | OL_VIC_SHMEM |
			 OL_VIC_PGTABLES | OL_VIC_ADJ);
	/* "oom_reaper: reaped process 18006 (kwin_x11), now anon-rss:0kB, file-rss:9981796kB, shmem-rss:40kB" */
	assert_int_equal(ev->victims[0].reaped, 1);
	assert_true(ev->victims[0].reaped_file_kb == 9981796);
	assert_true(ev->victims[0].reaped_shmem_kb == 40);
	/* a global OOM ranks by the whole machine, and the table agrees with the kill */
	assert_true(ev->prediction.valid);
	assert_true(ev->prediction.agrees);
	assert_int_equal(ev->tasks[ev->prediction.top].pid, 18006);
	evlist_free(&l);
}

/* dmesg, CentOS 7 pod: cgroup v1 memcg, a thread named in "Kill process" */
static void log_009(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "009.log");
	ev = only_event(&l);
	assert_int_equal(ev->kind, OL_EV_MEMCG);
	assert_string_equal(ev->kernel, "3.10.0-693.11.6.el7.x86_64");
	assert_int_equal(ev->trigger_adj, -998);
	assert_string_equal(ev->cpuset,
			    "docker-5d3a4c6e75105b3ef0bdfd215ebec12e9a2d32341f369e75125954cb3eeed903.scope");
	/* "Task in A killed as a result of limit of B" */
	assert_string_equal(ev->task_memcg,
			    "/kubepods.slice/kubepods-podbee65b57_7e71_11e8_9ced_d24398b14524.slice/"
			    "docker-5d3a4c6e75105b3ef0bdfd215ebec12e9a2d32341f369e75125954cb3eeed903.scope");
	assert_string_equal(ev->oom_memcg, "/kubepods.slice/kubepods-podbee65b57_7e71_11e8_9ced_d24398b14524.slice");
	/* "memory: usage 233472kB, limit 233472kB, failcnt 3028" and the memory+swap line */
	assert_int_equal(ev->have_mem, OL_MEM_MEMCG | OL_MEM_MEMSW);
	assert_true(ev->memcg_usage_kb == 233472);
	assert_true(ev->memcg_limit_kb == 233472);
	assert_true(ev->memcg_failcnt == 3028);
	assert_true(ev->memsw_usage_kb == 233472);
	assert_true(ev->memsw_limit_kb == 9007199254740988ULL);
	/* the "Memory cgroup stats for" lines are no rows */
	assert_int_equal(ev->ntasks, 2);
	assert_int_equal(ev->tasks[0].pid, 24389);
	assert_string_equal(ev->tasks[0].name, "pause");
	assert_int_equal(ev->tasks[1].oom_score_adj, -998);
	/* "Kill process 26074" (a thread, in no row) but "Killed process 24518" */
	assert_int_equal(ev->selected_pid, 26074);
	assert_int_equal(ev->selected_score, 54);
	assert_null(evlist_row(ev, 26074));
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 24518, "monocular");
	assert_true(ev->victims[0].memcg);
	assert_true(ev->prediction.agrees);
	evlist_free(&l);
}

/* kern.log of an AKS node: cgroup v2, memory.oom.group, interleaved userspace lines */
static void log_010(void **state)
{
	static const long pids[] = { 7788, 7620, 7656, 7657, 7712, 7788 };
	static const long uids[] = { 0, 0, 101, 101, 0, 0 };
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "010.log");
	ev = only_event(&l);
	assert_string_equal(ev->host, "aks-np0cas-14924781-vmss000008");
	assert_string_equal(ev->kernel, "5.15.0-1087-azure");
	assert_string_equal(ev->trigger_comm, "bash");
	assert_int_equal(ev->trigger_adj, 1000);
	assert_int_equal(ev->kind, OL_EV_MEMCG);
	assert_string_equal(ev->constraint, "CONSTRAINT_MEMCG");
	assert_string_equal(ev->oom_memcg, "/kubepods.slice");
	/* "memory: usage 7464436kB, limit 7464436kB, failcnt 1133", "swap: usage 0kB, limit 9007199254740988kB" */
	assert_int_equal(ev->have_mem, OL_MEM_MEMCG | OL_MEM_SWAP);
	assert_true(ev->memcg_limit_kb == 7464436);
	assert_true(ev->memcg_failcnt == 1133);
	assert_true(ev->swap_usage_kb == 0);
	assert_true(ev->swap_limit_kb == 9007199254740988ULL);
	assert_int_equal(ev->ntasks, 28);
	/* "Tasks in PATH are going to be killed due to memory.oom.group set" */
	assert_string_equal(ev->group_kill,
			    "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-poda5d8fdd1_1369_469e_"
			    "8a7d_2c1047529435.slice/cri-containerd-9192cb33411ff69d015a3577db136757f5b145064a1703"
			    "efea3d0e12e8a64987.scope");
	/* six kernel kill lines; node-problem-detector's quotes of them are no kills */
	assert_int_equal(ev->nvictims, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(ev->victims[i].pid, pids[i]);
		assert_int_equal(ev->victims[i].uid, uids[i]);
		assert_int_equal(ev->victims[i].oom_score_adj, 1000);
		assert_true(ev->victims[i].memcg);
	}
	assert_true(ev->victims[1].file_rss_kb == 3900);
	evlist_free(&l);
}

/* journal lines grepped: the first kill has no head, the second a 7 s gap and no dump */
static void log_013(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "013.log");
	assert_int_equal(l.n, 2);
	ev = l.v[0];
	assert_true(ev->partial);
	assert_int_equal(ev->have_trigger, 0);
	assert_string_equal(ev->host, "slryzen");
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 2309, "wireplumber");
	assert_int_equal(ev->victims[0].uid, 1000);
	assert_int_equal(ev->victims[0].oom_score_adj, 200);
	assert_true(ev->victims[0].pgtables_kb == 136);
	ev = l.v[1];
	assert_false(ev->partial);
	assert_string_equal(ev->time, "Aug 11 09:18:04");
	assert_string_equal(ev->trigger_comm, "claude");
	assert_string_equal(ev->gfp_mask, "0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)");
	assert_string_equal(ev->constraint, "CONSTRAINT_NONE");
	assert_string_equal(ev->cpuset, "user.slice");
	assert_string_equal(ev->task_memcg, "/user.slice/user-109.slice/user@109.service/session.slice/wireplumber.service");
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 2205425, "wireplumber");
	assert_int_equal(ev->victims[0].uid, 109);
	assert_false(ev->tasks_seen);
	assert_int_equal(ev->ntasks, 0);
	assert_false(ev->prediction.valid);
	evlist_free(&l);
}

/* 2.4, 156 kills in 12 days: one event each, three names wrapped onto the next line */
static void log_014(void **state)
{
	struct evlist l = { 0 };

	evlist_parse_fixture(&l, "014.log");
	assert_int_equal(l.n, 156);
	for (size_t i = 0; i < l.n; i++) {
		assert_int_equal(l.v[i]->nvictims, 1);
		assert_string_equal(l.v[i]->host, "monster");
		assert_int_equal(l.v[i]->outcome, OL_OUTCOME_KILLED);
		assert_int_equal(l.v[i]->kind, OL_EV_GLOBAL);
	}
	/* "Out of Memory: Killed process 11300" + "(run-parts)." on the next line */
	assert_victim(&l.v[19]->victims[0], 11300, "run-parts");
	assert_victim(&l.v[20]->victims[0], 11301, "set-time");
	/* pid 504: identd on Mar 22, atd later the same day */
	assert_victim(&l.v[143]->victims[0], 504, "identd");
	assert_victim(&l.v[154]->victims[0], 504, "atd");
	evlist_free(&l);
}

/* bare lines (openSUSE 5.8): a cpuset OOM; the reaper names tasks killed earlier */
static void log_018(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "018.log");
	ev = only_event(&l);
	assert_string_equal(ev->trigger_comm, "runc:[2:INIT]");
	assert_int_equal(ev->trigger_pid, 8291);
	assert_string_equal(ev->kernel, "5.8.2-0.g71b519a-default");
	assert_string_equal(ev->gfp_mask, "0x500cc2(GFP_HIGHUSER|__GFP_ACCOUNT)");
	assert_string_equal(ev->constraint, "CONSTRAINT_CPUSET");
	assert_int_equal(ev->kind, OL_EV_CPUSET);
	assert_string_equal(ev->cpuset, "docker-9976a269caec812c134fa317f27487ee36e1129beba7278a463dd53e5fb9997b.scope");
	assert_string_equal(ev->mems_allowed, "4");
	assert_string_equal(ev->task_memcg, "/system.slice/containerd.service");
	assert_null(ev->oom_memcg);
	assert_true(ev->free_pages == 159849484);
	assert_int_equal(ev->page_size, 4096);	/* "Node 4 Movable: 1*4kB (M) ..." */
	assert_false(ev->tasks_seen);		/* the poster removed the dump */
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 4100, "containerd");
	assert_int_equal(ev->victims[0].uid, 0);
	/* five reaper lines, none for 4100 */
	assert_int_equal(ev->victims[0].reaped, 0);
	evlist_free(&l);
}

/* syslog of an Alibaba RHEL 6 build: "kernel: : [ts]", "Killed process N, UID N, (name)" */
static void log_019(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "019.log");
	assert_int_equal(l.n, 2);
	ev = l.v[0];
	assert_string_equal(ev->host, "v125000100.bja");
	assert_true(ev->boot > 22254383.898422 && ev->boot < 22254383.898424);
	assert_true(ev->partial);
	assert_int_equal(ev->selected_pid, 24894);
	assert_int_equal(ev->selected_score, 277);
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 24894, "big_mm");
	assert_int_equal(ev->victims[0].uid, 55120);
	assert_true(ev->victims[0].total_vm_kb == 2301932);
	assert_true(ev->victims[0].anon_rss_kb == 2228452);
	assert_true(ev->victims[0].file_rss_kb == 24);
	/* the next event: head and the first 10 rows of its table, no victim */
	ev = l.v[1];
	assert_string_equal(ev->kernel, "2.6.32-220.23.2.ali878.el6.x86_64");
	assert_string_equal(ev->trigger_comm, "big_mm");
	assert_int_equal(ev->trigger_pid, 24893);
	assert_string_equal(ev->gfp_mask, "0x280da");
	assert_int_equal(ev->trigger_adj, 0);
	assert_int_equal(ev->nvictims, 0);
	assert_int_equal(ev->outcome, OL_OUTCOME_UNKNOWN);
	assert_true(ev->partial);
	assert_int_equal(ev->ntasks, 10);
	assert_int_equal(ev->tasks[0].oom_adj, -17);
	assert_int_equal(ev->tasks[0].oom_score_adj, -1000);
	assert_string_equal(ev->tasks[9].name, "multilog");
	assert_int_equal(ev->tasks[9].uid, 99);
	evlist_free(&l);
}

/* dmesg -T in French, filtered by egrep: two rows and the kill */
static void log_021(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;
	const struct ol_task_row *r;

	evlist_parse_fixture(&l, "021.log");
	ev = only_event(&l);
	assert_string_equal(ev->time, "[dim. 19 avril 18:03:30 2026]");
	assert_int_equal(ev->epoch, 1776621810);	/* 2026-04-19 18:03:30 (TZ=UTC) */
	assert_int_equal(ev->ntasks, 2);
	assert_int_equal(ev->columns, OL_COL_PID | OL_COL_UID | OL_COL_TGID | OL_COL_TOTAL_VM | OL_COL_RSS |
			 OL_COL_RSS_ANON | OL_COL_RSS_FILE | OL_COL_RSS_SHMEM | OL_COL_PGTABLES_BYTES |
			 OL_COL_SWAPENTS | OL_COL_OOM_SCORE_ADJ);
	/* "[  43056]  1000 43056  7511161  3403343  3388364    14371       608 32583680   518157           200 colmap" */
	r = evlist_row(ev, 43056);
	assert_non_null(r);
	assert_int_equal(r->rss, 3403343);
	assert_int_equal(r->rss_anon, 3388364);
	assert_int_equal(r->rss_file, 14371);
	assert_int_equal(r->rss_shmem, 608);
	assert_int_equal(r->pgtables_bytes, 32583680);
	assert_int_equal(r->swapents, 518157);
	assert_int_equal(r->oom_score_adj, 200);
	assert_int_equal(evlist_row(ev, 1365)->oom_score_adj, -900);
	assert_string_equal(ev->constraint, "CONSTRAINT_NONE");
	assert_int_equal(ev->kind, OL_EV_GLOBAL);
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 43056, "colmap");
	assert_int_equal(ev->victims[0].uid, 1000);
	assert_int_equal(ev->victims[0].oom_score_adj, 200);
	assert_int_equal(ev->victims[0].reaped, 1);
	assert_true(ev->victims[0].reaped_file_kb == 192);
	assert_true(ev->victims[0].reaped_shmem_kb == 176);
	evlist_free(&l);
}

/* journalctl -f from the middle of a cgroup v2 event; a sudo line after it */
static void log_023(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "023.log");
	ev = only_event(&l);
	assert_true(ev->partial);
	assert_string_equal(ev->host, "node03");
	assert_string_equal(ev->constraint, "CONSTRAINT_MEMCG");
	assert_int_equal(ev->kind, OL_EV_MEMCG);
	assert_string_equal(ev->oom_memcg, "/liz");
	assert_string_equal(ev->task_memcg, "/liz");
	assert_string_equal(ev->cpuset, "liz");
	assert_int_equal(ev->have_mem & OL_MEM_MEMCG, 0);	/* no "memory: usage" line in the excerpt */
	assert_int_equal(ev->ntasks, 2);
	assert_int_equal(evlist_row(ev, 10233)->rss_anon, 12608);
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 10233, "mem_stress");
	assert_true(ev->victims[0].anon_rss_kb == 50432);
	assert_true(ev->victims[0].memcg);
	evlist_free(&l);
}

/* a patched kernel: unknown constraint, gfp_mask=0x0(), an unstamped continuation */
static void log_025(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "025.log");
	ev = only_event(&l);
	assert_string_equal(ev->trigger_comm, "kworker/u17:0");
	assert_string_equal(ev->gfp_mask, "0x0()");
	/* "CPU: 1 UID: 0 PID: 74 Comm: kworker/u17:0 Not tainted 6.16.0-00015-gf09eb0d6badc" */
	assert_int_equal(ev->trigger_pid, 74);
	assert_string_equal(ev->kernel, "6.16.0-00015-gf09eb0d6badc");
	assert_string_equal(ev->constraint, "CONSTRAINT_BPF_PSI_MEM");
	assert_string_equal(ev->oom_memcg, "/cgroup-test-work-dir673/oom_test/cg2");
	assert_int_equal(ev->kind, OL_EV_MEMCG);
	assert_true(ev->memcg_usage_kb == 42240);
	assert_true(ev->memcg_limit_kb == 9007199254740988ULL);
	assert_true(ev->have_mem & OL_MEM_SWAP);
	assert_true(ev->swap_limit_kb == 0);
	assert_int_equal(ev->ntasks, 1);
	assert_int_equal(ev->tasks[0].pid, 675);
	assert_int_equal(ev->tasks[0].rss_anon, 10712);
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 675, "test_progs");
	assert_true(ev->prediction.agrees);
	evlist_free(&l);
}

/* a patched kernel's extra column "(01)nrss": it ranks by node-1 rss, we cannot */
static void log_027(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;
	const struct ol_task_row *r;

	evlist_parse_fixture(&l, "027.log");
	ev = only_event(&l);
	assert_true(ev->partial);
	assert_true(ev->columns & OL_COL_UNKNOWN);
	assert_int_equal(ev->ntasks, 4);
	/* "[  12399]     0 12399  1311306  1311056   262170 10534912        0             0 a.out" */
	r = evlist_row(ev, 12399);
	assert_non_null(r);
	assert_int_equal(r->rss, 1311056);
	assert_int_equal(r->pgtables_bytes, 10534912);
	assert_string_equal(ev->constraint, "CONSTRAINT_MEMORY_POLICY");
	assert_int_equal(ev->kind, OL_EV_MEMPOLICY);
	assert_string_equal(ev->nodemask, "1");
	assert_string_equal(ev->mems_allowed, "0-2");
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 13135, "a.out");
	assert_int_equal(ev->victims[0].reaped, 1);
	/* a stock ranking picks 12399 (more rss): the kernel's own choice is not reproduced */
	assert_true(ev->prediction.valid);
	assert_int_equal(ev->tasks[ev->prediction.top].pid, 12399);
	assert_false(ev->prediction.agrees);
	assert_non_null(strstr(ev->prediction.cause, "patched kernel"));
	evlist_free(&l);
}

/* boot-time OOM with only kernel threads: no victim, then the panic */
static void log_028(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "028.log");
	ev = only_event(&l);
	assert_string_equal(ev->trigger_comm, "kworker/u4:0");
	assert_int_equal(ev->trigger_pid, 7);
	assert_string_equal(ev->kernel, "5.12.0-11533-ge7cb072eb988");
	assert_int_equal(ev->outcome, OL_OUTCOME_NO_VICTIM);
	assert_int_equal(ev->nvictims, 0);
	assert_string_equal(ev->panic, "Kernel panic - not syncing: System is deadlocked on memory");
	assert_true(ev->tasks_seen);
	assert_int_equal(ev->ntasks, 0);
	assert_true(ev->pages_ram == 4194174);
	assert_true(ev->pages_reserved == 108001);
	assert_true(ev->free_pages == 3987860);
	assert_int_equal(ev->have_mem & (OL_MEM_TOTAL_SWAP | OL_MEM_FREE_SWAP), 0);	/* no swap lines */
	assert_false(ev->prediction.valid);
	evlist_free(&l);
}

/* vm.oom_kill_allocating_task: the victim is the allocating task, in no row */
static void log_030(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "030.log");
	ev = only_event(&l);
	assert_true(ev->partial);
	assert_string_equal(ev->host, "server-03");
	assert_int_equal(ev->ntasks, 35);
	assert_true(ev->columns & OL_COL_CPU);
	assert_int_equal(ev->have_selected, 2);
	assert_int_equal(ev->selected_pid, 18992);
	assert_int_equal(ev->selected_score, 0);
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 18992, "httpd.worker");
	assert_int_equal(ev->victims[0].uid, 48);
	assert_true(ev->victims[0].allocating_task);
	assert_true(ev->victims[0].total_vm_kb == 3355660);
	assert_null(evlist_row(ev, 18992));
	assert_false(ev->prediction.agrees);
	assert_int_equal(ev->prediction.victim_row, -1);
	assert_non_null(strstr(ev->prediction.cause, "oom_kill_allocating_task"));
	/* the table's largest is 18598 (478973 pages) */
	assert_int_equal(ev->tasks[ev->prediction.top].pid, 18598);
	evlist_free(&l);
}

/* journalctl: Mem-Info continued on lines indented by 36 spaces; lines cut by the pager */
static void log_032(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "032.log");
	ev = only_event(&l);
	assert_string_equal(ev->host, "asrocke350m1");
	assert_string_equal(ev->trigger_comm, "updatedb.mlocat");
	assert_int_equal(ev->trigger_pid, 2314);
	assert_string_equal(ev->gfp_mask, "0x16040d0(GFP_TEMPORARY|__GFP_COMP|__GFP_NOTRACK)");
	/* "..., nodemask=" and the pager's cut: no order, no adj, no nodemask */
	assert_int_equal(ev->have_trigger & (OL_TRIG_ORDER | OL_TRIG_ADJ), 0);
	assert_string_equal(ev->nodemask, "");
	assert_string_equal(ev->kernel, "4.10.0-rc6-686-pae");
	/* "                                    free:1381579 free_pcp:583 free_cma:0" */
	assert_true(ev->free_pages == 1381579);
	assert_true(ev->free_swap_kb == 4194300);
	assert_true(ev->total_swap_kb == 4194300);
	assert_true(ev->pages_ram == 1994197);
	assert_true(ev->pages_reserved == 22689);
	assert_int_equal(ev->ntasks, 94);
	assert_int_equal(ev->selected_score, 27);
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 2798, "firefox-esr");
	assert_true(ev->victims[0].shmem_rss_kb == 68);
	evlist_free(&l);
}

/* journalctl: three OOMs in four seconds, the tables shrinking as victims die */
static void log_035(void **state)
{
	static const struct {
		const char *trigger;
		long trigger_pid, order, victim, score;
		const char *comm;
		size_t rows;
		unsigned long long free;
		int reaped;
	} want[] = {
		{ "kthreadd", 2, 1, 12950, 38, "firefox", 60, 77600, 1 },
		{ "xfce4-terminal", 5825, 0, 13594, 8, "xz", 59, 141692, 0 },
		{ "xfce4-terminal", 5825, 0, 13494, 7, "python", 58, 157498, 1 },
	};
	struct evlist l = { 0 };

	evlist_parse_fixture(&l, "035.log");
	assert_int_equal(l.n, 3);
	for (size_t i = 0; i < 3; i++) {
		const struct ol_oom_event *ev = l.v[i];

		assert_string_equal(ev->kernel, "4.9.0-gentoo");
		assert_string_equal(ev->trigger_comm, want[i].trigger);
		assert_int_equal(ev->trigger_pid, want[i].trigger_pid);
		assert_int_equal(ev->order, want[i].order);
		assert_string_equal(ev->nodemask, "0");	/* "nodemask=0," */
		assert_int_equal(ev->ntasks, want[i].rows);
		assert_true(ev->free_pages == want[i].free);
		assert_int_equal(ev->selected_pid, want[i].victim);
		assert_int_equal(ev->selected_score, want[i].score);
		assert_int_equal(ev->nvictims, 1);
		assert_victim(&ev->victims[0], want[i].victim, want[i].comm);
		assert_int_equal(ev->victims[0].reaped, want[i].reaped);
	}
	/* the third: root (4.9 still had the bonus) could have been first without it */
	assert_false(l.v[2]->prediction.agrees);
	assert_true(l.v[2]->prediction.root_bonus_changes);
	evlist_free(&l);
}

/* cgroup v1 with memory+swap limits (cadvisor's docker memhogs, 4.8): totalpages from the limits */
static void log_044(void **state)
{
	static const char *const cg[] = {
		"/docker/2e088fe462e25e60be1dafafe2c05c47bda1a97978648d10ad2b7484fc0b8f50",
		"/docker/6c6fcab8562fd3150854986b78552c732f234fd405b624207b8843528a145e70",
	};
	static const long pid[] = { 1381, 1667 }, score[] = { 1046, 1003 };
	/* limit + min(memsw limit - limit, total swap), in 4 KiB pages */
	static const unsigned long total[] = { 5120 + 5120, 76800 + 76800 };
	struct evlist l = { 0 };

	evlist_parse_fixture(&l, "044.log");
	assert_int_equal(l.n, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct ol_oom_event *ev = l.v[i];
		const struct ol_prediction *pr = &ev->prediction;

		assert_int_equal(ev->kind, OL_EV_MEMCG);
		assert_string_equal(ev->oom_memcg, cg[i]);
		assert_non_null(ev->target_cgroup);
		assert_string_equal(ev->target_cgroup, cg[i]);
		assert_victim(&ev->victims[0], pid[i], "gunpowder-memho");
		assert_int_equal(ev->page_size, 4096);	/* from the victim's total-vm */
		assert_int_equal(pr->totalpages, total[i]);
		assert_int_equal(pr->score, score[i]);
		assert_int_equal(ev->selected_score, score[i]);
	}
	/* the first group swapped 20460kB of its 20480kB headroom: the total swap is not known to hold it */
	assert_true(l.v[0]->prediction.totalpages_estimated);
	assert_non_null(strstr(l.v[0]->prediction.totalpages_note, "total swap"));
	/* the second swapped more than its headroom: the total swap held it */
	assert_false(l.v[1]->prediction.totalpages_estimated);
	assert_null(l.v[1]->prediction.totalpages_note);
	evlist_free(&l);
}

/*
 * 044's first event with its memory+swap line replaced by @swap_line (the
 * limit, 20480kB, is 5120 pages): the prediction, in @l.
 */
static const struct ol_prediction *memcg_044_with(struct evlist *l, const char *swap_line)
{
	size_t len;
	char *text = load_fixture("oomlogs/044.log", &len);
	char *m = strstr(text, "memory+swap: usage 40940kB, limit 40960kB, failcnt 6\n");
	char *second = strstr(text + 1, "gunpowder-memho invoked oom-killer");
	char *buf;
	size_t n;

	assert_non_null(m);
	assert_non_null(second = strstr(second + 1, "gunpowder-memho invoked oom-killer"));
	buf = malloc(len + 256);
	assert_non_null(buf);
	n = (size_t)snprintf(buf, len + 256, "%.*s%s\n%.*s", (int)(m - text), text, swap_line,
			     (int)(second - strchr(m, '\n') - 1), strchr(m, '\n') + 1);
	evlist_parse(l, buf, n, EVLIST_REFERENCE);
	free(buf);
	free(text);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->v[0]->kind, OL_EV_MEMCG);
	return &l->v[0]->prediction;
}

/*
 * A memcg OOM logs no "Total swap".  mem_cgroup_get_max() (oomlens-kernel(7),
 * TOTALPAGES) does not need it when the group may swap nothing: totalpages is
 * then the limit, exact.  When it may swap without limit, it is needed.
 */
static void memcg_total_swap_not_logged(void **state)
{
	struct evlist l = { 0 };
	const struct ol_prediction *pr;

	/* v1, memory+swap limit = memory limit: no headroom */
	pr = memcg_044_with(&l, "memory+swap: usage 20480kB, limit 20480kB, failcnt 6");
	assert_int_equal(pr->totalpages, 5120);
	assert_false(pr->totalpages_estimated);
	assert_null(pr->totalpages_note);
	evlist_free(&l);
	/* v2, swap.max 0 */
	pr = memcg_044_with(&l, "swap: usage 0kB, limit 0kB, failcnt 0");
	assert_int_equal(pr->totalpages, 5120);
	assert_false(pr->totalpages_estimated);
	evlist_free(&l);
	/* v2, swap.max unlimited: limit + min(swap.max, total swap) needs the total swap */
	pr = memcg_044_with(&l, "swap: usage 0kB, limit 9007199254740988kB, failcnt 0");
	assert_true(pr->totalpages_estimated);
	assert_non_null(strstr(pr->totalpages_note, "total swap"));
	evlist_free(&l);
	/* v1 with swap not accounted (memsw usage 0, limit unlimited): the total swap still counts */
	pr = memcg_044_with(&l, "memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0");
	assert_int_equal(pr->totalpages, 5120);
	assert_true(pr->totalpages_estimated);
	assert_non_null(strstr(pr->totalpages_note, "not accounted"));
	evlist_free(&l);
	/* no swap line at all (a cut log): said so */
	pr = memcg_044_with(&l, "kmem: usage 0kB, limit 9007199254740988kB, failcnt 0");
	assert_true(pr->totalpages_estimated);
	assert_non_null(strstr(pr->totalpages_note, "no swap limit"));
	evlist_free(&l);
}

/* Feed one kill line stamped "%b %e %H:%M:%S" at @t (local time) to @p. */
static void kill_at(struct ol_logparser *p, time_t t)
{
	char stamp[32], line[256];
	struct tm tm;
	int n;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s host kernel: Out of memory: Killed process 4242 (hog) "
		     "total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB", stamp);
	assert_int_equal(ol_logparser_line(p, line, (size_t)n), 0);
	ol_logparser_flush(p, 0);
}

/*
 * A year-less date comes before the log's last one (log_end)... unless the
 * log is followed: a line written two hours after the end it had when it
 * was opened is today's, not dated a year back.
 */
static void yearless_date_when_following(void **state)
{
	struct evlist l = { 0 };
	time_t now = time(NULL);
	struct ol_logparser_opts o = { .on_event = evlist_keep, .data = &l, .reference = now - 3 * 3600,
				       .log_end = now - 3 * 3600 };
	struct ol_logparser *p = ol_logparser_new(&o);

	(void)state;
	assert_non_null(p);
	kill_at(p, now - 3600);		/* read as part of the file: after its end, so a year back */
	ol_logparser_live(p);
	kill_at(p, now - 60);		/* written while followed */
	ol_logparser_free(p);
	assert_int_equal(l.n, 2);
	assert_true(l.v[0]->epoch < now - 360 * 86400);
	assert_true(l.v[0]->epoch_assumed & OL_TIME_YEAR_ASSUMED);
	assert_int_equal(l.v[1]->epoch, now - 60);
	evlist_free(&l);
}

/* ---- everything the kernel printed ---- */

/* 002 (RHEL 7, 3.10): Mem-Info in full, the zones, the hardware, the hex gfp mask decoded */
static void mem_dump_002(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;
	const struct ol_zone *z;
	char flags[256];

	evlist_parse_fixture(&l, "002.log");
	ev = only_event(&l);
	/* " active_anon:7355653 inactive_anon:660960 isolated_anon:0" ... " free:39513 free_pcp:2958 free_cma:0" */
	assert_int_equal(ev->meminfo_have, (1u << OL_MI_N) - 1);
	assert_true(ev->meminfo[OL_MI_ACTIVE_ANON] == 7355653);
	assert_true(ev->meminfo[OL_MI_INACTIVE_ANON] == 660960);
	assert_true(ev->meminfo[OL_MI_ISOLATED_FILE] == 32);
	assert_true(ev->meminfo[OL_MI_SLAB_RECLAIMABLE] == 27412);
	assert_true(ev->meminfo[OL_MI_SHMEM] == 87896);
	assert_true(ev->meminfo[OL_MI_FREE] == 39513);
	assert_true(ev->meminfo[OL_MI_FREE_PCP] == 2958);
	assert_true(ev->meminfo[OL_MI_SWAPCACHE] == 11342);	/* "11342 pages in swap cache" */
	assert_string_equal(ev->hardware, "HP ProLiant DL385 G7, BIOS A18 12/08/2012");
	assert_int_equal(ev->nzones, 4);
	/* "Node 0 Normal free:36692kB min:36784kB low:45980kB high:55176kB ... managed:13368348kB" */
	z = &ev->zones[2];
	assert_int_equal(z->node, 0);
	assert_string_equal(z->name, "Normal");
	assert_true(z->free_kb == 36692 && z->min_kb == 36784 && z->low_kb == 45980 && z->high_kb == 55176);
	assert_true(z->managed_kb == 13368348);
	assert_true(ol_zone_is_under_min(z));
	/* the reserve merged onto the zone's line (as posted): "lowmem_reserve[]: 0 2780 15835 15835" */
	assert_int_equal(ev->zones[0].nreserve, 4);
	assert_int_equal(ev->zones[0].reserve[2], 15835);
	/* "Node 0 Normal: 1231*4kB (UEM) 391*8kB (UEM) 456*16kB ..." */
	assert_int_equal(z->norders, 11);
	assert_int_equal(z->blocks[0], 1231);
	assert_int_equal(z->blocks[2], 456);
	assert_int_equal(ol_zone_blocks_at(z, 5), 23);
	for (int i = 0; i < 4; i++)
		assert_int_equal(ol_zone_is_under_min(&ev->zones[i]), i == 2);
	/* "gfp_mask=0x201da": GFP_HIGHUSER_MOVABLE (0x200da) and __GFP_COLD (0x100) */
	assert_true(ol_gfp_decode(ev->gfp_mask, flags, sizeof(flags)));
	assert_string_equal(flags, "GFP_HIGHUSER_MOVABLE|__GFP_COLD");
	assert_false(ol_oom_event_is_manual(ev));
	evlist_free(&l);
	/* a mask the kernel printed with its names is not decoded again */
	assert_false(ol_gfp_decode("0x100cca(GFP_HIGHUSER_MOVABLE)", flags, sizeof(flags)));
}

/* 035's first event: order 1, and how many free blocks of order 1 or more each zone had */
static void mem_dump_order(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "035.log");
	ev = l.v[0];
	assert_int_equal(ev->order, 1);
	assert_int_equal(ev->nzones, 3);
	assert_int_equal(ev->zones[0].node, -1);	/* "DMA free:..." names no node */
	/* "DMA: 2*4kB (U) 2*8kB ..." order 1 and up */
	assert_int_equal(ol_zone_blocks_at(&ev->zones[0], 1), 9);
	assert_string_equal(ev->zones[1].name, "Normal");
	assert_true(ol_zone_is_under_min(&ev->zones[1]));
	evlist_free(&l);
}

/*
 * 025 (6.16): "CPU: 1 UID: 0 PID: 74 Comm: kworker/u17:0"; and a manual OOM
 * (sysrq-f), lines from OOMAnalyser's example_ubuntu2110 (5.13).
 */
static void trigger_uid_and_manual(void **state)
{
	static const char manual[] =
		"kworker/0:2 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0\n"
		"CPU: 0 PID: 735 Comm: kworker/0:2 Not tainted 5.13.0-19-generic #19-Ubuntu\n"
		"Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS ArchLinux 1.14.0-1 04/01/2014\n";
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "025.log");
	ev = only_event(&l);
	assert_true(ev->have_trigger & OL_TRIG_UID);
	assert_int_equal(ev->trigger_uid, 0);
	assert_int_equal(ev->trigger_pid, 74);
	evlist_free(&l);

	evlist_parse(&l, manual, strlen(manual), EVLIST_REFERENCE);
	ev = only_event(&l);
	assert_true(ol_oom_event_is_manual(ev));
	assert_false(ev->have_trigger & OL_TRIG_UID);
	assert_string_equal(ev->hardware, "QEMU Standard PC (i440FX + PIIX, 1996), BIOS ArchLinux 1.14.0-1 04/01/2014");
	evlist_free(&l);
}

/* ---- logs as people paste them: 035 and 013 with lines taken out or put in ---- */

/*
 * @file's lines without those holding any of @drop (NULL-terminated), each
 * followed by @after (NULL: nothing), through a fresh parser.
 */
static void parse_edited(struct evlist *l, const char *file, const char *const *drop,
			 const char *after)
{
	char rel[64], *text, *out, *o;
	size_t len;

	snprintf(rel, sizeof(rel), "oomlogs/%s", file);
	text = load_fixture(rel, &len);
	out = malloc(len * 4 + 1);
	assert_non_null(out);
	o = out;
	for (char *s = text, *end = text + len; s < end; ) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		int keep = 1;

		for (size_t i = 0; drop && drop[i]; i++)
			if (memmem(s, n, drop[i], strlen(drop[i])))
				keep = 0;
		if (keep) {
			memcpy(o, s, n);
			o += n;
			*o++ = '\n';
			if (after)
				o = stpcpy(o, after);
		}
		s += n + 1;
	}
	evlist_parse(l, out, (size_t)(o - out), EVLIST_REFERENCE);
	free(out);
	free(text);
}

/* the kill lines suppressed: the reaper's line names the victim, or only the selection */
static void victims_without_kill_lines(void **state)
{
	static const char *const drop[] = { "Killed process", NULL };
	static const char *const drop_all[] = { "Killed process", "Kill process", NULL };
	struct evlist l = { 0 };

	parse_edited(&l, "035.log", drop, NULL);
	assert_int_equal(l.n, 3);
	assert_victim(&l.v[0]->victims[0], 12950, "firefox");
	assert_int_equal(l.v[0]->victims[0].seen, OL_SEEN_REAPED);
	assert_int_equal(l.v[0]->victims[0].reaped, 1);
	assert_true(l.v[0]->victims[0].reaped_file_kb == 96);
	assert_int_equal(l.v[0]->outcome, OL_OUTCOME_KILLED);
	assert_false(l.v[0]->partial);
	/* xz has no reaper line: selected, not seen killed */
	assert_victim(&l.v[1]->victims[0], 13594, "xz");
	assert_int_equal(l.v[1]->victims[0].seen, OL_SEEN_SELECTED);
	assert_int_equal(l.v[1]->outcome, OL_OUTCOME_UNKNOWN);
	assert_true(l.v[1]->partial);
	assert_victim(&l.v[2]->victims[0], 13494, "python");
	assert_int_equal(l.v[2]->victims[0].seen, OL_SEEN_REAPED);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(l.v[i]->nvictims, 1);
	evlist_free(&l);

	/* no selection either: the reaper alone */
	parse_edited(&l, "035.log", drop_all, NULL);
	assert_int_equal(l.n, 3);
	assert_victim(&l.v[0]->victims[0], 12950, "firefox");
	assert_int_equal(l.v[1]->nvictims, 0);
	assert_victim(&l.v[2]->victims[0], 13494, "python");
	evlist_free(&l);
}

/* 013 without its kill lines: the oom-kill: summary names the victim */
static void victim_from_summary(void **state)
{
	static const char *const drop[] = { "Killed process", NULL };
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	parse_edited(&l, "013.log", drop, NULL);
	assert_true(l.n >= 1);
	ev = l.v[l.n - 1];
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 2205425, "wireplumber");
	assert_int_equal(ev->victims[0].uid, 109);
	assert_int_equal(ev->victims[0].seen, OL_SEEN_SUMMARY);
	assert_int_equal(ev->outcome, OL_OUTCOME_KILLED);
	evlist_free(&l);
}

/* a mail client's blank line between every record: the same three events */
static void blank_line_between_records(void **state)
{
	struct evlist l = { 0 };

	parse_edited(&l, "035.log", NULL, "\n");
	assert_int_equal(l.n, 3);
	assert_victim(&l.v[0]->victims[0], 12950, "firefox");
	assert_int_equal(l.v[0]->ntasks, 60);
	assert_int_equal(l.v[0]->trigger_pid, 2);
	assert_victim(&l.v[2]->victims[0], 13494, "python");
	assert_int_equal(l.v[2]->ntasks, 58);
	evlist_free(&l);
}

/*
 * Another CPU's warning, line by line between the event's own (the lines a
 * WARN() prints, from the kernel's own format: "CPU: N PID: N Comm: ..."
 * names a different task): the trigger keeps its own pid.
 */
static void oops_interleaved(void **state)
{
	struct evlist l = { 0 };

	parse_edited(&l, "035.log", NULL,
		     "Dec 16 18:56:29 boerne.fritz.box kernel: CPU: 3 PID: 4242 Comm: kworker/3:1 Tainted: G        W       4.9.0-gentoo #3\n");
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0]->trigger_pid, 2);
	assert_int_equal(l.v[1]->trigger_pid, 5825);
	assert_int_equal(l.v[0]->ntasks, 60);
	assert_victim(&l.v[1]->victims[0], 13594, "xz");
	evlist_free(&l);
}

/* before 2.6.36: "kill process N (x) score S or a child", "vsz:" */
static void log_039(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "039.log");
	ev = only_event(&l);
	assert_int_equal(ev->have_selected, 1);
	assert_int_equal(ev->selected_pid, 20273);
	assert_string_equal(ev->selected_comm, "httpd");
	assert_int_equal(ev->selected_score, 1285879);
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 1917, "php-cgi");
	assert_true(ev->victims[0].total_vm_kb == 467184);	/* "vsz:467184kB" */
	assert_true(ev->victims[0].anon_rss_kb == 101196);
	assert_true(ev->victims[0].file_rss_kb == 204);
	evlist_free(&l);
}

/* one grepped line: a memcg kill of a task with oom_score_adj 1000 */
static void log_043(void **state)
{
	struct evlist l = { 0 };
	const struct ol_oom_event *ev;

	evlist_parse_fixture(&l, "043.log");
	ev = only_event(&l);
	assert_true(ev->partial);
	assert_int_equal(ev->kind, OL_EV_MEMCG);
	assert_int_equal(ev->nvictims, 1);
	assert_victim(&ev->victims[0], 4971, "netdata");
	assert_int_equal(ev->victims[0].uid, 201);
	assert_int_equal(ev->victims[0].oom_score_adj, 1000);
	assert_true(ev->victims[0].pgtables_kb == 100);
	assert_true(ev->victims[0].memcg);
	evlist_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(logged_scores),
		cmocka_unit_test(index_victims),
		cmocka_unit_test(log_002),
		cmocka_unit_test(log_003),
		cmocka_unit_test(log_004),
		cmocka_unit_test(log_008),
		cmocka_unit_test(log_009),
		cmocka_unit_test(log_010),
		cmocka_unit_test(log_013),
		cmocka_unit_test(log_014),
		cmocka_unit_test(log_018),
		cmocka_unit_test(log_019),
		cmocka_unit_test(log_021),
		cmocka_unit_test(log_023),
		cmocka_unit_test(log_025),
		cmocka_unit_test(log_027),
		cmocka_unit_test(log_028),
		cmocka_unit_test(log_030),
		cmocka_unit_test(log_032),
		cmocka_unit_test(log_035),
		cmocka_unit_test(log_039),
		cmocka_unit_test(log_043),
		cmocka_unit_test(log_044),
		cmocka_unit_test(memcg_total_swap_not_logged),
		cmocka_unit_test(yearless_date_when_following),
		cmocka_unit_test(mem_dump_002),
		cmocka_unit_test(mem_dump_order),
		cmocka_unit_test(trigger_uid_and_manual),
		cmocka_unit_test(victims_without_kill_lines),
		cmocka_unit_test(victim_from_summary),
		cmocka_unit_test(blank_line_between_records),
		cmocka_unit_test(oops_interleaved),
	};

	/* year-less syslog dates and dmesg -T stamps are local time */
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
