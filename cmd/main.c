// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oomlens.h"
#include "oomlens/strutil.h"
#include "term.h"

#ifndef OOMLENS_VERSION
#define OOMLENS_VERSION "unknown"
#endif

const struct ol_cmd ol_commands[] = {
	{ "list", cmd_list, "rank processes by how likely the OOM killer is to kill them", 0 },
	{ "explain", cmd_explain, "show the kernel's OOM arithmetic for a process, term by term", 0 },
	{ "log", cmd_log, "find OOM events in kernel logs and explain the kernel's choice", 0 },
	{ "snapshot", cmd_snapshot, "save the OOM-relevant state of the machine as JSON", 0 },
	/* as diff(1): 1 is "differences", trouble is 2 */
	{ "diff", cmd_diff, "compare two snapshots, or a snapshot with now", OL_EXIT_USAGE },
	/* 1 is "findings" for cron: a write error is one of its errors, 2 */
	{ "audit", cmd_audit, "find misconfigured OOM protection, for cron", OL_EXIT_USAGE },
	{ "watch", cmd_watch, "sample processes until they die, and say whether the OOM killer took them", 0 },
};
const size_t ol_ncommands = sizeof(ol_commands) / sizeof(ol_commands[0]);

/*
 * A message may quote what the user typed or a file's name: control
 * characters and bidi overrides are escaped, so it stays one line and
 * cannot drive the terminal.
 */
static void vput_message(const char *fmt, va_list ap)
{
	char small[512], *big = NULL, *msg = small, *e;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small) && (big = malloc((size_t)n + 1))) {
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		msg = big;
	}
	e = ol_escape(msg);
	fputs(e ? e : msg, stderr);
	free(e);
	free(big);
}

void ol_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("oomlens: ", stderr);
	va_start(ap, fmt);
	vput_message(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ol_warnx_errno(int err, const char *fmt, ...)
{
	va_list ap;

	fputs("oomlens: ", stderr);
	va_start(ap, fmt);
	vput_message(fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err < 0 ? -err : err));
}

int ol_quiet;

