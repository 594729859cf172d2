// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <time.h>
#include <getopt.h>
#include <zlib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json.h>

#include "oomlens.h"
#include "oomlens/jsonutil.h"

/* diff(1)'s exit status: 0 same, 1 different, 2 trouble */
#define DIFF_SAME	0
#define DIFF_DIFFERENT	1
#define DIFF_TROUBLE	2

#define MAX_SNAPSHOT	(256u << 20)	/* 100000 processes take about 60 MiB */

static void usage(void)
{
	fputs("Usage:\n"
	      " oomlens diff [options] <old> [<new>]\n"
	      "\n"
	      "Compare two snapshots, or a snapshot with the live system: who is now first\n"
	      "in line to be killed, what became unkillable, what moved.\n"
	      "\n"
	      "Options:\n"
	      " -J, --json               use JSON output format\n"
	      "     --threshold <n>      report oom_score changes of at least <n> points (default 50)\n"
	      " -t, --top <n>            watch the first <n> ranks (default 10)\n"
	      " -q, --quiet              no notes on stderr, for cron\n"
	      "     --fail-on <types>    exit 1 only for these change types (comma-separated;\n"
	      "                            default: any change)\n"
	      "     --before <time>      <old> is a directory of snapshots: take the last one\n"
	      "                            written before <time> (RFC 3339 or @EPOCH)\n"
	      " -h, --help               display this help\n"
	      " -V, --version            display version\n"
	      "\n"
	      "For more details see oomlens-diff(1).\n", stdout);
}

/* A snapshot file, plain or gzip'd (the snapshot ring keeps them compressed) */
struct gzsrc {
	gzFile gz;
	size_t total;
	int err;		/* -errno of a read, -EFBIG past MAX_SNAPSHOT */
};

static long gz_read(void *arg, char *buf, size_t n)
{
	struct gzsrc *g = arg;
	int r = gzread(g->gz, buf, (unsigned int)(n > 1u << 30 ? 1u << 30 : n));

	if (r < 0) {
		int zerr;

		gzerror(g->gz, &zerr);
		g->err = zerr == Z_ERRNO ? -errno : -EINVAL;
		return g->err;
	}
	g->total += (size_t)r;
	if (g->total > MAX_SNAPSHOT) {
		g->err = -EFBIG;
		return g->err;
	}
	return r;
}

/* Read as it comes, one process row at a time (ol_snapshot_read()). */
static int load(const char *path, struct ol_snapshot *s)
{
	struct gzsrc g = { 0 };
	char err[256];
	struct stat st;
	int fd, rc;

	fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ol_warnx_errno(errno, "cannot open '%s'", path);
		return -errno;
	}
	if (fstat(fd, &st) < 0)
		memset(&st, 0, sizeof(st));
	if (S_ISDIR(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		ol_warn("'%s' is a %s, not a snapshot", path, S_ISDIR(st.st_mode) ? "directory" : "device");
		close(fd);
		return -EINVAL;
	}
	g.gz = gzdopen(fd, "rb");
	if (!g.gz) {
		close(fd);
		return -ENOMEM;
	}
	gzbuffer(g.gz, 128 * 1024);
	rc = ol_snapshot_read(gz_read, &g, s, err, sizeof(err));
	gzclose(g.gz);
	if (rc < 0 && g.err == -EFBIG) {
		ol_warn("'%s': larger than %u MiB, not a snapshot", path, MAX_SNAPSHOT >> 20);
	} else if (rc < 0 && g.err) {
		ol_warnx_errno(g.err, "cannot read '%s'", path);
	} else if (rc == -ENOMEM) {
		ol_warnx_errno(ENOMEM, "cannot read '%s'", path);
	} else if (rc < 0) {
		char *e = ol_escape(path);

		ol_warn("'%s' is not a usable snapshot: %s", e ? e : "?", err);
		free(e);
	}
	return rc;
}

static void proc_name(const struct ol_snap_proc *p, char *buf, size_t sz)
{
	char *e = ol_escape(p->comm ? p->comm : "?");

	snprintf(buf, sz, "%s[%ld]", e ? e : "?", p->pid);
	free(e);
}

