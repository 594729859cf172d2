// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The snapshot codec (lib/snapshot.c): a snapshot of the 6.18 sysroot
 * (tests/fixtures/root-6.18, see tests/fixtures/README.md) holds what the
 * tree's files say and comes back from its JSON field for field; the loader
 * refuses malformed, truncated and out-of-range documents with -EINVAL (a
 * newer format with -ERANGE) and a reason, and takes back the values at the
 * edges of its ranges.
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

#include <cmocka.h>

#include "oomlens/root.h"
#include "oomlens/snapshot.h"

#include "fixtures.h"
#include "fixture-load.h"

/* ---- the tree's own files, read here without the library ---- */

/* root-6.18/proc/PID/NAME */
static char *tree_file(long pid, const char *name)
{
	char rel[PATH_MAX];

	pathf(rel, sizeof(rel), "root-6.18/proc/%ld/%s", pid, name);
	return load_fixture(rel, NULL);
}

static long tree_long(long pid, const char *name)
{
	char *s = tree_file(pid, name);
	long v = strtol(s, NULL, 10);

	free(s);
	return v;
}

/* "Name:\tCOMM\n", the first line of status */
static char *tree_comm(long pid)
{
	char *s = tree_file(pid, "status"), *c;

	assert_memory_equal(s, "Name:\t", 6);
	c = strndup(s + 6, strcspn(s + 6, "\n"));
	free(s);
	return c;
}

/* Field @n (1-based, n >= 3) of stat: counted after the comm's last ')' */
static long long tree_stat_field(long pid, int n)
{
	char *s = tree_file(pid, "stat"), *p = strrchr(s, ')');
	long long v;

	assert_non_null(p);
	p += 2;
	for (int f = 3; f < n; f++)
		p = strchr(p, ' ') + 1;
	v = strtoll(p, NULL, 10);
	free(s);
	return v;
}

static void collect_fixture(struct ol_snapshot *s)
{
	struct ol_root root;
	char dir[PATH_MAX];

	pathf(dir, sizeof(dir), "%s/root-6.18", fixtures());
	assert_int_equal(ol_root_open(&root, dir), 0);
	assert_int_equal(ol_snapshot_collect(&root, s), 0);
	ol_root_close(&root);
}

