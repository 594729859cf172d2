// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one model of the OOM killer: a kernel's rules, and a ranking engine
 * that every command asks.  See oomlens-kernel(7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/model.h"

/* ---- the kernel's rules ---- */

int ol_kernel_from_release(const char *release, struct ol_kernel *k)
{
	unsigned int maj = 0, min = 0;

	memset(k, 0, sizeof(*k));
	if (release)
		snprintf(k->release, sizeof(k->release), "%s", release);
	k->known = release && sscanf(release, "%u.%u", &maj, &min) == 2;
	k->era = k->known ? ol_era_from_release(release) : OL_ERA_UNKNOWN;
	if (!k->known || k->era == OL_ERA_UNKNOWN) {
		/* the one fallback: an unknown release follows the newest rules */
		k->known = 0;
		k->era = OL_ERA_F;
		k->ties_last = 1;
		k->count_pmd = 1;
		k->percpu_rss = 0;
		k->rss_from_stat = 0;
		return -EINVAL;
	}
	k->major = maj;
	k->minor = min;
	/* select_bad_process(): from 5.3 an equal candidate replaces the chosen one */
	k->ties_last = ol_kernel_at_least(k, 5, 3);
	/* nr_pmds (4.0 .. 4.14), then pgtables_bytes: VmPMD exists only there */
	k->count_pmd = ol_kernel_at_least(k, 4, 0);
	/*
	 * mm rss_stat became percpu_counters in 6.2, and oom_badness() read
	 * them fast until 7.0.  stat's rss is that same fast read, while
	 * status is precise from 6.16 (and in 6.12.y and 6.15.y updates):
	 * between 6.2 and 7.0 stat is the kernel's own number.
	 */
	k->percpu_rss = ol_kernel_at_least(k, 6, 2) && !ol_kernel_at_least(k, 7, 0);
	k->rss_from_stat = k->percpu_rss;
	/* fs/proc/base.c: oom_adj stored apart until 3.7; read capped from 5.14 */
	k->oom_adj_derived = ol_kernel_at_least(k, 3, 7);
	k->oom_adj_capped = ol_kernel_at_least(k, 5, 14);
	return 0;
}

int ol_kernel_oom_adj(const struct ol_kernel *k, long score_adj, long *oom_adj)
{
	if (!k->known || !k->oom_adj_derived ||
	    score_adj < OL_OOM_SCORE_ADJ_MIN || score_adj > OL_OOM_SCORE_ADJ_MAX)
		return -ENODATA;
	*oom_adj = ol_oom_adj_read((int)score_adj, k->oom_adj_capped);
	return 0;
}

unsigned int ol_kernel_needs(const struct ol_kernel *k)
{
	unsigned int need = OL_HAVE_RSS | OL_HAVE_MEM | OL_HAVE_SWAP | OL_HAVE_PGTABLES |
			    OL_HAVE_ADJ | OL_HAVE_MM | OL_HAVE_KTHREAD | OL_HAVE_START;

	if (k->count_pmd)
		need |= OL_HAVE_PMD;
	if (k->era >= OL_ERA_B && k->era <= OL_ERA_D)
		need |= OL_HAVE_CAPS;
	if (k->rss_from_stat)
		need |= OL_HAVE_STAT_RSS;
	return need;
}

int ol_kernel_at_least(const struct ol_kernel *k, unsigned int major, unsigned int minor)
{
	if (!k->known)
		return 1;
	return k->major > major || (k->major == major && k->minor >= minor);
}

long ol_kernel_slack(const struct ol_kernel *k, int ncpus)
{
	long batch;

	if (!k->percpu_rss || ncpus <= 0)
		return 0;
	/* percpu_counter_batch = max(32, 2 * num_online_cpus()); each CPU holds < batch */
	batch = ncpus * 2 > 32 ? ncpus * 2 : 32;
	return 4 * (batch - 1) * ncpus;
}

const char *ol_rss_source_str(enum ol_rss_source s)
{
	switch (s) {
	case OL_RSS_STATUS_SPLIT:	return "status RssAnon + RssFile + RssShmem";
	case OL_RSS_STATUS_VMRSS:	return "status VmRSS";
	case OL_RSS_STAT:		return "stat rss";
	default:			return "unknown";
	}
}

/* ---- one process ---- */

int ol_proc_terms(const struct ol_proc *p, const struct ol_kernel *k, long page_size,
		  struct ol_terms *t)
{
	unsigned long ps = (unsigned long)page_size;

	memset(t, 0, sizeof(*t));
	if (!(p->have & OL_HAVE_RSS) || !(p->have & OL_HAVE_ADJ) ||
	    !(p->have & OL_HAVE_SWAP) || !(p->have & OL_HAVE_PGTABLES) || !ps)
		return -ENODATA;
	/* eras B..D give CAP_SYS_ADMIN a bonus: it must be known there */
	if (k->era >= OL_ERA_B && k->era <= OL_ERA_D && !(p->have & OL_HAVE_CAPS))
		return -ENODATA;
	if (p->have & OL_HAVE_MEM) {
		/* the kernel counts pages; status says kB, so whole pages are exact */
		t->anon_pages = (unsigned long)(p->rss_anon / ps);
		t->file_pages = (unsigned long)(p->rss_file / ps);
		t->shmem_pages = (unsigned long)(p->rss_shmem / ps);
		t->have_split = 1;
		t->rss_pages = t->anon_pages + t->file_pages + t->shmem_pages;
		t->rss_source = OL_RSS_STATUS_SPLIT;
	} else {
		t->rss_pages = (unsigned long)(p->rss / ps);
		t->rss_source = OL_RSS_STATUS_VMRSS;
	}
	if (k->rss_from_stat && (p->have & OL_HAVE_STAT_RSS) && p->has_mm) {
		t->rss_pages = p->rss_stat_pages;
		t->rss_source = OL_RSS_STAT;
	}
	t->swap_pages = (unsigned long)(p->swap / ps);
	/* pgtables_bytes / PAGE_SIZE; VmPTE is pgtables_bytes >> 10 */
	t->pgtables_pages = (unsigned long)(p->pgtables / ps);
	if ((p->have & OL_HAVE_PMD) && k->count_pmd && k->era >= OL_ERA_D) {
		t->pmd_pages = (unsigned long)(p->pgtables_pmd / ps);
		t->pgtables_pages += t->pmd_pages;
	}
	t->adj = p->oom_score_adj;
	t->cap_sys_admin = !!(p->cap_eff & (1ull << 21));	/* CAP_SYS_ADMIN */
	return 0;
}

int ol_proc_badness_k(const struct ol_proc *p, const struct ol_kernel *k, long page_size,
		      unsigned long totalpages, struct ol_terms *t, struct ol_badness *out)
{
	struct ol_badness_in in = { 0 };
	struct ol_terms tl;
	int rc;

	if (!t)
		t = &tl;
	memset(out, 0, sizeof(*out));
	out->era = k->era;
	rc = ol_proc_terms(p, k, page_size, t);
	if (rc < 0)
		return rc;
	in.rss = t->rss_pages;
	in.swap = t->swap_pages;
	in.pgtables = t->pgtables_pages;
	in.adj = t->adj;
	in.totalpages = totalpages;
	in.cap_sys_admin = t->cap_sys_admin;
	rc = ol_badness(k->era, &in, out);
	if (rc == 0 && out->killable) {
		enum ol_unkillable why = ol_proc_killable(p);

		if (why != OL_KILLABLE && why != OL_KILLABLE_UNKNOWN) {
			/* oom_unkillable_task(), no mm: LONG_MIN (0 before 5.9) */
			out->killable = 0;
			out->points = out->raw = k->era == OL_ERA_F ? LONG_MIN : 0;
		}
	}
	return rc;
}

int ol_rank_cmp_points(long pa, long pb, int a_found_later, int ties_last)
{
	if (pa != pb)
		return pa > pb ? -1 : 1;
	/*
	 * Ties: the scan runs in creation order; from 5.3 the kernel keeps
	 * the last task it found, before the first.
	 */
	return (a_found_later == ties_last) ? -1 : 1;
}

int ol_rank_cmp_ties(const struct ol_proc *a, const struct ol_badness *ba, int ka,
		     const struct ol_proc *b, const struct ol_badness *bb, int kb,
		     int ties_last)
{
	int ra = ka ? (ba->killable ? 0 : 2) : 1;
	int rb = kb ? (bb->killable ? 0 : 2) : 1;
	int later;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra != 0)
		return a->pid < b->pid ? -1 : a->pid > b->pid;
	/* the younger is found later; without start times, the higher pid */
	if ((a->have & b->have & OL_HAVE_START) && a->starttime != b->starttime)
		later = a->starttime > b->starttime;
	else if (a->pid != b->pid)
		later = a->pid > b->pid;
	else
		return ba->points == bb->points ? 0 : ba->points > bb->points ? -1 : 1;
	return ol_rank_cmp_points(ba->points, bb->points, later, ties_last);
}

