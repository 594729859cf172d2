// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The wrappers around a kernel message (lib/logline.c ol_log_unwrap()), one
 * case each, and each once more through the parser (lib/oomlog.c), so that
 * the event comes out whole whatever wrapped it.  The messages are real lines
 * of tests/fixtures/oomlogs/ (the file is named at each); where a fixture has
 * no line in some wrapper, the same message is given the stamp that tool
 * writes (dmesg -T, journalctl -o short-precise/short-iso/short-monotonic,
 * rsyslog's RFC 3339 and RFC 5424 templates, rsyslog's #012 escape).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "oomlens/oomlog.h"

#include "fixtures.h"
#include "fixture-load.h"
#include "evlist.h"

static struct ol_logline unwrap(const char *line)
{
	struct ol_logline l;

	ol_log_unwrap(line, strlen(line), &l);
	return l;
}

#define assert_span(p, n, str) do { \
		assert_non_null(p); \
		assert_int_equal((n), strlen(str)); \
		assert_memory_equal((p), (str), strlen(str)); \
	} while (0)

#define assert_body(l, str) assert_span((l).body, (l).bodylen, str)

static void assert_boot(const struct ol_logline *l, double want)
{
	assert_true(l->boot > want - 5e-7 && l->boot < want + 5e-7);
}

static void assert_hms(const struct tm *tm, int h, int m, int s)
{
	assert_int_equal(tm->tm_hour, h);
	assert_int_equal(tm->tm_min, m);
	assert_int_equal(tm->tm_sec, s);
}

/* ---- ol_log_unwrap(), one wrapper at a time ---- */

/* 002: kernel text with nothing around it */
static void bare(void **state)
{
	static const char line[] = "sed invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0";
	struct ol_logline l = unwrap(line);

	assert_int_equal(l.wrap, OL_WRAP_BARE);
	assert_ptr_equal(l.body, line);
	assert_int_equal(l.bodylen, strlen(line));
	assert_null(l.host);
	assert_null(l.tag);
	assert_null(l.stamp);
	assert_false(l.have_tm);
	assert_true(l.boot < 0);
	/* one space of indent is the kernel's own (call traces, Mem-Info): still bare */
	l = unwrap(" active_file:1263 inactive_file:1167 isolated_file:32");
	assert_int_equal(l.wrap, OL_WRAP_BARE);
	assert_body(l, " active_file:1263 inactive_file:1167 isolated_file:32");
}

/* 004: /dev/kmsg records, "PRI,SEQ,USEC,FLAGS;text", and their dictionary lines */
static void kmsg(void **state)
{
	struct ol_logline l = unwrap("4,1530,22664882991,-;i3bar invoked oom-killer: "
				     "gfp_mask=0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD), order=0, oom_score_adj=0");

	assert_int_equal(l.wrap, OL_WRAP_KMSG);
	assert_span(l.stamp, l.stamplen, "4,1530,22664882991,-");
	assert_boot(&l, 22664.882991);
	assert_null(l.host);
	assert_false(l.have_tm);
	assert_body(l, "i3bar invoked oom-killer: gfp_mask=0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD), "
		       "order=0, oom_score_adj=0");
	l = unwrap("6,1573,22664883077,-;[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents "
		   "oom_score_adj name");
	assert_int_equal(l.wrap, OL_WRAP_KMSG);
	assert_body(l, "[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name");
	/* a continuation record ("c" flag) is a record too */
	l = unwrap("4,1555,22664883039,c;Node 0 active_anon:6962048kB");
	assert_int_equal(l.wrap, OL_WRAP_KMSG);
	assert_body(l, "Node 0 active_anon:6962048kB");
	l = unwrap(" SUBSYSTEM=scsi");
	assert_int_equal(l.wrap, OL_WRAP_KMSG_DICT);
	assert_int_equal(l.bodylen, 0);
	l = unwrap(" DEVICE=+scsi:3:0:0:0");
	assert_int_equal(l.wrap, OL_WRAP_KMSG_DICT);
	assert_int_equal(l.bodylen, 0);
}

/* 003, 025: dmesg's "[seconds.micro] " */
static void dmesg(void **state)
{
	struct ol_logline l = unwrap("[4379596.347992] mysqld invoked oom-killer: gfp_mask=0x201da, order=0, "
				     "oom_adj=0, oom_score_adj=0");

	assert_int_equal(l.wrap, OL_WRAP_DMESG);
	assert_span(l.stamp, l.stamplen, "[4379596.347992]");
	assert_boot(&l, 4379596.347992);
	assert_null(l.host);
	assert_body(l, "mysqld invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0");
	l = unwrap("[  315.224875] kworker/u17:0 invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0");
	assert_int_equal(l.wrap, OL_WRAP_DMESG);
	assert_boot(&l, 315.224875);
	assert_body(l, "kworker/u17:0 invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0");
	/* a task row is no stamp: "[24518]" has no fraction */
	l = unwrap("[24518]     0 24518    66805    60921     134        0          -998 monocular");
	assert_int_equal(l.wrap, OL_WRAP_BARE);
}

