// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The log sources (lib/logsrc.c).  The live test writes records to
 * /dev/kmsg (as root) between the dump and the follow, through the
 * dumped() callback, and asserts that the follow reads every one of them:
 * util-linux dmesg keeps reading the same descriptor after the dump, and
 * so must we.  It is skipped where /dev/kmsg cannot be both written and read.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "oomlens/logsrc.h"

#define MARKERS	5

struct marks {
	char tag[64];
	int seen[MARKERS];
	int nseen, idle, dumped, written;
};

/* Between the dump and the follow: the records the old two-descriptor follow lost. */
static void write_markers(void *data)
{
	struct marks *m = data;
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	m->dumped++;
	for (int i = 0; fd >= 0 && i < MARKERS; i++) {
		char rec[128];
		int n = snprintf(rec, sizeof(rec), "<4>%s marker %d\n", m->tag, i);

		if (write(fd, rec, (size_t)n) == n)
			m->written++;
	}
	if (fd >= 0)
		close(fd);
}

static int on_record(const struct ol_kmsg_rec *rec, void *data)
{
	struct marks *m = data;
	size_t tl = strlen(m->tag);

	if (!rec)
		return ++m->idle >= 5;	/* five quiet seconds: they are lost */
	if (rec->msglen > tl + 8 && memcmp(rec->msg, m->tag, tl) == 0 &&
	    memcmp(rec->msg + tl, " marker ", 8) == 0) {
		int i = atoi(rec->msg + tl + 8);

		if (i >= 0 && i < MARKERS && !m->seen[i]) {
			m->seen[i] = 1;
			m->nseen++;
		}
	}
	return m->nseen == MARKERS;
}

static void kmsg_dump_then_follow_loses_nothing(void **state)
{
	struct marks m = { 0 };
	struct ol_logsrc_opts o = { .follow = 1, .dumped = write_markers, .data = &m };
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC), rfd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	if (rfd >= 0)
		close(rfd);
	if (fd < 0 || rfd < 0)
		skip();
	snprintf(m.tag, sizeof(m.tag), "oomlens-test %ld", (long)getpid());
	assert_int_equal(ol_logsrc_kmsg_records(on_record, &m, &o), 0);
	assert_int_equal(m.dumped, 1);
	assert_int_equal(m.written, MARKERS);
	assert_int_equal(m.nseen, MARKERS);
}

/* Without follow the dump ends at the end of the buffer. */
static int count(const struct ol_kmsg_rec *rec, void *data)
{
	(*(unsigned long *)data)++;
	return 0;
}

static void kmsg_dump_ends(void **state)
{
	unsigned long n = 0;
	struct ol_logsrc_opts o = { 0 };
	int rfd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);

	if (rfd < 0)
		skip();
	close(rfd);
	assert_int_equal(ol_logsrc_kmsg_records(count, &n, &o), 0);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kmsg_dump_then_follow_loses_nothing),
		cmocka_unit_test(kmsg_dump_ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
