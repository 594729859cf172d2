// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: a sysroot built from the input, in a temporary directory, read
 * by the scanner and the readers (sysinfo, users, sysctls, audit with its
 * unit files, cgroups and kernel log).  The input is a list of records:
 *
 *	op (1 byte), path (1 byte: an index into paths[]), n (1 byte), n bytes
 *
 * op % 5: 0 a regular file holding the bytes (never blocking on a FIFO made before), 1 a symbolic link to them,
 * 2 a FIFO, 3 a directory, 4 a hard link to paths[bytes[0]].  The first
 * byte's low bit picks openat2(2) or the walk used without it.
 *
 * Beside the tree, outside/secret holds a marker: nothing read from the
 * tree may hold it unless the input does (a link resolved out of the
 * tree), and a FIFO must never block (libFuzzer's -timeout catches that).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "oomlens/oomlens.h"
#include "oomlens/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MARK	"OOMLENS-FUZZ-OUTSIDE-MARK"

static const char *const paths[] = {
	"proc/meminfo", "proc/1/status", "proc/1/stat", "proc/1/cmdline", "proc/1/cgroup",
	"proc/1/oom_score", "proc/1/oom_score_adj", "proc/1/oom_adj", "proc/2/status",
	"proc/2/cmdline", "proc/2/cgroup", "proc/2", "proc/3", "proc/self", "proc/self/smaps",
	"proc/sys/kernel/osrelease", "proc/sys/vm/panic_on_oom", "etc/passwd", "etc/hostname",
	"etc/oomlens/audit.conf", "etc/systemd/system/a.service", "etc/systemd/system/a.service.d",
	"etc/systemd/system/a.service.d/x.conf", "lib/systemd/system/a.service",
	"lib/systemd/system/b.service", "var/log/kern.log", "sys/fs/cgroup/memory.oom.group",
	"sys/fs/cgroup/x/memory.oom.group", "proc", "etc", "sys", "lib",
};
#define NPATHS	(sizeof(paths) / sizeof(paths[0]))

static char top[64], tree[96];

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(p) < 0 ? 0 : 0;
}

static void rm_tree(void)
{
	nftw(tree, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* at exit: the last tree and the outside directory go too */
static void cleanup(void)
{
	char p[160];

	rm_tree();
	snprintf(p, sizeof(p), "%s/outside/secret", top);
	remove(p);
	snprintf(p, sizeof(p), "%s/outside", top);
	remove(p);
	remove(top);
}

static int init(void)
{
	char p[160];
	FILE *f;

	struct stat st;

	/* a tmpfs where there is one: a tree is made and removed per input */
	snprintf(top, sizeof(top), "%s/oomlens-fuzz-sysroot.XXXXXX",
		 stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp");
	if (!mkdtemp(top))
		return -1;
	snprintf(tree, sizeof(tree), "%s/tree", top);
	snprintf(p, sizeof(p), "%s/outside", top);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/outside/secret", top);
	f = fopen(p, "w");
	if (!f)
		return -1;
	fputs(MARK "\n", f);
	fclose(f);
	atexit(cleanup);
	return 0;
}

/* mkdir -p of @rel's parents under the tree */
static void parents(const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", tree, rel);
	for (char *s = p + strlen(tree) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
}

static void make(int op, const char *rel, const uint8_t *b, size_t n)
{
	char p[256], text[256];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", tree, rel);
	memcpy(text, b, n);
	text[n] = '\0';
	parents(rel);
	switch (op % 5) {
	case 0:
		fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK, 0644);
		if (fd >= 0) {
			if (write(fd, b, n) < 0)
				break;
			close(fd);
		}
		break;
	case 1:
		symlink(text, p);
		break;
	case 2:
		mkfifo(p, 0644);
		break;
	case 3:
		mkdir(p, 0755);
		break;
	default:
		if (n) {
			char q[256];

			snprintf(q, sizeof(q), "%s/%s", tree, paths[b[0] % NPATHS]);
			link(q, p);
		}
		break;
	}
}

static void no_mark(const char *s)
{
	if (s && strstr(s, MARK))
		abort();	/* read from outside the tree */
}

static void read_all(const struct ol_root *root, int check)
{
	struct ol_scan_opts so = { .read = ~0u };
	struct ol_proclist pl;
	struct ol_sysinfo si;
	struct ol_sysctls sc;
	struct ol_users *u;
	struct ol_audit_conf conf;
	struct ol_audit_opts ao = { .conf = &conf };
	struct ol_findings f = { 0 };
	const char *n;

	if (ol_scan(root, &so, &pl) == 0) {
		for (size_t i = 0; i < pl.n && check; i++) {
			no_mark(pl.procs[i].comm);
			no_mark(pl.procs[i].cmdline);
			no_mark(pl.procs[i].cgroup);
			no_mark(pl.procs[i].cgroup_unified);
		}
		u = ol_users_new(root);
		if (u) {
			for (size_t i = 0; i < pl.n; i++)
				if (check)
					no_mark(ol_users_name(u, pl.procs[i].uid));
			ol_users_free(u);
		}
		ol_proclist_free(&pl);
	}
	ol_sysinfo_read(root, &si);
	if (check)
		no_mark(si.release);
	ol_sysctls_read(root, &sc);
	ol_audit_conf_defaults(&conf);
	if (ol_audit_run(root, &ao, &f) == 0 && check)
		for (size_t i = 0; i < f.n; i++) {
			no_mark(f.v[i].message);
			no_mark(f.v[i].evidence);
		}
	ol_findings_free(&f);
	ol_audit_conf_free(&conf);
	for (size_t i = 0; check && (n = ol_root_note_get(root, i)); i++)
		no_mark(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct ol_root root;
	size_t i = 1;	/* data[0] picks the way of resolving */
	int check;

	if (!ready) {
		if (init() < 0)
			abort();
		ready = 1;
	}
	rm_tree();
	mkdir(tree, 0755);
	mkdir(strcat(strcpy((char[128]){ 0 }, tree), "/proc"), 0755);
	check = !memmem(data, size, MARK, strlen(MARK));
	ol_root_set_openat2(size && (data[0] & 1));
	while (i + 3 <= size) {
		int op = data[i];
		const char *rel = paths[data[i + 1] % NPATHS];
		size_t n = data[i + 2];

		i += 3;
		if (n > size - i)
			n = size - i;
		if (n > 200)
			n = 200;
		make(op, rel, data + i, n);
		i += n;
	}
	if (ol_root_open(&root, tree) == 0) {
		read_all(&root, check);
		ol_root_close(&root);
	}
	return 0;
}
