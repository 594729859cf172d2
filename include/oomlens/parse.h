/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_PARSE_H
#define OOMLENS_PARSE_H

/*
 * Pure parsers: each takes a NUL-terminated buffer holding one /proc file
 * exactly as the kernel wrote it and fills a struct.  No I/O, no globals.
 * Return 0 or -EINVAL when the buffer is not in the expected format.
 */

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

/* Bits of ol_status.have: which lines were present. */
/*
 * The largest size in kB believed from a /proc file: 1 EiB.  A count past it
 * (a corrupt or hostile copy) is left unknown: times 1024 it would wrap, and
 * a sum of a few such sizes stays inside 64 bits.
 */
#define OL_KB_MAX	(1ULL << 50)

enum {
	OL_ST_NAME	= 1u << 0,
	OL_ST_PPID	= 1u << 1,
	OL_ST_UID	= 1u << 2,
	OL_ST_KTHREAD	= 1u << 3,	/* "Kthread:" line (6.x kernels) */
	OL_ST_RSS_SPLIT	= 1u << 4,	/* RssAnon/RssFile/RssShmem (4.5+) */
	OL_ST_VMRSS	= 1u << 5,
	OL_ST_SWAP	= 1u << 6,
	OL_ST_PTE	= 1u << 7,
	OL_ST_CAPEFF	= 1u << 8,
	OL_ST_STATE	= 1u << 9,
	OL_ST_VMSIZE	= 1u << 10,	/* has an mm at all */
	OL_ST_PMD	= 1u << 11,	/* VmPMD: 4.0 .. 4.14 only */
};

struct ol_status {
	unsigned int have;
	char name[64];		/* Name:, kernel escaping of \n and \\ undone */
	char state;		/* first letter of State: */
	pid_t ppid;
	uid_t uid;		/* real uid */
	int kthread;
	unsigned long long vm_size_kb;
	unsigned long long vm_rss_kb;
	unsigned long long rss_anon_kb, rss_file_kb, rss_shmem_kb;
	unsigned long long vm_swap_kb;
	unsigned long long vm_pte_kb;
	unsigned long long vm_pmd_kb;	/* 4.0 .. 4.14: PMD pages, not in VmPTE */
	uint64_t cap_eff;
};

int ol_parse_status(const char *buf, struct ol_status *st);
/*
 * OL_STATUS_STOP_AT_SWAP: stop at VmSwap, the last line most callers need
 * (CapEff and the rest come after it).
 */
#define OL_STATUS_STOP_AT_SWAP	1u
int ol_parse_status_flags(const char *buf, struct ol_status *st, unsigned int flags);

#define OL_PF_KTHREAD	0x00200000u	/* include/linux/sched.h */

struct ol_stat {
	char comm[64];		/* raw bytes between the first '(' and the last ')' */
	char state;
	pid_t ppid;
	unsigned long flags;
	unsigned long long starttime;	/* clock ticks since boot */
	long rss_pages;
};

int ol_parse_stat(const char *buf, struct ol_stat *st);

struct ol_meminfo {
	unsigned long long mem_total_kb;
	unsigned long long mem_free_kb;
	unsigned long long mem_available_kb;	/* 0 when absent (< 3.14) */
	unsigned long long swap_total_kb;
	unsigned long long swap_free_kb;
	int have_mem_total, have_swap_total;
};

int ol_parse_meminfo(const char *buf, struct ol_meminfo *mi);

/*
 * /proc/PID/cgroup: @memory gets the cgroup-v1 memory controller's path,
 * @unified the cgroup-v2 ("0::") path; either may be left empty.  Paths
 * longer than the buffers are truncated and -ENAMETOOLONG returned.
 */
int ol_parse_cgroup(const char *buf, char *memory, size_t msz,
		    char *unified, size_t usz);

/*
 * /proc/PID/cgroup: @out gets the path of the named cgroup-v1 hierarchy
 * ("name=@name", e.g. "systemd"), "" if there is none.  Returns 0,
 * -ENAMETOOLONG (truncated) or -EINVAL (not a cgroup file).
 */
int ol_parse_cgroup_named(const char *buf, const char *name, char *out, size_t sz);

/* A file holding one decimal integer and a newline (oom_score, ...). */
int ol_parse_long(const char *buf, long *val);

/*
 * /proc/PID/cmdline: NUL-separated arguments.  Writes them joined by
 * spaces into a new string (trailing NULs dropped).  NULL on ENOMEM.
 */
char *ol_cmdline_join(const char *buf, size_t len);

/* "KernelPageSize:  4 kB" from an smaps file; returns bytes or 0. */
long ol_parse_smaps_pagesize(const char *buf);

#endif
