// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hog: hold (or grow) memory of a chosen kind, for the live tests.
 *   hog [-a MiB] [-f MiB] [-s MiB] [-p MiB] [-g MiB] [-w MiB] [-A adj] [-n name] [-d ms]
 *   -a  private anonymous memory, touched     -f  a file mapped and read in
 *   -s  shared memory (memfd), touched        -g  then grow anon by 1 MiB steps
 *   -p  MiB of page tables: one anon page touched in every 2 MiB of address
 *       space (so as many MiB of rss too)
 *   -w  then write MiB into a memfd that is never mapped, 1 MiB a step: charged
 *       to the memory cgroup, in no process's rss (a grower that is no candidate)
 *   -A  oom_score_adj to set (raising needs no privilege)
 *   -n  comm to set with PR_SET_NAME          -d  delay between growth steps
 * Prints "ready" on stdout when its memory is in place (after growing, "done"),
 * then sleeps until killed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

static void touch(char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 4096)
		p[i] = 1;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* one page table page per 2 MiB of address space: touch one page in each */
static void pgtables(size_t mib)
{
	size_t span = 2 << 20, n = mib * 256, len = n * span;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		die("mmap pgtables");
	madvise(p, len, MADV_NOHUGEPAGE);	/* a huge page would need no table */
	for (size_t i = 0; i < n; i++)
		p[i * span] = 1;
}

/* @mib MiB written into an unmapped memfd, 1 MiB a step (from a small
 * buffer: the writer's own rss stays small) */
static void write_grow(size_t mib, int delay)
{
	static char buf[64 << 10];
	int fd = memfd_create("hog-w", 0);

	if (fd < 0)
		die("memfd");
	memset(buf, 1, sizeof(buf));
	for (size_t i = 0; i < mib; i++) {
		for (size_t k = 0; k < (1 << 20) / sizeof(buf); k++)
			if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				die("write memfd");
		usleep((useconds_t)delay * 1000);
	}
}

int main(int argc, char **argv)
{
	size_t anon = 0, file = 0, shm = 0, pgt = 0, grow = 0, wgrow = 0, mib = 1 << 20;
	const char *name = NULL, *adj = NULL;
	int c, delay = 10;

	while ((c = getopt(argc, argv, "a:f:s:p:g:w:A:n:d:")) != -1) {
		switch (c) {
		case 'a': anon = strtoul(optarg, NULL, 10) * mib; break;
		case 'f': file = strtoul(optarg, NULL, 10) * mib; break;
		case 's': shm = strtoul(optarg, NULL, 10) * mib; break;
		case 'p': pgt = strtoul(optarg, NULL, 10); break;
		case 'g': grow = strtoul(optarg, NULL, 10); break;
		case 'w': wgrow = strtoul(optarg, NULL, 10); break;
		case 'A': adj = optarg; break;
		case 'n': name = optarg; break;
		case 'd': delay = atoi(optarg); break;
		default: return 2;
		}
	}
	if (adj) {
		FILE *f = fopen("/proc/self/oom_score_adj", "w");

		if (!f || fputs(adj, f) < 0 || fclose(f) != 0)
			die("oom_score_adj");
	}
	if (name)
		prctl(PR_SET_NAME, name, 0, 0, 0);
	if (anon) {
		char *p = mmap(NULL, anon, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap anon");
		touch(p, anon);
	}
	if (file) {
		char path[] = "/var/tmp/oomlens-hog.XXXXXX";
		int fd = mkstemp(path);
		char *p;
		volatile char sum = 0;

		if (fd < 0 || ftruncate(fd, (off_t)file) < 0)
			die("file");
		unlink(path);
		p = mmap(NULL, file, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap file");
		touch(p, file);
		for (size_t i = 0; i < file; i += 4096)
			sum += p[i];
	}
	if (shm) {
		int fd = memfd_create("hog", 0);
		char *p;

		if (fd < 0 || ftruncate(fd, (off_t)shm) < 0)
			die("memfd");
		p = mmap(NULL, shm, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap shm");
		touch(p, shm);
	}
	if (pgt)
		pgtables(pgt);
	printf("ready\n");
	fflush(stdout);
	for (size_t i = 0; i < grow; i++) {
		char *p = mmap(NULL, mib, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap grow");
		touch(p, mib);
		usleep((useconds_t)delay * 1000);
	}
	if (wgrow)
		write_grow(wgrow, delay);
	if (grow || wgrow) {
		printf("done\n");
		fflush(stdout);
	}
	for (;;)
		pause();
}
