// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Comparing two snapshots (lib/diff.c ol_snapshot_diff()) built in memory:
 * each kind of change on its own, the thresholds that keep noise out, and a
 * reused pid, which is another process.
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

#include "oomlens/snapshot.h"

#define THRESHOLD	50
#define TOP		5

static struct ol_snap_proc proc(long pid, long long start, long score, long adj, long rank)
{
	struct ol_snap_proc p = {
		.pid = pid, .ppid = 1, .starttime = start, .uid = 1000,
		.comm = NULL, .oom_score = score, .oom_score_adj = adj, .oom_adj = 0,
		.rss = 4096, .anon = 4096, .file = 0, .shmem = 0, .swap = 0, .pgtables = 0,
		.killable = adj != -1000, .rank = rank,
		.have = OL_SNAP_SCORE | OL_SNAP_ADJ | OL_SNAP_START | OL_SNAP_PPID,
	};

	return p;
}

static struct ol_snapshot snap(struct ol_snap_proc *v, size_t n)
{
	struct ol_snapshot s = { .version = OL_SNAPSHOT_VERSION, .page_size = 4096, .totalpages = 1000000,
				 .procs = v, .n = n };

	s.sysctl.have = 0x1f;
	s.sysctl.overcommit_ratio = 50;
	s.sysctl.oom_dump_tasks = 1;
	return s;
}

/* The one change of type @t in @d (there must be exactly one). */
static const struct ol_change *only(const struct ol_diff *d, enum ol_change_type t)
{
	const struct ol_change *c = NULL;

	assert_int_equal(d->count[t], 1);
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].type == t)
			c = &d->v[i];
	assert_non_null(c);
	return c;
}

static void diff(const struct ol_snapshot *a, const struct ol_snapshot *b, long threshold, struct ol_diff *d)
{
	assert_int_equal(ol_snapshot_diff(a, b, threshold, TOP, d), 0);
	/* the counts add up to the list */
	size_t sum = 0;

	for (int t = 0; t < OL_CH_NTYPES; t++)
		sum += d->count[t];
	assert_int_equal(sum, d->n);
}

static void same(void **state)
{
	struct ol_snap_proc v[] = { proc(1, 10, 666, 0, 3), proc(200, 20, 900, 0, 1), proc(300, 30, 800, 0, 2) };
	struct ol_snapshot a = snap(v, 3);
	struct ol_diff d;

	diff(&a, &a, THRESHOLD, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.matched, 3);
	assert_int_equal(d.appeared + d.left, 0);
	ol_diff_free(&d);
}

static void new_process(void **state)
{
	struct ol_snap_proc o[] = { proc(200, 20, 900, 0, 1), proc(300, 30, 800, 0, 2) };
	struct ol_snap_proc n[] = { proc(200, 20, 900, 0, 1), proc(300, 30, 800, 0, 2), proc(400, 40, 700, 0, 3),
				    proc(500, 50, 100, 0, 9), proc(600, 60, 0, -1000, 0) };
	struct ol_snapshot a = snap(o, 2), b = snap(n, 5);
	struct ol_diff d;
	int seen400 = 0, seen600 = 0;

	diff(&a, &b, THRESHOLD, &d);
	assert_int_equal(d.appeared, 3);
	assert_int_equal(d.matched, 2);
	/* 400 enters the top 5, 600 can never be killed; 500 (rank 9) is only counted */
	assert_int_equal(d.count[OL_CH_APPEARED], 2);
	for (size_t i = 0; i < d.n; i++) {
		const struct ol_change *c = &d.v[i];

		if (c->type != OL_CH_APPEARED)
			continue;
		assert_null(c->old);
		assert_non_null(c->new);
		assert_int_equal(c->new_value, c->new->oom_score);
		seen400 |= c->new->pid == 400;
		seen600 |= c->new->pid == 600;
	}
	assert_true(seen400 && seen600);
	assert_int_equal(d.n, 2);
	ol_diff_free(&d);
}

static void gone_process(void **state)
{
	struct ol_snap_proc o[] = { proc(200, 20, 900, 0, 1), proc(300, 30, 800, 0, 2), proc(700, 70, 50, 0, 12) };
	struct ol_snap_proc n[] = { proc(200, 20, 900, 0, 1) };
	struct ol_snapshot a = snap(o, 3), b = snap(n, 1);
	struct ol_diff d;
	const struct ol_change *c;

	diff(&a, &b, THRESHOLD, &d);
	assert_int_equal(d.left, 2);
	c = only(&d, OL_CH_LEFT);	/* 700 was not in the top 5 */
	assert_int_equal(c->old->pid, 300);
	assert_null(c->new);
	assert_int_equal(c->old_value, 800);
	assert_int_equal(d.n, 1);
	ol_diff_free(&d);
}