/* 021: dmesg -T in French; 035's message as dmesg -T prints it in English */
static void dmesg_t(void **state)
{
	struct ol_logline l = unwrap("[dim. 19 avril 18:03:30 2026] Out of memory: Killed process 43056 (colmap) "
				     "total-vm:30044644kB, anon-rss:13553456kB, file-rss:57484kB, shmem-rss:2432kB, "
				     "UID:1000 pgtables:31820kB oom_score_adj:200");

	assert_int_equal(l.wrap, OL_WRAP_DMESG_T);
	assert_span(l.stamp, l.stamplen, "[dim. 19 avril 18:03:30 2026]");
	assert_true(l.have_tm && l.have_year);
	assert_int_equal(l.tm.tm_year, 2026 - 1900);
	assert_int_equal(l.tm.tm_mon, 3);
	assert_int_equal(l.tm.tm_mday, 19);
	assert_hms(&l.tm, 18, 3, 30);
	assert_true(l.boot < 0);
	assert_body(l, "Out of memory: Killed process 43056 (colmap) total-vm:30044644kB, anon-rss:13553456kB, "
		       "file-rss:57484kB, shmem-rss:2432kB, UID:1000 pgtables:31820kB oom_score_adj:200");
	l = unwrap("[Fri Dec 16 18:56:29 2016] Out of memory: Kill process 12950 (firefox) score 38 or sacrifice child");
	assert_int_equal(l.wrap, OL_WRAP_DMESG_T);
	assert_int_equal(l.tm.tm_year, 2016 - 1900);
	assert_int_equal(l.tm.tm_mon, 11);
	assert_int_equal(l.tm.tm_mday, 16);
	assert_hms(&l.tm, 18, 56, 29);
	assert_body(l, "Out of memory: Kill process 12950 (firefox) score 38 or sacrifice child");
	/* "mar." is Tuesday in French, not March: the first word is the weekday */
	l = unwrap("[mar. 21 avril 09:00:01 2026] Out of memory: Killed process 43056 (colmap)");
	assert_int_equal(l.wrap, OL_WRAP_DMESG_T);
	assert_int_equal(l.tm.tm_mon, 3);
	assert_int_equal(l.tm.tm_mday, 21);
}

/* 008, 013, 019, 023: syslog and journalctl's short format */
static void syslog_lines(void **state)
{
	struct ol_logline l = unwrap("Dec  8 01:56:31 scottubuntu kernel: [106464.880260] mono invoked oom-killer: "
				     "gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0");

	assert_int_equal(l.wrap, OL_WRAP_SYSLOG);
	assert_span(l.host, l.hostlen, "scottubuntu");
	assert_span(l.tag, l.taglen, "kernel");
	assert_span(l.stamp, l.stamplen, "Dec  8 01:56:31");
	assert_true(l.have_tm);
	assert_false(l.have_year);
	assert_int_equal(l.tm.tm_mon, 11);
	assert_int_equal(l.tm.tm_mday, 8);
	assert_hms(&l.tm, 1, 56, 31);
	/* the kernel's own stamp inside is the boot time, and no part of the message */
	assert_boot(&l, 106464.880260);
	assert_body(l, "mono invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0");
	/* journalctl (short): no kernel stamp */
	l = unwrap("Aug 11 09:15:29 slryzen kernel: Out of memory: Killed process 2309 (wireplumber) "
		   "total-vm:401348kB, anon-rss:1536kB, file-rss:6144kB, shmem-rss:0kB, UID:1000 pgtables:136kB "
		   "oom_score_adj:200");
	assert_int_equal(l.wrap, OL_WRAP_SYSLOG);
	assert_span(l.host, l.hostlen, "slryzen");
	assert_true(l.boot < 0);
	assert_int_equal(l.tm.tm_mon, 7);
	assert_int_equal(l.tm.tm_mday, 11);
	/* RHEL 6: "kernel: : [ts] text" */
	l = unwrap("Apr 18 16:56:16 v125000100.bja kernel: : [22254383.898423] Out of memory: Kill process 24894 "
		   "(big_mm) score 277 or sacrifice child");
	assert_int_equal(l.wrap, OL_WRAP_SYSLOG);
	assert_boot(&l, 22254383.898423);
	assert_body(l, "Out of memory: Kill process 24894 (big_mm) score 277 or sacrifice child");
	/* another program's line: its tag without "[pid]" */
	l = unwrap("May 20 16:38:46 node03 sudo[10166]: pam_unix(sudo:session): session closed for user root");
	assert_int_equal(l.wrap, OL_WRAP_SYSLOG);
	assert_span(l.tag, l.taglen, "sudo");
	assert_body(l, "pam_unix(sudo:session): session closed for user root");
	/* journalctl -o short-precise */
	l = unwrap("Aug 11 09:15:29.123456 slryzen kernel: Out of memory: Killed process 2309 (wireplumber)");
	assert_int_equal(l.wrap, OL_WRAP_SYSLOG);
	assert_span(l.stamp, l.stamplen, "Aug 11 09:15:29.123456");
	assert_int_equal(l.tm_usec, 123456);
	assert_body(l, "Out of memory: Killed process 2309 (wireplumber)");
}

