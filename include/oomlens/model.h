/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_MODEL_H
#define OOMLENS_MODEL_H

/*
 * The one model of the OOM killer that every command asks: which kernel
 * rules apply (era, tie rule, which counters it reads), and how a set of
 * processes ranks under them, globally and inside each process's limiting
 * memory cgroup.  See oomlens-kernel(7).
 */

#include <stddef.h>

#include "badness.h"
#include "memcg.h"
#include "proc.h"
#include "root.h"
#include "sysinfo.h"

/* What a kernel release says about its OOM killer. */
struct ol_kernel {
	char release[128];	/* as given; "" when unknown */
	int known;		/* the release parsed as MAJOR.MINOR */
	unsigned int major, minor;
	enum ol_era era;	/* the formula; OL_ERA_F when the release is unknown */
	int ties_last;		/* the last of equal candidates wins (5.3+), else the first */
	int count_pmd;		/* page tables count nr_pmds too (4.0 .. 4.14) */
	int percpu_rss;		/* 6.2 .. 6.19: oom_badness() reads per-CPU counters' fast value */
	int rss_from_stat;	/* the same: stat's rss is that read (status is precise from 6.16) */
	int oom_adj_derived;	/* 3.7+: oom_adj is computed from oom_score_adj, not stored */
	int oom_adj_capped;	/* 5.14+: that computation caps at 15 */
};

/*
 * The rules of @release (NULL or "" for unknown).  An unknown or
 * unparsable release gets the newest rules (5.9+ formula, 5.3+ ties, exact
 * counters) and returns -EINVAL; 0 otherwise.  The one place that fallback
 * is decided.
 */
int ol_kernel_from_release(const char *release, struct ol_kernel *k);

/*
 * The OL_HAVE_* fields of a process that badness, killability and the tie
 * rule need under @k's rules.
 */
unsigned int ol_kernel_needs(const struct ol_kernel *k);

/*
 * The legacy oom_adj that /proc/PID/oom_adj reads on @k for @score_adj.
 * Returns 0, or -ENODATA where @k stores oom_adj apart (before 3.7) or
 * the release is unknown: read the file there.
 */
int ol_kernel_oom_adj(const struct ol_kernel *k, long score_adj, long *oom_adj);

/* Whether @k is at least MAJOR.MINOR (an unknown release is the newest). */
int ol_kernel_at_least(const struct ol_kernel *k, unsigned int major, unsigned int minor);

/*
 * The pages a lead must exceed to be certain on @k with @ncpus CPUs: the
 * most that the fast per-CPU counters oom_badness() reads (anon, file,
 * shmem, swap entries) may differ from the exact sums, batch - 1 per CPU
 * each, batch = max(32, 2 * ncpus).  0 where the kernel reads exact counters
 * (before 6.2, and from 7.0) or @ncpus is unknown.  oomlens-kernel(7).
 */
long ol_kernel_slack(const struct ol_kernel *k, int ncpus);

/* Where the rss a model uses comes from (ol_rank.rss_source). */
enum ol_rss_source {
	OL_RSS_NONE = 0,
	OL_RSS_STATUS_SPLIT,	/* RssAnon + RssFile + RssShmem (4.5+) */
	OL_RSS_STATUS_VMRSS,	/* VmRSS (before 4.5) */
	OL_RSS_STAT,		/* /proc/PID/stat field 24: the kernel's approximate read */
};
const char *ol_rss_source_str(enum ol_rss_source s);

/* The badness inputs of a process under a kernel's rules, in pages. */
struct ol_terms {
	enum ol_rss_source rss_source;
	unsigned long rss_pages;	/* what oom_badness() counts as rss */
	unsigned long anon_pages, file_pages, shmem_pages;	/* status's split, when known */
	int have_split;
	unsigned long swap_pages;
	unsigned long pgtables_pages;	/* VmPTE (+ VmPMD on 4.0 .. 4.14) */
	unsigned long pmd_pages;	/* VmPMD counted in pgtables_pages */
	long adj;
	int cap_sys_admin;
};

/*
 * The terms of @p under @k's rules.  Returns 0, or -ENODATA when a field
 * oom_badness() needs is unknown.
 */
int ol_proc_terms(const struct ol_proc *p, const struct ol_kernel *k, long page_size,
		  struct ol_terms *t);

