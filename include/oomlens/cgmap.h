/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_CGMAP_H
#define OOMLENS_CGMAP_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Which cgroup each process is in, read from the cgroup filesystems'
 * cgroup.procs files rather than from every /proc/PID/cgroup: on a machine
 * with many more processes than cgroups, one file per cgroup instead of one
 * per process.  Only the hierarchies oomlens reads are mapped: the v1
 * memory controller, v1 name=systemd and v2.
 *
 * The live system only.  A process the map cannot answer for exactly (born
 * after the map was made, a zombie, one whose threads sit in different
 * cgroups, one outside the mounts' view) gets no answer, and its own
 * /proc/PID/cgroup is read instead.
 */
struct ol_cgmap;

/*
 * Build the map for a scan of about @nprocs processes.  Returns NULL (and
 * the caller reads every /proc/PID/cgroup) when it would not pay or cannot
 * be exact: too few processes, more cgroups than a quarter of them, a
 * hierarchy the running process sits in that is not mounted whole.
 */
struct ol_cgmap *ol_cgmap_new(size_t nprocs);

/*
 * Write into @buf (of @size) the lines /proc/@pid/cgroup would give for the
 * mapped hierarchies, in its format ("4:memory:/a\n0::/b\n").  Returns
 * the length, or -ENOENT when the map has no exact answer for @pid,
 * -ENAMETOOLONG when @size is too small.
 */
int ol_cgmap_lines(const struct ol_cgmap *m, pid_t pid, char *buf, size_t size);

void ol_cgmap_free(struct ol_cgmap *m);

#endif
