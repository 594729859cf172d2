// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "oomlens.h"
#include "oomlens/jsonutil.h"

/* Why the kernel's oom_score differs from ours (see classify()) */
enum cause { MATCH, REREAD, PERCPU, NUMA_READER, NOT_COMPARED, UNEXPLAINED, NO_SCORE };

/* One process with its badness, as ranked. */
struct ent {
	struct ol_proc *p;
	struct ol_badness b;
	int have;		/* badness known */
	int target;		/* to be explained: compared before ranking */
	enum cause cause;
	long rank;		/* 1-based among killable, 0 if not ranked */
};

struct explain {
	struct ol_ctx *ctx;
	struct ol_sysinfo si;
	enum ol_era era;
	int era_is_running;	/* compare with the kernel's oom_score */
	int count_pmd;		/* the release explained counts VmPMD (4.0+) */
	int ncpus;		/* for the per-CPU counter slack, 0 unknown */
	struct ol_proclist pl;
	struct ent *ents, **order;
	size_t nkillable;
	int json;
	int have_adj, have_rss;
	long what_adj;
	unsigned long long what_rss;
	json_object *jarr;
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

static int kernel_at_least(const char *release, unsigned int maj, unsigned int min)
{
	unsigned int a = 0, b = 0;

	if (sscanf(release, "%u.%u", &a, &b) != 2)
		return 0;
	return a > maj || (a == maj && b >= min);
}

static unsigned long score_of(const struct explain *e, const struct ol_badness *b)
{
	return ol_oom_score(e->era, b->points, b->killable, e->si.totalpages);
}

/* The tie rule of the kernel explained (--kernel or the running one), for qsort */
static int ties_last = 1;

static int ent_cmp(const void *x, const void *y)
{
	const struct ent *a = *(const struct ent *const *)x;
	const struct ent *b = *(const struct ent *const *)y;

	return ol_rank_cmp_ties(a->p, &a->b, a->have, b->p, &b->b, b->have, ties_last);
}

/* Badness of @p with @totalpages in place of the system's (memcg OOMs). */
static int badness_with(const struct explain *e, const struct ol_proc *p,
			unsigned long totalpages, struct ol_badness *b)
{
	struct ol_sysinfo si = e->si;

	si.totalpages = totalpages;
	return ol_proc_badness(p, &si, e->era, b);
}

static int badness_all(struct explain *e)
{
	size_t i;

	e->ents = calloc(e->pl.n ? e->pl.n : 1, sizeof(*e->ents));
	e->order = calloc(e->pl.n ? e->pl.n : 1, sizeof(*e->order));
	if (!e->ents || !e->order)
		return -ENOMEM;
	for (i = 0; i < e->pl.n; i++) {
		struct ent *en = &e->ents[i];

		en->p = &e->pl.procs[i];
		if (!e->count_pmd)
			en->p->have &= ~OL_HAVE_PMD;
		en->have = ol_proc_badness(en->p, &e->si, e->era, &en->b) == 0;
		e->order[i] = en;
	}
	return 0;
}

/*
 * Rank once, after every process to be explained was compared with the
 * kernel (a re-read may have replaced it): the order is then fixed while
 * the processes are printed.
 */
static void rank_all(struct explain *e)
{
	size_t i, k = 0;

	qsort(e->order, e->pl.n, sizeof(*e->order), ent_cmp);
	for (i = 0; i < e->pl.n; i++)
		if (e->order[i]->have && e->order[i]->b.killable)
			e->order[i]->rank = (long)++k;
	e->nkillable = k;
}

/* How many killable processes other than @self would rank ahead of @p/@b. */
static long rank_against(const struct explain *e, const struct ent *self,
			 const struct ol_proc *p, const struct ol_badness *b)
{
	long ahead = 0;
	size_t i;

	if (!b->killable)
		return 0;
	for (i = 0; i < e->pl.n; i++) {
		const struct ent *o = &e->ents[i];

		if (o == self || !o->have || !o->b.killable)
			continue;
		if (ol_rank_cmp_ties(o->p, &o->b, 1, p, b, 1, ties_last) < 0)
			ahead++;
	}
	return ahead + 1;
}

static const char *kb_unit(const struct explain *e)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "%ld kB", e->si.page_size / 1024);
	return buf;
}

/* ---- mismatch: why the kernel's number differs from ours ---- */

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

static enum cause classify(struct explain *e, struct ent *en)
{
	struct ol_proc fresh;
	struct ol_badness b;