/* 010's kill, as journalctl -o short-iso and rsyslog's RFC 3339 template write it */
static void iso(void **state)
{
	struct ol_logline l = unwrap("2025-05-19T18:14:43+0000 aks-np0cas-14924781-vmss000008 kernel: Memory cgroup "
				     "out of memory: Killed process 7788 (bash) total-vm:7169492kB");

	assert_int_equal(l.wrap, OL_WRAP_ISO);
	assert_span(l.host, l.hostlen, "aks-np0cas-14924781-vmss000008");
	assert_span(l.tag, l.taglen, "kernel");
	assert_true(l.have_tm && l.have_year && l.have_zone);
	assert_int_equal(l.tm_gmtoff, 0);
	assert_int_equal(l.tm.tm_year, 2025 - 1900);
	assert_int_equal(l.tm.tm_mon, 4);
	assert_int_equal(l.tm.tm_mday, 19);
	assert_hms(&l.tm, 18, 14, 43);
	assert_body(l, "Memory cgroup out of memory: Killed process 7788 (bash) total-vm:7169492kB");
	l = unwrap("2025-05-19T20:14:43.201482+02:00 aks-np0cas-14924781-vmss000008 kernel: [  139.201482] Memory "
		   "cgroup out of memory: Killed process 7788 (bash)");
	assert_int_equal(l.wrap, OL_WRAP_ISO);
	assert_int_equal(l.tm_usec, 201482);
	assert_int_equal(l.tm_gmtoff, 7200);
	assert_boot(&l, 139.201482);
	assert_body(l, "Memory cgroup out of memory: Killed process 7788 (bash)");
}

/* 010's kill in RFC 5424 (rsyslog RSYSLOG_SyslogProtocol23Format), with and without a BOM */
static void rfc5424(void **state)
{
	struct ol_logline l = unwrap("<3>1 2025-05-19T18:14:43.201482Z aks-np0cas-14924781-vmss000008 kernel - - - "
				     "Memory cgroup out of memory: Killed process 7788 (bash)");

	assert_int_equal(l.wrap, OL_WRAP_RFC5424);
	assert_span(l.host, l.hostlen, "aks-np0cas-14924781-vmss000008");
	assert_span(l.tag, l.taglen, "kernel");
	assert_span(l.stamp, l.stamplen, "2025-05-19T18:14:43.201482Z");
	assert_true(l.have_zone);
	assert_int_equal(l.tm_usec, 201482);
	assert_body(l, "Memory cgroup out of memory: Killed process 7788 (bash)");
	l = unwrap("<3>1 2025-05-19T18:14:43.201482Z aks-np0cas-14924781-vmss000008 kernel - - [meta x=\"1\"] "
		   "\xef\xbb\xbfMemory cgroup out of memory: Killed process 7788 (bash)");
	assert_int_equal(l.wrap, OL_WRAP_RFC5424);
	assert_body(l, "Memory cgroup out of memory: Killed process 7788 (bash)");
}

/* journalctl -o short-monotonic: "[ seconds] host kernel: text" */
static void monotonic(void **state)
{
	struct ol_logline l = unwrap("[  139.201482] aks-np0cas-14924781-vmss000008 kernel: Memory cgroup out of "
				     "memory: Killed process 7788 (bash)");

	assert_int_equal(l.wrap, OL_WRAP_MONO);
	assert_boot(&l, 139.201482);
	assert_span(l.host, l.hostlen, "aks-np0cas-14924781-vmss000008");
	assert_span(l.tag, l.taglen, "kernel");
	assert_body(l, "Memory cgroup out of memory: Killed process 7788 (bash)");
}

/* 032: the journal continues a multi-line message on lines indented by 36 spaces */
static void continuation(void **state)
{
	struct ol_logline l = unwrap("                                    free:1381579 free_pcp:583 free_cma:0");

	assert_int_equal(l.wrap, OL_WRAP_CONT);
	assert_null(l.host);
	assert_body(l, "free:1381579 free_pcp:583 free_cma:0");
	/* 025: an unstamped continuation the kernel itself indents */
	l = unwrap("               oom_policy=default");
	assert_int_equal(l.wrap, OL_WRAP_CONT);
	assert_body(l, "oom_policy=default");
}