/* ---- a ranked set ---- */

struct member {
	size_t i;			/* index into the model's processes */
	struct ol_badness b;
	int have;
};

/* Killable members of one scope in the kernel's order. */
struct ranking {
	struct member *v;
	size_t n;
	long *pos;			/* by process index: its place in v, -1 if none */
};

struct domain {
	char *cgpath;			/* a process's cgroup path */
	int ok;				/* ol_memcg_domain() succeeded */
	struct ol_memcg m;		/* its limiting memcg */
	struct ranking *r;		/* that memcg's ranking, shared by its members' domains */
};

struct ol_model {
	const struct ol_root *root;
	struct ol_sysinfo si;
	struct ol_kernel k;
	int ncpus;
	long slack;
	unsigned long totalpages;
	const struct ol_proc **procs;
	struct ol_rank *ranks;
	size_t *order;
	size_t n;
	struct domain *doms;
	size_t ndoms;
	struct ranking **rankings;	/* owned; one per distinct limiting memcg */
	char **rank_paths;
	int *rank_versions;
	size_t nrankings;
};

struct ol_model *ol_model_new(const struct ol_root *root, const struct ol_sysinfo *si,
			      const struct ol_model_opts *opts)
{
	struct ol_model *m = calloc(1, sizeof(*m));
	const char *rel = opts && opts->release ? opts->release : si->release;

	if (!m)
		return NULL;
	m->root = root;
	m->si = *si;
	ol_kernel_from_release(rel, &m->k);
	m->ncpus = opts && opts->ncpus ? opts->ncpus : si->ncpus;
	m->slack = ol_kernel_slack(&m->k, m->ncpus);
	m->totalpages = opts && opts->totalpages ? opts->totalpages : si->totalpages;
	return m;
}

