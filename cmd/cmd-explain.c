// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * oomlens explain: the kernel's arithmetic for a process, term by term.
 * The model (lib/model.c) computes; this file builds one result per
 * process (struct expl) and hands it to a text or a JSON printer.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "oomlens.h"
#include "oomlens/jsonutil.h"
#include "output.h"
#include "term.h"

/* Why the kernel's oom_score differs from ours (see classify()) */
enum cause { MATCH, REREAD, PERCPU, NUMA_READER, NOT_COMPARED, UNEXPLAINED, NO_SCORE };

struct explain {
	struct ol_ctx *ctx;
	struct ol_sysinfo si;
	struct ol_model *model;
	const struct ol_kernel *k;
	int era_is_running;	/* compare with the kernel's oom_score */
	struct ol_proclist pl;
	enum cause *causes;	/* per process, for those compared */
	int json;
	int have_adj, have_rss;
	long what_adj;
	unsigned long long what_rss;
	struct ol_jstream js;	/* -J: one process at a time */
};

/* How to move a process's badness past a neighbour (up) or behind one. */
struct hint {
	int valid;		/* a neighbour exists */
	long target;		/* the badness to reach */
	long points;		/* era B: per mille points to move */
	int impossible;		/* 1: B's cap, 2: never below 1 short of -1000 */
	long pages;		/* memory to add or shed; -1: not by memory alone */
	long adj;		/* the oom_score_adj that does it */
	long usage;		/* the pages it holds */
	int adj_ok;		/* that adj is within -1000..1000 */
	int have_adj;		/* the era moves by adj at all */
};

/* The badness terms as the bar draws them, in pages */
enum bar_part { BAR_ANON, BAR_FILE, BAR_SHMEM, BAR_RSS, BAR_SWAP, BAR_PGTABLES, BAR_ADJ, BAR_OFF,
		BAR_NPARTS };

struct bar {
	int have;
	unsigned long pages[BAR_NPARTS];	/* BAR_OFF: what adj (and a root bonus) take off */
};

/* Everything explain says about one process. */
struct expl {
	const struct ol_proc *p;
	size_t idx;
	const struct ol_rank *r;	/* global */
	enum cause cause;
	int have_base;			/* the same with oom_score_adj 0 */
	struct ol_badness base;
	long top, ahead, behind;	/* neighbours in the global order (model indices), -1 none */
	struct hint pass, fall;
	int have_mr;
	struct ol_memcg_rank mr;
	int have_what;
	struct ol_proc wp;		/* the what-if copy */
	struct ol_rank wr;
	struct bar bar;
};

static void usage(void)
{
	fputs("Usage:\n"
	      " oomlens explain [options] <pid>...\n"
	      " oomlens explain [options] --all\n"
	      "\n"
	      "Show the kernel's OOM arithmetic for a process, term by term, and check it\n"
	      "against /proc/PID/oom_score.\n"
	      "\n"
	      "Options:\n"
	      " -a, --all                explain every process\n"
	      " -J, --json               use JSON output format\n"
	      "     --adj <n>            what if oom_score_adj were <n> (-1000..1000)\n"
	      "     --rss <size>         what if resident memory were <size> (e.g. 2G)\n"
	      "     --kernel <version>   use the heuristic of this kernel release\n"
	      "     --history            explain the pre-2.6.36 heuristic older articles teach\n"
	      " -h, --help               display this help\n"
	      " -V, --version            display version\n"
	      "\n"
	      "For more details see oomlens-explain(1).\n", stdout);
}

static unsigned long score_of(const struct explain *e, const struct ol_badness *b)
{
	return ol_oom_score(e->k->era, b->points, b->killable, e->si.totalpages);
}

static const char *cause_str(enum cause c)
{
	switch (c) {
	case MATCH:		return "match";
	case REREAD:		return "the process changed between reads; a re-read matched";
	case PERCPU:		return "within the per-CPU rss counter approximation the kernel reads (6.2+)";
	case NUMA_READER:	return "this kernel reads 0 when the reader's cpuset does not intersect the process's (NUMA)";
	case NOT_COMPARED:	return "not compared: --kernel names another era than the running kernel";
	case NO_SCORE:		return "the kernel's oom_score could not be read";
	default:		return "unexplained: the process may be allocating; run again to confirm";
	}
}

static const char *cause_key(enum cause c)
{
	static const char *const k[] = { "match", "changed_between_reads", "percpu_counter_approximation",
					 "numa_reader_dependent", "not_compared", "unexplained", "unknown" };

	return k[c];
}

static int badness_of(const struct explain *e, const struct ol_proc *p, struct ol_badness *b)
{
	return ol_proc_badness_k(p, e->k, e->si.page_size, e->si.totalpages, NULL, b);
}

/* Whether the kernel's oom_score of @p is @b's, within the counters' slack */
static int within_slack(const struct explain *e, const struct ol_proc *p, const struct ol_badness *b)
{
	long slack = ol_model_slack(e->model);
	struct ol_badness lo = *b, hi = *b;

	if (!slack || e->k->era != OL_ERA_F)
		return 0;
	lo.points -= slack;
	hi.points += slack;
	return (long)score_of(e, &lo) <= p->oom_score && p->oom_score <= (long)score_of(e, &hi);
}

/*
 * Compare process @i with the kernel's oom_score, before ranking: a re-read
 * that matches replaces it, so that every process is ranked once, as read.
 */
static enum cause classify(struct explain *e, size_t i)
{
	struct ol_proc *p = &e->pl.procs[i], fresh;
	struct ol_badness b;
	int have = badness_of(e, p, &b) == 0;

	if (!e->era_is_running)
		return NOT_COMPARED;
	if (!(p->have & OL_HAVE_SCORE))
		return NO_SCORE;
	if (have && (long)score_of(e, &b) == p->oom_score)
		return MATCH;
	/* read it again: it may simply have changed between our reads */
	if (ol_scan_pid(&e->ctx->root, p->pid,
			OL_READ_STATUS | OL_READ_CAPS | OL_READ_STAT | OL_READ_OOM_SCORE |
			OL_READ_OOM_SCORE_ADJ | OL_READ_OOM_ADJ | OL_READ_CGROUP, &fresh) == 0) {
		struct ol_badness fb;

		if ((fresh.have & OL_HAVE_SCORE) && badness_of(e, &fresh, &fb) == 0 &&
		    (long)score_of(e, &fb) == fresh.oom_score) {
			/* keep the consistent pair */
			ol_proc_free(p);
			*p = fresh;
			return REREAD;
		}
		ol_proc_free(&fresh);
	}
	if (!have)
		return UNEXPLAINED;
	if (within_slack(e, p, &b))
		return PERCPU;
	if (!ol_kernel_at_least(e->k, 5, 3) && p->oom_score == 0)
		return NUMA_READER;
	return UNEXPLAINED;
}

