// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oomlens/kmsg.h"

int ol_kmsg_parse(const char *buf, size_t len, struct ol_kmsg_rec *rec)
{
	const char *semi, *end = buf + len, *p = buf;
	unsigned long long v[3];
	char *e;
	int i;

	memset(rec, 0, sizeof(*rec));
	semi = memchr(buf, ';', len);
	if (!semi)
		return -EINVAL;
	for (i = 0; i < 3; i++) {
		if (p >= semi || *p < '0' || *p > '9')
			return -EINVAL;
		v[i] = strtoull(p, &e, 10);
		if (e > semi || (*e != ',' && *e != ';'))
			return -EINVAL;
		p = e + 1;
	}
	rec->level = (int)(v[0] & 7);
	rec->facility = (int)(v[0] >> 3);
	rec->seq = v[1];
	rec->usec = v[2];
	rec->msg = semi + 1;
	/* the message ends at the first newline; dictionary lines follow */
	e = memchr(rec->msg, '\n', (size_t)(end - rec->msg));
	rec->msglen = (size_t)((e ? e : end) - rec->msg);
	return 0;
}

static const char *find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

enum ol_kill_kind ol_kill_line(const char *msg, size_t len, pid_t *pid)
{
	const char *k = find(msg, len, "Killed process ");
	enum ol_kill_kind kind;
	long v = 0;
	const char *p;

	if (!k)
		return OL_KILL_NONE;
	if (find(msg, (size_t)(k - msg), "Memory cgroup out of memory"))
		kind = OL_KILL_MEMCG;
	else if (find(msg, (size_t)(k - msg), "Out of memory") ||
		 find(msg, (size_t)(k - msg), "Out of Memory"))
		kind = OL_KILL_GLOBAL;
	else if (k == msg)
		kind = OL_KILL_OTHER;	/* 2.6.36..5.0: a line of its own */
	else
		return OL_KILL_NONE;
	p = k + strlen("Killed process ");
	if (p >= msg + len || *p < '0' || *p > '9')
		return OL_KILL_NONE;
	while (p < msg + len && *p >= '0' && *p <= '9' && v < 0x40000000)
		v = v * 10 + (*p++ - '0');
	*pid = (pid_t)v;
	return kind;
}

enum ol_kill_kind ol_kill_line_of(const char *msg, size_t len, pid_t pid, const char *comm)
{
	enum ol_kill_kind kind;
	const char *k, *open, *end = msg + len;
	char want[15 * 4 + 3];	/* "(" + 15 escaped bytes + ")" */
	size_t n = 0, i;
	pid_t p = 0;

	kind = ol_kill_line(msg, len, &p);
	if (kind == OL_KILL_NONE || p != pid)
		return OL_KILL_NONE;
	want[n++] = '(';
	for (i = 0; i < 15 && comm[i]; i++) {
		unsigned char c = (unsigned char)comm[i];

		if (c < ' ' || c >= 127 || c == '\\')
			n += (size_t)snprintf(want + n, sizeof(want) - n, "\\x%02x", c);
		else
			want[n++] = (char)c;
	}
	want[n++] = ')';
	/* the name follows the pid: "PID (NAME)", or RHEL 6's "PID, UID N, (NAME)" */
	k = find(msg, len, "Killed process ");
	open = k ? memchr(k, '(', (size_t)(end - k)) : NULL;
	if (!open || (size_t)(end - open) < n || memcmp(open, want, n) != 0)
		return OL_KILL_NONE;
	return kind;
}

size_t ol_kmsg_line(const struct ol_kmsg_rec *rec, char *buf, size_t sz)
{
	int n = snprintf(buf, sz, "%d,%llu,%llu,-;%.*s", rec->facility * 8 + rec->level,
			 rec->seq, rec->usec, (int)rec->msglen, rec->msg);

	if (n < 0 || sz == 0)
		return 0;
	return (size_t)n < sz ? (size_t)n : sz - 1;
}
