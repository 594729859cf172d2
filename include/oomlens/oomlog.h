/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_OOMLOG_H
#define OOMLENS_OOMLOG_H

/*
 * OOM events from kernel logs of any era and any wrapper: /dev/kmsg
 * records, dmesg (raw and -T), syslog/kern.log, journalctl's short formats,
 * RFC 5424, and bare kernel lines.  The parser is a stream: lines go in one
 * at a time, finished events come out through a callback, and memory stays
 * bounded whatever the input.  Lines are recognised by their content, never
 * by the kernel version, since distributions backport formats.
 */

#include <stddef.h>
#include <time.h>

/* ---- one line, unwrapped ---- */

enum ol_wrap {
	OL_WRAP_BARE,		/* the kernel's text, nothing around it */
	OL_WRAP_KMSG,		/* "6,1234,5678,-;text" */
	OL_WRAP_KMSG_DICT,	/* " SUBSYSTEM=..." dictionary continuation: skipped */
	OL_WRAP_DMESG,		/* "[  123.456789] text" */
	OL_WRAP_DMESG_T,	/* "[Sat Nov 28 10:00:00 2026] text", any language */
	OL_WRAP_SYSLOG,		/* "Nov 28 10:00:00 host tag: text" (journalctl short, short-precise) */
	OL_WRAP_ISO,		/* "2026-11-28T10:00:00+0000 host tag: text" (short-iso, rsyslog) */
	OL_WRAP_RFC5424,	/* "<6>1 2026-11-28T10:00:00Z host tag - - - text" */
	OL_WRAP_MONO,		/* "[  123.456789] host tag: text" (journalctl short-monotonic) */
	OL_WRAP_CONT,		/* an indented continuation of the previous message */
};

struct ol_logline {
	enum ol_wrap wrap;
	const char *host;	/* NULL when the wrapper names none */
	size_t hostlen;
	const char *tag;	/* "kernel", "earlyoom", ...; NULL when none */
	size_t taglen;
	const char *stamp;	/* the time as logged, NULL when none */
	size_t stamplen;
	double boot;		/* seconds since boot, -1 when unknown */
	int have_tm;		/* tm holds a wall-clock time */
	int have_year;		/* ... with its year */
	long tm_usec;
	long tm_gmtoff;		/* seconds east of UTC, when have_zone */
	int have_zone;
	struct tm tm;
	const char *body;	/* the message itself */
	size_t bodylen;
};

/* Identify the wrapper of one line (no newline) and find its parts.  Pure. */
void ol_log_unwrap(const char *line, size_t len, struct ol_logline *out);

/* ---- the event ---- */

enum ol_ev_kind { OL_EV_GLOBAL, OL_EV_MEMCG, OL_EV_CPUSET, OL_EV_MEMPOLICY, OL_EV_UNKNOWN };
enum ol_outcome { OL_OUTCOME_KILLED, OL_OUTCOME_NO_VICTIM, OL_OUTCOME_PANIC, OL_OUTCOME_UNKNOWN };

/* Task-table columns, by their header names (ol_task_row.have, ol_oom_event.columns). */
enum {
	OL_COL_PID = 1u << 0, OL_COL_UID = 1u << 1, OL_COL_TGID = 1u << 2,
	OL_COL_TOTAL_VM = 1u << 3, OL_COL_RSS = 1u << 4, OL_COL_RSS_ANON = 1u << 5,
	OL_COL_RSS_FILE = 1u << 6, OL_COL_RSS_SHMEM = 1u << 7, OL_COL_NR_PTES = 1u << 8,
	OL_COL_NR_PMDS = 1u << 9, OL_COL_PGTABLES_BYTES = 1u << 10, OL_COL_SWAPENTS = 1u << 11,
	OL_COL_OOM_SCORE_ADJ = 1u << 12, OL_COL_OOM_ADJ = 1u << 13, OL_COL_CPU = 1u << 14,
	OL_COL_UNKNOWN = 1u << 15,	/* a column no upstream kernel prints */
};

struct ol_task_row {
	long pid, uid, tgid;
	long total_vm, rss, rss_anon, rss_file, rss_shmem;
	long nr_ptes, nr_pmds, pgtables_bytes, swapents;
	long oom_score_adj, oom_adj, cpu;
	unsigned int have;
	char name[64];
	/* filled by ol_oom_event_predict() */
	long badness;
	long badness_root;	/* with the <= 4.16 root bonus, if uid 0 */
	int eligible;		/* not -1000 */
};