/* Whether process @a would rank ahead of @b at equal badness: the tie rule */
static int wins_tie(const struct explain *e, size_t a, size_t b)
{
	const struct ol_rank *rb = ol_model_get(e->model, b);
	struct ol_badness x = ol_model_get(e->model, a)->b;

	x.points = rb->b.points;
	return ol_rank_cmp_ties(ol_model_proc(e->model, a), &x, 1, ol_model_proc(e->model, b),
				&rb->b, 1, e->k->ties_last) < 0;
}

/*
 * What would bring @b's badness to @target (up when @up): how much memory,
 * or which oom_score_adj.  From the raw badness, before the era's clamps.
 * Era B counts points out of 1000, so memory moves it in steps of
 * totalpages / 1000 pages and oom_score_adj one point each; C..F count pages.
 */
static void hint_move(const struct explain *e, const struct ol_proc *p, const struct ol_badness *b,
		      long target, int up, struct hint *h)
{
	unsigned long long tp = e->si.totalpages;
	long delta = up ? target - b->raw : b->raw - target;
	enum ol_era era = e->k->era;

	memset(h, 0, sizeof(*h));
	h->valid = 1;
	h->target = target;
	h->points = delta;
	h->pages = delta;
	h->usage = b->usage;
	h->have_adj = era == OL_ERA_B || b->adj_unit > 0;
	if (era == OL_ERA_B && up && target > 1000) {
		h->impossible = 1;
		return;
	}
	if (era != OL_ERA_F && !up && target < 1) {
		h->impossible = 2;
		return;
	}
	if (era == OL_ERA_B) {
		/* usage * 1000 / totalpages must reach (or stay below) the new per mille */
		long scaled = b->usage_scaled + (up ? delta : -delta);

		if (scaled < 0)
			h->pages = -1;
		else if (up)
			h->pages = (long)(((unsigned long long)scaled * tp + 999) / 1000) - b->usage;
		else
			h->pages = b->usage - (long)((((unsigned long long)scaled + 1) * tp - 1) / 1000);
		h->adj = p->oom_score_adj + (up ? delta : -delta);
	} else {
		long steps = b->adj_unit > 0 ? (delta + b->adj_unit - 1) / b->adj_unit : 0;

		if (!up && h->pages > b->usage)
			h->pages = -1;
		h->adj = p->oom_score_adj + (up ? steps : -steps);
	}
	h->adj_ok = h->adj >= OL_OOM_SCORE_ADJ_MIN && h->adj <= OL_OOM_SCORE_ADJ_MAX;
}

static void neighbours(const struct explain *e, struct expl *x)
{
	const struct ol_rank *r = x->r;

	x->top = x->ahead = x->behind = -1;
	if (!r->rank)
		return;
	x->top = ol_model_at_rank(e->model, 1);
	x->ahead = ol_model_at_rank(e->model, r->rank - 1);
	x->behind = ol_model_at_rank(e->model, r->rank + 1);
	if (x->ahead >= 0)
		hint_move(e, x->p, &r->b, ol_model_get(e->model, (size_t)x->ahead)->b.points +
			  (wins_tie(e, x->idx, (size_t)x->ahead) ? 0 : 1), 1, &x->pass);
	if (x->behind >= 0)
		hint_move(e, x->p, &r->b, ol_model_get(e->model, (size_t)x->behind)->b.points -
			  (wins_tie(e, (size_t)x->behind, x->idx) ? 0 : 1), 0, &x->fall);
}

/* The what-if of --adj / --rss: the same process with those values */
static void what_if(const struct explain *e, struct expl *x)
{
	x->wp = *x->p;
	if (e->have_adj)
		x->wp.oom_score_adj = e->what_adj;
	if (e->have_rss) {
		x->wp.rss = e->what_rss;
		x->wp.have &= ~(OL_HAVE_MEM | OL_HAVE_STAT_RSS);
	}
	ol_model_what_if(e->model, (long)x->idx, &x->wp, &x->wr);
	x->have_what = x->wr.have;
}

/*
 * The terms of the global badness as parts of one bar: rss split as
 * status splits it (in proportion, where the kernel reads stat's rss), else
 * rss whole; what
 * oom_score_adj (and a root bonus) add, or take off the end.
 */
static void bar_of(const struct explain *e, struct expl *x)
{
	const struct ol_terms *t = &x->r->t;
	const struct ol_badness *b = &x->r->b;
	unsigned long *pg = x->bar.pages;
	long delta;
	unsigned long off, split;
	int i;

	if (!x->r->have || !b->killable)
		return;
	x->bar.have = 1;
	split = t->anon_pages + t->file_pages + t->shmem_pages;
	if (t->have_split && split) {
		/* stat's rss (6.16+) is not status's sum: its share of each */
		pg[BAR_ANON] = (unsigned long)((double)t->rss_pages * t->anon_pages / split);
		pg[BAR_FILE] = (unsigned long)((double)t->rss_pages * t->file_pages / split);
		pg[BAR_SHMEM] = t->rss_pages - pg[BAR_ANON] - pg[BAR_FILE];
	} else {
		pg[BAR_RSS] = t->rss_pages;
	}
	pg[BAR_SWAP] = t->swap_pages;
	pg[BAR_PGTABLES] = t->pgtables_pages;
	/* era B counts in per mille of totalpages: back to pages */
	delta = e->k->era == OL_ERA_B ?
		(long)((double)(b->raw - b->usage_scaled) * (double)e->si.totalpages / 1000.0) :
		b->raw - b->usage;
	if (delta >= 0) {
		pg[BAR_ADJ] = (unsigned long)delta;
		return;
	}
	/* taken off the end of the memory terms */
	off = (unsigned long)-delta;
	for (i = BAR_PGTABLES; i >= BAR_ANON && off; i--) {
		unsigned long k = pg[i] < off ? pg[i] : off;

		pg[i] -= k;
		pg[BAR_OFF] += k;
		off -= k;
	}
}