/* Truncated and odd stamps are bare text, never a crash or a read past the end. */
static void not_wrappers(void **state)
{
	static const char *const lines[] = {
		"[", "[4379596.", "[4379596.347992", "[1234567890123.5] x", "<", "<6>", "<6>1", "<6>1 2026-",
		"4,", "4,1530", "4,1530,22664882991", "4,1530,22664882991;", "Dec", "Dec  8 01:56:31",
		"Dec  8 01:56:31 host", "Dec 99 01:56:31 host kernel: x", "2025-05-19T18:14:43", "[dim. 19 avril",
		"[Fri Dec 16 18:56:29] x", "  ", "",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct ol_logline l;
		size_t n = strlen(lines[i]);
		char *copy = malloc(n ? n : 1);	/* exactly n bytes: ASan catches a read past the end */

		assert_non_null(copy);
		memcpy(copy, lines[i], n);
		ol_log_unwrap(copy, n, &l);
		assert_true(l.body >= copy && l.body + l.bodylen <= copy + n);
		free(copy);
	}
	/* "1234567890123.5": 13 digits of seconds are no uptime */
	assert_int_equal(unwrap("[1234567890123.5] x").wrap, OL_WRAP_BARE);
	assert_int_equal(unwrap("Dec 99 01:56:31 host kernel: x").wrap, OL_WRAP_BARE);
}

/*
 * Every line of every fixture, and every prefix of it, in a buffer of exactly
 * its size (ASan builds catch a read past the end), through the unwrapper;
 * and every whole line so through the parser.
 */
static void exact_size_lines(void **state)
{
	char *index = load_fixture("oomlogs/INDEX.tsv", NULL), *row, *save = NULL;
	unsigned long lines = 0;

	for (row = strtok_r(index, "\n", &save); row; row = strtok_r(NULL, "\n", &save)) {
		struct ol_logparser_opts o = { .on_event = evlist_keep };
		struct evlist l = { 0 };
		struct ol_logparser *p;
		char file[64], rel[96], *text;
		size_t len;

		if (sscanf(row, "%63[^\t]", file) != 1 || !strstr(file, ".log"))
			continue;
		pathf(rel, sizeof(rel), "oomlogs/%s", file);
		text = load_fixture(rel, &len);
		o.data = &l;
		p = ol_logparser_new(&o);
		assert_non_null(p);
		for (const char *s = text, *end = text + len; s < end; lines++) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
			char *copy = malloc(n ? n : 1);

			assert_non_null(copy);
			memcpy(copy, s, n);
			for (size_t k = 0; k <= n; k++) {
				struct ol_logline ll;

				ol_log_unwrap(copy, k, &ll);
				assert_true(ll.body >= copy && ll.body + ll.bodylen <= copy + k);
			}
			assert_int_equal(ol_logparser_line(p, copy, n), 0);
			free(copy);
			s += n + 1;
		}
		ol_logparser_flush(p, 0);
		ol_logparser_free(p);
		assert_true(l.n > 0);
		evlist_free(&l);
		free(text);
	}
	free(index);
	assert_int_equal(lines, 1949);
}

/* the pasted prefixes' parts, one by one */
static void prefix_parts(void **state)
{
	struct ol_logline l;

	l = unwrap("Apr 01 14:13:32 mysrv: sed invoked oom-killer: gfp_mask=0x0");
	assert_int_equal(l.wrap, OL_WRAP_SYSLOG);
	assert_span(l.host, l.hostlen, "mysrv");
	assert_null(l.tag);
	assert_body(l, "sed invoked oom-killer: gfp_mask=0x0");
	l = unwrap("Apr 01 14:13:32 mysrv <kern.warning> kernel: sed invoked");
	assert_span(l.host, l.hostlen, "mysrv");
	assert_span(l.tag, l.taglen, "kernel");
	assert_body(l, "sed invoked");
	l = unwrap("Apr 01 14:13:32 mysrv kernel:sed invoked");
	assert_span(l.tag, l.taglen, "kernel");
	assert_body(l, "sed invoked");
	l = unwrap("Apr 01 14:13:32 kernel: sed invoked");
	assert_null(l.host);
	assert_span(l.tag, l.taglen, "kernel");
	l = unwrap("Apr 01 14:13:32 ** kernel: sed invoked");
	assert_span(l.host, l.hostlen, "**");
	l = unwrap("kern  :warn  : [  139.201482] sed invoked");
	assert_int_equal(l.wrap, OL_WRAP_DMESG);
	assert_boot(&l, 139.201482);
	assert_body(l, "sed invoked");
	l = unwrap("[  139.201482][T10521] sed invoked");
	assert_body(l, "sed invoked");
	l = unwrap("[  139.201482] [    C1] sed invoked");
	assert_body(l, "sed invoked");
	l = unwrap(" 139.201482] sed invoked");	/* the "[" lost */
	assert_int_equal(l.wrap, OL_WRAP_DMESG);
	assert_boot(&l, 139.201482);
	assert_body(l, "sed invoked");
	l = unwrap("[\xe5\x9b\x9b 4\xe6\x9c\x88 17 22:43:41 2025] sed invoked");
	assert_int_equal(l.wrap, OL_WRAP_DMESG_T);
	assert_int_equal(l.tm.tm_mon, 3);
	assert_int_equal(l.tm.tm_mday, 17);
	l = unwrap("[\xd0\xa7\xd1\x82 \xd0\x90\xd0\xbf\xd1\x80 17 22:43:41 2025] sed invoked");	/* "Апр" */
	assert_int_equal(l.wrap, OL_WRAP_DMESG_T);
	assert_int_equal(l.tm.tm_mon, 3);
	/* not a decoded prefix: an unknown level */
	l = unwrap("kern  :loud  : sed invoked");
	assert_int_equal(l.wrap, OL_WRAP_BARE);
}

