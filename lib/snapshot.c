// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "oomlens/parse.h"
#include "oomlens/jsonutil.h"
#include "oomlens/model.h"
#include "oomlens/snapshot.h"
#include "oomlens/strutil.h"

#define I64_MAX_BYTES	(1LL << 62)

/*
 * Kernel ranges from oomlens-kernel(7): oom_score before 2.6.36 is the
 * unbounded badness(), later 0..2000; sizes are bytes below 2^62 (kB counts
 * past 2^50 are not believed by the scanner), so that sums and differences
 * of two of them never overflow.
 */
const struct ol_snap_bound ol_snap_bounds[OL_SF_NFIELDS] = {
	[OL_SF_TIME] = { "time_epoch", 0, INT64_MAX, "seconds" },
	[OL_SF_PAGE_SIZE] = { "page_size", 512, 1 << 24, "bytes" },
	[OL_SF_MEM_TOTAL] = { "mem_total_bytes", 0, INT64_MAX, "bytes" },
	[OL_SF_SWAP_TOTAL] = { "swap_total_bytes", 0, INT64_MAX, "bytes" },
	[OL_SF_TOTAL_PAGES] = { "total_pages", 0, I64_MAX_BYTES, "pages" },
	[OL_SF_HOSTNAME] = { "hostname", 0, sizeof(((struct ol_snapshot *)0)->hostname) - 1, "bytes" },
	[OL_SF_KERNEL] = { "kernel", 0, sizeof(((struct ol_snapshot *)0)->kernel) - 1, "bytes" },
	/* int sysctls: proc_dointvec() takes any int */
	[OL_SF_SYSCTL + 0] = { "vm.overcommit_memory", INT32_MIN, INT32_MAX, "" },
	[OL_SF_SYSCTL + 1] = { "vm.overcommit_ratio", INT32_MIN, INT32_MAX, "" },
	[OL_SF_SYSCTL + 2] = { "vm.panic_on_oom", INT32_MIN, INT32_MAX, "" },
	[OL_SF_SYSCTL + 3] = { "vm.oom_kill_allocating_task", INT32_MIN, INT32_MAX, "" },
	[OL_SF_SYSCTL + 4] = { "vm.oom_dump_tasks", INT32_MIN, INT32_MAX, "" },
	[OL_SF_PID] = { "pid", 1, 0x7fffffff, "" },
	[OL_SF_STARTTIME] = { "starttime", 0, INT64_MAX, "ticks" },
	[OL_SF_PPID] = { "ppid", 0, 0x7fffffff, "" },
	[OL_SF_UID] = { "uid", 0, 0xffffffffLL, "" },
	[OL_SF_COMM] = { "comm", 0, sizeof(((struct ol_proc *)0)->comm) - 1, "bytes" },
	[OL_SF_CMDLINE] = { "cmdline", 0, OL_READ_MAX - 1, "bytes" },
	[OL_SF_CGROUP] = { "cgroup", 0, OL_READ_MAX - 1, "bytes" },
	[OL_SF_OOM_SCORE] = { "oom_score", 0, I64_MAX_BYTES, "points" },
	[OL_SF_OOM_SCORE_ADJ] = { "oom_score_adj", OL_OOM_SCORE_ADJ_MIN, OL_OOM_SCORE_ADJ_MAX, "" },
	[OL_SF_OOM_ADJ] = { "oom_adj", OL_OOM_DISABLE, OL_OOM_ADJUST_MAX, "" },
	[OL_SF_RSS] = { "rss", 0, I64_MAX_BYTES, "bytes" },
	[OL_SF_ANON] = { "anon", 0, I64_MAX_BYTES, "bytes" },
	[OL_SF_FILE] = { "file", 0, I64_MAX_BYTES, "bytes" },
	[OL_SF_SHMEM] = { "shmem", 0, I64_MAX_BYTES, "bytes" },
	[OL_SF_SWAP] = { "swap", 0, I64_MAX_BYTES, "bytes" },
	[OL_SF_PGTABLES] = { "pgtables", 0, I64_MAX_BYTES, "bytes" },
	[OL_SF_BADNESS] = { "badness", -I64_MAX_BYTES, I64_MAX_BYTES, "pages" },
	[OL_SF_RANK] = { "rank", 1, 0x7fffffff, "" },
};

#define NSYSCTL		5
/* under /proc/sys/vm; "vm.NAME" in snapshots since version 2, "NAME" in version 1 */
#define SYSCTL_NAME(i)	(ol_snap_bounds[OL_SF_SYSCTL + (i)].name + 3)

static int in_range(enum ol_snap_field f, long long v)
{
	return v >= ol_snap_bounds[f].min && v <= ol_snap_bounds[f].max;
}

static long *sysctl_field(struct ol_sysctls *s, size_t i)
{
	long *f[] = { &s->overcommit_memory, &s->overcommit_ratio, &s->panic_on_oom,
		      &s->oom_kill_allocating_task, &s->oom_dump_tasks };

	return f[i];
}

void ol_sysctls_read(const struct ol_root *root, struct ol_sysctls *out)
{
	struct ol_buf b = { 0 };
	char path[64];
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < NSYSCTL; i++) {
		snprintf(path, sizeof(path), "sys/vm/%s", SYSCTL_NAME(i));
		if (ol_root_read(root, root->procfd, path, &b) == 0 &&
		    ol_parse_long(b.data, sysctl_field(out, i)) == 0)
			out->have |= 1u << i;
	}
	ol_buf_free(&b);
}

void ol_snapshot_free(struct ol_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->procs[i].comm);
		free(s->procs[i].cmdline);
		free(s->procs[i].cgroup);
	}
	free(s->procs);
	memset(s, 0, sizeof(*s));
}

static char *dup_or_null(const char *s, int known)
{
	return known && s ? strdup(s) : NULL;
}

