// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "oomlens/cgmap.h"
#include "oomlens/model.h"
#include "oomlens/parse.h"
#include "oomlens/proc.h"

unsigned int ol_read_for(unsigned int have)
{
	unsigned int r = 0;

	if (have & (OL_HAVE_PPID | OL_HAVE_UID | OL_HAVE_KTHREAD | OL_HAVE_MEM |
		    OL_HAVE_RSS | OL_HAVE_SWAP | OL_HAVE_PGTABLES | OL_HAVE_PMD | OL_HAVE_CAPS |
		    OL_HAVE_MM | OL_HAVE_STATE | OL_HAVE_COMM))
		r |= OL_READ_STATUS;
	if (have & (OL_HAVE_START | OL_HAVE_STAT_RSS))
		r |= OL_READ_STAT;
	if (have & OL_HAVE_CAPS)
		r |= OL_READ_CAPS;
	if (have & OL_HAVE_SCORE)
		r |= OL_READ_OOM_SCORE;
	if (have & OL_HAVE_ADJ)
		r |= OL_READ_OOM_SCORE_ADJ;
	if (have & OL_HAVE_OOMADJ)
		r |= OL_READ_OOM_ADJ;
	if (have & OL_HAVE_CGROUP)
		r |= OL_READ_CGROUP;
	if (have & OL_HAVE_CMDLINE)
		r |= OL_READ_CMDLINE;
	return r;
}

void ol_proc_free(struct ol_proc *p)
{
	free(p->cmdline);
	free(p->cgroup);	/* cgroup_unified and cgroup_systemd live in it */
	p->cmdline = p->cgroup = p->cgroup_unified = p->cgroup_systemd = NULL;
}

void ol_proclist_free(struct ol_proclist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		ol_proc_free(&l->procs[i]);
	free(l->procs);
	memset(l, 0, sizeof(*l));
}

/* The process is gone (or going): drop the whole row. */
static int is_vanished(int err)
{
	return err == -ENOENT || err == -ESRCH;
}

/* descriptors held open until there are this many, then closed at once */
#define HELD_MAX	128

struct inode_id {
	dev_t dev;
	ino_t ino;
};

struct scan_ctx {
	const struct ol_root *root;
	struct ol_buf buf;
	int denied;
	size_t cmdline_bytes;		/* kept so far, against OL_CMDLINE_TOTAL_MAX */
	size_t *cmdline_total;		/* &cmdline_bytes, or the scan's when threaded */
	struct inode_id *big;		/* sysroot: the large cmdlines read */
	size_t nbig;
	int held[HELD_MAX + 8];	/* a process's files (at most 8) fit after a flush */
	size_t nheld;
	size_t current;		/* held[current..] are the process being read */
	int adj_derived;	/* live 3.7+: oom_adj computed as the kernel reads it */
	struct ol_kernel k;	/* the running kernel, when adj_derived */
	struct ol_cgmap *cgmap;	/* live, every process: cgroups from cgroup.procs */
};

/*
 * On the running kernel from 3.7, /proc/PID/oom_adj is oom_score_adj
 * converted (oom_adj_read()), so it is computed rather than read: one
 * file less per process.  A copied tree's own oom_adj file is read.
 */
static void scan_ctx_init(struct scan_ctx *c, const struct ol_root *root, unsigned int read)
{
	struct utsname u;

	memset(c, 0, sizeof(*c));
	c->root = root;
	c->cmdline_total = &c->cmdline_bytes;
	if ((read & OL_READ_OOM_ADJ) && (read & OL_READ_OOM_SCORE_ADJ) &&
	    ol_root_is_live(root) && uname(&u) == 0 &&
	    ol_kernel_from_release(u.release, &c->k) == 0)
		c->adj_derived = c->k.oom_adj_derived;
}

static void release(struct scan_ctx *c)
{
	ol_fds_close(c->held, c->nheld);
	c->nheld = c->current = 0;
}

/*
 * Out of descriptors: close every held one but the current process's
 * directory (its files already read).  0 when there was nothing to close.
 */
static int release_for_room(struct scan_ctx *c)
{
	int dfd;

	if (c->nheld <= 1)
		return 0;
	dfd = c->held[c->current];
	c->held[c->current] = c->held[c->nheld - 1];
	ol_fds_close(c->held, c->nheld - 1);
	c->held[0] = dfd;
	c->nheld = 1;
	c->current = 0;
	return 1;
}

