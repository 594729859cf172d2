// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "oomlens/root.h"

struct ol_notes {
	char *base;		/* the sysroot's real path, to show paths inside it */
	char **v;
	size_t n;
	size_t dropped;
};

/* ---- resolving a path inside a tree ---- */

/* A link followed more often than this is a loop (the kernel's own limit). */
#define MAX_LINKS	40

static int use_openat2 = 1;

void ol_root_set_openat2(int use)
{
	use_openat2 = use;
}

static int dup_path(int fd)
{
	int d = openat(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	return d < 0 ? -errno : d;
}

/*
 * The remaining path after a link: its target, then what was left to walk.
 * Returns a new string or NULL.
 */
static char *link_splice(const char *target, const char *rest)
{
	char *s;

	if (asprintf(&s, "%s%s%s", target, *rest ? "/" : "", rest) < 0)
		return NULL;
	return s;
}

/* How deep the walk below keeps the directories it came through. */
#define MAX_DEPTH	128

struct walk {
	int root;
	int dirs[MAX_DEPTH];	/* dirs[0..depth]: the way down; dirs[depth] is the current one */
	int depth;
};

static void walk_reset(struct walk *w)
{
	while (w->depth > 0)
		close(w->dirs[w->depth--]);
}

/*
 * Where openat2(2) is missing: one component at a time with O_NOFOLLOW, a
 * link read with readlinkat(2) and walked on from the root (absolute) or
 * from where it sits (relative).  ".." goes back to the directory the walk
 * came from, and stays at the root there, as RESOLVE_IN_ROOT does: the walk
 * only ever holds directories it reached from the root, so it cannot climb
 * out.  Returns an O_PATH descriptor or -errno.
 */
static int walk_in_root(int root, const char *name)
{
	struct walk w = { .root = root };
	char *path = strdup(name), *p;
	int links = 0, rc = 0;

	if (!path)
		return -ENOMEM;
	w.dirs[0] = root;
	p = path;
	while (rc == 0) {
		char comp[NAME_MAX + 1], target[PATH_MAX], *np;
		size_t len;
		struct stat st;
		ssize_t n;
		int next;

		p += strspn(p, "/");
		if (!*p)
			break;
		len = strcspn(p, "/");
		if (len > NAME_MAX) {
			rc = -ENAMETOOLONG;
			break;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		p += len;
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (w.depth > 0)
				close(w.dirs[w.depth--]);
			continue;
		}
		next = openat(w.dirs[w.depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 || fstat(next, &st) < 0) {
			rc = -errno;
			if (next >= 0)
				close(next);
			break;
		}
		if (!S_ISLNK(st.st_mode)) {
			if (w.depth + 1 == MAX_DEPTH) {
				close(next);
				rc = -ENAMETOOLONG;
			} else if (!S_ISDIR(st.st_mode) && p[strspn(p, "/")]) {
				close(next);
				rc = -ENOTDIR;
			} else {
				w.dirs[++w.depth] = next;
			}
			continue;
		}
		n = readlinkat(next, "", target, sizeof(target) - 1);
		close(next);
		if (n <= 0 || ++links > MAX_LINKS) {
			rc = n < 0 ? -errno : n == 0 ? -ENOENT : -ELOOP;
			break;
		}
		target[n] = '\0';
		np = link_splice(target, p + strspn(p, "/"));
		if (!np) {
			rc = -ENOMEM;
			break;
		}
		free(path);
		path = p = np;
		if (*p == '/')
			walk_reset(&w);	/* absolute: from the tree's root */
	}
	free(path);
	if (rc == 0 && w.depth == 0)
		rc = dup_path(root);
	else if (rc == 0)
		rc = w.dirs[w.depth--];	/* handed over, not closed below */
	walk_reset(&w);
	return rc;
}

static int resolve_in_root(int root, const char *name)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	if (use_openat2) {
		for (int tries = 0; tries < 8; tries++) {
			long fd = syscall(SYS_openat2, root, name, &how, sizeof(how));

			if (fd >= 0)
				return (int)fd;
			/* EAGAIN: a concurrent rename; try again */
			if (errno != EAGAIN)
				break;
		}
		if (errno != ENOSYS)
			return -errno;
		use_openat2 = 0;
	}
	return walk_in_root(root, name);
}

static const char *type_str(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISREG(m))
		return "a file";
	return "of an unknown type";
}