/*
 * The line that names a victim: its kill line; or, when the log lacks that
 * (oom_kill_process: N callbacks suppressed, a paste cut short), the reaper's
 * line, the oom-kill: summary, or only the selection ("Kill process N"):
 * a task selected but not seen killed.
 */
enum ol_vic_seen { OL_SEEN_KILLED, OL_SEEN_REAPED, OL_SEEN_SUMMARY, OL_SEEN_SELECTED };

struct ol_victim {
	long pid;
	long uid;		/* -1 when not logged */
	char comm[64];
	unsigned long long total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb, pgtables_kb;
	long oom_score_adj;
	unsigned int have;	/* OL_VIC_* */
	int memcg;		/* "Memory cgroup out of memory" */
	int allocating_task;	/* "(oom_kill_allocating_task)" */
	int reaped;		/* 1 reaped, -1 unable to reap, 0 no reaper line */
	enum ol_vic_seen seen;	/* which line names it */
	unsigned long long reaped_anon_kb, reaped_file_kb, reaped_shmem_kb;
};

enum {
	OL_VIC_TOTAL_VM = 1u << 0, OL_VIC_ANON = 1u << 1, OL_VIC_FILE = 1u << 2,
	OL_VIC_SHMEM = 1u << 3, OL_VIC_PGTABLES = 1u << 4, OL_VIC_ADJ = 1u << 5,
};

struct ol_prediction {
	int valid;		/* there was a task table to rank */
	int top;		/* index in tasks of the predicted victim, -1 none */
	int victim_row;		/* index of the victim's row, -1 not in the table */
	int agrees;
	const char *cause;	/* why not, when !agrees: a known cause or "unexplained" */
	long victim_rank;	/* 1-based, 0 when not ranked */
	int ranked;		/* eligible rows */
	unsigned long totalpages;
	int totalpages_estimated;
	const char *totalpages_note;	/* what the log does not give for totalpages, NULL all */
	long score;		/* the selected task's score as its kernel logs it, -1 none */
	const char *score_note;	/* why score is not the logged one; NULL when it is */
	int era;		/* enum ol_era used */
	int root_bonus_changes;	/* the <= 4.16 root bonus would change the top */
	int tie;		/* the top shares its badness with others */
	int *order;		/* row indices, best first (ranked of them) */
};

/* Mem-Info's counters (show_free_areas()), in pages, by the kernel's names */
enum ol_mi {
	OL_MI_ACTIVE_ANON, OL_MI_INACTIVE_ANON, OL_MI_ISOLATED_ANON,
	OL_MI_ACTIVE_FILE, OL_MI_INACTIVE_FILE, OL_MI_ISOLATED_FILE,
	OL_MI_UNEVICTABLE, OL_MI_DIRTY, OL_MI_WRITEBACK,
	OL_MI_SLAB_RECLAIMABLE, OL_MI_SLAB_UNRECLAIMABLE, OL_MI_MAPPED, OL_MI_SHMEM,
	OL_MI_PAGETABLES, OL_MI_BOUNCE, OL_MI_FREE, OL_MI_FREE_PCP, OL_MI_FREE_CMA,
	OL_MI_SWAPCACHE,	/* "N pages in swap cache" */
	OL_MI_N
};
/* "active_anon", ...: the key as the kernel prints it */
const char *ol_meminfo_key(enum ol_mi i);

#define OL_ZONE_ORDERS	16
#define OL_LOG_MAX_ZONES 16

/* One zone's line, its lowmem_reserve[] and its buddy line */
struct ol_zone {
	int node;			/* -1 when the log names none (non-NUMA i386) */
	char name[16];			/* "DMA", "DMA32", "Normal", "HighMem", "Movable" */
	unsigned long long free_kb, min_kb, low_kb, high_kb, managed_kb;
	int have_watermarks;		/* the zone's line was read */
	long reserve[8];		/* lowmem_reserve[], pages */
	int nreserve;
	long blocks[OL_ZONE_ORDERS];	/* free blocks by order, from the buddy line */
	int norders;			/* 0: no buddy line */
};