/* Everything about process @i; 0 or -ENOMEM */
static int compute(struct explain *e, size_t i, struct expl *x)
{
	int rc;

	memset(x, 0, sizeof(*x));
	x->idx = i;
	x->p = ol_model_proc(e->model, i);
	x->r = ol_model_get(e->model, i);
	x->cause = e->causes[i];
	if (x->r->have && x->r->b.killable) {
		struct ol_proc bp = *x->p;

		bp.oom_score_adj = 0;
		x->have_base = badness_of(e, &bp, &x->base) == 0;
	}
	neighbours(e, x);
	if (e->have_adj || e->have_rss)
		what_if(e, x);
	rc = ol_model_memcg(e->model, i, &x->mr);
	if (rc == -ENOMEM)
		return rc;
	x->have_mr = rc == 0;
	bar_of(e, x);
	return 0;
}

/* ---- text ---- */

static void print_size(unsigned long long bytes)
{
	char buf[32];

	ol_size_human(bytes, buf, sizeof(buf));
	fputs(buf, stdout);
}

static void name_of(const struct ol_proc *p, char *buf, size_t sz)
{
	char *esc = ol_escape(p->comm);

	snprintf(buf, sz, "%d (%s)", (int)p->pid, esc ? esc : "?");
	free(esc);
}

static void print_pages_row(const struct explain *e, const char *what, unsigned long long bytes)
{
	printf("    %-22s %12llu %12llu\n", what, bytes / 1024,
	       bytes / (unsigned long long)e->si.page_size);
}

static void text_arith(const struct explain *e, const struct ol_badness *b,
		       unsigned long totalpages, const char *indent)
{
	enum ol_era era = e->k->era;

	switch (era) {
	case OL_ERA_B:
		printf("%susage      = %ld pages x 1000 / totalpages %lu = %ld (per mille)\n",
		       indent, b->usage, totalpages, b->usage_scaled);
		if (b->root_bonus)
			printf("%sroot bonus = -30 (CAP_SYS_ADMIN)\n", indent);
		printf("%sbadness    = %ld%s + adj %ld = %ld", indent, b->usage_scaled,
		       b->root_bonus ? " - 30" : "", b->adj_pages, b->raw);
		if (b->clamped_low)
			printf(" -> 1 (never 0 for a killable task)");
		if (b->clamped_high)
			printf(" -> 1000 (the cap)");
		putchar('\n');
		return;
	case OL_ERA_D:
		if (b->root_bonus)
			printf("%sroot bonus = %ld x 3 / 100 = %ld pages off (CAP_SYS_ADMIN)\n",
			       indent, b->usage, b->root_bonus);
		/* fall through */
	default:
		if (era == OL_ERA_C && b->root_bonus)
			printf("%sroot bonus = oom_score_adj - 30 = %ld (CAP_SYS_ADMIN)\n", indent, b->adj_eff);
		printf("%sadj        = oom_score_adj %ld x (totalpages / 1000 = %ld) = %ld pages\n",
		       indent, b->adj_eff, b->adj_unit, b->adj_pages);
		printf("%sbadness    = %ld", indent, b->usage);
		if (b->root_bonus && era == OL_ERA_D)
			printf(" - %ld (root bonus)", b->root_bonus);
		printf(" + %ld = %ld pages", b->adj_pages, b->raw);
		if (b->clamped_low)
			printf(" -> 1 (never 0 for a killable task)");
		printf(" (%.1f%% of %lu)\n", (double)b->points * 100.0 / (double)(totalpages ? totalpages : 1),
		       totalpages);
	}
}

static const struct {
	const char *glyph;
	char ascii;
	enum ol_hue hue;
	const char *label;
} bar_look[BAR_NPARTS] = {
	[BAR_ANON]	= { "█", '#', OL_HUE_RED, "anon" },
	[BAR_FILE]	= { "▓", '=', OL_HUE_BLUE, "file" },
	[BAR_SHMEM]	= { "▒", '%', OL_HUE_MAGENTA, "shmem" },
	[BAR_RSS]	= { "█", '#', OL_HUE_RED, "rss" },
	[BAR_SWAP]	= { "░", '~', OL_HUE_YELLOW, "swap" },
	[BAR_PGTABLES]	= { "▚", '^', OL_HUE_CYAN, "page tables" },
	[BAR_ADJ]	= { "▞", '+', OL_HUE_GREEN, "oom_score_adj" },
	[BAR_OFF]	= { "╌", '-', OL_HUE_GREY, "taken off by oom_score_adj" },
};

/* The terms as one bar, then a legend of the parts it has */
static void text_bar(const struct expl *x)
{
	struct ol_seg seg[BAR_NPARTS];
	int i, width = ol_term_width() - 16;

	if (!x->bar.have)
		return;
	width = width < 20 ? 20 : width > 60 ? 60 : width;
	for (i = 0; i < BAR_NPARTS; i++)
		seg[i] = (struct ol_seg){ (double)x->bar.pages[i], bar_look[i].glyph,
					  bar_look[i].ascii, bar_look[i].hue };
	printf("  terms      [");
	ol_bar_print(stdout, seg, BAR_NPARTS, width);
	printf("]\n            ");
	for (i = 0; i < BAR_NPARTS; i++) {
		if (!x->bar.pages[i])
			continue;
		printf(" ");
		ol_bar_key(stdout, &seg[i], bar_look[i].label);
		printf(" %lu", x->bar.pages[i]);
	}
	printf(" (pages)\n");
}

static void text_score(const struct explain *e, const struct ol_badness *b)
{
	unsigned long s = score_of(e, b);
	unsigned long tp = e->si.totalpages;

	switch (e->k->era) {
	case OL_ERA_B:
		printf("  oom_score  = badness = %lu\n", s);
		break;
	case OL_ERA_F:
		printf("  oom_score  = (1000 + badness x 1000 / totalpages) x 2 / 3\n"
		       "             = (1000 + %ld) x 2 / 3 = %lu\n",
		       b->points * 1000 / (long)tp, s);
		break;
	default:
		printf("  oom_score  = badness x 1000 / totalpages = %ld x 1000 / %lu = %lu\n",
		       b->points, tp, s);
	}
}

