// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "oomlens/root.h"

static int open_dir(int base, const char *name)
{
	return openat(base, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int ol_root_open(struct ol_root *root, const char *sysroot)
{
	int base;

	memset(root, 0, sizeof(*root));
	root->procfd = root->sysfd = root->etcfd = -1;

	if (sysroot) {
		root->path = strdup(sysroot);
		if (!root->path)
			return -ENOMEM;
		base = open(sysroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		base = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (base < 0) {
		int e = -errno;

		free(root->path);
		root->path = NULL;
		return e;
	}
	root->procfd = open_dir(base, "proc");
	root->sysfd = open_dir(base, "sys");
	root->etcfd = open_dir(base, "etc");
	close(base);
	if (root->procfd < 0) {
		int e = -errno;

		ol_root_close(root);
		return e;
	}
	return 0;
}

void ol_root_close(struct ol_root *root)
{
	if (root->procfd >= 0)
		close(root->procfd);
	if (root->sysfd >= 0)
		close(root->sysfd);
	if (root->etcfd >= 0)
		close(root->etcfd);
	free(root->path);
	root->path = NULL;
	root->procfd = root->sysfd = root->etcfd = -1;
}

void ol_buf_free(struct ol_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static int buf_grow(struct ol_buf *b, size_t want)
{
	char *p;

	if (b->cap >= want)
		return 0;
	p = realloc(b->data, want);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = want;
	return 0;
}

int ol_read_at(int dirfd, const char *name, struct ol_buf *b)
{
	return ol_read_at_keep(dirfd, name, b, NULL);
}

int ol_read_at_keep(int dirfd, const char *name, struct ol_buf *b, int *keep)
{
	int fd, rc = 0;

	if (keep)
		*keep = -1;
	if (dirfd < 0 && dirfd != AT_FDCWD)
		return -ENOENT;	/* a sysroot without that directory */
	if (buf_grow(b, 4096) < 0)
		return -ENOMEM;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	b->len = 0;
	for (;;) {
		ssize_t n;

		if (b->len + 1 >= b->cap) {
			if (b->cap >= OL_READ_MAX) {
				rc = -EFBIG;
				break;
			}
			if (buf_grow(b, b->cap * 2) < 0) {
				rc = -ENOMEM;
				break;
			}
		}
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		/*
		 * /proc files hand over their whole content in one read()
		 * when the buffer is large enough: a short read is the end.
		 * Regular files (fixture trees) are read to EOF the same way.
		 */
		if (b->len + 1 < b->cap)
			break;
	}
	if (keep)
		*keep = fd;
	else
		close(fd);
	b->data[b->len] = '\0';
	return rc;
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

void ol_fds_close(int *fds, size_t n)
{
	static int no_close_range;
	size_t i = 0;

	qsort(fds, n, sizeof(*fds), int_cmp);
	while (i < n) {
		size_t j = i;

		while (j + 1 < n && fds[j + 1] == fds[j] + 1)
			j++;
		if (j > i && !no_close_range &&
		    close_range((unsigned int)fds[i], (unsigned int)fds[j], 0) == 0) {
			i = j + 1;
			continue;
		}
		if (j > i && errno == ENOSYS)
			no_close_range = 1;
		for (; i <= j; i++)
			close(fds[i]);
	}
}

int ol_root_hidepid(const struct ol_root *root)
{
	struct ol_buf b = { 0 };
	struct stat st;
	char dev[32];
	int level = 0;
	char *line, *save = NULL;

	/*
	 * The mount of the /proc we read, found in its own mountinfo by device
	 * number: "36 25 0:5 / /proc rw,nosuid - proc proc rw,hidepid=2".
	 * A copied tree has no mountinfo: 0.
	 */
	if (root->procfd < 0 || fstat(root->procfd, &st) < 0 ||
	    ol_read_at(root->procfd, "self/mountinfo", &b) < 0) {
		ol_buf_free(&b);
		return 0;
	}
	snprintf(dev, sizeof(dev), "%u:%u", major(st.st_dev), minor(st.st_dev));
	for (line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[32], *dash = strstr(line, " - proc "), *h;

		if (!dash || sscanf(line, "%*s %*s %31s", id) != 1 || strcmp(id, dev) != 0)
			continue;
		if ((h = strstr(dash, "hidepid="))) {
			h += 8;
			if (*h >= '1' && *h <= '4')
				level = *h - '0';
			else if (strncmp(h, "noaccess", 8) == 0)
				level = 1;
			else if (strncmp(h, "invisible", 9) == 0)
				level = 2;
			else if (strncmp(h, "ptraceable", 10) == 0)
				level = 4;
		}
		break;
	}
	ol_buf_free(&b);
	return level;
}
