/* idle.c -- spawn N idle processes for bench/list-vs-ps.sh.
 *
 *   idle N READYFILE
 *
 * Puts itself in a new process group (pgid == its pid), forks N children that
 * only pause(), writes "ready N\n" to READYFILE once every fork has returned,
 * and then waits.  The children are plain fork()s of this tiny program, so
 * they share all its pages copy-on-write: each costs little more than the
 * kernel's own per-task structures and a few page tables.
 *
 * Cleanup, whatever happens to the script that started it:
 *   - SIGTERM, SIGINT or SIGHUP: SIGTERM to the whole group, reap every
 *     child, exit 0 (so no zombie is left for anyone else to reap);
 *   - its parent dies (even by SIGKILL): PR_SET_PDEATHSIG turns that into a
 *     SIGTERM to itself, and so the same cleanup;
 *   - it dies itself (SIGKILL): each child has PR_SET_PDEATHSIG = SIGKILL.
 * A failed fork cleans up the same way and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void reap_all(void)
{
	/* the children die of SIGTERM's default action; we must not */
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGTERM);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: idle N READYFILE\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 10);
	pid_t self = getpid();

	if (setpgid(0, 0) != 0) {
		perror("idle: setpgid");
		return 1;
	}

	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	pid_t parent = getppid();
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)	/* parent already gone */
		return 1;

	long i;
	for (i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			fprintf(stderr, "idle: fork %ld of %ld: %s\n", i + 1, n,
				strerror(errno));
			reap_all();
			return 1;
		}
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			sigprocmask(SIG_SETMASK, &old, NULL);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != self)
				_exit(0);
			for (;;)
				pause();
		}
		/* stop early if asked to while still forking */
		sigset_t pending;
		if (sigpending(&pending) == 0 &&
		    (sigismember(&pending, SIGTERM) || sigismember(&pending, SIGINT) ||
		     sigismember(&pending, SIGHUP))) {
			reap_all();
			return 1;
		}
	}

	int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dprintf(fd, "ready %ld\n", n);
		close(fd);
	}

	while (!stop)
		sigsuspend(&old);
	reap_all();
	return 0;
}