static const struct ol_snap_proc *find(const struct ol_snapshot *s, long pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

static const long fixture_pids[] = { 1, 2, 2310, 5658, 5659, 5660, 5661, 5662, 5747, 5910 };
#define NPIDS (sizeof(fixture_pids) / sizeof(fixture_pids[0]))

/* ---- collect ---- */

static void collect_the_tree(void **state)
{
	struct ol_snapshot s;
	char *release = load_fixture("root-6.18/proc/sys/kernel/osrelease", NULL);
	static const char *const sysctl[] = {
		"overcommit_memory", "overcommit_ratio", "panic_on_oom", "oom_kill_allocating_task",
		"oom_dump_tasks",
	};
	long *sysctl_v[5];

	collect_fixture(&s);
	release[strcspn(release, "\n")] = '\0';
	assert_int_equal(s.version, OL_SNAPSHOT_VERSION);
	assert_string_equal(s.kernel, release);
	assert_int_equal(s.page_size, 4096);		/* proc/self/smaps: "KernelPageSize: 4 kB" */
	assert_true(s.mem_total_kb == 24683620);	/* meminfo "MemTotal:       24683620 kB" */
	assert_true(s.swap_total_kb == 0);
	assert_int_equal(s.totalpages, 24683620 / 4);
	sysctl_v[0] = &s.sysctl.overcommit_memory;
	sysctl_v[1] = &s.sysctl.overcommit_ratio;
	sysctl_v[2] = &s.sysctl.panic_on_oom;
	sysctl_v[3] = &s.sysctl.oom_kill_allocating_task;
	sysctl_v[4] = &s.sysctl.oom_dump_tasks;
	assert_int_equal(s.sysctl.have, 0x1f);
	for (int i = 0; i < 5; i++) {
		char rel[128];
		char *v;

		pathf(rel, sizeof(rel), "root-6.18/proc/sys/vm/%s", sysctl[i]);
		v = load_fixture(rel, NULL);
		assert_int_equal(*sysctl_v[i], strtol(v, NULL, 10));
		free(v);
	}
	assert_int_equal(s.n, NPIDS);
	for (size_t i = 0; i < NPIDS; i++) {
		long pid = fixture_pids[i];
		const struct ol_snap_proc *p = find(&s, pid);
		char *comm = tree_comm(pid);

		assert_non_null(p);
		assert_string_equal(p->comm, comm);
		assert_int_equal(p->oom_score, tree_long(pid, "oom_score"));
		assert_int_equal(p->oom_score_adj, tree_long(pid, "oom_score_adj"));
		assert_int_equal(p->oom_adj, tree_long(pid, "oom_adj"));
		assert_true(p->starttime == tree_stat_field(pid, 22));
		assert_int_equal(p->ppid, tree_stat_field(pid, 4));
		assert_int_equal(p->have & (OL_SNAP_SCORE | OL_SNAP_ADJ | OL_SNAP_OOMADJ | OL_SNAP_PPID | OL_SNAP_START),
				 OL_SNAP_SCORE | OL_SNAP_ADJ | OL_SNAP_OOMADJ | OL_SNAP_PPID | OL_SNAP_START);
		free(comm);
	}
	/* the hostile name, byte for byte: ESC and TAB */
	assert_string_equal(find(&s, 5661)->comm, "ev\x1b[31mil\ttab");
	assert_string_equal(find(&s, 5662)->comm, "x) (y");
	/* a kernel thread and a zombie hold no memory and are never ranked */
	assert_int_equal(find(&s, 2)->rank, 0);
	assert_int_equal(find(&s, 5910)->rank, 0);
	free(release);
	ol_snapshot_free(&s);
}

/* The ranks follow the kernel's own oom_score wherever it tells two processes apart. */
static void ranks_follow_oom_score(void **state)
{
	struct ol_snapshot s;
	long ranked = 0;

	collect_fixture(&s);
	for (size_t i = 0; i < s.n; i++) {
		const struct ol_snap_proc *a = &s.procs[i];

		if (!a->rank)
			continue;
		ranked++;
		for (size_t k = 0; k < s.n; k++) {
			const struct ol_snap_proc *b = &s.procs[k];

			if (b->rank && a->oom_score > b->oom_score && a->rank > b->rank)
				fail_msg("pid %ld (oom_score %ld) ranked %ld, after pid %ld (oom_score %ld) at %ld",
					 a->pid, a->oom_score, a->rank, b->pid, b->oom_score, b->rank);
		}
	}
	assert_true(ranked >= 7);
	assert_int_equal(find(&s, 5662)->rank, 1);	/* oom_score 1333, adj 1000 */
	assert_int_equal(find(&s, 5660)->rank, 2);	/* 1200 */
	assert_int_equal(find(&s, 5658)->rank, 3);	/* 869 */
	ol_snapshot_free(&s);
}

/* ---- round trip ---- */

static void assert_str_or_null(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_same_snapshot(const struct ol_snapshot *a, const struct ol_snapshot *b)
{
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->time, b->time);
	assert_string_equal(a->hostname, b->hostname);
	assert_string_equal(a->kernel, b->kernel);
	assert_int_equal(a->page_size, b->page_size);
	assert_true(a->mem_total_kb == b->mem_total_kb);
	assert_true(a->swap_total_kb == b->swap_total_kb);
	assert_int_equal(a->totalpages, b->totalpages);
	assert_memory_equal(&a->sysctl, &b->sysctl, sizeof(a->sysctl));
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct ol_snap_proc *p = &a->procs[i], *q = &b->procs[i];

		assert_int_equal(p->pid, q->pid);
		assert_int_equal(p->have, q->have);
		if (p->have & OL_SNAP_PPID)
			assert_int_equal(p->ppid, q->ppid);
		if (p->have & OL_SNAP_START)
			assert_true(p->starttime == q->starttime);
		assert_true(p->uid == q->uid);
		assert_str_or_null(p->comm, q->comm);
		assert_str_or_null(p->cmdline, q->cmdline);
		assert_str_or_null(p->cgroup, q->cgroup);
		if (p->have & OL_SNAP_SCORE)
			assert_int_equal(p->oom_score, q->oom_score);
		if (p->have & OL_SNAP_ADJ)
			assert_int_equal(p->oom_score_adj, q->oom_score_adj);
		if (p->have & OL_SNAP_OOMADJ)
			assert_int_equal(p->oom_adj, q->oom_adj);
		assert_true(p->rss == q->rss && p->anon == q->anon && p->file == q->file);
		assert_true(p->shmem == q->shmem && p->swap == q->swap && p->pgtables == q->pgtables);
		if (p->have & OL_SNAP_BADNESS)
			assert_true(p->badness == q->badness);
		assert_int_equal(p->killable, q->killable);
		assert_int_equal(p->rank, q->rank);
	}
}

