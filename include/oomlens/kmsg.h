/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_KMSG_H
#define OOMLENS_KMSG_H

#include <stddef.h>
#include <sys/types.h>

/* One /dev/kmsg record: "PRI,SEQ,USEC,FLAGS[,...];MESSAGE\n[ KEY=VALUE\n]..." */
struct ol_kmsg_rec {
	int level;			/* syslog priority & 7 */
	int facility;			/* syslog priority >> 3 */
	unsigned long long seq;
	unsigned long long usec;	/* since boot */
	const char *msg;		/* in the caller's buffer, not NUL-terminated */
	size_t msglen;
};

/* Parse one record read() from /dev/kmsg (pure).  0 or -EINVAL. */
int ol_kmsg_parse(const char *buf, size_t len, struct ol_kmsg_rec *rec);

/*
 * Write @rec back as the one line /dev/kmsg gave ("PRI,SEQ,USEC,-;MESSAGE",
 * the form the log parser reads), cut to fit @sz.  Returns its length.
 */
size_t ol_kmsg_line(const struct ol_kmsg_rec *rec, char *buf, size_t sz);

enum ol_kill_kind { OL_KILL_NONE = 0, OL_KILL_GLOBAL, OL_KILL_MEMCG, OL_KILL_OTHER };

/*
 * If @msg (one kernel log message) reports the OOM killer killing a
 * process, return its kind and set *@pid; else OL_KILL_NONE.  Pure.
 */
enum ol_kill_kind ol_kill_line(const char *msg, size_t len, pid_t *pid);

/*
 * As ol_kill_line(), but only a kill of @pid named @comm: the kernel prints
 * task->comm (at most 15 bytes), and /dev/kmsg escapes bytes below ' ', from
 * 127 up and '\' as \xNN, so @comm is cut and escaped the same way.  Pure.
 */
enum ol_kill_kind ol_kill_line_of(const char *msg, size_t len, pid_t pid, const char *comm);

#endif
