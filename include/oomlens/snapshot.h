/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_SNAPSHOT_H
#define OOMLENS_SNAPSHOT_H

/*
 * A snapshot: the OOM-relevant state of a machine at one moment, as JSON.
 * Format "oomlens-snapshot", version OL_SNAPSHOT_VERSION: the major number
 * of its "schema_version" (OL_SCHEMA_VERSION), kept as an integer so that
 * an oomlens that knows only version 1 refuses it by name.  Every earlier
 * version still loads (1: kB, "totalpages", sysctls without "vm."), a
 * newer one is refused.
 */

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "proc.h"

#define OL_SNAPSHOT_FORMAT	"oomlens-snapshot"
#define OL_SNAPSHOT_VERSION	2

/*
 * The longest string the loader takes, in bytes, for a field the writer keeps
 * from at most @raw bytes: each byte that is not UTF-8 is written as U+FFFD
 * (ol_utf8_sanitize(), 3 bytes).  cmdline and cgroup are files the scanner
 * reads whole (up to OL_READ_MAX - 1 bytes: a command line can be several
 * MiB), so the loader takes whatever a snapshot of any process holds.
 */
#define OL_SNAP_STR_MAX(raw)	((size_t)(raw) * 3)
#define OL_SNAP_CMDLINE_MAX	OL_SNAP_STR_MAX(OL_READ_MAX - 1)
#define OL_SNAP_CGROUP_MAX	OL_SNAP_STR_MAX(OL_READ_MAX - 1)
#define OL_SNAP_COMM_MAX	OL_SNAP_STR_MAX(sizeof(((struct ol_proc *)0)->comm) - 1)

struct ol_snap_proc {
	long pid, ppid;
	long long starttime;		/* clock ticks since boot: (pid, starttime) is the identity */
	long long uid;			/* -1 unknown */
	char *comm, *cmdline, *cgroup;	/* NULL unknown */
	long oom_score, oom_score_adj, oom_adj;
	long long rss, anon, file, shmem, swap, pgtables;	/* bytes, -1 unknown */
	long long badness;
	int killable;			/* 1, 0, -1 unknown */
	long rank;			/* 0 when not ranked */
	unsigned int have;		/* OL_SNAP_* */
};

enum {
	OL_SNAP_SCORE = 1u << 0, OL_SNAP_ADJ = 1u << 1, OL_SNAP_OOMADJ = 1u << 2,
	OL_SNAP_BADNESS = 1u << 3, OL_SNAP_PPID = 1u << 4, OL_SNAP_START = 1u << 5,
};

struct ol_sysctls {
	long overcommit_memory, overcommit_ratio, panic_on_oom;
	long oom_kill_allocating_task, oom_dump_tasks;
	unsigned int have;		/* bit i: field i above known */
};

struct ol_snapshot {
	int version;			/* as written or loaded: 1 or 2 */
	time_t time;			/* 0 unknown */
	char hostname[256];
	char kernel[128];
	long page_size;
	unsigned long long mem_total_kb, swap_total_kb;
	unsigned long totalpages;
	struct ol_sysctls sysctl;
	struct ol_snap_proc *procs;
	size_t n;
};

/*
 * The range of every number and the length of every string a snapshot
 * holds, in one table that the writer and the loader share: the loader
 * refuses a value outside its range, and the writer never writes one.  An
 * optional value outside its range (no kernel gives it, a copied tree can)
 * is written as null, unknown; the four that cannot be null are written at
 * the nearest bound (page_size, the two totals, total_pages), and a process
 * whose pid is outside its range, or that is a process already written (the
 * same pid and start time), is left out.  The writer counts each in a
 * struct ol_snap_written.  For a string the range is its length in bytes
 * before ol_utf8_sanitize() (the loader takes OL_SNAP_STR_MAX() of it).
 */
enum ol_snap_field {
	OL_SF_TIME, OL_SF_PAGE_SIZE, OL_SF_MEM_TOTAL, OL_SF_SWAP_TOTAL, OL_SF_TOTAL_PAGES,
	OL_SF_HOSTNAME, OL_SF_KERNEL,
	OL_SF_SYSCTL,			/* + 0 .. 4: the five sysctls */
	OL_SF_PID = OL_SF_SYSCTL + 5, OL_SF_STARTTIME, OL_SF_PPID, OL_SF_UID,
	OL_SF_COMM, OL_SF_CMDLINE, OL_SF_CGROUP,
	OL_SF_OOM_SCORE, OL_SF_OOM_SCORE_ADJ, OL_SF_OOM_ADJ,
	OL_SF_RSS, OL_SF_ANON, OL_SF_FILE, OL_SF_SHMEM, OL_SF_SWAP, OL_SF_PGTABLES,
	OL_SF_BADNESS, OL_SF_RANK,
	OL_SF_NFIELDS
};

