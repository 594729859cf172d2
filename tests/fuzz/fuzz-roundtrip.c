// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: the snapshot round trip.  A snapshot is built in memory from
 * the input, with any value in every field (the extremes of each range in
 * ol_snap_bounds, one past them, LLONG_MIN and LLONG_MAX, small pids that
 * repeat, raw 64-bit numbers, any bytes in the strings), written with the
 * library's writer and loaded with its loader.  It must load, and each
 * value must come back as it was, or as oomlens-snapshot(1) says the writer
 * writes a value outside its range: null (unknown), the nearest bound for
 * the fields that cannot be null, the row left out for a pid outside its
 * range or a process already written; strings as ol_utf8_sanitize() makes
 * them.  The counts the writer returns must add up.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/snapshot.h"
#include "oomlens/strutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NPROC_MAX	24

struct in {
	const uint8_t *p;
	size_t left;
};

static uint8_t take8(struct in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static uint64_t take64(struct in *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | take8(in);
	return v;
}

/* A value for field @f: an edge of its range, one past it, an extreme, a small one, or raw. */
static long long take_val(struct in *in, enum ol_snap_field f)
{
	const struct ol_snap_bound *b = &ol_snap_bounds[f];

	switch (take8(in) % 10) {
	case 0: return b->min;
	case 1: return b->max;
	case 2: return b->min == LLONG_MIN ? LLONG_MIN : b->min - 1;
	case 3: return b->max == LLONG_MAX ? LLONG_MAX : b->max + 1;
	case 4: return LLONG_MIN;
	case 5: return LLONG_MAX;
	case 6: return take8(in) % 4;
	case 7: return -1;
	default: return (long long)take64(in);
	}
}

static unsigned long long take_u(struct in *in)
{
	switch (take8(in) % 5) {
	case 0: return ULLONG_MAX;
	case 1: return (unsigned long long)INT64_MAX / 1024;
	case 2: return (unsigned long long)INT64_MAX / 1024 + 1;
	case 3: return (1ULL << 62) + (take8(in) % 3) - 1;
	default: return take64(in);
	}
}

/* NULL, or up to 255 bytes of the input (to the first NUL) */
static char *take_str(struct in *in, size_t max)
{
	uint8_t n = take8(in);
	char *s;

	if (n == 255)
		return NULL;
	if (n > in->left)
		n = (uint8_t)in->left;
	s = strndup((const char *)in->p, n < max ? n : max);
	in->p += n;
	in->left -= n;
	if (!s)
		abort();
	return s;
}

static void take_fixed(struct in *in, char *dst, size_t sz)
{
	char *s = take_str(in, sz - 1);

	snprintf(dst, sz, "%s", s ? s : "");
	free(s);
}

static int ok(enum ol_snap_field f, long long v)
{
	return v >= ol_snap_bounds[f].min && v <= ol_snap_bounds[f].max;
}

static void check(int cond, const char *what, size_t i)
{
	if (!cond) {
		fprintf(stderr, "round trip: %s (row %zu)\n", what, i);
		abort();
	}
}

/* the string as written: NULL unknown or too long, else sanitized */
static void check_str(const char *was, const char *back, enum ol_snap_field f, size_t i)
{
	char *want;

	if (!was || strlen(was) > (size_t)ol_snap_bounds[f].max) {
		check(back == NULL, ol_snap_bounds[f].name, i);
		return;
	}
	want = ol_utf8_sanitize(was);
	check(want && back && strcmp(want, back) == 0, ol_snap_bounds[f].name, i);
	free(want);
}

static void check_fixed(const char *was, const char *back, size_t sz, const char *what)
{
	char *want = ol_utf8_sanitize(was);

	/* sanitized, then cut to the array (ol_snapshot's own size) */
	check(want && strncmp(want, back, sz - 1) == 0 && strlen(back) == (strlen(want) < sz ? strlen(want) : sz - 1),
	      what, 0);
	free(want);
}

static long long start_key(const struct ol_snap_proc *p)
{
	return (p->have & OL_SNAP_START) && ok(OL_SF_STARTTIME, p->starttime) ? p->starttime : 0;
}

/* kept: a pid in range, and no earlier kept row with its (pid, start time) */
static int kept(const struct ol_snapshot *s, size_t i)
{
	const struct ol_snap_proc *p = &s->procs[i];

	if (!ok(OL_SF_PID, p->pid))
		return 0;
	for (size_t j = 0; j < i; j++)
		if (ok(OL_SF_PID, s->procs[j].pid) && s->procs[j].pid == p->pid &&
		    start_key(&s->procs[j]) == start_key(p))
			return 0;
	return 1;
}

static void take_proc(struct in *in, struct ol_snap_proc *p)
{
	uint8_t have = take8(in);

	p->pid = (long)take_val(in, OL_SF_PID);
	p->starttime = take_val(in, OL_SF_STARTTIME);
	p->ppid = (long)take_val(in, OL_SF_PPID);
	p->uid = take_val(in, OL_SF_UID);
	p->oom_score = (long)take_val(in, OL_SF_OOM_SCORE);
	p->oom_score_adj = (long)take_val(in, OL_SF_OOM_SCORE_ADJ);
	p->oom_adj = (long)take_val(in, OL_SF_OOM_ADJ);
	p->rss = take_val(in, OL_SF_RSS);
	p->anon = take_val(in, OL_SF_ANON);
	p->file = take_val(in, OL_SF_FILE);
	p->shmem = take_val(in, OL_SF_SHMEM);
	p->swap = take_val(in, OL_SF_SWAP);
	p->pgtables = take_val(in, OL_SF_PGTABLES);
	p->badness = take_val(in, OL_SF_BADNESS);
	p->rank = (long)take_val(in, OL_SF_RANK);
	p->killable = (int)(int8_t)take8(in);
	p->have = have & (OL_SNAP_SCORE | OL_SNAP_ADJ | OL_SNAP_OOMADJ | OL_SNAP_BADNESS | OL_SNAP_PPID |
			  OL_SNAP_START);
	p->comm = take_str(in, 80);
	p->cmdline = take_str(in, 255);
	p->cgroup = take_str(in, 255);
}

static void check_head(const struct ol_snapshot *s, const struct ol_snapshot *b)
{
	unsigned long long kmax = (unsigned long long)INT64_MAX / 1024;

	check(b->time == (s->time < 0 ? 0 : s->time), "time", 0);
	check(b->page_size == (s->page_size < 512 ? 512 : s->page_size > (1 << 24) ? 1 << 24 : s->page_size),
	      "page_size", 0);
	check(b->mem_total_kb == (s->mem_total_kb > kmax ? kmax : s->mem_total_kb), "mem_total", 0);
	check(b->swap_total_kb == (s->swap_total_kb > kmax ? kmax : s->swap_total_kb), "swap_total", 0);
	check(b->totalpages == (s->totalpages > 1UL << 62 ? 1UL << 62 : s->totalpages), "total_pages", 0);
	check_fixed(s->hostname, b->hostname, sizeof(b->hostname), "hostname");
	check_fixed(s->kernel, b->kernel, sizeof(b->kernel), "kernel");
	for (size_t i = 0; i < 5; i++) {
		const long *was = &s->sysctl.overcommit_memory + i, *got = &b->sysctl.overcommit_memory + i;
		int known = (s->sysctl.have & 1u << i) && ok(OL_SF_SYSCTL + i, *was);

		check(!!(b->sysctl.have & 1u << i) == known && (!known || *got == *was), "sysctl", i);
	}
}

static void check_proc(const struct ol_snap_proc *p, const struct ol_snap_proc *q, size_t i)
{
	static const struct { enum ol_snap_field f; unsigned int bit; size_t off; int is_ll; } opt[] = {
		{ OL_SF_STARTTIME, OL_SNAP_START, offsetof(struct ol_snap_proc, starttime), 1 },
		{ OL_SF_PPID, OL_SNAP_PPID, offsetof(struct ol_snap_proc, ppid), 0 },
		{ OL_SF_OOM_SCORE, OL_SNAP_SCORE, offsetof(struct ol_snap_proc, oom_score), 0 },
		{ OL_SF_OOM_SCORE_ADJ, OL_SNAP_ADJ, offsetof(struct ol_snap_proc, oom_score_adj), 0 },
		{ OL_SF_OOM_ADJ, OL_SNAP_OOMADJ, offsetof(struct ol_snap_proc, oom_adj), 0 },
		{ OL_SF_BADNESS, OL_SNAP_BADNESS, offsetof(struct ol_snap_proc, badness), 1 },
	};
	const long long *unk[][2] = { { &p->uid, &q->uid }, { &p->rss, &q->rss }, { &p->anon, &q->anon },
				     { &p->file, &q->file }, { &p->shmem, &q->shmem }, { &p->swap, &q->swap },
				     { &p->pgtables, &q->pgtables } };
	static const enum ol_snap_field unkf[] = { OL_SF_UID, OL_SF_RSS, OL_SF_ANON, OL_SF_FILE,
						   OL_SF_SHMEM, OL_SF_SWAP, OL_SF_PGTABLES };

	check(q->pid == p->pid, "pid", i);
	for (size_t k = 0; k < sizeof(opt) / sizeof(opt[0]); k++) {
		const char *pv = (const char *)p + opt[k].off, *qv = (const char *)q + opt[k].off;
		long long a = opt[k].is_ll ? *(const long long *)pv : *(const long *)pv;
		long long b = opt[k].is_ll ? *(const long long *)qv : *(const long *)qv;
		int known = (p->have & opt[k].bit) && ok(opt[k].f, a);

		check(!!(q->have & opt[k].bit) == known && (!known || a == b), ol_snap_bounds[opt[k].f].name, i);
	}
	for (size_t k = 0; k < sizeof(unkf) / sizeof(unkf[0]); k++) {
		long long a = *unk[k][0];

		check(*unk[k][1] == (a >= 0 && ok(unkf[k], a) ? a : -1), ol_snap_bounds[unkf[k]].name, i);
	}
	check(q->rank == (p->rank > 0 && ok(OL_SF_RANK, p->rank) ? p->rank : 0), "rank", i);
	check(q->killable == (p->killable < 0 ? -1 : !!p->killable), "killable", i);
	check_str(p->comm, q->comm, OL_SF_COMM, i);
	check_str(p->cmdline, q->cmdline, OL_SF_CMDLINE, i);
	check_str(p->cgroup, q->cgroup, OL_SF_CGROUP, i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct ol_snapshot s = { .version = OL_SNAPSHOT_VERSION }, back;
	struct ol_snap_written w;
	char err[256] = "", *json;
	size_t i, j = 0;

	s.time = (time_t)take_val(&in, OL_SF_TIME);
	s.page_size = (long)take_val(&in, OL_SF_PAGE_SIZE);
	s.mem_total_kb = take_u(&in);
	s.swap_total_kb = take_u(&in);
	s.totalpages = (unsigned long)take_u(&in);
	take_fixed(&in, s.hostname, sizeof(s.hostname));
	take_fixed(&in, s.kernel, sizeof(s.kernel));
	s.sysctl.have = take8(&in) & 0x1f;
	for (i = 0; i < 5; i++)
		*(&s.sysctl.overcommit_memory + i) = (long)take_val(&in, OL_SF_SYSCTL + i);
	s.n = take8(&in) % (NPROC_MAX + 1);
	s.procs = calloc(NPROC_MAX, sizeof(*s.procs));
	if (!s.procs)
		abort();
	for (i = 0; i < s.n; i++)
		take_proc(&in, &s.procs[i]);

	json = ol_snapshot_to_json(&s, &w);
	check(json != NULL, "written", 0);
	if (ol_snapshot_from_json(json, strlen(json), &back, err, sizeof(err)) != 0) {
		fprintf(stderr, "round trip: refused: %s\n%s\n", err, json);
		abort();
	}
	check_head(&s, &back);
	for (i = 0; i < s.n; i++) {
		if (!kept(&s, i))
			continue;
		check(j < back.n, "a row kept", i);
		check_proc(&s.procs[i], &back.procs[j++], i);
	}
	check(j == back.n && w.dropped == s.n - back.n, "rows left out, and counted", j);
	check(!!w.first[0] == !!(w.nulled + w.clamped + w.dropped), "a first note when something changed", 0);
	free(json);
	ol_snapshot_free(&back);
	ol_snapshot_free(&s);
	return 0;
}