static void round_trip_fixture(void **state)
{
	struct ol_snapshot s, back;
	char err[256] = "", *json, *json2;

	collect_fixture(&s);
	json = ol_snapshot_to_json(&s, NULL);
	assert_non_null(json);
	assert_int_equal(ol_snapshot_from_json(json, strlen(json), &back, err, sizeof(err)), 0);
	assert_same_snapshot(&s, &back);
	/* and the same text again */
	json2 = ol_snapshot_to_json(&back, NULL);
	assert_non_null(json2);
	assert_string_equal(json, json2);
	free(json);
	free(json2);
	ol_snapshot_free(&back);
	ol_snapshot_free(&s);
}

/* ---- the edges of the loader's ranges ---- */

static struct ol_snapshot edge_snapshot(struct ol_snap_proc *p)
{
	struct ol_snapshot s = { 0 };

	s.version = OL_SNAPSHOT_VERSION;
	s.time = 0;
	s.page_size = 1 << 24;
	/* format 2 writes bytes in a signed 64-bit number: the most kB it holds */
	s.mem_total_kb = (1ULL << 53) - 1;
	s.swap_total_kb = (1ULL << 53) - 1;
	s.totalpages = 1UL << 62;
	s.sysctl.overcommit_memory = INT32_MIN;
	s.sysctl.oom_dump_tasks = INT32_MAX;
	s.sysctl.have = 1u << 0 | 1u << 4;
	s.procs = p;
	s.n = 1;
	return s;
}

static void edges_round_trip(void **state)
{
	/* 63 bytes that are not UTF-8 (all ol_proc keeps) grow to 63 U+FFFD: OL_SNAP_COMM_MAX bytes */
	char comm[64], want[OL_SNAP_COMM_MAX + 1] = "";
	struct ol_snap_proc hi = {
		.pid = 0x7fffffff, .ppid = 0x7fffffff, .starttime = INT64_MAX, .uid = 0xffffffffLL,
		.comm = comm, .cmdline = "", .cgroup = "/",
		.oom_score = 100000, .oom_score_adj = 1000, .oom_adj = 15,
		.rss = 1LL << 62, .anon = 1LL << 62, .file = 1LL << 62, .shmem = 1LL << 62,
		.swap = 1LL << 62, .pgtables = 1LL << 62, .badness = 1LL << 62, .killable = 1,
		.rank = 0x7fffffff,
		.have = OL_SNAP_SCORE | OL_SNAP_ADJ | OL_SNAP_OOMADJ | OL_SNAP_BADNESS | OL_SNAP_PPID | OL_SNAP_START,
	};
	struct ol_snap_proc lo = {
		.pid = 1, .ppid = 0, .starttime = 0, .uid = 0,
		.oom_score = 0, .oom_score_adj = -1000, .oom_adj = -17,
		.rss = 0, .anon = 0, .file = 0, .shmem = 0, .swap = 0, .pgtables = 0,
		.badness = -(1LL << 62), .killable = 0, .rank = 1,
		.have = OL_SNAP_SCORE | OL_SNAP_ADJ | OL_SNAP_OOMADJ | OL_SNAP_BADNESS | OL_SNAP_PPID | OL_SNAP_START,
	};
	/* unknown: every optional field null */
	struct ol_snap_proc none = { .pid = 4242, .uid = -1, .rss = -1, .anon = -1, .file = -1, .shmem = -1,
				     .swap = -1, .pgtables = -1, .killable = -1 };
	struct ol_snap_proc *cases[] = { &hi, &lo, &none };
	char err[256];

	memset(comm, 0xff, 63);
	comm[63] = '\0';
	for (int i = 0; i < 63; i++)
		strcat(want, "\xef\xbf\xbd");
	assert_int_equal(strlen(want), OL_SNAP_COMM_MAX);
	for (size_t i = 0; i < 3; i++) {
		struct ol_snapshot s = edge_snapshot(cases[i]), back;
		char *json = ol_snapshot_to_json(&s, NULL);

		assert_non_null(json);
		err[0] = '\0';
		if (ol_snapshot_from_json(json, strlen(json), &back, err, sizeof(err)) != 0)
			fail_msg("case %zu: %s", i, err);
		if (cases[i] == &hi) {
			/* the only change: bytes that are not UTF-8 written as U+FFFD */
			assert_string_equal(back.procs[0].comm, want);
			hi.comm = want;
		}
		assert_same_snapshot(&s, &back);
		free(json);
		ol_snapshot_free(&back);
	}
}