static void text_hint(const struct explain *e, const struct hint *h, int up)
{
	if (h->impossible == 1) {
		printf("not possible: badness stops at 1000 and the tie goes the other way\n");
		return;
	}
	if (h->impossible == 2) {
		printf("not possible short of oom_score_adj -1000: badness is never below 1\n");
		return;
	}
	if (e->k->era == OL_ERA_B)
		printf("%ld %s points: ", h->points, up ? "more" : "fewer");
	if (h->pages >= 0) {
		printf("%ld %s pages (", h->pages, up ? "more" : "fewer");
		print_size((unsigned long long)h->pages * (unsigned long long)e->si.page_size);
		printf(")");
	} else {
		printf("not by memory alone (it holds %ld pages)", h->usage);
	}
	if (h->have_adj) {
		if (up && h->adj_ok)
			printf(", or oom_score_adj %ld", h->adj);
		else if (up)
			printf("; no oom_score_adj can do it alone");
		else if (h->adj_ok)
			printf(", %s oom_score_adj %ld (lowering it needs CAP_SYS_RESOURCE)",
			       h->pages >= 0 ? "or" : "but", h->adj);
	}
	printf("\n");
}

static void text_neighbour(const struct explain *e, const char *label, long i)
{
	char nb[128];

	name_of(ol_model_proc(e->model, (size_t)i), nb, sizeof(nb));
	printf("    %-14s %s, badness %ld\n", label, nb, ol_model_get(e->model, (size_t)i)->b.points);
}

static void text_rank(const struct explain *e, const struct expl *x)
{
	const struct ol_rank *r = x->r;

	if (!r->rank) {
		printf("  rank:      not a candidate in a global OOM\n");
		return;
	}
	printf("  rank:      %ld of %ld killable processes in a global OOM%s\n", r->rank,
	       r->candidates, r->rank == 1 ? ": the OOM killer would kill it first" : "");
	if (r->near_tie)
		printf("    a near tie: a neighbour is within %ld pages, the slack of the per-CPU counters\n"
		       "    the kernel reads, so the kernel may order them either way\n",
		       ol_model_slack(e->model));
	if (x->top >= 0 && (size_t)x->top != x->idx && x->top != x->ahead)
		text_neighbour(e, "first in line:", x->top);
	if (x->ahead >= 0) {
		text_neighbour(e, "just ahead:", x->ahead);
		printf("    to pass it:    ");
		text_hint(e, &x->pass, 1);
	}
	if (x->behind >= 0) {
		text_neighbour(e, "just behind:", x->behind);
		printf("    to fall back:  ");
		text_hint(e, &x->fall, 0);
	}
}

static void text_memcg(const struct explain *e, const struct expl *x)
{
	const struct ol_memcg *m = &x->mr.m;
	const struct ol_rank *r = &x->mr.r;
	char nb[128];
	char *path;

	if (!x->have_mr) {
		printf("  memory cgroup: no memory controller found\n");
		return;
	}
	path = ol_escape(m->path);
	if (!x->mr.limited) {
		printf("  memory cgroup: %s (v%d), no limit up to the root: only a global OOM can take it\n",
		       path ? path : "?", m->version);
		free(path);
		return;
	}
	printf("  memory cgroup: %s (v%d) has the tightest limit: ", path ? path : "?", m->version);
	free(path);
	print_size(m->limit_bytes);
	printf(", using ");
	print_size(m->usage_bytes);
	printf("\n    totalpages = limit %llu pages + swap %lu pages = %lu\n",
	       m->limit_bytes / (unsigned long long)e->si.page_size, m->swap_pages, m->totalpages);
	if (m->oom_kill_disable == 1)
		printf("    its OOM killer is disabled (memory.oom_control): tasks hang instead of dying\n");
	if (!r->have || !r->b.killable) {
		printf("    not killable there either\n");
		return;
	}
	text_arith(e, &r->b, m->totalpages, "    ");
	printf("    rank in this cgroup's OOM: %ld of %ld%s", r->rank, r->candidates,
	       r->near_tie ? " (a near tie)" : "");
	if (r->candidates && x->mr.first != x->idx) {
		name_of(ol_model_proc(e->model, x->mr.first), nb, sizeof(nb));
		printf(" (first: %s)", nb);
	}
	printf("\n");
}

static void text_memory(const struct explain *e, const struct expl *x)
{
	const struct ol_proc *p = x->p;
	const struct ol_terms *t = &x->r->t;

	printf("  memory the kernel counts              kB        pages\n");
	if (p->have & OL_HAVE_MEM) {
		print_pages_row(e, "anon (RssAnon)", p->rss_anon);
		print_pages_row(e, "file (RssFile)", p->rss_file);
		print_pages_row(e, "shmem (RssShmem)", p->rss_shmem);
	} else {
		print_pages_row(e, "rss (VmRSS)", p->rss);
	}
	if (t->rss_source == OL_RSS_STAT)
		printf("    %-22s %12s %12lu  (the kernel's own read; status shows exact sums)\n",
		       "rss (stat)", "", t->rss_pages);
	print_pages_row(e, "swap (VmSwap)", p->swap);
	print_pages_row(e, "page tables (VmPTE)", p->pgtables);
	if (t->pmd_pages)
		print_pages_row(e, "page tables (VmPMD)", p->pgtables_pmd);
	printf("    %-22s %12s %12ld\n", "rss + swap + pgtables", "", x->r->b.usage);
	printf("  totalpages = MemTotal %llu kB + SwapTotal %llu kB, in %ld kB pages = %lu\n",
	       e->si.mem_total_kb, e->si.swap_total_kb, e->si.page_size / 1024, e->si.totalpages);
}

static void text_in_short(const struct explain *e, const struct expl *x)
{
	const struct ol_badness *b = &x->r->b;

	/* the answer first, in words; the arithmetic follows */
	printf("  in short:  ");
	if (x->r->rank == 1)
		printf("the OOM killer would kill it first");
	else if (x->r->rank)
		printf("number %ld in line for the OOM killer, of %ld", x->r->rank, x->r->candidates);
	if (b->adj_pages > 0 && b->points > 0)
		printf("; oom_score_adj %ld makes %.0f%% of its badness",
		       x->p->oom_score_adj, 100.0 * (double)b->adj_pages / (double)b->points);
	else if (b->adj_pages < 0)
		printf("; oom_score_adj %ld takes %ld pages off its badness", x->p->oom_score_adj, -b->adj_pages);
	else
		printf("; its memory alone decides (oom_score_adj %ld)", x->p->oom_score_adj);
	printf("\n");
}

static void text_what_if(const struct explain *e, const struct expl *x)
{
	const struct ol_rank *w = &x->wr;

	printf("  what if");
	if (e->have_adj)
		printf(" oom_score_adj were %ld", e->what_adj);
	if (e->have_rss) {
		printf("%s rss were ", e->have_adj ? " and" : "");
		print_size(e->what_rss);
	}
	printf(":\n");
	if (!w->b.killable) {
		printf("    never killed: %s\n", ol_unkillable_str(w->why));
		return;
	}
	text_arith(e, &w->b, e->si.totalpages, "    ");
	printf("    oom_score %lu, rank %ld of %ld\n", score_of(e, &w->b), w->rank, w->candidates);
}

