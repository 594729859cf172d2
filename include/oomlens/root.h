/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_ROOT_H
#define OOMLENS_ROOT_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/stat.h>

/*
 * Where oomlens reads the system from: the live system ("/") or a copied
 * tree (--sysroot).  Everything in the library reads through these
 * descriptors, so a fixture tree gives the same answer on any machine.
 */
struct ol_notes;

struct ol_root {
	char *path;		/* sysroot path, or NULL for the live system */
	int basefd;		/* DIR itself ("/" on the live system) */
	int procfd;		/* DIR/proc, or -1 when absent */
	int sysfd;		/* DIR/sys, or -1 when absent */
	int etcfd;		/* DIR/etc, or -1 when absent */
	struct ol_notes *notes;	/* what was skipped and why (see ol_root_note()) */
};

/*
 * Open @sysroot (NULL: the live system).  Returns 0 or -errno (no /proc).
 *
 * A copied tree is untrusted input, read as root: every path in it is
 * resolved inside it (see ol_root_openat()), so that no link leads out of
 * it, and only regular files (and directories) are opened, so that a FIFO
 * or a device never blocks a read or has one's side effects.
 */
int ol_root_open(struct ol_root *root, const char *sysroot);
void ol_root_close(struct ol_root *root);
static inline int ol_root_is_live(const struct ol_root *root)
{
	return root->path == NULL;
}

/* What ol_root_openat() opens. */
enum {
	OL_OPEN_FILE	= 0,		/* a regular file, read-only */
	OL_OPEN_DIR	= 1u << 0,	/* a directory */
	OL_OPEN_QUIET	= 1u << 1,	/* record no note when refused */
};

/*
 * Open @name relative to @dirfd, a directory of @root.  The live system:
 * plain openat(2) (procfs files are what they say).  A sysroot: @name is
 * resolved with @dirfd as its root (openat2(2) RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS; on kernels without openat2 a walk, one component
 * at a time, that does the same), and what it names must be
 * a regular file (a directory with OL_OPEN_DIR): a FIFO, socket or device
 * is refused with -EINVAL or -ENODEV (a device) before it is opened, a
 * directory with -EISDIR, anything but a directory with -ENOTDIR.  Each
 * refusal but -ENOENT records a note naming the file, unless OL_OPEN_QUIET.
 * @st, when not NULL, receives the file's stat (the refused one's too).
 * Returns a descriptor (O_CLOEXEC, O_NONBLOCK for a file) or -errno.
 */
int ol_root_openat(const struct ol_root *root, int dirfd, const char *name,
		   unsigned int flags, struct stat *st);

/*
 * Where the open file @fd is, as the tree shows it ("/etc/x" for DIR/etc/x;
 * the real path on the live system).  0, or -ENOENT when that cannot be told.
 */
int ol_root_fd_path(const struct ol_root *root, int fd, char *out, size_t sz);

/*
 * For tests: 0 resolves as on a kernel without openat2(2), 1 (the default)
 * uses it where the kernel has it.
 */
void ol_root_set_openat2(int use);

/*
 * Notes: what the library skipped in a sysroot and why, one line each
 * ("proc/12/status: a FIFO, not a regular file: skipped"), for the command
 * to show; the library itself never prints.  The same line is kept once;
 * past OL_NOTES_MAX lines only a count is kept.
 */
#define OL_NOTES_MAX	64
/*
 * Record "PATH: WHY", PATH being @name in @dirfd shown relative to the
 * sysroot (@dirfd -1: @name is that path already).
 */
void ol_root_note(const struct ol_root *root, int dirfd, const char *name,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The @i-th note (NULL past the last); how many were left out past the cap. */
const char *ol_root_note_get(const struct ol_root *root, size_t i);
size_t ol_root_notes_dropped(const struct ol_root *root);

/* A growable buffer, reused across reads to avoid allocations. */
struct ol_buf {
	char *data;
	size_t len;	/* bytes read; data[len] is always '\0' */
	size_t cap;
};

void ol_buf_free(struct ol_buf *b);

/*
 * The most ol_read_at() reads: a file that fills OL_READ_MAX - 1 bytes is
 * refused with -EFBIG.  No /proc or /sys file comes near this; a larger file
 * is not one of them.  Public so that what keeps those bytes (a snapshot's
 * cmdline) can promise to take back whatever a scan produced.
 */
#define OL_READ_MAX	(64u << 20)

/*
 * Read the whole file @name relative to @dirfd into @b with (usually) one
 * read(2).  Returns 0 or -errno (-EFBIG past OL_READ_MAX).  For a path the
 * user named; a file of the tree is read with ol_root_read().
 */
int ol_read_at(int dirfd, const char *name, struct ol_buf *b);

/* Read all of the open file @fd into @b (as above); @fd stays open. */
int ol_read_fd(int fd, struct ol_buf *b);

/*
 * ol_read_at() for a seq_file (mountinfo, cgroup.procs), read to end of
 * file: it hands over a page or so a read(2), so a short read is not the
 * end.
 */
int ol_read_seq_at(int dirfd, const char *name, struct ol_buf *b);

/*
 * Read @name of @root's directory @dirfd (opened with ol_root_openat()).
 * Returns 0 or -errno; -EFBIG past OL_READ_MAX records a note.  With @keep
 * the descriptor is left open in *@keep (-1 when none), as
 * ol_read_at_keep() does.
 */
int ol_root_read(const struct ol_root *root, int dirfd, const char *name,
		 struct ol_buf *b);
int ol_root_read_keep(const struct ol_root *root, int dirfd, const char *name,
		      struct ol_buf *b, int *keep);

/*
 * The same, but when @keep is not NULL the file is left open and its
 * descriptor stored in *@keep (-1 when it could not be opened), for a caller
 * that closes many at once (see ol_fds_close()).
 */
int ol_read_at_keep(int dirfd, const char *name, struct ol_buf *b, int *keep);

/*
 * Close @n descriptors (in any order; the array is sorted in place), a run
 * of consecutive numbers with one close_range(2) where the kernel has it.
 * A scan of 10000 processes opens and closes 40000 files: batching the
 * closes saves a system call for each.
 */
void ol_fds_close(int *fds, size_t n);

/*
 * The hidepid= mount option of the proc we read: 0 none (or a copied tree),
 * 1 (noaccess), 2 (invisible) or 4 (ptraceable): other users' processes
 * may be out of sight.
 */
int ol_root_hidepid(const struct ol_root *root);

#endif