int ol_snapshot_collect(const struct ol_root *root, struct ol_snapshot *s)
{
	struct ol_scan_opts so = { .read = OL_READ_STATUS | OL_READ_CAPS | OL_READ_STAT | OL_READ_OOM_SCORE |
					   OL_READ_OOM_SCORE_ADJ | OL_READ_OOM_ADJ | OL_READ_CGROUP |
					   OL_READ_CMDLINE };
	struct ol_proclist pl;
	struct ol_sysinfo si;
	struct ol_model *model = NULL;
	struct ol_buf b = { 0 };
	pid_t self;
	size_t i;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = ol_sysinfo_read(root, &si);
	if (rc < 0)
		return rc;
	s->version = OL_SNAPSHOT_VERSION;
	s->time = time(NULL);
	snprintf(s->kernel, sizeof(s->kernel), "%s", si.release);
	s->page_size = si.page_size;
	s->mem_total_kb = si.mem_total_kb;
	s->swap_total_kb = si.swap_total_kb;
	s->totalpages = si.totalpages;
	ol_sysctls_read(root, &s->sysctl);
	if (ol_root_read(root, root->procfd, "sys/kernel/hostname", &b) == 0 ||
	    ol_root_read(root, root->etcfd, "hostname", &b) == 0) {
		b.data[strcspn(b.data, "\n")] = '\0';
		snprintf(s->hostname, sizeof(s->hostname), "%s", b.data);
	} else if (ol_root_is_live(root)) {
		gethostname(s->hostname, sizeof(s->hostname) - 1);
	}
	ol_buf_free(&b);

	model = ol_model_new(root, &si, NULL);
	if (!model)
		return -ENOMEM;
	so.read |= ol_read_for(ol_kernel_needs(ol_model_kernel(model)));
	rc = ol_scan(root, &so, &pl);
	if (rc < 0)
		goto out;
	/* the live snapshot leaves out the process taking it */
	self = getpid();
	for (i = 0; ol_root_is_live(root) && i < pl.n; i++) {
		if (pl.procs[i].pid == self) {
			ol_proc_free(&pl.procs[i]);
			pl.procs[i] = pl.procs[--pl.n];
			break;
		}
	}
	s->procs = calloc(pl.n ? pl.n : 1, sizeof(*s->procs));
	if (!s->procs || ol_model_rank(model, pl.procs, pl.n) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < pl.n; i++) {
		struct ol_proc *p = &pl.procs[i];
		const struct ol_rank *r = ol_model_get(model, i);
		struct ol_snap_proc *sp;

		sp = &s->procs[s->n++];
		enum ol_unkillable why = r->why;
		unsigned int h = p->have;

		sp->pid = p->pid;
		sp->ppid = p->ppid;
		sp->starttime = (long long)p->starttime;
		sp->uid = h & OL_HAVE_UID ? (long long)p->uid : -1;
		sp->comm = dup_or_null(p->comm, !!(h & OL_HAVE_COMM));
		sp->cmdline = dup_or_null(p->cmdline, !!(h & OL_HAVE_CMDLINE));
		sp->cgroup = dup_or_null(ol_proc_cgroup(p), !!(h & OL_HAVE_CGROUP));
		sp->oom_score = p->oom_score;
		sp->oom_score_adj = p->oom_score_adj;
		sp->oom_adj = p->oom_adj;
		sp->have = (h & OL_HAVE_SCORE ? OL_SNAP_SCORE : 0) | (h & OL_HAVE_ADJ ? OL_SNAP_ADJ : 0) |
			   (h & OL_HAVE_OOMADJ ? OL_SNAP_OOMADJ : 0) | (h & OL_HAVE_PPID ? OL_SNAP_PPID : 0) |
			   (h & OL_HAVE_START ? OL_SNAP_START : 0);
		sp->rss = h & OL_HAVE_RSS ? (long long)p->rss : -1;
		sp->anon = h & OL_HAVE_MEM ? (long long)p->rss_anon : -1;
		sp->file = h & OL_HAVE_MEM ? (long long)p->rss_file : -1;
		sp->shmem = h & OL_HAVE_MEM ? (long long)p->rss_shmem : -1;
		sp->swap = h & OL_HAVE_SWAP ? (long long)p->swap : -1;
		sp->pgtables = h & OL_HAVE_PGTABLES ? (long long)p->pgtables : -1;
		sp->killable = why == OL_KILLABLE ? 1 : why == OL_KILLABLE_UNKNOWN ? -1 : 0;
		if (r->have && r->b.killable) {
			sp->badness = r->b.points;
			sp->have |= OL_SNAP_BADNESS;
		}
		sp->rank = r->rank;
		if ((sp->comm == NULL) != !(h & OL_HAVE_COMM)) {
			rc = -ENOMEM;
			goto out;
		}
	}
	rc = 0;
out:
	ol_model_free(model);
	ol_proclist_free(&pl);
	if (rc < 0)
		ol_snapshot_free(s);
	return rc;
}

/* ---- to JSON, every value within ol_snap_bounds ---- */

struct wr {
	struct ol_snap_written *w;
	long pid;		/* the row being written, 0 for the rest */
};

#define UNIT(b)	(*(b)->unit ? " " : ""), (b)->unit