void ol_note(const char *fmt, ...)
{
	va_list ap;

	if (ol_quiet)
		return;
	fputs("oomlens: note: ", stderr);
	va_start(ap, fmt);
	vput_message(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ol_note_kernel(const struct ol_kernel *k, const char *hint)
{
	if (!k->known)
		ol_note("kernel release unknown; using the 5.9+ OOM heuristic%s", hint ? hint : "");
	else if (k->era == OL_ERA_A)
		ol_note("kernel %s predates 2.6.36: its badness cannot be computed from /proc",
			k->release);
}

static void try_help(const char *cmdname)
{
	if (cmdname)
		fprintf(stderr, "Try 'oomlens %s --help' for more information.\n", cmdname);
	else
		fputs("Try 'oomlens --help' for more information.\n", stderr);
}

int ol_usage_error(const struct ol_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fputs("oomlens: ", stderr);
	va_start(ap, fmt);
	vput_message(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	try_help(ctx ? ctx->cmdname : NULL);
	return OL_EXIT_USAGE;
}

int ol_bad_option(const struct ol_ctx *ctx, char **argv, int opt)
{
	const char *arg = argv[optind - 1];

	if (opt == ':')
		return ol_usage_error(ctx, "option '%s' requires an argument", arg);
	if (optopt && optopt != '?' && strncmp(arg, "--", 2) != 0)
		return ol_usage_error(ctx, "invalid option -- '%c'", optopt);
	return ol_usage_error(ctx, "unrecognized option '%s'", arg);
}

const struct ol_kube *ol_ctx_kube(struct ol_ctx *ctx)
{
	if (!ctx->kube_loaded && ctx->root_open) {
		ctx->kube_loaded = 1;
		if (ol_kube_load(&ctx->root, &ctx->kube) < 0)
			ol_warn("out of memory reading the kubelet's pod names");
	}
	return ctx->kube;
}

const struct ol_kube *ol_ctx_kube_for(struct ol_ctx *ctx, const struct ol_cg_decoded *d)
{
	return d->kind == OL_CG_POD ? ol_ctx_kube(ctx) : NULL;
}

void ol_ctx_cgroup_label(struct ol_ctx *ctx, const struct ol_cg_decoded *d,
			 char *buf, size_t sz)
{
	ol_kube_label(ol_ctx_kube_for(ctx, d), d, buf, sz);
}

int ol_ctx_root(struct ol_ctx *ctx)
{
	int rc;

	if (ctx->root_open)
		return 0;
	rc = ol_root_open(&ctx->root, ctx->sysroot);
	if (rc < 0) {
		if (ctx->sysroot)
			ol_warnx_errno(rc, "cannot open sysroot '%s' (needs DIR/proc)", ctx->sysroot);
		else
			ol_warnx_errno(rc, "cannot open /proc");
		return rc;
	}
	ctx->root_open = 1;
	/* whoever reads processes should know when some are out of sight */
	if (geteuid() != 0 && (!ctx->cmdname || strcmp(ctx->cmdname, "log") != 0)) {
		int h = ol_root_hidepid(&ctx->root);

		if (h)
			ol_note("/proc is mounted with hidepid=%d: other users' processes may be hidden; "
				"counts and ranks cover only those you can see", h);
	}
	return 0;
}

void ol_ctx_notes(struct ol_ctx *ctx)
{
	const char *n;
	size_t dropped;

	if (!ctx->root_open)
		return;
	for (; (n = ol_root_note_get(&ctx->root, ctx->notes_shown)); ctx->notes_shown++)
		ol_note("sysroot: %s", n);
	dropped = ol_root_notes_dropped(&ctx->root);
	if (dropped > ctx->notes_dropped_shown) {
		ol_note("sysroot: %zu more file%s skipped or left unknown (only the first %d are named)",
			dropped - ctx->notes_dropped_shown, dropped - ctx->notes_dropped_shown == 1 ? "" : "s",
			OL_NOTES_MAX);
		ctx->notes_dropped_shown = dropped;
	}
}

volatile sig_atomic_t ol_stop;

static void on_stop(int sig)
{
	(void)sig;
	ol_stop = 1;
}

void ol_catch_stop(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void ol_print_version(void)
{
	printf("oomlens %s\n", OOMLENS_VERSION);
}

static void usage(void)
{
	size_t i;

	fputs("Usage:\n"
	      " oomlens [--sysroot <dir>] [--color[=<when>]] <command> [<args>]\n"
	      "\n"
	      "Make the Linux OOM killer legible.\n"
	      "\n"
	      "Commands:\n", stdout);
	for (i = 0; i < ol_ncommands; i++)
		printf("  %-10s %s\n", ol_commands[i].name, ol_commands[i].summary);
	fputs("  help       show the help of a command\n"
	      "\n"
	      "Options:\n"
	      "     --sysroot <dir>  read <dir>/proc, <dir>/sys, <dir>/etc and <dir>/var/log\n"
	      "                        instead of the live system\n"
	      "     --color[=<when>] colorize the output (auto, always or never)\n"
	      " -h, --help           display this help\n"
	      " -V, --version        display version\n"
	      "\n"
	      "For more details see oomlens(1).\n", stdout);
}

static const struct ol_cmd *find_cmd(const char *name)
{
	size_t i;

	/* exact names only: no prefix matching */
	for (i = 0; i < ol_ncommands; i++)
		if (strcmp(ol_commands[i].name, name) == 0)
			return &ol_commands[i];
	return NULL;
}

/* Write errors on stdout (a full disk, a closed pipe) are failures. */
static int close_stdout(void)
{
	int err = ferror(stdout);

	if (fflush(stdout) != 0 || err) {
		if (!err)
			err = errno;
		else
			err = errno ? errno : EIO;
		if (err != EPIPE)
			ol_warnx_errno(err, "write error");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sysroot", required_argument, NULL, 'S' },
		{ "color",   optional_argument, NULL, 'C' },
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ol_ctx ctx = { 0 };
	const struct ol_cmd *cmd;
	int c, rc;

	/*
	 * Character classes only, so that valid UTF-8 names print as such;
	 * numbers stay in the C locale (JSON, raw output).
	 */
	setlocale(LC_CTYPE, "");
	/*
	 * Without TZ, glibc's mktime() stats /etc/localtime again at every
	 * call to see whether it changed: a syscall for each dated line of a
	 * log.  Naming the same zone file reads it once (tzset(3)).
	 */
	setenv("TZ", ":/etc/localtime", 0);
	/*
	 * glibc gives the heap's free top back to the kernel past 128 KiB:
	 * log frees an event's table and text as the next one grows them, so a
	 * storm of events trimmed and regrew the heap (brk(), page faults)
	 * hundreds of times.  A few MiB kept stay well inside the RSS budget.
	 */
	mallopt(M_TRIM_THRESHOLD, 4 << 20);

	/* '+': stop at the command name, its options are its own */
	while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'S':
			ctx.sysroot = optarg;
			break;
		case 'C':
			if (ol_term_set_color(optarg) < 0)
				return ol_usage_error(NULL, "unsupported color mode: '%s'", optarg);
			break;
		case 'h':
			usage();
			return close_stdout() ? OL_EXIT_FAIL : OL_EXIT_OK;
		case 'V':
			ol_print_version();
			return close_stdout() ? OL_EXIT_FAIL : OL_EXIT_OK;
		default:
			return ol_bad_option(NULL, argv, c);
		}
	}
	if (optind >= argc)
		return ol_usage_error(NULL, "no command given");

	if (strcmp(argv[optind], "help") == 0) {
		if (optind + 1 >= argc) {
			usage();
			return close_stdout() ? OL_EXIT_FAIL : OL_EXIT_OK;
		}
		if (optind + 2 < argc)
			return ol_usage_error(NULL, "help takes one command name");
		if (strcmp(argv[optind + 1], "help") == 0) {
			usage();
			return close_stdout() ? OL_EXIT_FAIL : OL_EXIT_OK;
		}
		cmd = find_cmd(argv[optind + 1]);
		if (!cmd)
			return ol_usage_error(NULL, "'%s' is not an oomlens command", argv[optind + 1]);
		ctx.cmdname = cmd->name;
		char *hargv[] = { argv[optind + 1], (char *)"--help", NULL };

		optind = 0;
		rc = cmd->fn(2, hargv, &ctx);
		return close_stdout() ? OL_EXIT_FAIL : rc;
	}

	cmd = find_cmd(argv[optind]);
	if (!cmd)
		return ol_usage_error(NULL, "'%s' is not an oomlens command", argv[optind]);
	ctx.cmdname = cmd->name;
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: reinitialise getopt for the command's options */
	rc = cmd->fn(argc, argv, &ctx);
	if (ctx.root_open) {
		ol_ctx_notes(&ctx);
		ol_root_close(&ctx.root);
	}
	ol_kube_free(ctx.kube);
	if (close_stdout()) {
		if (cmd->write_error_rc)
			rc = cmd->write_error_rc;
		else if (rc == OL_EXIT_OK)
			rc = OL_EXIT_FAIL;
	}
	return rc;
}
