/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_ROOT_H
#define OOMLENS_ROOT_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Where oomlens reads the system from: the live system ("/") or a copied
 * tree (--sysroot).  Everything in the library reads through these
 * descriptors, so a fixture tree gives the same answer on any machine.
 */
struct ol_root {
	char *path;		/* sysroot path, or NULL for the live system */
	int procfd;		/* DIR/proc, or -1 when absent */
	int sysfd;		/* DIR/sys, or -1 when absent */
	int etcfd;		/* DIR/etc, or -1 when absent */
};

/* Open @sysroot (NULL: the live system).  Returns 0 or -errno (no /proc). */
int ol_root_open(struct ol_root *root, const char *sysroot);
void ol_root_close(struct ol_root *root);
static inline int ol_root_is_live(const struct ol_root *root)
{
	return root->path == NULL;
}

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
 * read(2).  Returns 0 or -errno (-EFBIG past OL_READ_MAX).
 */
int ol_read_at(int dirfd, const char *name, struct ol_buf *b);

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
