/* runstat.c -- run a command once, print what it cost, for bench/list-vs-ps.sh.
 *
 *   runstat CMD [ARG...]
 *
 * forks, execs CMD with stdout and stdin on /dev/null (stderr is kept),
 * waits with wait4() and prints one line on stdout:
 *
 *   WALL_NS MAXRSS_KB UTIME_US STIME_US STATUS
 *
 * WALL_NS is CLOCK_MONOTONIC from just before fork() to just after wait4();
 * MAXRSS_KB is the child's ru_maxrss (peak resident set, kB); STATUS is its
 * exit status, or 128+signal.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: runstat CMD [ARG...]\n");
		return 2;
	}
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0) {
		perror("runstat: /dev/null");
		return 2;
	}

	long long t0 = now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 2;
	}
	if (pid == 0) {
		dup2(null, 0);
		dup2(null, 1);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "runstat: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	int status;
	struct rusage ru;
	pid_t w;
	do
		w = wait4(pid, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	long long t1 = now_ns();
	if (w < 0) {
		perror("runstat: wait4");
		return 2;
	}
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("%lld %ld %lld %lld %d\n", t1 - t0, ru.ru_maxrss,
	       (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
	       (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec, rc);
	return 0;
}
