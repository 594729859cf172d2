// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <sys/types.h>

#include "oomlens/snapshot.h"

const char *ol_change_type_str(enum ol_change_type t)
{
	static const char *const s[] = {
		"first_in_line", "became_unkillable", "became_killable", "adj_changed",
		"appeared", "left", "score_changed", "rank_changed", "sysctl_changed",
		"totalpages_changed",
	};

	return t < OL_CH_NTYPES ? s[t] : "unknown";
}

/* (pid, start time) -> index, open addressing: matching is O(n), not O(n^2). */
struct idx {
	size_t *slot;	/* index + 1, 0 empty */
	size_t mask;
};

/*
 * Seeded once a run, so that no file can be made of keys that all land in
 * one chain (the loader already refuses two rows with the same key).
 */
static uint64_t key_seed(void)
{
	static uint64_t seed;

	if (!seed && getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed))
		seed = (uint64_t)(uintptr_t)&seed ^ (uint64_t)time(NULL) * 0xff51afd7ed558ccdULL;
	return seed | 1;
}

static uint64_t key_hash(long pid, long long start)
{
	uint64_t h = ((uint64_t)pid ^ key_seed()) * 0x9e3779b97f4a7c15ULL;

	h ^= (uint64_t)start * 0xc2b2ae3d27d4eb4fULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

static int idx_build(struct idx *x, const struct ol_snapshot *s)
{
	size_t cap = 16, i;

	while (cap < s->n * 2)
		cap *= 2;
	x->slot = calloc(cap, sizeof(*x->slot));
	if (!x->slot)
		return -ENOMEM;
	x->mask = cap - 1;
	for (i = 0; i < s->n; i++) {
		size_t h = (size_t)key_hash(s->procs[i].pid, s->procs[i].starttime) & x->mask;

		while (x->slot[h])
			h = (h + 1) & x->mask;
		x->slot[h] = i + 1;
	}
	return 0;
}

static const struct ol_snap_proc *idx_find(const struct idx *x, const struct ol_snapshot *s,
					   long pid, long long start)
{
	size_t h = (size_t)key_hash(pid, start) & x->mask;

	while (x->slot[h]) {
		const struct ol_snap_proc *p = &s->procs[x->slot[h] - 1];

		if (p->pid == pid && p->starttime == start)
			return p;
		h = (h + 1) & x->mask;
	}
	return NULL;
}

static int add(struct ol_diff *d, enum ol_change_type t, const struct ol_snap_proc *o,
	       const struct ol_snap_proc *n, long long ov, long long nv)
{
	struct ol_change *c;

	if (!(d->n & (d->n + 1)) || d->n == 0) {	/* grow at powers of two */
		c = realloc(d->v, (d->n * 2 + 16) * sizeof(*c));
		if (!c)
			return -ENOMEM;
		d->v = c;
	}
	c = &d->v[d->n++];
	memset(c, 0, sizeof(*c));
	c->type = t;
	c->old = o;
	c->new = n;
	c->old_value = ov;
	c->new_value = nv;
	d->count[t]++;
	return 0;
}

static int unkillable(const struct ol_snap_proc *p)
{
	return ((p->have & OL_SNAP_ADJ) && p->oom_score_adj == -1000) ||
	       ((p->have & OL_SNAP_OOMADJ) && p->oom_adj == -17);
}

static const struct ol_snap_proc *first(const struct ol_snapshot *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->procs[i].rank == 1)
			return &s->procs[i];
	return NULL;
}

static int cmp_change(const void *x, const void *y)
{
	const struct ol_change *a = x, *b = y;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	/* within a type: the biggest move first, then by pid */
	long long da = llabs(a->new_value - a->old_value), db = llabs(b->new_value - b->old_value);

	if (da != db)
		return da > db ? -1 : 1;
	long pa = a->new ? a->new->pid : a->old ? a->old->pid : 0;
	long pb = b->new ? b->new->pid : b->old ? b->old->pid : 0;

	return pa < pb ? -1 : pa > pb;
}