static void hold(struct scan_ctx *c, int fd)
{
	if (fd < 0)
		return;
	if (c->nheld == sizeof(c->held) / sizeof(c->held[0])) {
		close(fd);	/* not reached: scan_one() releases between processes */
		return;
	}
	c->held[c->nheld++] = fd;
}

static void scan_ctx_free(struct scan_ctx *c)
{
	ol_cgmap_free(c->cgmap);
	release(c);
	ol_buf_free(&c->buf);
	free(c->big);
}

static int unknown_file(struct scan_ctx *c, int dfd, const char *name, int rc);

/* Read one file; 1 when read, 0 when it could not be (field unknown), <0 vanished/fatal */
static int read_one(struct scan_ctx *c, int dfd, const char *name)
{
	int fd, rc = ol_root_read_keep(c->root, dfd, name, &c->buf, &fd);

	if ((rc == -EMFILE || rc == -ENFILE) && release_for_room(c))
		/* the held descriptors count against the limit: let them go */
		rc = ol_root_read_keep(c->root, dfd, name, &c->buf, &fd);
	hold(c, fd);
	return rc == 0 ? 1 : unknown_file(c, dfd, name, rc);
}

/* @name could not be read (@rc): 0 (its fields unknown), or <0 vanished/fatal */
static int unknown_file(struct scan_ctx *c, int dfd, const char *name, int rc)
{
	if (rc == -ENOMEM)
		return rc;
	if (ol_root_is_live(c->root) && is_vanished(rc))
		return rc;
	/* a copied tree: nothing exits, a missing file is an unknown field */
	if (rc == -ENOENT)
		ol_root_note(c->root, dfd, name, "missing: its fields are unknown");
	else if (rc == -EMFILE || rc == -ENFILE)
		ol_root_note(c->root, dfd, name, "cannot open: %s", strerror(-rc));
	c->denied = 1;	/* EACCES, EPERM (hidepid, ptrace checks), EIO, ... */
	return 0;
}

static int read_long_file(struct scan_ctx *c, int dfd, const char *name,
			  long *val)
{
	int rc = read_one(c, dfd, name);

	if (rc <= 0)
		return rc;
	return ol_parse_long(c->buf.data, val) == 0;
}

/* @kb kB in bytes; 0 and *@bad set past OL_KB_MAX (no machine holds that) */
static unsigned long long kb_bytes(unsigned long long kb, int *bad)
{
	if (kb > OL_KB_MAX) {
		*bad = 1;
		return 0;
	}
	return kb * 1024;
}

/* Fields from status; returns 1 when a size was past belief (left unknown). */
static int apply_status(struct ol_proc *p, const struct ol_status *st)
{
	int bad = 0, b;

	if (st->have & OL_ST_NAME) {
		memcpy(p->comm, st->name, sizeof(p->comm));
		p->have |= OL_HAVE_COMM;
	}
	if (st->have & OL_ST_STATE) {
		p->state = st->state;
		p->have |= OL_HAVE_STATE;
	}
	if (st->have & OL_ST_PPID) {
		p->ppid = st->ppid;
		p->have |= OL_HAVE_PPID;
	}
	if (st->have & OL_ST_UID) {
		p->uid = st->uid;
		p->have |= OL_HAVE_UID;
	}
	if (st->have & OL_ST_KTHREAD) {
		p->kthread = st->kthread;
		p->have |= OL_HAVE_KTHREAD;
	}
	p->has_mm = !!(st->have & OL_ST_VMSIZE);
	p->have |= OL_HAVE_MM;
	if (st->have & OL_ST_RSS_SPLIT) {
		b = 0;
		p->rss_anon = kb_bytes(st->rss_anon_kb, &b);
		p->rss_file = kb_bytes(st->rss_file_kb, &b);
		p->rss_shmem = kb_bytes(st->rss_shmem_kb, &b);
		p->rss = p->rss_anon + p->rss_file + p->rss_shmem;
		if (!b)
			p->have |= OL_HAVE_MEM | OL_HAVE_RSS;
		bad |= b;
	} else if (st->have & OL_ST_VMRSS) {
		b = 0;
		p->rss = kb_bytes(st->vm_rss_kb, &b);
		if (!b)
			p->have |= OL_HAVE_RSS;
		bad |= b;
	} else if (!p->has_mm) {
		/* kernel threads and zombies own no memory */
		p->have |= OL_HAVE_MEM | OL_HAVE_RSS | OL_HAVE_SWAP | OL_HAVE_PGTABLES;
	}
	if (st->have & OL_ST_SWAP) {
		b = 0;
		p->swap = kb_bytes(st->vm_swap_kb, &b);
		if (!b)
			p->have |= OL_HAVE_SWAP;
		bad |= b;
	}
	if (st->have & OL_ST_PTE) {
		b = 0;
		p->pgtables = kb_bytes(st->vm_pte_kb, &b);
		if (!b)
			p->have |= OL_HAVE_PGTABLES;
		bad |= b;
	}
	if (st->have & OL_ST_PMD) {
		b = 0;
		p->pgtables_pmd = kb_bytes(st->vm_pmd_kb, &b);
		if (!b)
			p->have |= OL_HAVE_PMD;
		bad |= b;
	}
	if (st->have & OL_ST_CAPEFF) {
		p->cap_eff = st->cap_eff;
		p->have |= OL_HAVE_CAPS;
	}
	return bad;
}