/*
 * The writer's side of the shared ranges: what a copied tree can hold and no
 * kernel writes (oomlens-kernel(7): oom_score_adj -1000..1000, oom_adj
 * -17..15) is written as null, the fields that cannot be null at the nearest
 * bound, and rows the loader would refuse are left out; every one counted.
 * What the writer writes, the loader loads.
 */
static void writer_keeps_in_range(void **state)
{
	const long long big = LLONG_MAX;
	struct ol_snap_proc p[] = {
		/* an oom_score before 2.6.36 is an unbounded badness: kept */
		{ .pid = 10, .starttime = 5, .uid = 0, .oom_score = 200000, .oom_score_adj = -5000, .oom_adj = 16,
		  .rss = big, .anon = 1, .file = 1, .shmem = 1, .swap = 1, .pgtables = 1, .badness = -big,
		  .killable = 1, .rank = big,
		  .have = OL_SNAP_SCORE | OL_SNAP_ADJ | OL_SNAP_OOMADJ | OL_SNAP_BADNESS | OL_SNAP_START },
		{ .pid = 0, .uid = -1, .rss = -1, .anon = -1, .file = -1, .shmem = -1, .swap = -1, .pgtables = -1,
		  .killable = -1 },
		{ .pid = 0x80000000L, .uid = -1, .rss = -1, .anon = -1, .file = -1, .shmem = -1, .swap = -1,
		  .pgtables = -1, .killable = -1 },
		/* pid 10 again: its start time out of range reads back unknown, 0, so it is a process of its own */
		{ .pid = 10, .starttime = -3, .uid = 0x100000000LL, .rss = -1, .anon = -1, .file = -1, .shmem = -1,
		  .swap = -1, .pgtables = -1, .killable = -1, .have = OL_SNAP_START },
		/* ... and this one is that process again */
		{ .pid = 10, .uid = -1, .rss = -1, .anon = -1, .file = -1, .shmem = -1, .swap = -1, .pgtables = -1,
		  .killable = -1 },
	};
	struct ol_snapshot s = { .version = OL_SNAPSHOT_VERSION, .time = -1, .page_size = 3,
				 .mem_total_kb = ULLONG_MAX, .swap_total_kb = 1, .totalpages = ULONG_MAX,
				 .procs = p, .n = 5 };
	struct ol_snapshot back;
	struct ol_snap_written w;
	char err[256] = "", *json;

	s.sysctl.panic_on_oom = (long)INT32_MAX + 1;
	s.sysctl.oom_dump_tasks = INT32_MIN;
	s.sysctl.have = 1u << 2 | 1u << 4;
	json = ol_snapshot_to_json(&s, &w);
	assert_non_null(json);
	if (ol_snapshot_from_json(json, strlen(json), &back, err, sizeof(err)) != 0)
		fail_msg("the writer's own output refused: %s", err);
	/* time; panic_on_oom; oom_score_adj, oom_adj, rss, badness, rank; starttime, uid */
	assert_int_equal(w.nulled, 9);
	/* page_size, mem_total, total_pages */
	assert_int_equal(w.clamped, 3);
	/* pid 0, pid 2^31, the second pid 10 with no start time */
	assert_int_equal(w.dropped, 3);
	assert_string_equal(w.first, "time_epoch -1 is before 1970: written as null");
	assert_int_equal(back.time, 0);
	assert_int_equal(back.page_size, 512);
	assert_true(back.mem_total_kb == (unsigned long long)INT64_MAX / 1024);
	assert_true(back.swap_total_kb == 1);
	assert_true(back.totalpages == 1UL << 62);
	assert_int_equal(back.sysctl.have, 1u << 4);
	assert_int_equal(back.sysctl.oom_dump_tasks, INT32_MIN);
	assert_int_equal(back.n, 2);
	assert_int_equal(back.procs[0].pid, 10);
	assert_int_equal(back.procs[0].have, OL_SNAP_SCORE | OL_SNAP_START);
	assert_int_equal(back.procs[0].oom_score, 200000);
	assert_true(back.procs[0].rss == -1 && back.procs[0].anon == 1 && back.procs[0].rank == 0);
	assert_int_equal(back.procs[1].pid, 10);
	assert_int_equal(back.procs[1].have, 0);
	assert_true(back.procs[1].uid == -1);
	free(json);
	ol_snapshot_free(&back);

	/* a note names a process by pid */
	s.time = 0;
	s.page_size = 4096;
	s.mem_total_kb = 1024;
	s.totalpages = 256;
	s.sysctl.have = 0;
	s.n = 1;
	json = ol_snapshot_to_json(&s, &w);
	assert_non_null(json);
	assert_string_equal(w.first, "pid 10: oom_score_adj -5000 is outside -1000..1000: written as null");
	free(json);
}

