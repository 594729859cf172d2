// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * churn: processes born and dying, for the churn test.
 *   churn RATE SECONDS
 * Forks up to RATE children a second for SECONDS; each names itself
 * "ch<its pid>" (PR_SET_NAME), lives 5 to 50 ms and exits.  A reader that
 * mixes two processes' fields shows a name whose number is not its pid.
 * A busy machine gets fewer: the backlog is dropped, never made up in a
 * burst, so the helper ends on time.  Prints how many were born.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static double elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

__attribute__((noreturn)) static void child(void)
{
	char name[16];
	struct timespec life;

	srand((unsigned)getpid());
	life.tv_sec = 0;
	life.tv_nsec = (5 + rand() % 45) * 1000000L;
	snprintf(name, sizeof(name), "ch%d", (int)getpid());
	prctl(PR_SET_NAME, name, 0, 0, 0);
	nanosleep(&life, NULL);
	_exit(0);
}

int main(int argc, char **argv)
{
	long rate = argc > 1 ? atol(argv[1]) : 1000, secs = argc > 2 ? atol(argv[2]) : 30;
	long slack = rate / 10 + 1;	/* at most 100 ms behind */
	struct timespec start, gap = { 0, 1000000L };
	long asked = 0, born = 0;
	double t;

	signal(SIGCHLD, SIG_IGN);	/* the kernel reaps them */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((t = elapsed(&start)) < (double)secs) {
		long due = (long)(t * (double)rate);

		if (due - asked > slack)
			asked = due - slack;	/* behind: drop the backlog */
		for (; asked < due; asked++) {
			pid_t pid = fork();

			if (pid == 0)
				child();
			if (pid < 0)
				break;	/* EAGAIN: try again after the gap */
			born++;
		}
		nanosleep(&gap, NULL);
	}
	printf("%ld\n", born);
	return 0;
}