static void free_rankings(struct ol_model *m)
{
	size_t i;

	for (i = 0; i < m->ndoms; i++)
		free(m->doms[i].cgpath);
	for (i = 0; i < m->nrankings; i++) {
		free(m->rankings[i]->pos);
		free(m->rankings[i]->v);
		free(m->rankings[i]);
		free(m->rank_paths[i]);
	}
	free(m->doms);
	free(m->rankings);
	free(m->rank_paths);
	free(m->rank_versions);
	m->doms = NULL;
	m->rankings = NULL;
	m->rank_paths = NULL;
	m->rank_versions = NULL;
	m->ndoms = m->nrankings = 0;
}

void ol_model_free(struct ol_model *m)
{
	if (!m)
		return;
	free_rankings(m);
	free(m->procs);
	free(m->ranks);
	free(m->order);
	free(m);
}

const struct ol_kernel *ol_model_kernel(const struct ol_model *m)
{
	return &m->k;
}

long ol_model_slack(const struct ol_model *m)
{
	return m->slack;
}

size_t ol_model_count(const struct ol_model *m)
{
	return m->n;
}

const struct ol_rank *ol_model_get(const struct ol_model *m, size_t i)
{
	return &m->ranks[i];
}

const struct ol_proc *ol_model_proc(const struct ol_model *m, size_t i)
{
	return m->procs[i];
}

size_t ol_model_order(const struct ol_model *m, size_t k)
{
	return m->order[k];
}

long ol_model_at_rank(const struct ol_model *m, long rank)
{
	if (rank < 1 || (size_t)rank > m->n || !m->ranks[m->order[rank - 1]].rank)
		return -1;
	return (long)m->order[rank - 1];
}

static double share_of(const struct ol_badness *b, unsigned long totalpages)
{
	if (!b->killable || !totalpages)
		return 0;
	/* 2.6.36 .. 3.4 count points out of 1000 already */
	if (b->era == OL_ERA_B)
		return (double)b->points / 10.0;
	return (double)b->points * 100.0 / (double)totalpages;
}

/* Score, share and killability of one process in a scope of @totalpages. */
static void rank_fill(const struct ol_model *m, const struct ol_proc *p, unsigned long totalpages,
		      struct ol_rank *r)
{
	memset(r, 0, sizeof(*r));
	r->why = ol_proc_killable(p);
	r->totalpages = totalpages;
	r->have = ol_proc_badness_k(p, &m->k, m->si.page_size, totalpages, &r->t, &r->b) == 0;
	r->oom_score = r->have ? (long)ol_oom_score(m->k.era, r->b.points, r->b.killable,
						    m->si.totalpages) : -1;
	r->share = r->have ? share_of(&r->b, totalpages) : 0;
	r->lead = -1;
}

static const struct ol_model *sort_model;

static int order_cmp(const void *x, const void *y)
{
	const struct ol_model *m = sort_model;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	return ol_rank_cmp_ties(m->procs[a], &m->ranks[a].b, m->ranks[a].have,
				m->procs[b], &m->ranks[b].b, m->ranks[b].have, m->k.ties_last);
}