/* A large cmdline already read (by inode): a hard link in a copied tree. */
static int big_seen(struct scan_ctx *c, const struct stat *st)
{
	struct inode_id *nv;

	for (size_t i = 0; i < c->nbig; i++)
		if (c->big[i].dev == st->st_dev && c->big[i].ino == st->st_ino)
			return 1;
	nv = realloc(c->big, (c->nbig + 1) * sizeof(*nv));
	if (nv) {
		c->big = nv;
		c->big[c->nbig].dev = st->st_dev;
		c->big[c->nbig++].ino = st->st_ino;
	}
	return 0;
}

/*
 * A sysroot's cmdline, checked before it is read: a large one that is the
 * same file as another's (a hard link; no live cmdline is one) or one past
 * the budget is not read.  1 when read into c->buf, else as read_one()
 * (-EFBIG: past the budget).
 */
static int read_cmdline_tree(struct scan_ctx *c, int dfd)
{
	struct stat st;
	int fd = ol_root_openat(c->root, dfd, "cmdline", OL_OPEN_FILE, &st), rc;

	if ((fd == -EMFILE || fd == -ENFILE) && release_for_room(c))
		fd = ol_root_openat(c->root, dfd, "cmdline", OL_OPEN_FILE, &st);
	if (fd < 0)
		return unknown_file(c, dfd, "cmdline", fd);
	hold(c, fd);
	if (st.st_size >= (1 << 16) && big_seen(c, &st)) {
		ol_root_note(c->root, dfd, "cmdline", "the same file as another process's (a hard link): "
			     "the command line is unknown");
		return 0;
	}
	if ((unsigned long long)st.st_size > OL_CMDLINE_TOTAL_MAX - *c->cmdline_total)
		return -EFBIG;
	rc = ol_read_fd(fd, &c->buf);
	if (rc == -EFBIG)
		ol_root_note(c->root, dfd, "cmdline", "larger than %u MiB: skipped", OL_READ_MAX >> 20);
	return rc == 0 ? 1 : unknown_file(c, dfd, "cmdline", rc);
}