static void score_over_threshold(void **state)
{
	struct ol_snap_proc o[] = { proc(200, 20, 900, 0, 1), proc(300, 30, 800, 0, 2), proc(400, 40, 100, 0, 3) };
	struct ol_snap_proc n[] = { proc(200, 20, 949, 0, 1), proc(300, 30, 750, 0, 2), proc(400, 40, 101, 0, 3) };
	struct ol_snapshot a = snap(o, 3), b = snap(n, 3);
	struct ol_diff d;
	const struct ol_change *c;

	/* +49 and +1 are under 50; -50 is not */
	diff(&a, &b, THRESHOLD, &d);
	c = only(&d, OL_CH_SCORE);
	assert_int_equal(c->old->pid, 300);
	assert_int_equal(c->new->pid, 300);
	assert_int_equal(c->old_value, 800);
	assert_int_equal(c->new_value, 750);
	assert_int_equal(d.n, 1);
	ol_diff_free(&d);
	/* 0 and 1: every move, the biggest first */
	for (long t = 0; t <= 1; t++) {
		diff(&a, &b, t, &d);
		assert_int_equal(d.count[OL_CH_SCORE], 3);
		assert_int_equal(d.v[0].new->pid, 300);
		assert_int_equal(d.v[1].new->pid, 200);
		assert_int_equal(d.v[2].new->pid, 400);
		ol_diff_free(&d);
	}
}

static void adj_changes(void **state)
{
	struct ol_snap_proc o[] = { proc(200, 20, 900, 0, 1), proc(300, 30, 800, 0, 2), proc(400, 40, 0, -1000, 0),
				    proc(500, 50, 700, 0, 3) };
	struct ol_snap_proc n[] = { proc(200, 20, 900, 500, 1), proc(300, 30, 0, -1000, 0), proc(400, 40, 700, 0, 2),
				    proc(500, 50, 700, 0, 3) };
	struct ol_snapshot a = snap(o, 4), b = snap(n, 4);
	struct ol_diff d;
	const struct ol_change *c;

	/* scores and ranks of 300 and 400 change too: count only the adj kinds here */
	diff(&a, &b, 100000, &d);
	c = only(&d, OL_CH_ADJ);
	assert_int_equal(c->new->pid, 200);
	assert_int_equal(c->old_value, 0);
	assert_int_equal(c->new_value, 500);
	c = only(&d, OL_CH_BECAME_UNKILLABLE);	/* not an OL_CH_ADJ as well */
	assert_int_equal(c->new->pid, 300);
	assert_int_equal(c->new_value, -1000);
	c = only(&d, OL_CH_BECAME_KILLABLE);
	assert_int_equal(c->new->pid, 400);
	assert_int_equal(c->old_value, -1000);
	assert_int_equal(c->new_value, 0);
	ol_diff_free(&d);
}

/* oom_adj -17 alone (a kernel before 2.6.36 kept only it) is unkillable too. */
static void legacy_oom_adj(void **state)
{
	struct ol_snap_proc o[] = { proc(200, 20, 900, 0, 1) };
	struct ol_snap_proc n[] = { proc(200, 20, 0, 0, 0) };
	struct ol_snapshot a = snap(o, 1), b = snap(n, 1);
	struct ol_diff d;

	o[0].have = n[0].have = OL_SNAP_SCORE | OL_SNAP_OOMADJ | OL_SNAP_START;
	n[0].oom_adj = -17;
	diff(&a, &b, 100000, &d);
	assert_int_equal(only(&d, OL_CH_BECAME_UNKILLABLE)->new->pid, 200);
	assert_int_equal(d.count[OL_CH_ADJ], 0);
	ol_diff_free(&d);
}

static void first_in_line(void **state)
{
	struct ol_snap_proc o[] = { proc(200, 20, 900, 0, 1), proc(300, 30, 800, 0, 2), proc(400, 40, 10, 0, 8) };
	struct ol_snap_proc n[] = { proc(200, 20, 900, 0, 2), proc(300, 30, 800, 0, 3), proc(400, 40, 10, 0, 1) };
	struct ol_snapshot a = snap(o, 3), b = snap(n, 3);
	struct ol_diff d;
	const struct ol_change *c;

	diff(&a, &b, THRESHOLD, &d);
	c = only(&d, OL_CH_FIRST_IN_LINE);
	assert_int_equal(c->old->pid, 200);
	assert_int_equal(c->new->pid, 400);
	/* the list starts with it */
	assert_int_equal(d.v[0].type, OL_CH_FIRST_IN_LINE);
	/* each rank move in the top 5, the biggest first: 400 from 8 to 1 */
	assert_int_equal(d.count[OL_CH_RANK], 3);
	assert_int_equal(d.v[1].type, OL_CH_RANK);
	assert_int_equal(d.v[1].new->pid, 400);
	assert_int_equal(d.v[1].old_value, 8);
	assert_int_equal(d.v[1].new_value, 1);
	assert_int_equal(d.n, 4);
	ol_diff_free(&d);
	/* the same process first in both: nothing to say */
	diff(&a, &a, THRESHOLD, &d);
	assert_int_equal(d.count[OL_CH_FIRST_IN_LINE], 0);
	ol_diff_free(&d);
}

