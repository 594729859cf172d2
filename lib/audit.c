// SPDX-License-Identifier: GPL-2.0-or-later
/* The audit's rules. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <json.h>

#include "oomlens/audit.h"
#include "oomlens/model.h"
#include "oomlens/cgroup.h"
#include "oomlens/kube.h"
#include "oomlens/jsonutil.h"
#include "oomlens/kmsg.h"
#include "oomlens/logsrc.h"
#include "oomlens/oomlog.h"
#include "oomlens/parse.h"
#include "oomlens/proc.h"
#include "oomlens/snapshot.h"
#include "oomlens/strutil.h"

struct aproc {
	struct ol_proc *p;
	const struct ol_rank *r;	/* the model's view of it */
	char exe[512];		/* "" when unreadable; read on first use (exe_of()) */
	int exe_read;
	char unit[256];		/* decoded cgroup label */
	struct ol_cg_decoded cg;	/* its cgroup decoded: a pod's names in JSON */
	int unkillable;		/* -1000 or oom_adj -17 */
};

struct actx {
	const struct ol_root *root;
	const struct ol_audit_opts *o;
	const struct ol_audit_conf *c;
	struct ol_findings *f;
	struct ol_sysinfo si;
	struct ol_model *model;
	struct aproc *ap;
	size_t n;
	const struct ol_kube *kube;	/* the kubelet's names, NULL off a node */
};

