/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_SYSINFO_H
#define OOMLENS_SYSINFO_H

#include "root.h"

/* System-wide inputs of the OOM heuristic. */
struct ol_sysinfo {
	long page_size;			/* bytes */
	int page_size_guessed;		/* sysroot gave no evidence: 4096 assumed */
	unsigned long long mem_total_kb;
	unsigned long long swap_total_kb;
	unsigned long long mem_available_kb;
	unsigned long totalram_pages;
	unsigned long total_swap_pages;
	unsigned long totalpages;	/* totalram + total swap, as /proc/PID/oom_score uses */
	char release[128];		/* kernel release, "" when unknown */
	int ncpus;			/* online CPUs (the per-CPU counters' slack), 0 unknown */
};

/* Returns 0 or -errno (meminfo unreadable or malformed). */
int ol_sysinfo_read(const struct ol_root *root, struct ol_sysinfo *si);

#endif