static void text_change(const struct ol_change *c)
{
	char a[128], b[128];

	switch (c->type) {
	case OL_CH_FIRST_IN_LINE:
		if (c->new) {
			proc_name(c->new, a, sizeof(a));
			printf("first in line: now %s (oom_score %ld)", a, c->new->oom_score);
		} else {
			printf("first in line: now nobody");
		}
		if (c->old) {
			proc_name(c->old, b, sizeof(b));
			printf(", was %s (oom_score %ld)\n", b, c->old->oom_score);
		} else {
			printf(", was nobody\n");
		}
		break;
	case OL_CH_BECAME_UNKILLABLE:
	case OL_CH_BECAME_KILLABLE:
		proc_name(c->new, a, sizeof(a));
		printf("%s: %s, oom_score_adj %lld -> %lld\n",
		       c->type == OL_CH_BECAME_UNKILLABLE ? "became unkillable" : "became killable", a,
		       c->old_value, c->new_value);
		break;
	case OL_CH_ADJ:
		proc_name(c->new, a, sizeof(a));
		printf("oom_score_adj: %s %lld -> %lld\n", a, c->old_value, c->new_value);
		break;
	case OL_CH_APPEARED:
		proc_name(c->new, a, sizeof(a));
		printf("appeared: %s, oom_score %ld", a, c->new->oom_score);
		if (c->new->rank)
			printf(", rank %ld", c->new->rank);
		printf("\n");
		break;
	case OL_CH_LEFT:
		proc_name(c->old, a, sizeof(a));
		printf("left: %s, was oom_score %ld", a, c->old->oom_score);
		if (c->old->rank)
			printf(", rank %ld", c->old->rank);
		printf("\n");
		break;
	case OL_CH_SCORE:
		proc_name(c->new, a, sizeof(a));
		printf("oom_score: %s %lld -> %lld (%+lld)\n", a, c->old_value, c->new_value,
		       c->new_value - c->old_value);
		break;
	case OL_CH_RANK:
		proc_name(c->new, a, sizeof(a));
		printf("rank: %s ", a);
		if (c->old_value)
			printf("%lld", c->old_value);
		else
			printf("-");
		printf(" -> ");
		if (c->new_value)
			printf("%lld\n", c->new_value);
		else
			printf("- (no longer killable)\n");
		break;
	case OL_CH_SYSCTL:
		printf("sysctl %s: %lld -> %lld\n", c->sysctl, c->old_value, c->new_value);
		break;
	case OL_CH_TOTALPAGES:
		printf("totalpages (RAM + swap): %lld -> %lld pages\n", c->old_value, c->new_value);
		break;
	default:
		break;
	}
}

static json_object *jproc(const struct ol_snap_proc *p)
{
	json_object *o;
	char *s;

	if (!p)
		return NULL;
	o = json_object_new_object();
	s = ol_utf8_sanitize(p->comm ? p->comm : "");
	json_object_object_add(o, "oom_score", p->have & OL_SNAP_SCORE ? json_object_new_int64(p->oom_score) : NULL);
	json_object_object_add(o, "oom_score_adj", p->have & OL_SNAP_ADJ ? json_object_new_int64(p->oom_score_adj) : NULL);
	json_object_object_add(o, "oom_adj", p->have & OL_SNAP_OOMADJ ? json_object_new_int64(p->oom_adj) : NULL);
	json_object_object_add(o, "badness", p->have & OL_SNAP_BADNESS ? json_object_new_int64(p->badness) : NULL);
	json_object_object_add(o, "rank", p->rank ? json_object_new_int64(p->rank) : NULL);
	json_object_object_add(o, "rss", p->rss >= 0 ? json_object_new_int64(p->rss) : NULL);
	free(s);
	return o;
}

static json_object *jchange(const struct ol_change *c)
{
	json_object *o = json_object_new_object();
	const struct ol_snap_proc *id = c->new ? c->new : c->old;

	json_object_object_add(o, "type", json_object_new_string(ol_change_type_str(c->type)));
	if (c->type == OL_CH_FIRST_IN_LINE) {
		json_object *n = NULL, *w = NULL;

		if (c->new) {
			char *s = ol_utf8_sanitize(c->new->comm ? c->new->comm : "");

			n = jproc(c->new);
			json_object_object_add(n, "pid", json_object_new_int64(c->new->pid));
			json_object_object_add(n, "comm", json_object_new_string(s ? s : ""));
			free(s);
		}
		if (c->old) {
			char *s = ol_utf8_sanitize(c->old->comm ? c->old->comm : "");

			w = jproc(c->old);
			json_object_object_add(w, "pid", json_object_new_int64(c->old->pid));
			json_object_object_add(w, "comm", json_object_new_string(s ? s : ""));
			free(s);
		}
		json_object_object_add(o, "old", w);
		json_object_object_add(o, "new", n);
		return o;
	}
	if (id) {
		char *s = ol_utf8_sanitize(id->comm ? id->comm : "");

		json_object_object_add(o, "pid", json_object_new_int64(id->pid));
		json_object_object_add(o, "starttime", json_object_new_int64(id->starttime));
		json_object_object_add(o, "comm", json_object_new_string(s ? s : ""));
		free(s);
	}
	if (c->type == OL_CH_SYSCTL) {
		json_object_object_add(o, "sysctl", json_object_new_string(c->sysctl));
		json_object_object_add(o, "old", json_object_new_int64(c->old_value));
		json_object_object_add(o, "new", json_object_new_int64(c->new_value));
	} else if (c->type == OL_CH_TOTALPAGES) {
		json_object_object_add(o, "old_pages", json_object_new_int64(c->old_value));
		json_object_object_add(o, "new_pages", json_object_new_int64(c->new_value));
	} else {
		json_object_object_add(o, "old", jproc(c->old));
		json_object_object_add(o, "new", jproc(c->new));
	}
	return o;
}

