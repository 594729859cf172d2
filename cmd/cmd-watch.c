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
#include "oomlens/jsonutil.h"
#include "term.h"

/* Samples kept per process for its trend: the sparkline's length */
#define TREND_N		16
/* The growth rate is measured over the last few intervals, not one */
#define RATE_SPAN	4

struct point {
	double t;			/* CLOCK_MONOTONIC, seconds */
	unsigned long long bytes;	/* rss + swap */
	long badness;
};

struct watched {
	pid_t pid;
	unsigned long long starttime;	/* the process we watch, not a pid reuse */
	char comm[64];
	int alive;
	int oom_killed;			/* the kernel logged its OOM kill */
	struct point hist[TREND_N];	/* a ring, the newest at (next - 1) */
	size_t next, n;
};

/* The limit a growing process will hit: its memcg's, or MemAvailable */
enum limit { LIMIT_NONE, LIMIT_MEMCG, LIMIT_AVAILABLE };

/* What a sample says about where the process is going */
struct trend {
	int have_rate;
	double rate;			/* bytes of rss + swap per second */
	enum limit limit;
	unsigned long long headroom;	/* bytes left before it */
	int have_eta;
	double eta;			/* seconds to it at this rate */
	double spark[TREND_N];		/* badness, oldest first */
	size_t nspark;
};

/* watch's status when the OOM killer took a watched process (EXIT STATUS) */
#define WATCH_EXIT_OOM_KILLED	3

