// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The model (lib/model.c): a kernel release's rules, and the ranking engine
 * every command asks.  The kernel's rules are those of oomlens-kernel(7);
 * the oracle for the arithmetic is the kernel's own /proc/PID/oom_score in
 * tests/fixtures/root-6.18, a tree copied from a 6.18 kernel.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "oomlens/model.h"
#include "oomlens/root.h"
#include "oomlens/sysinfo.h"
#include "fixtures.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define PS 4096UL
#define TP 6171021UL	/* a 24 GiB machine without swap, in pages */

/* A killable process of @pages resident anon pages, @adj, started at @start */
static struct ol_proc mkproc(pid_t pid, unsigned long pages, long adj, unsigned long long start)
{
	struct ol_proc p = {
		.pid = pid,
		.have = OL_HAVE_RSS | OL_HAVE_MEM | OL_HAVE_SWAP | OL_HAVE_PGTABLES | OL_HAVE_ADJ |
			OL_HAVE_CAPS | OL_HAVE_KTHREAD | OL_HAVE_MM | OL_HAVE_START | OL_HAVE_CGROUP,
		.has_mm = 1,
		.rss_anon = pages * PS,
		.rss = pages * PS,
		.oom_score_adj = adj,
		.starttime = start,
		.cgroup = (char *)"/",
		.cgroup_unified = (char *)"/",
	};

	return p;
}

static struct ol_sysinfo mksys(const char *release, int ncpus)
{
	struct ol_sysinfo si = { .page_size = PS, .totalpages = TP, .totalram_pages = TP,
				 .mem_total_kb = TP * 4, .ncpus = ncpus };

	snprintf(si.release, sizeof(si.release), "%s", release);
	return si;
}

static void kernel_rules(void **state)
{
	static const struct {
		const char *rel;
		enum ol_era era;
		int ties_last, count_pmd, percpu, from_stat;
	} r[] = {
		{ "2.6.32-754.el6.x86_64", OL_ERA_A, 0, 0, 0, 0 },
		{ "3.2.0-4-amd64", OL_ERA_B, 0, 0, 0, 0 },
		{ "3.10.0-1160.el7.x86_64", OL_ERA_C, 0, 0, 0, 0 },
		{ "3.16.0", OL_ERA_D, 0, 0, 0, 0 },
		{ "4.4.0-210-generic", OL_ERA_D, 0, 1, 0, 0 },
		{ "4.19.0-26-amd64", OL_ERA_E, 0, 1, 0, 0 },
		{ "5.2.21", OL_ERA_E, 0, 1, 0, 0 },
		{ "5.4.0-100-generic", OL_ERA_E, 1, 1, 0, 0 },
		{ "5.15.0-1087-azure", OL_ERA_F, 1, 1, 0, 0 },
		{ "6.1.0-13-amd64", OL_ERA_F, 1, 1, 0, 0 },
		{ "6.1.0", OL_ERA_F, 1, 1, 0, 0 },
		{ "6.2.0", OL_ERA_F, 1, 1, 1, 1 },
		{ "6.15.9", OL_ERA_F, 1, 1, 1, 1 },
		{ "6.16.0", OL_ERA_F, 1, 1, 1, 1 },
		{ "6.18.44-fc-v782", OL_ERA_F, 1, 1, 1, 1 },
		{ "6.19.9", OL_ERA_F, 1, 1, 1, 1 },
		/* 7.0: the OOM killer reads the precise sums, as status does */
		{ "7.0.0", OL_ERA_F, 1, 1, 0, 0 },
		{ "7.1.3", OL_ERA_F, 1, 1, 0, 0 },
	};
	struct ol_kernel k;
	size_t i;

	(void)state;
	for (i = 0; i < N(r); i++) {
		assert_int_equal(ol_kernel_from_release(r[i].rel, &k), 0);
		if (k.era != r[i].era || k.ties_last != r[i].ties_last || k.count_pmd != r[i].count_pmd ||
		    k.percpu_rss != r[i].percpu || k.rss_from_stat != r[i].from_stat)
			fail_msg("%s: era %d ties %d pmd %d percpu %d stat %d", r[i].rel, k.era,
				 k.ties_last, k.count_pmd, k.percpu_rss, k.rss_from_stat);
	}
	/* the one fallback: unknown is the newest, and it says so */
	assert_int_equal(ol_kernel_from_release("", &k), -EINVAL);
	assert_int_equal(k.known, 0);
	assert_int_equal(k.era, OL_ERA_F);
	assert_int_equal(k.ties_last, 1);
	assert_true(ol_kernel_at_least(&k, 9, 9));
}

