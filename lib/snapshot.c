// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
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

/* under /proc/sys/vm; "vm.NAME" in snapshots since version 2 */
static const char *const sysctl_names[] = {
	"overcommit_memory", "overcommit_ratio", "panic_on_oom",
	"oom_kill_allocating_task", "oom_dump_tasks",
};
#define NSYSCTL (sizeof(sysctl_names) / sizeof(sysctl_names[0]))

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
		snprintf(path, sizeof(path), "sys/vm/%s", sysctl_names[i]);
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

/* ---- to JSON ---- */

static json_object *jnum_if(long long v, int known)
{
	return known ? json_object_new_int64(v) : NULL;
}

/* kB in bytes; past 2^63 bytes (only a hand-made version 1 file holds that) the largest that fits */
static long long kb_bytes(unsigned long long kb)
{
	const unsigned long long max = (unsigned long long)INT64_MAX / 1024;

	return (long long)((kb > max ? max : kb) * 1024);
}

static json_object *snap_head(const struct ol_snapshot *s)
{
	json_object *root = ol_json_document(), *sys = json_object_new_object();
	char key[64];
	size_t i;

	if (!root || !sys) {
		json_object_put(root);
		json_object_put(sys);
		return NULL;
	}
	json_object_object_add(root, "format", json_object_new_string(OL_SNAPSHOT_FORMAT));
	json_object_object_add(root, "version", json_object_new_int(OL_SNAPSHOT_VERSION));
	ol_json_add_time(root, "time", s->time);
	json_object_object_add(root, "hostname", ol_json_string(s->hostname));
	json_object_object_add(root, "kernel", ol_json_string(s->kernel));
	json_object_object_add(root, "page_size", json_object_new_int64(s->page_size));
	json_object_object_add(root, "mem_total_bytes", json_object_new_int64(kb_bytes(s->mem_total_kb)));
	json_object_object_add(root, "swap_total_bytes", json_object_new_int64(kb_bytes(s->swap_total_kb)));
	json_object_object_add(root, "total_pages", json_object_new_int64((long long)s->totalpages));
	for (i = 0; i < NSYSCTL; i++) {
		snprintf(key, sizeof(key), "vm.%s", sysctl_names[i]);
		json_object_object_add(sys, key, jnum_if(*sysctl_field((struct ol_sysctls *)&s->sysctl, i),
							 !!(s->sysctl.have & (1u << i))));
	}
	json_object_object_add(root, "sysctl", sys);
	return root;
}

static json_object *snap_proc(const struct ol_snap_proc *p)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "pid", json_object_new_int64(p->pid));
	json_object_object_add(o, "starttime", jnum_if(p->starttime, !!(p->have & OL_SNAP_START)));
	json_object_object_add(o, "ppid", jnum_if(p->ppid, !!(p->have & OL_SNAP_PPID)));
	json_object_object_add(o, "uid", jnum_if(p->uid, p->uid >= 0));
	json_object_object_add(o, "comm", ol_json_string(p->comm));
	json_object_object_add(o, "cmdline", ol_json_string(p->cmdline));
	json_object_object_add(o, "cgroup", ol_json_string(p->cgroup));
	json_object_object_add(o, "oom_score", jnum_if(p->oom_score, !!(p->have & OL_SNAP_SCORE)));
	json_object_object_add(o, "oom_score_adj", jnum_if(p->oom_score_adj, !!(p->have & OL_SNAP_ADJ)));
	json_object_object_add(o, "oom_adj", jnum_if(p->oom_adj, !!(p->have & OL_SNAP_OOMADJ)));
	json_object_object_add(o, "rss", jnum_if(p->rss, p->rss >= 0));
	json_object_object_add(o, "anon", jnum_if(p->anon, p->anon >= 0));
	json_object_object_add(o, "file", jnum_if(p->file, p->file >= 0));
	json_object_object_add(o, "shmem", jnum_if(p->shmem, p->shmem >= 0));
	json_object_object_add(o, "swap", jnum_if(p->swap, p->swap >= 0));
	json_object_object_add(o, "pgtables", jnum_if(p->pgtables, p->pgtables >= 0));
	json_object_object_add(o, "badness", jnum_if(p->badness, !!(p->have & OL_SNAP_BADNESS)));
	json_object_object_add(o, "killable", p->killable < 0 ? NULL : json_object_new_boolean(p->killable));
	json_object_object_add(o, "rank", jnum_if(p->rank, p->rank > 0));
	return o;
}