static void usage(void)
{
	fputs("Usage:\n"
	      " oomlens watch [options] <pid>...\n"
	      "\n"
	      "Sample processes' memory, badness, oom_score and rank until they are gone,\n"
	      "and say whether the OOM killer took them (then exit 3).\n"
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
	int off;			/* a copied tree (--sysroot): no live log to read */
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
	if (ol_logsrc_kmsg_records(last_seq, ls, NULL) < 0)
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
	for (tries = 0; !since->off && tries < 5; tries++) {
		rc = ol_logsrc_kmsg_records(find_kill, &kf, NULL);
		if (rc < 0 || kf.kind != OL_KILL_NONE)
			break;
		usleep(100000);
	}
	w->oom_killed = kf.kind != OL_KILL_NONE;
	now_str(t, sizeof(t));
	if (jsonl) {
		json_object *o = ol_json_document();

		ol_json_add_time(o, "time", time(NULL));
		json_object_object_add(o, "pid", json_object_new_int64(w->pid));
		json_object_object_add(o, "comm", ol_json_string(w->comm));
		json_object_object_add(o, "event", json_object_new_string(
			kf.kind != OL_KILL_NONE ? "oom_kill" : rc < 0 || since->off ? "gone" : "exit"));
		json_object_object_add(o, "constraint", kf.kind == OL_KILL_MEMCG ? json_object_new_string("memcg") :
				       kf.kind == OL_KILL_GLOBAL ? json_object_new_string("global") : NULL);
		json_object_object_add(o, "kernel_log", kf.kind != OL_KILL_NONE ? ol_json_string(kf.line) : NULL);
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		char *e = ol_escape(w->comm), *l = ol_escape(kf.line);

		if (kf.kind != OL_KILL_NONE)
			printf("%s %7d %-15s killed by the OOM killer (%s): %s\n", t, (int)w->pid, e ? e : "?",
			       kf.kind == OL_KILL_MEMCG ? "memory cgroup" :
			       kf.kind == OL_KILL_GLOBAL ? "global" : "kernel", l ? l : "");
		else if (since->off)
			printf("%s %7d %-15s gone (no kernel log is read under --sysroot)\n", t, (int)w->pid,
			       e ? e : "?");
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

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct point *hist_at(const struct watched *w, size_t back)
{
	return &w->hist[(w->next + TREND_N - 1 - back) % TREND_N];
}

static void hist_add(struct watched *w, double t, const struct ol_proc *p, const struct ol_rank *r)
{
	struct point *pt = &w->hist[w->next];

	pt->t = t;
	pt->bytes = p->rss + p->swap;
	pt->badness = r->have && r->b.killable ? r->b.points : 0;
	w->next = (w->next + 1) % TREND_N;
	if (w->n < TREND_N)
		w->n++;
}

/*
 * The trend of @w after its newest sample: the badness of the last samples,
 * the growth of rss + swap over the last RATE_SPAN intervals, and, when it
 * grows, the time left before the limit it will hit: the tightest memcg
 * limit up to the root (@mr, NULL for none), else MemAvailable for a global
 * OOM (@avail_kb, 0 unknown).
 */
static void trend_of(const struct watched *w, const struct ol_memcg_rank *mr,
		     unsigned long long avail_kb, struct trend *tr)
{
	const struct point *now, *old;
	size_t i, span;

	memset(tr, 0, sizeof(*tr));
	for (i = 0; i < w->n; i++)
		tr->spark[tr->nspark++] = (double)hist_at(w, w->n - 1 - i)->badness;
	if (mr) {
		tr->limit = LIMIT_MEMCG;
		tr->headroom = mr->m.limit_bytes > mr->m.usage_bytes ?
			mr->m.limit_bytes - mr->m.usage_bytes : 0;
	} else if (avail_kb) {
		tr->limit = LIMIT_AVAILABLE;
		tr->headroom = avail_kb * 1024;
	}
	if (w->n < 2)
		return;
	span = w->n - 1 < RATE_SPAN ? w->n - 1 : RATE_SPAN;
	now = hist_at(w, 0);
	old = hist_at(w, span);
	if (now->t <= old->t)
		return;
	tr->have_rate = 1;
	tr->rate = ((double)now->bytes - (double)old->bytes) / (now->t - old->t);
	if (tr->limit != LIMIT_NONE && tr->rate > 0) {
		tr->have_eta = 1;
		tr->eta = (double)tr->headroom / tr->rate;
	}
}

static json_object *jint(long long v)
{
	return json_object_new_int64(v);
}

/* One scope's view (global or memcg) as JSON */
static void json_view(json_object *o, const struct ol_rank *r)
{
	int k = r->have && r->b.killable;

	json_object_object_add(o, "badness", k ? jint(r->b.points) : NULL);
	json_object_object_add(o, "rank", k ? jint(r->rank) : NULL);
	json_object_object_add(o, "killable_processes", jint(r->candidates));
	json_object_object_add(o, "share_percent", k ? ol_json_percent(r->share) : NULL);
	json_object_object_add(o, "near_tie", k ? json_object_new_boolean(r->near_tie) : NULL);
}

static void sample_json(time_t now, const struct ol_proc *p, const struct ol_rank *r,
			const struct ol_memcg_rank *mr, const struct trend *tr)
{
	json_object *o = ol_json_document(), *m = NULL;

	ol_json_add_time(o, "time", now);
	json_object_object_add(o, "pid", jint(p->pid));
	json_object_object_add(o, "comm", ol_json_string(p->comm));
	json_object_object_add(o, "rss", jint((long long)p->rss));
	json_object_object_add(o, "swap", jint((long long)p->swap));
	json_object_object_add(o, "oom_score", (p->have & OL_HAVE_SCORE) ? jint(p->oom_score) : NULL);
	json_view(o, r);
	if (mr) {
		m = json_object_new_object();
		json_object_object_add(m, "path", ol_json_string(mr->m.path));
		json_object_object_add(m, "limit_bytes", jint((long long)mr->m.limit_bytes));
		json_object_object_add(m, "usage_bytes", jint((long long)mr->m.usage_bytes));
		json_object_object_add(m, "total_pages", jint((long long)mr->m.totalpages));
		json_view(m, &mr->r);
	}
	json_object_object_add(o, "memcg", m);
	json_object_object_add(o, "growth_bytes_per_second",
			       tr->have_rate ? json_object_new_double(round(tr->rate)) : NULL);
	json_object_object_add(o, "eta_seconds",
			       tr->have_eta ? json_object_new_double(round(tr->eta * 10) / 10) : NULL);
	json_object_object_add(o, "eta_limit", !tr->have_eta ? NULL :
			       json_object_new_string(tr->limit == LIMIT_MEMCG ? "memcg" : "mem_available"));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* The header of the text columns, once */
static void text_header(void)
{
	printf("%s%-12s %7s %-15s %7s %7s %9s %5s %7s %6s %-12s %-*s %9s  %s%s\n",
	       ol_sgr(OL_HUE_BOLD), "TIME", "PID", "COMM", "RSS", "SWAP", "BADNESS", "SCORE", "RANK",
	       "SHARE", "MEMCG-RANK", TREND_N, "TREND", "GROWTH", "ETA", ol_sgr_reset());
}

/* "+1.5M/s" */
static void rate_str(const struct trend *tr, char *buf, size_t sz)
{
	char h[32];

	if (!tr->have_rate) {
		snprintf(buf, sz, "-");
		return;
	}
	ol_size_human((unsigned long long)fabs(tr->rate), h, sizeof(h));
	snprintf(buf, sz, "%s%s/s", tr->rate < 0 ? "-" : tr->rate > 0 ? "+" : "", h);
}

static void eta_print(const struct trend *tr)
{
	const char *to = tr->limit == LIMIT_MEMCG ? "the memcg limit" : "MemAvailable";

	if (!tr->have_eta)
		return;
	fputs("  ", stdout);
	fputs(ol_sgr(tr->eta < 60 ? OL_HUE_RED : OL_HUE_YELLOW), stdout);
	if (tr->eta < 10)
		printf("~%.1f s to %s", tr->eta, to);
	else if (tr->eta < 120)
		printf("~%.0f s to %s", tr->eta, to);
	else if (tr->eta < 7200)
		printf("~%.0f min to %s", tr->eta / 60, to);
	else
		printf("~%.1f h to %s", tr->eta / 3600, to);
	fputs(ol_sgr_reset(), stdout);
}

static void sample_text(const char *t, const struct ol_proc *p, const struct ol_rank *r,
			const struct ol_memcg_rank *mr, const struct trend *tr)
{
	char rss[32], swp[32], lim[32], rank[32], mrank[48], rate[40], *e = ol_escape(p->comm);

	ol_size_human(p->rss, rss, sizeof(rss));
	ol_size_human(p->swap, swp, sizeof(swp));
	printf("%-12s %7d %-15s %7s %7s ", t, (int)p->pid, e ? e : "?", rss, swp);
	free(e);
	if (!r->have || !r->b.killable) {
		printf("not killable: %s\n", ol_unkillable_str(r->why));
		return;
	}
	/* '~': a near tie, the kernel may order them either way */
	snprintf(rank, sizeof(rank), "%ld/%ld%s", r->rank, r->candidates, r->near_tie ? "~" : "");
	snprintf(mrank, sizeof(mrank), "-");
	if (mr && mr->r.have && mr->r.b.killable) {
		ol_size_human(mr->m.limit_bytes, lim, sizeof(lim));
		snprintf(mrank, sizeof(mrank), "%ld/%ld%s<%s", mr->r.rank, mr->r.candidates,
			 mr->r.near_tie ? "~" : "", lim);
	}
	rate_str(tr, rate, sizeof(rate));
	printf("%9ld %5ld %7s %5.1f%% %-12s ", r->b.points, p->oom_score, rank, r->share, mrank);
	ol_spark_print(stdout, tr->spark, tr->nspark);
	printf("%*s %9s", (int)(TREND_N - tr->nspark), "", rate);
	eta_print(tr);
	printf("\n");
}

/* The process @w in @pl, as it was when watching began; -1 if gone. */
static long find_watched(const struct ol_proclist *pl, const struct watched *w)
{
	long found = -1;
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (pl->procs[i].pid == w->pid &&
		    (!(pl->procs[i].have & OL_HAVE_START) || pl->procs[i].starttime == w->starttime))
			found = (long)i;
	return found;
}

static void sample(struct ol_ctx *ctx, struct ol_model *model, struct watched *w, size_t nw,
		   const struct log_start *since, int jsonl)
{
	struct ol_sysinfo si;
	unsigned long long avail_kb = 0;
	double mono;
	struct ol_scan_opts so = { .read = OL_READ_STATUS | OL_READ_STAT | OL_READ_OOM_SCORE |
					   OL_READ_OOM_SCORE_ADJ | OL_READ_CGROUP };
	struct ol_proclist pl;
	char t[32];
	time_t now;
	size_t k;

	so.read |= ol_read_for(ol_kernel_needs(ol_model_kernel(model)));
	if (ol_scan(&ctx->root, &so, &pl) < 0)
		return;
	if (ol_model_rank(model, pl.procs, pl.n) < 0) {
		ol_proclist_free(&pl);
		return;
	}
	now_str(t, sizeof(t));
	now = time(NULL);
	mono = mono_now();
	/* what a global OOM leaves: MemAvailable, read with the sample */
	if (ol_sysinfo_read(&ctx->root, &si) == 0)
		avail_kb = si.mem_available_kb;
	for (k = 0; k < nw; k++) {
		struct ol_memcg_rank mr;
		struct trend tr;
		const struct ol_proc *p;
		long i;
		int in_memcg;

		if (!w[k].alive)
			continue;
		i = find_watched(&pl, &w[k]);
		p = i >= 0 ? &pl.procs[i] : NULL;
		/* a zombie has exited: what it held is freed */
		if (!p || ((p->have & OL_HAVE_STATE) && p->state == 'Z')) {
			w[k].alive = 0;
			report_death(&w[k], since, jsonl);
			continue;
		}
		/* the kill line names it as it is then: follow an exec or a rename */
		if (p->have & OL_HAVE_COMM)
			memcpy(w[k].comm, p->comm, sizeof(w[k].comm));
		in_memcg = ol_model_memcg(model, (size_t)i, &mr) == 0 && mr.limited;
		hist_add(&w[k], mono, p, ol_model_get(model, (size_t)i));
		trend_of(&w[k], in_memcg ? &mr : NULL, avail_kb, &tr);
		if (jsonl)
			sample_json(now, p, ol_model_get(model, (size_t)i), in_memcg ? &mr : NULL, &tr);
		else
			sample_text(t, p, ol_model_get(model, (size_t)i), in_memcg ? &mr : NULL, &tr);
	}
	fflush(stdout);
	ol_model_rank(model, NULL, 0);
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
	struct ol_model *model = NULL;

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
	if (ol_ctx_root(ctx) < 0)
		goto out;
	if (ol_sysinfo_read(&ctx->root, &si) < 0) {
		ol_warn("cannot read %s/proc/meminfo", ctx->sysroot ? ctx->sysroot : "");
		goto out;
	}
	model = ol_model_new(&ctx->root, &si, NULL);
	if (!model)
		goto out;
	ol_note_kernel(ol_model_kernel(model), NULL);
	/* before the processes are read: their kills can only come later */
	if (ctx->sysroot) {
		/* a copied tree does not change: one sample, unless --count says more */
		since.off = 1;
		if (!count)
			count = 1;
	} else {
		log_start_read(&since);
	}
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
	if (!jsonl)
		text_header();

	while (!ol_stop) {
		int alive = 0;
		struct timespec ts;

		sample(ctx, model, w, nw, &since, jsonl);
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
	for (i = 0; i < nw; i++)
		if (w[i].oom_killed)
			rc = WATCH_EXIT_OOM_KILLED;
out:
	ol_model_free(model);
	free(w);
	return rc;
}