static void noted(struct wr *w, size_t *count, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void noted(struct wr *w, size_t *count, const char *fmt, ...)
{
	char *first = w->w->first;
	size_t sz = sizeof(w->w->first);
	int n = 0;
	va_list ap;

	(*count)++;
	if (first[0])
		return;
	if (w->pid)
		n = snprintf(first, sz, "pid %ld: ", w->pid);
	va_start(ap, fmt);
	vsnprintf(first + n, sz - (size_t)n, fmt, ap);
	va_end(ap);
}

/* An optional number: null when unknown, and (counted) when outside its range. */
static json_object *wnum(struct wr *w, enum ol_snap_field f, long long v, int known)
{
	const struct ol_snap_bound *b = &ol_snap_bounds[f];

	if (!known)
		return NULL;
	if (!in_range(f, v)) {
		noted(w, &w->w->nulled, "%s %lld is outside %lld..%lld%s%s: written as null",
		      b->name, v, b->min, b->max, UNIT(b));
		return NULL;
	}
	return json_object_new_int64(v);
}

/*
 * A number that cannot be null: at the nearest bound (counted) when outside
 * its range.  @over: above any long long; @was: the value in words.
 */
static json_object *wclamp(struct wr *w, enum ol_snap_field f, long long v, int over, const char *was)
{
	const struct ol_snap_bound *b = &ol_snap_bounds[f];
	long long c = over || v > b->max ? b->max : v < b->min ? b->min : v;

	if (over || c != v)
		noted(w, &w->w->clamped, "%s %s is outside %lld..%lld%s%s: written as %lld",
		      b->name, was, b->min, b->max, UNIT(b), c);
	return json_object_new_int64(c);
}

/* MemTotal or SwapTotal, kB, in bytes */
static json_object *wkb(struct wr *w, enum ol_snap_field f, unsigned long long kb)
{
	char was[64];
	int over = kb > (unsigned long long)INT64_MAX / 1024;

	snprintf(was, sizeof(was), "%llu kB", kb);
	return wclamp(w, f, over ? 0 : (long long)(kb * 1024), over, was);
}

/* A string: null when unknown, and (counted) when longer than its field takes. */
static json_object *wstr(struct wr *w, enum ol_snap_field f, const char *v)
{
	const struct ol_snap_bound *b = &ol_snap_bounds[f];
	size_t len = v ? strlen(v) : 0;

	if (v && len > (size_t)b->max) {
		noted(w, &w->w->nulled, "%s of %zu bytes is longer than %lld: written as null", b->name, len, b->max);
		return NULL;
	}
	return ol_json_string(v);
}

static json_object *snap_head(struct wr *w, const struct ol_snapshot *s)
{
	json_object *root = ol_json_document(), *sys = json_object_new_object();
	char was[64];
	time_t t = s->time;
	size_t i;

	if (!root || !sys) {
		json_object_put(root);
		json_object_put(sys);
		return NULL;
	}
	if (t < 0) {
		noted(w, &w->w->nulled, "time_epoch %lld is before 1970: written as null", (long long)t);
		t = 0;
	}
	json_object_object_add(root, "format", json_object_new_string(OL_SNAPSHOT_FORMAT));
	json_object_object_add(root, "version", json_object_new_int(OL_SNAPSHOT_VERSION));
	ol_json_add_time(root, "time", t);
	json_object_object_add(root, "hostname", wstr(w, OL_SF_HOSTNAME, s->hostname));
	json_object_object_add(root, "kernel", wstr(w, OL_SF_KERNEL, s->kernel));
	snprintf(was, sizeof(was), "%ld", s->page_size);
	json_object_object_add(root, "page_size", wclamp(w, OL_SF_PAGE_SIZE, s->page_size, 0, was));
	json_object_object_add(root, "mem_total_bytes", wkb(w, OL_SF_MEM_TOTAL, s->mem_total_kb));
	json_object_object_add(root, "swap_total_bytes", wkb(w, OL_SF_SWAP_TOTAL, s->swap_total_kb));
	snprintf(was, sizeof(was), "%lu", s->totalpages);
	json_object_object_add(root, "total_pages",
			       wclamp(w, OL_SF_TOTAL_PAGES, (long long)(s->totalpages & INT64_MAX),
				      s->totalpages > (unsigned long long)INT64_MAX, was));
	for (i = 0; i < NSYSCTL; i++)
		json_object_object_add(sys, ol_snap_bounds[OL_SF_SYSCTL + i].name,
				       wnum(w, OL_SF_SYSCTL + i, *sysctl_field((struct ol_sysctls *)&s->sysctl, i),
					    !!(s->sysctl.have & (1u << i))));
	json_object_object_add(root, "sysctl", sys);
	return root;
}

/* Negative: unknown (uid, sizes) or not ranked (rank). */
static json_object *snap_proc(struct wr *w, const struct ol_snap_proc *p)
{
	json_object *o = json_object_new_object();
	struct { enum ol_snap_field f; long long v; int known; } num[] = {
		{ OL_SF_PID, p->pid, 1 },
		{ OL_SF_STARTTIME, p->starttime, !!(p->have & OL_SNAP_START) },
		{ OL_SF_PPID, p->ppid, !!(p->have & OL_SNAP_PPID) },
		{ OL_SF_UID, p->uid, p->uid >= 0 },
		{ OL_SF_OOM_SCORE, p->oom_score, !!(p->have & OL_SNAP_SCORE) },
		{ OL_SF_OOM_SCORE_ADJ, p->oom_score_adj, !!(p->have & OL_SNAP_ADJ) },
		{ OL_SF_OOM_ADJ, p->oom_adj, !!(p->have & OL_SNAP_OOMADJ) },
		{ OL_SF_RSS, p->rss, p->rss >= 0 },
		{ OL_SF_ANON, p->anon, p->anon >= 0 },
		{ OL_SF_FILE, p->file, p->file >= 0 },
		{ OL_SF_SHMEM, p->shmem, p->shmem >= 0 },
		{ OL_SF_SWAP, p->swap, p->swap >= 0 },
		{ OL_SF_PGTABLES, p->pgtables, p->pgtables >= 0 },
		{ OL_SF_BADNESS, p->badness, !!(p->have & OL_SNAP_BADNESS) },
	};
	size_t i;

	if (!o)
		return NULL;
	/* in the order of the FORMAT section of oomlens-snapshot(1) */
	for (i = 0; i < 4; i++)
		json_object_object_add_ex(o, ol_snap_bounds[num[i].f].name,
					  wnum(w, num[i].f, num[i].v, num[i].known), OL_JADD_FLAGS);
	ol_jadd(o, "comm", wstr(w, OL_SF_COMM, p->comm));
	ol_jadd(o, "cmdline", wstr(w, OL_SF_CMDLINE, p->cmdline));
	ol_jadd(o, "cgroup", wstr(w, OL_SF_CGROUP, p->cgroup));
	for (; i < sizeof(num) / sizeof(num[0]); i++)
		json_object_object_add_ex(o, ol_snap_bounds[num[i].f].name,
					  wnum(w, num[i].f, num[i].v, num[i].known), OL_JADD_FLAGS);
	ol_jadd(o, "killable", p->killable < 0 ? NULL : json_object_new_boolean(p->killable));
	ol_jadd(o, "rank", wnum(w, OL_SF_RANK, p->rank, p->rank > 0));
	return o;
}

struct key_at {
	long pid;
	long long start;
	size_t i;
};

static int cmp_key_at(const void *x, const void *y)
{
	const struct key_at *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* A row's key as the loader reads it back: an unknown start time is 0. */
static long long key_start(const struct ol_snap_proc *p)
{
	return (p->have & OL_SNAP_START) && in_range(OL_SF_STARTTIME, p->starttime) ? p->starttime : 0;
}

typedef int (*twice_fn)(void *arg, size_t earlier, size_t again);

/*
 * A process is (pid, start time): for each row of @s (but those @skip
 * marks) with the key of an earlier one, @cb(@arg, earlier, again), until
 * it returns nonzero, which is returned.  Sorted, so O(n log n) whatever
 * the input.  Or -ENOMEM.
 */
static int each_twice(const struct ol_snapshot *s, const unsigned char *skip, twice_fn cb, void *arg)
{
	struct key_at *k;
	size_t i, m = 0;
	int rc = 0;

	if (s->n < 2)
		return 0;
	k = malloc(s->n * sizeof(*k));
	if (!k)
		return -ENOMEM;
	for (i = 0; i < s->n; i++)
		if (!skip || !skip[i])
			k[m++] = (struct key_at){ s->procs[i].pid, key_start(&s->procs[i]), i };
	qsort(k, m, sizeof(*k), cmp_key_at);
	for (i = 1; i < m && rc == 0; i++)
		if (k[i].pid == k[i - 1].pid && k[i].start == k[i - 1].start)
			rc = cb(arg, k[i - 1].i, k[i].i);
	free(k);
	return rc;
}

struct drop_ctx {
	const struct ol_snapshot *s;
	struct wr *w;
	unsigned char *drop;
};

static int drop_twice(void *arg, size_t earlier, size_t again)
{
	struct drop_ctx *d = arg;
	const struct ol_snap_proc *p = &d->s->procs[again];

	d->drop[again] = 1;
	noted(d->w, &d->w->w->dropped, "pid %ld with starttime %lld twice: the second left out",
	      p->pid, key_start(p));
	return 0;
}

/* Which rows the loader would refuse: a pid outside its range, a process twice.  NULL on ENOMEM. */
static unsigned char *rows_dropped(const struct ol_snapshot *s, struct wr *w)
{
	const struct ol_snap_bound *b = &ol_snap_bounds[OL_SF_PID];
	struct drop_ctx d = { s, w, calloc(s->n ? s->n : 1, 1) };
	size_t i;

	if (!d.drop)
		return NULL;
	for (i = 0; i < s->n; i++) {
		if (in_range(OL_SF_PID, s->procs[i].pid))
			continue;
		d.drop[i] = 1;
		noted(w, &w->w->dropped, "pid %ld is outside %lld..%lld: the process left out",
		      s->procs[i].pid, b->min, b->max);
	}
	if (each_twice(s, d.drop, drop_twice, &d) < 0) {
		free(d.drop);
		return NULL;
	}
	return d.drop;
}

#define SNAP_JSON	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

/*
 * The head's members, then the processes one at a time: each object is
 * built, written and freed.
 */
int ol_snapshot_write(const struct ol_snapshot *s, FILE *f, struct ol_snap_written *written)
{
	struct ol_snap_written none;
	struct wr w = { written ? written : &none, 0 };
	json_object *head, *o;
	unsigned char *drop;
	const char *h;
	size_t i, nw = 0;
	int rc = -ENOMEM, r;

	memset(w.w, 0, sizeof(*w.w));
	head = snap_head(&w, s);
	drop = rows_dropped(s, &w);
	h = head ? json_object_to_json_string_ext(head, SNAP_JSON) : NULL;
	if (!h || !drop)
		goto out;
	/* the head without its closing brace, then "processes" */
	rc = -EIO;
	if (fprintf(f, "%.*s,\n\"processes\":[", (int)(strrchr(h, '}') - h - 1), h) < 0)
		goto out;
	for (i = 0; i < s->n; i++) {
		if (drop[i])
			continue;
		w.pid = s->procs[i].pid;
		o = snap_proc(&w, &s->procs[i]);
		if (!o) {
			rc = -ENOMEM;
			goto out;
		}
		r = fprintf(f, "%s\n%s", nw++ ? "," : "", json_object_to_json_string_ext(o, SNAP_JSON));
		json_object_put(o);
		if (r < 0)
			goto out;
	}
	if (fputs("\n]\n}", f) < 0)
		goto out;
	rc = 0;
out:
	free(drop);
	json_object_put(head);
	return rc;
}

char *ol_snapshot_to_json(const struct ol_snapshot *s, struct ol_snap_written *w)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (!f)
		return NULL;
	rc = ol_snapshot_write(s, f, w);
	if (fclose(f) != 0 || rc < 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* ---- from JSON, validating every field ---- */

struct load {
	char *err;
	size_t errsz;
	char where[64];
};

static int fail(struct load *ld, const char *field, const char *what)
{
	snprintf(ld->err, ld->errsz, "%s%s: %s", ld->where, field, what);
	return -EINVAL;
}

/* An integer field: absent or null -> !*known; wrong type or range -> error. */
static int get_int(struct load *ld, json_object *o, const char *key, long long min, long long max,
		   long long *v, int *known, int required)
{
	json_object *j;

	*known = 0;
	if (!json_object_object_get_ex(o, key, &j) || j == NULL) {
		if (required)
			return fail(ld, key, "missing");
		return 0;
	}
	if (!json_object_is_type(j, json_type_int))
		return fail(ld, key, "not an integer");
	errno = 0;
	*v = json_object_get_int64(j);
	/* json-c keeps numbers past INT64_MAX as unsigned and saturates */
	if (errno || *v < min || *v > max || (*v == INT64_MAX && json_object_get_uint64(j) > (uint64_t)INT64_MAX))
		return fail(ld, key, "out of range");
	*known = 1;
	return 0;
}

static int get_str(struct load *ld, json_object *o, const char *key, char **out, size_t maxlen)
{
	json_object *j;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &j) || j == NULL)
		return 0;
	if (!json_object_is_type(j, json_type_string))
		return fail(ld, key, "not a string");
	if ((size_t)json_object_get_string_len(j) > maxlen)
		return fail(ld, key, "too long");
	*out = strdup(json_object_get_string(j));
	return *out ? 0 : -ENOMEM;
}

/* A field of ol_snap_bounds under @key (format 1 names some differently). */
static int get_field(struct load *ld, json_object *o, const char *key, enum ol_snap_field f,
		     long long *v, int *known, int required)
{
	return get_int(ld, o, key, ol_snap_bounds[f].min, ol_snap_bounds[f].max, v, known, required);
}

static int get_fstr(struct load *ld, json_object *o, enum ol_snap_field f, char **out)
{
	return get_str(ld, o, ol_snap_bounds[f].name, out, OL_SNAP_STR_MAX(ol_snap_bounds[f].max));
}

static int load_proc(struct load *ld, json_object *o, struct ol_snap_proc *p)
{
	static const struct { enum ol_snap_field f; unsigned int bit; } opt[] = {
		{ OL_SF_STARTTIME, OL_SNAP_START }, { OL_SF_PPID, OL_SNAP_PPID },
		{ OL_SF_OOM_SCORE, OL_SNAP_SCORE }, { OL_SF_OOM_SCORE_ADJ, OL_SNAP_ADJ },
		{ OL_SF_OOM_ADJ, OL_SNAP_OOMADJ }, { OL_SF_BADNESS, OL_SNAP_BADNESS },
	};
	/* unknown: -1 (uid and sizes), 0 (rank) */
	long long *unk[] = { &p->uid, &p->rss, &p->anon, &p->file, &p->shmem, &p->swap, &p->pgtables };
	static const enum ol_snap_field unkf[] = { OL_SF_UID, OL_SF_RSS, OL_SF_ANON, OL_SF_FILE,
						   OL_SF_SHMEM, OL_SF_SWAP, OL_SF_PGTABLES };
	long long v, *dst[] = { &p->starttime, NULL, NULL, NULL, NULL, &p->badness };
	long *ldst[] = { NULL, &p->ppid, &p->oom_score, &p->oom_score_adj, &p->oom_adj, NULL };
	size_t i;
	int k, rc;
	json_object *j;

	if (!json_object_is_type(o, json_type_object))
		return fail(ld, "", "not an object");
	if ((rc = get_field(ld, o, "pid", OL_SF_PID, &v, &k, 1)) < 0)
		return rc;
	p->pid = (long)v;
	for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++) {
		if ((rc = get_field(ld, o, ol_snap_bounds[opt[i].f].name, opt[i].f, &v, &k, 0)) < 0)
			return rc;
		if (!k)
			continue;
		if (dst[i])
			*dst[i] = v;
		else
			*ldst[i] = (long)v;
		p->have |= opt[i].bit;
	}
	for (i = 0; i < sizeof(unkf) / sizeof(unkf[0]); i++) {
		if ((rc = get_field(ld, o, ol_snap_bounds[unkf[i]].name, unkf[i], &v, &k, 0)) < 0)
			return rc;
		*unk[i] = k ? v : -1;
	}
	if ((rc = get_field(ld, o, "rank", OL_SF_RANK, &v, &k, 0)) < 0)
		return rc;
	p->rank = k ? (long)v : 0;
	p->killable = -1;
	if (json_object_object_get_ex(o, "killable", &j) && j) {
		if (!json_object_is_type(j, json_type_boolean))
			return fail(ld, "killable", "not a boolean");
		p->killable = json_object_get_boolean(j);
	}
	if ((rc = get_fstr(ld, o, OL_SF_COMM, &p->comm)) || (rc = get_fstr(ld, o, OL_SF_CMDLINE, &p->cmdline)) ||
	    (rc = get_fstr(ld, o, OL_SF_CGROUP, &p->cgroup)))
		return rc;
	return 0;
}