static int member_cmp(const void *x, const void *y)
{
	const struct ol_model *m = sort_model;
	const struct member *a = x, *b = y;

	return ol_rank_cmp_ties(m->procs[a->i], &a->b, a->have,
				m->procs[b->i], &b->b, b->have, m->k.ties_last);
}

/* Leads and near-ties along an order of killable badnesses. */
static void mark_leads(long slack, const long *points, size_t n, long *lead, int *near)
{
	size_t k;

	for (k = 0; k < n; k++) {
		lead[k] = k + 1 < n ? points[k] - points[k + 1] : -1;
		near[k] = (k + 1 < n && lead[k] < slack) || (k > 0 && points[k - 1] - points[k] < slack);
	}
}

static void rank_global(struct ol_model *m)
{
	size_t k, nk = 0;
	long *pts, *lead;
	int *near;

	sort_model = m;
	qsort(m->order, m->n, sizeof(*m->order), order_cmp);
	for (k = 0; k < m->n; k++) {
		struct ol_rank *r = &m->ranks[m->order[k]];

		if (r->have && r->b.killable)
			r->rank = (long)++nk;
	}
	pts = calloc(nk ? nk : 1, sizeof(*pts));
	lead = calloc(nk ? nk : 1, sizeof(*lead));
	near = calloc(nk ? nk : 1, sizeof(*near));
	for (k = 0; k < m->n; k++)
		m->ranks[m->order[k]].candidates = (long)nk;
	if (pts && lead && near) {
		for (k = 0; k < nk; k++)
			pts[k] = m->ranks[m->order[k]].b.points;
		mark_leads(m->slack, pts, nk, lead, near);
		for (k = 0; k < nk; k++) {
			m->ranks[m->order[k]].lead = lead[k];
			m->ranks[m->order[k]].near_tie = near[k];
		}
	}
	free(pts);
	free(lead);
	free(near);
}

int ol_model_rank(struct ol_model *m, const struct ol_proc *procs, size_t n)
{
	size_t i, cap = n ? n : 1;

	free_rankings(m);
	free(m->procs);
	free(m->ranks);
	free(m->order);
	m->n = 0;
	m->procs = calloc(cap, sizeof(*m->procs));
	m->ranks = calloc(cap, sizeof(*m->ranks));
	m->order = calloc(cap, sizeof(*m->order));
	if (!m->procs || !m->ranks || !m->order)
		return -ENOMEM;
	m->n = n;
	for (i = 0; i < n; i++) {
		m->procs[i] = &procs[i];
		m->order[i] = i;
		rank_fill(m, &procs[i], m->totalpages, &m->ranks[i]);
	}
	rank_global(m);
	return 0;
}

int ol_model_replace(struct ol_model *m, size_t i, const struct ol_proc *p)
{
	size_t k;

	if (i >= m->n)
		return -EINVAL;
	free_rankings(m);
	m->procs[i] = p;
	rank_fill(m, p, m->totalpages, &m->ranks[i]);
	for (k = 0; k < m->n; k++) {
		m->ranks[k].rank = 0;
		m->ranks[k].near_tie = 0;
		m->ranks[k].lead = -1;
	}
	rank_global(m);
	return 0;
}

int ol_model_what_if(const struct ol_model *m, long self, const struct ol_proc *p,
		     struct ol_rank *out)
{
	size_t i;
	long ahead = 0;

	rank_fill(m, p, m->totalpages, out);
	out->candidates = 0;
	for (i = 0; i < m->n; i++) {
		const struct ol_rank *o = &m->ranks[i];

		if ((long)i == self || !o->have || !o->b.killable)
			continue;
		out->candidates++;
		if (out->have && out->b.killable &&
		    ol_rank_cmp_ties(m->procs[i], &o->b, 1, p, &out->b, 1, m->k.ties_last) < 0)
			ahead++;
	}
	if (out->have && out->b.killable) {
		out->candidates++;
		out->rank = ahead + 1;
	}
	return 0;
}

/* ---- memory cgroups ---- */

static const char *cg_key(const struct ol_proc *p)
{
	if (!(p->have & OL_HAVE_CGROUP))
		return NULL;
	return p->cgroup[0] ? p->cgroup : p->cgroup_unified;
}

static struct domain *domain_of(struct ol_model *m, size_t i)
{
	const struct ol_proc *p = m->procs[i];
	const char *key = cg_key(p);
	struct domain *nd, *d;
	size_t k;