#define SNAP_JSON	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

/*
 * The head's members, then the processes one at a time: each object is
 * built, written and freed, so the text is all that grows.
 */
char *ol_snapshot_to_json(const struct ol_snapshot *s)
{
	json_object *head = snap_head(s), *o;
	const char *h;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;
	int bad = !head;

	f = open_memstream(&text, &len);
	if (!f) {
		json_object_put(head);
		return NULL;
	}
	/* the head without its closing brace, then "processes" */
	h = bad ? "" : json_object_to_json_string_ext(head, SNAP_JSON);
	if (!bad && fprintf(f, "%.*s,\n\"processes\":[", (int)(strrchr(h, '}') - h - 1), h) < 0)
		bad = 1;
	for (i = 0; !bad && i < s->n; i++) {
		o = snap_proc(&s->procs[i]);
		if (!o || fprintf(f, "%s\n%s", i ? "," : "", json_object_to_json_string_ext(o, SNAP_JSON)) < 0)
			bad = 1;
		json_object_put(o);
	}
	if (!bad && fputs("\n]\n}", f) < 0)
		bad = 1;
	json_object_put(head);
	if (fclose(f) != 0 || bad) {
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

#define I64_MAX_BYTES	(1LL << 62)

static int load_proc(struct load *ld, json_object *o, struct ol_snap_proc *p)
{
	long long v;
	int k, rc;
	json_object *j;

#define INT(key, min, max, dst, bit, req) do { \
		rc = get_int(ld, o, key, min, max, &v, &k, req); \
		if (rc) return rc; \
		if (k) { dst = v; p->have |= (bit); } \
	} while (0)
#define MEM(key, dst) do { \
		rc = get_int(ld, o, key, 0, I64_MAX_BYTES, &v, &k, 0); \
		if (rc) return rc; \
		dst = k ? v : -1; \
	} while (0)

	if (!json_object_is_type(o, json_type_object))
		return fail(ld, "", "not an object");
	INT("pid", 1, 0x7fffffff, p->pid, 0, 1);
	INT("starttime", 0, INT64_MAX, p->starttime, OL_SNAP_START, 0);
	INT("ppid", 0, 0x7fffffff, p->ppid, OL_SNAP_PPID, 0);
	rc = get_int(ld, o, "uid", 0, 0xffffffffLL, &v, &k, 0);
	if (rc)
		return rc;
	p->uid = k ? v : -1;
	INT("oom_score", 0, 100000, p->oom_score, OL_SNAP_SCORE, 0);
	INT("oom_score_adj", OL_OOM_SCORE_ADJ_MIN, OL_OOM_SCORE_ADJ_MAX, p->oom_score_adj, OL_SNAP_ADJ, 0);
	INT("oom_adj", OL_OOM_DISABLE, OL_OOM_ADJUST_MAX, p->oom_adj, OL_SNAP_OOMADJ, 0);
	MEM("rss", p->rss);
	MEM("anon", p->anon);
	MEM("file", p->file);
	MEM("shmem", p->shmem);
	MEM("swap", p->swap);
	MEM("pgtables", p->pgtables);
	INT("badness", -I64_MAX_BYTES, I64_MAX_BYTES, p->badness, OL_SNAP_BADNESS, 0);
	rc = get_int(ld, o, "rank", 1, 0x7fffffff, &v, &k, 0);
	if (rc)
		return rc;
	p->rank = k ? (long)v : 0;
	p->killable = -1;
	if (json_object_object_get_ex(o, "killable", &j) && j) {
		if (!json_object_is_type(j, json_type_boolean))
			return fail(ld, "killable", "not a boolean");
		p->killable = json_object_get_boolean(j);
	}
	if ((rc = get_str(ld, o, "comm", &p->comm, OL_SNAP_COMM_MAX)) ||
	    (rc = get_str(ld, o, "cmdline", &p->cmdline, OL_SNAP_CMDLINE_MAX)) ||
	    (rc = get_str(ld, o, "cgroup", &p->cgroup, OL_SNAP_CGROUP_MAX)))
		return rc;
#undef INT
#undef MEM
	return 0;
}