/* ---- the loader reads as the text comes ---- */

struct pieces {
	const char *text;
	size_t len, at, step;
	int fail_at;		/* -EIO once this many bytes are read, 0 never */
};

/* 1, 2, ... step bytes a call, round and round: every boundary falls somewhere else */
static long read_pieces(void *arg, char *buf, size_t n)
{
	struct pieces *p = arg;
	size_t k = p->at % p->step + 1;

	if (p->fail_at && p->at >= (size_t)p->fail_at)
		return -EIO;
	if (k > n)
		k = n;
	if (k > p->len - p->at)
		k = p->len - p->at;
	memcpy(buf, p->text + p->at, k);
	p->at += k;
	return (long)k;
}

static void reads_in_pieces(void **state)
{
	/* strings holding what the lexer watches for: quotes, escapes, brackets, commas */
	struct ol_snap_proc odd[] = {
		{ .pid = 7, .comm = "a\"b{[,]}\\", .cmdline = "x \\\" ] } , [ {", .cgroup = "/\\u0041\\\\",
		  .uid = -1, .rss = -1, .anon = -1, .file = -1, .shmem = -1, .swap = -1, .pgtables = -1,
		  .killable = -1 },
		{ .pid = 8, .starttime = 3, .comm = "\x01\x1f\"", .uid = 5, .rss = 1, .anon = -1, .file = -1,
		  .shmem = -1, .swap = -1, .pgtables = -1, .killable = 1, .have = OL_SNAP_START },
	};
	struct ol_snapshot s = { .version = OL_SNAPSHOT_VERSION, .page_size = 4096, .mem_total_kb = 4,
				 .totalpages = 1, .procs = odd, .n = 2 }, fix, back;
	struct ol_snapshot *cases[] = { &s, &fix };
	char err[256];

	snprintf(s.hostname, sizeof(s.hostname), "h{o}s[t]\"");
	collect_fixture(&fix);
	for (size_t c = 0; c < 2; c++) {
		char *json = ol_snapshot_to_json(cases[c], NULL);

		assert_non_null(json);
		for (size_t step = 1; step <= 7; step++) {
			struct pieces p = { json, strlen(json), 0, step, 0 };

			err[0] = '\0';
			if (ol_snapshot_read(read_pieces, &p, &back, err, sizeof(err)) != 0)
				fail_msg("case %zu, pieces of 1..%zu bytes: %s", c, step, err);
			assert_string_equal(back.hostname, cases[c]->hostname);
			assert_same_snapshot(cases[c], &back);
			ol_snapshot_free(&back);
		}
		/* a read that fails: its error, nothing kept */
		struct pieces p = { json, strlen(json), 0, 5, (int)strlen(json) / 2 };

		assert_int_equal(ol_snapshot_read(read_pieces, &p, &back, err, sizeof(err)), -EIO);
		assert_string_equal(err, "read error");
		assert_null(back.procs);
		free(json);
	}
	ol_snapshot_free(&fix);
}

/* ---- what the loader refuses ---- */

#define HEAD "{\"format\":\"oomlens-snapshot\",\"version\":1,\"page_size\":4096,\"mem_total_kb\":1000," \
	     "\"totalpages\":250,"
