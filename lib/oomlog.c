// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Assembling OOM events from unwrapped log lines.  One open event per host;
 * each line is recognised by what it says, from one table of the kernel's
 * messages (kmsgs[], below), whose texts are also the anchors of the fast
 * path (logscan.c).  Memory is bounded: at most
 * OL_LOG_MAX_TASKS rows and a few victims per event, a few open events.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "oomlens/badness.h"
#include "oomlens/logtime.h"
#include "oomlens/oomlog.h"

#define MAX_HOSTS	64	/* open events at once (one per host) */
#define MAX_VICTIMS	4096	/* kills in one event (memory.oom.group) */
#define IDLE_LINES	400	/* lines after a kill before an event is finished */
#define BUSY_WINDOW	256	/* lines an event's head keeps the reader line by line */

struct host_state {
	char host[64];
	size_t hostlen;			/* strlen(host), kept: host_of() compares every line */
	struct ol_oom_event *ev;	/* open event, or NULL */
	unsigned long last_line;	/* of the open event's last line */
	double last_boot;
	int in_table;			/* rows are expected */
	int have_victim;
	int header_cols[24];		/* column kinds of the table, in order */
	int ncols;
	int in_memcg_stats;
	int name_pending;		/* a kill line ended before "(name)" */
	long recent[16];		/* victims of earlier events, newest last */
	int nrecent;
	time_t last_seen;		/* wall clock of the last line, for follow */
	long sum_pid, sum_uid;		/* the oom-kill: summary's task, 0 none */
	char sum_comm[64];
	struct ol_task_row spare_row;	/* a row past OL_LOG_MAX_TASKS, read for its columns only */
};

struct ol_logparser {
	struct ol_logparser_opts o;
	struct host_state hosts[MAX_HOSTS];
	int nhosts;
	unsigned long line_no;
	char *split;			/* scratch for \x0a / #012 splitting */
	size_t split_cap;
	struct host_state *last_host;	/* for continuation lines */
	struct host_state *hint;	/* the host host_of() found last */
	struct ol_logline last_wrap;	/* the previous wrapped line's stamps */
	struct ol_year_hint years;	/* for year-less dates */
	int live;			/* following: lines come as they are written */
	const char *cur;		/* the line being read, as read */
	size_t cur_len;
};

/* ---- small helpers over (pointer, length) text ---- */

/* isdigit() without the locale's table: POSIX's digits are 0-9 in every locale */
static inline int is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/*
 * How common a byte is in kernel log text, less one: lower is rarer.  The
 * space, then digits, then lower-case letters by their frequency in English
 * (" etaoinsrhldcumpfgybwvkxjqz"); capitals and punctuation are rarest.
 * A table: mem_find() asks for every byte of every needle.
 */
static const unsigned char commonness[256] = {
	[' '] = 99, ['0'] = 29, ['1'] = 29, ['2'] = 29, ['3'] = 29, ['4'] = 29, ['5'] = 29,
	['6'] = 29, ['7'] = 29, ['8'] = 29, ['9'] = 29, ['e'] = 36, ['t'] = 35, ['a'] = 34, ['o'] = 33,
	['i'] = 32, ['n'] = 31, ['s'] = 30, ['r'] = 29, ['h'] = 28, ['l'] = 27, ['d'] = 26,
	['c'] = 25, ['u'] = 24, ['m'] = 23, ['p'] = 22, ['f'] = 21, ['g'] = 20, ['y'] = 19,
	['b'] = 18, ['w'] = 17, ['v'] = 16, ['k'] = 15, ['x'] = 14, ['j'] = 13, ['q'] = 12,
	['z'] = 11
};

/* The offset of @needle's rarest byte (of its first @k). */
static size_t rarest(const char *needle, size_t k)
{
	size_t r = 0;

	for (size_t i = 1; i < k; i++)
		if (commonness[(unsigned char)needle[i]] < commonness[(unsigned char)needle[r]])
			r = i;
	return r;
}

/*
 * @needle (@k bytes, its rarest at @r) in @s.  Lines are short: memchr for
 * the rarest byte and a compare beats glibc's memmem, which builds a shift
 * table on every call.
 */
static const char *mem_find_at(const char *s, size_t n, const char *needle, size_t k, size_t r)
{
	const char *p, *last;

	if (k == 0 || n < k)
		return NULL;
	last = s + n - k + r;	/* the last place the rare byte can be */
	/* the first and last bytes before a memcmp() call: most places of the rare byte fail there */
	for (p = s + r; p <= last && (p = memchr(p, needle[r], (size_t)(last - p) + 1)); p++)
		if (p[-(ptrdiff_t)r] == needle[0] && p[k - 1 - r] == needle[k - 1] &&
		    memcmp(p - r, needle, k) == 0)
			return p - r;
	return NULL;
}

/*
 * The bytes of a message as a set of 64 classes: each letter its own, the
 * digits one, the space one, the punctuation of the table's texts and keys
 * one each, all else one.  A message that lacks a class of an entry's text
 * cannot hold it: a word test instead of a memchr() per entry per line.
 */
static uint64_t byte_class[256];
static uint64_t zone_keys;	/* the classes of zone_line()'s " free:", " min:", " high:" */
static uint64_t meminfo_keys;	/* ... and of a Mem-Info counter's ":" and digits */
static size_t meminfo_key_len[OL_MI_N];	/* strlen(ol_meminfo_key(i)), not once a word a key */

static uint64_t byte_set(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	uint64_t a = 0, b = 0;

	/* two chains: the loop runs at a byte a cycle */
	for (; p + 1 < end; p += 2) {
		a |= byte_class[p[0]];
		b |= byte_class[p[1]];
	}
	if (p < end)
		a |= byte_class[p[0]];
	return a | b;
}

/*
 * @needle, a string literal (every caller's), in @s.  Its length and rarest
 * byte are kept by its address: a kill line asks for a dozen keys.
 */
static const char *mem_find_in(uint64_t set, const char *s, size_t n, const char *needle, size_t *len)
{
	/* open addressing, never evicted: the literals are a few dozen, and two alternating must not thrash */
	static __thread struct needle_info { const char *needle; size_t k, r; uint64_t set; } c[256];
	struct needle_info *e = NULL, one = { NULL, 0, 0, 0 };
	size_t slot = (size_t)(((uintptr_t)needle * 0x9e3779b97f4a7c15ULL) >> 56);

	for (size_t probe = 0; probe < 256; probe++, slot = (slot + 1) & 255) {
		if (c[slot].needle == needle || !c[slot].needle) {
			e = &c[slot];
			break;
		}
	}
	if (!e)
		e = &one;	/* full: worked out for this call only */
	if (e->needle != needle) {
		e->k = strlen(needle);
		e->r = rarest(needle, e->k);
		e->set = byte_set(needle, e->k);
		e->needle = needle;
	}
	*len = e->k;
	/* @set: the classes of @s's bytes (byte_set()), when the caller knows them */
	if (e->set & ~set)
		return NULL;
	return mem_find_at(s, n, needle, e->k, e->r);
}

static const char *mem_find_len(const char *s, size_t n, const char *needle, size_t *len)
{
	return mem_find_in(~0ULL, s, n, needle, len);
}

static const char *mem_find(const char *s, size_t n, const char *needle)
{
	size_t k;

	return mem_find_len(s, n, needle, &k);
}

static int starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/*
 * Digits at *@pp (all of them are consumed): 1 with the value, 0 when there
 * are none or they do not fit a long (a corrupt log: the field stays unknown).
 */
static int dec_long(const char **pp, const char *end, long *out)
{
	const char *p = *pp;
	long x = 0;
	int ok = 1;

	if (p >= end || !is_digit(*p))
		return 0;
	for (; p < end && is_digit(*p); p++) {
		if (x > (LONG_MAX - 9) / 10)
			ok = 0;
		else
			x = x * 10 + (*p - '0');
	}
	*pp = p;
	if (ok)
		*out = x;
	return ok;
}

/* The decimal number after @key in s[0..n), e.g. "order=" -> 0; @set as for mem_find_in(). */
static int num_after_in(uint64_t set, const char *s, size_t n, const char *key, long *v)
{
	size_t k;
	const char *p = mem_find_in(set, s, n, key, &k), *end = s + n;
	long x = 0;
	int neg = 0;

	if (!p)
		return 0;
	p += k;
	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (!dec_long(&p, end, &x))
		return 0;
	*v = neg ? -x : x;
	return 1;
}

static int num_after(const char *s, size_t n, const char *key, long *v)
{
	return num_after_in(~0ULL, s, n, key, v);
}

static int ull_after_in(uint64_t set, const char *s, size_t n, const char *key, unsigned long long *v)
{
	long x;

	if (!num_after_in(set, s, n, key, &x) || x < 0)
		return 0;
	*v = (unsigned long long)x;
	return 1;
}

static int ull_after(const char *s, size_t n, const char *key, unsigned long long *v)
{
	return ull_after_in(~0ULL, s, n, key, v);
}

