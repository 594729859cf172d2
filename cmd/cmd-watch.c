// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "oomlens.h"

struct watched {
	pid_t pid;
	unsigned long long starttime;	/* the process we watch, not a pid reuse */
	char comm[64];
	int alive;
};

static void usage(void)
{
	fputs("Usage:\n"
	      " oomlens watch [options] <pid>...\n"
	      "\n"
	      "Sample processes' memory, badness, oom_score and rank until they are gone,\n"
	      "and say whether the OOM killer took them.\n"
	      "\n"
	      "Options:\n"
	      " -i, --interval <secs>    time between samples (default 1)\n"
	      " -c, --count <n>          stop after <n> samples\n"
	      "     --jsonl              one JSON object per line\n"
	      " -h, --help               display this help\n"
	      " -V, --version            display version\n"
	      "\n"
	      "For more details see oomlens-watch(1).\n", stdout);
}

static void now_str(char *buf, size_t sz)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	snprintf(buf, sz, "%02d:%02d:%02d.%03ld", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 ts.tv_nsec / 1000000);
}

/*
 * Where the kernel log stood when watching began: a kill logged before is
 * of an earlier process with the same pid.  The record's sequence number
 * orders it exactly; its timestamp (local_clock) against CLOCK_MONOTONIC
 * only roughly, so that is the fallback when the log was unreadable then.
 */
struct log_start {
	int have_seq;
	unsigned long long seq;		/* the last record then */
	unsigned long long usec;	/* CLOCK_MONOTONIC then */
};

static int last_seq(const struct ol_kmsg_rec *rec, void *data)
{
	struct log_start *ls = data;

	ls->seq = rec->seq;
	ls->have_seq = 1;
	return 0;
}

