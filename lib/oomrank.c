// SPDX-License-Identifier: GPL-2.0-or-later
/* Re-ranking a logged task table as the event's kernel would have. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/model.h"
#include "oomlens/oomlog.h"

/*
 * The era of the formula.  The table's columns say more than the version:
 * RHEL 6's "2.6.32" carries the 2.6.36 heuristic, RHEL 8's 4.18 the 5.x
 * log.  The release only picks within what the columns allow.
 */
/*
 * ol_kernel_from_release(), its answers for the last few releases kept:
 * every event of a log is predicted with that log's release (two sscanf()
 * calls and a snprintf() each time otherwise).
 */
static int kernel_of(const char *rel, struct ol_kernel *k)
{
	static __thread struct { struct ol_kernel k; int rc, used; } c[8];
	unsigned int hash = 0;
	size_t n;

	if (!rel || (n = strlen(rel)) >= sizeof(k->release))
		return ol_kernel_from_release(rel, k);	/* cut to fit: not the key it was asked for */
	for (size_t i = 0; i < n; i++)
		hash = hash * 31 + (unsigned char)rel[i];
	hash &= 7;
	if (!c[hash].used || strcmp(c[hash].k.release, rel) != 0) {
		c[hash].rc = ol_kernel_from_release(rel, &c[hash].k);
		c[hash].used = 1;
	}
	*k = c[hash].k;
	return c[hash].rc;
}

static enum ol_era event_era(const struct ol_oom_event *ev, const char *override)
{
	struct ol_kernel k;
	enum ol_era rel = kernel_of(override && *override ? override : ev->kernel, &k) == 0 ?
			  k.era : OL_ERA_UNKNOWN;
	unsigned int c = ev->columns;

	if (c & (OL_COL_RSS_ANON | OL_COL_RSS_FILE))
		return OL_ERA_F;
	if (c & OL_COL_PGTABLES_BYTES)		/* 4.15+ */
		return rel >= OL_ERA_D ? rel : OL_ERA_F;
	if (c & OL_COL_NR_PMDS)			/* 4.0 .. 4.14 */
		return OL_ERA_D;
	if (c & OL_COL_CPU)			/* 2.6.36 .. 3.5 (and RHEL 6) */
		return rel == OL_ERA_C ? OL_ERA_C : OL_ERA_B;
	if (c & OL_COL_NR_PTES)			/* 3.6 .. 3.19 */
		return rel == OL_ERA_C || rel == OL_ERA_D ? rel : OL_ERA_C;
	return rel >= OL_ERA_B ? rel : OL_ERA_F;
}

/*
 * The rules of the event's kernel: the release it names (or @override);
 * with none, the oldest release whose task table has these columns.
 */
static void event_kernel(const struct ol_oom_event *ev, const char *override, struct ol_kernel *k)
{
	const char *rel = override && *override ? override : ev->kernel;
	unsigned int c = ev->columns;

	if (kernel_of(rel, k) == 0)
		return;
	if (c & (OL_COL_RSS_ANON | OL_COL_RSS_FILE))
		rel = "6.8";
	else if (c & OL_COL_PGTABLES_BYTES)
		rel = "4.15";
	else if (c & OL_COL_NR_PMDS)
		rel = "4.0";
	else if (c & OL_COL_NR_PTES)
		rel = "3.6";
	else if (c & OL_COL_CPU)
		rel = "2.6.36";
	else
		return;
	kernel_of(rel, k);
}

static long page_kb(const struct ol_oom_event *ev)
{
	return ev->page_size ? ev->page_size / 1024 : 4;
}

/*
 * The swap a memory cgroup may add to its limit, as mem_cgroup_get_max()
 * (mem_cgroup_get_limit() before 4.19) counts it (oomlens-kernel(7),
 * TOTALPAGES): v1, the memsw limit's headroom over the memory limit; v2,
 * swap.max; either at most the total swap.  A memcg OOM prints no Mem-Info,
 * so the total swap is not needed only when the group may swap nothing
 * (memsw limit = limit, swap.max 0) or swapped at least its headroom (the
 * total swap held it): then totalpages is exact.  Otherwise the headroom is
 * taken, and it is an estimate.  v1 with swap not accounted to memory
 * cgroups (swapaccount=0: memory+swap usage below memory usage, limit
 * unlimited) still adds the total swap.
 */