	if (!e->era_is_running)
		return NOT_COMPARED;
	if (!(en->p->have & OL_HAVE_SCORE))
		return NO_SCORE;
	if (en->have && (long)score_of(e, &en->b) == en->p->oom_score)
		return MATCH;
	/* read it again: it may simply have changed between our reads */
	if (ol_scan_pid(&e->ctx->root, en->p->pid,
			OL_READ_STATUS | OL_READ_CAPS | OL_READ_STAT | OL_READ_OOM_SCORE |
			OL_READ_OOM_SCORE_ADJ | OL_READ_OOM_ADJ | OL_READ_CGROUP, &fresh) == 0) {
		if (!e->count_pmd)
			fresh.have &= ~OL_HAVE_PMD;
		if ((fresh.have & OL_HAVE_SCORE) &&
		    ol_proc_badness(&fresh, &e->si, e->era, &b) == 0 &&
		    (long)score_of(e, &b) == fresh.oom_score) {
			/* keep the consistent pair */
			ol_proc_free(en->p);
			*en->p = fresh;
			en->b = b;
			en->have = 1;
			return REREAD;
		}
		ol_proc_free(&fresh);
	}
	if (!en->have)
		return UNEXPLAINED;
	if (e->era == OL_ERA_F && kernel_at_least(e->si.release, 6, 2) && e->ncpus > 0) {
		/*
		 * oom_badness() reads the per-CPU counters' global part; each
		 * CPU may hold up to a batch (max(32, 2 * ncpus)) of each of
		 * the four rss/swap counters unfolded.
		 */
		long batch = e->ncpus * 2 > 32 ? e->ncpus * 2 : 32;
		long slack = 4 * batch * e->ncpus;
		struct ol_badness lo = en->b, hi = en->b;

		lo.points -= slack;
		hi.points += slack;
		if ((long)score_of(e, &lo) <= en->p->oom_score &&
		    en->p->oom_score <= (long)score_of(e, &hi))
			return PERCPU;
	}
	if (e->era >= OL_ERA_B && !kernel_at_least(e->si.release, 5, 3) && en->p->oom_score == 0)
		return NUMA_READER;
	return UNEXPLAINED;
}

/* ---- text output ---- */

static void print_pages_row(const struct explain *e, const char *what,
			    unsigned long long bytes, int known)
{
	if (!known) {
		printf("    %-22s %12s %12s\n", what, "-", "-");
		return;
	}
	printf("    %-22s %12llu %12llu\n", what, bytes / 1024,
	       bytes / (unsigned long long)e->si.page_size);
}

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

static void text_arith(const struct explain *e, const struct ol_badness *b,
		       unsigned long totalpages, const char *indent)
{
	switch (e->era) {
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
		if (e->era == OL_ERA_C && b->root_bonus)
			printf("%sroot bonus = oom_score_adj - 30 = %ld (CAP_SYS_ADMIN)\n", indent, b->adj_eff);
		printf("%sadj        = oom_score_adj %ld x (totalpages / 1000 = %ld) = %ld pages\n",
		       indent, b->adj_eff, b->adj_unit, b->adj_pages);
		printf("%sbadness    = %ld", indent, b->usage);
		if (b->root_bonus && e->era == OL_ERA_D)
			printf(" - %ld (root bonus)", b->root_bonus);
		printf(" + %ld = %ld pages", b->adj_pages, b->raw);
		if (b->clamped_low)
			printf(" -> 1 (never 0 for a killable task)");
		printf(" (%.1f%% of %lu)\n", (double)b->points * 100.0 / (double)(totalpages ? totalpages : 1),
		       totalpages);
	}
}