/* The zone's free memory is below its min watermark. */
int ol_zone_is_under_min(const struct ol_zone *z);
/* Free blocks of @order or larger; -1 without a buddy line. */
long ol_zone_blocks_at(const struct ol_zone *z, int order);

/*
 * The gfp mask's flags by name, for kernels that print only the hex
 * (before 4.5: "gfp_mask=0x201da"), with that era's bit values; 0 and ""
 * when @mask already holds names or is not hex.
 */
int ol_gfp_decode(const char *mask, char *out, size_t sz);

struct ol_oom_event;
/* A manual OOM: sysrq-f (order=-1), not an allocation that failed. */
int ol_oom_event_is_manual(const struct ol_oom_event *ev);

struct ol_oom_event {
	char host[64];
	char time[64];			/* the first line's stamp as logged */
	double boot;			/* seconds since boot, -1 unknown */
	time_t epoch;			/* absolute time, 0 unknown */
	long epoch_usec;
	unsigned int epoch_assumed;	/* OL_TIME_*: what epoch took from outside the log */
	char kernel[96];		/* release, from the "CPU: ... Comm:" line */
	char hardware[128];		/* the "Hardware name:" line */
	enum ol_ev_kind kind;
	char constraint[48];		/* as logged, "" when not */
	char killer[24];		/* "kernel", or a userspace killer's name */

	/* what asked for memory */
	char trigger_comm[64];
	long trigger_pid;
	char gfp_mask[160];
	int order;
	long trigger_adj;
	long trigger_uid;		/* "CPU: N UID: N PID: N" (6.11+) */
	unsigned int have_trigger;	/* OL_TRIG_* */
	char nodemask[64];
	char *cpuset;
	char mems_allowed[64];
	char *oom_memcg;		/* NULL for a global OOM */
	char *task_memcg;

	/* memory */
	unsigned long long memcg_usage_kb, memcg_limit_kb, memcg_failcnt;
	unsigned long long memsw_usage_kb, memsw_limit_kb, swap_usage_kb, swap_limit_kb;
	unsigned long long pages_ram, pages_reserved, free_pages, free_swap_kb, total_swap_kb;
	unsigned int have_mem;		/* OL_MEM_* */
	long page_size;			/* from the buddy lines, 0 unknown */
	unsigned long long meminfo[OL_MI_N];	/* pages */
	unsigned int meminfo_have;	/* 1u << enum ol_mi */
	struct ol_zone zones[OL_LOG_MAX_ZONES];
	int nzones;

	/* the task table */
	struct ol_task_row *tasks;
	size_t ntasks, tasks_cap;
	unsigned int columns;
	int tasks_seen;			/* a header was seen */
	int tasks_capped;		/* more rows than OL_LOG_MAX_TASKS */

	/* who was chosen and killed */
	int have_selected;
	long selected_pid;
	char selected_comm[64];
	long selected_score;
	int selected_scored;		/* the selection line gives a score (kernels up to 5.0) */
	struct ol_victim *victims;
	size_t nvictims;
	char *group_kill;		/* memory.oom.group: the cgroup killed whole */
	enum ol_outcome outcome;
	char panic[128];
	int partial;			/* the log holds only part of the event */
	int userspace;			/* a userspace killer, not the kernel */
	char *target_cgroup;		/* userspace killers that kill a cgroup */

	struct ol_prediction prediction;
	long prior_victims[16];		/* this host's recent victims, for "already being killed" */
	int nprior;
	unsigned long first_line, last_line;	/* 1-based line numbers in the input */
	char *raw;			/* the kernel's lines of the event as read, '\n' after each; NULL none */
	size_t raw_len;
	size_t raw_cap;			/* bytes allocated at raw */
	unsigned long raw_line;		/* the last line kept (a line split in messages once) */
	int raw_capped;			/* more than OL_LOG_MAX_RAW bytes: the rest not kept */
};

/*
 * A stamp without a year takes it from the log's other dated lines, its
 * last date or its file's mtime (ol_yearless_epoch()); one without a zone is
 * read in the local time zone.  Such an epoch
 * places the event for --since/--until, but the log itself does not show it.
 */
enum { OL_TIME_YEAR_ASSUMED = 1u << 0, OL_TIME_ZONE_ASSUMED = 1u << 1 };