static void slack(void **state)
{
	struct ol_kernel k;

	(void)state;
	ol_kernel_from_release("6.18", &k);
	/*
	 * percpu_counter_batch = max(32, 2 * ncpus); four counters, each off
	 * by up to batch - 1 per CPU: 62 pages a counter on 2 CPUs
	 */
	assert_int_equal(ol_kernel_slack(&k, 2), 4 * 62);
	assert_int_equal(ol_kernel_slack(&k, 64), 4 * 127 * 64);
	assert_int_equal(ol_kernel_slack(&k, 0), 0);
	ol_kernel_from_release("6.1", &k);
	assert_int_equal(ol_kernel_slack(&k, 64), 0);
	ol_kernel_from_release("7.0", &k);
	assert_int_equal(ol_kernel_slack(&k, 64), 0);
}

/* fs/proc/base.c oom_adj_read(), era by era (oomlens-kernel(7), LEGACY oom_adj) */
static void legacy_oom_adj(void **state)
{
	struct ol_kernel k;
	long v = 99;

	(void)state;
	/* 2.6.36 .. 3.6 store oom_adj apart: only the file knows it */
	ol_kernel_from_release("3.6.11", &k);
	assert_int_equal(ol_kernel_oom_adj(&k, 0, &v), -ENODATA);
	assert_int_equal(v, 99);
	/* 3.7 .. 5.13: computed, 942..999 read 16 */
	ol_kernel_from_release("3.10.0-1160.el7.x86_64", &k);
	assert_int_equal(ol_kernel_oom_adj(&k, 942, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(ol_kernel_oom_adj(&k, 1000, &v), 0);
	assert_int_equal(v, 15);
	assert_int_equal(ol_kernel_oom_adj(&k, -1000, &v), 0);
	assert_int_equal(v, -17);
	ol_kernel_from_release("5.13.19", &k);
	assert_int_equal(ol_kernel_oom_adj(&k, 999, &v), 0);
	assert_int_equal(v, 16);
	/* 5.14+: capped at 15 */
	ol_kernel_from_release("5.14.0", &k);
	assert_int_equal(ol_kernel_oom_adj(&k, 999, &v), 0);
	assert_int_equal(v, 15);
	assert_int_equal(ol_kernel_oom_adj(&k, -999, &v), 0);
	assert_int_equal(v, -16);
	/* out of range or unknown release: read the file */
	assert_int_equal(ol_kernel_oom_adj(&k, 1001, &v), -ENODATA);
	ol_kernel_from_release("", &k);
	assert_int_equal(ol_kernel_oom_adj(&k, 0, &v), -ENODATA);
}

static void terms_rss_source(void **state)
{
	struct ol_proc p = mkproc(100, 1000, 0, 1);
	struct ol_kernel k;
	struct ol_terms t;

	(void)state;
	p.rss_stat_pages = 990;
	p.have |= OL_HAVE_STAT_RSS;
	ol_kernel_from_release("6.18", &k);
	assert_int_equal(ol_proc_terms(&p, &k, PS, &t), 0);
	assert_int_equal(t.rss_source, OL_RSS_STAT);
	assert_int_equal(t.rss_pages, 990);
	assert_int_equal(t.anon_pages, 1000);
	ol_kernel_from_release("7.0", &k);
	assert_int_equal(ol_proc_terms(&p, &k, PS, &t), 0);
	assert_int_equal(t.rss_source, OL_RSS_STATUS_SPLIT);
	assert_int_equal(t.rss_pages, 1000);
	/* before 4.5: VmRSS only */
	p.have &= ~OL_HAVE_MEM;
	ol_kernel_from_release("4.4", &k);
	assert_int_equal(ol_proc_terms(&p, &k, PS, &t), 0);
	assert_int_equal(t.rss_source, OL_RSS_STATUS_VMRSS);
	/* eras B..D need the capabilities */
	p.have &= ~OL_HAVE_CAPS;
	assert_int_equal(ol_proc_terms(&p, &k, PS, &t), -ENODATA);
	ol_kernel_from_release("4.19", &k);
	assert_int_equal(ol_proc_terms(&p, &k, PS, &t), 0);
}

/* Rank of @pid in @m (0: not ranked) */
static long rank_of(const struct ol_model *m, pid_t pid)
{
	size_t i;

	for (i = 0; i < ol_model_count(m); i++)
		if (ol_model_proc(m, i)->pid == pid)
			return ol_model_get(m, i)->rank;
	return -1;
}

static struct ol_model *ranked(const char *release, int ncpus, struct ol_proc *v, size_t n)
{
	struct ol_sysinfo si = mksys(release, ncpus);
	struct ol_model *m = ol_model_new(NULL, &si, NULL);

	assert_non_null(m);
	assert_int_equal(ol_model_rank(m, v, n), 0);
	return m;
}

static void ties_follow_the_release(void **state)
{
	/* 201 and 202 tie; 202 is the younger */
	struct ol_proc v[] = {
		mkproc(201, 5000, 0, 100), mkproc(202, 5000, 0, 200), mkproc(203, 9000, 0, 300),
	};
	struct ol_model *m;

	(void)state;
	m = ranked("4.19.0", 0, v, N(v));
	assert_int_equal(rank_of(m, 203), 1);
	assert_int_equal(rank_of(m, 201), 2);	/* the first found wins before 5.3 */
	assert_int_equal(rank_of(m, 202), 3);
	ol_model_free(m);
	m = ranked("5.3.0", 0, v, N(v));
	assert_int_equal(rank_of(m, 202), 2);	/* the last found from 5.3 */
	assert_int_equal(rank_of(m, 201), 3);
	assert_int_equal(ol_model_get(m, 0)->candidates, 3);
	assert_int_equal(ol_model_at_rank(m, 1), 2);
	ol_model_free(m);
	/* unknown release: the newest rule */
	m = ranked("", 0, v, N(v));
	assert_int_equal(rank_of(m, 202), 2);
	ol_model_free(m);
}

static void root_bonus_by_era(void **state)
{
	/* root 301 holds 3% more than 302: 3.14 .. 4.16 take 3% off it, 4.17 on nothing */
	struct ol_proc v[] = { mkproc(301, 10300, 0, 1), mkproc(302, 10100, 0, 2) };
	struct ol_model *m;

	(void)state;
	v[0].cap_eff = 1ull << 21;
	m = ranked("4.4.0", 0, v, N(v));
	assert_int_equal(ol_model_get(m, 0)->b.root_bonus, 10300 * 3 / 100);
	assert_int_equal(rank_of(m, 302), 1);
	ol_model_free(m);
	m = ranked("4.19.0", 0, v, N(v));
	assert_int_equal(rank_of(m, 301), 1);
	ol_model_free(m);
	/* 3.5 .. 3.13: 30 off its oom_score_adj, 30 x 6171 pages, clamped to 1 */
	m = ranked("3.10.0", 0, v, N(v));
	assert_int_equal(ol_model_get(m, 0)->b.raw, 10300 - 30 * (long)(TP / 1000));
	assert_int_equal(ol_model_get(m, 0)->b.points, 1);
	assert_int_equal(rank_of(m, 302), 1);
	ol_model_free(m);
}

static void unkillable_last(void **state)
{
	struct ol_proc v[] = {
		mkproc(1, 50000, 0, 1),		/* init */
		mkproc(401, 40000, -1000, 2),
		mkproc(402, 10, 0, 3),
		mkproc(403, 20, 0, 4),
	};
	struct ol_model *m;

	(void)state;
	v[3].have &= ~OL_HAVE_SWAP;	/* badness unknown */
	m = ranked("6.1.0", 0, v, N(v));
	assert_int_equal(ol_model_get(m, 0)->why, OL_UNKILLABLE_INIT);
	assert_int_equal(ol_model_get(m, 1)->why, OL_UNKILLABLE_ADJ_MIN);
	assert_int_equal(rank_of(m, 1), 0);
	assert_int_equal(rank_of(m, 401), 0);
	assert_int_equal(rank_of(m, 402), 1);
	assert_int_equal(rank_of(m, 403), 0);
	assert_int_equal(ol_model_get(m, 2)->candidates, 1);
	/* order: killable, unknown, unkillable by pid */
	assert_int_equal(ol_model_proc(m, ol_model_order(m, 0))->pid, 402);
	assert_int_equal(ol_model_proc(m, ol_model_order(m, 1))->pid, 403);
	assert_int_equal(ol_model_proc(m, ol_model_order(m, 2))->pid, 1);
	assert_int_equal(ol_model_proc(m, ol_model_order(m, 3))->pid, 401);
	ol_model_free(m);
}

/* a pid namespace's init is ranked like any task: only the global init is exempt */
static void namespace_init(void **state)
{
	struct ol_proc v[] = { mkproc(1, 50000, 0, 1), mkproc(402, 10, 0, 2) };
	struct ol_model *m;

	(void)state;
	v[0].ns_init = 1;
	m = ranked("6.1.0", 0, v, N(v));
	assert_int_equal(ol_model_get(m, 0)->why, OL_KILLABLE);
	assert_int_equal(rank_of(m, 1), 1);
	assert_int_equal(rank_of(m, 402), 2);
	ol_model_free(m);
}

static void near_ties(void **state)
{
	/* 2 CPUs on 6.18: 248 pages of slack */
	struct ol_proc v[] = { mkproc(501, 10000, 0, 1), mkproc(502, 10100, 0, 2), mkproc(503, 20000, 0, 3) };
	struct ol_model *m;

	(void)state;
	m = ranked("6.18.0", 2, v, N(v));
	assert_int_equal(ol_model_slack(m), 248);
	assert_true(ol_model_get(m, 0)->near_tie);
	assert_true(ol_model_get(m, 1)->near_tie);
	assert_false(ol_model_get(m, 2)->near_tie);
	assert_int_equal(ol_model_get(m, 2)->lead, 20000 - 10100);
	assert_int_equal(ol_model_get(m, 1)->lead, 100);
	assert_int_equal(ol_model_get(m, 0)->lead, -1);
	ol_model_free(m);
	/* 6.1 reads exact counters: no slack, no near tie */
	m = ranked("6.1.0", 2, v, N(v));
	assert_false(ol_model_get(m, 0)->near_tie);
	ol_model_free(m);
}

static void shares(void **state)
{
	struct ol_proc v[] = { mkproc(601, TP / 4, 0, 1) };
	struct ol_model *m;

	(void)state;
	m = ranked("6.1.0", 0, v, N(v));
	assert_true(ol_model_get(m, 0)->share > 24.99 && ol_model_get(m, 0)->share < 25.01);
	/* 5.9+: TP / 4 x 1000 / TP is 249 (integer division); (1000 + 249) x 2 / 3 */
	assert_int_equal(ol_model_get(m, 0)->oom_score, 832);
	ol_model_free(m);
	/* 2.6.36 .. 3.4 count per mille (249, as above): the share is points / 10 */
	m = ranked("3.2.0", 0, v, N(v));
	assert_int_equal(ol_model_get(m, 0)->b.points, 249);
	assert_true(ol_model_get(m, 0)->share > 24.89 && ol_model_get(m, 0)->share < 24.91);
	assert_int_equal(ol_model_get(m, 0)->oom_score, 249);
	ol_model_free(m);
}

static void what_if(void **state)
{
	struct ol_proc v[] = { mkproc(701, 10, 0, 1), mkproc(702, 5000, 0, 2) };
	struct ol_proc w;
	struct ol_rank r;
	struct ol_model *m;

	(void)state;
	m = ranked("6.1.0", 0, v, N(v));
	w = v[0];
	w.oom_score_adj = 1000;
	assert_int_equal(ol_model_what_if(m, 0, &w, &r), 0);
	assert_int_equal(r.rank, 1);
	assert_int_equal(r.candidates, 2);
	w.oom_score_adj = -1000;
	ol_model_what_if(m, 0, &w, &r);
	assert_false(r.b.killable);
	assert_int_equal(r.why, OL_UNKILLABLE_ADJ_MIN);
	ol_model_free(m);
}

/* ---- memory cgroups, in a tree laid out as cgroup v1 lays it out ---- */

static char top[] = "/tmp/oomlens-model-XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[4096], *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	for (s = path + strlen(top) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void memcg_view(void **state)
{
	struct ol_proc v[] = {
		mkproc(801, 100000, 0, 1), mkproc(802, 2000, 0, 2), mkproc(803, 1000, 0, 3),
		mkproc(804, 3000, 0, 4),
	};
	struct ol_sysinfo si = mksys("6.1.0", 0);
	struct ol_memcg_rank mr;
	struct ol_root root;
	struct ol_model *m;
	char cmd[128];

	(void)state;
	assert_non_null(mkdtemp(top));
	put("proc/meminfo", "MemTotal: 24684084 kB\n");
	put("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
	/* 64 MiB, no swap for it: 16384 pages */
	put("sys/fs/cgroup/memory/app/memory.limit_in_bytes", "67108864\n");
	put("sys/fs/cgroup/memory/app/memory.usage_in_bytes", "20000000\n");
	put("sys/fs/cgroup/memory/app/memory.swappiness", "0\n");
	put("sys/fs/cgroup/memory/app/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
	put("sys/fs/cgroup/memory/app/sub/memory.limit_in_bytes", "9223372036854771712\n");
	v[1].cgroup = (char *)"/app";
	v[2].cgroup = (char *)"/app/sub";
	v[3].cgroup = (char *)"/other";
	assert_int_equal(ol_root_open(&root, top), 0);
	m = ol_model_new(&root, &si, NULL);
	assert_int_equal(ol_model_rank(m, v, N(v)), 0);

	/* 802 and 803 meet /app's limit; 801 holds more, but outside it */
	assert_int_equal(ol_model_memcg(m, 1, &mr), 0);
	assert_true(mr.limited);
	assert_string_equal(mr.m.path, "/app");
	assert_int_equal(mr.m.totalpages, 16384);
	assert_int_equal(mr.r.rank, 1);
	assert_int_equal(mr.r.candidates, 2);
	assert_true(mr.r.share > 12.2 && mr.r.share < 12.21);	/* 2000 / 16384 */
	assert_int_equal(ol_model_memcg(m, 2, &mr), 0);
	assert_string_equal(mr.m.path, "/app");
	assert_int_equal(mr.r.rank, 2);
	assert_int_equal(mr.first, 1);
	/* globally, 801 is first and 802 second */
	assert_int_equal(ol_model_get(m, 1)->rank, 3);
	/* no limit up to the root */
	assert_int_equal(ol_model_memcg(m, 3, &mr), 0);
	assert_false(mr.limited);
	ol_model_free(m);
	ol_root_close(&root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
}

/* ---- the oracle: the kernel's own oom_score, in a tree copied from 6.18 ---- */

static void kernel_oom_score(void **state)
{
	struct ol_scan_opts so = { 0 };
	struct ol_proclist pl;
	struct ol_sysinfo si;
	struct ol_root root;
	struct ol_model *m;
	char dir[PATH_MAX];
	size_t i, compared = 0;

	(void)state;
	pathf(dir, sizeof(dir), "%s/root-6.18", fixtures());
	assert_int_equal(ol_root_open(&root, dir), 0);
	assert_int_equal(ol_sysinfo_read(&root, &si), 0);
	m = ol_model_new(&root, &si, NULL);
	so.read = OL_READ_OOM_SCORE | ol_read_for(ol_kernel_needs(ol_model_kernel(m)));
	assert_int_equal(ol_scan(&root, &so, &pl), 0);
	assert_int_equal(ol_model_rank(m, pl.procs, pl.n), 0);
	for (i = 0; i < pl.n; i++) {
		const struct ol_rank *r = ol_model_get(m, i);

		assert_true(pl.procs[i].have & OL_HAVE_SCORE);
		if (!r->have)
			continue;
		if (r->oom_score != pl.procs[i].oom_score)
			fail_msg("pid %d: computed %ld, the kernel's %ld", (int)pl.procs[i].pid,
				 r->oom_score, pl.procs[i].oom_score);
		compared++;
	}
	assert_true(compared >= 8);
	/* the ranks follow the kernel's oom_score where it tells them apart */
	for (i = 1; i < pl.n; i++) {
		const struct ol_proc *a = ol_model_proc(m, ol_model_order(m, i - 1));
		const struct ol_proc *b = ol_model_proc(m, ol_model_order(m, i));

		if (ol_model_get(m, ol_model_order(m, i))->rank)
			assert_true(a->oom_score >= b->oom_score);
	}
	ol_model_free(m);
	ol_proclist_free(&pl);
	ol_root_close(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_rules),
		cmocka_unit_test(slack),
		cmocka_unit_test(legacy_oom_adj),
		cmocka_unit_test(terms_rss_source),
		cmocka_unit_test(ties_follow_the_release),
		cmocka_unit_test(root_bonus_by_era),
		cmocka_unit_test(unkillable_last),
		cmocka_unit_test(near_ties),
		cmocka_unit_test(shares),
		cmocka_unit_test(what_if),
		cmocka_unit_test(memcg_view),
		cmocka_unit_test(kernel_oom_score),
		cmocka_unit_test(namespace_init),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
