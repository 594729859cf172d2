/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_LOGSRC_H
#define OOMLENS_LOGSRC_H

/*
 * Where kernel logs come from: the ring buffer (/dev/kmsg, or syslog(2)
 * where there is none), files plain or gzip'd (followed by name across
 * rotation), standard input, a copied tree's var/log, and the systemd
 * journal.  A source hands lines to a sink through callbacks and never
 * prints; errors come back as -errno.
 */

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "kmsg.h"
#include "root.h"

struct ol_logparser;

struct ol_logsink {
	/* one line, without its newline; non-zero stops the source (<0: error) */
	int (*line)(const char *s, size_t len, void *data);
	/* following: nothing came for a while (finish idle events); optional */
	void (*idle)(void *data);
	/*
	 * The fast path for large files, optional: while busy() is 0, lines
	 * before the next anchor (ol_log_anchor()) are skipped, and skipped()
	 * told how many.
	 */
	int (*busy)(void *data);
	void (*skipped)(unsigned long lines, void *data);
	void *data;
};

/* A sink that feeds @p, with the fast path. */
void ol_logsink_parser(struct ol_logsink *s, struct ol_logparser *p);

struct ol_logsrc_opts {
	int follow;				/* keep reading as the log grows */
	const volatile sig_atomic_t *stop;	/* set (by a signal) to end a follow */
	/* kmsg: called once the records then in the buffer are read, on the same descriptor */
	void (*dumped)(void *data);
	void *data;				/* for dumped() */
};

/*
 * The kernel ring buffer, record by record: every record now in it, then,
 * with follow, new ones as they come, all read from one descriptor of
 * /dev/kmsg (so none falls between the dump and the follow).  @fn returns
 * non-zero to stop; following, it is called with NULL after a second
 * without records.  0 or -errno (-ENOENT: no /dev/kmsg; -EPERM: dmesg_restrict).
 */
int ol_logsrc_kmsg_records(int (*fn)(const struct ol_kmsg_rec *rec, void *data), void *data,
			   const struct ol_logsrc_opts *o);

/*
 * The kernel ring buffer as lines "PRI,SEQ,USEC,-;MESSAGE" to @s; without
 * /dev/kmsg, syslog(2)'s buffer ("<PRI>[ SECONDS] MESSAGE", not followed).
 */
int ol_logsrc_kmsg(const struct ol_logsink *s, const struct ol_logsrc_opts *o);

/*
 * The log open as @fd (taken over), plain or gzip'd, line by line; lines
 * are cut at OL_LOG_MAX_LINE.  -EISDIR for a directory, -ENODEV for a
 * device (unless @any_dev: standard input may be a terminal), -EBADMSG
 * for corrupt or truncated compressed data.
 */
int ol_logsrc_fd(const struct ol_logsink *s, int fd, int any_dev, const struct ol_logsrc_opts *o);

/*
 * A file by name ("-": standard input).  Following, it is followed by name
 * as tail -F does: when @path is replaced (rotated) or truncated, the new
 * file is read from its start once the old one is read to its end.
 */
int ol_logsrc_path(const struct ol_logsink *s, const char *path, const struct ol_logsrc_opts *o);

/*
 * The copied tree's kernel log: the first of var/log/kern.log, messages,
 * syslog that is a regular file inside it.  A descriptor (its name in
 * @name, its mtime in *@mtime) or -ENOENT.
 */
int ol_logsrc_sysroot_open(const struct ol_root *root, const char **name, time_t *mtime);

/* Year-less dates take their year from this: a regular file's mtime, else 0. */
time_t ol_logsrc_mtime(const char *path);
/*
 * Better: the date of the file's last line, when it has no year, dated
 * against @mtime (every other line comes before it); 0 when unknown
 * (compressed, dated with a year, or no dated line at its end).
 */
time_t ol_logsrc_log_end(const char *path, time_t mtime);
time_t ol_logsrc_log_end_fd(int fd, time_t mtime);

/* The boot time, CLOCK_REALTIME - CLOCK_BOOTTIME, read once in nanoseconds (0 unknown). */
long long ol_boot_time_ns(void);

/* Where the journal is read from. */
struct ol_journal_opts {
	const struct ol_root *root;	/* a copied tree: its var/log/journal (and remote/) */
	const char *directory;		/* --directory, or NULL */
	const char *const *files;	/* --file (NULL-terminated), or NULL */
	const char *boot;		/* NULL all; "", "0" last; "-N"/"N" relative; or a boot ID */
};

/*
 * The kernel's messages in the journal (and userspace OOM killers'), as
 * lines "ISO-TIME HOST TAG: MESSAGE" to @s.  -ENOMEDIUM: no journal files;
 * -ENXIO: no such boot.
 */
int ol_logsrc_journal(const struct ol_logsink *s, const struct ol_journal_opts *j,
		      const struct ol_logsrc_opts *o);

/*
 * One line of a journal entry as the journal sources write it (pure):
 * "ISO-TIME HOST TAG: [SECONDS] MESSAGE", the stamp only when @mono (the
 * kernel's boot-relative microseconds) is >= 0.
 */
size_t ol_journal_line(char *buf, size_t sz, uint64_t usec, long long mono, const char *host,
		       const char *tag, const char *msg, size_t len);

#endif