/* @len more bytes of command lines, if the scan's budget has them.  0 or -1 */
static int cmdline_take(struct scan_ctx *c, size_t len)
{
	size_t cur = __atomic_load_n(c->cmdline_total, __ATOMIC_RELAXED);

	/* never over the budget even for a moment: the other thread's line may fit */
	do {
		if (len > OL_CMDLINE_TOTAL_MAX - cur)
			return -1;
	} while (!__atomic_compare_exchange_n(c->cmdline_total, &cur, cur + len, 0,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return 0;
}

static int read_cmdline(struct scan_ctx *c, int dfd, struct ol_proc *p)
{
	int rc = ol_root_is_live(c->root) ? read_one(c, dfd, "cmdline") : read_cmdline_tree(c, dfd);

	if (rc == -EFBIG || (rc > 0 && cmdline_take(c, c->buf.len) < 0)) {
		ol_root_note(c->root, dfd, "cmdline", "past %u MiB of command lines in all: "
			     "the command line is unknown", OL_CMDLINE_TOTAL_MAX >> 20);
		return 0;
	}
	if (rc <= 0)
		return rc;
	p->cmdline = ol_cmdline_join(c->buf.data, c->buf.len);
	if (!p->cmdline)
		return -ENOMEM;
	p->have |= OL_HAVE_CMDLINE;
	return 0;
}

/*
 * The three paths a process's cgroup file gives, in one allocation (each
 * is shorter than the file that holds it): the v1 memory controller's, the
 * v2 one, and systemd's own v1 hierarchy, where sessions show on a hybrid
 * system.
 */
static int read_cgroup(struct scan_ctx *c, int dfd, struct ol_proc *p)
{
	char lines[3 * 4096 + 256];
	const char *text = lines;
	size_t n;
	int rc = c->cgmap ? ol_cgmap_lines(c->cgmap, p->pid, lines, sizeof(lines)) : -ENOENT;

	if (rc < 0) {
		rc = read_one(c, dfd, "cgroup");
		if (rc <= 0)
			return rc;
		text = c->buf.data;
	}
	n = strlen(text) + 1;
	p->cgroup = malloc(3 * n);
	if (!p->cgroup)
		return -ENOMEM;
	p->cgroup_unified = p->cgroup + n;
	p->cgroup_systemd = p->cgroup + 2 * n;
	if (ol_parse_cgroup(text, p->cgroup, n, p->cgroup_unified, n) == 0)
		p->have |= OL_HAVE_CGROUP;
	ol_parse_cgroup_named(text, "systemd", p->cgroup_systemd, n);
	return 0;
}

static int read_proc(struct scan_ctx *c, int dfd, unsigned int read,
		     struct ol_proc *p)
{
	int rc;
	long v;

	if (read & OL_READ_STATUS) {
		struct ol_status st;

		rc = read_one(c, dfd, "status");
		if (rc < 0)
			return rc;
		if (rc == 0)
			read |= OL_READ_STAT;	/* the name, parent and state from there */
		if (rc > 0 && ol_parse_status_flags(c->buf.data, &st, read & OL_READ_CAPS ? 0 :
						    OL_STATUS_STOP_AT_SWAP) == 0) {
			if (apply_status(p, &st))
				ol_root_note(c->root, dfd, "status", "a size of more than %llu kB: "
					     "left unknown", OL_KB_MAX);
			/* kernels before Kthread: (6.x) say it only in stat's flags */
			if (!(st.have & OL_ST_KTHREAD))
				read |= OL_READ_STAT;
		}
	}
	if (read & OL_READ_STAT) {
		struct ol_stat st;

		rc = read_one(c, dfd, "stat");
		if (rc < 0)
			return rc;
		if (rc > 0 && ol_parse_stat(c->buf.data, &st) == 0) {
			p->starttime = st.starttime;
			p->have |= OL_HAVE_START;
			if (st.rss_pages >= 0) {
				p->rss_stat_pages = (unsigned long)st.rss_pages;
				p->have |= OL_HAVE_STAT_RSS;
			}
			if (!(p->have & OL_HAVE_KTHREAD)) {
				p->kthread = !!(st.flags & OL_PF_KTHREAD);
				p->have |= OL_HAVE_KTHREAD;
			}
			if (!(p->have & OL_HAVE_COMM)) {
				memcpy(p->comm, st.comm, sizeof(p->comm));
				p->have |= OL_HAVE_COMM;
			}
			if (!(p->have & OL_HAVE_PPID)) {
				p->ppid = st.ppid;
				p->have |= OL_HAVE_PPID;
			}
			if (!(p->have & OL_HAVE_STATE)) {
				p->state = st.state;
				p->have |= OL_HAVE_STATE;
			}
		}
	}
	if (read & OL_READ_OOM_SCORE) {
		rc = read_long_file(c, dfd, "oom_score", &v);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			p->oom_score = v;
			p->have |= OL_HAVE_SCORE;
		}
	}
	if (read & OL_READ_OOM_SCORE_ADJ) {
		rc = read_long_file(c, dfd, "oom_score_adj", &v);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			p->oom_score_adj = v;
			p->have |= OL_HAVE_ADJ;
		}
	}
	if ((read & OL_READ_OOM_ADJ) && c->adj_derived && (p->have & OL_HAVE_ADJ) &&
	    ol_kernel_oom_adj(&c->k, p->oom_score_adj, &v) == 0) {
		p->oom_adj = v;
		p->have |= OL_HAVE_OOMADJ;
	} else if (read & OL_READ_OOM_ADJ) {
		rc = read_long_file(c, dfd, "oom_adj", &v);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			p->oom_adj = v;
			p->have |= OL_HAVE_OOMADJ;
		}
	}
	if (read & OL_READ_CGROUP) {
		rc = read_cgroup(c, dfd, p);
		if (rc < 0)
			return rc;
	}
	if (read & OL_READ_CMDLINE)
		return read_cmdline(c, dfd, p);
	return 0;
}