/* Copy the token after @key up to one of @stops into out. */
static void copy_n(char *dst, size_t sz, const char *s, size_t n)
{
	if (n >= sz)
		n = sz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The token after @key, up to one of @stops: its start, and its length in *len. */
static const char *tok_span(const char *s, size_t n, const char *key, const char *stops,
			    size_t *len)
{
	size_t k;
	const char *p = mem_find_len(s, n, key, &k), *end = s + n, *q;

	if (!p)
		return NULL;
	p += k;
	for (q = p; q < end && !strchr(stops, *q); q++)
		;
	*len = (size_t)(q - p);
	return p;
}

/* ... copied into @out (cut to fit); 0 when @key is absent. */
static int tok_after(const char *s, size_t n, const char *key, const char *stops,
		     char *out, size_t sz)
{
	size_t len;
	const char *p = tok_span(s, n, key, stops, &len);

	if (!p)
		return 0;
	copy_n(out, sz, p, len);
	return 1;
}

/*
 * A node list after @key ("%*pbl": "0", "0-1,3", or "(null)") in a line
 * whose fields are separated by commas too (oom-kill:...,mems_allowed=0,2,
 * global_oom,...): a comma continues the list only when a digit follows.
 */
static int nodelist_after(const char *s, size_t n, const char *key, char *out, size_t sz)
{
	const char *p = mem_find(s, n, key), *end = s + n, *q;

	if (!p)
		return 0;
	p += strlen(key);
	if (end - p >= 6 && memcmp(p, "(null)", 6) == 0) {
		copy_n(out, sz, p, 6);
		return 1;
	}
	for (q = p; q < end; q++) {
		if (is_digit(*q) || *q == '-')
			continue;
		if (*q == ',' && q + 1 < end && is_digit(q[1]))
			continue;
		break;
	}
	if (q == p)
		return 0;
	copy_n(out, sz, p, (size_t)(q - p));
	return 1;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* ... as a new string; NULL when @key is absent. */
static char *dup_tok_after(const char *s, size_t n, const char *key, const char *stops)
{
	size_t len;
	const char *p = tok_span(s, n, key, stops, &len);

	return p ? dup_n(p, len) : NULL;
}


/* "N (name)" at p: pid and name up to the ")" that is followed by @after. */
static const char *pid_name(const char *p, const char *end, long *pid, char *name, size_t sz)
{
	long v = 0;
	const char *o, *c;

	if (!dec_long(&p, end, &v))
		return NULL;
	*pid = v;
	if (p < end && *p == ',')	/* RHEL 6: "N, UID N, (name)" */
		return p;
	if (p + 1 >= end || p[0] != ' ' || p[1] != '(')
		return NULL;
	o = p + 2;
	/* the name may hold ")": take the last ")" before a known follower */
	c = NULL;
	for (const char *q = o; q < end; q++) {
		if (*q != ')')
			continue;
		if (q + 1 == end || q[1] == ' ' || q[1] == ',' || q[1] == '.' || q[1] == ':')
			c = q;
		if (q + 1 < end && (q[1] == ' ' || q[1] == ',') &&
		    (mem_find(q, (size_t)(end - q), "total-vm") == q + 2 ||
		     mem_find(q, (size_t)(end - q), "score") == q + 2 ||
		     mem_find(q, (size_t)(end - q), "vsz") == q + 2 ||
		     mem_find(q, (size_t)(end - q), "UID") == q + 2 ||
		     mem_find(q, (size_t)(end - q), "now") == q + 2))
			break;
	}
	if (!c)
		return NULL;
	copy_n(name, sz, o, (size_t)(c - o));
	return c + 1;
}

/* ---- events ---- */

void ol_oom_event_free(struct ol_oom_event *ev)
{
	if (!ev)
		return;
	free(ev->tasks);
	free(ev->victims);
	free(ev->cpuset);
	free(ev->oom_memcg);
	free(ev->task_memcg);
	free(ev->group_kill);
	free(ev->target_cgroup);
	free(ev->prediction.order);
	free(ev->raw);
	free(ev);
}

const char *ol_ev_kind_str(enum ol_ev_kind k)
{
	static const char *const s[] = { "global", "memcg", "cpuset", "mempolicy", "unknown" };

	return s[k];
}

const char *ol_outcome_str(enum ol_outcome o)
{
	static const char *const s[] = { "killed", "no_victim", "panic", "unknown" };

	return s[o];
}

const char *ol_vic_seen_str(enum ol_vic_seen v)
{
	static const char *const s[] = { "killed", "reaped", "summary", "selected" };

	return s[v];
}

static time_t tm_to_epoch(struct ol_logparser *p, const struct ol_logline *l)
{
	struct tm tm = l->tm;
	time_t t;

	if (p->live) {	/* written as it is read: before now, give or take the zone */
		p->years.limit = time(NULL);
		p->years.slack = 86400;
	}
	if (!l->have_year)
		return ol_yearless_epoch(&l->tm, &p->years);
	if (l->have_zone) {
		t = timegm(&tm);
		return t - l->tm_gmtoff;
	}
	return ol_local_epoch(&tm);
}

/* The line being read, into @ev's own lines (once, up to OL_LOG_MAX_RAW bytes).  0 or -ENOMEM. */
static int keep_raw(struct ol_logparser *p, struct ol_oom_event *ev)
{
	char *r;

	if (!p->cur || p->o.no_text || ev->raw_line == p->line_no || ev->raw_capped)
		return 0;
	ev->raw_line = p->line_no;
	if (ev->raw_len + p->cur_len + 1 > OL_LOG_MAX_RAW) {
		ev->raw_capped = 1;
		return 0;
	}
	if (ev->raw_len + p->cur_len + 2 > ev->raw_cap) {
		/* doubled: an event of 100,000 task rows is as many lines */
		size_t cap = ev->raw_cap ? 2 * ev->raw_cap : 4096;

		while (cap < ev->raw_len + p->cur_len + 2)
			cap *= 2;
		r = realloc(ev->raw, cap);
		if (!r)
			return -ENOMEM;
		ev->raw = r;
		ev->raw_cap = cap;
	}
	r = ev->raw;
	memcpy(r + ev->raw_len, p->cur, p->cur_len);
	ev->raw_len += p->cur_len;
	r[ev->raw_len++] = '\n';
	r[ev->raw_len] = '\0';
	return 0;
}

/* Take the line being read back out of @ev's own lines, if it was the last kept. */
static void drop_raw(const struct ol_logparser *p, struct ol_oom_event *ev)
{
	if (ev->raw && ev->raw_line == p->line_no && ev->raw_len >= p->cur_len + 1) {
		ev->raw_len -= p->cur_len + 1;
		ev->raw[ev->raw_len] = '\0';
		ev->raw_line = 0;
	}
}

static struct ol_oom_event *new_event(struct ol_logparser *p, struct host_state *h,
				      const struct ol_logline *l)
{
	struct ol_oom_event *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return NULL;
	copy_n(ev->host, sizeof(ev->host), h->host, h->hostlen);
	ev->boot = l->boot;
	ev->outcome = OL_OUTCOME_UNKNOWN;
	ev->kind = OL_EV_UNKNOWN;
	ev->trigger_pid = -1;
	memcpy(ev->killer, "kernel", sizeof("kernel"));
	/* a kmsg record's prefix ("4,24451,2816260437,-") is no time: its clock as dmesg shows it */
	if (l->wrap == OL_WRAP_KMSG && l->boot >= 0)
		snprintf(ev->time, sizeof(ev->time), "[%.6f]", l->boot);
	else if (l->stamp)
		copy_n(ev->time, sizeof(ev->time), l->stamp, l->stamplen);
	if (l->have_tm) {
		ev->epoch = tm_to_epoch(p, l);
		ev->epoch_usec = l->tm_usec;
		ev->epoch_assumed = (l->have_year ? 0 : OL_TIME_YEAR_ASSUMED) |
				    (l->have_zone ? 0 : OL_TIME_ZONE_ASSUMED);
	} else if (l->boot >= 0 && l->boot < 1e12 && p->o.boot_time) {
		/* whole seconds apart from the fraction: exact to the microsecond */
		long long us = (long long)(l->boot * 1e6 + 0.5) + p->o.boot_time_nsec / 1000;

		ev->epoch = p->o.boot_time + (time_t)(us / 1000000);
		ev->epoch_usec = (long)(us % 1000000);
	}
	ev->first_line = ev->last_line = p->line_no;
	if (keep_raw(p, ev) < 0) {
		ol_oom_event_free(ev);
		return NULL;
	}
	h->ev = ev;
	h->in_table = 0;
	h->have_victim = 0;
	h->ncols = 0;
	h->in_memcg_stats = 0;
	h->sum_pid = 0;
	return ev;
}

static struct ol_victim *add_victim(struct ol_oom_event *ev);

/* no kill line: the summary's task, or the one selected (not seen killed) */
static void victim_from_evidence(struct ol_oom_event *ev, const struct host_state *h)
{
	struct ol_victim *v;

	if (h->sum_pid <= 0 && !ev->have_selected)
		return;
	v = add_victim(ev);
	if (!v)
		return;
	if (h->sum_pid > 0) {
		v->pid = h->sum_pid;
		v->uid = h->sum_uid;
		snprintf(v->comm, sizeof(v->comm), "%s", h->sum_comm);
		v->seen = OL_SEEN_SUMMARY;
	} else {
		v->pid = ev->selected_pid;
		snprintf(v->comm, sizeof(v->comm), "%s", ev->selected_comm);
		v->seen = OL_SEEN_SELECTED;
	}
	v->memcg = ev->oom_memcg != NULL || ev->kind == OL_EV_MEMCG;
	v->allocating_task = ev->have_selected == 2;
}

static void finish(struct ol_logparser *p, struct host_state *h)
{
	struct ol_oom_event *ev = h->ev;

	if (!ev)
		return;
	h->ev = NULL;
	h->in_table = 0;
	h->have_victim = 0;
	if (!ev->nvictims && !ev->userspace)
		victim_from_evidence(ev, h);
	if (ev->nvictims && ev->victims[0].seen == OL_SEEN_SELECTED)
		ev->partial = 1;
	else if (ev->nvictims)
		ev->outcome = ev->outcome == OL_OUTCOME_UNKNOWN ? OL_OUTCOME_KILLED : ev->outcome;
	if (!ev->have_trigger && !ev->userspace)
		ev->partial = 1;
	if (ev->outcome == OL_OUTCOME_UNKNOWN && !ev->userspace)
		ev->partial = 1;
	/* the kind: oom_memcg= beats the constraint's name, which some kernels got wrong */
	if (ev->kind == OL_EV_UNKNOWN) {
		if (ev->oom_memcg || (ev->have_mem & OL_MEM_MEMCG) ||
		    (ev->nvictims && ev->victims[0].memcg))
			ev->kind = OL_EV_MEMCG;
		else if (strcmp(ev->constraint, "CONSTRAINT_CPUSET") == 0)
			ev->kind = OL_EV_CPUSET;
		else if (strcmp(ev->constraint, "CONSTRAINT_MEMORY_POLICY") == 0)
			ev->kind = OL_EV_MEMPOLICY;
		else if (strcmp(ev->constraint, "CONSTRAINT_NONE") == 0 ||
			 (!ev->constraint[0] && (ev->nvictims || ev->have_trigger)))
			ev->kind = OL_EV_GLOBAL;
	}
	/* the cgroup the kernel's memcg OOM acted on */
	if (ev->kind == OL_EV_MEMCG && !ev->target_cgroup && ev->oom_memcg)
		ev->target_cgroup = strdup(ev->oom_memcg);
	if (!ev->kernel[0] && p->o.kernel)
		snprintf(ev->kernel, sizeof(ev->kernel), "%s", p->o.kernel);
	if (!ev->userspace) {
		memcpy(ev->prior_victims, h->recent, sizeof(h->recent));
		ev->nprior = h->nrecent;
		if (!p->o.no_predict)
			ol_oom_event_predict(ev, p->o.kernel);
		for (size_t i = 0; i < ev->nvictims; i++) {
			if (h->nrecent == 16) {
				memmove(h->recent, h->recent + 1, 15 * sizeof(h->recent[0]));
				h->nrecent--;
			}
			h->recent[h->nrecent++] = ev->victims[i].pid;
		}
	}
	p->o.on_event(ev, p->o.data);
}

static struct host_state *host_of(struct ol_logparser *p, const struct ol_logline *l)
{
	const char *name = l->host ? l->host : "";
	size_t n = l->host ? l->hostlen : 0, i;
	struct host_state *h;

	if (n >= sizeof(p->hosts[0].host))
		n = sizeof(p->hosts[0].host) - 1;
	/* the names are unique: the last host asked for first, as a line is mostly its previous one's */
	if (p->hint && p->hint->hostlen == n && memcmp(p->hint->host, name, n) == 0)
		i = (size_t)(p->hint - p->hosts);
	else
		for (i = 0; i < (size_t)p->nhosts; i++)
			if (p->hosts[i].hostlen == n && memcmp(p->hosts[i].host, name, n) == 0)
				break;
	if (n && (i == (size_t)p->nhosts || !p->hosts[i].ev)) {
		/* a paste whose first lines had no host: the event they opened is this host's */
		for (size_t j = 0; j < (size_t)p->nhosts; j++)
			if (!p->hosts[j].host[0] && p->hosts[j].ev) {
				h = &p->hosts[j];
				if (i < (size_t)p->nhosts) {
					p->hosts[i] = *h;
					memset(h, 0, sizeof(*h));
					h = &p->hosts[i];
				}
				memcpy(h->host, name, n);
				h->host[n] = '\0';
				h->hostlen = strlen(h->host);
				snprintf(h->ev->host, sizeof(h->ev->host), "%s", h->host);
				return p->hint = h;
			}
	}
	if (i < (size_t)p->nhosts)
		return p->hint = &p->hosts[i];
	if (p->nhosts == MAX_HOSTS) {
		/* too many hosts at once: reuse the slot idle longest */
		size_t lru = 0;

		for (i = 1; i < MAX_HOSTS; i++)
			if (p->hosts[i].last_line < p->hosts[lru].last_line)
				lru = i;
		finish(p, &p->hosts[lru]);
		h = &p->hosts[lru];
	} else {
		h = &p->hosts[p->nhosts++];
	}
	memset(h, 0, sizeof(*h));
	memcpy(h->host, name, n);
	h->host[n] = '\0';
	h->hostlen = strlen(h->host);
	return p->hint = h;
}

/* ---- the task table ---- */

static int col_kind(const char *w, size_t n)
{
	static const struct {
		const char *name;
		int kind;
	} cols[] = {
		{ "pid", OL_COL_PID }, { "uid", OL_COL_UID }, { "tgid", OL_COL_TGID },
		{ "total_vm", OL_COL_TOTAL_VM }, { "rss", OL_COL_RSS }, { "rss_anon", OL_COL_RSS_ANON },
		{ "rss_file", OL_COL_RSS_FILE }, { "rss_shmem", OL_COL_RSS_SHMEM },
		{ "nr_ptes", OL_COL_NR_PTES }, { "nr_pmds", OL_COL_NR_PMDS },
		{ "pgtables_bytes", OL_COL_PGTABLES_BYTES }, { "swapents", OL_COL_SWAPENTS },
		{ "oom_score_adj", OL_COL_OOM_SCORE_ADJ }, { "oom_adj", OL_COL_OOM_ADJ },
		{ "cpu", OL_COL_CPU },
	};

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (strlen(cols[i].name) == n && memcmp(cols[i].name, w, n) == 0)
			return cols[i].kind;
	return OL_COL_UNKNOWN;
}

/* "[ pid ]   uid  tgid total_vm      rss ... name" */
static int parse_header(struct host_state *h, const char *s, size_t n)
{
	const char *end = s + n, *p, *close = memchr(s, ']', n);
	int name_seen = 0;

	if (!close || !mem_find(s, (size_t)(close - s), "pid"))
		return 0;
	h->ncols = 0;
	h->header_cols[h->ncols++] = OL_COL_PID;
	for (p = close + 1; p < end;) {
		const char *w;

		while (p < end && *p == ' ')
			p++;
		w = p;
		while (p < end && *p != ' ')
			p++;
		if (p == w)
			break;
		if (p - w == 4 && memcmp(w, "name", 4) == 0) {
			name_seen = 1;
			break;
		}
		if (h->ncols < (int)(sizeof(h->header_cols) / sizeof(h->header_cols[0])))
			h->header_cols[h->ncols++] = col_kind(w, (size_t)(p - w));
	}
	return name_seen && h->ncols >= 4;
}

/* Each column kind's field, by the kind's bit: a load, not a switch, for every number of every row */
static const size_t col_field[] = {
	offsetof(struct ol_task_row, pid), offsetof(struct ol_task_row, uid),
	offsetof(struct ol_task_row, tgid), offsetof(struct ol_task_row, total_vm),
	offsetof(struct ol_task_row, rss), offsetof(struct ol_task_row, rss_anon),
	offsetof(struct ol_task_row, rss_file), offsetof(struct ol_task_row, rss_shmem),
	offsetof(struct ol_task_row, nr_ptes), offsetof(struct ol_task_row, nr_pmds),
	offsetof(struct ol_task_row, pgtables_bytes), offsetof(struct ol_task_row, swapents),
	offsetof(struct ol_task_row, oom_score_adj), offsetof(struct ol_task_row, oom_adj),
	offsetof(struct ol_task_row, cpu),
};
_Static_assert(OL_COL_CPU == 1u << 14 && OL_COL_UNKNOWN == 1u << 15, "a field for each bit below OL_COL_UNKNOWN");

static void set_col(struct ol_task_row *r, int kind, long v)
{
	unsigned int k = (unsigned int)kind;

	if (k & (OL_COL_UNKNOWN - 1))
		*(long *)((char *)r + col_field[__builtin_ctz(k)]) = v;
	r->have |= k;
}

/* "[  1234]  1000  1234  ...  name with spaces" */
static int is_row(const char *s, size_t n)
{
	size_t i = 1;

	if (n < 4 || s[0] != '[')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || !is_digit(s[i]))
		return 0;
	while (i < n && is_digit(s[i]))
		i++;
	return i < n && s[i] == ']';
}

/*
 * A row, read into the table's next slot (no copy): most lines of a storm
 * are rows.  Rows past OL_LOG_MAX_TASKS are read for their columns only.
 */
static int parse_row(struct ol_oom_event *ev, struct host_state *h, const char *s, size_t n)
{
	static const struct ol_task_row zero_row;
	const char *end = s + n, *p = s + 1;
	struct ol_task_row *r;
	int c;

	if (ev->ntasks < OL_LOG_MAX_TASKS && ev->ntasks == ev->tasks_cap) {
		size_t ncap = ev->tasks_cap ? ev->tasks_cap * 2 : 64;
		struct ol_task_row *nt = realloc(ev->tasks, ncap * sizeof(*nt));

		if (!nt)
			return -ENOMEM;
		ev->tasks = nt;
		ev->tasks_cap = ncap;
	}
	r = ev->ntasks < OL_LOG_MAX_TASKS ? &ev->tasks[ev->ntasks] : &h->spare_row;
	*r = zero_row;	/* copied: memset() here is a slow "rep stos" */
	for (c = 0; c < h->ncols; c++) {
		long v = 0;
		int neg = 0;

		while (p < end && (*p == ' ' || *p == ']' || *p == '['))
			p++;
		if (p < end && *p == '-') {
			neg = 1;
			p++;
		}
		if (p >= end || !is_digit(*p)) {
			/* an out-of-tree column such as "(01)nrss" may not be a number */
			if (h->header_cols[c] != OL_COL_UNKNOWN)
				return 0;
			while (p < end && *p != ' ')
				p++;
			continue;
		}
		/* dec_long(), inline: no kernel prints a number too long for a long */
		for (; p < end && is_digit(*p); p++) {
			if (v > (LONG_MAX - 9) / 10)
				return 0;
			v = v * 10 + (*p - '0');
		}
		if (p < end && *p != ' ' && *p != ']')
			return 0;
		set_col(r, h->header_cols[c], neg ? -v : v);
	}
	while (p < end && *p == ' ')
		p++;
	copy_n(r->name, sizeof(r->name), p, (size_t)(end - p));
	ev->columns |= r->have;
	if (ev->ntasks >= OL_LOG_MAX_TASKS) {
		ev->tasks_capped = 1;
		return 1;
	}
	ev->ntasks++;
	return 1;
}

/* ---- victims ---- */

static struct ol_victim *add_victim(struct ol_oom_event *ev)
{
	static const struct ol_victim zero_victim;
	struct ol_victim *nv;

	if (ev->nvictims >= MAX_VICTIMS)
		return NULL;
	nv = realloc(ev->victims, (ev->nvictims + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	ev->victims = nv;
	nv = &ev->victims[ev->nvictims++];
	*nv = zero_victim;	/* copied: memset() here is a slow "rep stos" */
	nv->uid = -1;
	return nv;
}

/*
 * "Killed process 1234 (name) total-vm:..kB, anon-rss:..kB, file-rss:..kB,
 *  shmem-rss:..kB, UID:0 pgtables:..kB oom_score_adj:0", and the vendor and
 * era variants: "Killed process N, UID N, (name) ...", "... (name), UID 0,
 * total-vm:...", "vsz:...", "Killed process N (name)." (2.4).
 */
/* @set: the classes of the line's bytes: most kill lines lack most keys */
static int parse_killed(struct ol_oom_event *ev, const char *s, size_t n, const char *k, uint64_t set)
{
	const char *end = s + n, *p = k + strlen("Killed process ");
	struct ol_victim *v;
	long pid, uid;

	v = add_victim(ev);
	if (!v)
		return -ENOMEM;
	p = pid_name(p, end, &pid, v->comm, sizeof(v->comm));
	if (!p) {
		/* "Killed process N" with "(name)." wrapped onto the next line */
		const char *q = k + strlen("Killed process ");
		long x = 0;

		if (!dec_long(&q, end, &x) || q != end) {
			ev->nvictims--;
			return 0;
		}
		v->pid = x;
		ev->outcome = OL_OUTCOME_KILLED;
		return 2;	/* the name may follow */
	}
	v->pid = pid;
	if (p < end && *p == ',') {
		/* RHEL 6: ", UID N, (name)" */
		const char *o = mem_find(p, (size_t)(end - p), "(");
		const char *c = o ? mem_find(o, (size_t)(end - o), ")") : NULL;

		if (num_after(p, (size_t)(end - p), "UID ", &uid))
			v->uid = uid;
		if (o && c)
			copy_n(v->comm, sizeof(v->comm), o + 1, (size_t)(c - o - 1));
	}
	if (num_after_in(set, s, n, "UID:", &uid) || num_after_in(set, s, n, "UID ", &uid))
		v->uid = uid;
	if (ull_after_in(set, s, n, "total-vm:", &v->total_vm_kb) ||
	    ull_after_in(set, s, n, "vsz:", &v->total_vm_kb))
		v->have |= OL_VIC_TOTAL_VM;
	if (ull_after_in(set, s, n, "anon-rss:", &v->anon_rss_kb))
		v->have |= OL_VIC_ANON;
	if (ull_after_in(set, s, n, "file-rss:", &v->file_rss_kb))
		v->have |= OL_VIC_FILE;
	if (ull_after_in(set, s, n, "shmem-rss:", &v->shmem_rss_kb))
		v->have |= OL_VIC_SHMEM;
	if (ull_after_in(set, s, n, "pgtables:", &v->pgtables_kb))
		v->have |= OL_VIC_PGTABLES;
	if (num_after_in(set, s, n, "oom_score_adj:", &v->oom_score_adj))
		v->have |= OL_VIC_ADJ;
	v->memcg = mem_find(s, (size_t)(k - s), "Memory cgroup out of memory") != NULL || ev->oom_memcg;
	v->allocating_task = mem_find(s, (size_t)(k - s), "oom_kill_allocating_task") != NULL ||
			     ev->have_selected == 2;
	ev->outcome = OL_OUTCOME_KILLED;
	return 1;
}

/* ---- userspace OOM killers ---- */

static int tag_is(const struct ol_logline *l, const char *name)
{
	return l->tag && l->taglen == strlen(name) && memcmp(l->tag, name, l->taglen) == 0;
}

/*
 * What the fast path finds in the lines userspace_kill() reads: the syslog
 * tags "earlyoom[N]:", "systemd-oomd[N]:", "oomd[N]:", "nohang[N]:" and
 * "nohang-desktop[N]:", and oomd's record in the kernel log.  With the
 * kernel messages' table (ol_log_anchor_text()), every anchor there is.
 */
static const char *const killer_anchors[] = { "earlyoom[", "oomd[", "oomd kill: ", "nohang" };
#define NKILLER_ANCHORS (sizeof(killer_anchors) / sizeof(killer_anchors[0]))

static int userspace_kill(struct ol_logparser *p, struct host_state *h,
			  const struct ol_logline *l)
{
	const char *s = l->body, *k;
	size_t n = l->bodylen;
	struct ol_oom_event *ev;
	struct ol_victim *v;
	const char *killer = NULL;
	long pid = -1, uid = -1;
	char comm[64] = "";
	char *cg = NULL;

	if (tag_is(l, "earlyoom")) {
		/* "sending SIGTERM to process 1234 uid 1000 "firefox": badness 800, VmRSS 1234 MiB" */
		k = mem_find(s, n, "to process ");
		if (!k || !(mem_find(s, n, "sending SIG") || mem_find(s, n, "Sending SIG")))
			return 0;
		killer = "earlyoom";
		num_after(k, (size_t)(s + n - k), "to process ", &pid);
		num_after(k, (size_t)(s + n - k), " uid ", &uid);
		tok_after(k, (size_t)(s + n - k), "\"", "\"", comm, sizeof(comm));
	} else if (tag_is(l, "systemd-oomd")) {
		/* "Killed /system.slice/foo.service due to memory pressure ..." */
		if (!starts(s, n, "Killed "))
			return 0;
		killer = "systemd-oomd";
		cg = dup_tok_after(s, n, "Killed ", " ");
		if (!cg)
			return -ENOMEM;
	} else if (starts(s, n, "oomd kill: ")) {
		/*
		 * Facebook oomd's record in the kernel log (Oomd::logKill):
		 * "oomd kill: 10.00 60.00 600.00 /some.slice/x.service 1999 ruleset:[...] ..."
		 * three pressures, then the cgroup it killed, then its size
		 */
		const char *q = s + 11, *end = s + n, *t;

		for (int f = 0; f < 3 && q < end; f++) {
			while (q < end && *q == ' ')
				q++;
			while (q < end && *q != ' ')
				q++;
		}
		while (q < end && *q == ' ')
			q++;
		for (t = q; t < end && *t != ' '; t++)
			;
		if (t == q)
			return 0;
		killer = "oomd";
		cg = dup_n(q, (size_t)(t - q));
		if (!cg)
			return -ENOMEM;
	} else if (tag_is(l, "oomd")) {
		/*
		 * Facebook oomd's own log (BaseKillPlugin::tryToKillPids):
		 * "Killed 2: 7777(java) 7778(bash)", a failed kill marked
		 * "[E<errno>]"; the running total "Killed 2" alone is no event
		 */
		const char *q, *end = s + n;
		long nk;

		if (!(k = mem_find(s, n, "Killed ")) || !num_after(k, (size_t)(end - k), "Killed ", &nk))
			return 0;
		for (q = k + 7; q < end && is_digit(*q); q++)
			;
		if (q >= end || *q != ':')
			return 0;
		finish(p, h);
		ev = new_event(p, h, l);
		if (!ev)
			return -ENOMEM;
		ev->userspace = 1;
		snprintf(ev->killer, sizeof(ev->killer), "oomd");
		ev->kind = OL_EV_UNKNOWN;
		for (q++; q < end;) {
			const char *open, *close;
			long vp = 0;

			while (q < end && *q == ' ')
				q++;
			if (q >= end || !is_digit(*q))
				break;
			if (!dec_long(&q, end, &vp))
				break;
			open = q < end && *q == '(' ? q : NULL;
			close = open ? memchr(open, ')', (size_t)(end - open)) : NULL;
			q = close ? close + 1 : q;
			if (q < end && *q == '[') {	/* "[E3]": the kill failed */
				while (q < end && *q != ' ')
					q++;
				continue;
			}
			v = add_victim(ev);
			if (!v)
				return -ENOMEM;
			v->pid = vp;
			v->uid = -1;
			if (open && close)
				copy_n(v->comm, sizeof(v->comm), open + 1, (size_t)(close - open - 1));
			while (q < end && *q != ' ')
				q++;
		}
		ev->outcome = ev->nvictims ? OL_OUTCOME_KILLED : OL_OUTCOME_UNKNOWN;
		finish(p, h);
		return 1;
	} else if (tag_is(l, "nohang") || tag_is(l, "nohang-desktop")) {
		/* "Sending SIGTERM to the victim: Pid: 1234, Name: firefox, ..." or
		 * "  Kill: SIGKILL  PID: 1234  Name: firefox" */
		if (!(mem_find(s, n, "SIGTERM") || mem_find(s, n, "SIGKILL")) ||
		    !(num_after(s, n, "Pid: ", &pid) || num_after(s, n, "PID: ", &pid) ||
		      num_after(s, n, "pid: ", &pid)))
			return 0;
		killer = "nohang";
		if (!tok_after(s, n, "Name: ", ",", comm, sizeof(comm)))
			tok_after(s, n, "name: ", ",", comm, sizeof(comm));
		num_after(s, n, "UID: ", &uid);
	} else {
		return 0;
	}
	finish(p, h);
	ev = new_event(p, h, l);
	if (!ev) {
		free(cg);
		return -ENOMEM;
	}
	ev->userspace = 1;
	snprintf(ev->killer, sizeof(ev->killer), "%s", killer);
	ev->target_cgroup = cg;
	ev->kind = OL_EV_UNKNOWN;
	if (pid >= 0 || comm[0]) {
		v = add_victim(ev);
		if (!v)
			return -ENOMEM;
		v->pid = pid;
		v->uid = uid;
		snprintf(v->comm, sizeof(v->comm), "%s", comm);
	}
	ev->outcome = OL_OUTCOME_KILLED;
	finish(p, h);
	return 1;
}

/* ---- one kernel message ---- */

static int kernel_release(const char *s, size_t n, char *out, size_t sz)
{
	/* "CPU: 1 PID: 2 Comm: x Not tainted 6.1.0-13-amd64 #1 ..." or
	 * "Tainted: G  W  O  5.15.0 #1"; the release is the first word that
	 * starts with "digit.digit" after Comm:/comm: */
	const char *p = mem_find(s, n, "omm: "), *end = s + n;

	if (!p)
		return 0;
	p += 5;
	while (p < end && *p != ' ')	/* the comm itself */
		p++;
	while (p < end) {
		const char *w;

		while (p < end && *p == ' ')
			p++;
		w = p;
		while (p < end && *p != ' ')
			p++;
		if (p - w >= 3 && is_digit(w[0]) && (w[1] == '.' ||
		    (is_digit(w[1]) && w[2] == '.'))) {
			copy_n(out, sz, w, (size_t)(p - w));
			return 1;
		}
	}
	return 0;
}

/*
 * "CPU: 1 PID: 2 Comm: kthreadd Not tainted 4.9.0-gentoo #3": the trigger's
 * pid and the release.  Another CPU's oops may print its own such line in
 * the middle of the event: one whose Comm: is not the trigger's is not ours.
 */
static int cpu_line(struct ol_oom_event *ev, const char *s, size_t n)
{
	const char *c = mem_find(s, n, "omm: "), *end = s + n;
	size_t tl = strlen(ev->trigger_comm);
	char rel[96];
	long v;

	/* names hold spaces ("Web Content"): the trigger's, then a space */
	if ((ev->have_trigger & OL_TRIG_COMM) && c &&
	    ((size_t)(end - c - 5) < tl || memcmp(c + 5, ev->trigger_comm, tl) != 0 ||
	     (c + 5 + tl < end && c[5 + tl] != ' ')))
		return 0;
	if (!kernel_release(s, n, rel, sizeof(rel)))
		return 0;
	if (!ev->kernel[0])
		snprintf(ev->kernel, sizeof(ev->kernel), "%s", rel);
	if (num_after(s, n, "PID: ", &v) || num_after(s, n, "Pid: ", &v)) {
		ev->trigger_pid = v;
		ev->have_trigger |= OL_TRIG_PID;
	}
	if (num_after(s, n, " UID: ", &v)) {	/* 6.11+ */
		ev->trigger_uid = v;
		ev->have_trigger |= OL_TRIG_UID;
	}
	return 1;
}

/* ---- the memory dump ---- */

/* "active_anon:1740512 inactive_anon:219486 isolated_anon:0": Mem-Info's counters (pages) */
static int meminfo_line(struct ol_oom_event *ev, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	int any = 0;

	while (p < end && *p == ' ')
		p++;
	while (p < end) {
		const char *k = p, *c;
		unsigned long long v = 0;
		int i, digits = 0;

		while (p < end && *p != ' ')
			p++;
		c = memchr(k, ':', (size_t)(p - k));
		if (c) {
			const char *d = c + 1;

			for (; d < p && is_digit(*d); d++, digits++)
				v = v * 10 + (unsigned long long)(*d - '0');
			for (i = 0; i < OL_MI_N && digits && d == p; i++)
				if (meminfo_key_len[i] == (size_t)(c - k) &&
				    memcmp(k, ol_meminfo_key(i), (size_t)(c - k)) == 0) {
					ev->meminfo[i] = v;
					ev->meminfo_have |= 1u << i;
					any = 1;
				}
		}
		while (p < end && *p == ' ')
			p++;
	}
	if (ev->meminfo_have & (1u << OL_MI_FREE)) {
		ev->free_pages = ev->meminfo[OL_MI_FREE];
		ev->have_mem |= OL_MEM_FREE;
	}
	return any;
}

/* "Node 0 Normal" or "Normal" at s (up to @e): the zone, found or added */
static struct ol_zone *zone_of(struct ol_oom_event *ev, const char *s, const char *e)
{
	long node = -1;
	const char *p = s;
	char name[16];

	if (starts(s, (size_t)(e - s), "Node ")) {
		p = s + 5;
		if (!dec_long(&p, e, &node))
			return NULL;
		while (p < e && *p == ' ')
			p++;
	}
	if (p >= e || (size_t)(e - p) >= sizeof(name))
		return NULL;
	copy_n(name, sizeof(name), p, (size_t)(e - p));
	for (int i = 0; i < ev->nzones; i++)
		if (ev->zones[i].node == node && strcmp(ev->zones[i].name, name) == 0)
			return &ev->zones[i];
	if (ev->nzones == OL_LOG_MAX_ZONES)
		return NULL;
	ev->zones[ev->nzones].node = (int)node;
	snprintf(ev->zones[ev->nzones].name, sizeof(name), "%s", name);
	return &ev->zones[ev->nzones++];
}

static void reserve_of(struct ol_zone *z, const char *s, size_t n)
{
	const char *p = mem_find(s, n, "lowmem_reserve[]:"), *end = s + n;
	long v;

	if (!p || !z)
		return;
	p += strlen("lowmem_reserve[]:");
	z->nreserve = 0;
	while (z->nreserve < 8) {
		while (p < end && *p == ' ')
			p++;
		if (!dec_long(&p, end, &v))
			break;
		z->reserve[z->nreserve++] = v;
	}
}

/* "Node 0 Normal free:54712kB min:54332kB low:67912kB high:81492kB ... managed:15442508kB" */
static int zone_line(struct ol_oom_event *ev, const char *s, size_t n)
{
	const char *f = mem_find(s, n, " free:");
	struct ol_zone *z;

	if (!f || !mem_find(s, n, " min:") || !mem_find(s, n, " high:") || !isalpha((unsigned char)s[0]))
		return 0;
	z = zone_of(ev, s, f);
	if (!z)
		return 1;
	ull_after(s, n, " free:", &z->free_kb);
	ull_after(s, n, " min:", &z->min_kb);
	ull_after(s, n, " low:", &z->low_kb);
	ull_after(s, n, " high:", &z->high_kb);
	ull_after(s, n, " managed:", &z->managed_kb);
	z->have_watermarks = 1;
	reserve_of(z, s, n);	/* 002: the reserve line merged onto the zone's */
	return 1;
}

/* "Node 0 Normal: 41*4kB (UEH) 13*8kB (UE) ... = 53852kB": free blocks by order */
static void buddy_line(struct ol_oom_event *ev, const char *s, size_t n)
{
	const char *c = memchr(s, ':', n), *p, *end = s + n;
	struct ol_zone *z = c ? zone_of(ev, s, c) : NULL;

	if (!z)
		return;
	z->norders = 0;
	for (p = c + 1; p < end && z->norders < OL_ZONE_ORDERS; ) {
		long cnt;

		while (p < end && *p == ' ')
			p++;
		if (p < end && *p == '(') {	/* "(UEH)" */
			while (p < end && *p != ' ')
				p++;
			continue;
		}
		if (!dec_long(&p, end, &cnt) || p >= end || *p != '*')
			break;
		z->blocks[z->norders++] = cnt;
		while (p < end && *p != ' ')
			p++;
	}
}

/* "[Node 0 ]Normal: 58*4kB (UE) 7*8kB ..." */
static int is_buddy(const char *s, size_t n)
{
	const char *c = memchr(s, ':', n < 40 ? n : 40), *end = s + n, *q;

	if (!c || !isalpha((unsigned char)s[0]) || c + 2 >= end || c[1] != ' ')
		return 0;
	for (q = c + 2; q < end && is_digit(*q); q++)
		;
	return q > c + 2 && q < end && *q == '*';
}

static void page_size_from_buddy(struct ol_oom_event *ev, const char *s, size_t n)
{
	/* "Node 0 Normal: 12*4kB (UME) 3*8kB ..." : the first size is a page */
	const char *star = mem_find(s, n, "*");
	long kb = 0;

	if (!star || !mem_find(s, n, "kB") || ev->page_size)
		return;
	if (num_after(star, (size_t)(s + n - star), "*", &kb) && kb >= 4 && kb <= 256 &&
	    !(kb & (kb - 1)))
		ev->page_size = kb * 1024;
}

/*
 * "oom_reaper: reaped process N (name), now anon-rss:..": marks its victim;
 * with the kill lines suppressed, it is the only line that names the victim.
 */
static int reaped(struct ol_oom_event *ev, struct host_state *h, const char *s, size_t n,
		  long pid, const char *comm)
{
	struct ol_victim *v = NULL;

	for (size_t i = 0; i < ev->nvictims; i++)
		if (ev->victims[i].pid == pid)
			v = &ev->victims[i];
	if (!v && !ev->nvictims) {
		v = add_victim(ev);
		if (!v)
			return -ENOMEM;
		v->pid = pid;
		snprintf(v->comm, sizeof(v->comm), "%s", comm);
		v->seen = OL_SEEN_REAPED;
		v->memcg = ev->oom_memcg != NULL || ev->kind == OL_EV_MEMCG;
		if (h->sum_pid == pid && h->sum_uid >= 0)
			v->uid = h->sum_uid;
		ev->outcome = OL_OUTCOME_KILLED;
		h->have_victim = 1;
		h->in_table = 0;
	}
	if (!v)
		return 0;
	v->reaped = 1;
	ull_after(s, n, "anon-rss:", &v->reaped_anon_kb);
	ull_after(s, n, "file-rss:", &v->reaped_file_kb);
	ull_after(s, n, "shmem-rss:", &v->reaped_shmem_kb);
	return 0;
}

/* ---- the table of kernel messages ---- */

/* One kernel message, as a handler of the table below sees it. */
struct kmsg_in {
	struct ol_logparser *p;
	struct host_state *h;
	const struct ol_logline *l;
	const char *s;		/* the message, its prefix gone */
	size_t n;
	const char *at;		/* where the entry's text is in it */
	uint64_t set;		/* the classes of its bytes (byte_set()) */
};

/*
 * The open event, or a partial one: the line begins an event whose head the
 * log does not hold.
 */
static struct ol_oom_event *event_of(struct kmsg_in *m)
{
	struct ol_oom_event *ev = m->h->ev;

	if (!ev && (ev = new_event(m->p, m->h, m->l)))
		ev->partial = 1;
	return ev;
}

/* A second kill or selection without a head between: a new, partial event. */
static struct ol_oom_event *next_event(struct kmsg_in *m)
{
	struct ol_oom_event *ev;

	if (m->h->ev)
		drop_raw(m->p, m->h->ev);	/* the line begins the next event */
	finish(m->p, m->h);
	ev = new_event(m->p, m->h, m->l);
	if (ev)
		ev->partial = 1;
	return ev;
}

/* "gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), order=0": the mask up to ", " */
static void head_gfp(struct ol_oom_event *ev, const char *s, size_t n)
{
	const char *g, *e;

	if (!tok_after(s, n, "gfp_mask=", ", ", ev->gfp_mask, sizeof(ev->gfp_mask)))
		return;
	g = mem_find(s, n, "gfp_mask=") + 9;
	for (e = g; e < s + n && !(e[0] == ',' && (e + 1 >= s + n || e[1] == ' ')); e++)
		;
	copy_n(ev->gfp_mask, sizeof(ev->gfp_mask), g, (size_t)(e - g));
	ev->have_trigger |= OL_TRIG_GFP;
}

/* "x invoked oom-killer: gfp_mask=.., order=0, oom_score_adj=0": an event begins */
static int on_head(struct kmsg_in *m)
{
	const char *s = m->s;
	size_t n = m->n;
	struct ol_oom_event *ev;
	long v;

	if (m->h->ev)
		drop_raw(m->p, m->h->ev);
	finish(m->p, m->h);
	ev = new_event(m->p, m->h, m->l);
	if (!ev)
		return -ENOMEM;
	copy_n(ev->trigger_comm, sizeof(ev->trigger_comm), s, (size_t)(m->at - s));
	ev->have_trigger |= OL_TRIG_COMM;
	head_gfp(ev, s, n);
	if (num_after(s, n, "order=", &v)) {
		ev->order = (int)v;
		ev->have_trigger |= OL_TRIG_ORDER;
	}
	if (num_after(s, n, "oom_score_adj=", &v) || num_after(s, n, "oomkilladj=", &v) ||
	    num_after(s, n, "oom_adj=", &v)) {
		ev->trigger_adj = v;
		ev->have_trigger |= OL_TRIG_ADJ;
	}
	tok_after(s, n, "nodemask=", ", ", ev->nodemask, sizeof(ev->nodemask));
	return 1;
}

/* "CPU: 1 PID: 2 Comm: x Not tainted 6.1.0 #1": the trigger's pid and the release */
static int on_cpu(struct kmsg_in *m)
{
	if (m->h->ev->have_trigger & OL_TRIG_PID)
		return 0;
	return cpu_line(m->h->ev, m->s, m->n);
}

/* "x cpuset=/ mems_allowed=0" */
static int on_cpuset(struct kmsg_in *m)
{
	struct ol_oom_event *ev = m->h->ev;

	if (!mem_find(m->s, m->n, " mems_allowed="))
		return 0;
	free(ev->cpuset);
	ev->cpuset = dup_tok_after(m->s, m->n, " cpuset=", " ");
	tok_after(m->s, m->n, " mems_allowed=", " ", ev->mems_allowed, sizeof(ev->mems_allowed));
	return 1;
}

/* 4.19+: "oom-kill:constraint=..,nodemask=..,cpuset=..,oom_memcg=..,task=x,pid=1,uid=0" */
static int on_summary(struct kmsg_in *m)
{
	struct ol_oom_event *ev = event_of(m);
	struct host_state *h = m->h;
	const char *s = m->s;
	size_t n = m->n;
	char *t;

	if (!ev)
		return -ENOMEM;
	tok_after(s, n, "constraint=", ",", ev->constraint, sizeof(ev->constraint));
	if (!ev->nodemask[0])
		nodelist_after(s, n, "nodemask=", ev->nodemask, sizeof(ev->nodemask));
	if (!ev->cpuset)
		ev->cpuset = dup_tok_after(s, n, ",cpuset=", ",");
	if (!ev->mems_allowed[0])
		nodelist_after(s, n, "mems_allowed=", ev->mems_allowed, sizeof(ev->mems_allowed));
	if ((t = dup_tok_after(s, n, ",oom_memcg=", ","))) {
		free(ev->oom_memcg);
		ev->oom_memcg = t;
	}
	if ((t = dup_tok_after(s, n, ",task_memcg=", ","))) {
		free(ev->task_memcg);
		ev->task_memcg = t;
	}
	h->sum_pid = 0;
	if (tok_after(s, n, ",task=", ",", h->sum_comm, sizeof(h->sum_comm)) &&
	    num_after(s, n, ",pid=", &h->sum_pid) && !num_after(s, n, ",uid=", &h->sum_uid))
		h->sum_uid = -1;
	return 1;
}

/* "Killed process N (x) total-vm:..", 2.4's "Out of Memory: Killed process N (x)" too */
static int on_killed(struct kmsg_in *m)
{
	struct ol_oom_event *ev = event_of(m);
	struct host_state *h = m->h;
	int rc;

	if (!ev)
		return -ENOMEM;
	/* memory.oom.group kills several; otherwise a second kill is a new event */
	if (h->have_victim && !ev->group_kill && !(ev = next_event(m)))
		return -ENOMEM;
	rc = parse_killed(ev, m->s, m->n, m->at, m->set);
	if (rc < 0)
		return -ENOMEM;
	h->name_pending = rc == 2;
	h->have_victim = 1;
	h->in_table = 0;
	h->last_line = m->p->line_no;
	return 1;
}

/* up to 5.x: "Out of memory: Kill process N (x) score S or sacrifice child" */
static int on_kill(struct kmsg_in *m)
{
	const char *s = m->s;
	size_t n = m->n;
	size_t before = (size_t)(m->at - s);
	struct ol_oom_event *ev;

	if (!mem_find(s, n, "score") && !mem_find(s, n, "child"))
		return 0;
	if (!(ev = event_of(m)) || (m->h->have_victim && !(ev = next_event(m))))
		return -ENOMEM;
	if (pid_name(m->at + 15, s + n, &ev->selected_pid, ev->selected_comm,
		     sizeof(ev->selected_comm))) {
		ev->have_selected = mem_find(s, before, "oom_kill_allocating_task") ? 2 : 1;
		ev->selected_scored = num_after(s, n, " score ", &ev->selected_score);
		if (mem_find(s, before, "Memory cgroup"))
			ev->kind = OL_EV_MEMCG;
	}
	m->h->in_table = 0;
	return 1;
}

/* 4.19+: "Tasks in /x are going to be killed due to memory.oom.group set" */
static int on_group(struct kmsg_in *m)
{
	struct ol_oom_event *ev = m->h->ev;

	if (!mem_find(m->s, m->n, "Tasks in "))
		return 0;
	free(ev->group_kill);
	ev->group_kill = dup_tok_after(m->s, m->n, "Tasks in ", " ");
	return 1;
}

/* "oom_reaper: reaped process N (x), now anon-rss:0kB" or "unable to reap pid:N (x)" */
static int on_reaper(struct kmsg_in *m)
{
	struct ol_oom_event *ev = m->h->ev;
	const char *k;
	long pid;
	char comm[64];

	if ((k = mem_find(m->s, m->n, "reaped process "))) {
		if (pid_name(k + 15, m->s + m->n, &pid, comm, sizeof(comm)))
			return reaped(ev, m->h, m->s, m->n, pid, comm) < 0 ? -ENOMEM : 1;
	} else if (num_after(m->s, m->n, "pid:", &pid)) {
		for (size_t i = 0; i < ev->nvictims; i++)
			if (ev->victims[i].pid == pid)
				ev->victims[i].reaped = -1;
	}
	return 1;
}

static int on_no_victim(struct kmsg_in *m)
{
	struct ol_oom_event *ev = event_of(m);

	if (!ev)
		return -ENOMEM;
	ev->outcome = OL_OUTCOME_NO_VICTIM;
	m->h->in_table = 0;
	return 1;
}

/*
 * "Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is
 * enabled", 2.6.18's "out of memory. panic_on_oom is selected", or a panic
 * after "no killable processes".
 */
static int on_panic(struct kmsg_in *m)
{
	const char *s = m->s;
	size_t n = m->n;
	int kp = starts(s, n, "Kernel panic - not syncing:"), ends = starts(s, n, "Kernel panic");
	struct ol_oom_event *ev;

	if (!mem_find(s, n, "panic_on_oom is enabled") && !(kp && mem_find(s, n, "memory")))
		return 0;
	if (!(ev = event_of(m)))
		return -ENOMEM;
	if (!ev->panic[0])
		copy_n(ev->panic, sizeof(ev->panic), s, n);
	if (ev->outcome != OL_OUTCOME_KILLED)
		ev->outcome = ev->outcome == OL_OUTCOME_NO_VICTIM && ends ?
			      OL_OUTCOME_NO_VICTIM : OL_OUTCOME_PANIC;
	if (ends)
		finish(m->p, m->h);
	return 1;
}

/* up to 4.18: "Task in /a killed as a result of limit of /b" */
static int on_task_in(struct kmsg_in *m)
{
	struct ol_oom_event *ev = m->h->ev;

	if (!mem_find(m->s, m->n, " killed as a result of limit of "))
		return 0;
	free(ev->task_memcg);
	free(ev->oom_memcg);
	ev->task_memcg = dup_tok_after(m->s, m->n, "Task in ", " ");
	ev->oom_memcg = dup_tok_after(m->s, m->n, " killed as a result of limit of ", " ");
	return 1;
}

/* mem_cgroup_print_oom_meminfo(): "memory: usage 2048kB, limit 2048kB, failcnt 54" */
/*
 * A memory cgroup's counter line (mem_cgroup_print_oom_meminfo()):
 * "memory: usage 20480kB, limit 20480kB, failcnt 120", and memory+swap's
 * and swap's without a failcnt.
 */
static void usage_limit(const struct kmsg_in *m, unsigned long long *usage, unsigned long long *limit,
			unsigned int have)
{
	ull_after(m->s, m->n, "usage ", usage);
	ull_after(m->s, m->n, "limit ", limit);
	m->h->ev->have_mem |= have;
}

static int on_memcg_usage(struct kmsg_in *m)
{
	struct ol_oom_event *ev = m->h->ev;

	usage_limit(m, &ev->memcg_usage_kb, &ev->memcg_limit_kb, OL_MEM_MEMCG);
	ull_after(m->s, m->n, "failcnt ", &ev->memcg_failcnt);
	return 1;
}

static int on_memsw_usage(struct kmsg_in *m)
{
	usage_limit(m, &m->h->ev->memsw_usage_kb, &m->h->ev->memsw_limit_kb, OL_MEM_MEMSW);
	return 1;
}

static int on_swap_usage(struct kmsg_in *m)
{
	usage_limit(m, &m->h->ev->swap_usage_kb, &m->h->ev->swap_limit_kb, OL_MEM_SWAP);
	return 1;
}

/*
 * show_mem()'s "8379834 pages RAM": the number leads.  -1 when the line does
 * not begin with a digit (not this message), 0 with no number, 1 with it.
 */
static int leading_count(const struct kmsg_in *m, unsigned long long *out)
{
	const char *k = m->s;
	long v;

	if (!is_digit(m->s[0]))
		return -1;
	if (!dec_long(&k, m->s + m->n, &v))
		return 0;
	*out = (unsigned long long)v;
	return 1;
}

static int on_pages_ram(struct kmsg_in *m)
{
	int rc = leading_count(m, &m->h->ev->pages_ram);

	if (rc > 0)
		m->h->ev->have_mem |= OL_MEM_PAGES_RAM;
	return rc >= 0;
}

static int on_pages_reserved(struct kmsg_in *m)
{
	int rc = leading_count(m, &m->h->ev->pages_reserved);

	if (rc > 0)
		m->h->ev->have_mem |= OL_MEM_RESERVED;
	return rc >= 0;
}

static int on_swap_cache(struct kmsg_in *m)
{
	struct ol_oom_event *ev = m->h->ev;
	int rc = leading_count(m, &ev->meminfo[OL_MI_SWAPCACHE]);

	if (rc > 0)
		ev->meminfo_have |= 1u << OL_MI_SWAPCACHE;
	return rc >= 0;
}

/* Mem-Info, show_free_areas(): " free:39513 free_pcp:2958 free_cma:0" (pages) */
static int on_meminfo(struct kmsg_in *m)
{
	const char *f = m->s;
	size_t k = m->n;

	/*
	 * A counter is "key:digits": a line without a ':' or a digit has
	 * none (and meminfo_line() would only copy free: onto itself again).
	 */
	if (meminfo_keys & ~m->set)
		return 0;
	while (k && *f == ' ') {
		f++;
		k--;
	}
	return k && islower((unsigned char)f[0]) && !starts(f, k, "lowmem_reserve") &&
	       meminfo_line(m->h->ev, f, k);
}

/* "Free swap  = 0kB", "Total swap = 0kB" */
static int on_free_swap(struct kmsg_in *m)
{
	if (ull_after(m->s, m->n, "= ", &m->h->ev->free_swap_kb))
		m->h->ev->have_mem |= OL_MEM_FREE_SWAP;
	return 1;
}

static int on_total_swap(struct kmsg_in *m)
{
	if (ull_after(m->s, m->n, "= ", &m->h->ev->total_swap_kb))
		m->h->ev->have_mem |= OL_MEM_TOTAL_SWAP;
	return 1;
}

/* "Node 0 Normal: 12*4kB (UME) 3*8kB ... = 39512kB" */
static int on_buddy(struct kmsg_in *m)
{
	if (!is_buddy(m->s, m->n))
		return 0;
	page_size_from_buddy(m->h->ev, m->s, m->n);
	buddy_line(m->h->ev, m->s, m->n);
	return 1;
}

static int on_reserve(struct kmsg_in *m)
{
	struct ol_oom_event *ev = m->h->ev;

	reserve_of(ev->nzones ? &ev->zones[ev->nzones - 1] : NULL, m->s, m->n);
	return 1;
}

/* "Node 0 Normal free:39513kB min:... low:... high:..." */
static int on_zone(struct kmsg_in *m)
{
	/* zone_line() wants all three: most lines lack a class of them */
	if (zone_keys & ~m->set)
		return 0;
	return zone_line(m->h->ev, m->s, m->n);
}

static int on_hardware(struct kmsg_in *m)
{
	struct ol_oom_event *ev = m->h->ev;

	copy_n(ev->hardware, sizeof(ev->hardware), m->s + 15, m->n - 15);
	return 1;
}

/* "Tasks state (memory values in pages):": the table's title, 4.19+ */
static int on_tasks_state(struct kmsg_in *m)
{
	if (!event_of(m))
		return -ENOMEM;
	m->h->in_table = 0;
	return 1;
}

/* "[  pid  ]   uid  tgid total_vm      rss ... name": the columns of the table */
static int on_header(struct kmsg_in *m)
{
	struct ol_oom_event *ev;

	if (m->s[0] != '[' || is_row(m->s, m->n) || !mem_find(m->s, m->n, "pid") ||
	    !mem_find(m->s, m->n, "name"))
		return 0;
	if (!(ev = event_of(m)))
		return -ENOMEM;
	if (parse_header(m->h, m->s, m->n)) {
		m->h->in_table = 1;
		ev->tasks_seen = 1;
	}
	return 1;
}

/* How an entry's text is matched: the message begins with it, or holds it. */
enum { KM_BEGINS, KM_HOLDS, KM_ANY /* no text: the handler alone decides */ };

/*
 * What an entry's line means to the fast path (ol_log_anchor()), which finds
 * the text of every entry with one of these flags: so it holds one of
 * logscan.c's keys (tests/unit/test-logscan.c checks every one).
 */
#define KM_HEAD		1	/* begins an event, ends the open one: first in the table */
#define KM_OPENS	2	/* with no event open, begins a partial one */
#define KM_WAITED	4	/* an event that has its victim still waits for it */

/*
 * Every kernel message an event is read from, in the order they are tried:
 * a handler returns 1 when the line was its message, 0 when it was not (the
 * next entry is tried), -ENOMEM.  With no event open only KM_HEAD and
 * KM_OPENS entries are tried; the others find the event open.
 */
static const struct kmsg {
	unsigned char how, flags;
	const char *text;
	int (*fn)(struct kmsg_in *m);
} kmsgs[] = {
	{ KM_HOLDS, KM_HEAD, " invoked oom-killer: ", on_head },
	{ KM_BEGINS, 0, "CPU: ", on_cpu },
	{ KM_BEGINS, 0, "Pid: ", on_cpu },		/* 2.6 */
	{ KM_HOLDS, 0, " cpuset=", on_cpuset },
	{ KM_BEGINS, KM_OPENS, "oom-kill:", on_summary },
	{ KM_HOLDS, KM_OPENS, "Killed process ", on_killed },
	{ KM_HOLDS, KM_OPENS, ": Kill process ", on_kill },
	{ KM_HOLDS, KM_OPENS, ": kill process ", on_kill },	/* 2.6 */
	{ KM_HOLDS, KM_WAITED, "memory.oom.group", on_group },
	{ KM_BEGINS, KM_WAITED, "oom_reaper: ", on_reaper },
	{ KM_BEGINS, KM_OPENS, "Out of memory and no killable processes", on_no_victim },
	{ KM_HOLDS, KM_OPENS, "panic_on_oom", on_panic },
	{ KM_BEGINS, 0, "Kernel panic - not syncing:", on_panic },
	{ KM_BEGINS, 0, "Task in ", on_task_in },
	{ KM_BEGINS, 0, "memory: usage ", on_memcg_usage },
	{ KM_BEGINS, 0, "memory+swap: usage ", on_memsw_usage },
	{ KM_BEGINS, 0, "swap: usage ", on_swap_usage },
	{ KM_HOLDS, 0, " pages RAM", on_pages_ram },
	{ KM_HOLDS, 0, " pages reserved", on_pages_reserved },
	{ KM_ANY, 0, NULL, on_meminfo },
	{ KM_BEGINS, 0, "Free swap", on_free_swap },
	{ KM_BEGINS, 0, "Total swap", on_total_swap },
	{ KM_ANY, 0, NULL, on_buddy },
	{ KM_BEGINS, 0, "lowmem_reserve[]:", on_reserve },
	{ KM_ANY, 0, NULL, on_zone },
	{ KM_BEGINS, 0, "Hardware name: ", on_hardware },
	{ KM_HOLDS, 0, " pages in swap cache", on_swap_cache },
	{ KM_BEGINS, KM_OPENS, "Tasks state", on_tasks_state },
	{ KM_HOLDS, KM_OPENS, "tgid total_vm", on_header },
};
#define NKMSGS (sizeof(kmsgs) / sizeof(kmsgs[0]))

const char *ol_log_anchor_text(size_t i)
{
	for (size_t k = 0; k < NKMSGS; k++)
		if (kmsgs[k].flags && kmsgs[k].text && i-- == 0)
			return kmsgs[k].text;
	return i < NKILLER_ANCHORS ? killer_anchors[i] : NULL;
}

/* Each entry's text: its length, its rarest byte and its classes, worked out once */
static struct { size_t len, rare; uint64_t set; } kmsg_text[NKMSGS];
static pthread_once_t kmsg_text_once = PTHREAD_ONCE_INIT;

/*
 * The entries as bits, in the table's order: those that begin with each
 * byte, those held anywhere, those without a text, the KM_HEAD ones first.
 * A line tries only the entries it may be: its first byte and the classes
 * of its bytes rule out most of the table at once.
 */
_Static_assert(NKMSGS <= 32, "the table's entries are bits of a uint32_t");
static uint32_t km_begins[256], km_holds, km_any, km_head, km_opens;

static void kmsg_text_init(void)
{
	static const char punct[] = ":-_.=()/";	/* 8 more: 54 .. 61 */
	int bit = 0;

	for (int c = 0; c < 256; c++)
		byte_class[c] = 1ULL << 63;	/* all else */
	for (int c = 'a'; c <= 'z'; c++)
		byte_class[c] = 1ULL << bit++;
	for (int c = 'A'; c <= 'Z'; c++)
		byte_class[c] = 1ULL << bit++;
	for (int c = '0'; c <= '9'; c++)
		byte_class[c] = 1ULL << bit;
	byte_class[' '] = 1ULL << ++bit;
	for (const char *q = punct; *q; q++)
		byte_class[(unsigned char)*q] = 1ULL << ++bit;
	_Static_assert(52 + 2 + sizeof(punct) - 1 <= 63, "a class each, and one for all else");
	for (size_t i = 0; i < NKMSGS; i++) {
		if (!kmsgs[i].text)
			continue;
		kmsg_text[i].len = strlen(kmsgs[i].text);
		kmsg_text[i].rare = rarest(kmsgs[i].text, kmsg_text[i].len);
		kmsg_text[i].set = byte_set(kmsgs[i].text, kmsg_text[i].len);
	}
	for (size_t i = 0; i < NKMSGS; i++) {
		uint32_t entry = 1u << i;

		if (kmsgs[i].how == KM_BEGINS && kmsgs[i].text)
			km_begins[(unsigned char)kmsgs[i].text[0]] |= entry;
		else if (kmsgs[i].how == KM_HOLDS && kmsgs[i].text)
			km_holds |= entry;
		else
			km_any |= entry;
	}
	for (size_t i = 0; i < NKMSGS && (kmsgs[i].flags & KM_HEAD); i++)
		km_head |= 1u << i;
	for (size_t i = 0; i < NKMSGS; i++)
		if (kmsgs[i].flags & KM_OPENS)
			km_opens |= 1u << i;
	zone_keys = byte_set(" free: min: high:", strlen(" free: min: high:"));
	meminfo_keys = byte_set(":0", 2);
	for (int i = 0; i < OL_MI_N; i++)
		meminfo_key_len[i] = strlen(ol_meminfo_key(i));
}

/*
 * The candidates @cand (bits of kmsgs[]) tried in the table's order: the
 * first whose handler takes the line gives its return, else 0.
 */
static int try_kmsgs(struct kmsg_in *m, uint32_t cand)
{
	int rc;

	for (; cand; cand &= cand - 1) {
		size_t i = (size_t)__builtin_ctz(cand);
		const struct kmsg *e = &kmsgs[i];

		if (e->how == KM_BEGINS) {
			if (m->n < kmsg_text[i].len || memcmp(m->s, e->text, kmsg_text[i].len))
				continue;
			m->at = m->s;
		} else if (e->how == KM_HOLDS) {
			m->at = mem_find_at(m->s, m->n, e->text, kmsg_text[i].len, kmsg_text[i].rare);
			if (!m->at)
				continue;
		} else {
			m->at = m->s;
		}
		if ((rc = e->fn(m)) != 0)
			return rc;
	}
	return 0;
}

/* the rest of a kill line that a mail client wrapped: "(name)." */
static int wrapped_name(struct host_state *h, const char *s, size_t n)
{
	struct ol_oom_event *ev = h->ev;
	int pending = h->name_pending;

	h->name_pending = 0;
	if (!pending || !ev || !ev->nvictims || n < 3 || s[0] != '(' ||
	    !(s[n - 1] == ')' || (s[n - 2] == ')' && s[n - 1] == '.')))
		return 0;
	copy_n(ev->victims[ev->nvictims - 1].comm, sizeof(ev->victims[0].comm), s + 1,
	       (size_t)(s[n - 1] == '.' ? n - 3 : n - 2));
	return 1;
}

static int kernel_line(struct ol_logparser *p, struct host_state *h,
		       const struct ol_logline *l, const char *s, size_t n)
{
	struct kmsg_in m = { p, h, l, s, n, NULL, 0 };
	uint32_t cand, holds, may;
	uint64_t set;
	int rc;

	/* the table's bits were worked out by ol_logparser_new(), this parser's maker */
	if (wrapped_name(h, s, n))
		return 1;
	/* every line of an open event is its own, until one begins the next */
	if (h->ev && keep_raw(p, h->ev) < 0)
		return -ENOMEM;
	/* rows first: they are most of an event */
	if (h->in_table && h->ev && is_row(s, n))
		return parse_row(h->ev, h, s, n) < 0 ? -ENOMEM : 1;
	/*
	 * The entries this line may be: with no event open only those that
	 * open one (a handler that opens one takes its line), then by its
	 * first byte and by the classes of its bytes.
	 */
	may = h->ev ? ~0u : km_head | km_opens;
	cand = (km_begins[(unsigned char)s[0]] | km_any) & may;
	m.set = set = byte_set(s, n);
	for (holds = km_holds & may; holds; holds &= holds - 1) {
		size_t i = (size_t)__builtin_ctz(holds);

		/* without a branch: which entries pass is anybody's guess */
		cand |= (uint32_t)((n >= kmsg_text[i].len) & !(kmsg_text[i].set & ~set)) << i;
	}
	if ((rc = try_kmsgs(&m, cand & km_head)) != 0)
		return rc;
	if (h->ev)
		h->ev->last_line = p->line_no;
	return try_kmsgs(&m, cand & ~km_head);
}

static int one_message(struct ol_logparser *p, const struct ol_logline *l,
		       const char *s, size_t n)
{
	struct host_state *h;
	int rc;

	/* a syslog line from another program: only userspace killers matter */
	if (l->tag && !(l->taglen == 6 && memcmp(l->tag, "kernel", 6) == 0)) {
		h = host_of(p, l);
		return userspace_kill(p, h, l) < 0 ? -ENOMEM : 0;
	}
	h = host_of(p, l);
	/* Facebook oomd writes its kills into the kernel's log */
	if (starts(s, n, "oomd kill: "))
		return userspace_kill(p, h, l) < 0 ? -ENOMEM : 0;
	p->last_host = h;
	/*
	 * An event with nothing of it for a long while is over, before this
	 * line is read (a reader may have skipped the lines in between).
	 */
	if (h->ev && p->line_no - h->ev->last_line > IDLE_LINES)
		finish(p, h);
	rc = kernel_line(p, h, l, s, n);
	if (rc < 0)
		return rc;
	if (h->ev) {
		if (rc > 0)
			h->ev->last_line = p->line_no;
		h->last_seen = time(NULL);
	}
	return 0;
}

/*
 * Year-less dates come before the log's own last date, else before its
 * file's mtime (or now), and never after now: give or take the zone, which
 * such a date does not show either.
 */
static void year_limit(struct ol_logparser *p)
{
	time_t now = time(NULL);

	p->years.limit = p->o.log_end ? p->o.log_end : p->o.reference;
	p->years.slack = p->o.log_end ? 3600 : 86400;
	if (p->years.limit > now)
		p->years.limit = now;
	p->years.year = -1;
}

struct ol_logparser *ol_logparser_new(const struct ol_logparser_opts *opts)
{
	struct ol_logparser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->o = *opts;
	pthread_once(&kmsg_text_once, kmsg_text_init);	/* byte_class[], km_*[]: every line uses them */
	if (!p->o.reference)
		p->o.reference = time(NULL);
	year_limit(p);
	return p;
}

void ol_logparser_live(struct ol_logparser *p)
{
	p->live = 1;
}

unsigned long ol_logparser_lines(const struct ol_logparser *p)
{
	return p->line_no;
}

/* Split a message on escaped newlines: kmsg's "\x0a", rsyslog's "#012". */
static int split_message(struct ol_logparser *p, const struct ol_logline *l)
{
	const char *s = l->body, *end = l->body + l->bodylen;
	int rc = 0;

	while (s <= end && rc == 0) {
		const char *a = mem_find(s, (size_t)(end - s), "\\x0a");
		const char *b = mem_find(s, (size_t)(end - s), "#012");
		const char *cut = a && (!b || a < b) ? a : b;
		size_t n = (size_t)((cut ? cut : end) - s);

		while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		if (n)
			rc = one_message(p, l, s, n);
		if (!cut)
			break;
		s = cut + 4;
		while (s < end && *s == ' ' && cut == b)	/* "#012 " */
			s++;
	}
	return rc;
}

int ol_logparser_line(struct ol_logparser *p, const char *line, size_t len)
{
	struct ol_logline l;

	p->line_no++;
	if (len > OL_LOG_MAX_LINE)
		len = OL_LOG_MAX_LINE;
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	p->cur = line;
	p->cur_len = len;
	ol_log_unwrap(line, len, &l);
	if (l.have_tm && l.have_year) {	/* evidence for the year of a year-less date */
		p->years.year = l.tm.tm_year;
		p->years.day = l.tm.tm_mon * 31 + l.tm.tm_mday;
	}
	switch (l.wrap) {
	case OL_WRAP_KMSG_DICT:
		return 0;
	case OL_WRAP_BARE:
		/* in a file of host-stamped lines, a bare line is a wrapped tail */
		if (!p->last_host || !p->last_host->host[0])
			break;
		/* fall through */
	case OL_WRAP_CONT:
		/* the journal's indented continuation: same host, same time */
		if (!p->last_host)
			break;
		l.host = p->last_host->host;
		l.hostlen = p->last_host->hostlen;
		l.tag = "kernel";
		l.taglen = 6;
		break;
	default:
		/* a paste mixing wrappers: a line without a host continues the open event's */
		if (!l.host && !l.tag && p->last_host && p->last_host->host[0] && p->last_host->ev) {
			l.host = p->last_host->host;
			l.hostlen = p->last_host->hostlen;
		}
		break;
	}
	if (!l.bodylen)
		return 0;
	if ((l.wrap == OL_WRAP_KMSG || l.wrap == OL_WRAP_BARE) && memchr(l.body, '\\', l.bodylen) &&
	    mem_find(l.body, l.bodylen, "\\x0a"))
		return split_message(p, &l);
	if (memchr(l.body, '#', l.bodylen) && mem_find(l.body, l.bodylen, "#012"))
		return split_message(p, &l);
	return one_message(p, &l, l.body, l.bodylen);
}

void ol_logparser_flush(struct ol_logparser *p, double seconds)
{
	time_t now = time(NULL);

	for (int i = 0; i < p->nhosts; i++) {
		struct host_state *h = &p->hosts[i];

		if (!h->ev)
			continue;
		if (seconds <= 0 || (h->have_victim && difftime(now, h->last_seen) >= seconds))
			finish(p, h);
	}
}

void ol_logparser_free(struct ol_logparser *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nhosts; i++)
		ol_oom_event_free(p->hosts[i].ev);
	free(p->split);
	free(p);
}

int ol_logparser_busy(const struct ol_logparser *p)
{
	/*
	 * An event with its victim only waits for reaper and group-kill
	 * lines, which hold anchors: skipping is safe then too.
	 */
	for (int i = 0; i < p->nhosts; i++) {
		const struct host_state *h = &p->hosts[i];

		/*
		 * An event prints in one burst: the call trace and Mem-Info
		 * (lines that hold no anchor) follow its head closely.  After
		 * BUSY_WINDOW lines with nothing of it, a victimless event
		 * (a log cut short) no longer holds the reader back.
		 */
		if ((h->ev && !h->have_victim && p->line_no - h->ev->last_line < BUSY_WINDOW) ||
		    h->name_pending)
			return 1;
	}
	return 0;
}

void ol_logparser_skip(struct ol_logparser *p, unsigned long lines)
{
	p->line_no += lines;
}