struct ol_snap_bound {
	const char *name;		/* the member, as format 2 names it */
	long long min, max;
	const char *unit;		/* "bytes", "pages", ...; "" for a count or a flag */
};

extern const struct ol_snap_bound ol_snap_bounds[OL_SF_NFIELDS];

/* What the writer changed to keep a snapshot loadable (see ol_snap_bounds). */
struct ol_snap_written {
	size_t nulled;			/* values outside their range, written as null */
	size_t clamped;			/* written at the nearest bound */
	size_t dropped;			/* processes left out */
	char first[192];		/* the first of them, in words ("" none) */
};

/* Read the vm.* sysctls of @root (pure parse of each file). */
void ol_sysctls_read(const struct ol_root *root, struct ol_sysctls *out);

/* Collect a snapshot of @root now.  0 or -errno. */
int ol_snapshot_collect(const struct ol_root *root, struct ol_snapshot *out);
/*
 * Write @s as JSON (json-c) to @f, one process at a time, every value
 * within ol_snap_bounds; what had to change is counted in @w (may be NULL).
 * 0, -ENOMEM or -EIO (a write to @f failed).
 */
int ol_snapshot_write(const struct ol_snapshot *s, FILE *f, struct ol_snap_written *w);
/* The same as text: NULL on ENOMEM; free() it. */
char *ol_snapshot_to_json(const struct ol_snapshot *s, struct ol_snap_written *w);

/* Reads up to @n bytes into @buf: how many, 0 at the end, or -errno. */
typedef long (*ol_snap_read_fn)(void *arg, char *buf, size_t n);

/*
 * Load a snapshot read from @rd, one process row at a time: each row is
 * parsed, checked and kept as a struct ol_snap_proc before the next is read,
 * so the memory it takes is that of the result, not of the text nor of a
 * JSON tree.  The text besides the rows may take OL_SNAP_HEAD_MAX bytes.
 * On error returns -EINVAL (-ERANGE for a newer format) with a one-line
 * reason in @err, or what @rd returned (@err: "read error").
 */
#define OL_SNAP_HEAD_MAX	(1u << 20)
int ol_snapshot_read(ol_snap_read_fn rd, void *arg, struct ol_snapshot *out,
		     char *err, size_t errsz);
/* The same from JSON text in memory. */
int ol_snapshot_from_json(const char *text, size_t len, struct ol_snapshot *out,
			  char *err, size_t errsz);
void ol_snapshot_free(struct ol_snapshot *s);

/* ---- diff ---- */

enum ol_change_type {
	OL_CH_FIRST_IN_LINE,		/* who is now first in line to be killed */
	OL_CH_BECAME_UNKILLABLE,
	OL_CH_BECAME_KILLABLE,
	OL_CH_ADJ,
	OL_CH_APPEARED,
	OL_CH_LEFT,
	OL_CH_SCORE,
	OL_CH_RANK,
	OL_CH_SYSCTL,
	OL_CH_TOTALPAGES,
	OL_CH_NTYPES
};

struct ol_change {
	enum ol_change_type type;
	const struct ol_snap_proc *old, *new;	/* either may be NULL */
	const char *sysctl;			/* OL_CH_SYSCTL */
	long long old_value, new_value;
};

struct ol_diff {
	struct ol_change *v;
	size_t n;
	size_t count[OL_CH_NTYPES];
	size_t appeared, left, matched;
};

/*
 * Compare two snapshots; processes matched by (pid, start time) through a
 * hash table.  @threshold: the least oom_score move reported as OL_CH_SCORE
 * (0 and 1: every move); @top: the ranks watched for OL_CH_RANK,
 * OL_CH_APPEARED and OL_CH_LEFT.  0 or -ENOMEM.
 */
int ol_snapshot_diff(const struct ol_snapshot *old, const struct ol_snapshot *new,
		     long threshold, long top, struct ol_diff *out);
void ol_diff_free(struct ol_diff *d);
const char *ol_change_type_str(enum ol_change_type t);

#endif