/* ---- the same wrappers through the parser: the event comes out whole ---- */

static const struct ol_oom_event *parse_one(struct evlist *l, const char *text)
{
	evlist_parse(l, text, strlen(text), EVLIST_REFERENCE);
	assert_int_equal(l->n, 1);
	return l->v[0];
}

/* 004's records, a dictionary line between them, Mem-Info escaped as \x0a */
static void parse_kmsg(void **state)
{
	static const char text[] =
		"4,1530,22664882991,-;i3bar invoked oom-killer: gfp_mask=0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD), order=0, oom_score_adj=0\n"
		"6,1531,22664882992,-;i3bar cpuset=/ mems_allowed=0\n"
		"4,1532,22664882996,-;CPU: 2 PID: 6530 Comm: i3bar Tainted: G           O    4.8.0-gentoo #2\n"
		" SUBSYSTEM=scsi\n"
		" DEVICE=+scsi:3:0:0:0\n"
		"4,1554,22664883036,-;active_anon:1740512 inactive_anon:219486 isolated_anon:0\\x0a active_file:39 inactive_file:45 isolated_file:0\\x0a unevictable:4 dirty:0 writeback:0 unstable:0\\x0a slab_reclaimable:2982 slab_unreclaimable:11892\\x0a mapped:1308 shmem:17562 pagetables:10420 bounce:0\\x0a free:11442 free_pcp:93 free_cma:0\n"
		"4,1570,22664883075,-;2066251 pages RAM\n"
		"4,1572,22664883076,-;54780 pages reserved\n"
		"6,1573,22664883077,-;[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name\n"
		"6,1663,22664883175,-;[13935]  1000 13935  5248951  1929165    5386      14   821800             0 gunpowder-memho\n"
		"3,1664,22664883176,-;Out of memory: Kill process 13935 (gunpowder-memho) score 900 or sacrifice child\n"
		"3,1665,22664883178,-;Killed process 13935 (gunpowder-memho) total-vm:20995804kB, anon-rss:7716656kB, file-rss:4kB, shmem-rss:0kB\n"
		"6,1666,22665276534,-;oom_reaper: reaped process 13935 (gunpowder-memho), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n";
	struct evlist l = { 0 };
	const struct ol_oom_event *ev = parse_one(&l, text);

	assert_string_equal(ev->trigger_comm, "i3bar");
	assert_int_equal(ev->trigger_pid, 6530);
	assert_string_equal(ev->kernel, "4.8.0-gentoo");
	assert_true(ev->free_pages == 11442);
	assert_true(ev->pages_ram == 2066251);
	assert_true(ev->pages_reserved == 54780);
	assert_int_equal(ev->ntasks, 1);
	assert_int_equal(ev->tasks[0].nr_pmds, 14);
	assert_int_equal(ev->victims[0].pid, 13935);
	assert_int_equal(ev->victims[0].reaped, 1);
	assert_true(ev->boot > 22664.88299 && ev->boot < 22664.88300);
	/* not the record's prefix "4,1530,22664882991,-" */
	assert_string_equal(ev->time, "[22664.882991]");
	evlist_free(&l);
}

/* 035's first event in kern.log, its Mem-Info message escaped by rsyslog as #012 */
static void parse_rsyslog_012(void **state)
{
	static const char text[] =
		"Dec 16 18:56:29 boerne.fritz.box kernel: kthreadd invoked oom-killer: gfp_mask=0x27080c0(GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_NOTRACK), nodemask=0, order=1, oom_score_adj=0\n"
		"Dec 16 18:56:29 boerne.fritz.box kernel: CPU: 1 PID: 2 Comm: kthreadd Not tainted 4.9.0-gentoo #3\n"
		"Dec 16 18:56:29 boerne.fritz.box kernel: active_anon:132176 inactive_anon:11640 isolated_anon:0#012 active_file:295257 inactive_file:389350 isolated_file:20#012 unevictable:0 dirty:3956 writeback:0 unstable:0#012 slab_reclaimable:54632 slab_unreclaimable:21963#012 mapped:36724 shmem:11853 pagetables:914 bounce:0#012 free:77600 free_pcp:327 free_cma:0\n"
		"Dec 16 18:56:29 boerne.fritz.box kernel: Free swap  = 3781628kB\n"
		"Dec 16 18:56:29 boerne.fritz.box kernel: Total swap = 3781628kB\n"
		"Dec 16 18:56:29 boerne.fritz.box kernel: 1006816 pages RAM\n"
		"Dec 16 18:56:29 boerne.fritz.box kernel: 16403 pages reserved\n"
		"Dec 16 18:56:29 boerne.fritz.box kernel: Out of memory: Kill process 12950 (firefox) score 38 or sacrifice child\n"
		"Dec 16 18:56:29 boerne.fritz.box kernel: Killed process 12950 (firefox) total-vm:788928kB, anon-rss:192656kB, file-rss:100548kB, shmem-rss:24kB\n";
	struct evlist l = { 0 };
	const struct ol_oom_event *ev = parse_one(&l, text);

	assert_string_equal(ev->host, "boerne.fritz.box");
	assert_string_equal(ev->trigger_comm, "kthreadd");
	assert_int_equal(ev->order, 1);
	assert_true(ev->have_mem & OL_MEM_FREE);
	assert_true(ev->free_pages == 77600);
	assert_true(ev->total_swap_kb == 3781628);
	assert_true(ev->pages_ram == 1006816);
	assert_int_equal(ev->victims[0].pid, 12950);
	assert_int_equal(ev->selected_score, 38);
	evlist_free(&l);
}

