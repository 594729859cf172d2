/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Children that only wait, for the tests that scan a live /proc with many
 * processes in it.  Each dies with the test process too, so that a failed
 * assertion (a longjmp out of the test) leaves none behind.
 */
#ifndef OOMLENS_TEST_KIDS_H
#define OOMLENS_TEST_KIDS_H

#include <signal.h>
#include <stddef.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

/* Up to @n paused children into @kids; how many were forked. */
static inline size_t kids_spawn(pid_t *kids, size_t n)
{
	pid_t parent = getpid();
	size_t i;

	for (i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(0);
			pause();
			_exit(0);
		}
		if (p < 0)
			break;
		kids[i] = p;
	}
	return i;
}

/* The @n children killed and reaped. */
static inline void kids_reap(const pid_t *kids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
}

#endif