static unsigned long long memcg_swap(const struct ol_oom_event *ev, unsigned long long pk,
				     const char **note)
{
	unsigned long long room, used = 0;

	if (ev->have_mem & OL_MEM_MEMSW) {
		if (ol_memcg_kb_is_max(ev->memsw_limit_kb))
			room = ~0ULL;
		else
			room = ev->memsw_limit_kb > ev->memcg_limit_kb ?
			       (ev->memsw_limit_kb - ev->memcg_limit_kb) / pk : 0;
		if (ev->memsw_usage_kb > ev->memcg_usage_kb)
			used = (ev->memsw_usage_kb - ev->memcg_usage_kb) / pk;
	} else if (ev->have_mem & OL_MEM_SWAP) {
		room = ol_memcg_kb_is_max(ev->swap_limit_kb) ? ~0ULL : ev->swap_limit_kb / pk;
		used = ev->swap_usage_kb / pk;
	} else {
		*note = "the log gives no swap limit of the memory cgroup: its swap is not counted";
		return 0;
	}
	if (!room)
		return 0;
	if (ev->have_mem & OL_MEM_TOTAL_SWAP)
		return room < ev->total_swap_kb / pk ? room : ev->total_swap_kb / pk;
	if (used >= room && room != ~0ULL)
		return room;	/* the swap held at least the headroom */
	if (room == ~0ULL && (ev->have_mem & OL_MEM_MEMSW) && ev->memsw_usage_kb < ev->memcg_usage_kb) {
		*note = "swap is not accounted to memory cgroups (memory+swap usage below memory usage): "
			"the kernel adds the total swap, which a memcg OOM does not log; none is counted";
		return 0;
	}
	if (room == ~0ULL) {
		*note = "the memory cgroup's swap is unlimited and a memcg OOM does not log the total "
			"swap: the swap it used is taken for it";
		return used;
	}
	*note = "a memcg OOM does not log the total swap: the memory cgroup's swap headroom is "
		"taken, as if the total swap held it";
	return room;
}

/*
 * totalpages as the constraint's kernel computed it, in pages.  *@note
 * says what the log does not give (NULL when it gives it all); 0 when it
 * gives nothing to start from.
 */
static unsigned long event_totalpages(const struct ol_oom_event *ev, const char **note)
{
	unsigned long long pk = (unsigned long long)page_kb(ev), total_swap = 0;

	*note = NULL;
	if (ev->have_mem & OL_MEM_TOTAL_SWAP)
		total_swap = ev->total_swap_kb / pk;
	if (ev->kind == OL_EV_MEMCG && (ev->have_mem & OL_MEM_MEMCG) &&
	    !ol_memcg_kb_is_max(ev->memcg_limit_kb)) {
		unsigned long long max = ev->memcg_limit_kb / pk;

		max += memcg_swap(ev, pk, note);
		if (!ev->page_size && !*note)
			*note = "the page size is not in the log: 4 KiB assumed";
		return max ? (unsigned long)max : 1;
	}
	if (ev->kind == OL_EV_CPUSET || ev->kind == OL_EV_MEMPOLICY)
		*note = "the log does not give the pages of the allowed nodes: RAM + swap is used";
	else if (ev->kind == OL_EV_MEMCG)
		*note = "the memory cgroup's limit is not in the log: RAM + swap is used";
	if (ev->have_mem & OL_MEM_PAGES_RAM) {
		/* show_mem(): "reserved" is present - managed, so RAM - reserved is totalram_pages */
		unsigned long long ram = ev->pages_ram - ((ev->have_mem & OL_MEM_RESERVED) ?
							   ev->pages_reserved : 0);

		if (!*note && !(ev->have_mem & OL_MEM_RESERVED))
			*note = "the log gives no \"pages reserved\": all RAM is counted";
		else if (!*note && !(ev->have_mem & OL_MEM_TOTAL_SWAP))
			*note = "the log gives no \"Total swap\": swap is not counted";
		else if (!*note && !ev->page_size)
			*note = "the page size is not in the log: 4 KiB assumed";
		return (unsigned long)(ram + total_swap);
	}
	if (!*note)
		*note = "the log gives no Mem-Info: the task table's rss and swap are used";
	return 0;
}