/* The names of a version's top-level fields: version 1 wrote kB and short sysctl names. */
struct layout {
	const char *epoch, *mem_total, *swap_total, *total_pages, *sysctl_prefix;
	unsigned long long mem_unit;	/* bytes in a unit of mem_total and swap_total */
};

static const struct layout layouts[OL_SNAPSHOT_VERSION + 1] = {
	[1] = { "epoch", "mem_total_kb", "swap_total_kb", "totalpages", "", 1024 },
	[2] = { "time_epoch", "mem_total_bytes", "swap_total_bytes", "total_pages", "vm.", 1 },
};

static unsigned long long to_kb(const struct layout *lay, long long v)
{
	return lay->mem_unit == 1024 ? (unsigned long long)v : (unsigned long long)v * lay->mem_unit / 1024;
}

/*
 * "version", and from version 2 on "schema_version" ("MAJOR.MINOR", its
 * MAJOR the version): a newer minor only adds fields, which are not read.
 */
static int check_version(struct load *ld, json_object *root, int *version)
{
	json_object *j;
	long long v;
	int k, rc, major, minor, n = 0;
	const char *sv;

	if ((rc = get_int(ld, root, "version", 1, INT32_MAX, &v, &k, 1)) < 0)
		return rc;
	if (v > OL_SNAPSHOT_VERSION) {
		snprintf(ld->err, ld->errsz, "snapshot format version %lld is newer than this oomlens reads (%d): "
			 "upgrade oomlens", v, OL_SNAPSHOT_VERSION);
		return -ERANGE;
	}
	*version = (int)v;
	if (v < 2)
		return 0;
	if (!json_object_object_get_ex(root, "schema_version", &j) || j == NULL)
		return fail(ld, "schema_version", "missing");
	if (!json_object_is_type(j, json_type_string))
		return fail(ld, "schema_version", "not a string");
	sv = json_object_get_string(j);
	if (sscanf(sv, "%d.%d%n", &major, &minor, &n) != 2 || sv[n] || major < 0 || minor < 0)
		return fail(ld, "schema_version", "not MAJOR.MINOR");
	if (major != v)
		return fail(ld, "schema_version", "its major number is not the version");
	return 0;
}