int ol_snapshot_diff(const struct ol_snapshot *old, const struct ol_snapshot *new,
		     long threshold, long top, struct ol_diff *d)
{
	struct idx xo = { 0 }, xn = { 0 };
	const struct ol_snap_proc *fo, *fn;
	int rc = -ENOMEM;
	size_t i;

	memset(d, 0, sizeof(*d));
	if (idx_build(&xo, old) < 0 || idx_build(&xn, new) < 0)
		goto out;

	fo = first(old);
	fn = first(new);
	if ((fo || fn) && (!fo || !fn || fo->pid != fn->pid || fo->starttime != fn->starttime))
		if (add(d, OL_CH_FIRST_IN_LINE, fo, fn, 0, 0) < 0)
			goto out;

	for (i = 0; i < new->n; i++) {
		const struct ol_snap_proc *n = &new->procs[i];
		const struct ol_snap_proc *o = idx_find(&xo, old, n->pid, n->starttime);

		if (!o) {
			d->appeared++;
			if ((n->rank && n->rank <= top) || unkillable(n))
				if (add(d, OL_CH_APPEARED, NULL, n, 0, n->oom_score) < 0)
					goto out;
			continue;
		}
		d->matched++;
		if (!unkillable(o) && unkillable(n)) {
			if (add(d, OL_CH_BECAME_UNKILLABLE, o, n, o->oom_score_adj, n->oom_score_adj) < 0)
				goto out;
		} else if (unkillable(o) && !unkillable(n)) {
			if (add(d, OL_CH_BECAME_KILLABLE, o, n, o->oom_score_adj, n->oom_score_adj) < 0)
				goto out;
		} else if ((o->have & n->have & OL_SNAP_ADJ) && o->oom_score_adj != n->oom_score_adj) {
			if (add(d, OL_CH_ADJ, o, n, o->oom_score_adj, n->oom_score_adj) < 0)
				goto out;
		}
		/* "at least @threshold points": 0 reports every move, as 1 does */
		if ((o->have & n->have & OL_SNAP_SCORE) && n->oom_score != o->oom_score &&
		    llabs((long long)n->oom_score - o->oom_score) >= threshold)
			if (add(d, OL_CH_SCORE, o, n, o->oom_score, n->oom_score) < 0)
				goto out;
		if (o->rank != n->rank && ((o->rank && o->rank <= top) || (n->rank && n->rank <= top)))
			if (add(d, OL_CH_RANK, o, n, o->rank, n->rank) < 0)
				goto out;
	}
	for (i = 0; i < old->n; i++) {
		const struct ol_snap_proc *o = &old->procs[i];

		if (idx_find(&xn, new, o->pid, o->starttime))
			continue;
		d->left++;
		if ((o->rank && o->rank <= top) || unkillable(o))
			if (add(d, OL_CH_LEFT, o, NULL, o->oom_score, 0) < 0)
				goto out;
	}
	{
		const long *a[] = { &old->sysctl.overcommit_memory, &old->sysctl.overcommit_ratio,
				    &old->sysctl.panic_on_oom, &old->sysctl.oom_kill_allocating_task,
				    &old->sysctl.oom_dump_tasks };
		const long *b[] = { &new->sysctl.overcommit_memory, &new->sysctl.overcommit_ratio,
				    &new->sysctl.panic_on_oom, &new->sysctl.oom_kill_allocating_task,
				    &new->sysctl.oom_dump_tasks };

		for (i = 0; i < 5; i++) {
			if (!(old->sysctl.have & new->sysctl.have & (1u << i)) || *a[i] == *b[i])
				continue;
			if (add(d, OL_CH_SYSCTL, NULL, NULL, *a[i], *b[i]) < 0)
				goto out;
			d->v[d->n - 1].sysctl = ol_snap_bounds[OL_SF_SYSCTL + i].name;
		}
	}
	if (old->totalpages != new->totalpages)
		if (add(d, OL_CH_TOTALPAGES, NULL, NULL, (long long)old->totalpages,
			(long long)new->totalpages) < 0)
			goto out;
	if (d->n)
		qsort(d->v, d->n, sizeof(*d->v), cmp_change);
	rc = 0;
out:
	free(xo.slot);
	free(xn.slot);
	if (rc < 0)
		ol_diff_free(d);
	return rc;
}

void ol_diff_free(struct ol_diff *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}