/* Its cgroup decoded: unit, container, or pod (by the kubelet's names on a node). */
static void decode_of(const struct ol_proc *p, struct ol_cg_decoded *d)
{
	memset(d, 0, sizeof(*d));
	if (!(p->have & OL_HAVE_CGROUP))
		return;
	ol_cgroup_decode(ol_proc_cgroup(p), d);
	if (d->kind == OL_CG_NONE && p->cgroup_unified[0])
		ol_cgroup_decode(p->cgroup_unified, d);
}

static void text_one(const struct explain *e, const struct expl *x)
{
	const struct ol_proc *p = x->p;
	const struct ol_rank *r = x->r;
	struct ol_cg_decoded d;
	char nb[128], unit[512];

	name_of(p, nb, sizeof(nb));
	printf("%s", nb);
	if (p->have & OL_HAVE_UID)
		printf(", uid %u", (unsigned int)p->uid);
	decode_of(p, &d);
	ol_ctx_cgroup_label(e->ctx, &d, unit, sizeof(unit));
	if (unit[0]) {
		char *esc = ol_escape(unit);

		printf(", %s", esc ? esc : "?");
		free(esc);
	}
	printf("\n");
	if (r->why != OL_KILLABLE && r->why != OL_KILLABLE_UNKNOWN) {
		printf("  never killed by the OOM killer: %s\n", ol_unkillable_str(r->why));
		if (!x->have_what) {
			printf("  oom_score  = 0 (kernel: %ld)\n\n", p->oom_score);
			return;
		}
	}
	if (!r->have && !x->have_what) {
		printf("  cannot compute: some of its /proc files were unreadable\n\n");
		return;
	}
	if (r->have && r->b.killable) {
		text_in_short(e, x);
		text_memory(e, x);
		text_arith(e, &r->b, e->si.totalpages, "  ");
		text_bar(x);
		text_score(e, &r->b);
		if (e->era_is_running)
			printf("  kernel says %ld: %s\n", p->oom_score, cause_str(x->cause));
		if (x->have_base)
			printf("  without oom_score_adj: badness %ld, oom_score %lu (what its memory alone earns)\n",
			       x->base.points, score_of(e, &x->base));
		text_rank(e, x);
	}
	text_memcg(e, x);
	if (x->have_what)
		text_what_if(e, x);
	printf("\n");
}

/* The pre-2.6.36 badness(), for the text and for -J alike */
static const struct {
	const char *term, *rule;
} history_steps[] = {
	{ "total_vm",     "points  = total_vm of the process (its whole virtual size, not rss)" },
	{ "children",     "        + half the total_vm of each child with its own mm" },
	{ "cpu_time",     "points /= sqrt(cpu time in seconds / 8)" },
	{ "run_time",     "points /= sqrt(sqrt(run time in seconds / 1024))" },
	{ "nice",         "points *= 2 if nice > 0" },
	{ "capabilities", "points /= 4 with CAP_SYS_ADMIN or CAP_SYS_RESOURCE, and /= 4 again with CAP_SYS_RAWIO" },
	{ "oom_adj",      "then shifted left by oom_adj (1..15) or right by -oom_adj (-16..-1); -17 never" },
};
static const char history_effect[] =
	"It favoured killing large, young, niced processes and spared long-running ones.";
static const char history_successor[] =
	"2.6.36 replaced it with the share of RAM + swap a process holds (rss, swap and\n"
	"page tables) plus oom_score_adj, which is what every kernel since computes.";

static void text_history(void)
{
	const char *p, *nl;
	size_t i;

	fputs("  HISTORY, not this kernel: before 2.6.36 the OOM killer's badness() was\n", stdout);
	for (i = 0; i < sizeof(history_steps) / sizeof(history_steps[0]); i++)
		printf("    %s\n", history_steps[i].rule);
	printf("  %s\n", history_effect);
	for (p = history_successor; p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		printf("  %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
	}
}

static json_object *json_history(void)
{
	json_object *h = json_object_new_object(), *steps = json_object_new_array();
	char *succ = strdup(history_successor), *nl;
	size_t i;

	ol_jadd(h, "kernels", json_object_new_string(ol_era_range(OL_ERA_A)));
	ol_jadd(h, "historical", json_object_new_boolean(1));
	for (i = 0; i < sizeof(history_steps) / sizeof(history_steps[0]); i++) {
		json_object *st = json_object_new_object();
		const char *r = history_steps[i].rule;

		while (*r == ' ')
			r++;
		ol_jadd(st, "term", json_object_new_string(history_steps[i].term));
		ol_jadd(st, "rule", json_object_new_string(r));
		json_object_array_add(steps, st);
	}
	ol_jadd(h, "steps", steps);
	ol_jadd(h, "effect", json_object_new_string(history_effect));
	/* one sentence: the line break is the text's */
	if (succ)
		for (nl = strchr(succ, '\n'); nl; nl = strchr(nl, '\n'))
			*nl = ' ';
	ol_jadd(h, "replaced_by", succ ? json_object_new_string(succ) : NULL);
	free(succ);
	return h;
}

/* ---- JSON ---- */

static json_object *jint(long long v)
{
	return json_object_new_int64(v);
}

static json_object *jterms(const struct explain *e, const struct ol_proc *p,
			   const struct ol_rank *r)
{
	json_object *t = json_object_new_object();
	const struct ol_badness *b = &r->b;
	unsigned long long ps = (unsigned long long)e->si.page_size;
	int mem = !!(p->have & OL_HAVE_MEM);

#define ADD_MEM(key, bytes, known) do { \
		ol_jadd(t, key "_bytes", (known) ? jint((long long)(bytes)) : NULL); \
		ol_jadd(t, key "_pages", (known) ? jint((long long)((bytes) / ps)) : NULL); \
	} while (0)
	ADD_MEM("anon", p->rss_anon, mem);
	ADD_MEM("file", p->rss_file, mem);
	ADD_MEM("shmem", p->rss_shmem, mem);
	ADD_MEM("swap", p->swap, !!(p->have & OL_HAVE_SWAP));
	ADD_MEM("pgtables", p->pgtables, !!(p->have & OL_HAVE_PGTABLES));
	ADD_MEM("pmd", p->pgtables_pmd, r->t.pmd_pages > 0);
#undef ADD_MEM
	ol_jadd(t, "rss_pages", jint((long long)r->t.rss_pages));
	ol_jadd(t, "rss_source", json_object_new_string(ol_rss_source_str(r->t.rss_source)));
	ol_jadd(t, "usage_pages", jint(b->usage));
	ol_jadd(t, "total_pages", jint((long long)r->totalpages));
	ol_jadd(t, "oom_score_adj", jint(p->oom_score_adj));
	ol_jadd(t, "effective_adj", jint(b->adj_eff));
	ol_jadd(t, "adj_unit_pages", jint(b->adj_unit));
	ol_jadd(t, "adj_pages", jint(b->adj_pages));
	ol_jadd(t, "root_bonus_pages", jint(b->root_bonus));
	ol_jadd(t, "raw", b->killable ? jint(b->raw) : NULL);
	ol_jadd(t, "clamped", json_object_new_boolean(b->clamped_low || b->clamped_high));
	return t;
}