/* "became_unkillable,first_in_line" -> a bit per type; 0 or -EINVAL */
static int parse_types(const char *arg, unsigned int *mask)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save)) {
		int t;

		for (t = 0; t < OL_CH_NTYPES; t++)
			if (strcmp(tok, ol_change_type_str((enum ol_change_type)t)) == 0)
				break;
		if (t == OL_CH_NTYPES)
			rc = -EINVAL;
		else
			*mask |= 1u << t;
	}
	free(copy);
	return rc < 0 || !*mask ? -EINVAL : 0;
}

/* RFC 3339 as log -J writes "time" (2026-12-02T08:30:00Z, +HH:MM, a fraction) or @EPOCH. */
static int parse_when(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	const char *e;
	long off = 0;

	if (s[0] == '@') {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(s + 1, &end, 10);
		if (errno || end == s + 1 || *end)
			return -EINVAL;
		*t = (time_t)v;
		return 0;
	}
	e = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!e)
		return -EINVAL;
	if (*e == '.')
		for (e++; isdigit((unsigned char)*e); e++)
			;
	if (*e == 'Z' && !e[1]) {
		off = 0;
	} else if ((*e == '+' || *e == '-') && isdigit((unsigned char)e[1]) && isdigit((unsigned char)e[2]) &&
		   e[3] == ':' && isdigit((unsigned char)e[4]) && isdigit((unsigned char)e[5]) && !e[6]) {
		off = ((e[1] - '0') * 10 + (e[2] - '0')) * 3600L + ((e[4] - '0') * 10 + (e[5] - '0')) * 60L;
		if (*e == '-')
			off = -off;
	} else {
		return -EINVAL;
	}
	*t = timegm(&tm) - off;
	return 0;
}

/* The UTC stamp in a ring snapshot's name: "...-YYYYMMDDTHHMMSSZ.json[.gz]". */
static int stamp_of(const char *name, time_t *t)
{
	size_t n = strlen(name);
	struct tm tm = { 0 };
	const char *p, *e;

	if (n > 3 && strcmp(name + n - 3, ".gz") == 0)
		n -= 3;
	if (n < 5 + 16 + 1 || strncmp(name + n - 5, ".json", 5) != 0)
		return -EINVAL;
	p = name + n - 5 - 16;
	if (p[-1] != '-')
		return -EINVAL;
	e = strptime(p, "%Y%m%dT%H%M%SZ", &tm);
	if (e != name + n - 5)
		return -EINVAL;
	*t = timegm(&tm);
	return 0;
}

/* DIR's newest snapshot (by the stamp in its name) written before @when, into @out. */
static int pick_before(const char *dir, time_t when, char *out, size_t sz)
{
	char best[NAME_MAX + 1] = "";
	time_t bt = 0, t;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		int rc = -errno;

		ol_warnx_errno(rc, "cannot open the snapshot directory '%s'", dir);
		return rc;
	}
	while ((de = readdir(d)))
		if (stamp_of(de->d_name, &t) == 0 && t < when && (!best[0] || t > bt)) {
			bt = t;
			snprintf(best, sizeof(best), "%s", de->d_name);
		}
	closedir(d);
	if (!best[0]) {
		char *e = ol_escape(dir);

		ol_warn("no snapshot in '%s' was written before that time", e ? e : "?");
		free(e);
		return -ENOENT;
	}
	snprintf(out, sz, "%s/%s", dir, best);
	return 0;
}