/*
 * Whether pid 1 is a namespace's init rather than the global one: its
 * ns/pid link names another namespace than the initial one.  The link is
 * read, never followed, so a copied tree's (dangling) link works too; where
 * it is missing or unreadable pid 1 stays the global init.
 */
static int is_ns_init(int dfd)
{
	char target[64];
	unsigned long long ino;
	ssize_t n = readlinkat(dfd, "ns/pid", target, sizeof(target) - 1);
	char end;

	if (n <= 0)
		return 0;
	target[n] = '\0';
	if (sscanf(target, "pid:[%llu%c", &ino, &end) != 2 || end != ']')
		return 0;
	return ino != OL_PID_INIT_INO;
}

static int scan_one(struct scan_ctx *c, const struct ol_root *root,
		    const char *name, pid_t pid, unsigned int read,
		    struct ol_proc *p)
{
	int dfd, rc;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	if (c->nheld >= HELD_MAX)
		release(c);
	c->current = c->nheld;
	dfd = ol_root_openat(root, root->procfd, name, OL_OPEN_DIR, NULL);
	if ((dfd == -EMFILE || dfd == -ENFILE) && c->nheld) {
		release(c);
		dfd = ol_root_openat(root, root->procfd, name, OL_OPEN_DIR, NULL);
	}
	if (dfd < 0)
		return is_vanished(dfd) ? -ESRCH : dfd;
	c->denied = 0;
	hold(c, dfd);
	rc = read_proc(c, dfd, read, p);
	if (rc < 0) {
		ol_proc_free(p);
		return is_vanished(rc) ? -ESRCH : rc;
	}
	if (pid == 1)
		p->ns_init = is_ns_init(dfd);
	return 0;
}

int ol_scan_pid(const struct ol_root *root, pid_t pid, unsigned int read,
		struct ol_proc *out)
{
	struct scan_ctx c;
	char name[32];
	int rc;

	if (pid <= 0)
		return -ESRCH;
	scan_ctx_init(&c, root, read);
	snprintf(name, sizeof(name), "%d", (int)pid);
	rc = scan_one(&c, root, name, pid, read, out);
	scan_ctx_free(&c);
	return rc;
}

static int list_add(struct ol_proclist *l, struct ol_proc **slot)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 512;
		struct ol_proc *np = realloc(l->procs, ncap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		l->procs = np;
		l->cap = ncap;
	}
	*slot = &l->procs[l->n];
	return 0;
}

static int parse_pid_name(const char *s, pid_t *pid)
{
	long v = 0;

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return 0;
		v = v * 10 + (*s - '0');
		if (v > 0x7fffffff)
			return 0;
	}
	*pid = (pid_t)v;
	return v > 0;
}

/*
 * A PID entry of a sysroot that is no process directory: a file, a link
 * that loops or leads nowhere.  Skipped with a note; the scan goes on.
 * (ol_root_openat() noted every refusal but a missing target.)
 */
static int skip_entry(const struct ol_root *root, const char *name, int rc,
		      int listed, struct ol_proclist *out)
{
	if (rc == -ENOMEM || (rc == -ESRCH && !listed))
		return rc;
	if (rc == -ESRCH)
		ol_root_note(root, root->procfd, name, "a link to nothing: skipped");
	else if (rc == -EMFILE || rc == -ENFILE)
		ol_root_note(root, root->procfd, name, "cannot open: %s", strerror(-rc));
	out->skipped++;
	return 0;
}

