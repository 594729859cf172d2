// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oomlens.h"

static void usage(void)
{
	fputs("Usage:\n"
	      " oomlens snapshot [options]\n"
	      "\n"
	      "Save the OOM-relevant state of the machine as one JSON document.\n"
	      "\n"
	      "Options:\n"
	      " -o, --output <file>      write to <file>, atomically (default: standard output)\n"
	      " -h, --help               display this help\n"
	      " -V, --version            display version\n"
	      "\n"
	      "For more details see oomlens-snapshot(1).\n", stdout);
}

/* What the writer changed so that diff loads the file (see ol_snap_bounds): one note. */
static void note_written(const struct ol_snap_written *w)
{
	size_t n = w->nulled + w->clamped;

	if (n && w->dropped)
		ol_note("%zu value%s outside the range of its field written as null or at the nearest bound, "
			"and %zu process%s left out; the first: %s", n, n == 1 ? "" : "s", w->dropped,
			w->dropped == 1 ? "" : "es", w->first);
	else if (n)
		ol_note("%zu value%s outside the range of its field written as null or at the nearest bound; "
			"the first: %s", n, n == 1 ? "" : "s", w->first);
	else if (w->dropped)
		ol_note("%zu process%s left out; the first: %s", w->dropped, w->dropped == 1 ? "" : "es", w->first);
}

int cmd_snapshot(int argc, char **argv, struct ol_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "output",  required_argument, NULL, 'o' },
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ol_snapshot s = { 0 };
	struct ol_snap_written w;
	const char *out = NULL;
	char *text = NULL;
	int c, rc = OL_EXIT_FAIL, err;

	while ((c = getopt_long(argc, argv, ":o:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			/* "-" is stdout, as diff reads "-" as stdin */
			out = strcmp(optarg, "-") == 0 ? NULL : optarg;
			break;
		case 'h':
			usage();
			return OL_EXIT_OK;
		case 'V':
			ol_print_version();
			return OL_EXIT_OK;
		default:
			return ol_bad_option(ctx, argv, c);
		}
	}
	if (optind < argc)
		return ol_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if (ol_ctx_root(ctx) < 0)
		return OL_EXIT_FAIL;
	err = ol_snapshot_collect(&ctx->root, &s);
	if (err < 0) {
		ol_warnx_errno(err, "cannot collect a snapshot of %s", ctx->sysroot ? ctx->sysroot : "the system");
		return OL_EXIT_FAIL;
	}
	text = ol_snapshot_to_json(&s, &w);
	if (!text) {
		ol_warn("out of memory");
		goto done;
	}
	note_written(&w);
	if (out) {
		if (ol_write_atomic_said(out, text) < 0)
			goto done;
	} else {
		fputs(text, stdout);
		fputc('\n', stdout);
	}
	rc = OL_EXIT_OK;
done:
	free(text);
	ol_snapshot_free(&s);
	return rc;
}