int cmd_diff(int argc, char **argv, struct ol_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "json",      no_argument,       NULL, 'J' },
		{ "threshold", required_argument, NULL, 'T' },
		{ "top",       required_argument, NULL, 't' },
		{ "quiet",     no_argument,       NULL, 'q' },
		{ "before",    required_argument, NULL, 'B' },
		{ "fail-on",   required_argument, NULL, 'F' },
		{ "help",      no_argument,       NULL, 'h' },
		{ "version",   no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ol_snapshot old = { 0 }, new = { 0 };
	struct ol_diff d = { 0 };
	unsigned long threshold = 50, top = 10;
	int c, json = 0, rc = DIFF_TROUBLE, err, before = 0;
	char picked[PATH_MAX];
	const char *oldpath;
	time_t when = 0;
	unsigned int fail_mask = ~0u;
	size_t i;

	while ((c = getopt_long(argc, argv, ":Jt:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = 1;
			break;
		case 'T':
			if (ol_strtoul(optarg, &threshold) < 0 || threshold > 3000)
				return ol_usage_error(ctx, "invalid threshold: '%s' (0..3000 points)", optarg);
			break;
		case 't':
			if (ol_strtoul(optarg, &top) < 0 || top > 1000000)
				return ol_usage_error(ctx, "invalid number for --top: '%s'", optarg);
			break;
		case 'q':
			ol_quiet = 1;
			break;
		case 'B':
			if (parse_when(optarg, &when) < 0)
				return ol_usage_error(ctx, "invalid time: '%s' (RFC 3339, as log -J writes it, or @EPOCH)", optarg);
			before = 1;
			break;
		case 'F':
			if (parse_types(optarg, &fail_mask) < 0)
				return ol_usage_error(ctx, "invalid change types: '%s' (see CHANGES in oomlens-diff(1))", optarg);
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
	if (optind >= argc)
		return ol_usage_error(ctx, "no snapshot given");
	if (argc - optind > 2)
		return ol_usage_error(ctx, "at most two snapshots");
	oldpath = argv[optind];
	if (before) {
		if (pick_before(oldpath, when, picked, sizeof(picked)) < 0)
			goto out;
		oldpath = picked;
		if (!json) {
			char *e = ol_escape(oldpath);

			printf("before: %s\n", e ? e : "?");
			free(e);
		}
	}
	if (load(oldpath, &old) < 0)
		goto out;
	if (optind + 1 < argc) {
		if (load(argv[optind + 1], &new) < 0)
			goto out;
	} else {
		if (ol_ctx_root(ctx) < 0)
			goto out;
		err = ol_snapshot_collect(&ctx->root, &new);
		if (err < 0) {
			ol_warnx_errno(err, "cannot read the system");
			goto out;
		}
	}
	if (ol_snapshot_diff(&old, &new, (long)threshold, (long)top, &d) < 0) {
		ol_warn("out of memory");
		goto out;
	}
	if (json) {
		json_object *root = ol_json_document(), *arr = json_object_new_array(),
			    *sum = json_object_new_object(), *bytype = json_object_new_object();

		for (i = 0; i < d.n; i++)
			json_object_array_add(arr, jchange(&d.v[i]));
		for (i = 0; i < OL_CH_NTYPES; i++)
			if (d.count[i])
				json_object_object_add(bytype, ol_change_type_str((enum ol_change_type)i),
						       json_object_new_int64((long long)d.count[i]));
		json_object_object_add(sum, "changes", json_object_new_int64((long long)d.n));
		json_object_object_add(sum, "by_type", bytype);
		json_object_object_add(sum, "old_processes", json_object_new_int64((long long)old.n));
		json_object_object_add(sum, "new_processes", json_object_new_int64((long long)new.n));
		json_object_object_add(sum, "matched", json_object_new_int64((long long)d.matched));
		json_object_object_add(sum, "appeared", json_object_new_int64((long long)d.appeared));
		json_object_object_add(sum, "left", json_object_new_int64((long long)d.left));
		ol_json_add_time(sum, "old_time", old.time);
		ol_json_add_time(sum, "new_time", new.time);
		json_object_object_add(root, "changes", arr);
		json_object_object_add(root, "summary", sum);
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	} else {
		for (i = 0; i < d.n; i++)
			text_change(&d.v[i]);
		printf("%s%zu change%s; %zu processes then, %zu now: %zu the same, %zu appeared, %zu left\n",
		       d.n ? "\n" : "", d.n, d.n == 1 ? "" : "s", old.n, new.n, d.matched, d.appeared, d.left);
	}
	rc = DIFF_SAME;
	for (i = 0; i < OL_CH_NTYPES; i++)
		if (d.count[i] && (fail_mask & (1u << i)))
			rc = DIFF_DIFFERENT;
out:
	ol_diff_free(&d);
	ol_snapshot_free(&old);
	ol_snapshot_free(&new);
	return rc;
}