/* The names of a version's top-level fields: version 1 wrote kB and short sysctl names. */
struct layout {
	const char *epoch, *mem_total, *swap_total, *total_pages, *sysctl_prefix;
	long long mem_unit;	/* bytes in a unit of mem_total and swap_total */
	long long mem_max;	/* in those units */
};

static const struct layout layouts[OL_SNAPSHOT_VERSION + 1] = {
	[1] = { "epoch", "mem_total_kb", "swap_total_kb", "totalpages", "", 1024, I64_MAX_BYTES },
	[2] = { "time_epoch", "mem_total_bytes", "swap_total_bytes", "total_pages", "vm.", 1, INT64_MAX },
};

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

/*
 * A process is (pid, start time): two rows with the same key are no
 * snapshot oomlens wrote, and would make matching ambiguous.  Sorted, so
 * O(n log n) whatever the input.  0, -EINVAL with @err, or -ENOMEM.
 */
static int check_unique(const struct ol_snapshot *s, char *err, size_t errsz)
{
	struct key_at *k;
	size_t i;
	int rc = 0;

	if (s->n < 2)
		return 0;
	k = malloc(s->n * sizeof(*k));
	if (!k)
		return -ENOMEM;
	for (i = 0; i < s->n; i++)
		k[i] = (struct key_at){ s->procs[i].pid, (long long)s->procs[i].starttime, i };
	qsort(k, s->n, sizeof(*k), cmp_key_at);
	for (i = 1; i < s->n; i++) {
		if (k[i].pid == k[i - 1].pid && k[i].start == k[i - 1].start) {
			snprintf(err, errsz, "processes[%zu] and processes[%zu]: the same process twice "
				 "(pid %ld, starttime %lld)", k[i - 1].i, k[i].i, k[i].pid, k[i].start);
			rc = -EINVAL;
			break;
		}
	}
	free(k);
	return rc;
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
	rc = get_int(&ld, root, lay->epoch, 0, INT64_MAX, &v, &k, 0);
	if (rc < 0)
		goto out;
	s->time = k ? (time_t)v : 0;
	if ((rc = get_int(&ld, root, "page_size", 512, 1 << 24, &v, &k, 1)) < 0)
		goto out;
	s->page_size = (long)v;
	if ((rc = get_int(&ld, root, lay->mem_total, 0, lay->mem_max, &v, &k, 1)) < 0)
		goto out;
	s->mem_total_kb = (unsigned long long)v * (unsigned long long)lay->mem_unit / 1024;
	if ((rc = get_int(&ld, root, lay->swap_total, 0, lay->mem_max, &v, &k, 0)) < 0)
		goto out;
	s->swap_total_kb = k ? (unsigned long long)v * (unsigned long long)lay->mem_unit / 1024 : 0;
	if ((rc = get_int(&ld, root, lay->total_pages, 0, I64_MAX_BYTES, &v, &k, 1)) < 0)
		goto out;
	s->totalpages = (unsigned long)v;
	/* as written: at most the fields' bytes, each grown to U+FFFD */
	if ((rc = get_str(&ld, root, "hostname", &str, OL_SNAP_STR_MAX(sizeof(s->hostname) - 1))) < 0)
		goto out;
	snprintf(s->hostname, sizeof(s->hostname), "%s", str ? str : "");
	free(str);
	if ((rc = get_str(&ld, root, "kernel", &str, OL_SNAP_STR_MAX(sizeof(s->kernel) - 1))) < 0)
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

			snprintf(key, sizeof(key), "%s%s", lay->sysctl_prefix, sysctl_names[i]);
			if ((rc = get_int(&ld, j, key, INT32_MIN, INT32_MAX, &v, &k, 0)) < 0)
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
	rc = check_unique(s, err, errsz);
out:
	json_tokener_free(tok);
	json_object_put(root);
	if (rc < 0)
		ol_snapshot_free(s);
	return rc;
}