/* @listed: @name came from reading ROOT/proc (not from a pid asked for) */
static int scan_into(struct scan_ctx *c, const struct ol_root *root,
		     const char *name, pid_t pid, unsigned int read,
		     int listed, struct ol_proclist *out)
{
	struct ol_proc *p;
	int rc = list_add(out, &p);

	if (rc < 0)
		return rc;
	rc = scan_one(c, root, name, pid, read, p);
	if (rc < 0 && !ol_root_is_live(root) && skip_entry(root, name, rc, listed, out) == 0)
		return 0;
	if (rc == -ESRCH) {
		out->vanished++;
		return 0;
	}
	if (rc < 0)
		return rc;
	if (c->denied)
		out->denied++;
	out->n++;
	return 0;
}

/* A /proc entry to read: its pid and its name ("1234") */
struct dent {
	pid_t pid;
	char name[12];
};

/* One thread's share of a scan: a run of the entries, into its own list */
struct part {
	struct scan_ctx c;
	const struct ol_root *root;
	const struct dent *d;
	size_t n;
	unsigned int read;
	struct ol_proclist out;
	int rc;
};

static void *scan_part(void *arg)
{
	struct part *pt = arg;

	for (size_t i = 0; i < pt->n && pt->rc == 0; i++)
		pt->rc = scan_into(&pt->c, pt->root, pt->d[i].name, pt->d[i].pid, pt->read, 1, &pt->out);
	return NULL;
}

/* Every pid entry of @dir, in its order.  0 or -errno */
static int read_dents(DIR *dir, struct dent **out, size_t *n)
{
	struct dent *d = NULL;
	size_t cap = 0;
	struct dirent *de;

	*n = 0;
	for (;;) {
		pid_t pid;

		errno = 0;
		if (!(de = readdir(dir)))
			break;
		if (!parse_pid_name(de->d_name, &pid))
			continue;
		if (*n == cap) {
			struct dent *nd = realloc(d, (cap = cap ? 2 * cap : 1024) * sizeof(*d));

			if (!nd) {
				free(d);
				return -ENOMEM;
			}
			d = nd;
		}
		d[*n].pid = pid;
		snprintf(d[*n].name, sizeof(d[*n].name), "%d", (int)pid);
		(*n)++;
	}
	*out = d;
	if (errno) {
		free(d);
		return -errno;
	}
	return 0;
}

/* below this many processes a second thread costs more than it saves */
#define SCAN_THREAD_MIN	2000