static json_object *jproc_ref(const struct explain *e, long i)
{
	json_object *o;
	const struct ol_proc *p;

	if (i < 0)
		return NULL;
	p = ol_model_proc(e->model, (size_t)i);
	o = json_object_new_object();
	ol_jadd(o, "pid", jint(p->pid));
	ol_jadd(o, "comm", ol_json_string(p->comm));
	ol_jadd(o, "badness", jint(ol_model_get(e->model, (size_t)i)->b.points));
	return o;
}

static json_object *jhint(const struct explain *e, const struct hint *h)
{
	json_object *o;

	if (!h->valid)
		return NULL;
	o = json_object_new_object();
	ol_jadd(o, "target_badness", jint(h->target));
	ol_jadd(o, "possible", json_object_new_boolean(!h->impossible));
	ol_jadd(o, "memory_pages", !h->impossible && h->pages >= 0 ? jint(h->pages) : NULL);
	ol_jadd(o, "memory_bytes", !h->impossible && h->pages >= 0 ?
			       jint((long long)h->pages * e->si.page_size) : NULL);
	ol_jadd(o, "oom_score_adj", !h->impossible && h->have_adj && h->adj_ok ?
			       jint(h->adj) : NULL);
	return o;
}

/* badness, rank, share and near tie of one scope's view */
static void jview(json_object *o, const struct ol_rank *r)
{
	int k = r->have && r->b.killable;

	ol_jadd(o, "badness", k ? jint(r->b.points) : NULL);
	ol_jadd(o, "rank", k && r->rank ? jint(r->rank) : NULL);
	ol_jadd(o, "killable_processes", jint(r->candidates));
	ol_jadd(o, "share_percent", k ? ol_json_percent(r->share) : NULL);
	ol_jadd(o, "near_tie", k && r->rank ? json_object_new_boolean(r->near_tie) : NULL);
}

static json_object *jmemcg(const struct expl *x)
{
	const struct ol_memcg *m = &x->mr.m;
	json_object *jm;
	int lim = x->mr.limited;

	if (!x->have_mr)
		return NULL;
	jm = json_object_new_object();
	ol_jadd(jm, "version", jint(m->version));
	ol_jadd(jm, "path", ol_json_string(m->path));
	ol_jadd(jm, "limited", json_object_new_boolean(lim));
	ol_jadd(jm, "limit_bytes", lim ? jint((long long)m->limit_bytes) : NULL);
	ol_jadd(jm, "usage_bytes", lim ? jint((long long)m->usage_bytes) : NULL);
	ol_jadd(jm, "swap_pages", lim ? jint((long long)m->swap_pages) : NULL);
	ol_jadd(jm, "total_pages", lim ? jint((long long)m->totalpages) : NULL);
	ol_jadd(jm, "oom_kill_disable", m->oom_kill_disable < 0 ? NULL :
			       json_object_new_boolean(m->oom_kill_disable));
	if (lim) {
		jview(jm, &x->mr.r);
	} else {
		ol_jadd(jm, "badness", NULL);
		ol_jadd(jm, "rank", NULL);
		ol_jadd(jm, "killable_processes", NULL);
		ol_jadd(jm, "share_percent", NULL);
		ol_jadd(jm, "near_tie", NULL);
	}
	return jm;
}

static json_object *jwhat_if(const struct explain *e, const struct expl *x)
{
	const struct ol_rank *w = &x->wr;
	json_object *o;

	if (!x->have_what)
		return NULL;
	o = json_object_new_object();
	ol_jadd(o, "oom_score_adj", jint(x->wp.oom_score_adj));
	ol_jadd(o, "rss", jint((long long)x->wp.rss));
	ol_jadd(o, "killable", json_object_new_boolean(w->b.killable));
	ol_jadd(o, "unkillable_reason", w->b.killable ? NULL :
			       json_object_new_string(ol_unkillable_str(w->why)));
	ol_jadd(o, "badness", w->b.killable ? jint(w->b.points) : NULL);
	ol_jadd(o, "oom_score", jint((long long)score_of(e, &w->b)));
	ol_jadd(o, "rank", w->b.killable ? jint(w->rank) : NULL);
	return o;
}

/*
 * "unit", then a pod's "namespace", "pod", "container" and "qos" as every
 * JSON output has them (ol_kube_json_add()), and the ids its cgroup path gives
 */
static void json_unit(const struct explain *e, const struct ol_proc *p, json_object *o)
{
	struct ol_cg_decoded d;
	char unit[512];

	decode_of(p, &d);
	ol_ctx_cgroup_label(e->ctx, &d, unit, sizeof(unit));
	ol_jadd(o, "unit", unit[0] ? ol_json_string(unit) : NULL);
	ol_kube_json_add(o, ol_ctx_kube_for(e->ctx, &d), &d);
	ol_jadd(o, "pod_uid", d.pod_uid[0] ? ol_json_string(d.pod_uid) : NULL);
	ol_jadd(o, "container_id", d.container[0] ? ol_json_string(d.container) : NULL);
}