/* A pid reused by another process (another start time) is one that left and one that came. */
static void pid_reuse(void **state)
{
	struct ol_snap_proc o[] = { proc(200, 20, 900, 0, 1) };
	struct ol_snap_proc n[] = { proc(200, 99, 300, 0, 1) };
	struct ol_snapshot a = snap(o, 1), b = snap(n, 1);
	struct ol_diff d;

	diff(&a, &b, THRESHOLD, &d);
	assert_int_equal(d.matched, 0);
	assert_int_equal(d.left, 1);
	assert_int_equal(d.appeared, 1);
	assert_int_equal(d.count[OL_CH_SCORE], 0);
	assert_int_equal(only(&d, OL_CH_LEFT)->old->starttime, 20);
	assert_int_equal(only(&d, OL_CH_APPEARED)->new->starttime, 99);
	/* first in line: the old and the new process, though the pid is the same */
	assert_int_equal(d.count[OL_CH_FIRST_IN_LINE], 1);
	ol_diff_free(&d);
}

static void sysctl_and_totalpages(void **state)
{
	struct ol_snap_proc v[] = { proc(200, 20, 900, 0, 1) };
	struct ol_snapshot a = snap(v, 1), b = snap(v, 1);
	struct ol_diff d;
	const struct ol_change *c;

	b.sysctl.panic_on_oom = 1;
	b.totalpages = 1000000 + 262144;	/* 1 GiB of swap added */
	diff(&a, &b, THRESHOLD, &d);
	c = only(&d, OL_CH_SYSCTL);
	assert_string_equal(c->sysctl, "vm.panic_on_oom");
	assert_int_equal(c->old_value, 0);
	assert_int_equal(c->new_value, 1);
	c = only(&d, OL_CH_TOTALPAGES);
	assert_int_equal(c->old_value, 1000000);
	assert_int_equal(c->new_value, 1262144);
	ol_diff_free(&d);
	/* a sysctl that one side could not read is no change */
	b.sysctl.have &= ~(1u << 2);
	diff(&a, &b, THRESHOLD, &d);
	assert_int_equal(d.count[OL_CH_SYSCTL], 0);
	ol_diff_free(&d);
}

/* Many processes, every one moved: each change once, in order of size. */
static void many_changes(void **state)
{
	enum { N = 5000 };
	struct ol_snap_proc *o = calloc(N, sizeof(*o)), *n = calloc(N, sizeof(*n));
	struct ol_snapshot a, b;
	struct ol_diff d;

	assert_non_null(o);
	assert_non_null(n);
	for (long i = 0; i < N; i++) {
		o[i] = proc(1000 + i, i, 100, 0, 0);
		/* in reverse order, so that the hash table does the matching */
		n[N - 1 - i] = proc(1000 + i, i, 100 + 1 + i % 700, 0, 0);
	}
	a = snap(o, N);
	b = snap(n, N);
	diff(&a, &b, 1, &d);
	assert_int_equal(d.matched, N);
	assert_int_equal(d.count[OL_CH_SCORE], N);
	for (size_t i = 1; i < d.n; i++) {
		long long m0 = d.v[i - 1].new_value - d.v[i - 1].old_value, m1 = d.v[i].new_value - d.v[i].old_value;

		assert_true(m0 > m1 || (m0 == m1 && d.v[i - 1].new->pid < d.v[i].new->pid));
	}
	ol_diff_free(&d);
	free(o);
	free(n);
}

static void type_names(void **state)
{
	static const char *const want[OL_CH_NTYPES] = {
		"first_in_line", "became_unkillable", "became_killable", "adj_changed", "appeared", "left",
		"score_changed", "rank_changed", "sysctl_changed", "totalpages_changed",
	};

	for (int t = 0; t < OL_CH_NTYPES; t++)
		assert_string_equal(ol_change_type_str((enum ol_change_type)t), want[t]);
	assert_string_equal(ol_change_type_str(OL_CH_NTYPES), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same),
		cmocka_unit_test(new_process),
		cmocka_unit_test(gone_process),
		cmocka_unit_test(score_over_threshold),
		cmocka_unit_test(adj_changes),
		cmocka_unit_test(legacy_oom_adj),
		cmocka_unit_test(first_in_line),
		cmocka_unit_test(pid_reuse),
		cmocka_unit_test(sysctl_and_totalpages),
		cmocka_unit_test(many_changes),
		cmocka_unit_test(type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