static void text_score(const struct explain *e, const struct ol_badness *b)
{
	unsigned long s = score_of(e, b);
	unsigned long tp = e->si.totalpages;

	switch (e->era) {
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

	json_object_object_add(h, "kernels", json_object_new_string(ol_era_range(OL_ERA_A)));
	json_object_object_add(h, "historical", json_object_new_boolean(1));
	for (i = 0; i < sizeof(history_steps) / sizeof(history_steps[0]); i++) {
		json_object *st = json_object_new_object();
		const char *r = history_steps[i].rule;

		while (*r == ' ')
			r++;
		json_object_object_add(st, "term", json_object_new_string(history_steps[i].term));
		json_object_object_add(st, "rule", json_object_new_string(r));
		json_object_array_add(steps, st);
	}
	json_object_object_add(h, "steps", steps);
	json_object_object_add(h, "effect", json_object_new_string(history_effect));
	/* one sentence: the line break is the text's */
	if (succ)
		for (nl = strchr(succ, '\n'); nl; nl = strchr(nl, '\n'))
			*nl = ' ';
	json_object_object_add(h, "replaced_by", succ ? json_object_new_string(succ) : NULL);
	free(succ);
	return h;
}

/* Whether @a would rank ahead of @b at equal badness: the tie rule */
static int wins_tie(const struct ent *a, const struct ent *b)
{
	struct ol_badness x = a->b;

	x.points = b->b.points;
	return ol_rank_cmp_ties(a->p, &x, 1, b->p, &b->b, 1, ties_last) < 0;
}

/*
 * What would bring @en's badness to @target (up when @up): how much memory,
 * or which oom_score_adj.  From the raw badness, before the era's clamps.
 * Era B counts points out of 1000, so memory moves it in steps of
 * totalpages / 1000 pages and oom_score_adj one point each; C..F count pages.
 */
static void hint_move(const struct explain *e, const struct ent *en, long target, int up)
{
	const struct ol_badness *b = &en->b;
	unsigned long long tp = e->si.totalpages, ps = (unsigned long long)e->si.page_size;
	long delta = up ? target - b->raw : b->raw - target;
	long pages = delta, adj;
	int have_adj = e->era == OL_ERA_B || b->adj_unit > 0;

	if (e->era == OL_ERA_B && up && target > 1000) {
		printf("not possible: badness stops at 1000 and the tie goes the other way\n");
		return;
	}
	if (e->era != OL_ERA_F && !up && target < 1) {
		printf("not possible short of oom_score_adj -1000: badness is never below 1\n");
		return;
	}
	if (e->era == OL_ERA_B) {
		/* usage * 1000 / totalpages must reach (or stay below) the new per mille */
		long scaled = b->usage_scaled + (up ? delta : -delta);

		if (scaled < 0)
			pages = -1;
		else if (up)
			pages = (long)(((unsigned long long)scaled * tp + 999) / 1000) - b->usage;
		else
			pages = b->usage - (long)((((unsigned long long)scaled + 1) * tp - 1) / 1000);
		adj = en->p->oom_score_adj + (up ? delta : -delta);
		printf("%ld %s points: ", delta, up ? "more" : "fewer");
	} else {
		long steps = b->adj_unit > 0 ? (delta + b->adj_unit - 1) / b->adj_unit : 0;

		if (!up && pages > b->usage)
			pages = -1;
		adj = en->p->oom_score_adj + (up ? steps : -steps);
	}
	if (pages >= 0) {
		printf("%ld %s pages (", pages, up ? "more" : "fewer");
		print_size((unsigned long long)pages * ps);
		printf(")");
	} else {
		printf("not by memory alone (it holds %ld pages)", b->usage);
	}
	if (have_adj) {
		if (up && adj <= OL_OOM_SCORE_ADJ_MAX)
			printf(", or oom_score_adj %ld", adj);
		else if (up)
			printf("; no oom_score_adj can do it alone");
		else if (adj >= OL_OOM_SCORE_ADJ_MIN)
			printf(", %s oom_score_adj %ld (lowering it needs CAP_SYS_RESOURCE)",
			       pages >= 0 ? "or" : "but", adj);
	}
	printf("\n");
}

static void text_rank(const struct explain *e, const struct ent *en)
{
	const struct ent *ahead = NULL, *top = NULL, *behind = NULL;
	size_t i;
	char nb[128];

	if (!en->rank) {
		printf("  rank:      not a candidate in a global OOM\n");
		return;
	}
	for (i = 0; i < e->pl.n; i++) {
		const struct ent *o = e->order[i];

		if (!o->rank)
			continue;
		if (o->rank == 1)
			top = o;
		if (o->rank == en->rank - 1)
			ahead = o;
		if (o->rank == en->rank + 1)
			behind = o;
	}
	printf("  rank:      %ld of %zu killable processes in a global OOM%s\n", en->rank,
	       e->nkillable, en->rank == 1 ? ": the OOM killer would kill it first" : "");
	if (top && top != en && top != ahead) {
		name_of(top->p, nb, sizeof(nb));
		printf("    first in line: %s, badness %ld\n", nb, top->b.points);
	}
	if (ahead) {
		name_of(ahead->p, nb, sizeof(nb));
		printf("    just ahead:    %s, badness %ld\n", nb, ahead->b.points);
		printf("    to pass it:    ");
		hint_move(e, en, ahead->b.points + (wins_tie(en, ahead) ? 0 : 1), 1);
	}
	if (behind) {
		name_of(behind->p, nb, sizeof(nb));
		printf("    just behind:   %s, badness %ld\n", nb, behind->b.points);
		printf("    to fall back:  ");
		hint_move(e, en, behind->b.points - (wins_tie(behind, en) ? 0 : 1), 0);
	}
}

/* ---- memcg ---- */

struct memcg_view {
	int ok;
	struct ol_memcg m;
	struct ol_badness b;
	long rank, count;
	const struct ol_proc *first;
	long first_points;
};

/*
 * Caches for --all: the limiting memcg of each cgroup path, and for each
 * limiting memcg its killable members in the kernel's order, so that
 * explaining every process stays O(n log n).
 */
struct cg_domain {
	char *cgpath;			/* a process's cgroup path */
	struct ol_memcg m;		/* its limiting memcg */
};

struct dom_member {
	const struct ol_proc *p;
	struct ol_badness b;
};

struct dom_rank {
	char *path;			/* the limiting memcg */
	int version;
	struct dom_member *v;
	size_t n;
};

static struct cg_domain *cg_cache;
static size_t cg_n;
static struct dom_rank *dom_cache;
static size_t dom_n;

static int member_cmp(const void *x, const void *y)
{
	const struct dom_member *a = x, *b = y;

	return ol_rank_cmp_ties(a->p, &a->b, 1, b->p, &b->b, 1, ties_last);
}

static const struct ol_memcg *domain_of(struct explain *e, const struct ol_proc *p)
{
	const char *path;
	struct cg_domain *nc;
	size_t i;

	if (!(p->have & OL_HAVE_CGROUP))
		return NULL;
	path = p->cgroup[0] ? p->cgroup : p->cgroup_unified;
	for (i = 0; i < cg_n; i++)
		if (strcmp(cg_cache[i].cgpath, path) == 0)
			return &cg_cache[i].m;
	nc = realloc(cg_cache, (cg_n + 1) * sizeof(*nc));
	if (!nc)
		return NULL;
	cg_cache = nc;
	if (ol_memcg_domain(&e->ctx->root, p, &e->si, &cg_cache[cg_n].m) < 0)
		return NULL;
	cg_cache[cg_n].cgpath = strdup(path);
	if (!cg_cache[cg_n].cgpath)
		return NULL;
	return &cg_cache[cg_n++].m;
}

static const struct dom_rank *ranking_of(struct explain *e, const struct ol_memcg *m)
{
	struct dom_rank *nd, *d;
	size_t i;

	for (i = 0; i < dom_n; i++)
		if (dom_cache[i].version == m->version && strcmp(dom_cache[i].path, m->path) == 0)
			return &dom_cache[i];
	nd = realloc(dom_cache, (dom_n + 1) * sizeof(*nd));
	if (!nd)
		return NULL;
	dom_cache = nd;
	d = &dom_cache[dom_n];
	memset(d, 0, sizeof(*d));
	d->path = strdup(m->path);
	d->version = m->version;
	d->v = calloc(e->pl.n ? e->pl.n : 1, sizeof(*d->v));
	if (!d->path || !d->v) {
		free(d->path);
		free(d->v);
		return NULL;
	}
	for (i = 0; i < e->pl.n; i++) {
		struct dom_member *dm = &d->v[d->n];

		if (!ol_memcg_contains(m, &e->pl.procs[i]) ||
		    badness_with(e, &e->pl.procs[i], m->totalpages, &dm->b) < 0 || !dm->b.killable)
			continue;
		dm->p = &e->pl.procs[i];
		d->n++;
	}
	qsort(d->v, d->n, sizeof(*d->v), member_cmp);
	dom_n++;
	return d;
}

static void free_caches(void)
{
	size_t i;

	for (i = 0; i < cg_n; i++)
		free(cg_cache[i].cgpath);
	for (i = 0; i < dom_n; i++) {
		free(dom_cache[i].path);
		free(dom_cache[i].v);
	}
	free(cg_cache);
	free(dom_cache);
	cg_cache = NULL;
	dom_cache = NULL;
	cg_n = dom_n = 0;
}

static void memcg_view(struct explain *e, struct ent *en, struct memcg_view *v)
{
	const struct ol_memcg *m = domain_of(e, en->p);
	const struct dom_rank *d;
	size_t i;

	memset(v, 0, sizeof(*v));
	if (!m)
		return;
	v->m = *m;
	if (!m->version || !m->limited || badness_with(e, en->p, m->totalpages, &v->b) < 0)
		return;
	v->ok = 1;
	if (!v->b.killable || !(d = ranking_of(e, m)))
		return;
	v->count = (long)d->n;
	for (i = 0; i < d->n; i++)
		if (d->v[i].p == en->p)
			v->rank = (long)i + 1;
	if (d->n) {
		v->first = d->v[0].p;
		v->first_points = d->v[0].b.points;
	}
}

static void text_memcg(const struct explain *e, const struct ent *en, const struct memcg_view *v,
		       const struct ol_memcg *m)
{
	char nb[128];
	char *path;

	if (!m->version) {
		printf("  memory cgroup: no memory controller found\n");
		return;
	}
	path = ol_escape(m->path);
	if (!v->ok) {
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
	if (!v->b.killable) {
		printf("    not killable there either\n");
		return;
	}
	text_arith(e, &v->b, m->totalpages, "    ");
	printf("    rank in this cgroup's OOM: %ld of %ld", v->rank, v->count);
	if (v->first && v->first != en->p) {
		name_of(v->first, nb, sizeof(nb));
		printf(" (first: %s, badness %ld)", nb, v->first_points);
	}
	printf("\n");
}

/* ---- JSON ---- */

static json_object *jint(long long v) { return json_object_new_int64(v); }

static json_object *jterms(const struct explain *e, const struct ol_proc *p,
			   const struct ol_badness *b, unsigned long totalpages)
{
	json_object *t = json_object_new_object();
	unsigned long long ps = (unsigned long long)e->si.page_size;
	int mem = !!(p->have & OL_HAVE_MEM);

#define ADD_MEM(key, bytes, known) do { \
		json_object_object_add(t, key "_kb", (known) ? jint((long long)((bytes) / 1024)) : NULL); \
		json_object_object_add(t, key "_pages", (known) ? jint((long long)((bytes) / ps)) : NULL); \
	} while (0)
	ADD_MEM("anon", p->rss_anon, mem);
	ADD_MEM("file", p->rss_file, mem);
	ADD_MEM("shmem", p->rss_shmem, mem);
	ADD_MEM("rss", p->rss, !!(p->have & OL_HAVE_RSS));
	ADD_MEM("swap", p->swap, !!(p->have & OL_HAVE_SWAP));
	ADD_MEM("pgtables", p->pgtables, !!(p->have & OL_HAVE_PGTABLES));
	ADD_MEM("pmd", p->pgtables_pmd, !!(p->have & OL_HAVE_PMD));
#undef ADD_MEM
	json_object_object_add(t, "usage_pages", jint(b->usage));
	json_object_object_add(t, "totalpages", jint((long long)totalpages));
	json_object_object_add(t, "oom_score_adj", jint(p->oom_score_adj));
	json_object_object_add(t, "effective_adj", jint(b->adj_eff));
	json_object_object_add(t, "adj_unit", jint(b->adj_unit));
	json_object_object_add(t, "adj_pages", jint(b->adj_pages));
	json_object_object_add(t, "root_bonus", jint(b->root_bonus));
	json_object_object_add(t, "raw", b->killable ? jint(b->raw) : NULL);
	json_object_object_add(t, "clamped", json_object_new_boolean(b->clamped_low || b->clamped_high));
	return t;
}

static json_object *jproc_ref(const struct ol_proc *p, long points)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "pid", jint(p->pid));
	json_object_object_add(o, "comm", ol_json_string(p->comm));
	json_object_object_add(o, "badness", jint(points));
	return o;
}

