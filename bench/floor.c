/* floor.c -- the "plain C loop" floor for bench/list-vs-ps.sh.
 *
 * For every /proc/PID: openat() the PID directory, then read oom_score,
 * oom_score_adj and status relative to it, and print one line
 * "PID SCORE ADJ VmRSS" (the same kind of work ps does for
 * `ps -eo pid,oom,oomadj,rss,comm`, with nothing else: no sorting, no
 * tables, no user names).  What oomlens list cannot go below.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ssize_t slurp(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

int main(void)
{
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0) {
		perror("floor: /proc");
		return 1;
	}
	DIR *d = fdopendir(dup(procfd));
	if (!d) {
		perror("floor: /proc");
		return 1;
	}
	static char buf[8192];
	struct dirent *de;
	long count = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		int pfd = openat(procfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pfd < 0)
			continue;
		long score = -1, adj = 0, rss = 0;
		if (slurp(pfd, "oom_score", buf, sizeof(buf)) > 0)
			score = strtol(buf, NULL, 10);
		if (slurp(pfd, "oom_score_adj", buf, sizeof(buf)) > 0)
			adj = strtol(buf, NULL, 10);
		if (slurp(pfd, "status", buf, sizeof(buf)) > 0) {
			char *p = strstr(buf, "\nVmRSS:");
			if (p)
				rss = strtol(p + 7, NULL, 10);
		}
		close(pfd);
		printf("%s %ld %ld %ld\n", de->d_name, score, adj, rss);
		count++;
	}
	closedir(d);
	close(procfd);
	return count > 0 ? 0 : 1;
}