static void row_input(const struct ol_oom_event *ev, const struct ol_task_row *r,
		      unsigned long totalpages, int root, struct ol_badness_in *in)
{
	memset(in, 0, sizeof(*in));
	in->rss = (unsigned long)(r->rss > 0 ? r->rss : 0);
	if (!(r->have & OL_COL_RSS) && (r->have & OL_COL_RSS_ANON))
		in->rss = (unsigned long)(r->rss_anon + r->rss_file + r->rss_shmem);
	in->swap = (unsigned long)(r->swapents > 0 ? r->swapents : 0);
	if (r->have & OL_COL_PGTABLES_BYTES)
		in->pgtables = (unsigned long)(r->pgtables_bytes / (page_kb(ev) * 1024));
	else
		in->pgtables = (unsigned long)(r->nr_ptes + r->nr_pmds);
	in->adj = (r->have & OL_COL_OOM_SCORE_ADJ) ? r->oom_score_adj : 0;
	in->totalpages = totalpages;
	in->cap_sys_admin = root;
}

/* Rows in the kernel's order: by badness, ties by the scan (the table's) order. */
struct sort_ctx {
	const struct ol_task_row *rows;
	int use_root;
	int ties_last;
};

static struct sort_ctx *sctx;

static int cmp_rows(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	const struct ol_task_row *ra = &sctx->rows[a], *rb = &sctx->rows[b];

	if (a == b)
		return 0;

	return ol_rank_cmp_points(sctx->use_root ? ra->badness_root : ra->badness,
				  sctx->use_root ? rb->badness_root : rb->badness, a > b, sctx->ties_last);
}

/* Order @order's @n rows by their badness with (@use_root) or without the root bonus. */
/*
 * A merge sort by cmp_rows(), insertion below a dozen: the order is total,
 * so it is qsort()'s, without a call through a pointer per comparison and
 * glibc's buffer for each table.
 */
