// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pid -> cgroup from cgroup.procs files: see include/oomlens/cgmap.h.
 *
 * /proc/PID/cgroup prints, for each hierarchy, the cgroup of the task
 * relative to the reader's cgroup namespace root; a cgroup's cgroup.procs
 * lists the thread-group ids with a thread in it, in the reader's pid
 * namespace.  Walking a hierarchy mounted at its (namespace) root therefore
 * gives the same paths, with three exceptions the map answers "don't know"
 * for: a pid listed in two cgroups of one hierarchy (its threads are
 * split), a pid listed nowhere (a zombie, or born after the walk), and a
 * hierarchy that is not mounted whole (then no map at all).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oomlens/cgmap.h"
#include "oomlens/root.h"

/* below this many processes one file each is cheap enough */
#define CGMAP_MIN_PROCS	1000
/* deeper trees are left to /proc/PID/cgroup */
#define CGMAP_MAX_DEPTH	64
#define AMBIGUOUS	UINT_MAX

struct entry {
	pid_t pid;
	unsigned int path;	/* index in paths[], AMBIGUOUS when in two */
};

struct hier {
	char line[96];		/* "ID:CONTROLLERS:" as /proc/PID/cgroup starts it */
	char ctrl[80];		/* "memory", "name=systemd", "" for v2 */
	char mnt[PATH_MAX];
	char **paths;
	size_t npaths;
	struct entry *e;
	size_t ne, cap;
};

struct ol_cgmap {
	struct hier h[4];
	size_t nh;
	size_t dirs, maxdirs;	/* cgroups walked, and the most worth walking */
	struct ol_buf buf;
};

