// SPDX-License-Identifier: GPL-2.0-or-later
/* Writing a file so that a reader never sees half of it. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
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

/*
 * What @path names: itself when it does not exist (st_mode 0) or is a
 * regular file, the target of a symbolic link to a regular file.  Anything
 * else (a directory, a device, a fifo) is -EINVAL: renaming over it would
 * replace it, and a device (/dev/null) is no place for a snapshot.
 */
static int resolve(const char *path, char **target, struct stat *st)
{
	*target = NULL;
	if (lstat(path, st) < 0) {
		if (errno != ENOENT)
			return -errno;
		memset(st, 0, sizeof(*st));
	} else if (S_ISLNK(st->st_mode)) {
		/* stat(2) follows it as open(2) would, fs.protected_symlinks included */
		if (stat(path, st) < 0)
			return -errno;
		if (!S_ISREG(st->st_mode))
			return -EINVAL;
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
	struct stat st;
	char *target, *copy = NULL, *dir, *tmp = NULL;
	mode_t mode;
	int fd = -1, dfd, rc;

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
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = -errno;
		free(tmp);
		tmp = NULL;
		goto out;
	}
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
	if (rename(tmp, target) < 0) {
		rc = -errno;
		goto out;
	}
	free(tmp);
	tmp = NULL;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
out_free:
	free(tmp);
	free(copy);
	free(target);
	return rc;
}