static void merge_rows(int *a, int *tmp, int n)
{
	int h = n / 2, i = 0, j = h, o = 0;

	if (n <= 12) {
		for (i = 1; i < n; i++) {
			int x = a[i];

			for (j = i; j > 0 && cmp_rows(&x, &a[j - 1]) < 0; j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
		return;
	}
	merge_rows(a, tmp, h);
	merge_rows(a + h, tmp, n - h);
	if (cmp_rows(&a[h - 1], &a[h]) < 0)
		return;		/* in order already */
	memcpy(tmp, a, (size_t)h * sizeof(*a));
	while (i < h && j < n)
		a[o++] = cmp_rows(&a[j], &tmp[i]) < 0 ? a[j++] : tmp[i++];
	while (i < h)
		a[o++] = tmp[i++];
}

static void sort_rows(const struct ol_oom_event *ev, int *order, int n, int use_root, int ties_last)
{
	struct sort_ctx sc = { .rows = ev->tasks, .use_root = use_root, .ties_last = ties_last };
	int *tmp = n > 12 ? malloc((size_t)(n / 2) * sizeof(*tmp)) : NULL;

	sctx = &sc;
	if (n > 12 && !tmp)
		qsort(order, (size_t)n, sizeof(*order), cmp_rows);
	else
		merge_rows(order, tmp, n);
	free(tmp);
	sctx = NULL;
}

/*
 * The first of @order's @n rows in sort_rows()'s order, without sorting:
 * the order is total (ties go by the scan), so its first is the least.
 */
static int first_row(const struct ol_oom_event *ev, const int *order, int n, int use_root, int ties_last)
{
	struct sort_ctx sc = { .rows = ev->tasks, .use_root = use_root, .ties_last = ties_last };
	int best = order[0];

	sctx = &sc;
	for (int i = 1; i < n; i++)
		if (cmp_rows(&order[i], &best) < 0)
			best = order[i];
	sctx = NULL;
	return best;
}

static int row_matches(const struct ol_task_row *r, long pid)
{
	return pid > 0 && (r->pid == pid || ((r->have & OL_COL_TGID) && r->tgid == pid));
}

/*
 * Without buddy lines (a memcg OOM prints none) the page size can still be
 * read off the victim: its Killed line gives total-vm in kB, its task-table
 * row in pages.  Both are printed under the same lock, so they agree to the
 * page; allow 1% for a task that grew in between.
 */
static void page_size_from_victim(struct ol_oom_event *ev)
{
	static const long sizes[] = { 4096, 8192, 16384, 65536 };
	const struct ol_victim *v;

	if (ev->page_size || !ev->nvictims)
		return;
	v = &ev->victims[0];
	if (!(v->have & OL_VIC_TOTAL_VM) || !v->total_vm_kb || !(ev->columns & OL_COL_TOTAL_VM))
		return;
	for (size_t i = 0; i < ev->ntasks; i++) {
		const struct ol_task_row *r = &ev->tasks[i];
		double bytes;

		if (r->pid != v->pid || r->total_vm <= 0)
			continue;
		bytes = (double)v->total_vm_kb * 1024.0 / (double)r->total_vm;
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			if (bytes >= (double)sizes[k] * 0.99 && bytes <= (double)sizes[k] * 1.01) {
				ev->page_size = sizes[k];
				return;
			}
		}
		return;
	}
}

/* The score "Kill process N (x) score S" logs: 2.6.36 .. 3.4 the badness, later per mille. */
static long score_of(enum ol_era era, long badness, unsigned long totalpages)
{
	if (era == OL_ERA_B)
		return badness;
	return badness > 0 ? (long)((unsigned long)badness * 1000 / totalpages) : 0;
}

/* The kernel's logged score against ours, and why they differ */
static void predict_score(struct ol_oom_event *ev, enum ol_era era)
{
	struct ol_prediction *pr = &ev->prediction;
	const struct ol_task_row *r = NULL;

	if (!ev->selected_scored || ev->have_selected != 1)
		return;
	for (size_t i = 0; i < ev->ntasks && !r; i++)
		if (row_matches(&ev->tasks[i], ev->selected_pid))
			r = &ev->tasks[i];
	/* a thread was selected, its process killed (009): the victim's row holds their mm */
	for (size_t i = 0; i < ev->ntasks && !r && ev->nvictims; i++)
		if (row_matches(&ev->tasks[i], ev->victims[0].pid))
			r = &ev->tasks[i];
	if (!r) {
		pr->score_note = "the selected task is not in the logged task table";
		return;
	}
	pr->score = score_of(era, r->badness, pr->totalpages);
	/* root may or may not have had CAP_SYS_ADMIN (the bonus, up to 4.16): the log cannot say */
	if (pr->score != ev->selected_score && r->uid == 0 && r->badness_root != r->badness &&
	    score_of(era, r->badness_root, pr->totalpages) == ev->selected_score)
		pr->score = ev->selected_score;
	if (pr->score == ev->selected_score)
		return;
	if (era <= OL_ERA_A)
		pr->score_note = "before 2.6.36 the score counts cpu time, run time and children, "
				 "which the log does not show";
	else if (era <= OL_ERA_C && !(ev->columns & (OL_COL_SWAPENTS | OL_COL_NR_PTES)))
		pr->score_note = "the task table lacks swapents and nr_ptes, which the kernel's badness counts";
	else if (pr->totalpages_note)
		pr->score_note = pr->totalpages_note;
	else
		pr->score_note = "unexplained";
}

void ol_oom_event_predict(struct ol_oom_event *ev, const char *override)
{
	struct ol_prediction *pr = &ev->prediction;
	struct ol_kernel k;
	unsigned long totalpages;
	long chosen[2] = { -1, -1 };
	int *order, n = 0, root_top = -1;
	enum ol_era era;
	size_t i;

	free(pr->order);
	memset(pr, 0, sizeof(*pr));
	pr->top = pr->victim_row = -1;
	pr->score = -1;
	page_size_from_victim(ev);
	if (ev->selected_scored && ev->have_selected == 1 && !ev->ntasks)
		pr->score_note = "no task table for this event in the log";
	if (!ev->ntasks || ev->outcome == OL_OUTCOME_NO_VICTIM)
		return;
	era = event_era(ev, override);
	totalpages = event_totalpages(ev, &pr->totalpages_note);
	pr->totalpages_estimated = pr->totalpages_note != NULL;
	if (!totalpages) {
		/* no Mem-Info: at least what the table itself holds */
		for (i = 0; i < ev->ntasks; i++)
			totalpages += (unsigned long)(ev->tasks[i].rss + ev->tasks[i].swapents);
		totalpages = totalpages ? totalpages : 1;
	}
	pr->totalpages = totalpages;
	pr->era = era;
	order = calloc(ev->ntasks, sizeof(*order));
	if (!order)
		return;
	for (i = 0; i < ev->ntasks; i++) {
		struct ol_task_row *r = &ev->tasks[i];
		struct ol_badness_in in;
		struct ol_badness b;

		row_input(ev, r, totalpages, 0, &in);
		r->eligible = ol_badness(era, &in, &b) == 0 && b.killable;
		r->badness = b.points;
		row_input(ev, r, totalpages, r->uid == 0, &in);
		ol_badness(era, &in, &b);
		r->badness_root = b.points;
		if (r->eligible)
			order[n++] = (int)i;
	}
	event_kernel(ev, override, &k);
	sort_rows(ev, order, n, 0, k.ties_last);
	pr->valid = 1;
	pr->order = order;
	pr->ranked = n;
	if (!n)
		return;
	pr->top = order[0];
	predict_score(ev, era);
	pr->tie = n > 1 && ev->tasks[order[1]].badness == ev->tasks[order[0]].badness;
	if (era <= OL_ERA_D) {
		root_top = first_row(ev, order, n, 1, k.ties_last);
		pr->root_bonus_changes = root_top != pr->top;
	}

	/* what the kernel chose: the selected task, and the one it killed */
	if (ev->have_selected)
		chosen[0] = ev->selected_pid;
	if (ev->nvictims)
		chosen[1] = ev->victims[0].pid;
	for (i = 0; i < (size_t)n; i++) {
		const struct ol_task_row *r = &ev->tasks[order[i]];

		if (row_matches(r, chosen[0]) || row_matches(r, chosen[1])) {
			pr->victim_row = order[i];
			pr->victim_rank = (long)i + 1;
			break;
		}
	}
	if (chosen[0] < 0 && chosen[1] < 0) {
		pr->cause = "nobody was killed in the log";
		return;
	}
	if (row_matches(&ev->tasks[pr->top], chosen[0]) || row_matches(&ev->tasks[pr->top], chosen[1])) {
		pr->agrees = 1;
		return;
	}
	if (ev->have_selected == 2 || (ev->nvictims && ev->victims[0].allocating_task))
		pr->cause = "vm.oom_kill_allocating_task: the kernel killed the task that asked for memory";
	else if (pr->victim_row >= 0 && ev->tasks[pr->victim_row].badness == ev->tasks[pr->top].badness)
		pr->cause = "a tie: equal badness, and the kernel's scan order decided";
	else if (root_top >= 0 && (row_matches(&ev->tasks[root_top], chosen[0]) ||
				   row_matches(&ev->tasks[root_top], chosen[1])))
		pr->cause = "the root bonus (CAP_SYS_ADMIN, kernels before 4.17), which the log cannot show";
	else if (ev->have_selected && ev->nvictims && ev->selected_pid != ev->victims[0].pid &&
		 pr->victim_row < 0)
		pr->cause = "the selected task sacrificed a child, which the table does not show";
	else {
		int already = 0;

		for (int j = 0; j < ev->nprior; j++)
			if (row_matches(&ev->tasks[pr->top], ev->prior_victims[j]))
				already = 1;
		if (already)
			pr->cause = "the top task was already being killed (an earlier victim still in the table)";
		else if (ev->columns & OL_COL_UNKNOWN)
			pr->cause = "a patched kernel: its table has a column no upstream kernel prints, "
				    "and it ranks by something else";
		else if (pr->victim_row < 0)
			pr->cause = ev->tasks_capped ? "the table was capped before the victim's row" :
				    "the victim is not in the logged task table (the table is incomplete)";
		else
			pr->cause = "unexplained";
	}
}

int ol_oom_event_row_terms(const struct ol_oom_event *ev, int row, struct ol_badness_in *in,
			   struct ol_badness *b)
{
	const struct ol_prediction *pr = &ev->prediction;

	if (!pr->valid || row < 0 || (size_t)row >= ev->ntasks)
		return -EINVAL;
	row_input(ev, &ev->tasks[row], pr->totalpages, 0, in);
	return ol_badness((enum ol_era)pr->era, in, b);
}