static int wanted(const char *id, const char *ctrl)
{
	char list[80], *t, *save = NULL;

	if (strcmp(id, "0") == 0 && !*ctrl)
		return 1;
	if (strcmp(ctrl, "name=systemd") == 0)
		return 1;
	snprintf(list, sizeof(list), "%s", ctrl);
	for (t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (strcmp(t, "memory") == 0)
			return 1;
	return 0;
}

/* The hierarchies /proc/self/cgroup names that oomlens reads.  0 or -1 */
static int find_hiers(struct ol_cgmap *m)
{
	char *line, *save = NULL;

	if (ol_read_at(AT_FDCWD, "/proc/self/cgroup", &m->buf) < 0)
		return -1;
	for (line = strtok_r(m->buf.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		struct hier *h;

		if (!c2)
			return -1;
		*c1 = *c2 = '\0';
		if (!wanted(line, c1 + 1))
			continue;
		if (m->nh == sizeof(m->h) / sizeof(m->h[0]) ||
		    strlen(c1 + 1) >= sizeof(h->ctrl))
			return -1;
		h = &m->h[m->nh++];
		snprintf(h->ctrl, sizeof(h->ctrl), "%s", c1 + 1);
		snprintf(h->line, sizeof(h->line), "%s:%s:", line, c1 + 1);
	}
	return m->nh ? 0 : -1;
}

/* Whether every controller of @ctrl is among the super options @opts. */
static int opts_have(const char *opts, const char *ctrl)
{
	char list[80], *t, *save = NULL;

	snprintf(list, sizeof(list), "%s", ctrl);
	for (t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(t);
		const char *o = opts;

		while ((o = strstr(o, t)) && !((o == opts || o[-1] == ',') && (!o[n] || o[n] == ',')))
			o += n;
		if (!o)
			return 0;
	}
	return 1;
}

/*
 * One mountinfo line: "36 25 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory".
 * A mount of the whole hierarchy (root "/") with no escaped characters.
 */
static void match_mount(struct ol_cgmap *m, char *line)
{
	char root[PATH_MAX], mnt[PATH_MAX], fstype[32], opts[512];
	const char *dash = strstr(line, " - ");
	size_t i;

	if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 ||
	    sscanf(dash + 3, "%31s %*s %511s", fstype, opts) != 2)
		return;
	if (strcmp(root, "/") != 0 || strchr(mnt, '\\'))
		return;
	for (i = 0; i < m->nh; i++) {
		struct hier *h = &m->h[i];

		if (h->mnt[0])
			continue;
		if ((!h->ctrl[0] && strcmp(fstype, "cgroup2") == 0) ||
		    (h->ctrl[0] && strcmp(fstype, "cgroup") == 0 && opts_have(opts, h->ctrl)))
			snprintf(h->mnt, sizeof(h->mnt), "%s", mnt);
	}
}

static int find_mounts(struct ol_cgmap *m)
{
	char *line, *save = NULL;
	size_t i;

	if (ol_read_seq_at(AT_FDCWD, "/proc/self/mountinfo", &m->buf) < 0)
		return -1;
	for (line = strtok_r(m->buf.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		match_mount(m, line);
	for (i = 0; i < m->nh; i++)
		if (!m->h[i].mnt[0])
			return -1;
	return 0;
}

static int add_pids(struct hier *h, const char *text, unsigned int path)
{
	const char *p = text;
	char *end;

	while (*p) {
		long pid = strtol(p, &end, 10);

		if (end == p || (*end && *end != '\n'))
			return -1;
		p = *end ? end + 1 : end;
		if (pid <= 0)	/* 0: a task outside our pid namespace */
			continue;
		if (h->ne == h->cap) {
			size_t cap = h->cap ? 2 * h->cap : 1024;
			struct entry *e = realloc(h->e, cap * sizeof(*e));

			if (!e)
				return -1;
			h->e = e;
			h->cap = cap;
		}
		h->e[h->ne++] = (struct entry){ (pid_t)pid, path };
	}
	return 0;
}

static int add_path(struct hier *h, const char *path)
{
	char **p = realloc(h->paths, (h->npaths + 1) * sizeof(*p));

	if (!p)
		return -1;
	h->paths = p;
	if (!(p[h->npaths] = strdup(*path ? path : "/")))
		return -1;
	h->npaths++;
	return 0;
}

/* One cgroup (@dfd, at @path) and those below it.  0 or -1 (no map) */
static int walk(struct ol_cgmap *m, struct hier *h, int dfd, char *path, size_t len, int depth)
{
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	if (depth > CGMAP_MAX_DEPTH || ++m->dirs > m->maxdirs || add_path(h, path) < 0 ||
	    ol_read_seq_at(dfd, "cgroup.procs", &m->buf) < 0 ||
	    add_pids(h, m->buf.data, (unsigned int)(h->npaths - 1)) < 0) {
		close(dfd);
		return -1;
	}
	dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return -1;
	}
	while (rc == 0 && (errno = 0, de = readdir(dir))) {
		size_t n = strlen(de->d_name);
		int sub;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (len + 1 + n >= PATH_MAX)
			rc = -1;
		else if ((sub = openat(dirfd(dir), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			rc = errno == ENOENT ? 0 : -1;	/* removed meanwhile: its tasks moved */
		else {
			path[len] = '/';
			memcpy(path + len + 1, de->d_name, n + 1);
			rc = walk(m, h, sub, path, len + 1 + n, depth + 1);
			path[len] = '\0';
		}
	}
	if (rc == 0 && errno)
		rc = -1;
	closedir(dir);
	return rc;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Sorted by pid, each pid once: one listed twice is AMBIGUOUS. */
static void settle(struct hier *h)
{
	size_t i, j = 0;

	qsort(h->e, h->ne, sizeof(*h->e), entry_cmp);
	for (i = 0; i < h->ne; i++) {
		if (j && h->e[j - 1].pid == h->e[i].pid) {
			if (h->e[j - 1].path != h->e[i].path)
				h->e[j - 1].path = AMBIGUOUS;
			continue;
		}
		h->e[j++] = h->e[i];
	}
	h->ne = j;
}

struct ol_cgmap *ol_cgmap_new(size_t nprocs)
{
	struct ol_cgmap *m;
	char path[PATH_MAX];
	size_t i;

	if (nprocs < CGMAP_MIN_PROCS || !(m = calloc(1, sizeof(*m))))
		return NULL;
	m->maxdirs = nprocs / 4;
	if (find_hiers(m) < 0 || find_mounts(m) < 0)
		goto fail;
	for (i = 0; i < m->nh; i++) {
		int fd = open(m->h[i].mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		path[0] = '\0';
		if (fd < 0 || walk(m, &m->h[i], fd, path, 0, 0) < 0)
			goto fail;
		settle(&m->h[i]);
	}
	ol_buf_free(&m->buf);
	return m;
fail:
	ol_cgmap_free(m);
	return NULL;
}

int ol_cgmap_lines(const struct ol_cgmap *m, pid_t pid, char *buf, size_t size)
{
	const struct entry key = { pid, 0 };
	size_t i, len = 0;

	for (i = 0; i < m->nh; i++) {
		const struct hier *h = &m->h[i];
		const struct entry *e = bsearch(&key, h->e, h->ne, sizeof(*h->e), entry_cmp);
		int n;

		if (!e || e->path == AMBIGUOUS)
			return -ENOENT;
		n = snprintf(buf + len, size - len, "%s%s\n", h->line, h->paths[e->path]);
		if (n < 0 || (size_t)n >= size - len)
			return -ENAMETOOLONG;
		len += (size_t)n;
	}
	return (int)len;
}

void ol_cgmap_free(struct ol_cgmap *m)
{
	size_t i, j;

	if (!m)
		return;
	for (i = 0; i < m->nh; i++) {
		for (j = 0; j < m->h[i].npaths; j++)
			free(m->h[i].paths[j]);
		free(m->h[i].paths);
		free(m->h[i].e);
	}
	ol_buf_free(&m->buf);
	free(m);
}