/* ---- one process ---- */

static int explain_one(struct explain *e, struct ent *en)
{
	struct ol_proc *p = en->p;
	enum ol_unkillable why = ol_proc_killable(p);
	enum cause cause = en->cause;
	struct ol_badness base = { 0 }, wb = { 0 };
	struct ol_proc wp;
	struct memcg_view mv;
	struct ol_memcg m;
	enum ol_unkillable what_why = OL_KILLABLE;
	int have_base = 0, have_what = e->have_adj || e->have_rss;
	long what_rank = 0;
	char nb[128];

	if (en->have && en->b.killable) {
		struct ol_proc bp = *p;

		bp.oom_score_adj = 0;
		have_base = ol_proc_badness(&bp, &e->si, e->era, &base) == 0;
	}
	if (have_what) {
		wp = *p;
		if (e->have_adj)
			wp.oom_score_adj = e->what_adj;
		if (e->have_rss) {
			wp.rss = e->what_rss;
			wp.have &= ~OL_HAVE_MEM;
		}
		if (ol_proc_badness(&wp, &e->si, e->era, &wb) == 0)
			what_rank = rank_against(e, en, &wp, &wb);
		else
			have_what = 0;
		/* init, a kernel thread or a zombie stays unkillable whatever the adj */
		what_why = ol_proc_killable(&wp);
	}
	memcg_view(e, en, &mv);
	m = mv.m;

	if (e->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "pid", jint(p->pid));
		json_object_object_add(o, "comm", ol_json_string(p->comm));
		json_object_object_add(o, "oom_score", (p->have & OL_HAVE_SCORE) ? jint(p->oom_score) : NULL);
		json_object_object_add(o, "computed_oom_score",
				       en->have ? jint((long long)score_of(e, &en->b)) : NULL);
		json_object_object_add(o, "agreement", json_object_new_string(cause_key(cause)));
		json_object_object_add(o, "oom_score_adj", (p->have & OL_HAVE_ADJ) ? jint(p->oom_score_adj) : NULL);
		json_object_object_add(o, "oom_adj", (p->have & OL_HAVE_OOMADJ) ? jint(p->oom_adj) : NULL);
		json_object_object_add(o, "killable", json_object_new_boolean(why == OL_KILLABLE));
		json_object_object_add(o, "unkillable_reason",
				       why == OL_KILLABLE ? NULL : json_object_new_string(ol_unkillable_str(why)));
		json_object_object_add(o, "badness", en->have && en->b.killable ? jint(en->b.points) : NULL);
		json_object_object_add(o, "base_badness", have_base ? jint(base.points) : NULL);
		json_object_object_add(o, "base_oom_score", have_base ? jint((long long)score_of(e, &base)) : NULL);
		json_object_object_add(o, "totalpages", jint((long long)e->si.totalpages));
		json_object_object_add(o, "rank", en->rank ? jint(en->rank) : NULL);
		json_object_object_add(o, "killable_processes", jint((long long)e->nkillable));
		json_object_object_add(o, "terms", en->have ? jterms(e, p, &en->b, e->si.totalpages) : NULL);
		if (en->rank > 1) {
			for (size_t i = 0; i < e->pl.n; i++)
				if (e->order[i]->rank && e->order[i]->rank == en->rank - 1)
					json_object_object_add(o, "ahead", jproc_ref(e->order[i]->p, e->order[i]->b.points));
		}
		if (m.version) {
			json_object *jm = json_object_new_object();
			char *mp = ol_utf8_sanitize(m.path);

			json_object_object_add(jm, "version", jint(m.version));
			json_object_object_add(jm, "path", json_object_new_string(mp ? mp : ""));
			free(mp);
			json_object_object_add(jm, "limited", json_object_new_boolean(m.limited));
			json_object_object_add(jm, "limit_bytes", m.limited ? jint((long long)m.limit_bytes) : NULL);
			json_object_object_add(jm, "usage_bytes", m.limited ? jint((long long)m.usage_bytes) : NULL);
			json_object_object_add(jm, "swap_pages", m.limited ? jint((long long)m.swap_pages) : NULL);
			json_object_object_add(jm, "totalpages", m.limited ? jint((long long)m.totalpages) : NULL);
			json_object_object_add(jm, "oom_kill_disable", m.oom_kill_disable < 0 ? NULL :
					       json_object_new_boolean(m.oom_kill_disable));
			json_object_object_add(jm, "badness", mv.ok && mv.b.killable ? jint(mv.b.points) : NULL);
			json_object_object_add(jm, "rank", mv.ok && mv.b.killable ? jint(mv.rank) : NULL);
			json_object_object_add(jm, "processes", mv.ok && mv.b.killable ? jint(mv.count) : NULL);
			json_object_object_add(o, "memcg", jm);
		} else {
			json_object_object_add(o, "memcg", NULL);
		}
		if (have_what) {
			json_object *w = json_object_new_object();

			json_object_object_add(w, "oom_score_adj", jint(wp.oom_score_adj));
			json_object_object_add(w, "rss_bytes", jint((long long)wp.rss));
			json_object_object_add(w, "killable", json_object_new_boolean(wb.killable));
			json_object_object_add(w, "unkillable_reason", wb.killable ? NULL :
					       json_object_new_string(ol_unkillable_str(what_why)));
			json_object_object_add(w, "badness", wb.killable ? jint(wb.points) : NULL);
			json_object_object_add(w, "oom_score", jint((long long)score_of(e, &wb)));
			json_object_object_add(w, "rank", wb.killable ? jint(what_rank) : NULL);
			json_object_object_add(o, "what_if", w);
		}
		json_object_array_add(e->jarr, o);
		return 0;
	}

	name_of(p, nb, sizeof(nb));
	printf("%s", nb);
	if (p->have & OL_HAVE_UID)
		printf(", uid %u", (unsigned int)p->uid);
	printf("\n");
	if (why != OL_KILLABLE && why != OL_KILLABLE_UNKNOWN) {
		printf("  never killed by the OOM killer: %s\n", ol_unkillable_str(why));
		if (why == OL_UNKILLABLE_ADJ_MIN && have_what && wb.killable)
			; /* the what-if below shows what it would be */
		else if (!have_what) {
			printf("  oom_score  = 0 (kernel: %ld)\n\n", p->oom_score);
			return 0;
		}
	}
	if (!en->have && !have_what) {
		printf("  cannot compute: some of its /proc files were unreadable\n\n");
		return 0;
	}
	if (en->have && en->b.killable) {
		unsigned long long ps = (unsigned long long)e->si.page_size;

		/* the answer first, in words; the arithmetic follows */
		printf("  in short:  ");
		if (en->rank == 1)
			printf("the OOM killer would kill it first");
		else if (en->rank)
			printf("number %ld in line for the OOM killer, of %zu", en->rank, e->nkillable);
		if (en->b.adj_pages > 0 && en->b.points > 0)
			printf("; oom_score_adj %ld makes %.0f%% of its badness",
			       p->oom_score_adj, 100.0 * (double)en->b.adj_pages / (double)en->b.points);
		else if (en->b.adj_pages < 0)
			printf("; oom_score_adj %ld takes %ld pages off its badness",
			       p->oom_score_adj, -en->b.adj_pages);
		else
			printf("; its memory alone decides (oom_score_adj %ld)", p->oom_score_adj);
		printf("\n");

		printf("  memory the kernel counts              kB        pages\n");
		if (p->have & OL_HAVE_MEM) {
			print_pages_row(e, "anon (RssAnon)", p->rss_anon, 1);
			print_pages_row(e, "file (RssFile)", p->rss_file, 1);
			print_pages_row(e, "shmem (RssShmem)", p->rss_shmem, 1);
		} else {
			print_pages_row(e, "rss (VmRSS)", p->rss, 1);
		}
		print_pages_row(e, "swap (VmSwap)", p->swap, 1);
		print_pages_row(e, "page tables (VmPTE)", p->pgtables, 1);
		if (p->have & OL_HAVE_PMD)
			print_pages_row(e, "page tables (VmPMD)", p->pgtables_pmd, 1);
		printf("    %-22s %12s %12ld\n", "rss + swap + pgtables", "", en->b.usage);
		printf("  totalpages = MemTotal %llu kB + SwapTotal %llu kB, in %s pages = %lu\n",
		       e->si.mem_total_kb, e->si.swap_total_kb, kb_unit(e), e->si.totalpages);
		(void)ps;
		text_arith(e, &en->b, e->si.totalpages, "  ");
		text_score(e, &en->b);
		if (e->era_is_running)
			printf("  kernel says %ld: %s\n", p->oom_score, cause_str(cause));
		if (have_base) {
			printf("  without oom_score_adj: badness %ld, oom_score %lu (what its memory alone earns)\n",
			       base.points, score_of(e, &base));
		}
		text_rank(e, en);
	}
	text_memcg(e, en, &mv, &m);
	if (have_what) {
		printf("  what if");
		if (e->have_adj)
			printf(" oom_score_adj were %ld", e->what_adj);
		if (e->have_rss) {
			printf("%s rss were ", e->have_adj ? " and" : "");
			print_size(e->what_rss);
		}
		printf(":\n");
		if (!wb.killable) {
			printf("    never killed: %s\n", ol_unkillable_str(what_why));
		} else {
			text_arith(e, &wb, e->si.totalpages, "    ");
			printf("    oom_score %lu, rank %ld of %zu\n", score_of(e, &wb), what_rank,
			       e->nkillable + (en->rank ? 0 : 1));
		}
	}
	printf("\n");
	return 0;
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