/* 032's journal: continuation lines belong to the message, and host, above them */
static void parse_journal_continuation(void **state)
{
	static const char text[] =
		"Feb 12 08:21:50 asrocke350m1 kernel: updatedb.mlocat invoked oom-killer: gfp_mask=0x16040d0(GFP_TEMPORARY|__GFP_COMP|__GFP_NOTRACK), nodemask=\n"
		"Feb 12 08:21:53 asrocke350m1 kernel: Mem-Info:\n"
		"Feb 12 08:21:53 asrocke350m1 kernel: active_anon:119893 inactive_anon:17678 isolated_anon:0\n"
		"                                    active_file:31461 inactive_file:219091 isolated_file:0\n"
		"                                    unevictable:21 dirty:0 writeback:0 unstable:0\n"
		"                                    slab_reclaimable:127609 slab_unreclaimable:9519\n"
		"                                    mapped:63113 shmem:6177 pagetables:1601 bounce:0\n"
		"                                    free:1381579 free_pcp:583 free_cma:0\n"
		"Feb 12 08:22:05 asrocke350m1 kernel: Out of memory: Kill process 2798 (firefox-esr) score 27 or sacrifice child\n"
		"Feb 12 08:22:05 asrocke350m1 kernel: Killed process 2798 (firefox-esr) total-vm:832548kB, anon-rss:248168kB, file-rss:86300kB, shmem-rss:68kB\n";
	struct evlist l = { 0 };
	const struct ol_oom_event *ev = parse_one(&l, text);

	assert_string_equal(ev->host, "asrocke350m1");
	assert_true(ev->free_pages == 1381579);
	assert_int_equal(ev->victims[0].pid, 2798);
	assert_int_equal(ev->last_line, 10);
	evlist_free(&l);
}

/* 021's lines: dmesg -T stamps give the event an absolute time */
static void parse_dmesg_t(void **state)
{
	static const char text[] =
		"[dim. 19 avril 18:03:30 2026] [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n"
		"[dim. 19 avril 18:03:30 2026] [  43056]  1000 43056  7511161  3403343  3388364    14371       608 32583680   518157           200 colmap\n"
		"[dim. 19 avril 18:03:30 2026] Out of memory: Killed process 43056 (colmap) total-vm:30044644kB, anon-rss:13553456kB, file-rss:57484kB, shmem-rss:2432kB, UID:1000 pgtables:31820kB oom_score_adj:200\n";
	struct evlist l = { 0 };
	const struct ol_oom_event *ev = parse_one(&l, text);

	assert_int_equal(ev->epoch, 1776621810);	/* 2026-04-19 18:03:30 (TZ=UTC) */
	assert_int_equal(ev->ntasks, 1);
	assert_int_equal(ev->victims[0].pid, 43056);
	evlist_free(&l);
}

/* 010's kill in the other stamped formats: host, time and victim each time */
static void parse_iso_rfc5424_mono(void **state)
{
	static const char *const texts[] = {
		"2025-05-19T18:14:43.201482+00:00 aks-np0cas-14924781-vmss000008 kernel: [  139.201482] Memory cgroup out of memory: Killed process 7788 (bash) total-vm:7169492kB, anon-rss:7165824kB, file-rss:956kB, shmem-rss:0kB, UID:0 pgtables:14076kB oom_score_adj:1000\n",
		"<3>1 2025-05-19T18:14:43.201482Z aks-np0cas-14924781-vmss000008 kernel - - - Memory cgroup out of memory: Killed process 7788 (bash) total-vm:7169492kB, anon-rss:7165824kB, file-rss:956kB, shmem-rss:0kB, UID:0 pgtables:14076kB oom_score_adj:1000\n",
		"[  139.201482] aks-np0cas-14924781-vmss000008 kernel: Memory cgroup out of memory: Killed process 7788 (bash) total-vm:7169492kB, anon-rss:7165824kB, file-rss:956kB, shmem-rss:0kB, UID:0 pgtables:14076kB oom_score_adj:1000\n",
	};

	for (size_t i = 0; i < 3; i++) {
		struct evlist l = { 0 };
		const struct ol_oom_event *ev = parse_one(&l, texts[i]);

		assert_string_equal(ev->host, "aks-np0cas-14924781-vmss000008");
		assert_int_equal(ev->kind, OL_EV_MEMCG);
		assert_int_equal(ev->victims[0].pid, 7788);
		assert_int_equal(ev->victims[0].oom_score_adj, 1000);
		if (i < 2) {
			assert_int_equal(ev->epoch, 1747678483);	/* 2025-05-19T18:14:43Z */
			assert_int_equal(ev->epoch_usec, 201482);
		}
		if (i != 1)
			assert_true(ev->boot > 139.20148 && ev->boot < 139.20149);
		evlist_free(&l);
	}
}