#define S10 "0123456789"
#define PROC(fields) HEAD "\"processes\":[{\"pid\":1," fields "}]}"

static const struct {
	const char *json;
	int rc;
	const char *why;	/* a piece of the message */
} refused[] = {
	{ "", -EINVAL, "empty" },
	{ "   \n", -EINVAL, "truncated" },
	{ "{", -EINVAL, "truncated" },
	{ "{\"format\":\"oomlens-snapshot\",\"version\":1", -EINVAL, "truncated" },
	{ "[]", -EINVAL, "not an oomlens snapshot" },
	{ "\"oomlens-snapshot\"", -EINVAL, "not an oomlens snapshot" },
	{ "{\"format\":\"something-else\",\"version\":1}", -EINVAL, "not an oomlens snapshot" },
	{ "{\"format\":7}", -EINVAL, "not an oomlens snapshot" },
	{ "{\"format\":\"oomlens-snapshot\"}", -EINVAL, "version" },
	{ "{\"format\":\"oomlens-snapshot\",\"version\":0}", -EINVAL, "version" },
	{ "{\"format\":\"oomlens-snapshot\",\"version\":\"1\"}", -EINVAL, "version" },
	{ "{\"format\":\"oomlens-snapshot\",\"version\":3}", -ERANGE, "newer" },
	{ "{\"format\":\"oomlens-snapshot\",\"version\":1,\"mem_total_kb\":1000,\"totalpages\":250,"
	  "\"processes\":[]}", -EINVAL, "page_size" },
	{ HEAD "\"processes\":{}}", -EINVAL, "processes" },
	{ HEAD "\"processes\":null}", -EINVAL, "processes" },
	{ HEAD "\"processes\":[]} x", -EINVAL, "trailing" },
	{ HEAD "\"processes\":[]}}", -EINVAL, "trailing" },
	{ HEAD "\"processes\":[]", -EINVAL, "truncated" },
	{ HEAD "\"processes\":[7]}", -EINVAL, "processes[0]" },
	{ HEAD "\"processes\":[{}]}", -EINVAL, "processes[0].pid" },
	{ HEAD "\"sysctl\":[],\"processes\":[]}", -EINVAL, "sysctl" },
	{ HEAD "\"sysctl\":{\"panic_on_oom\":2147483648},\"processes\":[]}", -EINVAL, "sysctl.panic_on_oom" },
	{ HEAD "\"hostname\":7,\"processes\":[]}", -EINVAL, "hostname" },
	{ PROC("\"pid\":0"), -EINVAL, "pid" },
	{ PROC("\"pid\":-1"), -EINVAL, "pid" },
	{ PROC("\"pid\":2147483648"), -EINVAL, "pid" },
	{ PROC("\"pid\":1.5"), -EINVAL, "pid" },
	{ PROC("\"pid\":\"1\""), -EINVAL, "pid" },
	{ PROC("\"uid\":4294967296"), -EINVAL, "uid" },
	{ PROC("\"uid\":-1"), -EINVAL, "uid" },
	{ PROC("\"starttime\":9223372036854775808"), -EINVAL, "starttime" },
	{ PROC("\"starttime\":-1"), -EINVAL, "starttime" },
	{ PROC("\"oom_score_adj\":1001"), -EINVAL, "oom_score_adj" },
	{ PROC("\"oom_score_adj\":-1001"), -EINVAL, "oom_score_adj" },
	{ PROC("\"oom_adj\":-18"), -EINVAL, "oom_adj" },
	{ PROC("\"oom_adj\":16"), -EINVAL, "oom_adj" },
	{ PROC("\"oom_score\":-1"), -EINVAL, "oom_score" },
	{ PROC("\"rss\":4611686018427387905"), -EINVAL, "rss" },
	{ PROC("\"swap\":-1"), -EINVAL, "swap" },
	{ PROC("\"badness\":4611686018427387905"), -EINVAL, "badness" },
	{ PROC("\"rank\":0"), -EINVAL, "rank" },
	{ PROC("\"killable\":1"), -EINVAL, "killable" },
	{ PROC("\"comm\":[\"a\"]"), -EINVAL, "comm" },
	{ PROC("\"comm\":\"" S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 "\""),
	  -EINVAL, "comm" },	/* 190 bytes, OL_SNAP_COMM_MAX + 1 */
	{ PROC("\"rss\":1e400"), -EINVAL, "rss" },
	{ PROC("\"rss\":NaN"), -EINVAL, "" },
	/* what the lexer checks between the rows, and the order of the reasons */
	{ HEAD "\"processes\":[],\"processes\":[]}", -EINVAL, "processes: twice" },
	{ HEAD "\"processes\":[{\"pid\":1,\"a\":1}{\"pid\":2,\"a\":1}]}", -EINVAL, "no ','" },
	{ HEAD "\"processes\":[{\"pid\":1,\"a\":1},]}", -EINVAL, "invalid JSON" },
	{ HEAD "\"processes\":[,{\"pid\":1,\"a\":1}]}", -EINVAL, "invalid JSON" },
	{ HEAD "\"processes\":[{\"pid\":1,,\"a\":1}]}", -EINVAL, "invalid JSON at byte 117" },
	{ HEAD "\"processes\":[{\"pid\":1,\"a\":1}}]}", -EINVAL, "'}' in processes" },
	{ "{\"format\":\"x\",\"processes\":[{\"pid\":0,\"a\":1}]}", -EINVAL, "not an oomlens snapshot" },
	{ "{\"processes\":[{\"pid\":0,\"a\":1}],\"format\":\"oomlens-snapshot\",\"version\":1,"
	  "\"page_size\":4096,\"mem_total_kb\":1000,\"totalpages\":250,\"x\":}", -EINVAL, "invalid JSON at byte 129" },
};

