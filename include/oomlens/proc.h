/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_PROC_H
#define OOMLENS_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "root.h"
#include "sysinfo.h"
#include "badness.h"

/* Which /proc/PID files a scan reads (ol_scan_opts.read). */
enum {
	OL_READ_STATUS		= 1u << 0,
	OL_READ_STAT		= 1u << 1,
	OL_READ_OOM_SCORE	= 1u << 2,
	OL_READ_OOM_SCORE_ADJ	= 1u << 3,
	OL_READ_OOM_ADJ		= 1u << 4,
	OL_READ_CGROUP		= 1u << 5,
	OL_READ_CMDLINE		= 1u << 6,
	OL_READ_CAPS		= 1u << 7,	/* parse status up to CapEff */
};

/* Which ol_proc fields are known (ol_proc.have). */
enum {
	OL_HAVE_COMM		= 1u << 0,
	OL_HAVE_PPID		= 1u << 1,
	OL_HAVE_UID		= 1u << 2,
	OL_HAVE_KTHREAD		= 1u << 3,
	OL_HAVE_MEM		= 1u << 4,	/* rss_anon, rss_file, rss_shmem */
	OL_HAVE_SWAP		= 1u << 5,
	OL_HAVE_PGTABLES	= 1u << 6,
	OL_HAVE_CAPS		= 1u << 7,
	OL_HAVE_START		= 1u << 8,
	OL_HAVE_SCORE		= 1u << 9,
	OL_HAVE_ADJ		= 1u << 10,
	OL_HAVE_OOMADJ		= 1u << 11,
	OL_HAVE_CGROUP		= 1u << 12,
	OL_HAVE_CMDLINE		= 1u << 13,
	OL_HAVE_MM		= 1u << 14,	/* has_mm below is meaningful */
	OL_HAVE_RSS		= 1u << 15,	/* rss (VmRSS on kernels before 4.5) */
	OL_HAVE_STATE		= 1u << 16,
	OL_HAVE_PMD		= 1u << 17,	/* pgtables_pmd (VmPMD, 4.0 .. 4.14) */
	OL_HAVE_STAT_RSS	= 1u << 18,	/* rss_stat_pages (/proc/PID/stat field 24) */
};

struct ol_proc {
	pid_t pid;
	pid_t ppid;
	uid_t uid;
	unsigned int have;
	int kthread;
	int has_mm;			/* status shows Vm* lines: not a zombie or kthread */
	int ns_init;			/* pid 1 of a pid namespace that is not the
					 * initial one (its ns/pid says so): killable */
	char state;
	char comm[64];			/* raw bytes: untrusted, escape before printing */
	char *cmdline;			/* raw, arguments joined by spaces; "" for none */
	char *cgroup;			/* v1 memory controller's path, "" if none */
	char *cgroup_unified;		/* the v2 ("0::") path, "" if none */
	char *cgroup_systemd;		/* the v1 name=systemd path, "" if none
					 * (both of these live in cgroup's block) */
	unsigned long long starttime;	/* clock ticks since boot */
	long oom_score;
	long oom_score_adj;
	long oom_adj;
	unsigned long long rss;		/* bytes: anon + file + shmem */
	unsigned long long rss_anon, rss_file, rss_shmem;	/* bytes */
	unsigned long long swap;	/* bytes */
	unsigned long long pgtables;	/* bytes: VmPTE */
	unsigned long long pgtables_pmd;	/* bytes: VmPMD, kept apart by 4.0 .. 4.14 */
	unsigned long rss_stat_pages;	/* stat's rss: the kernel's own (approximate on 6.2+) read */
	uint64_t cap_eff;
};

struct ol_proclist {
	struct ol_proc *procs;
	size_t n, cap;
	size_t vanished;	/* processes that exited mid-scan */
	size_t denied;		/* processes with at least one unreadable file */
	size_t skipped;		/* sysroot: PID entries that are no process directory */
};

/*
 * The most command-line bytes one scan keeps: past it (or for a cmdline
 * that is the same file as another's, a hard link in a copied tree) a
 * cmdline is left unknown, with a note.  OL_READ_MAX bounds one file only.
 */
#define OL_CMDLINE_TOTAL_MAX	(256u << 20)

struct ol_scan_opts {
	unsigned int read;	/* OL_READ_* */
	const pid_t *pids;	/* only these (NULL: all) */
	size_t npids;
	int threads;		/* 1: one thread; 0: a live scan of 2,000+ processes
				 * uses two where the machine has two CPUs */
};

/*
 * Walk ROOT/proc once through directory descriptors.  A process that
 * exits mid-scan is dropped; an unreadable file leaves its fields unknown.
 * Under a sysroot nothing exits: a missing or refused file leaves its
 * fields unknown and a PID entry that is no directory is skipped, each with
 * a note (ol_root_note()).
 * Returns 0 or -errno (ROOT/proc unreadable, ENOMEM).
 */
int ol_scan(const struct ol_root *root, const struct ol_scan_opts *opts,
	    struct ol_proclist *out);
/*
 * The initial pid namespace's inode (the kernel's PROC_PID_INIT_INO):
 * /proc/1/ns/pid reads "pid:[4026531836]" only where pid 1 is the global
 * init, the one task the OOM killer never picks (is_global_init()).
 */
#define OL_PID_INIT_INO		4026531836ull

/* Read one process.  Returns 0, -ESRCH when it does not exist, or -errno. */
int ol_scan_pid(const struct ol_root *root, pid_t pid, unsigned int read,
		struct ol_proc *out);
void ol_proc_free(struct ol_proc *p);
void ol_proclist_free(struct ol_proclist *l);

/* Which files a want-mask of OL_HAVE_* fields needs read. */
unsigned int ol_read_for(unsigned int have_mask);

enum ol_unkillable {
	OL_KILLABLE = 0,
	OL_UNKILLABLE_INIT,		/* the global init */
	OL_UNKILLABLE_KTHREAD,		/* kernel thread */
	OL_UNKILLABLE_ADJ_MIN,		/* oom_score_adj -1000 */
	OL_UNKILLABLE_NO_MM,		/* zombie or exiting: no memory to free */
	OL_KILLABLE_UNKNOWN,		/* fields needed to tell are unknown */
};

enum ol_unkillable ol_proc_killable(const struct ol_proc *p);
/* The memory cgroup path (v1 memory controller, else v2), NULL if unknown. */
const char *ol_proc_cgroup(const struct ol_proc *p);
const char *ol_unkillable_str(enum ol_unkillable why);

#endif
