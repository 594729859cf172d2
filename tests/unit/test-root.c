// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Paths of a sysroot are resolved inside it (include/oomlens/root.h), with
 * openat2(2) RESOLVE_IN_ROOT and with the walk used on kernels without it:
 * both must keep every link inside the tree and refuse what is not a
 * regular file before opening it.  The tree is built here, in a temporary
 * directory, beside an "outside" directory that nothing may reach.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "oomlens/root.h"

static char top[64];
static char tree[128];

static void put(const char *rel, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_at(const char *target, const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
	char p[256], out[256];

	(void)state;
	snprintf(top, sizeof(top), "/tmp/oomlens-root.XXXXXX");
	if (!mkdtemp(top))
		return -1;
	snprintf(tree, sizeof(tree), "%s/tree", top);
	snprintf(p, sizeof(p), "mkdir -p %s/tree/proc/1 %s/tree/etc/sub %s/outside", top, top, top);
	if (system(p) != 0)
		return -1;
	put("outside/secret", "outside\n");
	put("tree/proc/1/status", "Name:\tinit\n");
	put("tree/etc/passwd", "root:x:0:0::/:/bin/sh\n");
	/* absolute, inside once re-rooted */
	link_at("/etc/passwd", "tree/proc/1/abs");
	/* relative, staying inside */
	link_at("../../etc/passwd", "tree/proc/1/rel");
	/* relative, climbing out: 3 levels up is the top directory */
	link_at("../../../outside/secret", "tree/proc/1/climb");
	snprintf(out, sizeof(out), "%s/outside/secret", top);
	link_at(out, "tree/proc/1/outabs");		/* the real path outside */
	link_at("/proc/self/environ", "tree/proc/1/environ");
	link_at("loop2", "tree/proc/1/loop1");
	link_at("loop1", "tree/proc/1/loop2");
	link_at("/proc", "tree/etc/proc");		/* a directory link out */
	snprintf(p, sizeof(p), "%s/tree/proc/1/fifo", top);
	if (mkfifo(p, 0600) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/tree/proc/1/zero", top);
	if (mknod(p, S_IFCHR | 0600, makedev(1, 5)) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	ol_root_set_openat2(1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

/* Read @rel of the tree; the text, or NULL and *@err. */
static char *read_in(const struct ol_root *root, const char *rel, int *err)
{
	struct ol_buf b = { 0 };

	*err = ol_root_read(root, root->basefd, rel, &b);
	if (*err < 0) {
		ol_buf_free(&b);
		return NULL;
	}
	return b.data;
}

static int has_note(const struct ol_root *root, const char *text)
{
	const char *n;

	for (size_t i = 0; (n = ol_root_note_get(root, i)); i++)
		if (strstr(n, text))
			return 1;
	return 0;
}

static void contained(int openat2)
{
	struct ol_root root;
	char *s;
	int err;

	ol_root_set_openat2(openat2);
	assert_int_equal(ol_root_open(&root, tree), 0);

	s = read_in(&root, "proc/1/abs", &err);
	assert_non_null(s);
	assert_string_equal(s, "root:x:0:0::/:/bin/sh\n");
	free(s);
	s = read_in(&root, "proc/1/rel", &err);
	assert_non_null(s);
	free(s);

	/* out of the tree: ".." stops at the root (nothing there: -ENOENT) */
	assert_null(read_in(&root, "proc/1/climb", &err));
	assert_int_equal(err, -ENOENT);
	assert_null(read_in(&root, "../outside/secret", &err));
	assert_int_equal(err, -ENOENT);
	assert_null(read_in(&root, "proc/1/outabs", &err));
	assert_int_equal(err, -ENOENT);
	assert_null(read_in(&root, "proc/1/environ", &err));
	assert_int_equal(err, -ENOENT);
	assert_null(read_in(&root, "proc/1/loop1", &err));
	assert_int_equal(err, -ELOOP);
	assert_true(has_note(&root, "proc/1/loop1: a loop of symbolic links"));
	/* "/proc" seen from etc/ (its root) is etc/proc: itself */
	assert_int_equal(ol_root_openat(&root, root.etcfd, "proc", OL_OPEN_DIR, NULL), -ELOOP);

	/* not regular files: refused before they are opened */
	assert_null(read_in(&root, "proc/1/fifo", &err));
	assert_int_equal(err, -EINVAL);
	assert_true(has_note(&root, "proc/1/fifo: a FIFO, not a regular file: skipped"));
	assert_null(read_in(&root, "proc/1/zero", &err));
	assert_int_equal(err, -ENODEV);
	assert_true(has_note(&root, "proc/1/zero: a character device, not a regular file: skipped"));
	assert_null(read_in(&root, "proc/1", &err));
	assert_int_equal(err, -EISDIR);
	assert_int_equal(ol_root_openat(&root, root.procfd, "1/status", OL_OPEN_DIR, NULL), -ENOTDIR);

	/* through a directory of the tree, as the readers do */
	{
		struct ol_buf b = { 0 };

		assert_int_equal(ol_root_read(&root, root.procfd, "1/status", &b), 0);
		assert_string_equal(b.data, "Name:\tinit\n");
		ol_buf_free(&b);
	}
	ol_root_close(&root);
}

static void with_openat2(void **state)
{
	(void)state;
	contained(1);
}

static void without_openat2(void **state)
{
	(void)state;
	contained(0);
}

/* A note is kept once; past OL_NOTES_MAX only counted. */
static void notes_bounded(void **state)
{
	struct ol_root root;

	(void)state;
	assert_int_equal(ol_root_open(&root, tree), 0);
	for (int i = 0; i < 3; i++)
		ol_root_note(&root, root.procfd, "1/x", "same");
	assert_string_equal(ol_root_note_get(&root, 0), "proc/1/x: same");
	assert_null(ol_root_note_get(&root, 1));
	for (int i = 0; i < OL_NOTES_MAX + 10; i++)
		ol_root_note(&root, -1, "n", "%d", i);
	assert_null(ol_root_note_get(&root, OL_NOTES_MAX));
	assert_int_equal(ol_root_notes_dropped(&root), 11);
	ol_root_close(&root);
}

/*
 * A seq_file longer than a page (this process's maps, after 400 mappings
 * that cannot merge) is read to its end, every line of it; read to the first
 * short read, it stopped after about 4 KiB (mountinfo on a node with many
 * mounts, cgroup.procs of a busy cgroup).
 */
static void seq_file_whole(void **state)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)page * 800, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct ol_buf b = { 0 };
	size_t lines = 0;

	(void)state;
	assert_true(map != MAP_FAILED);
	for (int i = 0; i < 400; i++)	/* every other page no access: 800 maps lines at least */
		assert_int_equal(mprotect(map + (size_t)(2 * i + 1) * (size_t)page, (size_t)page, PROT_NONE), 0);
	assert_int_equal(ol_read_seq_at(AT_FDCWD, "/proc/self/maps", &b), 0);
	for (size_t i = 0; i < b.len; i++)
		lines += b.data[i] == '\n';
	assert_true(b.len > 16384);
	assert_true(lines >= 800);
	assert_int_equal(b.data[b.len - 1], '\n');
	assert_int_equal(strlen(b.data), b.len);
	ol_buf_free(&b);
	munmap(map, (size_t)page * 800);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(with_openat2),
		cmocka_unit_test(without_openat2),
		cmocka_unit_test(notes_bounded),
		cmocka_unit_test(seq_file_whole),
	};

	return cmocka_run_group_tests_name("root", tests, setup, teardown);
}