static void log_start_read(struct log_start *ls)
{
	struct timespec ts;

	memset(ls, 0, sizeof(*ls));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ls->usec = (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000;
	if (ol_kmsg_each(last_seq, ls) < 0)
		ls->have_seq = 0;
}

struct kill_find {
	pid_t pid;
	const char *comm;
	const struct log_start *since;
	enum ol_kill_kind kind;
	char line[512];
};

static int find_kill(const struct ol_kmsg_rec *rec, void *data)
{
	struct kill_find *kf = data;
	enum ol_kill_kind kind;

	if (kf->since->have_seq ? rec->seq <= kf->since->seq : rec->usec < kf->since->usec)
		return 0;
	kind = ol_kill_line_of(rec->msg, rec->msglen, kf->pid, kf->comm);
	if (kind != OL_KILL_NONE) {
		kf->kind = kind;
		snprintf(kf->line, sizeof(kf->line), "%.*s",
			 (int)(rec->msglen < 500 ? rec->msglen : 500), rec->msg);
	}
	return 0;
}

static void report_death(struct watched *w, const struct log_start *since, int jsonl)
{
	struct kill_find kf = { .pid = w->pid, .comm = w->comm, .since = since };
	char t[32];
	int rc = 0, tries;

	/* the kernel logs the kill as it sends SIGKILL: give the log a moment */
	for (tries = 0; tries < 5; tries++) {
		rc = ol_kmsg_each(find_kill, &kf);
		if (rc < 0 || kf.kind != OL_KILL_NONE)
			break;
		usleep(100000);
	}
	now_str(t, sizeof(t));
	if (jsonl) {
		json_object *o = json_object_new_object();
		char *s = ol_utf8_sanitize(w->comm);

		json_object_object_add(o, "time", json_object_new_string(t));
		json_object_object_add(o, "pid", json_object_new_int64(w->pid));
		json_object_object_add(o, "comm", json_object_new_string(s ? s : ""));
		free(s);
		json_object_object_add(o, "event", json_object_new_string(
			kf.kind != OL_KILL_NONE ? "oom_kill" : rc < 0 ? "gone" : "exit"));
		json_object_object_add(o, "constraint", kf.kind == OL_KILL_MEMCG ? json_object_new_string("memcg") :
				       kf.kind == OL_KILL_GLOBAL ? json_object_new_string("global") : NULL);
		json_object_object_add(o, "kernel_log", kf.kind != OL_KILL_NONE ?
				       json_object_new_string(kf.line) : NULL);
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		char *e = ol_escape(w->comm), *l = ol_escape(kf.line);

		if (kf.kind != OL_KILL_NONE)
			printf("%s %7d %-15s killed by the OOM killer (%s): %s\n", t, (int)w->pid, e ? e : "?",
			       kf.kind == OL_KILL_MEMCG ? "memory cgroup" :
			       kf.kind == OL_KILL_GLOBAL ? "global" : "kernel", l ? l : "");
		else if (rc < 0)
			printf("%s %7d %-15s gone (the kernel log is unreadable: %s)\n", t, (int)w->pid,
			       e ? e : "?", strerror(-rc));
		else
			printf("%s %7d %-15s exited (no OOM kill in the kernel log)\n", t, (int)w->pid,
			       e ? e : "?");
		free(e);
		free(l);
	}
	fflush(stdout);
}

static void sample(struct ol_ctx *ctx, struct ol_sysinfo *si, enum ol_era era,
		   struct watched *w, size_t nw, const struct log_start *since, int jsonl)
{
	struct ol_scan_opts so = { .read = OL_READ_STATUS | OL_READ_CAPS | OL_READ_STAT | OL_READ_OOM_SCORE |
					   OL_READ_OOM_SCORE_ADJ | OL_READ_CGROUP };
	struct ol_proclist pl;
	struct ol_badness *bs;
	char t[32];
	size_t i, k;

	if (ol_scan(&ctx->root, &so, &pl) < 0)
		return;
	bs = calloc(pl.n ? pl.n : 1, sizeof(*bs));
	if (!bs) {
		ol_proclist_free(&pl);
		return;
	}
	for (i = 0; i < pl.n; i++)
		if (ol_proc_badness(&pl.procs[i], si, era, &bs[i]) < 0)
			bs[i].killable = 0;
	now_str(t, sizeof(t));
	for (k = 0; k < nw; k++) {
		struct ol_proc *p = NULL;
		struct ol_badness *b = NULL;
		long rank = 0, nkill = 0;

		if (!w[k].alive)
			continue;
		for (i = 0; i < pl.n; i++) {
			if (pl.procs[i].pid == w[k].pid &&
			    (!(pl.procs[i].have & OL_HAVE_START) || pl.procs[i].starttime == w[k].starttime)) {
				p = &pl.procs[i];
				b = &bs[i];
			}
		}
		/* a zombie has exited: what it held is freed */
		if (!p || ((p->have & OL_HAVE_STATE) && p->state == 'Z')) {
			w[k].alive = 0;
			report_death(&w[k], since, jsonl);
			continue;
		}
		/* the kill line names it as it is then: follow an exec or a rename */
		if (p->have & OL_HAVE_COMM)
			memcpy(w[k].comm, p->comm, sizeof(w[k].comm));
		for (i = 0; i < pl.n; i++) {
			if (!bs[i].killable)
				continue;
			nkill++;
			if (b->killable && &bs[i] != b &&
			    ol_rank_cmp_ties(&pl.procs[i], &bs[i], 1, p, b, 1, ol_ties_go_last(si->release)) < 0)
				rank++;
		}
		if (b->killable)
			rank++;
		double share = b->killable && si->totalpages ?
			       (double)b->points * 100.0 / (double)si->totalpages : 0;

		if (jsonl) {
			json_object *o = json_object_new_object();
			char *s = ol_utf8_sanitize(p->comm), num[32];

			json_object_object_add(o, "time", json_object_new_string(t));
			json_object_object_add(o, "pid", json_object_new_int64(p->pid));
			json_object_object_add(o, "comm", json_object_new_string(s ? s : ""));
			free(s);
			json_object_object_add(o, "rss", json_object_new_int64((long long)p->rss));
			json_object_object_add(o, "swap", json_object_new_int64((long long)p->swap));
			json_object_object_add(o, "badness", b->killable ? json_object_new_int64(b->points) : NULL);
			json_object_object_add(o, "oom_score", (p->have & OL_HAVE_SCORE) ?
					       json_object_new_int64(p->oom_score) : NULL);
			json_object_object_add(o, "rank", b->killable ? json_object_new_int64(rank) : NULL);
			json_object_object_add(o, "killable_processes", json_object_new_int64(nkill));
			snprintf(num, sizeof(num), "%.2f", share);
			json_object_object_add(o, "share", b->killable ? json_object_new_double_s(share, num) : NULL);
			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(o);
		} else {
			char rss[32], swp[32], *e = ol_escape(p->comm);

			ol_size_human(p->rss, rss, sizeof(rss));
			ol_size_human(p->swap, swp, sizeof(swp));
			if (b->killable)
				printf("%s %7d %-15s rss %7s swap %7s badness %9ld oom_score %4ld rank %ld/%ld share %.1f%%\n",
				       t, (int)p->pid, e ? e : "?", rss, swp, b->points, p->oom_score,
				       rank, nkill, share);
			else
				printf("%s %7d %-15s rss %7s swap %7s not killable: %s\n", t, (int)p->pid,
				       e ? e : "?", rss, swp, ol_unkillable_str(ol_proc_killable(p)));
			free(e);
		}
	}
	fflush(stdout);
	free(bs);
	ol_proclist_free(&pl);
}

int cmd_watch(int argc, char **argv, struct ol_ctx *ctx)
{
	enum { OPT_JSONL = 0x100 };
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count",    required_argument, NULL, 'c' },
		{ "jsonl",    no_argument,       NULL, OPT_JSONL },
		{ "help",     no_argument,       NULL, 'h' },
		{ "version",  no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct watched *w = NULL;
	struct log_start since;
	struct ol_sysinfo si;
	double interval = 1.0;
	unsigned long count = 0, n = 0;
	size_t nw = 0, i;
	int c, jsonl = 0, rc = OL_EXIT_FAIL;
	enum ol_era era;

	while ((c = getopt_long(argc, argv, ":i:c:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': {
			char *end;

			errno = 0;
			interval = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(interval >= 0.01 && interval <= 86400)) {
				rc = ol_usage_error(ctx, "invalid interval: '%s' (0.01..86400 seconds)", optarg);
				goto out;
			}
			break;
		}
		case 'c':
			if (ol_strtoul(optarg, &count) < 0 || count == 0) {
				rc = ol_usage_error(ctx, "invalid count: '%s'", optarg);
				goto out;
			}
			break;
		case OPT_JSONL:
			jsonl = 1;
			break;
		case 'h':
			usage();
			rc = OL_EXIT_OK;
			goto out;
		case 'V':
			ol_print_version();
			rc = OL_EXIT_OK;
			goto out;
		default:
			rc = ol_bad_option(ctx, argv, c);
			goto out;
		}
	}
	if (optind >= argc) {
		rc = ol_usage_error(ctx, "no process given");
		goto out;
	}
	if (ctx->sysroot) {
		rc = ol_usage_error(ctx, "watch samples the live system; --sysroot does not apply");
		goto out;
	}
	w = calloc((size_t)(argc - optind), sizeof(*w));
	if (!w)
		goto out;
	for (; optind < argc; optind++) {
		pid_t v;

		if (ol_parse_pid(argv[optind], &v) < 0) {
			char *s = ol_escape(argv[optind]);

			rc = ol_usage_error(ctx, "invalid process ID: '%s'", s ? s : "?");
			free(s);
			goto out;
		}
		w[nw++].pid = v;
	}
	if (ol_ctx_root(ctx) < 0 || ol_sysinfo_read(&ctx->root, &si) < 0)
		goto out;
	era = ol_era_from_release(si.release);
	if (era < OL_ERA_B)
		era = OL_ERA_F;
	/* before the processes are read: their kills can only come later */
	log_start_read(&since);
	for (i = 0; i < nw; i++) {
		struct ol_proc p;

		if (ol_scan_pid(&ctx->root, w[i].pid, OL_READ_STATUS | OL_READ_STAT, &p) < 0) {
			ol_warn("no such process: %d", (int)w[i].pid);
			goto out;
		}
		w[i].starttime = p.starttime;
		memcpy(w[i].comm, p.comm, sizeof(w[i].comm));
		w[i].alive = 1;
		ol_proc_free(&p);
	}
	ol_catch_stop();

	while (!ol_stop) {
		int alive = 0;
		struct timespec ts;

		sample(ctx, &si, era, w, nw, &since, jsonl);
		ol_ctx_notes(ctx);
		for (i = 0; i < nw; i++)
			alive += w[i].alive;
		if (!alive || (count && ++n >= count))
			break;
		ts.tv_sec = (time_t)interval;
		ts.tv_nsec = (long)((interval - floor(interval)) * 1e9);
		nanosleep(&ts, NULL);	/* EINTR on Ctrl-C: stop at once */
	}
	rc = OL_EXIT_OK;
out:
	free(w);
	return rc;
}