/*
 * The prefixes people paste, each around every line of 008 (kern.log, a 5.8
 * kernel): the event must come out as it does from the bare kernel text,
 * with a clean trigger comm, its pid, the release, the task table, swap and
 * the page size.  "%s" is the kernel's text; "%b" the boot stamp's digits.
 */
static const char *const prefixes[] = {
	"Apr 01 14:13:32 mysrv: %s",				/* rsyslog template with no tag */
	"Apr 01 14:13:32 mysrv <kern.warning> kernel: %s",	/* a priority in the template */
	"Apr 01 14:13:32 mysrv kernel:%s",			/* no space after "kernel:" */
	"Apr 01 14:13:32 ** kernel: %s",			/* journal, host masked */
	"Apr 01 14:13:32 kernel: %s",				/* journal, host missing */
	"kern  :warn  : [%b] %s",				/* dmesg -x */
	"kern  :warn  : %s",
	"[%b] [T10521] %s",					/* CONFIG_PRINTK_CALLER, dmesg */
	"[%b][    C1] %s",					/* ... console */
	"[\xe5\x9b\x9b 4\xe6\x9c\x88 17 22:43:41 2025] %s",	/* dmesg -T, zh_CN */
	"[\xd0\xa7\xd1\x82 \xd0\xb0\xd0\xbf\xd1\x80 17 22:43:41 2025] %s",	/* dmesg -T, ru_RU */
	"Apr 01 14:13:32 mysrv: [%b] %s",
};

static char *rewrap(const char *fmt, const char *boot, const char *body, size_t n)
{
	char *out = malloc(strlen(fmt) + strlen(boot) + n + 1), *o = out;

	assert_non_null(out);
	for (const char *f = fmt; *f; f++) {
		if (f[0] == '%' && f[1] == 's') {
			memcpy(o, body, n);
			o += n;
			f++;
		} else if (f[0] == '%' && f[1] == 'b') {
			o = stpcpy(o, boot);
			f++;
		} else {
			*o++ = *f;
		}
	}
	*o = '\0';
	return out;
}

static void assert_008(const struct ol_oom_event *ev, const char *fmt)
{
	if (strcmp(ev->trigger_comm, "mono") != 0)
		fail_msg("%s: trigger comm '%s'", fmt, ev->trigger_comm);
	assert_int_equal(ev->trigger_pid, 25017);
	assert_string_equal(ev->kernel, "5.8.0-32-generic");
	assert_int_equal(ev->ntasks, 162);	/* as from the file itself */
	assert_true(ev->total_swap_kb == 2097148);
	assert_int_equal(ev->page_size, 4096);
	assert_true(ev->pages_ram > 0);
	assert_int_equal(ev->nvictims, 1);
	assert_int_equal(ev->victims[0].pid, 18006);
	assert_string_equal(ev->victims[0].comm, "kwin_x11");
	assert_false(ev->partial);
}

/* 008 with line i in the prefix @fmts[i % @nfmts]: its events in @l */
static void parse_008(struct evlist *l, const char *const *fmts, size_t nfmts)
{
	size_t len, i = 0;
	char *text = load_fixture("oomlogs/008.log", &len);
	struct ol_logparser_opts o = { .on_event = evlist_keep, .data = l,
				       .reference = EVLIST_REFERENCE };
	struct ol_logparser *p = ol_logparser_new(&o);

	for (const char *s = text, *end = text + len; s < end; i++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		struct ol_logline w;
		char boot[32], *line;

		ol_log_unwrap(s, n, &w);
		snprintf(boot, sizeof(boot), "%.6f", w.boot >= 0 ? w.boot : 0.0);
		line = rewrap(fmts[i % nfmts], boot, w.body, w.bodylen);
		/* the first line of a paste that lost its "[" */
		if (!i && line[0] == '[' && isdigit((unsigned char)line[1]))
			memmove(line, line + 1, strlen(line));
		assert_int_equal(ol_logparser_line(p, line, strlen(line)), 0);
		free(line);
		s += n + 1;
	}
	ol_logparser_flush(p, 0);
	ol_logparser_free(p);
	free(text);
}

static void parse_prefixes(void **state)
{
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		struct evlist l = { 0 };

		parse_008(&l, &prefixes[i], 1);
		if (l.n != 1)
			fail_msg("%s: %zu events", prefixes[i], l.n);
		assert_008(l.v[0], prefixes[i]);
		evlist_free(&l);
	}
}