static int add_finding(struct actx *a, enum ol_rule r, const struct ol_proc *p,
		       json_object *ev, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int add_finding(struct actx *a, enum ol_rule r, const struct ol_proc *p,
		       json_object *ev, const char *fmt, ...)
{
	struct ol_findings *f = a->f;
	struct ol_finding *nf, *x;
	enum ol_sev sev = a->c->sev[r];
	va_list ap;

	if (sev == OL_SEV_OFF) {
		json_object_put(ev);
		return 0;
	}
	nf = realloc(f->v, (f->n + 1) * sizeof(*nf));
	if (!nf) {
		json_object_put(ev);
		return -ENOMEM;
	}
	f->v = nf;
	x = &f->v[f->n];
	memset(x, 0, sizeof(*x));
	x->rule = r;
	x->sev = sev;
	x->pid = p ? p->pid : -1;
	if (p)
		snprintf(x->comm, sizeof(x->comm), "%s", p->comm);
	va_start(ap, fmt);
	if (vasprintf(&x->message, fmt, ap) < 0)
		x->message = NULL;
	va_end(ap);
	if (ev) {
		x->evidence = strdup(json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN |
								    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(ev);
	}
	if (!x->message)
		return -ENOMEM;
	f->count[sev]++;
	f->n++;
	return 0;
}

/* A finding's severity may be raised for one process (large, or a user's). */
static void raise_last(struct actx *a, enum ol_sev to)
{
	struct ol_finding *x = &a->f->v[a->f->n - 1];

	if (to > x->sev && x->sev != OL_SEV_OFF) {
		a->f->count[x->sev]--;
		x->sev = to;
		a->f->count[to]++;
	}
}

/* A user's session or slice: a user.slice or session-*.scope component. */
static int cgroup_is_user(const char *cg)
{
	while (cg && *cg) {
		size_t n;

		cg += strspn(cg, "/");
		n = strcspn(cg, "/");
		if ((n == 10 && strncmp(cg, "user.slice", 10) == 0) ||
		    (n > 14 && strncmp(cg, "session-", 8) == 0 && strncmp(cg + n - 6, ".scope", 6) == 0))
			return 1;
		cg += n;
	}
	return 0;
}

/*
 * In a user's session, by any of the process's cgroup paths: on a hybrid
 * system the memory controller may be at / while systemd's own hierarchy
 * (name=systemd) or the unified one shows the session.
 */
static int in_user_session(const struct ol_proc *p)
{
	if (!(p->have & OL_HAVE_CGROUP))
		return 0;
	return cgroup_is_user(p->cgroup) || cgroup_is_user(p->cgroup_unified) ||
	       cgroup_is_user(p->cgroup_systemd);
}

/*
 * The process's executable, read when a rule first asks: most processes
 * have no finding, and a link read for each of 10,000 is a tenth of the run.
 */
static const char *exe_of(const struct actx *a, struct aproc *x)
{
	char link[32];
	ssize_t n;

	if (!x->exe_read) {
		snprintf(link, sizeof(link), "%d/exe", (int)x->p->pid);
		n = readlinkat(a->root->procfd, link, x->exe, sizeof(x->exe) - 1);
		x->exe[n > 0 ? n : 0] = '\0';
		x->exe_read = 1;
	}
	return x->exe;
}

static const struct ol_allow *allowed(const struct actx *a, struct aproc *x)
{
	for (size_t i = 0; i < a->c->nallow; i++) {
		const struct ol_allow *al = &a->c->allow[i];
		const char *subject = NULL;

		switch (al->kind) {
		case OL_ALLOW_COMM:	subject = x->p->comm; break;
		case OL_ALLOW_EXE:	subject = exe_of(a, x); break;
		case OL_ALLOW_CGROUP:	subject = ol_proc_cgroup(x->p); break;
		case OL_ALLOW_UNIT:	subject = x->unit; break;
		}
		if (!subject || !*subject || fnmatch(al->pattern, subject, 0) != 0)
			continue;
		if (al->uid >= 0 && (!(x->p->have & OL_HAVE_UID) || (long)x->p->uid != al->uid))
			continue;
		if (al->no_session && in_user_session(x->p))
			continue;
		return al;
	}
	return NULL;
}

static int cmp_pid(const void *x, const void *y)
{
	const struct aproc *a = x, *b = y;

	return a->p->pid < b->p->pid ? -1 : a->p->pid > b->p->pid;
}

/* a->ap is sorted by pid (ol_audit_run): a binary search, not a scan per parent */
static struct aproc *by_pid(struct actx *a, long pid)
{
	struct ol_proc key_p = { .pid = (pid_t)pid };
	struct aproc key = { .p = &key_p };

	return a->n ? bsearch(&key, a->ap, a->n, sizeof(*a->ap), cmp_pid) : NULL;
}

static int same_program(const struct actx *a, struct aproc *x, struct aproc *y)
{
	if (exe_of(a, x)[0] && exe_of(a, y)[0])
		return strcmp(x->exe, y->exe) == 0;
	return strcmp(x->p->comm, y->p->comm) == 0;
}

/* A system service: root, and in the system's own cgroups (not a user's or a container's). */
static int is_system_service(const struct aproc *x)
{
	const char *paths[3];
	struct ol_cg_decoded d;

	if (!(x->p->have & OL_HAVE_UID) || x->p->uid != 0)
		return 0;
	if (!(x->p->have & OL_HAVE_CGROUP))
		return 1;
	if (in_user_session(x->p))
		return 0;
	paths[0] = x->p->cgroup;
	paths[1] = x->p->cgroup_unified;
	paths[2] = x->p->cgroup_systemd;
	for (int i = 0; i < 3; i++) {
		if (!paths[i] || !*paths[i])
			continue;
		ol_cgroup_decode(paths[i], &d);
		if (d.kind == OL_CG_CONTAINER || d.kind == OL_CG_POD)
			return 0;
	}
	return 1;
}

/* What the OOM killer counts of it (rss + swap + page tables), in bytes */
static unsigned long long held(const struct actx *a, const struct aproc *x)
{
	if (x->r->have)
		return (unsigned long long)x->r->b.usage * (unsigned long long)a->si.page_size;
	return x->p->rss + x->p->swap;
}

/* names, paths and units are the processes' own: through ol_json_string, as UTF-8 */
static json_object *jproc(const struct actx *a, struct aproc *x)
{
	int k = x->r->have && x->r->b.killable;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "pid", json_object_new_int64(x->p->pid));
	json_object_object_add(o, "comm", ol_json_string(x->p->comm));
	json_object_object_add(o, "exe", exe_of(a, x)[0] ? ol_json_string(x->exe) : NULL);
	json_object_object_add(o, "uid", x->p->have & OL_HAVE_UID ? json_object_new_int64(x->p->uid) : NULL);
	json_object_object_add(o, "oom_score_adj", json_object_new_int64(x->p->oom_score_adj));
	json_object_object_add(o, "cgroup", ol_json_string(ol_proc_cgroup(x->p)));
	json_object_object_add(o, "unit", x->unit[0] ? ol_json_string(x->unit) : NULL);
	ol_kube_json_add(o, a->kube, &x->cg);
	json_object_object_add(o, "memory_bytes", json_object_new_int64((long long)held(a, x)));
	json_object_object_add(o, "badness", k ? json_object_new_int64(x->r->b.points) : NULL);
	json_object_object_add(o, "rank", k && x->r->rank ? json_object_new_int64(x->r->rank) : NULL);
	return o;
}

static int process_rules(struct actx *a)
{
	unsigned long long unkillable_bytes = 0, total = (unsigned long long)a->si.totalpages *
						    (unsigned long long)a->si.page_size;
	json_object *list = json_object_new_array();
	size_t i;
	int rc;

	for (i = 0; i < a->n; i++) {
		struct aproc *x = &a->ap[i], *par, *top;
		const struct ol_allow *al;
		double share;

		if (x->p->kthread || !x->p->has_mm)
			continue;
		if (x->unkillable) {
			unkillable_bytes += held(a, x);
			json_object_array_add(list, jproc(a, x));
		}
		par = (x->p->have & OL_HAVE_PPID) ? by_pid(a, x->p->ppid) : NULL;

		/* protection inherited from a parent that runs another program */
		if (par && x->p->oom_score_adj <= -900 && par->p->oom_score_adj == x->p->oom_score_adj &&
		    !same_program(a, x, par) && !allowed(a, x)) {
			json_object *chain = json_object_new_array(), *ev = json_object_new_object();
			unsigned long long mem = held(a, x);
			char *e1, *e2;

			json_object_array_add(chain, jproc(a, x));
			/* up to where it was set: the first ancestor whose parent lacks it */
			for (top = par; top; ) {
				struct aproc *up = (top->p->have & OL_HAVE_PPID) ? by_pid(a, top->p->ppid) : NULL;

				json_object_array_add(chain, jproc(a, top));
				mem += held(a, top);
				if (!up || up->p->oom_score_adj != x->p->oom_score_adj || up->p->pid <= 1)
					break;
				top = up;
			}
			json_object_object_add(ev, "chain", chain);
			json_object_object_add(ev, "chain_memory_bytes", json_object_new_int64((long long)mem));
			e1 = ol_escape(par->p->comm);
			e2 = ol_escape(top->p->comm);
			rc = add_finding(a, x->p->oom_score_adj == -1000 ? OL_R_INHERITED : OL_R_INHERITED_STRONG,
					 x->p, ev, "oom_score_adj %ld inherited from %s[%d] (%s), set at %s[%d]",
					 x->p->oom_score_adj, e1 ? e1 : "?", (int)par->p->pid,
					 exe_of(a, par)[0] ? par->exe : "?", e2 ? e2 : "?", (int)top->p->pid);
			free(e1);
			free(e2);
			if (rc < 0)
				return rc;
			continue;	/* one finding per process */
		}
		if (!x->unkillable || (al = allowed(a, x)))
			continue;
		share = total ? 100.0 * (double)held(a, x) / (double)total : 0;
		{
			json_object *ev = jproc(a, x);
			char mem[32];

			ol_size_human(held(a, x), mem, sizeof(mem));
			json_object_object_add(ev, "share_percent", ol_json_percent(share));
			rc = add_finding(a, OL_R_UNKILLABLE, x->p, ev,
					 "%s (uid %u, %s) holds %s and can never be OOM-killed",
					 x->p->oom_score_adj == -1000 ? "oom_score_adj -1000" : "oom_adj -17",
					 (unsigned int)x->p->uid, x->unit[0] ? x->unit : ol_proc_cgroup(x->p) ?
					 ol_proc_cgroup(x->p) : "no cgroup", mem);
			if (rc < 0)
				return rc;
			if (!a->c->sev_set[OL_R_UNKILLABLE] && (!is_system_service(x) || share >= a->c->large_share))
				raise_last(a, OL_SEV_ERROR);
		}
	}
	if (total && 100.0 * (double)unkillable_bytes / (double)total > a->c->unkillable_share) {
		json_object *ev = json_object_new_object();
		char mem[32];

		ol_size_human(unkillable_bytes, mem, sizeof(mem));
		json_object_object_add(ev, "unkillable_bytes", json_object_new_int64((long long)unkillable_bytes));
		json_object_object_add(ev, "total_bytes", json_object_new_int64((long long)total));
		json_object_object_add(ev, "processes", list);
		return add_finding(a, OL_R_UNKILLABLE_SHARE, NULL, ev,
				   "unkillable processes hold %s, %.1f%% of RAM + swap (limit %g%%): "
				   "the road to 'Out of memory and no killable processes'",
				   mem, 100.0 * (double)unkillable_bytes / (double)total, a->c->unkillable_share);
	}
	json_object_put(list);
	return 0;
}

static int sysctl_rules(struct actx *a)
{
	struct ol_sysctls s;
	json_object *ev;
	int rc = 0;

	ol_sysctls_read(a->root, &s);
#define HAVE(i) (s.have & (1u << (i)))
	if (HAVE(2) && s.panic_on_oom != 0) {
		ev = json_object_new_object();
		json_object_object_add(ev, "vm.panic_on_oom", json_object_new_int64(s.panic_on_oom));
		rc = add_finding(a, OL_R_PANIC_ON_OOM, NULL, ev, "vm.panic_on_oom = %ld: %s", s.panic_on_oom,
				 s.panic_on_oom == 2 ? "every OOM, even in a memory cgroup, panics the kernel" :
				 "a system-wide OOM panics the kernel instead of killing a process");
		if (rc < 0)
			return rc;
	}
	if (HAVE(4) && s.oom_dump_tasks == 0) {
		ev = json_object_new_object();
		json_object_object_add(ev, "vm.oom_dump_tasks", json_object_new_int64(0));
		if ((rc = add_finding(a, OL_R_DUMP_TASKS, NULL, ev,
				      "vm.oom_dump_tasks = 0: OOM kills will log no task table")) < 0)
			return rc;
	}
	if (HAVE(3) && s.oom_kill_allocating_task != 0) {
		ev = json_object_new_object();
		json_object_object_add(ev, "vm.oom_kill_allocating_task",
				       json_object_new_int64(s.oom_kill_allocating_task));
		if ((rc = add_finding(a, OL_R_KILL_ALLOCATING, NULL, ev,
				      "vm.oom_kill_allocating_task = %ld: a global OOM kills whichever task "
				      "asked for memory, however small", s.oom_kill_allocating_task)) < 0)
			return rc;
	}
	if (HAVE(0) && s.overcommit_memory == 1) {
		ev = json_object_new_object();
		json_object_object_add(ev, "vm.overcommit_memory", json_object_new_int64(1));
		rc = add_finding(a, OL_R_OVERCOMMIT, NULL, ev,
				 "vm.overcommit_memory = 1: allocations never fail, so memory runs out "
				 "only at the OOM killer");
	} else if (HAVE(0) && s.overcommit_memory == 2) {
		ev = json_object_new_object();
		json_object_object_add(ev, "vm.overcommit_memory", json_object_new_int64(2));
		json_object_object_add(ev, "vm.overcommit_ratio", HAVE(1) ? json_object_new_int64(s.overcommit_ratio) : NULL);
		rc = add_finding(a, OL_R_OVERCOMMIT, NULL, ev,
				 "vm.overcommit_memory = 2 (strict, ratio %ld%%): allocations fail early "
				 "instead of calling the OOM killer", HAVE(1) ? s.overcommit_ratio : -1);
	}
#undef HAVE
	return rc;
}

/*
 * A memory cgroup hierarchy, walked for one file's value at every level.
 * The kernel sets no depth limit (cgroup.max.depth is "max"); the walk goes
 * CG_DEPTH_MAX levels down, twice what a path the kernel shows can hold, and
 * says so past that.  Every CG_ANCHOR-th level keeps its directory open and
 * the levels below are opened from it by their relative path, so any depth
 * holds few descriptors and costs at most CG_ANCHOR components an open.
 */
#define CG_DEPTH_MAX	8192
#define CG_ANCHOR	64

struct cgwalk {
	struct actx *a;
	int v1;
	char *path;		/* "/a/b", "" at the root */
	size_t len, cap;
	int anchor;		/* the nearest open ancestor (or this level) */
	size_t aoff;		/* where its path ends in @path */
	int deep_noted;
};

static int cg_push(struct cgwalk *w, const char *name)
{
	size_t n = strlen(name);

	if (w->len + n + 2 > w->cap) {
		size_t ncap = (w->len + n + 2) * 2;
		char *np = realloc(w->path, ncap);

		if (!np)
			return -ENOMEM;
		w->path = np;
		w->cap = ncap;
	}
	w->path[w->len++] = '/';
	memcpy(w->path + w->len, name, n + 1);
	w->len += n;
	return 0;
}

/*
 * @sub of @dirfd as a DIR of its own, read from its start (a dup() would
 * share the position of every other reader of @dirfd); NULL if it cannot be.
 */
static DIR *dir_at(const struct ol_root *root, int dirfd, const char *sub)
{
	int fd = ol_root_openat(root, dirfd, sub, OL_OPEN_DIR, NULL);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

/* The names of @dirfd's subdirectories, NULL-terminated; NULL on error. */
static char **cg_children(const struct ol_root *root, int dirfd)
{
	DIR *d = dir_at(root, dirfd, ".");
	char **v = NULL, **nv;
	size_t n = 0;
	struct dirent *de;

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		if (!(nv = realloc(v, (n + 2) * sizeof(*v))) || !(nv[n] = strdup(de->d_name))) {
			v = nv ? nv : v;
			break;
		}
		v = nv;
		v[++n] = NULL;
	}
	closedir(d);
	if (!v)
		v = calloc(1, sizeof(*v));
	return v;
}

static int cg_check(struct cgwalk *w, int dirfd)
{
	const char *name = w->v1 ? "memory.oom_control" : "memory.oom.group";
	const char *shown = w->len ? w->path : "/";
	struct ol_buf b = { 0 };
	json_object *ev;
	const char *k;
	int rc = 0;

	if (ol_root_read(w->a->root, dirfd, name, &b) < 0)
		goto out;
	k = w->v1 ? strstr(b.data, "oom_kill_disable ") : b.data;
	if (!k || !(w->v1 ? k[17] == '1' : k[0] == '1'))
		goto out;
	ev = json_object_new_object();
	json_object_object_add(ev, "cgroup", ol_json_string(shown));
	json_object_object_add(ev, "file", json_object_new_string(name));
	rc = add_finding(w->a, w->v1 ? OL_R_MEMCG_OOM_DISABLED : OL_R_MEMCG_OOM_GROUP, NULL, ev,
			 w->v1 ? "memory cgroup %s has oom_kill_disable 1: its tasks hang when it is full"
			       : "memory cgroup %s has memory.oom.group 1: an OOM kills all of it", shown);
out:
	ol_buf_free(&b);
	return rc;
}

/* Check the cgroup open at @dirfd (closed here) and everything below it. */
static int walk_cgroups(struct cgwalk *w, int dirfd, int depth)
{
	int anchor = w->anchor, rc, i;
	size_t aoff = w->aoff, len = w->len;
	char **kids;

	rc = cg_check(w, dirfd);
	if (rc < 0 || !(kids = cg_children(w->a->root, dirfd))) {
		close(dirfd);
		return rc;
	}
	if (depth % CG_ANCHOR == 0) {
		w->anchor = dirfd;
		w->aoff = w->len;
	} else {
		close(dirfd);
	}
	if (kids[0] && depth >= CG_DEPTH_MAX && !w->deep_noted) {
		w->deep_noted = 1;
		ol_root_note(w->a->root, -1, w->path + 1, "memory cgroups deeper than %d levels: "
			     "not audited", CG_DEPTH_MAX);
	}
	for (i = 0; rc == 0 && kids[i] && depth < CG_DEPTH_MAX; i++) {
		int sub;

		rc = cg_push(w, kids[i]);
		if (rc < 0)
			break;
		sub = ol_root_openat(w->a->root, w->anchor, w->path + w->aoff + 1, OL_OPEN_DIR, NULL);
		if (sub >= 0)
			rc = walk_cgroups(w, sub, depth + 1);
		w->len = len;
		w->path[len] = '\0';
	}
	for (i = 0; kids[i]; i++)
		free(kids[i]);
	free(kids);
	if (w->anchor != anchor) {
		close(w->anchor);
		w->anchor = anchor;
		w->aoff = aoff;
	}
	return rc;
}

static int memcg_rules(struct actx *a)
{
	struct cgwalk w = { .a = a, .v1 = 1, .anchor = -1 };
	int fd, rc = 0;

	if (a->root->sysfd < 0)
		return 0;
	w.path = calloc(1, w.cap = 256);
	if (!w.path)
		return -ENOMEM;
	fd = ol_root_openat(a->root, a->root->sysfd, "fs/cgroup/memory", OL_OPEN_DIR, NULL);
	if (fd < 0) {
		/* cgroup v2: memory.oom.group */
		w.v1 = 0;
		fd = ol_root_openat(a->root, a->root->sysfd, "fs/cgroup", OL_OPEN_DIR, NULL);
	}
	if (fd >= 0)
		rc = walk_cgroups(&w, fd, 0);
	free(w.path);
	return rc;
}

/* ---- systemd units, read statically and resolved as systemd does ---- */

/* The system unit search path, highest precedence first. */
static const char *const unit_dirs[] = {
	"/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
	"/usr/lib/systemd/system", "/lib/systemd/system",
};
#define NUNIT_DIRS (sizeof(unit_dirs) / sizeof(unit_dirs[0]))

/* systemd's LONG_LINE_MAX: it refuses a unit file with a longer line */
#define UNIT_LINE_MAX	(1u << 20)

struct unitscan {
	struct actx *a;
	char *line;			/* one line of a file, at most UNIT_LINE_MAX */
	size_t cap;
	int fd[NUNIT_DIRS];		/* -1: absent, or the same directory as an earlier one */
	char **names;			/* unit names, sorted */
	size_t nnames;
};

/* A unit's effective OOMScoreAdjust=: the last assignment; an empty one resets. */
struct unit_adjust {
	int set;
	long v;
	char file[4096];		/* as shown: without the sysroot */
	int line;
};

struct dropin {
	char name[256];
	int dir;
};

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int cmp_dropin(const void *x, const void *y)
{
	return strcmp(((const struct dropin *)x)->name, ((const struct dropin *)y)->name);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

static int entry_is_dir(const struct ol_root *root, int dirfd, const struct dirent *de)
{
	int fd;

	if (de->d_type != DT_UNKNOWN && de->d_type != DT_LNK)
		return de->d_type == DT_DIR;
	/* a link: where it leads inside the tree */
	fd = ol_root_openat(root, dirfd, de->d_name, OL_OPEN_DIR | OL_OPEN_QUIET, NULL);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Every unit name in the search path: files, and NAME.d drop-in directories. */
static int unit_names(struct unitscan *u)
{
	size_t cap = 0;

	for (size_t i = 0; i < NUNIT_DIRS; i++) {
		struct dirent *de;
		DIR *d;

		if (u->fd[i] < 0 || !(d = dir_at(u->a->root, u->fd[i], ".")))
			continue;
		while ((de = readdir(d))) {
			int dir = entry_is_dir(u->a->root, u->fd[i], de);
			size_t n = strlen(de->d_name);
			char *name;

			if (de->d_name[0] == '.')
				continue;
			if (dir && !has_suffix(de->d_name, ".d"))
				continue;	/* NAME.wants, NAME.requires */
			if (dir)
				n -= 2;
			if (!memchr(de->d_name, '.', n))
				continue;	/* not a unit name (nor a type's drop-ins, service.d) */
			if (u->nnames == cap) {
				char **nv = realloc(u->names, (cap = cap ? 2 * cap : 256) * sizeof(*nv));

				if (!nv) {
					closedir(d);
					return -ENOMEM;
				}
				u->names = nv;
			}
			name = strndup(de->d_name, n);
			if (!name) {
				closedir(d);
				return -ENOMEM;
			}
			u->names[u->nnames++] = name;
		}
		closedir(d);
	}
	if (u->nnames)
		qsort(u->names, u->nnames, sizeof(*u->names), cmp_str);
	return 0;
}

/*
 * Open DIR/NAME of the search path, resolved inside the sysroot (an absolute
 * link target is under it too).  Returns a descriptor and the path as shown
 * in @shown, or -1: *@masked set for a link to /dev/null (or another way to
 * a device) or an empty file; a file that exists but cannot be read is
 * counted in the findings' unread.
 */
static int unit_open(struct unitscan *u, size_t dir, const char *name, char *shown, size_t sz,
		     int *masked)
{
	const struct ol_root *root = u->a->root;
	char rel[4096 + 64], target[16];
	struct stat st;
	ssize_t n;
	int fd;

	*masked = 0;
	n = readlinkat(u->fd[dir], name, target, sizeof(target) - 1);
	if (n == 9 && memcmp(target, "/dev/null", 9) == 0) {
		*masked = 1;
		return -1;
	}
	snprintf(rel, sizeof(rel), "%s/%s", unit_dirs[dir] + 1, name);
	fd = ol_root_openat(root, root->basefd, rel, OL_OPEN_FILE | OL_OPEN_QUIET, &st);
	if (fd == -ENODEV || (fd >= 0 && (S_ISCHR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0)))) {
		*masked = 1;
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (fd < 0) {
		if (fd != -ENOENT) {
			/* the refusal's note, now that it is no mask */
			ol_root_openat(root, root->basefd, rel, OL_OPEN_FILE, NULL);
			u->a->f->unread++;
		}
		return -1;
	}
	if (ol_root_fd_path(root, fd, shown, sz) < 0)
		snprintf(shown, sz, "/%.4000s", rel);
	return fd;
}

/* Skip to the end of the line. */
static void skip_line(FILE *f)
{
	int ch;

	while ((ch = getc(f)) != EOF && ch != '\n')
		;
}

/*
 * The next line of @f into u->line (grown as needed), with its newline; a
 * line longer than systemd reads is cut (the rest skipped) and *@cut set.
 * 0, 1 at the end, or -ENOMEM.
 */
static int unit_line(struct unitscan *u, FILE *f, int *cut)
{
	size_t n = 0;

	*cut = 0;
	for (;;) {
		if (u->cap - n < 2) {
			size_t ncap = u->cap ? 2 * u->cap : 4096;
			char *nl;

			if (u->cap >= UNIT_LINE_MAX + 2) {
				*cut = 1;
				u->line[UNIT_LINE_MAX] = '\0';
				skip_line(f);
				return 0;
			}
			if (ncap > UNIT_LINE_MAX + 2)
				ncap = UNIT_LINE_MAX + 2;
			nl = realloc(u->line, ncap);
			if (!nl)
				return -ENOMEM;
			u->line = nl;
			u->cap = ncap;
		}
		if (!fgets(u->line + n, (int)(u->cap - n), f))
			return n ? 0 : 1;
		n += strlen(u->line + n);
		if (n && u->line[n - 1] == '\n')
			return 0;
	}
}

/* The OOMScoreAdjust= lines of one unit file or drop-in, in order. */
static int unit_parse(struct unitscan *u, FILE *f, const char *shown, struct unit_adjust *adj)
{
	int lineno = 0, exec_section = 0, cont = 0, cut, rc;

	while ((rc = unit_line(u, f, &cut)) == 0) {
		char *line = u->line, *s = line, *v;
		size_t n = strlen(s);
		long x;
		int was_cont = cont;

		lineno++;
		if (cut)
			ol_root_note(u->a->root, -1, shown, "line %d is longer than %u bytes (systemd refuses "
				     "such a file): cut, and the rest read", lineno, UNIT_LINE_MAX);
		while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			s[--n] = '\0';
		s += strspn(s, " \t");
		/* a line ending in a backslash goes on in the next one */
		cont = *s != '#' && *s != ';' && n && line[n - 1] == '\\';
		if (was_cont || !*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			/* the sections that take the exec settings */
			exec_section = strcmp(s, "[Service]") == 0 || strcmp(s, "[Socket]") == 0 ||
				       strcmp(s, "[Mount]") == 0 || strcmp(s, "[Swap]") == 0;
			continue;
		}
		if (!exec_section || strncmp(s, "OOMScoreAdjust", 14) != 0)
			continue;
		v = s + 14;
		v += strspn(v, " \t");
		if (*v != '=')
			continue;
		v++;
		v += strspn(v, " \t");
		if (!*v) {
			adj->set = 0;	/* an empty assignment resets */
			continue;
		}
		/* systemd ignores an invalid value, keeping the one before */
		if (ol_strtol(v, &x) < 0 || x < -1000 || x > 1000)
			continue;
		adj->set = 1;
		adj->v = x;
		adj->line = lineno;
		snprintf(adj->file, sizeof(adj->file), "%s", shown);
	}
	if (rc < 0)
		return rc;
	if (ferror(f)) {
		ol_root_note(u->a->root, -1, shown, "cannot read: %s", strerror(errno));
		u->a->f->unread++;
	}
	return 0;
}

/* Read the unit file or drop-in open as @fd (closed here). */
static int unit_read(struct unitscan *u, int fd, const char *shown, struct unit_adjust *adj)
{
	FILE *f = fdopen(fd, "r");
	int rc;

	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	rc = unit_parse(u, f, shown, adj);
	fclose(f);
	return rc;
}

/* NAME.d/ *.conf of every directory; a name in an earlier directory hides later ones. */
static int unit_dropins(struct unitscan *u, const char *name, struct dropin **out, size_t *nout)
{
	char sub[300];
	size_t n = 0, cap = 0;
	struct dropin *v = NULL;

	snprintf(sub, sizeof(sub), "%s.d", name);
	for (size_t i = 0; i < NUNIT_DIRS; i++) {
		struct dirent *de;
		DIR *d;

		if (u->fd[i] < 0 || !(d = dir_at(u->a->root, u->fd[i], sub)))
			continue;
		while ((de = readdir(d))) {
			size_t k;

			if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".conf") ||
			    strlen(de->d_name) >= sizeof(v->name))
				continue;
			for (k = 0; k < n && strcmp(v[k].name, de->d_name); k++)
				;
			if (k < n)
				continue;
			if (n == cap) {
				struct dropin *nv = realloc(v, (cap = cap ? 2 * cap : 8) * sizeof(*nv));

				if (!nv) {
					closedir(d);
					free(v);
					return -ENOMEM;
				}
				v = nv;
			}
			snprintf(v[n].name, sizeof(v[n].name), "%s", de->d_name);
			v[n++].dir = (int)i;
		}
		closedir(d);
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_dropin);
	*out = v;
	*nout = n;
	return 0;
}

static int unit_is_allowed(const struct actx *a, const char *unit)
{
	for (size_t i = 0; i < a->c->nallow; i++)
		if (a->c->allow[i].kind == OL_ALLOW_UNIT && fnmatch(a->c->allow[i].pattern, unit, 0) == 0)
			return 1;
	return 0;
}

static int unit_one(struct unitscan *u, const char *name)
{
	struct unit_adjust adj = { 0 };
	struct dropin *di = NULL;
	size_t ndi = 0;
	char shown[4096];
	int masked, rc = 0, fd;

	/* the unit file: the first directory that holds the name */
	for (size_t i = 0; i < NUNIT_DIRS; i++) {
		char target[4096];
		struct stat st;
		ssize_t n;

		if (u->fd[i] < 0 || fstatat(u->fd[i], name, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode))
			continue;
		if (S_ISLNK(st.st_mode) && (n = readlinkat(u->fd[i], name, target, sizeof(target) - 1)) > 0) {
			const char *b;

			target[n] = '\0';
			b = strrchr(target, '/');
			b = b ? b + 1 : target;
			/* an alias: the unit is read under its own name */
			if (strcmp(target, "/dev/null") != 0 && strcmp(b, name) != 0)
				return 0;
		}
		fd = unit_open(u, i, name, shown, sizeof(shown), &masked);
		if (masked)
			return 0;
		if (fd >= 0 && (rc = unit_read(u, fd, shown, &adj)) < 0)
			return rc;
		break;
	}
	/* then the drop-ins, in file-name order across all directories */
	rc = unit_dropins(u, name, &di, &ndi);
	if (rc < 0)
		return rc;
	for (size_t k = 0; k < ndi; k++) {
		char rel[600];

		snprintf(rel, sizeof(rel), "%s.d/%s", name, di[k].name);
		fd = unit_open(u, (size_t)di[k].dir, rel, shown, sizeof(shown), &masked);
		if (fd >= 0 && (rc = unit_read(u, fd, shown, &adj)) < 0)
			break;
	}
	free(di);
	if (rc < 0)
		return rc;
	if (!adj.set || adj.v != -1000 || unit_is_allowed(u->a, name))
		return 0;
	{
		json_object *ev = json_object_new_object();

		json_object_object_add(ev, "unit", ol_json_string(name));
		json_object_object_add(ev, "file", ol_json_string(adj.file));
		json_object_object_add(ev, "line", json_object_new_int(adj.line));
		return add_finding(u->a, OL_R_UNIT_ADJUST, NULL, ev, "%s sets OOMScoreAdjust=-1000 (%s:%d)",
				   name, adj.file, adj.line);
	}
}

static int unit_rules(struct actx *a)
{
	struct unitscan u = { .a = a };
	struct stat seen[NUNIT_DIRS];
	int rc;

	for (size_t i = 0; i < NUNIT_DIRS; i++) {
		u.fd[i] = ol_root_openat(a->root, a->root->basefd, unit_dirs[i] + 1, OL_OPEN_DIR, NULL);
		if (u.fd[i] < 0) {
			u.fd[i] = -1;
			continue;
		}
		/* /lib -> usr/lib: one directory under two names is read once */
		if (fstat(u.fd[i], &seen[i]) < 0) {
			close(u.fd[i]);
			u.fd[i] = -1;
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			if (u.fd[j] >= 0 && seen[j].st_dev == seen[i].st_dev && seen[j].st_ino == seen[i].st_ino) {
				close(u.fd[i]);
				u.fd[i] = -1;
				break;
			}
		}
	}
	rc = unit_names(&u);
	for (size_t i = 0; i < u.nnames && rc == 0; i++)
		if (i == 0 || strcmp(u.names[i], u.names[i - 1]) != 0)
			rc = unit_one(&u, u.names[i]);
	for (size_t i = 0; i < u.nnames; i++)
		free(u.names[i]);
	free(u.names);
	for (size_t i = 0; i < NUNIT_DIRS; i++)
		if (u.fd[i] >= 0)
			close(u.fd[i]);
	free(u.line);
	return rc;
}

/* ---- the kernel log ---- */

struct logscan {
	struct actx *a;
	struct ol_logparser *p;
	unsigned long kills;
	char last_victim[64];
	struct { char name[64]; long pid; unsigned long n; } dep[32];
	int ndep;
	int err;
};

static void on_event(struct ol_oom_event *ev, void *data)
{
	struct logscan *ls = data;

	if (!ev->userspace && ev->outcome == OL_OUTCOME_KILLED) {
		ls->kills += ev->nvictims;
		if (ev->nvictims)
			snprintf(ls->last_victim, sizeof(ls->last_victim), "%s", ev->victims[ev->nvictims - 1].comm);
	}
	ol_oom_event_free(ev);
}

static void scan_line(struct logscan *ls, const char *line, size_t len)
{
	struct ol_logline l;
	const char *k;

	ol_logparser_line(ls->p, line, len);
	ol_log_unwrap(line, len, &l);
	/* "NAME (PID): /proc/PID/oom_adj is deprecated, please use ..." */
	k = memmem(l.body, l.bodylen, "/oom_adj is deprecated", 22);
	if (k) {
		const char *o = memmem(l.body, l.bodylen, " (", 2);
		char name[64];
		long pid = 0;
		int i;

		if (!o || o > k)
			return;
		snprintf(name, sizeof(name), "%.*s", (int)(o - l.body), l.body);
		pid = strtol(o + 2, NULL, 10);
		for (i = 0; i < ls->ndep; i++)
			if (strcmp(ls->dep[i].name, name) == 0)
				break;
		if (i == ls->ndep) {
			if (ls->ndep == 32)
				return;
			snprintf(ls->dep[i].name, sizeof(ls->dep[i].name), "%s", name);
			ls->dep[i].n = 0;
			ls->ndep++;
		}
		ls->dep[i].pid = pid;
		ls->dep[i].n++;
	}
}

static int kmsg_cb(const struct ol_kmsg_rec *rec, void *data)
{
	char line[8300];

	scan_line(data, line, ol_kmsg_line(rec, line, sizeof(line)));
	return 0;
}

static int log_line(const char *s, size_t len, void *data)
{
	scan_line(data, s, len);
	return 0;
}

static int log_rules(struct actx *a)
{
	struct ol_logparser_opts po = { .on_event = on_event };
	struct logscan ls = { .a = a };
	struct ol_logsink sink = { .line = log_line, .data = &ls };
	const char *src = NULL;
	char path[4096];
	int rc = 0;

	po.data = &ls;
	ls.p = ol_logparser_new(&po);
	if (!ls.p)
		return -ENOMEM;
	if (a->o->log_path) {
		/* the user named it: a file that cannot be read fails the run */
		snprintf(path, sizeof(path), "%s", a->o->log_path);
		rc = ol_logsrc_path(&sink, path, NULL);
		if (rc < 0) {
			a->f->log_error = rc;
			goto out;
		}
		src = path;
	} else if (a->root->path) {
		const char *name;
		int fd = ol_logsrc_sysroot_open(a->root, &name, NULL);

		if (fd < 0) {
			snprintf(a->f->note, sizeof(a->f->note),
				 "no kernel log to read (DIR/var/log/kern.log, messages, syslog): log rules skipped");
			goto out;
		}
		snprintf(path, sizeof(path), "%s/%s", a->root->path, name);
		rc = ol_logsrc_fd(&sink, fd, 0, NULL);
		if (rc < 0) {
			snprintf(a->f->note, sizeof(a->f->note), "cannot read %.120s (%.60s): log rules skipped",
				 path + strlen(a->root->path), rc == -EBADMSG ? "corrupt compressed data" : strerror(-rc));
			rc = 0;
			goto out;
		}
		src = path;
	} else {
		rc = ol_logsrc_kmsg_records(kmsg_cb, &ls, NULL);
		if (rc < 0) {
			snprintf(a->f->note, sizeof(a->f->note), "the kernel log is not readable (%s): log rules skipped",
				 strerror(-rc));
			rc = 0;
			goto out;
		}
		src = "/dev/kmsg";
	}
	ol_logparser_flush(ls.p, 0);
	a->f->log_read = 1;
	for (int i = 0; i < ls.ndep && rc == 0; i++) {
		json_object *ev = json_object_new_object();
		char *e = ol_escape(ls.dep[i].name);

		json_object_object_add(ev, "comm", ol_json_string(ls.dep[i].name));
		json_object_object_add(ev, "pid", json_object_new_int64(ls.dep[i].pid));
		json_object_object_add(ev, "messages", json_object_new_int64((long long)ls.dep[i].n));
		json_object_object_add(ev, "log", ol_json_string(src));
		rc = add_finding(a, OL_R_LEGACY_OOM_ADJ, NULL, ev,
				 "%s (pid %ld) wrote the deprecated /proc/PID/oom_adj", e ? e : "?", ls.dep[i].pid);
		free(e);
	}
	if (rc == 0 && ls.kills) {
		json_object *ev = json_object_new_object();
		char *e = ol_escape(ls.last_victim);

		json_object_object_add(ev, "kills", json_object_new_int64((long long)ls.kills));
		json_object_object_add(ev, "log", ol_json_string(src));
		rc = add_finding(a, OL_R_OOM_KILLS, NULL, ev, "%lu OOM kill%s in %s, the last of %s",
				 ls.kills, ls.kills == 1 ? "" : "s", src, e ? e : "?");
		free(e);
	}
out:
	ol_logparser_free(ls.p);
	return rc;
}

int ol_audit_run(const struct ol_root *root, const struct ol_audit_opts *o,
		 struct ol_findings *f)
{
	struct ol_scan_opts so = { .read = OL_READ_STATUS | OL_READ_OOM_SCORE_ADJ | OL_READ_OOM_ADJ |
					   OL_READ_CGROUP };
	struct ol_proclist pl = { 0 };
	struct actx a = { .root = root, .o = o, .c = o->conf, .f = f };
	struct ol_kube *kube = NULL;
	size_t i;
	int rc;

	memset(f, 0, sizeof(*f));
	if (geteuid() != 0)
		f->hidepid = ol_root_hidepid(root);
	rc = ol_sysinfo_read(root, &a.si);
	if (rc < 0)
		return rc;
	a.model = ol_model_new(root, &a.si, NULL);
	if (!a.model)
		return -ENOMEM;
	so.read |= ol_read_for(ol_kernel_needs(ol_model_kernel(a.model)));
	rc = ol_scan(root, &so, &pl);
	if (rc < 0)
		goto out;
	a.ap = calloc(pl.n ? pl.n : 1, sizeof(*a.ap));
	/* a pod by its names on a Kubernetes node: "pod:NAMESPACE/POD/CONTAINER" */
	if (!a.ap || ol_kube_load(root, &kube) < 0 || ol_model_rank(a.model, pl.procs, pl.n) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	a.kube = kube;
	for (i = 0; i < pl.n; i++) {
		struct aproc *x = &a.ap[a.n++];
		struct ol_cg_decoded *d = &x->cg;

		x->p = &pl.procs[i];
		x->r = ol_model_get(a.model, i);
		x->unkillable = ((x->p->have & OL_HAVE_ADJ) && x->p->oom_score_adj == -1000) ||
				((x->p->have & OL_HAVE_OOMADJ) && x->p->oom_adj == -17);
		if (ol_proc_cgroup(x->p)) {
			ol_cgroup_decode(ol_proc_cgroup(x->p), d);
			if (d->kind == OL_CG_NONE && x->p->cgroup_unified[0])
				ol_cgroup_decode(x->p->cgroup_unified, d);
			if (d->kind == OL_CG_NONE && x->p->cgroup_systemd && x->p->cgroup_systemd[0])
				ol_cgroup_decode(x->p->cgroup_systemd, d);
			ol_kube_label(kube, d, x->unit, sizeof(x->unit));
		}
	}
	if (a.n)
		qsort(a.ap, a.n, sizeof(*a.ap), cmp_pid);
	if ((rc = process_rules(&a)) < 0 || (rc = sysctl_rules(&a)) < 0 || (rc = memcg_rules(&a)) < 0 ||
	    (rc = unit_rules(&a)) < 0)
		goto out;
	if (!o->no_log)
		rc = log_rules(&a);
	else
		snprintf(f->note, sizeof(f->note), "log rules skipped (--no-log)");
out:
	ol_kube_free(kube);
	free(a.ap);
	ol_model_free(a.model);
	ol_proclist_free(&pl);
	if (rc < 0)
		ol_findings_free(f);
	return rc;
}

void ol_findings_free(struct ol_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].message);
		free(f->v[i].evidence);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}
