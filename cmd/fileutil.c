// SPDX-License-Identifier: GPL-2.0-or-later
/* Writing a file so that a reader never sees half of it. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oomlens.h"

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The signals that stop a run: a terminal's ^C, kill, a closed session. */
static const int stop_signals[] = { SIGHUP, SIGINT, SIGTERM };
#define NSTOP	(sizeof(stop_signals) / sizeof(stop_signals[0]))

/* The temporary file being written, for the handler; NULL outside. */
static const char *volatile pending_tmp;

static void remove_tmp_and_die(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	/* async-signal-safe calls only */
	if (pending_tmp)
		unlink(pending_tmp);
	sigaction(sig, &dfl, NULL);
	/* delivered when the handler returns: the exit status names the signal */
	raise(sig);
}

/*
 * A stop signal that would end the process removes the temporary file
 * first; one that is ignored (nohup) or caught is left as it is.
 */
static void catch_stop_signals(struct sigaction *saved)
{
	struct sigaction sa = { .sa_handler = remove_tmp_and_die };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSTOP; i++)
		sigaddset(&sa.sa_mask, stop_signals[i]);
	for (i = 0; i < NSTOP; i++) {
		sigaction(stop_signals[i], NULL, &saved[i]);
		if (!(saved[i].sa_flags & SA_SIGINFO) && saved[i].sa_handler == SIG_DFL)
			sigaction(stop_signals[i], &sa, NULL);
	}
}

static void restore_stop_signals(const struct sigaction *saved)
{
	size_t i;

	for (i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &saved[i], NULL);
}

/*
 * What @path names: itself when it does not exist (st_mode 0) or is a
 * regular file, the target of a symbolic link to a regular file.  Anything
 * else (a directory, a device, a fifo) is -EINVAL: renaming over it would
 * replace it, and a device (/dev/null) is no place for a snapshot.
 * A link is followed only when the caller owns both it and its target:
 * run as root, following another user's link (or a link to another user's
 * file) would replace that file with one root owns.  Else -EPERM.
 */
static int resolve(const char *path, char **target, struct stat *st)
{
	*target = NULL;
	if (lstat(path, st) < 0) {
		if (errno != ENOENT)
			return -errno;
		memset(st, 0, sizeof(*st));
	} else if (S_ISLNK(st->st_mode)) {
		if (st->st_uid != geteuid())
			return -EPERM;
		/* stat(2) follows it as open(2) would, fs.protected_symlinks included */
		if (stat(path, st) < 0)
			return -errno;
		if (!S_ISREG(st->st_mode))
			return -EINVAL;
		if (st->st_uid != geteuid())
			return -EPERM;
		*target = realpath(path, NULL);
		return *target ? 0 : -errno;
	} else if (!S_ISREG(st->st_mode)) {
		return -EINVAL;
	}
	*target = strdup(path);
	return *target ? 0 : -ENOMEM;
}

/*
 * Temporary file beside the target, fsync, rename over it, fsync the
 * directory: an interrupted or failed run leaves the old file as it was.
 */
int ol_write_atomic(const char *path, const char *text)
{
	struct sigaction saved[NSTOP];
	sigset_t stop, oldmask;
	struct stat st;
	char *target, *copy = NULL, *dir, *tmp = NULL;
	mode_t mode;
	int fd = -1, dfd, rc;
	size_t i;

	rc = resolve(path, &target, &st);
	if (rc < 0)
		return rc;
	if (st.st_mode) {
		/* the permissions of the file replaced: a private one stays private */
		mode = st.st_mode & 0777;
	} else {
		/* a new file: as a shell's redirection would make it */
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	copy = strdup(target);
	if (!copy) {
		rc = -ENOMEM;
		goto out_free;
	}
	dir = dirname(copy);
	if (asprintf(&tmp, "%s/.oomlens-tmp.XXXXXX", dir) < 0) {
		tmp = NULL;
		rc = -ENOMEM;
		goto out_free;
	}

	/*
	 * The handler sees pending_tmp set exactly while the temporary file
	 * exists: the stop signals are blocked while either changes.
	 */
	sigemptyset(&stop);
	for (i = 0; i < NSTOP; i++)
		sigaddset(&stop, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &stop, &oldmask);
	catch_stop_signals(saved);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = -errno;
		free(tmp);
		tmp = NULL;
		goto out;
	}
	pending_tmp = tmp;
	sigprocmask(SIG_SETMASK, &oldmask, NULL);

	if ((rc = write_all(fd, text, strlen(text))) < 0 || (rc = write_all(fd, "\n", 1)) < 0)
		goto out;
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		rc = -errno;
		goto out;
	}
	rc = close(fd);
	fd = -1;
	if (rc < 0) {
		rc = -errno;
		goto out;
	}
	sigprocmask(SIG_BLOCK, &stop, NULL);
	if (rename(tmp, target) < 0) {
		rc = -errno;
		goto out;
	}
	pending_tmp = NULL;
	free(tmp);
	tmp = NULL;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	sigprocmask(SIG_BLOCK, &stop, NULL);
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	pending_tmp = NULL;
	restore_stop_signals(saved);
	/* a stop signal that came meanwhile ends the process here */
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
out_free:
	free(tmp);
	free(copy);
	free(target);
	return rc;
}

int ol_write_atomic_said(const char *path, const char *text)
{
	int e = ol_write_atomic(path, text);

	if (e == -EINVAL)
		ol_warn("cannot write '%s': not a regular file (left as it is)", path);
	else if (e == -EPERM)
		ol_warn("cannot write '%s': a symbolic link not yours, or to a file not yours (left as it is)", path);
	else if (e < 0)
		ol_warnx_errno(e, "cannot write '%s' (any previous file is unchanged)", path);
	return e < 0 ? -1 : 0;
}
