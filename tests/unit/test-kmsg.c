// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kill lines watch matches (include/oomlens/kmsg.h ol_kill_line_of):
 * only a kill of the watched pid under the watched name counts, the name as
 * the kernel prints it (task->comm: 15 bytes at most) and as /dev/kmsg
 * escapes it (\xNN for bytes below ' ', from 127, and '\').  The lines are
 * the printf formats of oomlens-kernel(7) (man/oomlens-kernel.7), KERNEL LOG,
 * "Victim".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "oomlens/kmsg.h"

static enum ol_kill_kind of(const char *msg, pid_t pid, const char *comm)
{
	return ol_kill_line_of(msg, strlen(msg), pid, comm);
}

static void kill_line_of_eras(void **state)
{
	/* 5.1+ global and memcg */
	assert_int_equal(of("Out of memory: Killed process 4242 (hog) total-vm:43436kB, anon-rss:40960kB, "
			    "file-rss:1220kB, shmem-rss:0kB, UID:0 pgtables:128kB oom_score_adj:0", 4242, "hog"),
			 OL_KILL_GLOBAL);
	assert_int_equal(of("Memory cgroup out of memory: Killed process 25309 (cg-c40) total-vm:43436kB, "
			    "anon-rss:40960kB, file-rss:1220kB, shmem-rss:0kB", 25309, "cg-c40"),
			 OL_KILL_MEMCG);
	/* 2.6.36 .. 5.0: a line of its own */
	assert_int_equal(of("Killed process 812 (java) total-vm:2048kB, anon-rss:1024kB, file-rss:0kB",
			    812, "java"), OL_KILL_OTHER);
	/* RHEL 6: "Killed process N, UID N, (name)" */
	assert_int_equal(of("Out of memory: Killed process 77, UID 0, (httpd)", 77, "httpd"), OL_KILL_GLOBAL);
}

static void kill_line_of_other_process(void **state)
{
	const char *l = "Out of memory: Killed process 4242 (hog) total-vm:43436kB, anon-rss:40960kB";

	/* the pid reused by another program: not its kill */
	assert_int_equal(of(l, 4242, "sleep"), OL_KILL_NONE);
	/* a name that only starts the same */
	assert_int_equal(of(l, 4242, "ho"), OL_KILL_NONE);
	assert_int_equal(of(l, 4242, "hogger"), OL_KILL_NONE);
	/* another pid, also one that only starts the same */
	assert_int_equal(of(l, 424, "hog"), OL_KILL_NONE);
	assert_int_equal(of(l, 42421, "hog"), OL_KILL_NONE);
	/* not a kill line */
	assert_int_equal(of("oom_reaper: reaped process 4242 (hog), now anon-rss:0kB", 4242, "hog"),
			 OL_KILL_NONE);
}

static void kill_line_of_comm_forms(void **state)
{
	/* task->comm is 15 bytes: a longer name is cut as the kernel cuts it */
	assert_int_equal(of("Out of memory: Killed process 9 (a-very-long-pro) total-vm:1kB", 9,
			    "a-very-long-program-name"), OL_KILL_GLOBAL);
	/* /dev/kmsg escapes control bytes, bytes from 127 and the backslash */
	assert_int_equal(of("Out of memory: Killed process 9 (ev\\x1b[31mil\\x09tab) total-vm:1kB", 9,
			    "ev\x1b[31mil\ttab"), OL_KILL_GLOBAL);
	assert_int_equal(of("Out of memory: Killed process 9 (a\\x5cb) total-vm:1kB", 9, "a\\b"),
			 OL_KILL_GLOBAL);
	assert_int_equal(of("Out of memory: Killed process 9 (caf\\xc3\\xa9) total-vm:1kB", 9,
			    "caf\xc3\xa9"), OL_KILL_GLOBAL);
	/* brackets and spaces in the name */
	assert_int_equal(of("Out of memory: Killed process 9 (x) (y) total-vm:1kB", 9, "x) (y"),
			 OL_KILL_GLOBAL);
	/* the escaped form is what counts: a raw tab is not "\x09" */
	assert_int_equal(of("Out of memory: Killed process 9 (a\tb) total-vm:1kB", 9, "a\tb"),
			 OL_KILL_NONE);
	/* a message cut short */
	assert_int_equal(of("Out of memory: Killed process 9 (ho", 9, "hog"), OL_KILL_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kill_line_of_eras),
		cmocka_unit_test(kill_line_of_other_process),
		cmocka_unit_test(kill_line_of_comm_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
