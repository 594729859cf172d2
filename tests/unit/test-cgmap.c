// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cgroup map (include/oomlens/cgmap.h) against the kernel's own
 * /proc/PID/cgroup, on the live machine: for every process whose map
 * answer is the same in a map made before and one made after its file was
 * read (it did not move meanwhile), the three paths oomlens reads must be
 * exactly the file's.  Skips where the running process's hierarchies are
 * not mounted whole (no map).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "oomlens/cgmap.h"
#include "oomlens/parse.h"
#include "oomlens/root.h"
#include "kids.h"

struct paths {
	char memory[4096], unified[4096], systemd[4096];
	int rc;
};

static void parse(const char *text, struct paths *p)
{
	p->rc = ol_parse_cgroup(text, p->memory, sizeof(p->memory), p->unified, sizeof(p->unified));
	ol_parse_cgroup_named(text, "systemd", p->systemd, sizeof(p->systemd));
}

static int same(const struct paths *a, const struct paths *b)
{
	return a->rc == b->rc && !strcmp(a->memory, b->memory) &&
	       !strcmp(a->unified, b->unified) && !strcmp(a->systemd, b->systemd);
}

static void agrees_with_proc(void **state)
{
	struct ol_cgmap *before = ol_cgmap_new(100000), *after;
	static struct paths pm, pf;
	char lines[3 * 4096 + 256], lines2[sizeof(lines)], name[64];
	struct ol_buf b = { 0 };
	size_t compared = 0, answered = 0;
	struct dirent *de;
	DIR *d;

	(void)state;
	if (!before) {
		print_message("no cgroup map here (a hierarchy not mounted whole): skipped\n");
		skip();
	}
	d = opendir("/proc");
	assert_non_null(d);
	while ((de = readdir(d))) {
		long pid = strtol(de->d_name, NULL, 10);

		if (pid <= 0)
			continue;
		snprintf(name, sizeof(name), "/proc/%ld/cgroup", pid);
		if (ol_read_at(AT_FDCWD, name, &b) < 0)
			continue;
		if (ol_cgmap_lines(before, (pid_t)pid, lines, sizeof(lines)) < 0)
			continue;
		answered++;
		after = ol_cgmap_new(100000);
		assert_non_null(after);
		if (ol_cgmap_lines(after, (pid_t)pid, lines2, sizeof(lines2)) >= 0 &&
		    strcmp(lines, lines2) == 0) {
			parse(lines, &pm);
			parse(b.data, &pf);
			if (!same(&pm, &pf))
				fail_msg("pid %ld: map gives memory '%s' unified '%s' systemd '%s', "
					 "/proc says '%s' '%s' '%s'", pid, pm.memory, pm.unified,
					 pm.systemd, pf.memory, pf.unified, pf.systemd);
			compared++;
		}
		ol_cgmap_free(after);
		if (compared >= 200)
			break;
	}
	closedir(d);
	ol_buf_free(&b);
	ol_cgmap_free(before);
	print_message("%zu processes compared with /proc/PID/cgroup (%zu answered)\n", compared, answered);
	assert_true(compared >= 5);
}

/*
 * 1,500 children in our cgroups: their cgroup.procs span many pages, read
 * to the end (a short read of a seq_file is not its end), and every child,
 * alive and still where it was born, has an answer equal to its file.
 */
#define NKIDS 1500
static void every_child_answered(void **state)
{
	static pid_t kids[NKIDS];
	static struct paths pm, pf;
	char lines[3 * 4096 + 256], name[64];
	struct ol_buf b = { 0 };
	struct ol_cgmap *m;
	size_t i, n = 0, wrong = 0, missing = 0;

	(void)state;
	n = kids_spawn(kids, NKIDS);
	m = ol_cgmap_new(100000);
	for (i = 0; m && i < n; i++) {
		snprintf(name, sizeof(name), "/proc/%d/cgroup", (int)kids[i]);
		if (ol_read_at(AT_FDCWD, name, &b) < 0 || ol_cgmap_lines(m, kids[i], lines, sizeof(lines)) < 0) {
			missing++;
			continue;
		}
		parse(lines, &pm);
		parse(b.data, &pf);
		wrong += !same(&pm, &pf);
	}
	kids_reap(kids, n);
	ol_buf_free(&b);
	if (!m) {
		print_message("no cgroup map here: skipped\n");
		skip();
	}
	ol_cgmap_free(m);
	assert_true(n >= 1000);
	assert_int_equal(missing, 0);
	assert_int_equal(wrong, 0);
}

static void small_scans_get_no_map(void **state)
{
	(void)state;
	/* one file per process is cheaper for a few hundred */
	assert_null(ol_cgmap_new(10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agrees_with_proc),
		cmocka_unit_test(every_child_answered),
		cmocka_unit_test(small_scans_get_no_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