/* The regular file @pfd (O_PATH) opened for reading, without a new lookup. */
static int reopen_file(int pfd, const struct stat *st)
{
	char self[64];
	struct stat now;
	int fd;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* the very file fstat() saw: /proc/self/fd reopens that inode */
	if (fstat(fd, &now) < 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

static int open_live(int dirfd, const char *name, unsigned int flags, struct stat *st)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY |
			(flags & OL_OPEN_DIR ? O_DIRECTORY : O_NONBLOCK));

	if (fd < 0)
		return -errno;
	if (st && fstat(fd, st) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

static void refused(const struct ol_root *root, int dirfd, const char *name,
		    unsigned int flags, int err, const struct stat *st)
{
	/* out of descriptors: the caller may make room and try again */
	if (flags & OL_OPEN_QUIET || err == -ENOENT || err == -EMFILE || err == -ENFILE)
		return;
	if (err == -EXDEV || err == -ELOOP)
		ol_root_note(root, dirfd, name, "%s: skipped",
			     err == -EXDEV ? "a link that leads out of the tree" :
			     "a loop of symbolic links (or a magic link)");
	else if (err == -EISDIR || err == -ENOTDIR || err == -EINVAL || err == -ENODEV)
		ol_root_note(root, dirfd, name, "%s, not a %s: skipped", type_str(st->st_mode),
			     flags & OL_OPEN_DIR ? "directory" : "regular file");
	else
		ol_root_note(root, dirfd, name, "cannot open: %s", strerror(-err));
}

int ol_root_openat(const struct ol_root *root, int dirfd, const char *name,
		   unsigned int flags, struct stat *st)
{
	struct stat sb;
	int pfd, fd;

	if (dirfd < 0)
		return -ENOENT;	/* a sysroot without that directory */
	if (!st)
		st = &sb;
	if (ol_root_is_live(root))
		return open_live(dirfd, name, flags, st == &sb ? NULL : st);
	memset(st, 0, sizeof(*st));
	pfd = resolve_in_root(dirfd, name);
	if (pfd < 0) {
		refused(root, dirfd, name, flags, pfd, st);
		return pfd;
	}
	if (fstat(pfd, st) < 0) {
		fd = -errno;
	} else if (flags & OL_OPEN_DIR) {
		fd = S_ISDIR(st->st_mode) ? openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -ENOTDIR;
		if (fd == -1)
			fd = -errno;
	} else if (S_ISREG(st->st_mode)) {
		fd = reopen_file(pfd, st);
	} else {
		fd = S_ISDIR(st->st_mode) ? -EISDIR : S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ?
		     -ENODEV : -EINVAL;
	}
	close(pfd);
	if (fd < 0)
		refused(root, dirfd, name, flags, fd, st);
	return fd;
}

/* ---- notes ---- */

/* @dirfd's path relative to the sysroot, "" for the sysroot itself. */
static int dir_path(const struct ol_root *root, int dirfd, char *out, size_t sz)
{
	const char *base = root->notes ? root->notes->base : NULL;
	char self[64], path[PATH_MAX];
	size_t blen;
	ssize_t n;

	out[0] = '\0';
	if (dirfd < 0 || !base)
		return -ENOENT;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", dirfd);
	n = readlink(self, path, sizeof(path) - 1);
	if (n <= 0)
		return -ENOENT;
	path[n] = '\0';
	blen = strlen(base);
	if (strcmp(base, "/") == 0)
		blen = 0;
	else if (strncmp(path, base, blen) != 0 || (path[blen] != '/' && path[blen] != '\0'))
		return -ENOENT;
	snprintf(out, sz, "%s", path + blen + (path[blen] == '/'));
	return 0;
}

int ol_root_fd_path(const struct ol_root *root, int fd, char *out, size_t sz)
{
	char self[64], rel[PATH_MAX];
	ssize_t n;

	if (ol_root_is_live(root)) {
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		n = readlink(self, rel, sizeof(rel) - 1);
		if (n <= 0 || (size_t)n >= sz)
			return -ENOENT;
		memcpy(out, rel, (size_t)n);
		out[n] = '\0';
		return 0;
	}
	if (dir_path(root, fd, rel, sizeof(rel)) < 0)
		return -ENOENT;
	snprintf(out, sz, "/%s", rel);
	return 0;
}

static pthread_mutex_t notes_lock = PTHREAD_MUTEX_INITIALIZER;

void ol_root_note(const struct ol_root *root, int dirfd, const char *name,
		  const char *fmt, ...)
{
	struct ol_notes *ns = root->notes;
	char dir[PATH_MAX], why[512], *line, **nv;
	va_list ap;

	if (!ns)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	dir_path(root, dirfd, dir, sizeof(dir));
	if (asprintf(&line, "%s%s%s: %s", dir, *dir && *name ? "/" : "", name, why) < 0)
		return;
	/* a live scan may read in two threads (ol_scan()) */
	pthread_mutex_lock(&notes_lock);
	for (size_t i = 0; i < ns->n; i++) {
		if (strcmp(ns->v[i], line) == 0) {
			free(line);
			line = NULL;
			break;
		}
	}
	if (line && (ns->n == OL_NOTES_MAX || !(nv = realloc(ns->v, (ns->n + 1) * sizeof(*nv))))) {
		ns->dropped++;
		free(line);
	} else if (line) {
		ns->v = nv;
		ns->v[ns->n++] = line;
	}
	pthread_mutex_unlock(&notes_lock);
}

const char *ol_root_note_get(const struct ol_root *root, size_t i)
{
	return root->notes && i < root->notes->n ? root->notes->v[i] : NULL;
}

size_t ol_root_notes_dropped(const struct ol_root *root)
{
	return root->notes ? root->notes->dropped : 0;
}

static void notes_free(struct ol_notes *ns)
{
	if (!ns)
		return;
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	free(ns->base);
	free(ns);
}

/* ---- the root ---- */

static int open_dir(const struct ol_root *root, const char *name)
{
	return ol_root_openat(root, root->basefd, name, OL_OPEN_DIR, NULL);
}

int ol_root_open(struct ol_root *root, const char *sysroot)
{
	int rc;

	memset(root, 0, sizeof(*root));
	root->basefd = root->procfd = root->sysfd = root->etcfd = -1;
	root->notes = calloc(1, sizeof(*root->notes));
	if (!root->notes)
		return -ENOMEM;
	if (sysroot) {
		root->path = strdup(sysroot);
		root->notes->base = realpath(sysroot, NULL);
		if (!root->path) {
			ol_root_close(root);
			return -ENOMEM;
		}
		/* the user named it: a link to it is followed */
		root->basefd = open(sysroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		root->basefd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (root->basefd < 0) {
		rc = -errno;
		ol_root_close(root);
		return rc;
	}
	rc = open_dir(root, "proc");
	if (rc < 0) {
		ol_root_close(root);
		return rc;
	}
	root->procfd = rc;
	root->sysfd = open_dir(root, "sys");
	root->etcfd = open_dir(root, "etc");
	if (root->sysfd < 0)
		root->sysfd = -1;
	if (root->etcfd < 0)
		root->etcfd = -1;
	return 0;
}

void ol_root_close(struct ol_root *root)
{
	if (root->basefd >= 0)
		close(root->basefd);
	if (root->procfd >= 0)
		close(root->procfd);
	if (root->sysfd >= 0)
		close(root->sysfd);
	if (root->etcfd >= 0)
		close(root->etcfd);
	free(root->path);
	notes_free(root->notes);
	root->notes = NULL;
	root->path = NULL;
	root->basefd = root->procfd = root->sysfd = root->etcfd = -1;
}

void ol_buf_free(struct ol_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static int buf_grow(struct ol_buf *b, size_t want)
{
	char *p;

	if (b->cap >= want)
		return 0;
	p = realloc(b->data, want);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = want;
	return 0;
}

/* @fd into @b; with @to_eof until read() gives 0, else to the first short read */
static int read_fd(int fd, struct ol_buf *b, int to_eof)
{
	int rc = 0;

	if (buf_grow(b, 4096) < 0)
		return -ENOMEM;
	b->len = 0;
	for (;;) {
		ssize_t n;

		if (b->len + 1 >= b->cap) {
			if (b->cap >= OL_READ_MAX) {
				rc = -EFBIG;
				break;
			}
			if (buf_grow(b, b->cap * 2) < 0) {
				rc = -ENOMEM;
				break;
			}
		}
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		/*
		 * /proc files hand over their whole content in one read()
		 * when the buffer is large enough: a short read is the end.
		 * Regular files (fixture trees) are read to EOF the same way.
		 * A seq_file (mountinfo, cgroup.procs) hands over a page or so.
		 */
		if (!to_eof && b->len + 1 < b->cap)
			break;
	}
	b->data[b->len] = '\0';
	return rc;
}

int ol_read_fd(int fd, struct ol_buf *b)
{
	return read_fd(fd, b, 0);
}

int ol_read_seq_at(int dirfd, const char *name, struct ol_buf *b)
{
	int fd, rc;

	if (dirfd < 0 && dirfd != AT_FDCWD)
		return -ENOENT;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	rc = read_fd(fd, b, 1);
	close(fd);
	return rc;
}

int ol_read_at(int dirfd, const char *name, struct ol_buf *b)
{
	return ol_read_at_keep(dirfd, name, b, NULL);
}

/* Read the open @fd, then close it or hand it over in *@keep. */
static int read_and_keep(int fd, struct ol_buf *b, int *keep)
{
	int rc = ol_read_fd(fd, b);

	if (keep)
		*keep = fd;
	else
		close(fd);
	return rc;
}

int ol_read_at_keep(int dirfd, const char *name, struct ol_buf *b, int *keep)
{
	int fd;

	if (keep)
		*keep = -1;
	if (dirfd < 0 && dirfd != AT_FDCWD)
		return -ENOENT;	/* a sysroot without that directory */
	if (buf_grow(b, 4096) < 0)
		return -ENOMEM;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	return read_and_keep(fd, b, keep);
}

int ol_root_read(const struct ol_root *root, int dirfd, const char *name,
		 struct ol_buf *b)
{
	return ol_root_read_keep(root, dirfd, name, b, NULL);
}

int ol_root_read_keep(const struct ol_root *root, int dirfd, const char *name,
		      struct ol_buf *b, int *keep)
{
	int fd, rc;

	if (keep)
		*keep = -1;
	if (buf_grow(b, 4096) < 0)
		return -ENOMEM;
	b->len = 0;
	b->data[0] = '\0';
	fd = ol_root_openat(root, dirfd, name, OL_OPEN_FILE, NULL);
	if (fd < 0)
		return fd;
	rc = read_and_keep(fd, b, keep);
	if (rc == -EFBIG)
		ol_root_note(root, dirfd, name, "larger than %u MiB: skipped", OL_READ_MAX >> 20);
	else if (rc < 0 && !ol_root_is_live(root))
		ol_root_note(root, dirfd, name, "cannot read: %s", strerror(-rc));
	return rc;
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

void ol_fds_close(int *fds, size_t n)
{
	static int no_close_range;	/* read and set with __atomic: scans may run in two threads */
	size_t i = 0;

	qsort(fds, n, sizeof(*fds), int_cmp);
	while (i < n) {
		size_t j = i;

		while (j + 1 < n && fds[j + 1] == fds[j] + 1)
			j++;
		if (j > i && !__atomic_load_n(&no_close_range, __ATOMIC_RELAXED) &&
		    close_range((unsigned int)fds[i], (unsigned int)fds[j], 0) == 0) {
			i = j + 1;
			continue;
		}
		if (j > i && errno == ENOSYS)
			__atomic_store_n(&no_close_range, 1, __ATOMIC_RELAXED);
		for (; i <= j; i++)
			close(fds[i]);
	}
}

int ol_root_hidepid(const struct ol_root *root)
{
	struct ol_buf b = { 0 };
	struct stat st;
	char dev[32];
	int level = 0, fd = -1, rc = -1;
	char *line, *save = NULL;

	/*
	 * The mount of the /proc we read, found in its own mountinfo by device
	 * number: "36 25 0:5 / /proc rw,nosuid - proc proc rw,hidepid=2".
	 * A copied tree has no mountinfo: 0.  A sysroot whose proc is a real
	 * proc mount (a private one, say) has, read inside the tree, to its
	 * end (a seq_file: a page a read()).
	 */
	if (root->procfd >= 0 && fstat(root->procfd, &st) == 0 &&
	    (fd = ol_root_openat(root, root->procfd, "self/mountinfo", OL_OPEN_FILE, NULL)) >= 0) {
		rc = read_fd(fd, &b, 1);
		close(fd);
	}
	if (rc < 0) {
		ol_buf_free(&b);
		return 0;
	}
	snprintf(dev, sizeof(dev), "%u:%u", major(st.st_dev), minor(st.st_dev));
	for (line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[32], *dash = strstr(line, " - proc "), *h;

		if (!dash || sscanf(line, "%*s %*s %31s", id) != 1 || strcmp(id, dev) != 0)
			continue;
		if ((h = strstr(dash, "hidepid="))) {
			h += 8;
			if (*h >= '1' && *h <= '4')
				level = *h - '0';
			else if (strncmp(h, "noaccess", 8) == 0)
				level = 1;
			else if (strncmp(h, "invisible", 9) == 0)
				level = 2;
			else if (strncmp(h, "ptraceable", 10) == 0)
				level = 4;
		}
		break;
	}
	ol_buf_free(&b);
	return level;
}