enum {
	OL_TRIG_GFP = 1u << 0, OL_TRIG_ORDER = 1u << 1, OL_TRIG_ADJ = 1u << 2,
	OL_TRIG_PID = 1u << 3, OL_TRIG_COMM = 1u << 4, OL_TRIG_UID = 1u << 5,
};

enum {
	OL_MEM_MEMCG = 1u << 0, OL_MEM_MEMSW = 1u << 1, OL_MEM_SWAP = 1u << 2,
	OL_MEM_PAGES_RAM = 1u << 3, OL_MEM_RESERVED = 1u << 4,
	OL_MEM_FREE_SWAP = 1u << 5, OL_MEM_TOTAL_SWAP = 1u << 6, OL_MEM_FREE = 1u << 7,
};

#define OL_LOG_MAX_TASKS	100000	/* rows kept per event */
#define OL_LOG_MAX_LINE		65536	/* longer lines are cut */
#define OL_LOG_MAX_RAW		(1 << 20)	/* bytes of an event's own lines kept */

struct ol_logparser;

struct ol_logparser_opts {
	/* called with each finished event; it owns it (ol_oom_event_free) */
	void (*on_event)(struct ol_oom_event *ev, void *data);
	void *data;
	time_t reference;	/* for year-less dates: the file's mtime or now */
	time_t log_end;		/* ... better, the log's last one (ol_logsrc_log_end()), 0 unknown */
	time_t boot_time;	/* to turn boot-relative stamps absolute, 0 unknown */
	long boot_time_nsec;	/* and its nanoseconds (ol_boot_time_ns()) */
	const char *kernel;	/* --kernel: the release when the log does not say */
	int no_text;		/* leave ev->raw NULL: the caller prints no event's lines */
	int no_predict;		/* leave ev->prediction unset: the caller reads no ranking */
};

struct ol_logparser *ol_logparser_new(const struct ol_logparser_opts *opts);
/* Feed one line (without its newline).  0 or -ENOMEM. */
int ol_logparser_line(struct ol_logparser *p, const char *line, size_t len);
/* Finish events idle for @seconds (follow mode); 0 finishes every open one. */
void ol_logparser_flush(struct ol_logparser *p, double seconds);
void ol_logparser_free(struct ol_logparser *p);
/*
 * Following: the lines from now on are read as they are written, so a
 * year-less date is dated against the current time, not the log's end.
 */
void ol_logparser_live(struct ol_logparser *p);
/* Lines seen, and lines cut at OL_LOG_MAX_LINE, for notes. */
unsigned long ol_logparser_lines(const struct ol_logparser *p);

/*
 * The fast path for large logs.  While no event is open (ol_logparser_busy()
 * is 0), only lines holding one of a few anchors can begin one; a reader may
 * skip every line before the next anchor, telling the parser how many lines
 * it skipped.  ol_log_anchor() returns the start of the first line in
 * [@from, @end) that holds an anchor, or NULL, and sets *@lines to the
 * number of lines before it (or in the whole range).  @from must start a
 * line.  One pass over the text, whatever the number of anchors.
 */
int ol_logparser_busy(const struct ol_logparser *p);
void ol_logparser_skip(struct ol_logparser *p, unsigned long lines);
const char *ol_log_anchor(const char *from, const char *end, unsigned long *lines);
/*
 * The anchors, from the parser's own table of messages (oomlog.c): the
 * @i-th, or NULL past the last.  Each holds one of the fast path's keys.
 */
const char *ol_log_anchor_text(size_t i);

void ol_oom_event_free(struct ol_oom_event *ev);

/* Re-rank the task table as the event's kernel would (pure; fills ev->prediction). */
void ol_oom_event_predict(struct ol_oom_event *ev, const char *kernel_override);

struct ol_badness_in;
struct ol_badness;
/*
 * The terms of task row @row's badness as ol_oom_event_predict() weighed
 * them (its era and totalpages, no root bonus).  0, or -EINVAL without a
 * prediction or for a row out of range, or ol_badness()'s error.
 */
int ol_oom_event_row_terms(const struct ol_oom_event *ev, int row, struct ol_badness_in *in,
			   struct ol_badness *b);

const char *ol_ev_kind_str(enum ol_ev_kind k);
const char *ol_outcome_str(enum ol_outcome o);
const char *ol_vic_seen_str(enum ol_vic_seen s);

#endif
