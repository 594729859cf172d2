/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_MEMCG_H
#define OOMLENS_MEMCG_H

#include "proc.h"

/*
 * The memory cgroup whose limit a process is most likely to hit: of the
 * process's memory cgroup and its ancestors, the one with the tightest
 * limit (the one nearest the root among equals, since its usage is the
 * largest).  A memcg OOM there ranks only the tasks below it, against
 * totalpages = mem_cgroup_get_max(): the limit in pages plus the swap the
 * group may use (none when its swappiness is 0).
 */
/*
 * The longest cgroup path a kernel shows, plus one: proc_cgroup_show() fails
 * with ENAMETOOLONG for a path of PATH_MAX bytes or more, so /proc/PID/cgroup
 * never holds a longer one (about 2000 levels of one-letter names).  A copied
 * tree that does is not a kernel's: that memory cgroup is left unknown.
 */
#define OL_MEMCG_PATH_MAX	4096

struct ol_memcg {
	int version;			/* 1 or 2; 0 when no memory cgroup is found */
	char path[OL_MEMCG_PATH_MAX];		/* the limiting cgroup (relative to the hierarchy) */
	int limited;			/* 0: no limit anywhere up to the root */
	unsigned long long limit_bytes;	/* memory.limit_in_bytes / memory.max */
	unsigned long long usage_bytes;	/* memory.usage_in_bytes / memory.current */
	unsigned long swap_pages;	/* swap counted into totalpages */
	long swappiness;		/* -1 when unknown */
	unsigned long totalpages;	/* mem_cgroup_get_max() */
	int oom_kill_disable;		/* v1 memory.oom_control, -1 unknown */
};

/*
 * Find the limiting memory cgroup of @p under ROOT/sys/fs/cgroup.
 * Walks down from the hierarchy's root one directory at a time, so any depth
 * the kernel can show is read whole.  Returns 0 (check ->version and
 * ->limited), -ENODATA when @p's cgroup is unknown, -ENAMETOOLONG (with a
 * note) for a path of OL_MEMCG_PATH_MAX bytes or more, or -errno.
 */
int ol_memcg_domain(const struct ol_root *root, const struct ol_proc *p,
		    const struct ol_sysinfo *si, struct ol_memcg *out);

/* Whether @p lives in @m's subtree (its memcg OOM candidates). */
int ol_memcg_contains(const struct ol_memcg *m, const struct ol_proc *p);

/* "max" or a number of bytes; v1's unlimited value counts as no limit. 0/-EINVAL */
int ol_parse_memcg_limit(const char *buf, unsigned long long *bytes, int *limited);

/*
 * Whether a memory cgroup limit as an OOM report logs it ("limit NkB") is the
 * kernel's PAGE_COUNTER_MAX, that is no limit: 2^52 kB or more on 64-bit
 * kernels (LONG_MAX / PAGE_SIZE pages, whatever the page size), LONG_MAX
 * pages of 4 KiB on 32-bit ones.
 */
int ol_memcg_kb_is_max(unsigned long long kb);

/*
 * The kernel's count of OOM kills of tasks in the memory cgroup @path itself
 * (relative to the hierarchy), its descendants not included: v1
 * memory.oom_control's oom_kill, v2 memory.events.local's.  Every kernel
 * kill counts, memcg OOM or global.  0; -ENOENT when the cgroup is gone or
 * was never there; -ENODATA when it has no such counter (older kernels);
 * -EINVAL for a path that is not absolute or climbs with "..".
 */
int ol_memcg_oom_kills(const struct ol_root *root, const char *path, unsigned long long *kills,
		       int *version);

#endif