static json_object *json_one(const struct explain *e, const struct expl *x)
{
	const struct ol_proc *p = x->p;
	const struct ol_rank *r = x->r;
	json_object *o = json_object_new_object();
	int k = r->have && r->b.killable;

	ol_jadd(o, "pid", jint(p->pid));
	ol_jadd(o, "comm", ol_json_string(p->comm));
	json_unit(e, p, o);
	ol_jadd(o, "oom_score", (p->have & OL_HAVE_SCORE) ? jint(p->oom_score) : NULL);
	ol_jadd(o, "computed_oom_score", r->have ? jint(r->oom_score) : NULL);
	ol_jadd(o, "agreement", json_object_new_string(cause_key(x->cause)));
	ol_jadd(o, "oom_score_adj", (p->have & OL_HAVE_ADJ) ? jint(p->oom_score_adj) : NULL);
	ol_jadd(o, "oom_adj", (p->have & OL_HAVE_OOMADJ) ? jint(p->oom_adj) : NULL);
	ol_jadd(o, "killable", json_object_new_boolean(r->why == OL_KILLABLE));
	ol_jadd(o, "unkillable_reason", r->why == OL_KILLABLE ? NULL :
			       json_object_new_string(ol_unkillable_str(r->why)));
	jview(o, r);
	ol_jadd(o, "base_badness", x->have_base ? jint(x->base.points) : NULL);
	ol_jadd(o, "base_oom_score", x->have_base ? jint((long long)score_of(e, &x->base)) : NULL);
	ol_jadd(o, "total_pages", jint((long long)e->si.totalpages));
	ol_jadd(o, "terms", r->have ? jterms(e, p, r) : NULL);
	ol_jadd(o, "first", k && x->top >= 0 && (size_t)x->top != x->idx ? jproc_ref(e, x->top) : NULL);
	ol_jadd(o, "ahead", jproc_ref(e, x->ahead));
	ol_jadd(o, "behind", jproc_ref(e, x->behind));
	ol_jadd(o, "to_pass_ahead", jhint(e, &x->pass));
	ol_jadd(o, "to_fall_behind", jhint(e, &x->fall));
	ol_jadd(o, "memcg", jmemcg(x));
	if (e->have_adj || e->have_rss)
		ol_jadd(o, "what_if", jwhat_if(e, x));
	return o;
}

/*
 * --rss in pages must leave room for the rest of the badness (swap, page
 * tables and adj, each at most totalpages) times the 1000 of the oom_score
 * scale, in a long.  Sizes beyond RAM + swap are computable, but no
 * process can hold them: say so.
 */
static int check_rss(const struct ol_ctx *ctx, const struct explain *e, const char *arg)
{
	unsigned long long pages = e->what_rss / (unsigned long long)e->si.page_size;
	unsigned long long room = (unsigned long long)(LONG_MAX / 1000);
	unsigned long long ram_swap = (e->si.mem_total_kb + e->si.swap_total_kb) * 1024;
	char a[32], b[32];

	if (3ULL * e->si.totalpages >= room || pages > room - 3ULL * e->si.totalpages)
		return ol_usage_error(ctx, "size too large: '%s' (the badness arithmetic would overflow)", arg);
	if (e->what_rss > ram_swap) {
		ol_size_human(e->what_rss, a, sizeof(a));
		ol_size_human(ram_swap, b, sizeof(b));
		ol_note("--rss %s is more than RAM + swap (%s): no process can hold it, "
			"so no kernel would show these numbers", a, b);
	}
	return OL_EXIT_OK;
}

/* ---- the command ---- */

static int explain_one(struct explain *e, size_t i)
{
	struct expl x;
	json_object *o;

	if (compute(e, i, &x) < 0)
		return -ENOMEM;
	if (!e->json) {
		text_one(e, &x);
		return 0;
	}
	/* one process at a time: built, printed, freed */
	o = json_one(e, &x);
	return ol_jstream_add(&e->js, o) == -ENOMEM ? -ENOMEM : 0;
}

static void json_start(struct explain *e, int history)
{
	json_object *head = json_object_new_object(), *sys = json_object_new_object();
	const struct ol_rank *first = e->pl.n ? ol_model_get(e->model, ol_model_order(e->model, 0)) : NULL;

	ol_jadd(sys, "kernel", json_object_new_string(e->si.release));
	ol_jadd(sys, "era", json_object_new_string(ol_era_range(e->k->era)));
	ol_jadd(sys, "page_size", jint(e->si.page_size));
	ol_jadd(sys, "mem_total_bytes", jint((long long)e->si.mem_total_kb * 1024));
	ol_jadd(sys, "swap_total_bytes", jint((long long)e->si.swap_total_kb * 1024));
	ol_jadd(sys, "total_pages", jint((long long)e->si.totalpages));
	ol_jadd(sys, "killable_processes", jint(first ? first->candidates : 0));
	ol_jadd(sys, "ties_go_to", json_object_new_string(e->k->ties_last ? "younger" : "older"));
	ol_jadd(sys, "cpus", e->si.ncpus ? jint(e->si.ncpus) : NULL);
	ol_jadd(sys, "counter_slack_pages", jint(ol_model_slack(e->model)));
	if (history)
		ol_jadd(head, "history", json_history());
	ol_jadd(head, "system", sys);
	ol_jstream_begin(&e->js, stdout, head, "processes");
}

static int history_only(int json)
{
	if (json) {
		json_object *root = ol_json_document();

		ol_jadd(root, "history", json_history());
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	} else {
		text_history();
	}
	return OL_EXIT_OK;
}

/* The index of @pid in the scan, or -1 */
static long index_of(const struct ol_proclist *pl, pid_t pid)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (pl->procs[i].pid == pid)
			return (long)i;
	return -1;
}

/* Scan, compare the targets with the kernel, rank.  0 or -errno (said) */
static int model_all(struct explain *e, const pid_t *pids, size_t npids, int all)
{
	struct ol_scan_opts so = { 0 };
	size_t i;
	int rc;

	/* everything: ranking needs every process */
	so.read = OL_READ_STATUS | OL_READ_CAPS | OL_READ_STAT | OL_READ_OOM_SCORE | OL_READ_OOM_SCORE_ADJ |
		  OL_READ_OOM_ADJ | OL_READ_CGROUP | ol_read_for(ol_kernel_needs(e->k));
	rc = ol_scan(&e->ctx->root, &so, &e->pl);
	if (rc < 0) {
		ol_warnx_errno(rc, "cannot scan %s/proc", e->ctx->sysroot ? e->ctx->sysroot : "");
		return rc;
	}
	e->causes = calloc(e->pl.n ? e->pl.n : 1, sizeof(*e->causes));
	if (!e->causes)
		goto nomem;
	for (i = 0; i < e->pl.n; i++)
		e->causes[i] = NOT_COMPARED;
	for (i = 0; i < e->pl.n; i++)
		if (all)
			e->causes[i] = classify(e, i);
	for (i = 0; !all && i < npids; i++) {
		long k = index_of(&e->pl, pids[i]);

		if (k >= 0)
			e->causes[k] = classify(e, (size_t)k);
	}
	if (ol_model_rank(e->model, e->pl.procs, e->pl.n) < 0)
		goto nomem;
	return 0;
nomem:
	ol_warn("out of memory");
	return -ENOMEM;
}