	if (!key || !m->root)
		return NULL;
	for (k = 0; k < m->ndoms; k++)
		if (strcmp(m->doms[k].cgpath, key) == 0)
			return &m->doms[k];
	nd = realloc(m->doms, (m->ndoms + 1) * sizeof(*nd));
	if (!nd)
		return NULL;
	m->doms = nd;
	d = &nd[m->ndoms];
	memset(d, 0, sizeof(*d));
	d->cgpath = strdup(key);
	if (!d->cgpath)
		return NULL;
	d->ok = ol_memcg_domain(m->root, p, &m->si, &d->m) == 0;
	m->ndoms++;
	return d;
}

static struct ranking *build_ranking(struct ol_model *m, const struct ol_memcg *mc)
{
	struct ranking *r = calloc(1, sizeof(*r));
	size_t i;

	if (!r)
		return NULL;
	r->v = calloc(m->n ? m->n : 1, sizeof(*r->v));
	r->pos = malloc((m->n ? m->n : 1) * sizeof(*r->pos));
	if (!r->v || !r->pos) {
		free(r->v);
		free(r->pos);
		free(r);
		return NULL;
	}
	for (i = 0; i < m->n; i++) {
		struct member *x = &r->v[r->n];

		if (!ol_memcg_contains(mc, m->procs[i]))
			continue;
		x->i = i;
		x->have = ol_proc_badness_k(m->procs[i], &m->k, m->si.page_size, mc->totalpages,
					    NULL, &x->b) == 0;
		if (x->have && x->b.killable)
			r->n++;
	}
	sort_model = m;
	qsort(r->v, r->n, sizeof(*r->v), member_cmp);
	for (i = 0; i < m->n; i++)
		r->pos[i] = -1;
	for (i = 0; i < r->n; i++)
		r->pos[r->v[i].i] = (long)i;
	return r;
}

static struct ranking *ranking_of(struct ol_model *m, const struct ol_memcg *mc)
{
	struct ranking **nr, *r;
	char **np;
	int *nv;
	size_t k;

	for (k = 0; k < m->nrankings; k++)
		if (m->rank_versions[k] == mc->version && strcmp(m->rank_paths[k], mc->path) == 0)
			return m->rankings[k];
	nr = realloc(m->rankings, (m->nrankings + 1) * sizeof(*nr));
	if (nr)
		m->rankings = nr;
	np = realloc(m->rank_paths, (m->nrankings + 1) * sizeof(*np));
	if (np)
		m->rank_paths = np;
	nv = realloc(m->rank_versions, (m->nrankings + 1) * sizeof(*nv));
	if (nv)
		m->rank_versions = nv;
	if (!nr || !np || !nv)
		return NULL;
	r = build_ranking(m, mc);
	np[m->nrankings] = strdup(mc->path);
	if (!r || !np[m->nrankings]) {
		if (r) {
			free(r->v);
			free(r->pos);
		}
		free(r);
		free(np[m->nrankings]);
		return NULL;
	}
	nv[m->nrankings] = mc->version;
	nr[m->nrankings++] = r;
	return r;
}

/* Rank, lead and near-tie of member @i in @r. */
static void place_in(const struct ol_model *m, const struct ranking *r, size_t i,
		     struct ol_rank *out)
{
	long k = r->pos[i];

	out->candidates = (long)r->n;
	if (k < 0)
		return;
	out->rank = k + 1;
	out->lead = (size_t)k + 1 < r->n ? r->v[k].b.points - r->v[k + 1].b.points : -1;
	out->near_tie = ((size_t)k + 1 < r->n && out->lead < m->slack) ||
			(k > 0 && r->v[k - 1].b.points - r->v[k].b.points < m->slack);
}

int ol_model_memcg(struct ol_model *m, size_t i, struct ol_memcg_rank *out)
{
	struct domain *d;
	struct ranking *r;

	memset(out, 0, sizeof(*out));
	if (i >= m->n)
		return -EINVAL;
	d = domain_of(m, i);
	if (!d || !d->ok || !d->m.version)
		return -ENODATA;
	out->found = 1;
	out->m = d->m;
	out->limited = d->m.limited;
	if (!d->m.limited)
		return 0;
	rank_fill(m, m->procs[i], d->m.totalpages, &out->r);
	out->r.oom_score = m->ranks[i].oom_score;	/* /proc shows the global one */
	if (!out->r.have || !out->r.b.killable)
		return 0;
	r = d->r ? d->r : (d->r = ranking_of(m, &d->m));
	if (!r)
		return -ENOMEM;
	place_in(m, r, i, &out->r);
	if (r->n)
		out->first = r->v[0].i;
	return 0;
}