/* The fields around the process rows, parsed whole (they are small). */
static int load_head(struct load *ld, json_object *root, struct ol_snapshot *s)
{
	const struct layout *lay;
	json_object *j;
	long long v;
	int k, rc;
	size_t i;
	char *str;

	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "format", &j) || !json_object_is_type(j, json_type_string) ||
	    strcmp(json_object_get_string(j), OL_SNAPSHOT_FORMAT) != 0) {
		snprintf(ld->err, ld->errsz, "not an oomlens snapshot (no \"format\": \"%s\")", OL_SNAPSHOT_FORMAT);
		return -EINVAL;
	}
	if ((rc = check_version(ld, root, &s->version)) < 0)
		return rc;
	lay = &layouts[s->version];
	if ((rc = get_field(ld, root, lay->epoch, OL_SF_TIME, &v, &k, 0)) < 0)
		return rc;
	s->time = k ? (time_t)v : 0;
	if ((rc = get_field(ld, root, "page_size", OL_SF_PAGE_SIZE, &v, &k, 1)) < 0)
		return rc;
	s->page_size = (long)v;
	if ((rc = get_field(ld, root, lay->mem_total, OL_SF_MEM_TOTAL, &v, &k, 1)) < 0)
		return rc;
	s->mem_total_kb = to_kb(lay, v);
	if ((rc = get_field(ld, root, lay->swap_total, OL_SF_SWAP_TOTAL, &v, &k, 0)) < 0)
		return rc;
	s->swap_total_kb = k ? to_kb(lay, v) : 0;
	if ((rc = get_field(ld, root, lay->total_pages, OL_SF_TOTAL_PAGES, &v, &k, 1)) < 0)
		return rc;
	s->totalpages = (unsigned long)v;
	/* as written: at most the fields' bytes, each grown to U+FFFD */
	if ((rc = get_fstr(ld, root, OL_SF_HOSTNAME, &str)) < 0)
		return rc;
	snprintf(s->hostname, sizeof(s->hostname), "%s", str ? str : "");
	free(str);
	if ((rc = get_fstr(ld, root, OL_SF_KERNEL, &str)) < 0)
		return rc;
	snprintf(s->kernel, sizeof(s->kernel), "%s", str ? str : "");
	free(str);
	if (json_object_object_get_ex(root, "sysctl", &j) && j) {
		if (!json_object_is_type(j, json_type_object))
			return fail(ld, "sysctl", "not an object");
		snprintf(ld->where, sizeof(ld->where), "sysctl.");
		for (i = 0; i < NSYSCTL; i++) {
			char key[64];

			snprintf(key, sizeof(key), "%s%s", lay->sysctl_prefix, SYSCTL_NAME(i));
			if ((rc = get_field(ld, j, key, OL_SF_SYSCTL + i, &v, &k, 0)) < 0)
				return rc;
			if (k) {
				*sysctl_field(&s->sysctl, i) = (long)v;
				s->sysctl.have |= 1u << i;
			}
		}
		ld->where[0] = '\0';
	}
	if (!json_object_object_get_ex(root, "processes", &j) || !json_object_is_type(j, json_type_array))
		return fail(ld, "processes", "missing or not an array");
	return 0;
}

