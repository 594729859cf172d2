// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/strutil.h"
#include "oomlens/users.h"

struct ol_user {
	uid_t uid;
	char *name;	/* NULL: no such user */
};

struct ol_users {
	int live;
	char *passwd;	/* sysroot: SYSROOT/etc/passwd, "" when absent */
	struct ol_user *v;
	size_t n, cap;
};

struct ol_users *ol_users_new(const struct ol_root *root)
{
	struct ol_users *u = calloc(1, sizeof(*u));
	struct ol_buf b = { 0 };

	if (!u)
		return NULL;
	u->live = ol_root_is_live(root);
	if (!u->live) {
		int rc = ol_root_read(root, root->etcfd, "passwd", &b);

		if (rc == 0) {
			u->passwd = b.data;
		} else {
			if (rc == -ENOENT)
				ol_root_note(root, root->etcfd >= 0 ? root->etcfd : root->basefd,
					     root->etcfd >= 0 ? "passwd" : "etc/passwd",
					     "missing: users are shown by number");
			ol_buf_free(&b);
			u->passwd = strdup("");
		}
		if (!u->passwd) {
			free(u);
			return NULL;
		}
	}
	return u;
}

void ol_users_free(struct ol_users *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->n; i++)
		free(u->v[i].name);
	free(u->v);
	free(u->passwd);
	free(u);
}

/* Fields of one passwd line: name:pw:uid:... */
static int passwd_line(const char *line, const char **name, size_t *nlen,
		       uid_t *uid)
{
	const char *c1 = strchr(line, ':'), *c2, *nl = strchr(line, '\n');
	char *end;
	unsigned long v;

	/* glibc's files backend: '#' comments; "+..."/"-..." NIS compat lines
	 * are never returned by getpwuid()/getpwnam(); a name is not empty */
	if (line[0] == '#' || line[0] == '+' || line[0] == '-' || line[0] == ':')
		return -1;
	if (!c1 || (nl && c1 > nl))
		return -1;
	c2 = strchr(c1 + 1, ':');
	if (!c2 || (nl && c2 > nl))
		return -1;
	if (!isdigit((unsigned char)c2[1]))	/* strtoul() takes " 1", "-1" */
		return -1;
	errno = 0;
	v = strtoul(c2 + 1, &end, 10);
	if (errno || end == c2 + 1 || *end != ':' || v > UINT32_MAX ||
	    v == (uid_t)-1)
		return -1;
	*name = line;
	*nlen = (size_t)(c1 - line);
	*uid = (uid_t)v;
	return 0;
}

int ol_passwd_find_uid(const char *buf, uid_t uid, char *name, size_t sz)
{
	const char *p, *n;
	size_t nl;
	uid_t u;

	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (passwd_line(p, &n, &nl, &u) == 0 && u == uid && nl > 0) {
			if (nl >= sz)
				nl = sz - 1;
			memcpy(name, n, nl);
			name[nl] = '\0';
			return 0;
		}
	}
	return -ENOENT;
}

int ol_passwd_find_name(const char *buf, const char *name, uid_t *uid)
{
	const char *p, *n;
	size_t nl;
	uid_t u;

	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (passwd_line(p, &n, &nl, &u) == 0 && nl == strlen(name) &&
		    strncmp(n, name, nl) == 0) {
			*uid = u;
			return 0;
		}
	}
	return -ENOENT;
}

const char *ol_users_name(struct ol_users *u, uid_t uid)
{
	char buf[256];
	const char *name = NULL;
	size_t i;

	for (i = 0; i < u->n; i++)
		if (u->v[i].uid == uid)
			return u->v[i].name;
	if (u->live) {
		struct passwd *pw = getpwuid(uid);

		if (pw)
			name = pw->pw_name;
	} else if (ol_passwd_find_uid(u->passwd, uid, buf, sizeof(buf)) == 0) {
		name = buf;
	}
	if (u->n == u->cap) {
		size_t ncap = u->cap ? u->cap * 2 : 16;
		struct ol_user *nv = realloc(u->v, ncap * sizeof(*nv));

		if (!nv)
			return NULL;
		u->v = nv;
		u->cap = ncap;
	}
	u->v[u->n].uid = uid;
	u->v[u->n].name = name ? strdup(name) : NULL;
	return u->v[u->n++].name;
}

int ol_users_lookup(struct ol_users *u, const char *name, uid_t *uid)
{
	unsigned long v;
	int rc = ol_strtoul(name, &v);

	if (rc == -ERANGE)
		return rc;
	if (rc == 0) {
		/* (uid_t)-1 is no uid; a larger number would wrap to another */
		if (v >= (uid_t)-1)
			return -ERANGE;
		*uid = (uid_t)v;
		return 0;
	}
	if (u->live) {
		struct passwd *pw = getpwnam(name);

		if (!pw)
			return -ENOENT;
		*uid = pw->pw_uid;
		return 0;
	}
	return ol_passwd_find_name(u->passwd, name, uid);
}