/*
 * The badness of @p for an OOM whose totalpages is @totalpages under @k:
 * the terms, then oom_badness(), with the unkillable (init, kernel
 * threads, no mm) made so.  0, -ENODATA (a needed field unknown), -EINVAL
 * (an era that cannot be computed) or -ERANGE (values no kernel holds).
 */
int ol_proc_badness_k(const struct ol_proc *p, const struct ol_kernel *k, long page_size,
		      unsigned long totalpages, struct ol_terms *t, struct ol_badness *out);

/* One process as a model ranks it in one scope (global, or a memcg). */
struct ol_rank {
	int have;			/* badness known */
	enum ol_unkillable why;		/* OL_KILLABLE, or why the OOM killer skips it */
	struct ol_terms t;
	struct ol_badness b;
	unsigned long totalpages;	/* the scope's */
	long oom_score;			/* /proc/PID/oom_score as computed (global scope); -1 unknown */
	double share;			/* badness as a percentage of totalpages; 0 when not killable */
	long rank;			/* 1-based among the killable in the scope; 0 when not ranked */
	long candidates;		/* killable processes in the scope */
	long lead;			/* points over the next in line; -1 for the last */
	int near_tie;			/* a neighbour is within the counters' slack */
};

/* A process's view of its limiting memory cgroup. */
struct ol_memcg_rank {
	int found;			/* a memory cgroup was found (m.version != 0) */
	int limited;			/* a limit applies somewhere up to the root */
	struct ol_memcg m;
	struct ol_rank r;		/* ranked against m.totalpages among m's members */
	size_t first;			/* index of the first in line there (when r.candidates) */
};

struct ol_model_opts {
	const char *release;		/* NULL: the system's (si->release) */
	int ncpus;			/* 0: si->ncpus */
	unsigned long totalpages;	/* 0: si->totalpages */
};

struct ol_model;

/*
 * A model of the OOM killer for processes read from @root (its memory
 * cgroups are read from @root's /sys; NULL: no memcg views) with @si's
 * totals.  NULL on ENOMEM.
 */
struct ol_model *ol_model_new(const struct ol_root *root, const struct ol_sysinfo *si,
			      const struct ol_model_opts *opts);
void ol_model_free(struct ol_model *m);
const struct ol_kernel *ol_model_kernel(const struct ol_model *m);
long ol_model_slack(const struct ol_model *m);

/*
 * Rank @n processes in a global OOM.  The model keeps pointers to @procs,
 * which must outlive it (or the next ol_model_rank()).  0 or -ENOMEM.
 */
int ol_model_rank(struct ol_model *m, const struct ol_proc *procs, size_t n);
size_t ol_model_count(const struct ol_model *m);
const struct ol_rank *ol_model_get(const struct ol_model *m, size_t i);
const struct ol_proc *ol_model_proc(const struct ol_model *m, size_t i);
/* The index of the @k-th process in the kernel's order (killable first). */
size_t ol_model_order(const struct ol_model *m, size_t k);
/* The index of the process at @rank (1-based) in the global order; -1 if none. */
long ol_model_at_rank(const struct ol_model *m, long rank);

/*
 * Replace process @i by @p (a fresh read of the same pid) and rank again.
 * 0 or -ENOMEM.
 */
int ol_model_replace(struct ol_model *m, size_t i, const struct ol_proc *p);

/*
 * Process @i in its limiting memory cgroup: the group, its badness against
 * the group's totalpages, and its rank among the group's members.  Memcgs
 * and their rankings are cached.  0, -ENODATA (cgroup unknown, or no
 * memory controller) or -ENOMEM.
 */
int ol_model_memcg(struct ol_model *m, size_t i, struct ol_memcg_rank *out);

/*
 * @p (a what-if copy of process @self, or of no process when @self is -1)
 * ranked globally against the others, which keep their places.
 */
int ol_model_what_if(const struct ol_model *m, long self, const struct ol_proc *p,
		     struct ol_rank *out);

/*
 * The kernel's order of two candidates: killable by badness, highest first;
 * then unknown badness; then the unkillable, by pid.  Ties go to the
 * process the scan (creation order) finds last when @ties_last, else first.
 * qsort-style.
 */
int ol_rank_cmp_ties(const struct ol_proc *a, const struct ol_badness *ba, int ka,
		     const struct ol_proc *b, const struct ol_badness *bb, int kb,
		     int ties_last);

/*
 * The same order for two killable candidates by their badness @pa, @pb and
 * whether @a was found later in the scan than @b.
 */
int ol_rank_cmp_points(long pa, long pb, int a_found_later, int ties_last);

#endif
