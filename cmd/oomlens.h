/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_CMD_H
#define OOMLENS_CMD_H

#include <signal.h>
#include <stdio.h>

#include "oomlens/oomlens.h"

#define OL_EXIT_OK	0
#define OL_EXIT_FAIL	1
#define OL_EXIT_USAGE	2

/* What every command shares: set up by the dispatcher from global options. */
struct ol_ctx {
	const char *sysroot;	/* --sysroot, NULL for the live system */
	const char *cmdname;	/* "list", for messages */
	struct ol_root root;
	int root_open;
	size_t notes_shown;		/* ol_root notes printed so far */
	size_t notes_dropped_shown;
	struct ol_kube *kube;	/* the kubelet's names (ol_ctx_kube()) */
	int kube_loaded;
};

struct ol_cmd {
	const char *name;
	int (*fn)(int argc, char **argv, struct ol_ctx *ctx);
	const char *summary;
	/*
	 * Exit status for a write error on stdout, whatever the command
	 * returned; 0: OL_EXIT_FAIL, in place of a success only.
	 */
	int write_error_rc;
};

extern const struct ol_cmd ol_commands[];
extern const size_t ol_ncommands;

int cmd_list(int argc, char **argv, struct ol_ctx *ctx);
int cmd_explain(int argc, char **argv, struct ol_ctx *ctx);
int cmd_watch(int argc, char **argv, struct ol_ctx *ctx);
int cmd_log(int argc, char **argv, struct ol_ctx *ctx);
int cmd_snapshot(int argc, char **argv, struct ol_ctx *ctx);
int cmd_diff(int argc, char **argv, struct ol_ctx *ctx);
int cmd_audit(int argc, char **argv, struct ol_ctx *ctx);

/* Messages: "oomlens: ..." on stderr, lowercase, no full stop. */
void ol_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ol_warnx_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ol_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* --quiet (audit, log, diff): ol_note() prints nothing, for cron */
extern int ol_quiet;
/* A usage error: the message, then the "Try ... --help" line.  Returns 2. */
int ol_usage_error(const struct ol_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* getopt's unknown option / missing argument, as one line plus the hint. */
int ol_bad_option(const struct ol_ctx *ctx, char **argv, int opt);

struct ol_kernel;
/*
 * The notes every command gives about the kernel it models: an unknown
 * release (the newest rules assumed; @hint may say how to name one) or one
 * whose heuristic cannot be computed from /proc.
 */
void ol_note_kernel(const struct ol_kernel *k, const char *hint);

/* Open ctx->root (the sysroot or the live system); 0 or prints and -errno. */
int ol_ctx_root(struct ol_ctx *ctx);

/*
 * Print the notes the library recorded about the sysroot since the last
 * call (a file skipped, a field left unknown, and why).  The dispatcher calls
 * it when a command returns; a command that runs on calls it as it goes.
 */
void ol_ctx_notes(struct ol_ctx *ctx);

/*
 * The kubelet's pod and container names of the root (NULL: not a node, or
 * out of memory), read once.  Needs ol_ctx_root() first.
 */
const struct ol_kube *ol_ctx_kube(struct ol_ctx *ctx);

/* The same for the cgroup @d: read only when it is a pod's (NULL otherwise) */
const struct ol_kube *ol_ctx_kube_for(struct ol_ctx *ctx, const struct ol_cg_decoded *d);

/* What users call a cgroup path: unit, container, or pod with its kubelet names. */
void ol_ctx_cgroup_label(struct ol_ctx *ctx, const struct ol_cg_decoded *d,
			 char *buf, size_t sz);

void ol_print_version(void);

/*
 * For commands that run until interrupted (log --follow, watch): SIGINT and
 * SIGTERM set ol_stop, and the command finishes cleanly.
 */
extern volatile sig_atomic_t ol_stop;
void ol_catch_stop(void);

/*
 * Write @text and a newline to @path atomically: a temporary file beside it,
 * fsync, rename, fsync of the directory.  A symbolic link is followed (the
 * link stays); the file replaced keeps its permission bits, a new one gets
 * 0666 less the umask.  0 or -errno, -EINVAL when @path exists and is not a
 * regular file (nor a link to one).  On failure, or when SIGHUP, SIGINT or
 * SIGTERM ends the process meanwhile, the previous file is untouched and no
 * temporary file is left.
 */
int ol_write_atomic(const char *path, const char *text);
/* The same, its failure said on stderr.  0 or -1. */
int ol_write_atomic_said(const char *path, const char *text);

#endif
