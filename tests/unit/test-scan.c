// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ol_scan() of the live /proc in two threads gives what one thread gives:
 * 2,500 children of this test, paused, each with its own oom_score_adj, are
 * read both ways; every child must be in both lists, once, in /proc's
 * order, with the same fields, and the lists must hold them in the same
 * order.  Compared with the kernel's own files too: oom_score_adj as
 * written, oom_score and the cgroup as /proc/PID says.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "oomlens/proc.h"
#include "oomlens/root.h"
#include "kids.h"

#define NKIDS 2500

static pid_t kids[NKIDS];
static size_t nkids;

static int kid_index(pid_t pid)
{
	for (size_t i = 0; i < nkids; i++)
		if (kids[i] == pid)
			return (int)i;
	return -1;
}

/* The children of a list, in its order: their indexes in kids[] */
static size_t kids_of(const struct ol_proclist *l, int *order)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++) {
		int k = kid_index(l->procs[i].pid);

		if (k >= 0)
			order[n++] = k;
	}
	return n;
}

static const struct ol_proc *find(const struct ol_proclist *l, pid_t pid)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->procs[i].pid == pid)
			return &l->procs[i];
	return NULL;
}

static long read_long(pid_t pid, const char *file)
{
	char path[64], buf[64];
	FILE *f;
	long v = -99999;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if ((f = fopen(path, "r"))) {
		if (fgets(buf, sizeof(buf), f))
			v = strtol(buf, NULL, 10);
		fclose(f);
	}
	return v;
}

static void two_threads_as_one(void **state)
{
	const unsigned int read = OL_READ_STATUS | OL_READ_STAT | OL_READ_OOM_SCORE |
				  OL_READ_OOM_SCORE_ADJ | OL_READ_OOM_ADJ | OL_READ_CGROUP |
				  OL_READ_CMDLINE;
	struct ol_scan_opts one = { .read = read, .threads = 1 }, two = { .read = read };
	static int o1[NKIDS], o2[NKIDS];
	struct ol_proclist l1, l2;
	struct ol_root root;
	size_t i, n1, n2;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		print_message("one CPU: no second thread to compare: skipped\n");
		skip();
	}
	assert_int_equal(ol_root_open(&root, NULL), 0);
	nkids = kids_spawn(kids, NKIDS);
	for (i = 0; i < nkids; i++) {
		char path[64], v[16];
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)kids[i]);
		fd = open(path, O_WRONLY);
		if (fd >= 0) {
			snprintf(v, sizeof(v), "%d", (int)(i % 1000));	/* raising needs no privilege */
			assert_true(write(fd, v, strlen(v)) > 0);
			close(fd);
		}
	}
	assert_int_equal(ol_scan(&root, &one, &l1), 0);
	assert_int_equal(ol_scan(&root, &two, &l2), 0);
	n1 = kids_of(&l1, o1);
	n2 = kids_of(&l2, o2);
	assert_true(nkids >= 2000);
	assert_int_equal(n1, nkids);
	assert_int_equal(n2, nkids);
	assert_memory_equal(o1, o2, n1 * sizeof(*o1));
	for (i = 0; i < nkids; i++) {
		const struct ol_proc *a = find(&l1, kids[i]), *b = find(&l2, kids[i]);

		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(a->have, b->have);
		assert_string_equal(a->comm, b->comm);
		assert_string_equal(a->cmdline, b->cmdline);
		assert_string_equal(a->cgroup, b->cgroup);
		assert_string_equal(a->cgroup_unified, b->cgroup_unified);
		assert_int_equal(a->starttime, b->starttime);
		assert_int_equal(a->oom_score_adj, (long)(i % 1000));
		assert_int_equal(b->oom_score_adj, (long)(i % 1000));
		assert_int_equal(b->oom_adj, read_long(kids[i], "oom_adj"));
		assert_int_equal(b->oom_score, read_long(kids[i], "oom_score"));
	}
	kids_reap(kids, nkids);
	ol_proclist_free(&l1);
	ol_proclist_free(&l2);
	ol_root_close(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_threads_as_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