static int count_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return n > 0 ? (int)n : 0;
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
	struct ol_scan_opts so = { 0 };
	const char *kernel = NULL, *rss_arg = NULL;
	int c, all = 0, history = 0, rc = OL_EXIT_FAIL, missing = 0;
	pid_t *pids = NULL;
	size_t npids = 0, i;

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
			/* bytes are reported as a signed 64-bit number (-J rss_bytes) */
			if (e.what_rss > (unsigned long long)LLONG_MAX) {
				rc = ol_usage_error(ctx, "size too large: '%s' (at most %lld bytes)",
						    optarg, LLONG_MAX);
				goto out;
			}
			rss_arg = optarg;
			e.have_rss = 1;
			break;
		case OPT_KERNEL:
			if (ol_era_from_release(optarg) == OL_ERA_UNKNOWN) {
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
		if (e.json) {
			json_object *root = json_object_new_object();

			json_object_object_add(root, "history", json_history());
			puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(root);
		} else {
			text_history();
		}
		rc = OL_EXIT_OK;
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
	e.era = ol_era_from_release(kernel ? kernel : e.si.release);
	e.era_is_running = e.era == ol_era_from_release(e.si.release) && e.era != OL_ERA_UNKNOWN;
	ties_last = ol_ties_go_last(kernel ? kernel : e.si.release);
	/* VmPMD counts from 4.0 (nr_pmds); 3.14 .. 3.19, the rest of its era, had PTEs only */
	e.count_pmd = e.era >= OL_ERA_D && !(kernel_at_least(kernel ? kernel : e.si.release, 3, 0) &&
					    !kernel_at_least(kernel ? kernel : e.si.release, 4, 0));
	if (e.era == OL_ERA_UNKNOWN) {
		ol_note("kernel release unknown; using the 5.9+ OOM heuristic (see --kernel)");
		e.era = OL_ERA_F;
	}
	if (e.era == OL_ERA_A) {
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
	e.ncpus = ol_root_is_live(&ctx->root) ? count_cpus() : 0;

	/* everything: ranking needs every process */
	so.read = OL_READ_STATUS | OL_READ_CAPS | OL_READ_STAT | OL_READ_OOM_SCORE | OL_READ_OOM_SCORE_ADJ |
		  OL_READ_OOM_ADJ | OL_READ_CGROUP;
	c = ol_scan(&ctx->root, &so, &e.pl);
	if (c < 0) {
		ol_warnx_errno(c, "cannot scan %s/proc", ctx->sysroot ? ctx->sysroot : "");
		goto out;
	}
	if (badness_all(&e) < 0) {
		ol_warn("out of memory");
		goto out;
	}
	for (i = 0; i < npids; i++) {
		size_t k;

		for (k = 0; k < e.pl.n && e.ents[k].p->pid != pids[i]; k++)
			;
		if (k == e.pl.n) {
			ol_warn("no such process: %d", (int)pids[i]);
			missing = 1;
			pids[i] = 0;
			continue;
		}
		e.ents[k].target = 1;
	}
	for (i = 0; i < e.pl.n; i++)
		if (all || e.ents[i].target)
			e.ents[i].cause = classify(&e, &e.ents[i]);
	rank_all(&e);
	if (history && !e.json)
		text_history();
	if (e.json)
		e.jarr = json_object_new_array();
	if (!e.json)
		printf("kernel %s: the OOM heuristic of %s kernels%s; RAM + swap = %lu pages of %ld bytes\n\n",
		       e.si.release[0] ? e.si.release : "(unknown)", ol_era_range(e.era),
		       kernel ? " (--kernel)" : "", e.si.totalpages, e.si.page_size);

	if (all) {
		for (i = 0; i < e.pl.n; i++) {
			struct ent *en = e.order[i];

			if (en->p->have & OL_HAVE_KTHREAD && en->p->kthread && !e.json)
				continue;
			explain_one(&e, en);
		}
	} else {
		for (i = 0; i < npids; i++) {
			size_t k;

			for (k = 0; pids[i] && k < e.pl.n && e.ents[k].p->pid != pids[i]; k++)
				;
			if (pids[i] && k < e.pl.n)
				explain_one(&e, &e.ents[k]);
		}
	}
	if (e.json) {
		json_object *root = json_object_new_object(), *sys = json_object_new_object();

		json_object_object_add(sys, "kernel", json_object_new_string(e.si.release));
		json_object_object_add(sys, "era", json_object_new_string(ol_era_range(e.era)));
		json_object_object_add(sys, "page_size", jint(e.si.page_size));
		json_object_object_add(sys, "mem_total_kb", jint((long long)e.si.mem_total_kb));
		json_object_object_add(sys, "swap_total_kb", jint((long long)e.si.swap_total_kb));
		json_object_object_add(sys, "totalpages", jint((long long)e.si.totalpages));
		json_object_object_add(sys, "killable_processes", jint((long long)e.nkillable));
		if (history)
			json_object_object_add(root, "history", json_history());
		json_object_object_add(root, "system", sys);
		json_object_object_add(root, "processes", e.jarr);
		e.jarr = NULL;
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	}
	rc = missing ? OL_EXIT_FAIL : OL_EXIT_OK;
out:
	if (e.jarr)
		json_object_put(e.jarr);
	free_caches();
	free(e.ents);
	free(e.order);
	free(pids);
	ol_proclist_free(&e.pl);
	return rc;
}
