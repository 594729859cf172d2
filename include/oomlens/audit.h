/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_AUDIT_H
#define OOMLENS_AUDIT_H

/*
 * Misconfigured OOM protection: rules with stable ids and default
 * severities, an allow list and per-rule overrides from a small text file,
 * and the findings.  The library finds; the command prints.
 */

#include <stddef.h>

#include "root.h"

enum ol_sev { OL_SEV_INFO, OL_SEV_WARNING, OL_SEV_ERROR, OL_SEV_OFF };

enum ol_rule {
	OL_R_UNKILLABLE,		/* unkillable-process */
	OL_R_INHERITED,			/* inherited-unkillable */
	OL_R_INHERITED_STRONG,		/* inherited-protection */
	OL_R_UNKILLABLE_SHARE,		/* unkillable-memory */
	OL_R_PANIC_ON_OOM,		/* panic-on-oom */
	OL_R_DUMP_TASKS,		/* oom-dump-tasks-off */
	OL_R_KILL_ALLOCATING,		/* oom-kill-allocating-task */
	OL_R_OVERCOMMIT,		/* overcommit */
	OL_R_MEMCG_OOM_DISABLED,	/* memcg-oom-disabled */
	OL_R_MEMCG_OOM_GROUP,		/* memcg-oom-group */
	OL_R_UNIT_ADJUST,		/* unit-oom-score-adjust */
	OL_R_LEGACY_OOM_ADJ,		/* legacy-oom-adj */
	OL_R_OOM_KILLS,			/* oom-kills */
	OL_R_COUNT
};

struct ol_rule_info {
	const char *id;
	enum ol_sev sev;
	const char *summary;
	const char *fix;
};

extern const struct ol_rule_info ol_rules[OL_R_COUNT];
int ol_rule_by_id(const char *id);		/* index or -1 */
const char *ol_sev_str(enum ol_sev s);
int ol_sev_from_str(const char *s);		/* enum ol_sev or -1 ("off" is OL_SEV_OFF) */

enum ol_allow_kind { OL_ALLOW_COMM, OL_ALLOW_EXE, OL_ALLOW_CGROUP, OL_ALLOW_UNIT };

struct ol_allow {
	enum ol_allow_kind kind;
	char *pattern;		/* fnmatch(3) glob */
	char *reason;
	long uid;		/* only processes of this uid; -1: any */
	int no_session;		/* only processes outside users' sessions and slices */
	int builtin;
};

struct ol_audit_conf {
	struct ol_allow *allow;
	size_t nallow;
	enum ol_sev sev[OL_R_COUNT];
	int sev_set[OL_R_COUNT];	/* overridden by the file */
	double unkillable_share;	/* percent of RAM + swap, unkillable-memory */
	double large_share;		/* percent: an unkillable process this large is an error */
	char source[4096];		/* "built-in defaults" or the file */
};

/* The built-in configuration: defaults and the allow list of stock systems. */
void ol_audit_conf_defaults(struct ol_audit_conf *c);
/*
 * Parse a configuration file's text on top of @c (pure).  On error returns
 * -EINVAL with "LINE: reason" in @err.  Directives:
 *   allow comm|exe|cgroup|unit GLOB "reason" [uid=N] [no-session]
 *   disable RULE
 *   severity RULE info|warning|error
 *   set unkillable-share|large-share PERCENT
 *   no-default-allow
 */
int ol_audit_conf_parse(struct ol_audit_conf *c, const char *text, char *err, size_t errsz);
/* The configuration in force, in the file's own syntax (free() it). */
char *ol_audit_conf_dump(const struct ol_audit_conf *c);
void ol_audit_conf_free(struct ol_audit_conf *c);

struct ol_finding {
	enum ol_rule rule;
	enum ol_sev sev;
	long pid;		/* -1 when not about a process */
	char comm[64];
	char *message;
	char *evidence;		/* JSON text of an object, or NULL */
};

struct ol_findings {
	struct ol_finding *v;
	size_t n;
	size_t count[3];	/* by severity */
	int log_read;		/* the kernel-log rules could run */
	char note[256];		/* why not, when they could not */
	int log_error;		/* -errno: opts.log_path could not be read (-EBADMSG: corrupt
				 * compressed data); the run fails */
	size_t unread;		/* unit files that exist but could not be read (the root's
				 * notes say which): the audit is incomplete */
	int hidepid;		/* /proc's hidepid= level when it hides other users'
				 * processes from this (unprivileged) run, else 0: the
				 * process rules saw only the caller's, incomplete too */
};

struct ol_audit_opts {
	const struct ol_audit_conf *conf;
	const char *log_path;	/* kernel log for the log rules, plain or gzip'd; NULL: /dev/kmsg
				 * or DIR/var/log */
	int no_log;
};

/* Run every rule on @root.  0 or -errno (the system cannot be read). */
int ol_audit_run(const struct ol_root *root, const struct ol_audit_opts *o,
		 struct ol_findings *out);
void ol_findings_free(struct ol_findings *f);

#endif