static int nparts(const struct ol_root *root, const struct ol_scan_opts *opts, size_t n)
{
	if (opts->threads == 1 || !ol_root_is_live(root) || n < SCAN_THREAD_MIN ||
	    sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return 1;
	return 2;
}

/* The parts' lists, in order, as one.  0 or -errno (all freed) */
static int join_parts(struct part *pt, int np, struct ol_proclist *out)
{
	size_t total = 0;
	int k, rc = 0;

	for (k = 0; k < np; k++) {
		total += pt[k].out.n;
		if (pt[k].rc < 0 && rc == 0)
			rc = pt[k].rc;
	}
	*out = pt[0].out;
	if (rc == 0 && total > out->cap) {
		struct ol_proc *v = realloc(out->procs, total * sizeof(*v));

		if (v) {
			out->procs = v;
			out->cap = total;
		} else {
			rc = -ENOMEM;
		}
	}
	for (k = 1; k < np; k++) {
		if (rc < 0) {
			ol_proclist_free(&pt[k].out);
			continue;
		}
		if (pt[k].out.n)
			memcpy(out->procs + out->n, pt[k].out.procs, pt[k].out.n * sizeof(*out->procs));
		out->n += pt[k].out.n;
		out->vanished += pt[k].out.vanished;
		out->denied += pt[k].out.denied;
		free(pt[k].out.procs);
	}
	if (rc < 0)
		ol_proclist_free(out);
	return rc;
}

/*
 * Every process of @root's /proc.  A live scan of many processes on a
 * machine with CPUs to spare reads them in two threads, each a run of the
 * entries (the order stays /proc's): the kernel's time formatting the
 * files is most of a scan.
 */
static int scan_all(const struct ol_root *root, const struct ol_scan_opts *opts, DIR *dir,
		    struct ol_proclist *out)
{
	struct part pt[2];
	struct dent *d;
	struct ol_cgmap *map = NULL;
	pthread_t th;
	size_t n, cmdline_total = 0;
	int np, k, started = 0, rc = read_dents(dir, &d, &n);

	if (rc < 0)
		return rc;
	/* the map is read once for all: see include/oomlens/cgmap.h */
	if ((opts->read & OL_READ_CGROUP) && ol_root_is_live(root))
		map = ol_cgmap_new(n);
	np = nparts(root, opts, n);
	memset(pt, 0, sizeof(pt));
	for (k = 0; k < np; k++) {
		scan_ctx_init(&pt[k].c, root, opts->read);
		pt[k].c.cgmap = map;
		pt[k].c.cmdline_total = &cmdline_total;
		pt[k].root = root;
		pt[k].read = opts->read;
		pt[k].d = n ? d + n * (size_t)k / (size_t)np : NULL;	/* an empty /proc: no list */
		pt[k].n = n * (size_t)(k + 1) / (size_t)np - n * (size_t)k / (size_t)np;
	}
	if (np > 1)
		started = pthread_create(&th, NULL, scan_part, &pt[1]) == 0;
	scan_part(&pt[0]);
	if (started)
		pthread_join(th, NULL);
	else if (np > 1)
		scan_part(&pt[1]);
	for (k = 0; k < np; k++) {
		pt[k].c.cgmap = NULL;
		scan_ctx_free(&pt[k].c);
	}
	ol_cgmap_free(map);
	free(d);
	return join_parts(pt, np, out);
}

int ol_scan(const struct ol_root *root, const struct ol_scan_opts *opts,
	    struct ol_proclist *out)
{
	struct scan_ctx c;
	DIR *dir;
	int fd, rc = 0;

	memset(out, 0, sizeof(*out));
	if (opts->pids) {
		scan_ctx_init(&c, root, opts->read);
		for (size_t i = 0; i < opts->npids && rc == 0; i++) {
			char name[32];

			snprintf(name, sizeof(name), "%d", (int)opts->pids[i]);
			rc = scan_into(&c, root, name, opts->pids[i], opts->read, 0, out);
		}
		scan_ctx_free(&c);
		if (rc < 0)
			ol_proclist_free(out);
		return rc;
	}
	fd = openat(root->procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = scan_all(root, opts, dir, out);
	closedir(dir);
	return rc;
}

enum ol_unkillable ol_proc_killable(const struct ol_proc *p)
{
	if (p->pid == 1 && !p->ns_init)
		return OL_UNKILLABLE_INIT;
	if ((p->have & OL_HAVE_KTHREAD) && p->kthread)
		return OL_UNKILLABLE_KTHREAD;
	if ((p->have & OL_HAVE_ADJ) && p->oom_score_adj == OL_OOM_SCORE_ADJ_MIN)
		return OL_UNKILLABLE_ADJ_MIN;
	if ((p->have & OL_HAVE_MM) && !p->has_mm)
		return OL_UNKILLABLE_NO_MM;
	if (!(p->have & OL_HAVE_KTHREAD) || !(p->have & OL_HAVE_ADJ) ||
	    !(p->have & OL_HAVE_MM))
		return OL_KILLABLE_UNKNOWN;
	return OL_KILLABLE;
}

const char *ol_proc_cgroup(const struct ol_proc *p)
{
	if (!(p->have & OL_HAVE_CGROUP))
		return NULL;
	return p->cgroup[0] ? p->cgroup : p->cgroup_unified;
}

const char *ol_unkillable_str(enum ol_unkillable why)
{
	switch (why) {
	case OL_KILLABLE:		return "killable";
	case OL_UNKILLABLE_INIT:	return "init is never killed";
	case OL_UNKILLABLE_KTHREAD:	return "kernel thread";
	case OL_UNKILLABLE_ADJ_MIN:	return "oom_score_adj is -1000 (OOM killing disabled)";
	case OL_UNKILLABLE_NO_MM:	return "no memory of its own (zombie or exiting)";
	default:			return "unknown";
	}
}