static void refuses_malformed(void **state)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct ol_snapshot s;
		char err[256] = "";
		int rc = ol_snapshot_from_json(refused[i].json, strlen(refused[i].json), &s, err, sizeof(err));

		if (rc != refused[i].rc || !strstr(err, refused[i].why) || !err[0])
			fail_msg("'%s': %d '%s', want %d with '%s'", refused[i].json, rc, err, refused[i].rc,
				 refused[i].why);
		/* nothing is left to free */
		assert_null(s.procs);
		assert_int_equal(s.n, 0);
	}
}

/* Nesting beyond the tokener's depth, a NUL inside, and every cut of a real snapshot. */
static void refuses_corrupt(void **state)
{
	struct ol_snapshot s, back;
	char err[256], *json, *deep;
	size_t len, depth = 100000;
	static const char with_nul[] = HEAD "\"processes\":[]}\0{}";

	deep = malloc(depth + 1);
	assert_non_null(deep);
	memset(deep, '[', depth);
	deep[depth] = '\0';
	assert_int_equal(ol_snapshot_from_json(deep, depth, &back, err, sizeof(err)), -EINVAL);
	free(deep);
	assert_int_equal(ol_snapshot_from_json(with_nul, sizeof(with_nul) - 1, &back, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "trailing"));

	collect_fixture(&s);
	json = ol_snapshot_to_json(&s, NULL);
	assert_non_null(json);
	len = strlen(json);
	/* every proper prefix ends inside the document */
	for (size_t cut = 0; cut < len; cut++) {
		err[0] = '\0';
		assert_int_equal(ol_snapshot_from_json(json, cut, &back, err, sizeof(err)), -EINVAL);
		assert_true(err[0] != '\0');
	}
	/* a brace or quote too many, anywhere: refused, or (inside a string) still in range */
	for (size_t at = 0; at < len; at += 13) {
		char *bad = strdup(json);
		int rc;

		assert_non_null(bad);
		bad[at] = at % 2 ? '"' : '}';
		rc = ol_snapshot_from_json(bad, len, &back, err, sizeof(err));
		assert_true(rc == 0 || rc == -EINVAL);
		if (rc == 0) {
			for (size_t i = 0; i < back.n; i++)
				assert_true(back.procs[i].pid >= 1 && back.procs[i].oom_score_adj >= -1000 &&
					    back.procs[i].oom_score_adj <= 1000);
			ol_snapshot_free(&back);
		}
		free(bad);
	}
	free(json);
	ol_snapshot_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(collect_the_tree),
		cmocka_unit_test(ranks_follow_oom_score),
		cmocka_unit_test(round_trip_fixture),
		cmocka_unit_test(edges_round_trip),
		cmocka_unit_test(writer_keeps_in_range),
		cmocka_unit_test(reads_in_pieces),
		cmocka_unit_test(refuses_malformed),
		cmocka_unit_test(refuses_corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
