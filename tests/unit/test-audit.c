// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The audit's rules (lib/audit.c) and its configuration (lib/auditconf.c),
 * as man/oomlens-audit.1 and man/oomlens-audit.conf.5 give them.  Each rule
 * runs on a minimal sysroot: four processes of tests/fixtures/root-6.18 (init,
 * the capturing bash 2310, worker-anon 5658, reader-file 5659; see
 * tests/fixtures/README.md), its meminfo and vm sysctls, copied to a
 * temporary directory; that tree audits clean, and each test edits its copy
 * into what one rule finds (the edit is described where it is made: this
 * machine cannot set oom_score_adj -1000, nor own cgroups or units).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#include "oomlens/audit.h"
#include "oomlens/root.h"

#include "fixtures.h"
#include "fixture-load.h"

static char top[] = "/tmp/oomlens-audit-XXXXXX";
static char tree[PATH_MAX];
static int ntree;

static const char *const base_files[] = {
	"proc/meminfo", "proc/self/smaps", "proc/sys/kernel/osrelease", "proc/sys/vm/overcommit_memory",
	"proc/sys/vm/overcommit_ratio", "proc/sys/vm/panic_on_oom", "proc/sys/vm/oom_kill_allocating_task",
	"proc/sys/vm/oom_dump_tasks", "etc/passwd",
};
static const char *const proc_files[] = {
	"cgroup", "cmdline", "oom_adj", "oom_score", "oom_score_adj", "stat", "status",
};
static const long base_pids[] = { 1, 2310, 5658, 5659 };

