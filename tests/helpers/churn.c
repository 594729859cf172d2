// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * churn: processes born and dying, for the churn test.
 *   churn RATE SECONDS
 * Forks RATE children a second for SECONDS; each names itself "ch<its pid>"
 * (PR_SET_NAME), lives 5 to 50 ms and exits.  A reader that mixes two
 * processes' fields shows a name whose number is not its pid.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long rate = argc > 1 ? atol(argv[1]) : 1000, secs = argc > 2 ? atol(argv[2]) : 30;
	struct timespec start, now, gap = { 0, 1000000L };
	long n = 0;

	signal(SIGCHLD, SIG_IGN);	/* the kernel reaps them */
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		double t;

		clock_gettime(CLOCK_MONOTONIC, &now);
		t = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
		if (t >= (double)secs)
			break;
		/* keep up with RATE a second whatever the scheduler does */
		while (n < (long)(t * (double)rate)) {
			pid_t pid = fork();

			if (pid == 0) {
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
			if (pid < 0)
				break;
			n++;
		}
		nanosleep(&gap, NULL);
	}
	printf("%ld\n", n);
	return 0;
}