/* one paste, its lines in several wrappers (dmesg, dmesg -x, bare, kern.log) */
static void parse_mixed_prefixes(void **state)
{
	static const char *const mixed[] = {
		"[%b] %s", "kern  :warn  : [%b] %s", "%s", "Dec  8 01:56:31 scottubuntu kernel: [%b] %s",
	};
	struct evlist l = { 0 };

	parse_008(&l, mixed, 4);
	if (l.n != 1)
		fail_msg("%zu events", l.n);
	assert_008(l.v[0], "mixed");
	evlist_free(&l);
}

/* rsyslog's "#012" is a newline whether or not the line has a tag */
static void parse_012_untagged(void **state)
{
	static const char *const heads[] = { "Dec 16 18:56:29 boerne: ", "" };

	for (size_t i = 0; i < 2; i++) {
		char text[1024];
		struct evlist l = { 0 };
		const struct ol_oom_event *ev;

		snprintf(text, sizeof(text),
			 "%skthreadd invoked oom-killer: gfp_mask=0x27080c0(GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_NOTRACK), nodemask=0, order=1, oom_score_adj=0\n"
			 "%sactive_anon:132176 inactive_anon:11640 isolated_anon:0#012 active_file:295257 inactive_file:389350 isolated_file:20#012 free:77600 free_pcp:327 free_cma:0\n"
			 "%sKilled process 12950 (firefox) total-vm:788928kB, anon-rss:192656kB, file-rss:100548kB, shmem-rss:24kB\n",
			 heads[i], heads[i], heads[i]);
		ev = parse_one(&l, text);
		assert_string_equal(ev->trigger_comm, "kthreadd");
		assert_true(ev->have_mem & OL_MEM_FREE);
		assert_true(ev->free_pages == 77600);
		evlist_free(&l);
	}
}

/* Two hosts in one syslog stream (013's and 035's lines): one open event each. */
static void parse_two_hosts(void **state)
{
	static const char text[] =
		"Aug 11 09:18:04 slryzen kernel: claude invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n"
		"Aug 11 09:18:05 boerne.fritz.box kernel: xfce4-terminal invoked oom-killer: gfp_mask=0x25000c0(GFP_KERNEL_ACCOUNT), nodemask=0, order=0, oom_score_adj=0\n"
		"Aug 11 09:18:05 boerne.fritz.box kernel: Out of memory: Kill process 13594 (xz) score 8 or sacrifice child\n"
		"Aug 11 09:18:11 slryzen kernel: oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=user.slice,mems_allowed=0,global_oom,task_memcg=/user.slice/user-109.slice/user@109.service/session.slice/wireplumber.service,task=wireplumber,pid=2205425,uid=109\n"
		"Aug 11 09:18:11 boerne.fritz.box kernel: Killed process 13594 (xz) total-vm:71336kB, anon-rss:65668kB, file-rss:1956kB, shmem-rss:0kB\n"
		"Aug 11 09:18:11 slryzen kernel: Out of memory: Killed process 2205425 (wireplumber) total-vm:533496kB, anon-rss:4724kB, file-rss:7152kB, shmem-rss:0kB, UID:109 pgtables:296kB oom_score_adj:200\n";
	struct evlist l = { 0 };

	evlist_parse(&l, text, strlen(text), EVLIST_REFERENCE);
	assert_int_equal(l.n, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct ol_oom_event *ev = l.v[i];
		int slr = strcmp(ev->host, "slryzen") == 0;

		assert_true(slr || strcmp(ev->host, "boerne.fritz.box") == 0);
		assert_int_equal(ev->nvictims, 1);
		assert_string_equal(ev->trigger_comm, slr ? "claude" : "xfce4-terminal");
		assert_int_equal(ev->victims[0].pid, slr ? 2205425 : 13594);
		assert_string_equal(ev->constraint, slr ? "CONSTRAINT_NONE" : "");
		assert_int_equal(ev->selected_score, slr ? 0 : 8);
	}
	assert_string_not_equal(l.v[0]->host, l.v[1]->host);
	evlist_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bare),
		cmocka_unit_test(kmsg),
		cmocka_unit_test(dmesg),
		cmocka_unit_test(dmesg_t),
		cmocka_unit_test(syslog_lines),
		cmocka_unit_test(iso),
		cmocka_unit_test(rfc5424),
		cmocka_unit_test(monotonic),
		cmocka_unit_test(continuation),
		cmocka_unit_test(not_wrappers),
		cmocka_unit_test(exact_size_lines),
		cmocka_unit_test(prefix_parts),
		cmocka_unit_test(parse_kmsg),
		cmocka_unit_test(parse_rsyslog_012),
		cmocka_unit_test(parse_journal_continuation),
		cmocka_unit_test(parse_dmesg_t),
		cmocka_unit_test(parse_iso_rfc5424_mono),
		cmocka_unit_test(parse_two_hosts),
		cmocka_unit_test(parse_prefixes),
		cmocka_unit_test(parse_mixed_prefixes),
		cmocka_unit_test(parse_012_untagged),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