/* Write @text to TREE/@rel, creating its directories. */
static void put(const char *rel, const char *text, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	pathf(path, sizeof(path), "%s/%s", tree, rel);
	for (char *s = path + strlen(tree) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir '%s': %s", path, strerror(errno));
		*s = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void puts_(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

static void copy(const char *rel)
{
	char src[PATH_MAX];
	size_t len;
	char *text;

	pathf(src, sizeof(src), "root-6.18/%s", rel);
	text = load_fixture(src, &len);
	put(rel, text, len);
	free(text);
}

/* A fresh copy of the minimal tree, in a directory of its own. */
static void fresh_tree(void)
{
	char rel[64];

	pathf(tree, sizeof(tree), "%s/t%d", top, ++ntree);
	assert_int_equal(mkdir(tree, 0755), 0);
	for (size_t i = 0; i < sizeof(base_files) / sizeof(base_files[0]); i++)
		copy(base_files[i]);
	for (size_t p = 0; p < sizeof(base_pids) / sizeof(base_pids[0]); p++)
		for (size_t i = 0; i < sizeof(proc_files) / sizeof(proc_files[0]); i++) {
			pathf(rel, sizeof(rel), "proc/%ld/%s", base_pids[p], proc_files[i]);
			copy(rel);
		}
}

/* The oom_score_adj and oom_adj files of @pid (what a write of the adj would make them). */
static void set_adj(long pid, int adj, int oom_adj)
{
	char rel[64], v[16];

	pathf(rel, sizeof(rel), "proc/%ld/oom_score_adj", pid);
	snprintf(v, sizeof(v), "%d\n", adj);
	puts_(rel, v);
	pathf(rel, sizeof(rel), "proc/%ld/oom_adj", pid);
	snprintf(v, sizeof(v), "%d\n", oom_adj);
	puts_(rel, v);
}

/* Replace the "@key:\t..." line of @pid's status in the tree with "@key:\t@value". */
static void set_status(long pid, const char *key, const char *value)
{
	char path[PATH_MAX], rel[64], *text = NULL, *line, *next, *out;
	size_t klen = strlen(key), cap = 0;
	FILE *f;

	pathf(path, sizeof(path), "%s/proc/%ld/status", tree, pid);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(getdelim(&text, &cap, '\0', f) > 0);
	fclose(f);
	for (line = text; line; line = next) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			break;
		next = strchr(line, '\n');
		if (next)
			next++;
	}
	assert_non_null(line);
	next = strchr(line, '\n');
	assert_true(asprintf(&out, "%.*s%s:\t%s%s", (int)(line - text), text, key, value, next ? next : "") > 0);
	pathf(rel, sizeof(rel), "proc/%ld/status", pid);
	puts_(rel, out);
	free(out);
	free(text);
}

static void set_cgroup(long pid, const char *path)
{
	char rel[64], text[512];

	pathf(rel, sizeof(rel), "proc/%ld/cgroup", pid);
	snprintf(text, sizeof(text), "9:name=systemd:%s\n4:memory:%s\n0::/\n", path, path);
	puts_(rel, text);
}

/* ---- running it ---- */

static void audit_conf(const struct ol_audit_conf *c, const char *log, struct ol_findings *f)
{
	struct ol_root root;
	struct ol_audit_opts o = { .conf = c, .log_path = log, .no_log = !log };

	assert_int_equal(ol_root_open(&root, tree), 0);
	assert_int_equal(ol_audit_run(&root, &o, f), 0);
	ol_root_close(&root);
	/* the counts by severity add up */
	assert_int_equal(f->count[0] + f->count[1] + f->count[2], f->n);
}

static void audit(struct ol_findings *f)
{
	struct ol_audit_conf c;

	ol_audit_conf_defaults(&c);
	audit_conf(&c, NULL, f);
	ol_audit_conf_free(&c);
}

static void conf_text(struct ol_audit_conf *c, const char *text)
{
	char err[256] = "";

	ol_audit_conf_defaults(c);
	if (ol_audit_conf_parse(c, text, err, sizeof(err)) != 0)
		fail_msg("'%s': %s", text, err);
}

/* The one finding of @f, of rule @r and severity @sev. */
static const struct ol_finding *only(const struct ol_findings *f, enum ol_rule r, enum ol_sev sev)
{
	if (f->n != 1)
		fail_msg("%zu findings, want one %s (first: %s)", f->n, ol_rules[r].id,
			 f->n ? ol_rules[f->v[0].rule].id : "-");
	assert_int_equal(f->v[0].rule, r);
	assert_int_equal(f->v[0].sev, sev);
	assert_non_null(f->v[0].message);
	return &f->v[0];
}

static size_t count(const struct ol_findings *f, enum ol_rule r)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += f->v[i].rule == r;
	return n;
}

static void assert_clean(void)
{
	struct ol_findings f;

	audit(&f);
	if (f.n)
		fail_msg("%zu findings, the first %s: %s", f.n, ol_rules[f.v[0].rule].id, f.v[0].message);
	ol_findings_free(&f);
}

/* ---- the process rules ---- */

static void clean_tree(void **state)
{
	fresh_tree();
	assert_clean();
}

static void unkillable_process(void **state)
{
	struct ol_findings f;
	struct ol_audit_conf c;
	const struct ol_finding *x;

	fresh_tree();
	set_adj(5658, -1000, -17);
	/* root, outside users' sessions and containers: a warning */
	audit(&f);
	x = only(&f, OL_R_UNKILLABLE, OL_SEV_WARNING);
	assert_int_equal(x->pid, 5658);
	assert_string_equal(x->comm, "worker-anon");
	assert_non_null(strstr(x->evidence, "\"oom_score_adj\":-1000"));
	ol_findings_free(&f);
	/* ... holding at least large-share percent of RAM + swap (112292 kB of 24683620 kB): an error */
	conf_text(&c, "set large-share 0.4\n");
	audit_conf(&c, NULL, &f);
	only(&f, OL_R_UNKILLABLE, OL_SEV_ERROR);
	ol_findings_free(&f);
	ol_audit_conf_free(&c);
	/* ... a user's: an error */
	set_status(5658, "Uid", "1000\t1000\t1000\t1000");
	audit(&f);
	only(&f, OL_R_UNKILLABLE, OL_SEV_ERROR);
	ol_findings_free(&f);
	/* ... root in a user's session: an error */
	set_status(5658, "Uid", "0\t0\t0\t0");
	set_cgroup(5658, "/user.slice/user-0.slice/session-4.scope");
	audit(&f);
	only(&f, OL_R_UNKILLABLE, OL_SEV_ERROR);
	ol_findings_free(&f);
	/* a severity set in the file is kept, not raised */
	conf_text(&c, "severity unkillable-process info\n");
	audit_conf(&c, NULL, &f);
	only(&f, OL_R_UNKILLABLE, OL_SEV_INFO);
	ol_findings_free(&f);
	ol_audit_conf_free(&c);
	/* allowed by its name, or off */
	conf_text(&c, "allow comm worker-* \"the test says so\"\n");
	audit_conf(&c, NULL, &f);
	assert_int_equal(f.n, 0);
	ol_findings_free(&f);
	ol_audit_conf_free(&c);
	conf_text(&c, "disable unkillable-process\n");
	audit_conf(&c, NULL, &f);
	assert_int_equal(f.n, 0);
	ol_findings_free(&f);
	ol_audit_conf_free(&c);
	/* oom_adj -17 alone, as kernels before 2.6.36 kept it */
	fresh_tree();
	set_adj(5659, 0, -17);
	audit(&f);
	assert_int_equal(only(&f, OL_R_UNKILLABLE, OL_SEV_WARNING)->pid, 5659);
	ol_findings_free(&f);
}

/* The built-in allow list: sshd as root in system.slice, not in a user's session. */
static void builtin_allow(void **state)
{
	struct ol_findings f;
	char exe[PATH_MAX];

	fresh_tree();
	set_adj(5658, -1000, -17);
	set_cgroup(5658, "/system.slice/ssh.service");
	pathf(exe, sizeof(exe), "%s/proc/5658/exe", tree);
	assert_int_equal(symlink("/usr/sbin/sshd", exe), 0);
	assert_clean();
	set_cgroup(5658, "/user.slice/user-1000.slice/session-4.scope");
	audit(&f);
	only(&f, OL_R_UNKILLABLE, OL_SEV_ERROR);
	ol_findings_free(&f);
}

static void inherited(void **state)
{
	struct ol_findings f;
	const struct ol_finding *x;

	/* bash (2310) set -1000 and worker-anon, its child, runs with it */
	fresh_tree();
	set_adj(2310, -1000, -17);
	set_adj(5658, -1000, -17);
	set_status(5658, "PPid", "2310");
	audit(&f);
	assert_int_equal(count(&f, OL_R_INHERITED), 1);
	for (size_t i = 0; i < f.n; i++)
		if (f.v[i].rule == OL_R_INHERITED) {
			x = &f.v[i];
			assert_int_equal(x->sev, OL_SEV_ERROR);
			assert_int_equal(x->pid, 5658);
			assert_non_null(strstr(x->evidence, "\"chain\":[{\"pid\":5658,"));
			assert_non_null(strstr(x->evidence, "{\"pid\":2310,"));
		}
	/* one finding per process: the child is not reported unkillable as well */
	for (size_t i = 0; i < f.n; i++)
		assert_false(f.v[i].rule == OL_R_UNKILLABLE && f.v[i].pid == 5658);
	ol_findings_free(&f);
	/* strong protection, -950: inherited-protection, a warning */
	fresh_tree();
	set_adj(2310, -950, -16);
	set_adj(5658, -950, -16);
	set_status(5658, "PPid", "2310");
	audit(&f);
	assert_int_equal(only(&f, OL_R_INHERITED_STRONG, OL_SEV_WARNING)->pid, 5658);
	ol_findings_free(&f);
	/* the child gave it back: nothing inherited */
	fresh_tree();
	set_adj(2310, -950, -16);
	set_status(5658, "PPid", "2310");
	assert_clean();
	/* the same program (a daemon's worker): not inherited */
	fresh_tree();
	set_adj(2310, -950, -16);
	set_adj(5658, -950, -16);
	set_status(5658, "PPid", "2310");
	set_status(5658, "Name", "bash");
	assert_clean();
}

static void unkillable_memory(void **state)
{
	struct ol_findings f;
	struct ol_audit_conf c;

	/* 5658 and 5659 unkillable and allowed: together 175428 kB, 0.71% of 24683620 kB */
	fresh_tree();
	set_adj(5658, -1000, -17);
	set_adj(5659, -1000, -17);
	conf_text(&c, "set unkillable-share 0.5\nallow comm worker-anon \"x\"\nallow comm reader-file \"y\"\n");
	audit_conf(&c, NULL, &f);
	assert_non_null(strstr(only(&f, OL_R_UNKILLABLE_SHARE, OL_SEV_ERROR)->evidence, "\"processes\":[{"));
	ol_findings_free(&f);
	ol_audit_conf_free(&c);
	conf_text(&c, "set unkillable-share 1\nallow comm worker-anon \"x\"\nallow comm reader-file \"y\"\n");
	audit_conf(&c, NULL, &f);
	assert_int_equal(f.n, 0);
	ol_findings_free(&f);
	ol_audit_conf_free(&c);
}

/* ---- sysctls ---- */

static void sysctls(void **state)
{
	static const struct {
		const char *file, *value;
		enum ol_rule rule;
		enum ol_sev sev;
		const char *says;
	} cases[] = {
		{ "panic_on_oom", "1\n", OL_R_PANIC_ON_OOM, OL_SEV_WARNING, "system-wide OOM panics" },
		{ "panic_on_oom", "2\n", OL_R_PANIC_ON_OOM, OL_SEV_WARNING, "even in a memory cgroup" },
		{ "oom_dump_tasks", "0\n", OL_R_DUMP_TASKS, OL_SEV_WARNING, "no task table" },
		{ "oom_kill_allocating_task", "1\n", OL_R_KILL_ALLOCATING, OL_SEV_WARNING, "asked for memory" },
		{ "overcommit_memory", "1\n", OL_R_OVERCOMMIT, OL_SEV_INFO, "never fail" },
		{ "overcommit_memory", "2\n", OL_R_OVERCOMMIT, OL_SEV_INFO, "strict" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ol_findings f;
		char rel[128];
		const struct ol_finding *x;

		fresh_tree();
		pathf(rel, sizeof(rel), "proc/sys/vm/%s", cases[i].file);
		puts_(rel, cases[i].value);
		audit(&f);
		x = only(&f, cases[i].rule, cases[i].sev);
		assert_int_equal(x->pid, -1);
		if (!strstr(x->message, cases[i].says))
			fail_msg("vm.%s = %s: '%s'", cases[i].file, cases[i].value, x->message);
		ol_findings_free(&f);
	}
	/* the values a stock kernel boots with (0, 0, 0, 1; overcommit 0) are clean: the fixture's */
}

/* ---- memory cgroups ---- */

static void memcg_v1_oom_disabled(void **state)
{
	struct ol_findings f;

	/* memory.oom_control as Linux 6.18 writes it, oom_kill_disable set in one group */
	fresh_tree();
	puts_("sys/fs/cgroup/memory/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
	puts_("sys/fs/cgroup/memory/ok/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
	assert_clean();
	puts_("sys/fs/cgroup/memory/app/worker/memory.oom_control", "oom_kill_disable 1\nunder_oom 0\noom_kill 0\n");
	audit(&f);
	assert_non_null(strstr(only(&f, OL_R_MEMCG_OOM_DISABLED, OL_SEV_ERROR)->evidence,
			       "\"cgroup\":\"/app/worker\""));
	ol_findings_free(&f);
}

static void memcg_v2_oom_group(void **state)
{
	struct ol_findings f;

	fresh_tree();
	puts_("sys/fs/cgroup/system.slice/memory.oom.group", "0\n");
	assert_clean();
	puts_("sys/fs/cgroup/kubepods.slice/pod1/memory.oom.group", "1\n");
	audit(&f);
	assert_non_null(strstr(only(&f, OL_R_MEMCG_OOM_GROUP, OL_SEV_INFO)->evidence,
			       "\"cgroup\":\"/kubepods.slice/pod1\""));
	ol_findings_free(&f);
}

/* ---- systemd units ---- */

static void unit_adjust(void **state)
{
	struct ol_findings f;
	const struct ol_finding *x;

	fresh_tree();
	puts_("usr/lib/systemd/system/mild.service", "[Service]\nOOMScoreAdjust=-500\n");
	puts_("usr/lib/systemd/system/other.service", "[Unit]\nOOMScoreAdjust=-1000\n");
	puts_("usr/lib/systemd/system/ssh.service", "[Service]\nOOMScoreAdjust=-1000\n");	/* allowed */
	puts_("usr/lib/systemd/system/reset.service", "[Service]\nOOMScoreAdjust=-1000\n");
	puts_("etc/systemd/system/reset.service.d/override.conf", "[Service]\nOOMScoreAdjust=\n");
	assert_clean();
	puts_("etc/systemd/system/leaky.service", "[Unit]\nDescription=x\n[Service]\nExecStart=/usr/bin/leaky\n"
	      "OOMScoreAdjust=-1000\n");
	audit(&f);
	x = only(&f, OL_R_UNIT_ADJUST, OL_SEV_WARNING);
	assert_non_null(strstr(x->evidence, "\"unit\":\"leaky.service\""));
	assert_non_null(strstr(x->evidence, "\"file\":\"/etc/systemd/system/leaky.service\""));
	assert_non_null(strstr(x->evidence, "\"line\":5"));
	ol_findings_free(&f);
}

/* ---- the kernel log ---- */

static void write_log(const char *text, char *path, size_t sz)
{
	pathf(path, sz, "%s/kern.log", tree);
	puts_("kern.log", text);
}

static void log_rules(void **state)
{
	struct ol_audit_conf c;
	struct ol_findings f;
	char path[PATH_MAX], fixture[PATH_MAX];
	const struct ol_finding *x;

	fresh_tree();
	ol_audit_conf_defaults(&c);
	/* fs/proc/base.c: "%s (%d): /proc/%d/oom_adj is deprecated, please use /proc/%d/oom_score_adj instead." */
	write_log("[   20.237738] postgres (1186): /proc/1186/oom_adj is deprecated, please use "
		  "/proc/1186/oom_score_adj instead.\n", path, sizeof(path));
	audit_conf(&c, path, &f);
	assert_true(f.log_read);
	x = only(&f, OL_R_LEGACY_OOM_ADJ, OL_SEV_INFO);
	assert_non_null(strstr(x->evidence, "\"comm\":\"postgres\""));
	assert_non_null(strstr(x->evidence, "\"pid\":1186"));
	ol_findings_free(&f);
	/* 035.log: three kills, the last of python */
	pathf(fixture, sizeof(fixture), "%s/oomlogs/035.log", fixtures());
	audit_conf(&c, fixture, &f);
	x = only(&f, OL_R_OOM_KILLS, OL_SEV_INFO);
	assert_non_null(strstr(x->evidence, "\"kills\":3"));
	assert_non_null(strstr(x->message, "the last of python"));
	ol_findings_free(&f);
	/* 010.log: one memcg OOM, six kills (memory.oom.group); quotes of them by other programs are none */
	pathf(fixture, sizeof(fixture), "%s/oomlogs/010.log", fixtures());
	audit_conf(&c, fixture, &f);
	assert_non_null(strstr(only(&f, OL_R_OOM_KILLS, OL_SEV_INFO)->evidence, "\"kills\":6"));
	ol_findings_free(&f);
	/* 028.log: an OOM with no victim is no kill */
	pathf(fixture, sizeof(fixture), "%s/oomlogs/028.log", fixtures());
	audit_conf(&c, fixture, &f);
	assert_true(f.log_read);
	assert_int_equal(f.n, 0);
	ol_findings_free(&f);
	/* a log that cannot be read fails the run; none named under a sysroot is a note */
	pathf(path, sizeof(path), "%s/no-such.log", tree);
	{
		struct ol_root root;
		struct ol_audit_opts o = { .conf = &c, .log_path = path };

		assert_int_equal(ol_root_open(&root, tree), 0);
		assert_int_equal(ol_audit_run(&root, &o, &f), -ENOENT);
		assert_int_equal(f.log_error, -ENOENT);
		o.log_path = NULL;
		assert_int_equal(ol_audit_run(&root, &o, &f), 0);
		assert_false(f.log_read);
		assert_non_null(strstr(f.note, "no kernel log"));
		ol_findings_free(&f);
		ol_root_close(&root);
	}
	ol_audit_conf_free(&c);
}

/* ---- the configuration file ---- */

static void conf_rule_ids(void **state)
{
	/* the ids of man/oomlens-audit.1, with their default severities */
	static const struct {
		const char *id;
		enum ol_sev sev;
	} man[] = {
		{ "unkillable-process", OL_SEV_WARNING }, { "inherited-unkillable", OL_SEV_ERROR },
		{ "inherited-protection", OL_SEV_WARNING }, { "unkillable-memory", OL_SEV_ERROR },
		{ "panic-on-oom", OL_SEV_WARNING }, { "oom-dump-tasks-off", OL_SEV_WARNING },
		{ "oom-kill-allocating-task", OL_SEV_WARNING }, { "overcommit", OL_SEV_INFO },
		{ "memcg-oom-disabled", OL_SEV_ERROR }, { "memcg-oom-group", OL_SEV_INFO },
		{ "unit-oom-score-adjust", OL_SEV_WARNING }, { "legacy-oom-adj", OL_SEV_INFO },
		{ "oom-kills", OL_SEV_INFO },
	};

	assert_int_equal(sizeof(man) / sizeof(man[0]), OL_R_COUNT);
	for (size_t i = 0; i < OL_R_COUNT; i++) {
		int r = ol_rule_by_id(man[i].id);

		assert_true(r >= 0);
		assert_string_equal(ol_rules[r].id, man[i].id);
		assert_int_equal(ol_rules[r].sev, man[i].sev);
		assert_non_null(ol_rules[r].summary);
		assert_non_null(ol_rules[r].fix);
	}
	assert_int_equal(ol_rule_by_id("unkillable"), -1);
	assert_int_equal(ol_rule_by_id(""), -1);
	assert_int_equal(ol_sev_from_str("off"), OL_SEV_OFF);
	assert_int_equal(ol_sev_from_str("Warning"), -1);
}

static void conf_directives(void **state)
{
	struct ol_audit_conf c;
	size_t builtin;

	ol_audit_conf_defaults(&c);
	builtin = c.nallow;
	assert_true(builtin > 0);
	assert_true(c.unkillable_share == 20.0 && c.large_share == 10.0);
	ol_audit_conf_free(&c);
	conf_text(&c, "# the database is protected on purpose\n"
		      "allow unit postgresql*.service \"losing the primary costs more than a reboot\"\n"
		      "allow exe  /usr/sbin/haproxy   \"the load balancer must survive\" uid=0 no-session\n"
		      "\n"
		      "disable overcommit\t# we know\n"
		      "severity unkillable-process error\r\n"
		      "set unkillable-share 10\n"
		      "set large-share 2.5");
	assert_int_equal(c.nallow, builtin + 2);
	assert_int_equal(c.allow[builtin].kind, OL_ALLOW_UNIT);
	assert_string_equal(c.allow[builtin].pattern, "postgresql*.service");
	assert_string_equal(c.allow[builtin].reason, "losing the primary costs more than a reboot");
	assert_int_equal(c.allow[builtin].uid, -1);
	assert_false(c.allow[builtin].no_session);
	assert_int_equal(c.allow[builtin + 1].kind, OL_ALLOW_EXE);
	assert_int_equal(c.allow[builtin + 1].uid, 0);
	assert_true(c.allow[builtin + 1].no_session);
	assert_int_equal(c.sev[OL_R_OVERCOMMIT], OL_SEV_OFF);
	assert_int_equal(c.sev[OL_R_UNKILLABLE], OL_SEV_ERROR);
	assert_true(c.sev_set[OL_R_UNKILLABLE]);
	assert_true(c.unkillable_share == 10.0 && c.large_share == 2.5);
	ol_audit_conf_free(&c);
	/* no-default-allow keeps the file's own entries */
	conf_text(&c, "allow comm a \"x\"\nno-default-allow\nallow comm b \"y\"\n");
	assert_int_equal(c.nallow, 2);
	assert_string_equal(c.allow[0].pattern, "a");
	assert_string_equal(c.allow[1].pattern, "b");
	ol_audit_conf_free(&c);
}

/* What --show-config prints is a configuration that reads back to the same. */
static void conf_dump_round_trip(void **state)
{
	struct ol_audit_conf c, back;
	char *dump, err[256];

	conf_text(&c, "allow exe /usr/sbin/haproxy \"the load balancer\" uid=0 no-session\n"
		      "disable overcommit\nseverity panic-on-oom error\nset unkillable-share 12.5\n");
	dump = ol_audit_conf_dump(&c);
	assert_non_null(dump);
	/* the built-in entries are in the dump: read it on top of nothing */
	ol_audit_conf_defaults(&back);
	assert_int_equal(ol_audit_conf_parse(&back, "no-default-allow\n", err, sizeof(err)), 0);
	assert_int_equal(ol_audit_conf_parse(&back, dump, err, sizeof(err)), 0);
	assert_int_equal(back.nallow, c.nallow);
	for (size_t i = 0; i < c.nallow; i++) {
		assert_int_equal(back.allow[i].kind, c.allow[i].kind);
		assert_string_equal(back.allow[i].pattern, c.allow[i].pattern);
		assert_string_equal(back.allow[i].reason, c.allow[i].reason);
		assert_int_equal(back.allow[i].uid, c.allow[i].uid);
		assert_int_equal(back.allow[i].no_session, c.allow[i].no_session);
	}
	assert_memory_equal(back.sev, c.sev, sizeof(c.sev));
	assert_true(back.unkillable_share == c.unkillable_share && back.large_share == c.large_share);
	free(dump);
	ol_audit_conf_free(&back);
	ol_audit_conf_free(&c);
}

static void conf_errors(void **state)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
		{ "allow comm", "2: usage: allow" },
		{ "allow pid 1 \"x\"", "2: unknown allow kind 'pid'" },
		{ "allow comm \"\" \"x\"", "2: allow needs a pattern and a reason" },
		{ "allow comm x \"\"", "2: allow needs a pattern and a reason" },
		{ "allow comm x \"unterminated", "2: unterminated quote" },
		{ "allow comm x \"y\"z", "2: text right after a closing quote" },
		{ "allow comm x \"y\" uid=root", "2: unknown allow condition 'uid=root'" },
		{ "allow comm x \"y\" uid=-1", "2: unknown allow condition 'uid=-1'" },
		{ "allow comm x \"y\" uid=4294967295", "2: '4294967295' is not a uid" },
		{ "allow comm x \"y\" uid=99999999999999999999", "2: '99999999999999999999' is not a uid" },
		{ "allow comm x \"y\" sometimes", "2: unknown allow condition 'sometimes'" },
		{ "allow comm x \"y\" uid=0 no-session extra", "2: usage: allow" },
		{ "disable", "2: usage: disable RULE" },
		{ "disable nosuchrule", "2: unknown rule 'nosuchrule'" },
		{ "severity panic-on-oom loud", "2: unknown severity 'loud'" },
		{ "severity panic-on-oom", "2: usage: severity" },
		{ "set large-share 200", "2: '200' is not a percentage" },
		{ "set large-share -1", "2: '-1' is not a percentage" },
		{ "set large-share nan", "2: 'nan' is not a percentage" },
		{ "set large-share 5%", "2: '5%' is not a percentage" },
		{ "set other-share 5", "2: unknown setting 'other-share'" },
		{ "no-default-allow now", "2: unknown directive 'no-default-allow'" },
		{ "frobnicate", "2: unknown directive 'frobnicate'" },
		{ "allow comm x \"y\x1b[31m\"", "2: control character in the line" },
		{ "a b c d e f g h i", "2: too many words" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ol_audit_conf c;
		char text[256], err[256] = "";

		snprintf(text, sizeof(text), "# ok\n%s\n", bad[i].text);
		ol_audit_conf_defaults(&c);
		assert_int_equal(ol_audit_conf_parse(&c, text, err, sizeof(err)), -EINVAL);
		if (strncmp(err, bad[i].err, strlen(bad[i].err)) != 0)
			fail_msg("'%s': '%s', want '%s...'", bad[i].text, err, bad[i].err);
		ol_audit_conf_free(&c);
	}
}

/* ---- setup ---- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **state)
{
	return mkdtemp(top) ? 0 : -1;
}

static int teardown(void **state)
{
	return nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean_tree),
		cmocka_unit_test(unkillable_process),
		cmocka_unit_test(builtin_allow),
		cmocka_unit_test(inherited),
		cmocka_unit_test(unkillable_memory),
		cmocka_unit_test(sysctls),
		cmocka_unit_test(memcg_v1_oom_disabled),
		cmocka_unit_test(memcg_v2_oom_group),
		cmocka_unit_test(unit_adjust),
		cmocka_unit_test(log_rules),
		cmocka_unit_test(conf_rule_ids),
		cmocka_unit_test(conf_directives),
		cmocka_unit_test(conf_dump_round_trip),
		cmocka_unit_test(conf_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