struct unique_ctx {
	const struct ol_snapshot *s;
	struct load *ld;
};

static int refuse_twice(void *arg, size_t earlier, size_t again)
{
	struct unique_ctx *u = arg;
	const struct ol_snap_proc *p = &u->s->procs[again];

	snprintf(u->ld->err, u->ld->errsz, "processes[%zu] and processes[%zu]: the same process twice "
		 "(pid %ld, starttime %lld)", earlier, again, p->pid, key_start(p));
	return -EINVAL;
}

/* ---- the text, one process row at a time ---- */

struct sbuf {
	char *d;
	size_t len, cap;
};

static int sbuf_put(struct sbuf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 4096;
		char *n = realloc(b->d, ncap);

		if (!n)
			return -ENOMEM;
		b->d = n;
		b->cap = ncap;
	}
	b->d[b->len++] = c;
	return 0;
}

enum { ROW_FIRST, ROW_NEXT, ROW_AFTER_COMMA };

/*
 * A lexer over the text as it comes, checking the documented shape (an
 * object whose members are scalars, objects of scalars, and "processes",
 * an array of objects of scalars) before anything is built: nothing nests
 * deeper, so a file of "[[[[" or "[],[]" costs nothing.  Each process row
 * goes to @row, is parsed by json-c on its own, converted and freed; the
 * rest of the text (the head, with "processes": [] in it) goes to @head and
 * is parsed whole at the end.  json-c judges the JSON of both; the lexer
 * checks what lies between the rows.
 */
