// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ol_memcg_oom_kills() (lib/memcg.c): the kernel's per-cgroup OOM kill
 * counter, read from a sysroot tree.  The v1 file is memory.oom_control as
 * Linux 6.18 writes it (read off the test machine); the v2 file is
 * memory.events.local as Documentation/admin-guide/cgroup-v2.rst gives it
 * for 6.x (oom_group_kill since 5.17).  And ol_memcg_kb_is_max(): the
 * kernel's "no limit" as an OOM report logs it.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "oomlens/memcg.h"
#include "oomlens/root.h"

static char top[] = "/tmp/oomlens-memcg-XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[4096], *s;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	/* mkdir -p the parent */
	for (s = path + strlen(top) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(top))
		return -1;
	put("proc/vmstat", "oom_kill 9\n");
	put("sys/fs/cgroup/memory/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
	put("sys/fs/cgroup/memory/app/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
	/* before 4.13, v1 had no oom_kill line */
	put("sys/fs/cgroup/memory/old/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
	put("sys/fs/cgroup/memory/bad/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill x\n");
	put("sys/fs/cgroup/system.slice/web.service/memory.events.local",
	    "low 0\nhigh 0\nmax 41\noom 2\noom_kill 2\noom_group_kill 0\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

static void counters(void **state)
{
	struct ol_root root;
	unsigned long long n = 99;
	int v = 0;

	(void)state;
	assert_int_equal(ol_root_open(&root, top), 0);

	assert_int_equal(ol_memcg_oom_kills(&root, "/app", &n, &v), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v, 1);
	assert_int_equal(ol_memcg_oom_kills(&root, "/", &n, &v), 0);
	assert_int_equal(n, 0);
	assert_int_equal(ol_memcg_oom_kills(&root, "/system.slice/web.service", &n, &v), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v, 2);

	/* no counter (before 4.13), or a counter that is not a number */
	assert_int_equal(ol_memcg_oom_kills(&root, "/old", &n, &v), -ENODATA);
	assert_int_equal(ol_memcg_oom_kills(&root, "/bad", &n, &v), -ENODATA);
	assert_int_equal(ol_memcg_oom_kills(&root, "/gone", &n, &v), -ENOENT);

	/* paths come from logs: no climbing out of the hierarchy */
	assert_int_equal(ol_memcg_oom_kills(&root, "/../../proc", &n, &v), -EINVAL);
	assert_int_equal(ol_memcg_oom_kills(&root, "/app/..", &n, &v), -EINVAL);
	assert_int_equal(ol_memcg_oom_kills(&root, "app", &n, &v), -EINVAL);
	ol_root_close(&root);
}

/*
 * "limit NkB" in an OOM report is K(page_counter max): PAGE_COUNTER_MAX
 * (include/linux/page_counter.h: LONG_MAX / PAGE_SIZE pages on 64-bit,
 * LONG_MAX on 32-bit) for a memory cgroup without a limit.
 */
static void limit_max(void **state)
{
	(void)state;
	/* 64-bit, 4 KiB pages: as 025.log logs it */
	assert_true(ol_memcg_kb_is_max(9007199254740988ULL));
	/* 64-bit, 16 KiB and 64 KiB pages */
	assert_true(ol_memcg_kb_is_max((0x7fffffffffffffffULL / 16384) * 16));
	assert_true(ol_memcg_kb_is_max((0x7fffffffffffffffULL / 65536) * 64));
	/* 32-bit, 4 KiB pages */
	assert_true(ol_memcg_kb_is_max(0x7fffffffULL * 4));
	/* real limits: 009.log's 228 MiB, 010.log's 7.1 GiB, 1 TiB, 1 PiB */
	assert_false(ol_memcg_kb_is_max(233472));
	assert_false(ol_memcg_kb_is_max(7464436));
	assert_false(ol_memcg_kb_is_max(1ULL << 30));
	assert_false(ol_memcg_kb_is_max(1ULL << 40));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counters),
		cmocka_unit_test(limit_max),
	};

	return cmocka_run_group_tests_name("memcg", tests, setup, teardown);
}