static int explain_all(struct explain *e)
{
	size_t k;

	for (k = 0; k < e->pl.n; k++) {
		size_t i = ol_model_order(e->model, k);
		const struct ol_proc *p = &e->pl.procs[i];

		if (p->have & OL_HAVE_KTHREAD && p->kthread && !e->json)
			continue;
		if (explain_one(e, i) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Each of @pids in turn; 1 when one was not found */
static int explain_pids(struct explain *e, const pid_t *pids, size_t npids)
{
	int missing = 0;
	size_t i;

	for (i = 0; i < npids; i++) {
		long k = index_of(&e->pl, pids[i]);

		if (k < 0) {
			ol_warn("no such process: %d", (int)pids[i]);
			missing = 1;
		} else if (explain_one(e, (size_t)k) < 0) {
			return -ENOMEM;
		}
	}
	return missing;
}

int cmd_explain(int argc, char **argv, struct ol_ctx *ctx)
{
	enum { OPT_ADJ = 0x100, OPT_RSS, OPT_KERNEL, OPT_HISTORY };
	static const struct option longopts[] = {
		{ "all",     no_argument,       NULL, 'a' },
		{ "json",    no_argument,       NULL, 'J' },
		{ "adj",     required_argument, NULL, OPT_ADJ },
		{ "rss",     required_argument, NULL, OPT_RSS },
		{ "kernel",  required_argument, NULL, OPT_KERNEL },
		{ "history", no_argument,       NULL, OPT_HISTORY },
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct explain e = { .ctx = ctx };
	struct ol_model_opts mo = { 0 };
	struct ol_kernel running;
	const char *kernel = NULL, *rss_arg = NULL;
	int c, all = 0, history = 0, rc = OL_EXIT_FAIL, r;
	pid_t *pids = NULL;
	size_t npids = 0;

	while ((c = getopt_long(argc, argv, ":aJhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = 1;
			break;
		case 'J':
			e.json = 1;
			break;
		case OPT_ADJ:
			if (ol_strtol(optarg, &e.what_adj) < 0 || e.what_adj < OL_OOM_SCORE_ADJ_MIN ||
			    e.what_adj > OL_OOM_SCORE_ADJ_MAX) {
				rc = ol_usage_error(ctx, "invalid oom_score_adj: '%s' (-1000..1000)", optarg);
				goto out;
			}
			e.have_adj = 1;
			break;
		case OPT_RSS:
			if (ol_parse_size(optarg, &e.what_rss) < 0) {
				rc = ol_usage_error(ctx, "invalid size: '%s'", optarg);
				goto out;
			}
			/* bytes are reported as a signed 64-bit number (-J rss) */
			if (e.what_rss > (unsigned long long)LLONG_MAX) {
				rc = ol_usage_error(ctx, "size too large: '%s' (at most %lld bytes)",
						    optarg, LLONG_MAX);
				goto out;
			}
			rss_arg = optarg;
			e.have_rss = 1;
			break;
		case OPT_KERNEL:
			if (ol_kernel_from_release(optarg, &running) < 0) {
				rc = ol_usage_error(ctx, "invalid kernel version: '%s'", optarg);
				goto out;
			}
			kernel = optarg;
			break;
		case OPT_HISTORY:
			history = 1;
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
	for (; optind < argc; optind++) {
		pid_t v, *np;

		if (ol_parse_pid(argv[optind], &v) < 0) {
			char *s = ol_escape(argv[optind]);

			rc = ol_usage_error(ctx, "invalid process ID: '%s'", s ? s : "?");
			free(s);
			goto out;
		}
		np = realloc(pids, (npids + 1) * sizeof(*np));
		if (!np)
			goto out;
		pids = np;
		pids[npids++] = v;
	}
	if (history && !npids && !all) {
		rc = history_only(e.json);
		goto out;
	}
	if (!npids && !all) {
		rc = ol_usage_error(ctx, "no process given (a pid, or --all)");
		goto out;
	}
	if (npids && all) {
		rc = ol_usage_error(ctx, "--all and process IDs are mutually exclusive");
		goto out;
	}

	if (ol_ctx_root(ctx) < 0)
		goto out;
	if (ol_sysinfo_read(&ctx->root, &e.si) < 0) {
		ol_warn("cannot read %s/proc/meminfo", ctx->sysroot ? ctx->sysroot : "");
		goto out;
	}
	if (e.si.page_size_guessed)
		ol_note("the sysroot does not show its page size; assuming 4096 bytes");
	mo.release = kernel;
	e.model = ol_model_new(&ctx->root, &e.si, &mo);
	if (!e.model) {
		ol_warn("out of memory");
		goto out;
	}
	e.k = ol_model_kernel(e.model);
	e.era_is_running = ol_kernel_from_release(e.si.release, &running) == 0 && running.era == e.k->era;
	ol_note_kernel(e.k, " (see --kernel)");
	if (e.k->era == OL_ERA_A) {
		/* cannot be computed from /proc: explain it as history */
		if (!e.json)
			text_history();
		else
			ol_warn("kernels before 2.6.36 cannot be computed; see --history");
		rc = e.json ? OL_EXIT_FAIL : OL_EXIT_OK;
		goto out;
	}
	if (e.have_rss && (rc = check_rss(ctx, &e, rss_arg)) != OL_EXIT_OK)
		goto out;
	rc = OL_EXIT_FAIL;
	if (model_all(&e, pids, npids, all) < 0)
		goto out;
	if (history && !e.json)
		text_history();
	if (e.json)
		json_start(&e, history);
	else
		printf("kernel %s: the OOM heuristic of %s kernels%s; RAM + swap = %lu pages of %ld bytes\n\n",
		       e.si.release[0] ? e.si.release : "(unknown)", ol_era_range(e.k->era),
		       kernel ? " (--kernel)" : "", e.si.totalpages, e.si.page_size);
	r = all ? explain_all(&e) : explain_pids(&e, pids, npids);
	if (e.json && ol_jstream_end(&e.js) < 0)
		r = 1;
	if (r < 0)
		ol_warn("out of memory");
	rc = r ? OL_EXIT_FAIL : OL_EXIT_OK;
out:
	ol_model_free(e.model);
	free(e.causes);
	free(pids);
	ol_proclist_free(&e.pl);
	return rc;
}