struct rows {
	struct load ld;
	struct ol_snapshot *s;
	size_t cap;			/* of s->procs */
	struct json_tokener *tok;
	struct sbuf head, row;
	size_t off;			/* of the byte being read */
	size_t gap_at, gap_from, gap_len;	/* the rows cut out: at head.len gap_at, from byte gap_from */
	size_t row_at, trailing_at;
	int depth;			/* 1 in the document, 2 in a member, 3 in a row */
	int in_str, esc, ended, in_rows, seen_rows, expect;
	unsigned int nrow, members;	/* rows begun; commas in the row */
	char key[64];			/* the last string, cut */
	int klen;
	char rowerr[256];		/* the first row that did not load, said after the head */
};

static int refuse(struct rows *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(struct rows *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->ld.err, r->ld.errsz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int put(struct rows *r, char c)
{
	if (r->depth == 3)
		return sbuf_put(&r->row, c);
	if (r->head.len >= OL_SNAP_HEAD_MAX)
		return refuse(r, "more than %u bytes besides the process rows (byte %zu)", OL_SNAP_HEAD_MAX, r->off);
	return sbuf_put(&r->head, c);
}

/* The row just closed: parsed, converted and kept, its JSON freed. */
static int take_row(struct rows *r)
{
	struct ol_snap_proc *p;
	json_object *o;
	enum json_tokener_error jerr;
	int rc = 0;

	json_tokener_reset(r->tok);
	o = r->row.len < INT32_MAX ? json_tokener_parse_ex(r->tok, r->row.d, (int)r->row.len) : NULL;
	jerr = json_tokener_get_error(r->tok);
	if (!o || jerr != json_tokener_success || json_tokener_get_parse_end(r->tok) != r->row.len) {
		json_object_put(o);
		return refuse(r, "invalid JSON at byte %zu: %s", r->row_at + json_tokener_get_parse_end(r->tok),
			      jerr == json_tokener_success ? "not one object" : json_tokener_error_desc(jerr));
	}
	if (!r->rowerr[0]) {
		if (r->s->n == r->cap) {
			size_t ncap = r->cap ? r->cap * 2 : 256;

			p = realloc(r->s->procs, ncap * sizeof(*p));
			if (!p) {
				json_object_put(o);
				return -ENOMEM;
			}
			r->s->procs = p;
			r->cap = ncap;
		}
		p = &r->s->procs[r->s->n];
		memset(p, 0, sizeof(*p));
		snprintf(r->ld.where, sizeof(r->ld.where), "processes[%u].", r->nrow);
		rc = load_proc(&r->ld, o, p);
		r->ld.where[0] = '\0';
		r->s->n++;		/* freed with the rest on an error */
		if (rc == -EINVAL) {
			snprintf(r->rowerr, sizeof(r->rowerr), "%s", r->ld.err);
			rc = 0;
		}
	}
	json_object_put(o);
	return rc;
}

static int lex_open(struct rows *r, char c)
{
	const char *what = c == '[' ? "an array" : "an object";
	int rc;

	switch (r->depth) {
	case 0:
		if (c == '[')
			return refuse(r, "not an oomlens snapshot (no \"format\": \"%s\")", OL_SNAPSHOT_FORMAT);
		r->depth = 1;
		return put(r, c);
	case 1:
		if (c == '{') {
			r->depth = 2;
			return put(r, c);
		}
		if (r->klen != 9 || memcmp(r->key, "processes", 9) != 0)
			return refuse(r, "%.*s: an array out of place (byte %zu)", r->klen, r->key, r->off);
		if (r->seen_rows)
			return refuse(r, "processes: twice (byte %zu)", r->off);
		r->seen_rows = r->in_rows = 1;
		r->depth = 2;
		r->expect = ROW_FIRST;
		r->gap_from = r->off + 1;
		if ((rc = put(r, c)) < 0)
			return rc;	/* past OL_SNAP_HEAD_MAX too, not only ENOMEM */
		r->gap_at = r->head.len;
		return 0;
	case 2:
		if (!r->in_rows)
			return refuse(r, "%.*s: %s out of place (byte %zu)", r->klen, r->key, what, r->off);
		if (c == '[')
			return refuse(r, "processes: an array out of place (byte %zu)", r->off);
		if (r->expect == ROW_NEXT)
			return refuse(r, "invalid JSON at byte %zu: no ',' before processes[%u]", r->off, r->nrow);
		r->depth = 3;
		r->members = 0;
		r->row.len = 0;
		r->row_at = r->off;
		return put(r, c);
	default:
		return refuse(r, "processes[%u].%.*s: %s, not a number or string (byte %zu)", r->nrow, r->klen,
			      r->key, what, r->off);
	}
}

static int lex_close(struct rows *r, char c)
{
	int rc;

	if (r->depth == 3) {
		if (c == ']')
			return refuse(r, "invalid JSON at byte %zu: ']' inside processes[%u]", r->off, r->nrow);
		if (r->members < 1)
			return refuse(r, "processes[%u].pid, .starttime: not both there (byte %zu)", r->nrow, r->off);
		if ((rc = put(r, c)) < 0)
			return rc;
		r->depth = 2;
		r->expect = ROW_NEXT;
		rc = take_row(r);
		r->nrow++;
		return rc;
	}
	if (r->depth == 2 && r->in_rows) {
		if (c == '}' || r->expect == ROW_AFTER_COMMA)
			return refuse(r, "invalid JSON at byte %zu: '%c' in processes", r->off, c);
		r->gap_len = r->off - r->gap_from;
		r->in_rows = 0;
	}
	if (r->depth > 0 && --r->depth == 0)
		r->ended = 1;
	return put(r, c);
}

static int lex(struct rows *r, char c)
{
	if (r->in_str) {
		if (r->esc)
			r->esc = 0;
		else if (c == '\\')
			r->esc = 1;
		else if (c == '"')
			r->in_str = 0;
		if (r->in_str && r->klen < (int)sizeof(r->key))
			r->key[r->klen++] = c;
		return put(r, c);
	}
	if (r->ended) {
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
			return 0;
		r->trailing_at = r->off;
		return 1;
	}
	switch (c) {
	case '"':
		r->in_str = 1;
		r->klen = 0;
		break;
	case '{': case '[':
		return lex_open(r, c);
	case '}': case ']':
		return lex_close(r, c);
	case ',':
		if (r->depth == 3)
			r->members++;
		if (r->depth == 2 && r->in_rows) {
			if (r->expect != ROW_NEXT)
				return refuse(r, "invalid JSON at byte %zu: ',' in processes", r->off);
			r->expect = ROW_AFTER_COMMA;
			return 0;
		}
		break;
	case ' ': case '\n': case '\t': case '\r':
		if (r->depth == 2 && r->in_rows)
			return 0;
		break;
	default:
		if (r->depth == 2 && r->in_rows)
			return refuse(r, "processes[%u]: not an object (byte %zu)", r->nrow, r->off);
	}
	return put(r, c);
}

/* @n bytes more: 0, 1 at trailing data (the rest is not read), or -errno. */
static int feed(struct rows *r, const char *buf, size_t n)
{
	int rc;

	for (size_t i = 0; i < n; i++, r->off++)
		if ((rc = lex(r, buf[i])) != 0)
			return rc;
	return 0;
}

/* A byte of the head as a byte of the file. */
static size_t file_off(const struct rows *r, size_t h)
{
	return r->seen_rows && h >= r->gap_at ? h + r->gap_len : h;
}

/* The end of the text: the head parsed and loaded, then the rows' first error, then duplicates. */
static int finish(struct rows *r)
{
	json_object *root;
	enum json_tokener_error jerr;
	size_t end;
	int rc;

	if (r->off == 0)
		return refuse(r, "empty file");
	json_tokener_reset(r->tok);
	root = json_tokener_parse_ex(r->tok, r->head.d ? r->head.d : "", (int)r->head.len);
	jerr = json_tokener_get_error(r->tok);
	end = json_tokener_get_parse_end(r->tok);
	if (jerr == json_tokener_continue)
		rc = refuse(r, "truncated JSON (it ends in the middle of a value)");
	else if (jerr != json_tokener_success)
		rc = refuse(r, "invalid JSON at byte %zu: %s", file_off(r, end), json_tokener_error_desc(jerr));
	else if (end < r->head.len && strspn(r->head.d + end, " \t\r\n") != r->head.len - end)
		rc = refuse(r, "trailing data after the JSON document at byte %zu", file_off(r, end));
	else if (r->trailing_at != SIZE_MAX)
		rc = refuse(r, "trailing data after the JSON document at byte %zu", r->trailing_at);
	else
		rc = load_head(&r->ld, root, r->s);
	json_object_put(root);
	if (rc == 0 && r->rowerr[0])
		rc = refuse(r, "%s", r->rowerr);
	if (rc == 0) {
		struct unique_ctx u = { r->s, &r->ld };

		rc = each_twice(r->s, NULL, refuse_twice, &u);
	}
	return rc;
}

static int rows_init(struct rows *r, struct ol_snapshot *s, char *err, size_t errsz)
{
	memset(s, 0, sizeof(*s));
	memset(r, 0, sizeof(*r));
	r->ld.err = err;
	r->ld.errsz = errsz;
	if (errsz)
		err[0] = '\0';
	r->s = s;
	r->trailing_at = SIZE_MAX;
	/* a row is one level deep, the head three ("sysctl" in it) */
	r->tok = json_tokener_new_ex(4);
	return r->tok ? 0 : -ENOMEM;
}

static int rows_done(struct rows *r, int rc)
{
	json_tokener_free(r->tok);
	free(r->head.d);
	free(r->row.d);
	if (rc < 0)
		ol_snapshot_free(r->s);
	return rc;
}

int ol_snapshot_read(ol_snap_read_fn rd, void *arg, struct ol_snapshot *s, char *err, size_t errsz)
{
	struct rows r;
	char *buf = malloc(65536);
	long n;
	int rc = rows_init(&r, s, err, errsz);

	if (!buf && rc == 0)
		rc = -ENOMEM;
	while (rc == 0) {
		n = rd(arg, buf, 65536);
		if (n < 0) {
			snprintf(err, errsz, "read error");
			rc = (int)n;
		} else if (n == 0) {
			break;
		} else {
			rc = feed(&r, buf, (size_t)n);
		}
	}
	free(buf);
	if (rc >= 0)
		rc = finish(&r);
	return rows_done(&r, rc);
}

int ol_snapshot_from_json(const char *text, size_t len, struct ol_snapshot *s, char *err, size_t errsz)
{
	struct rows r;
	int rc = rows_init(&r, s, err, errsz);

	if (rc == 0)
		rc = feed(&r, text, len);
	if (rc >= 0)
		rc = finish(&r);
	return rows_done(&r, rc);
}
