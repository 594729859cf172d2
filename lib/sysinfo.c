// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "oomlens/parse.h"
#include "oomlens/sysinfo.h"

/*
 * Under a sysroot the page size must come from the tree itself: a copied
 * smaps file says it, and so does any process's stat rss (pages) beside its
 * status VmRSS (kB).
 */
static long sysroot_page_size(const struct ol_root *root, struct ol_buf *b)
{
	static const char *const smaps[] = { "self/smaps", "1/smaps" };
	struct ol_status st;
	struct ol_stat sst;
	size_t i;

	for (i = 0; i < sizeof(smaps) / sizeof(smaps[0]); i++) {
		long ps;

		if (ol_root_read(root, root->procfd, smaps[i], b) == 0 &&
		    (ps = ol_parse_smaps_pagesize(b->data)) > 0)
			return ps;
	}
	if (ol_root_read(root, root->procfd, "1/stat", b) == 0 &&
	    ol_parse_stat(b->data, &sst) == 0 && sst.rss_pages > 0 &&
	    ol_root_read(root, root->procfd, "1/status", b) == 0 &&
	    ol_parse_status(b->data, &st) == 0 && (st.have & OL_ST_VMRSS)) {
		/*
		 * The two counters are read at different moments (and stat's
		 * is the per-CPU approximation on 6.2+): take the page size
		 * that the ratio is within 10% of.
		 */
		double ratio = (double)st.vm_rss_kb * 1024 / (double)sst.rss_pages;
		long ps;

		for (ps = 4096; ps <= 65536; ps *= 2)
			if (ratio > ps * 0.9 && ratio < ps * 1.1)
				return ps;
	}
	return 0;
}

/* Online CPUs in a /proc/stat: its "cpuN" lines. */
static int stat_cpus(const char *buf)
{
	const char *p = buf;
	int n = 0;

	while (p && *p) {
		if (strncmp(p, "cpu", 3) == 0 && p[3] >= '0' && p[3] <= '9')
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

int ol_sysinfo_read(const struct ol_root *root, struct ol_sysinfo *si)
{
	struct ol_buf b = { 0 };
	struct ol_meminfo mi;
	unsigned long pgkb;
	int rc;

	memset(si, 0, sizeof(*si));
	rc = ol_root_read(root, root->procfd, "meminfo", &b);
	if (rc == 0)
		rc = ol_parse_meminfo(b.data, &mi);
	if (rc == 0 && (mi.mem_total_kb > OL_KB_MAX || mi.swap_total_kb > OL_KB_MAX ||
			mi.mem_available_kb > OL_KB_MAX)) {
		ol_root_note(root, root->procfd, "meminfo", "a size of more than %llu kB: not believed",
			     OL_KB_MAX);
		rc = -ERANGE;
	}
	if (rc < 0)
		goto out;

	if (ol_root_is_live(root)) {
		si->page_size = sysconf(_SC_PAGESIZE);
	} else {
		si->page_size = sysroot_page_size(root, &b);
		if (si->page_size <= 0) {
			si->page_size = 4096;
			si->page_size_guessed = 1;
		}
	}
	pgkb = (unsigned long)si->page_size / 1024;
	si->mem_total_kb = mi.mem_total_kb;
	si->swap_total_kb = mi.swap_total_kb;
	si->mem_available_kb = mi.mem_available_kb;
	si->totalram_pages = (unsigned long)(mi.mem_total_kb / pgkb);
	si->total_swap_pages = (unsigned long)(mi.swap_total_kb / pgkb);
	si->totalpages = si->totalram_pages + si->total_swap_pages;

	if (ol_root_read(root, root->procfd, "sys/kernel/osrelease", &b) == 0) {
		b.data[strcspn(b.data, "\n")] = '\0';
		snprintf(si->release, sizeof(si->release), "%s", b.data);
	} else if (ol_root_is_live(root)) {
		struct utsname u;

		if (uname(&u) == 0)
			snprintf(si->release, sizeof(si->release), "%s", u.release);
	}
	if (ol_root_is_live(root)) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		si->ncpus = n > 0 ? (int)n : 0;
	} else if (ol_read_at(root->procfd, "stat", &b) == 0) {
		si->ncpus = stat_cpus(b.data);
	}
	rc = 0;
out:
	ol_buf_free(&b);
	return rc;
}
