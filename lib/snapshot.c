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
	for (i = 0; ol_root_is_live(root) && i < pl.n; i++) {
		if (pl.procs[i].pid == getpid()) {
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
		json_object_object_add(o, ol_snap_bounds[num[i].f].name, wnum(w, num[i].f, num[i].v, num[i].known));
	json_object_object_add(o, "comm", wstr(w, OL_SF_COMM, p->comm));
	json_object_object_add(o, "cmdline", wstr(w, OL_SF_CMDLINE, p->cmdline));
	json_object_object_add(o, "cgroup", wstr(w, OL_SF_CGROUP, p->cgroup));
	for (; i < sizeof(num) / sizeof(num[0]); i++)
		json_object_object_add(o, ol_snap_bounds[num[i].f].name, wnum(w, num[i].f, num[i].v, num[i].known));
	json_object_object_add(o, "killable", p->killable < 0 ? NULL : json_object_new_boolean(p->killable));
	json_object_object_add(o, "rank", wnum(w, OL_SF_RANK, p->rank, p->rank > 0));
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

/*
 * The documented shape, checked on the text before json-c builds a tree of
 * it (a 10 MB file of "[]" would take 500 MB): an object whose members are
 * scalars, objects of scalars (sysctl) or arrays of objects of scalars with
 * at least two members (processes).  Nothing nests deeper.  A lexer only:
 * strings are skipped with their escapes, everything else up to a
 * delimiter; json-c still judges the JSON itself.
 */
static int shape_check(const char *t, size_t len, char *err, size_t errsz)
{
	char stack[4];		/* 'o' or 'a' at each depth */
	unsigned int members[4] = { 0 };
	const char *key = "";
	int depth = 0, klen = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = t[i];

		switch (c) {
		case '"':
			key = t + i + 1;
			for (i++; i < len && t[i] != '"'; i++)
				if (t[i] == '\\')
					i++;
			klen = (int)(t + i - key < 64 ? t + i - key : 64);
			break;
		case '{': case '[':
			if (depth == 0 && c != '{') {
				snprintf(err, errsz, "not an oomlens snapshot (no \"format\": \"%s\")",
					 OL_SNAPSHOT_FORMAT);
				return -EINVAL;
			}
			if (depth == 0 ? 0 :
			    depth >= 3 || (c == '[' && (depth != 1 || stack[0] != 'o')) ||
			    (c == '{' && depth == 2 && stack[1] != 'a')) {
				if (depth == 3)
					snprintf(err, errsz, "processes[%u].%.*s: %s, not a number or string "
						 "(byte %zu)", members[1], klen, key,
						 c == '[' ? "an array" : "an object", i);
				else
					snprintf(err, errsz, "%.*s: %s out of place (byte %zu)", klen, key,
						 c == '[' ? "an array" : "an object", i);
				return -EINVAL;
			}
			members[depth] = 0;
			stack[depth++] = c == '{' ? 'o' : 'a';
			break;
		case '}': case ']':
			if (depth == 0)
				return 0;	/* json-c says what is wrong */
			depth--;
			if (c == '}' && depth == 2 && members[2] < 1) {
				snprintf(err, errsz, "processes[%u].pid, .starttime: not both there (byte %zu)",
					 members[1], i);
				return -EINVAL;
			}
			break;
		case ',':
			if (depth > 0)
				members[depth - 1]++;
			break;
		default:
			if (depth == 2 && stack[1] == 'a' && c != ' ' && c != '\n' && c != '\t' && c != '\r') {
				snprintf(err, errsz, "processes[%u]: not an object (byte %zu)",
					 members[1], i);
				return -EINVAL;
			}
		}
	}
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

int ol_snapshot_from_json(const char *text, size_t len, struct ol_snapshot *s,
			  char *err, size_t errsz)
{
	const struct layout *lay;
	struct load ld = { .err = err, .errsz = errsz };
	struct json_tokener *tok;
	json_object *root = NULL, *j, *arr;
	enum json_tokener_error jerr;
	long long v;
	int k, rc = -EINVAL;
	size_t i, n;
	char *str;

	memset(s, 0, sizeof(*s));
	if (len == 0) {
		snprintf(err, errsz, "empty file");
		return -EINVAL;
	}
	if (shape_check(text, len, err, errsz) < 0)
		return -EINVAL;
	tok = json_tokener_new_ex(8);
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, (int)(len > INT32_MAX ? INT32_MAX : len));
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_continue) {
		snprintf(err, errsz, "truncated JSON (it ends in the middle of a value)");
		goto out;
	}
	if (jerr != json_tokener_success) {
		snprintf(err, errsz, "invalid JSON at byte %zu: %s", json_tokener_get_parse_end(tok),
			 json_tokener_error_desc(jerr));
		goto out;
	}
	if (json_tokener_get_parse_end(tok) < len &&
	    strspn(text + json_tokener_get_parse_end(tok), " \t\r\n") != len - json_tokener_get_parse_end(tok)) {
		snprintf(err, errsz, "trailing data after the JSON document at byte %zu",
			 json_tokener_get_parse_end(tok));
		goto out;
	}
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "format", &j) || !json_object_is_type(j, json_type_string) ||
	    strcmp(json_object_get_string(j), OL_SNAPSHOT_FORMAT) != 0) {
		snprintf(err, errsz, "not an oomlens snapshot (no \"format\": \"%s\")", OL_SNAPSHOT_FORMAT);
		goto out;
	}
	if ((rc = check_version(&ld, root, &s->version)) < 0)
		goto out;
	lay = &layouts[s->version];
	rc = get_field(&ld, root, lay->epoch, OL_SF_TIME, &v, &k, 0);
	if (rc < 0)
		goto out;
	s->time = k ? (time_t)v : 0;
	if ((rc = get_field(&ld, root, "page_size", OL_SF_PAGE_SIZE, &v, &k, 1)) < 0)
		goto out;
	s->page_size = (long)v;
	if ((rc = get_field(&ld, root, lay->mem_total, OL_SF_MEM_TOTAL, &v, &k, 1)) < 0)
		goto out;
	s->mem_total_kb = to_kb(lay, v);
	if ((rc = get_field(&ld, root, lay->swap_total, OL_SF_SWAP_TOTAL, &v, &k, 0)) < 0)
		goto out;
	s->swap_total_kb = k ? to_kb(lay, v) : 0;
	if ((rc = get_field(&ld, root, lay->total_pages, OL_SF_TOTAL_PAGES, &v, &k, 1)) < 0)
		goto out;
	s->totalpages = (unsigned long)v;
	/* as written: at most the fields' bytes, each grown to U+FFFD */
	if ((rc = get_fstr(&ld, root, OL_SF_HOSTNAME, &str)) < 0)
		goto out;
	snprintf(s->hostname, sizeof(s->hostname), "%s", str ? str : "");
	free(str);
	if ((rc = get_fstr(&ld, root, OL_SF_KERNEL, &str)) < 0)
		goto out;
	snprintf(s->kernel, sizeof(s->kernel), "%s", str ? str : "");
	free(str);
	if (json_object_object_get_ex(root, "sysctl", &j) && j) {
		if (!json_object_is_type(j, json_type_object)) {
			snprintf(err, errsz, "sysctl: not an object");
			rc = -EINVAL;
			goto out;
		}
		snprintf(ld.where, sizeof(ld.where), "sysctl.");
		for (i = 0; i < NSYSCTL; i++) {
			char key[64];

			snprintf(key, sizeof(key), "%s%s", lay->sysctl_prefix, SYSCTL_NAME(i));
			if ((rc = get_field(&ld, j, key, OL_SF_SYSCTL + i, &v, &k, 0)) < 0)
				goto out;
			if (k) {
				*sysctl_field(&s->sysctl, i) = (long)v;
				s->sysctl.have |= 1u << i;
			}
		}
		ld.where[0] = '\0';
	}
	if (!json_object_object_get_ex(root, "processes", &arr) || !json_object_is_type(arr, json_type_array)) {
		snprintf(err, errsz, "processes: missing or not an array");
		rc = -EINVAL;
		goto out;
	}
	n = json_object_array_length(arr);
	s->procs = calloc(n ? n : 1, sizeof(*s->procs));
	if (!s->procs) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		snprintf(ld.where, sizeof(ld.where), "processes[%zu].", i);
		s->n++;
		rc = load_proc(&ld, json_object_array_get_idx(arr, i), &s->procs[i]);
		if (rc < 0)
			goto out;
	}
	{
		struct unique_ctx u = { s, &ld };

		rc = each_twice(s, NULL, refuse_twice, &u);
	}
out:
	json_tokener_free(tok);
	json_object_put(root);
	if (rc < 0)
		ol_snapshot_free(s);
	return rc;
}
