/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_USERS_H
#define OOMLENS_USERS_H

#include <sys/types.h>
#include "root.h"

/*
 * uid -> user name, cached.  Live: getpwuid(3); under a sysroot:
 * SYSROOT/etc/passwd only, never the live system's users.
 */
struct ol_users;

struct ol_users *ol_users_new(const struct ol_root *root);
/* NULL when the uid has no name. */
const char *ol_users_name(struct ol_users *u, uid_t uid);
/* Name or number -> uid.  0, -ENOENT, or -ERANGE for a number no uid is. */
int ol_users_lookup(struct ol_users *u, const char *name, uid_t *uid);
void ol_users_free(struct ol_users *u);

/* Parse one passwd-format buffer line by line (pure). -ENOENT when absent. */
int ol_passwd_find_uid(const char *buf, uid_t uid, char *name, size_t sz);
int ol_passwd_find_name(const char *buf, const char *name, uid_t *uid);

#endif
