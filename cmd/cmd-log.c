// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "oomlens.h"
#include "output.h"
#include "timehist.h"
#include "oomlens/jsonutil.h"
#include "prom.h"
#include "report.h"
#include "oomlens/logsrc.h"

struct summary_count {
	char *key;
	unsigned long n;
	time_t first, last;		/* every dated event, for the text */
	time_t shown_first, shown_last;	/* those whose log shows the time, for JSON */
};

struct summary {
	struct summary_count *v;
	size_t n;
	size_t *slot;			/* a hash of the keys: index + 1, 0 free */
	size_t nslots;			/* a power of two, at least twice n */
};

struct logrun {
	struct ol_ctx *ctx;
	int json, jsonl, summary, fail_if_found, top;
	time_t since, until;
	unsigned long events, kernel_kills, partial;
	unsigned long undated;		/* left out by --since/--until: no absolute time */
	struct ol_jstream js;		/* -J: each event printed as it comes */
	int js_started;
	int html;			/* --format html: the same JSON, into the report */
	FILE *jf;			/* where the JSON goes: stdout, or html's buffer */
	char *hbuf;
	size_t hsz;
	struct summary by_victim, by_cgroup, by_host;
	struct summary by_memcg;	/* kernel kills per victim memcg path, for the counters */
	struct ol_times kill_times;	/* dated kills, for the histogram */
	time_t first, last;
	int write_error;
	struct ol_prom_log *prom;	/* --format prometheus */
	const char *source;		/* the file (or source) being read, for JSON */
};

static void usage(void)
{
	fputs("Usage:\n"
	      " oomlens log [options] [<file>...]\n"
	      "\n"
	      "Find OOM events in kernel logs: the victim, the trigger, the cgroup, and\n"
	      "whether the logged task table explains the kernel's choice.\n"
	      "\n"
	      "Options:\n"
	      " -J, --json               use JSON output format\n"
	      "     --jsonl              one JSON event per line\n"
	      "     --format <fmt>       text, json, jsonl, prometheus (node_exporter textfile)\n"
	      "                            or html (a report)\n"
	      "     --max-series <n>     prometheus: cgroups with their own series, the rest\n"
	      "                            as unit=\"other\" (default 10)\n"
	      " -o, --output <file>      prometheus or html: write to <file>, atomically\n"
	      " -q, --quiet              no notes on stderr, for cron\n"
	      " -s, --summary            counts per victim, cgroup and host\n"
	      " -f, --follow             keep reading and print each event as it completes\n"
	      "     --journal            read the kernel messages in the systemd journal\n"
	      " -b, --boot[=<id|n>]      with --journal: this boot (0 last, -1 previous, 1 first)\n"
	      "     --directory <dir>    read the journal files in <dir>\n"
	      "     --file <file>        read the journal file <file> (repeatable)\n"
	      "     --since <time>       only events at or after <time>\n"
	      "     --until <time>       only events before <time>\n"
	      " -t, --top <n>            candidates to show per event (default 5)\n"
	      "     --kernel <version>   the kernel release, when the log does not name it\n"
	      "     --fail-if-found      exit 1 when an event is found (for cron)\n"
	      " -h, --help               display this help\n"
	      " -V, --version            display version\n"
	      "\n"
	      "Without a file, the kernel ring buffer (/dev/kmsg); '-' is standard input;\n"
	      "gzip-compressed files and journalctl -o json or -o export output are read\n"
	      "as they are.\n"
	      "\n"
	      "For more details see oomlens-log(1).\n", stdout);
}

static void span(time_t *first, time_t *last, time_t when)
{
	if (when && (!*first || when < *first))
		*first = when;
	if (when > *last)
		*last = when;
}

static size_t key_hash(const char *key)
{
	size_t h = 14695981039346656037ULL;	/* FNV-1a */

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return h;
}

/* @key's slot in @s's hash: its own, or the free one it would take */
static size_t *key_slot(const struct summary *s, const char *key)
{
	size_t i = key_hash(key) & (s->nslots - 1);

	while (s->slot[i] && strcmp(s->v[s->slot[i] - 1].key, key) != 0)
		i = (i + 1) & (s->nslots - 1);
	return &s->slot[i];
}

/* The hash twice as large, the keys placed again.  0 or -ENOMEM. */
static int grow_slots(struct summary *s)
{
	size_t n = s->nslots ? s->nslots * 2 : 64, *old = s->slot;

	s->slot = calloc(n, sizeof(*s->slot));
	if (!s->slot) {
		s->slot = old;
		return -ENOMEM;
	}
	s->nslots = n;
	for (size_t i = 0; i < s->n; i++)
		*key_slot(s, s->v[i].key) = i + 1;
	free(old);
	return 0;
}

/* a storm counts thousands of events by a few dozen keys: found by hash, not by strcmp() each */
static void count_n(struct summary *s, const char *key, const struct ol_oom_event *ev, unsigned long n)
{
	size_t i, *sl;
	struct summary_count *nv;

	while (2 * (s->n + 1) > s->nslots)
		if (grow_slots(s) < 0)
			return;
	sl = key_slot(s, key);
	i = *sl ? *sl - 1 : s->n;
	if (i == s->n) {
		nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
		if (!nv)
			return;
		s->v = nv;
		s->v[i].key = strdup(key);
		if (!s->v[i].key)
			return;
		s->v[i].n = 0;
		s->v[i].first = s->v[i].last = 0;
		s->v[i].shown_first = s->v[i].shown_last = 0;
		s->n++;
		*sl = s->n;
	}
	s->v[i].n += n;
	span(&s->v[i].first, &s->v[i].last, ev->epoch);
	if (!ev->epoch_assumed)
		span(&s->v[i].shown_first, &s->v[i].shown_last, ev->epoch);
}

static void count(struct summary *s, const char *key, const struct ol_oom_event *ev)
{
	count_n(s, key, ev, 1);
}

static void summary_free(struct summary *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].key);
	free(s->v);
	free(s->slot);
}

/*
 * The kubelet's names of the root's pods (NULL: not a node), set once the
 * root is open: the printers of one event have no context to ask.
 */
static const struct ol_kube *log_kube;
/* --top, for the candidates in text and in JSON's prediction.ranking */
static int log_top = 5;

/* What users call a cgroup: the unit, container or pod, else the path. */
static void cgroup_name(const char *path, char *buf, size_t sz)
{
	struct ol_cg_decoded d;

	ol_cgroup_decode(path, &d);
	ol_kube_label(log_kube, &d, buf, sz);
	if (!buf[0])
		snprintf(buf, sz, "%s", path);
}

/* For the text: local time (TZ), to the second.  JSON has UTC (ol_json_time). */
static void local_time(time_t t, char *buf, size_t sz)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, sz, "%Y-%m-%d %H:%M:%S", &tm);
}

/* ---- JSON ---- */

static json_object *jnum(long long v) { return json_object_new_int64(v); }

/* kB as the kernel logs them, in bytes; null when not logged (or past 2^63 bytes: not a real size) */
static json_object *jkb(unsigned long long kb, int known)
{
	return known && kb <= (unsigned long long)INT64_MAX / 1024 ? jnum((long long)(kb * 1024)) : NULL;
}

/* a memory cgroup limit in bytes: null when not logged or PAGE_COUNTER_MAX (none) */
static json_object *jlimit(unsigned long long kb, int known)
{
	return jkb(kb, known && !ol_memcg_kb_is_max(kb));
}

/*
 * "comm" and "comm_text": the name, and the name as text output shows it
 * (ol_escape: control characters, bidirectional overrides and bytes that are
 * not UTF-8 as \xNN), null when that is the same.  The HTML report shows
 * names by comm_text, as the terminal does.
 */
static void jcomm(json_object *o, const char *comm)
{
	char *e = comm ? ol_escape(comm) : NULL;

	json_object_object_add(o, "comm", ol_json_string(comm));
	json_object_object_add(o, "comm_text", e && strcmp(e, comm) ? ol_json_string(e) : NULL);
	free(e);
}

static json_object *jvictim(const struct ol_victim *v)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "pid", v->pid >= 0 ? jnum(v->pid) : NULL);
	jcomm(o, v->comm);
	json_object_object_add(o, "uid", v->uid >= 0 ? jnum(v->uid) : NULL);
	json_object_object_add(o, "total_vm", jkb(v->total_vm_kb, !!(v->have & OL_VIC_TOTAL_VM)));
	json_object_object_add(o, "anon", jkb(v->anon_rss_kb, !!(v->have & OL_VIC_ANON)));
	json_object_object_add(o, "file", jkb(v->file_rss_kb, !!(v->have & OL_VIC_FILE)));
	json_object_object_add(o, "shmem", jkb(v->shmem_rss_kb, !!(v->have & OL_VIC_SHMEM)));
	json_object_object_add(o, "pgtables", jkb(v->pgtables_kb, !!(v->have & OL_VIC_PGTABLES)));
	json_object_object_add(o, "oom_score_adj", v->have & OL_VIC_ADJ ? jnum(v->oom_score_adj) : NULL);
	json_object_object_add(o, "reaped", v->reaped ? json_object_new_boolean(v->reaped > 0) : NULL);
	json_object_object_add(o, "seen", ol_json_string(ol_vic_seen_str(v->seen)));
	return o;
}

static json_object *jcgroup(const char *path)
{
	json_object *o;
	struct ol_cg_decoded d;
	char label[512];

	if (!path)
		return NULL;
	ol_cgroup_decode(path, &d);
	ol_kube_label(log_kube, &d, label, sizeof(label));
	o = json_object_new_object();
	json_object_object_add(o, "path", ol_json_string(path));
	json_object_object_add(o, "name", label[0] ? ol_json_string(label) : NULL);
	json_object_object_add(o, "unit", d.unit[0] ? ol_json_string(d.unit) : NULL);
	json_object_object_add(o, "runtime", d.runtime[0] ? ol_json_string(d.runtime) : NULL);
	json_object_object_add(o, "container_id", d.container[0] ? ol_json_string(d.container) : NULL);
	json_object_object_add(o, "pod_uid", d.pod_uid[0] ? ol_json_string(d.pod_uid) : NULL);
	ol_kube_json_add(o, log_kube, &d);
	return o;
}

/* the flags: as the kernel printed them in parentheses, or decoded from the hex of older kernels */
static json_object *jgfp_flags(const struct ol_oom_event *ev)
{
	const char *o = strchr(ev->gfp_mask, '('), *c = o ? strrchr(o, ')') : NULL;
	char buf[512];

	if (!(ev->have_trigger & OL_TRIG_GFP))
		return NULL;
	if (o && c)
		return json_object_new_string_len(o + 1, (int)(c - o - 1));
	return ol_gfp_decode(ev->gfp_mask, buf, sizeof(buf)) ? ol_json_string(buf) : NULL;
}

/* Mem-Info's counters by the kernel's names, in pages; null when the log has none */
static json_object *jmeminfo(const struct ol_oom_event *ev)
{
	json_object *o;

	if (!ev->meminfo_have)
		return NULL;
	o = json_object_new_object();
	for (int i = 0; i < OL_MI_N; i++)
		json_object_object_add(o, ol_meminfo_key(i), ev->meminfo_have & (1u << i) ?
				       jnum((long long)ev->meminfo[i]) : NULL);
	return o;
}

static json_object *jzone(const struct ol_oom_event *ev, const struct ol_zone *z)
{
	json_object *o = json_object_new_object(), *a;
	int w = z->have_watermarks;
	long blocks = ol_zone_blocks_at(z, ev->have_trigger & OL_TRIG_ORDER ? ev->order : 0);

	json_object_object_add(o, "node", z->node >= 0 ? jnum(z->node) : NULL);
	json_object_object_add(o, "zone", ol_json_string(z->name));
	json_object_object_add(o, "free_bytes", jkb(z->free_kb, w));
	json_object_object_add(o, "min_bytes", jkb(z->min_kb, w));
	json_object_object_add(o, "low_bytes", jkb(z->low_kb, w));
	json_object_object_add(o, "high_bytes", jkb(z->high_kb, w));
	json_object_object_add(o, "managed_bytes", jkb(z->managed_kb, w && z->managed_kb));
	a = NULL;
	if (z->nreserve) {
		a = json_object_new_array();
		for (int i = 0; i < z->nreserve; i++)
			json_object_array_add(a, jnum(z->reserve[i]));
	}
	json_object_object_add(o, "lowmem_reserve_pages", a);
	a = NULL;
	if (z->norders) {
		a = json_object_new_array();
		for (int i = 0; i < z->norders; i++)
			json_object_array_add(a, jnum(z->blocks[i]));
	}
	json_object_object_add(o, "free_blocks", a);
	json_object_object_add(o, "under_min", w ? json_object_new_boolean(ol_zone_is_under_min(z)) : NULL);
	json_object_object_add(o, "blocks_at_order", blocks >= 0 ? jnum(blocks) : NULL);
	return o;
}

static json_object *jzones(const struct ol_oom_event *ev)
{
	json_object *a;

	if (!ev->nzones)
		return NULL;
	a = json_object_new_array();
	for (int i = 0; i < ev->nzones; i++)
		json_object_array_add(a, jzone(ev, &ev->zones[i]));
	return a;
}

static void text_sentences(FILE *out, const struct ol_oom_event *ev);

/* The event's own lines as read, each escaped as names are (ol_escape), '\n' after each */
static json_object *jraw(const struct ol_oom_event *ev)
{
	json_object *o;
	char *buf = NULL;
	size_t sz = 0;
	FILE *f;

	if (!ev->raw)
		return NULL;
	f = open_memstream(&buf, &sz);
	if (!f)
		return NULL;
	for (const char *l = ev->raw, *nl; (nl = strchr(l, '\n')); l = nl + 1) {
		char *e = ol_escape_mem(l, (size_t)(nl - l));

		fputs(e ? e : "?", f);
		fputc('\n', f);
		free(e);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	o = ol_json_string(buf);
	free(buf);
	return o;
}

static json_object *jterms(const struct ol_oom_event *ev, int row, long rank)
{
	struct ol_badness_in in;
	struct ol_badness b;
	json_object *t;

	if (ol_oom_event_row_terms(ev, row, &in, &b) < 0)
		return NULL;
	t = json_object_new_object();
	json_object_object_add(t, "task", jnum(row));
	json_object_object_add(t, "rank", jnum(rank));
	json_object_object_add(t, "rss_pages", jnum((long long)in.rss));
	json_object_object_add(t, "swap_pages", jnum((long long)in.swap));
	json_object_object_add(t, "pgtables_pages", jnum((long long)in.pgtables));
	json_object_object_add(t, "adj_pages", jnum(b.adj_pages));
	return t;
}

/* The first --top candidates, and the victim if it ranks below: their badness terms */
static json_object *jranking(const struct ol_oom_event *ev)
{
	const struct ol_prediction *pr = &ev->prediction;
	json_object *a = json_object_new_array(), *t;

	for (int i = 0; i < pr->ranked && i < log_top; i++)
		if ((t = jterms(ev, pr->order[i], i + 1)))
			json_object_array_add(a, t);
	if (pr->victim_rank > log_top && (t = jterms(ev, pr->victim_row, pr->victim_rank)))
		json_object_array_add(a, t);
	return a;
}

/* What text output says of the event (text_sentences), line by line, unindented */
static json_object *jsentences(const struct ol_oom_event *ev)
{
	json_object *a;
	char *buf = NULL, *line, *save = NULL;
	size_t sz = 0;
	FILE *f = open_memstream(&buf, &sz);

	if (!f)
		return NULL;
	text_sentences(f, ev);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	a = json_object_new_array();
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		json_object_array_add(a, ol_json_string(line + strspn(line, " ")));
	free(buf);
	return a;
}

/*
 * @line: a --jsonl line, a document of its own (with "schema_version").
 * "time" only when the log shows it: a stamp without a year or a zone stays
 * in "time_raw", and where the event was placed goes to "time_inferred".
 */
static json_object *jevent(const struct ol_oom_event *ev, int line)
{
	json_object *o = line ? ol_json_document() : json_object_new_object(), *t, *a;
	const struct ol_prediction *pr = &ev->prediction;
	size_t i;

	json_object_object_add(o, "kind", ol_json_string(ol_ev_kind_str(ev->kind)));
	json_object_object_add(o, "killer", ol_json_string(ev->killer));
	ol_json_add_time(o, "time", ev->epoch_assumed ? 0 : ev->epoch);
	json_object_object_add(o, "time_raw", ev->time[0] ? ol_json_string(ev->time) : NULL);
	ol_json_add_time(o, "time_inferred", ev->epoch_assumed ? ev->epoch : 0);
	json_object_object_add(o, "boot_seconds", ev->boot >= 0 ? json_object_new_double(ev->boot) : NULL);
	json_object_object_add(o, "host", ev->host[0] ? ol_json_string(ev->host) : NULL);
	json_object_object_add(o, "kernel", ev->kernel[0] ? ol_json_string(ev->kernel) : NULL);
	json_object_object_add(o, "outcome", ol_json_string(ol_outcome_str(ev->outcome)));
	json_object_object_add(o, "partial", json_object_new_boolean(ev->partial));
	json_object_object_add(o, "sentences", jsentences(ev));
	if (ev->have_trigger) {
		t = json_object_new_object();
		jcomm(t, ev->have_trigger & OL_TRIG_COMM ? ev->trigger_comm : NULL);
		json_object_object_add(t, "pid", ev->have_trigger & OL_TRIG_PID ? jnum(ev->trigger_pid) : NULL);
		json_object_object_add(t, "gfp_mask", ev->have_trigger & OL_TRIG_GFP ? ol_json_string(ev->gfp_mask) : NULL);
		json_object_object_add(t, "order", ev->have_trigger & OL_TRIG_ORDER ? jnum(ev->order) : NULL);
		json_object_object_add(t, "oom_score_adj", ev->have_trigger & OL_TRIG_ADJ ? jnum(ev->trigger_adj) : NULL);
		json_object_object_add(t, "uid", ev->have_trigger & OL_TRIG_UID ? jnum(ev->trigger_uid) : NULL);
		json_object_object_add(t, "gfp_flags", jgfp_flags(ev));
		json_object_object_add(t, "manual", json_object_new_boolean(ol_oom_event_is_manual(ev)));
		json_object_object_add(o, "trigger", t);
	} else {
		json_object_object_add(o, "trigger", NULL);
	}
	json_object_object_add(o, "constraint", ev->constraint[0] ? ol_json_string(ev->constraint) : NULL);
	json_object_object_add(o, "nodemask", ev->nodemask[0] ? ol_json_string(ev->nodemask) : NULL);
	json_object_object_add(o, "cpuset", ol_json_string(ev->cpuset));
	json_object_object_add(o, "mems_allowed", ev->mems_allowed[0] ? ol_json_string(ev->mems_allowed) : NULL);
	json_object_object_add(o, "oom_memcg", jcgroup(ev->oom_memcg));
	json_object_object_add(o, "task_memcg", jcgroup(ev->task_memcg));
	json_object_object_add(o, "target_cgroup", jcgroup(ev->target_cgroup));
	if (ev->have_mem & OL_MEM_MEMCG) {
		t = json_object_new_object();
		json_object_object_add(t, "usage_bytes", jkb(ev->memcg_usage_kb, 1));
		json_object_object_add(t, "limit_bytes", jlimit(ev->memcg_limit_kb, 1));
		json_object_object_add(t, "failcnt", jnum((long long)ev->memcg_failcnt));
		json_object_object_add(t, "memsw_limit_bytes", jlimit(ev->memsw_limit_kb, !!(ev->have_mem & OL_MEM_MEMSW)));
		json_object_object_add(t, "swap_limit_bytes", jlimit(ev->swap_limit_kb, !!(ev->have_mem & OL_MEM_SWAP)));
		json_object_object_add(o, "memcg", t);
	} else {
		json_object_object_add(o, "memcg", NULL);
	}
	t = json_object_new_object();
	json_object_object_add(t, "ram_pages", ev->have_mem & OL_MEM_PAGES_RAM ? jnum((long long)ev->pages_ram) : NULL);
	json_object_object_add(t, "reserved_pages", ev->have_mem & OL_MEM_RESERVED ? jnum((long long)ev->pages_reserved) : NULL);
	json_object_object_add(t, "free_pages", ev->have_mem & OL_MEM_FREE ? jnum((long long)ev->free_pages) : NULL);
	json_object_object_add(t, "free_swap_bytes", jkb(ev->free_swap_kb, !!(ev->have_mem & OL_MEM_FREE_SWAP)));
	json_object_object_add(t, "total_swap_bytes", jkb(ev->total_swap_kb, !!(ev->have_mem & OL_MEM_TOTAL_SWAP)));
	json_object_object_add(t, "page_size", ev->page_size ? jnum(ev->page_size) : NULL);
	json_object_object_add(o, "memory", t);
	json_object_object_add(o, "hardware", ev->hardware[0] ? ol_json_string(ev->hardware) : NULL);
	json_object_object_add(o, "mem_info", jmeminfo(ev));
	json_object_object_add(o, "zones", jzones(ev));

	json_object_object_add(o, "victim", ev->nvictims ? jvictim(&ev->victims[0]) : NULL);
	a = json_object_new_array();
	for (i = 0; i < ev->nvictims; i++)
		json_object_array_add(a, jvictim(&ev->victims[i]));
	json_object_object_add(o, "victims", a);
	if (ev->have_selected) {
		t = json_object_new_object();
		json_object_object_add(t, "pid", jnum(ev->selected_pid));
		jcomm(t, ev->selected_comm);
		json_object_object_add(t, "score", jnum(ev->selected_score));
		json_object_object_add(o, "selected", t);
	} else {
		json_object_object_add(o, "selected", NULL);
	}
	json_object_object_add(o, "oom_group", jcgroup(ev->group_kill));
	json_object_object_add(o, "panic", ev->panic[0] ? ol_json_string(ev->panic) : NULL);

	if (ev->tasks_seen) {
		a = json_object_new_array();
		for (i = 0; i < ev->ntasks; i++) {
			const struct ol_task_row *r = &ev->tasks[i];

			t = json_object_new_object();
			json_object_object_add(t, "pid", jnum(r->pid));
			json_object_object_add(t, "uid", r->have & OL_COL_UID ? jnum(r->uid) : NULL);
			json_object_object_add(t, "tgid", r->have & OL_COL_TGID ? jnum(r->tgid) : NULL);
			json_object_object_add(t, "total_vm_pages", r->have & OL_COL_TOTAL_VM ? jnum(r->total_vm) : NULL);
			json_object_object_add(t, "rss_pages", r->have & OL_COL_RSS ? jnum(r->rss) : NULL);
			json_object_object_add(t, "swap_pages", r->have & OL_COL_SWAPENTS ? jnum(r->swapents) : NULL);
			json_object_object_add(t, "oom_score_adj", r->have & OL_COL_OOM_SCORE_ADJ ? jnum(r->oom_score_adj) : NULL);
			jcomm(t, r->name);
			json_object_object_add(t, "badness", pr->valid && r->eligible ? jnum(r->badness) : NULL);
			json_object_array_add(a, t);
		}
		json_object_object_add(o, "tasks", a);
		json_object_object_add(o, "tasks_capped", json_object_new_boolean(ev->tasks_capped));
	} else {
		json_object_object_add(o, "tasks", NULL);
	}
	if (pr->valid && pr->top >= 0) {
		const struct ol_task_row *r = &ev->tasks[pr->top];

		t = json_object_new_object();
		json_object_object_add(t, "pid", jnum(r->pid));
		jcomm(t, r->name);
		json_object_object_add(t, "badness", jnum(r->badness));
		json_object_object_add(t, "agrees", json_object_new_boolean(pr->agrees));
		json_object_object_add(t, "cause", pr->cause ? ol_json_string(pr->cause) : NULL);
		json_object_object_add(t, "victim_rank", pr->victim_rank ? jnum(pr->victim_rank) : NULL);
		json_object_object_add(t, "candidates", jnum(pr->ranked));
		json_object_object_add(t, "era", ol_json_string(ol_era_range((enum ol_era)pr->era)));
		json_object_object_add(t, "total_pages", jnum((long long)pr->totalpages));
		json_object_object_add(t, "total_pages_estimated", json_object_new_boolean(pr->totalpages_estimated));
		json_object_object_add(t, "total_pages_note", ol_json_string(pr->totalpages_note));
		json_object_object_add(t, "score", pr->score >= 0 ? jnum(pr->score) : NULL);
		json_object_object_add(t, "score_note", ol_json_string(pr->score_note));
		json_object_object_add(t, "tie", json_object_new_boolean(pr->tie));
		json_object_object_add(t, "root_bonus_changes", json_object_new_boolean(pr->root_bonus_changes));
		json_object_object_add(t, "ranking", jranking(ev));
		json_object_object_add(o, "prediction", t);
	} else {
		json_object_object_add(o, "prediction", NULL);
	}
	t = json_object_new_object();
	json_object_object_add(t, "first", jnum((long long)ev->first_line));
	json_object_object_add(t, "last", jnum((long long)ev->last_line));
	json_object_object_add(t, "text", jraw(ev));
	json_object_object_add(t, "text_capped", json_object_new_boolean(ev->raw_capped));
	json_object_object_add(o, "lines", t);
	return o;
}

/* ---- text ---- */

static void kb_human(unsigned long long kb, char *buf, size_t sz)
{
	ol_size_human(kb * 1024, buf, sz);
}

static void put_escaped(FILE *out, const char *s)
{
	char *e = ol_escape(s);

	fputs(e ? e : "?", out);
	free(e);
}

static const char *const seen_text[] = {
	[OL_SEEN_KILLED] = "",
	[OL_SEEN_REAPED] = "; named only by the reaper's line, the kill lines suppressed",
	[OL_SEEN_SUMMARY] = "; named only by the oom-kill: summary line",
	[OL_SEEN_SELECTED] = "",
};

/* "the kernel killed x[1] (rss 9.9G: anon 367M, file 9.5G, shmem 40K, 61% of RAM, adj 0, uid 1000)" */
static void text_victim(FILE *out, const struct ol_oom_event *ev, const struct ol_victim *v)
{
	unsigned long long rss = v->anon_rss_kb + v->file_rss_kb + v->shmem_rss_kb;
	long pk = ev->page_size ? ev->page_size / 1024 : 4;
	const char *sep = "";
	char a[32];

	fprintf(out, v->seen == OL_SEEN_SELECTED ? "  the kernel selected " : "  the kernel killed ");
	put_escaped(out, v->comm);
	fprintf(out, "[%ld] (", v->pid);
	if (v->have & (OL_VIC_ANON | OL_VIC_FILE)) {
		kb_human(rss, a, sizeof(a));
		fprintf(out, "rss %s: ", a);
		kb_human(v->anon_rss_kb, a, sizeof(a));
		fprintf(out, "anon %s", a);
		kb_human(v->file_rss_kb, a, sizeof(a));
		fprintf(out, ", file %s", a);
		if (v->have & OL_VIC_SHMEM) {
			kb_human(v->shmem_rss_kb, a, sizeof(a));
			fprintf(out, ", shmem %s", a);
		}
		if ((ev->have_mem & OL_MEM_PAGES_RAM) && ev->pages_ram)
			fprintf(out, ", %.1f%% of RAM", (double)rss * 100.0 / ((double)ev->pages_ram * (double)pk));
		sep = ", ";
	}
	if (v->have & OL_VIC_ADJ) {
		fprintf(out, "%sadj %ld", sep, v->oom_score_adj);
		sep = ", ";
	}
	if (v->uid >= 0)
		fprintf(out, "%suid %ld", sep, v->uid);
	fprintf(out, ")%s", seen_text[v->seen]);
	if (v->seen == OL_SEEN_SELECTED)
		fprintf(out, "; not seen killed: the log holds no kill line");
}

/* "  score: the kernel logged 1046, oomlens computes 1046" */
static void text_score(FILE *out, const struct ol_oom_event *ev, const struct ol_prediction *pr)
{
	fprintf(out, "  score: the kernel logged %ld, oomlens ", ev->selected_score);
	if (pr->score >= 0)
		fprintf(out, "computes %ld", pr->score);
	else
		fprintf(out, "cannot compute it");
	if (pr->score_note)
		fprintf(out, " (%s)", pr->score_note);
	fputc('\n', out);
}

/* "  memory: RAM 31.9G, 154.3M free; swap 8G, 0B free" and why the allocation failed */
static void text_memory(FILE *out, const struct ol_oom_event *ev)
{
	unsigned long long pk = (unsigned long long)(ev->page_size ? ev->page_size / 1024 : 4);
	char a[32], b[32];
	long at = 0;
	int under = 0, blocks_known = 0;

	if (ev->have_mem & OL_MEM_PAGES_RAM) {
		kb_human(ev->pages_ram * pk, a, sizeof(a));
		kb_human(ev->free_pages * pk, b, sizeof(b));
		fprintf(out, "  memory: RAM %s%s%s", a, ev->have_mem & OL_MEM_FREE ? ", free " : "",
		       ev->have_mem & OL_MEM_FREE ? b : "");
		if (ev->have_mem & OL_MEM_TOTAL_SWAP) {
			kb_human(ev->total_swap_kb, a, sizeof(a));
			kb_human(ev->free_swap_kb, b, sizeof(b));
			fprintf(out, "; swap %s%s%s", a, ev->have_mem & OL_MEM_FREE_SWAP ? ", free " : "",
			       ev->have_mem & OL_MEM_FREE_SWAP ? b : "");
		}
		fputc('\n', out);
	}
	for (int i = 0; i < ev->nzones; i++) {
		const struct ol_zone *z = &ev->zones[i];
		long n = ol_zone_blocks_at(z, ev->order);

		if (ol_zone_is_under_min(z)) {
			fprintf(out, "%s", under++ ? ", " : "  under the min watermark: ");
			if (z->node >= 0)
				fprintf(out, "node %d ", z->node);
			put_escaped(out, z->name);
		}
		if (n >= 0) {
			blocks_known = 1;
			at += n;
		}
	}
	if (under)
		fputc('\n', out);
	if (ev->order > 0 && blocks_known && !ol_oom_event_is_manual(ev))
		fprintf(out, "  free blocks of order %d or more: %ld%s\n", ev->order, at,
		       at ? "" : " (fragmentation: the free memory was in smaller blocks)");
}

/*
 * What text output says of one event, before the candidates: the head line
 * (when, where, what kind, who asked), the memory, the outcome, the victim
 * and whether the task table explains the kernel's choice.  Names escaped.
 */
static void text_sentences(FILE *out, const struct ol_oom_event *ev)
{
	const struct ol_prediction *pr = &ev->prediction;
	const struct ol_victim *v = ev->nvictims ? &ev->victims[0] : NULL;
	char a[32], b[32], cg[512];

	/* the head line: when, where, what kind, who asked */
	if (ev->epoch) {
		local_time(ev->epoch, a, sizeof(a));
		fprintf(out, "%s ", a);
	} else if (ev->time[0]) {
		put_escaped(out, ev->time);
		fputc(' ', out);
	}
	if (ev->host[0]) {
		put_escaped(out, ev->host);
		fputc(' ', out);
	}
	if (ev->userspace) {
		fprintf(out, "%s killed ", ev->killer);
		for (size_t i = 0; i < ev->nvictims; i++) {
			fprintf(out, "%s", i ? (i + 1 == ev->nvictims ? " and " : ", ") : "");
			put_escaped(out, ev->victims[i].comm);
			fprintf(out, "[%ld]", ev->victims[i].pid);
		}
		if (ev->target_cgroup) {
			fprintf(out, "%scgroup ", v ? " in " : "");
			put_escaped(out, ev->target_cgroup);
		}
		fprintf(out, " (a userspace OOM killer, not the kernel)\n");
		return;
	}
	fprintf(out, "%s OOM", ol_ev_kind_str(ev->kind));
	if (ev->kind == OL_EV_MEMCG && ev->oom_memcg) {
		fprintf(out, " in ");
		cgroup_name(ev->oom_memcg, cg, sizeof(cg));
		put_escaped(out, cg);
		if (strcmp(cg, ev->oom_memcg)) {
			fprintf(out, " (");
			put_escaped(out, ev->oom_memcg);
			fputc(')', out);
		}
	}
	if (ev->have_mem & OL_MEM_MEMCG) {
		kb_human(ev->memcg_limit_kb, a, sizeof(a));
		kb_human(ev->memcg_usage_kb, b, sizeof(b));
		fprintf(out, " (limit %s, usage %s)", ol_memcg_kb_is_max(ev->memcg_limit_kb) ? "none" : a, b);
	}
	if (ol_oom_event_is_manual(ev)) {
		fprintf(out, ": a manual OOM (sysrq-f, order=-1), no allocation failed");
	} else if (ev->have_trigger & OL_TRIG_COMM) {
		fprintf(out, ": ");
		put_escaped(out, ev->trigger_comm);
		if (ev->have_trigger & OL_TRIG_PID)
			fprintf(out, "[%ld]", ev->trigger_pid);
		if (ev->have_trigger & OL_TRIG_UID)
			fprintf(out, " (uid %ld)", ev->trigger_uid);
		fprintf(out, " asked for memory");
		if (ev->have_trigger & OL_TRIG_ORDER)
			fprintf(out, " (order %d%s", ev->order, ev->have_trigger & OL_TRIG_GFP ? ", " : ")");
		if (ev->have_trigger & OL_TRIG_GFP) {
			char flags[512];

			fprintf(out, "%s", ev->have_trigger & OL_TRIG_ORDER ? "" : " (");
			put_escaped(out, ev->gfp_mask);
			if (ol_gfp_decode(ev->gfp_mask, flags, sizeof(flags)))
				fprintf(out, " = %s", flags);
			fputc(')', out);
		}
	}
	fprintf(out, "%s\n", ev->partial ? " [partial: the log holds only part of this event]" : "");
	if (ev->kernel[0]) {
		fprintf(out, "  kernel ");
		put_escaped(out, ev->kernel);
		fputc('\n', out);
	}
	text_memory(out, ev);
	if (ev->constraint[0] && ev->kind != OL_EV_GLOBAL && ev->kind != OL_EV_MEMCG) {
		fprintf(out, "  constraint ");
		put_escaped(out, ev->constraint);
		fputc('\n', out);
	}
	if (ev->task_memcg && (!ev->oom_memcg || strcmp(ev->task_memcg, ev->oom_memcg))) {
		fprintf(out, "  victim's cgroup: ");
		cgroup_name(ev->task_memcg, cg, sizeof(cg));
		put_escaped(out, cg);
		fputc('\n', out);
	}

	switch (ev->outcome) {
	case OL_OUTCOME_NO_VICTIM:
		fprintf(out, "  nobody was killed: no killable process%s\n", ev->panic[0] ? ", and the kernel panicked" : "");
		break;
	case OL_OUTCOME_PANIC:
		fprintf(out, "  the kernel panicked: ");
		put_escaped(out, ev->panic);
		fputc('\n', out);
		break;
	default:
		break;
	}
	if (v)
		text_victim(out, ev, v);
	if (v) {
		if (ev->have_selected && ev->selected_pid != v->pid) {
			fprintf(out, ", having selected ");
			put_escaped(out, ev->selected_comm);
			fprintf(out, "[%ld]", ev->selected_pid);
		}
		if (v->allocating_task)
			fprintf(out, ", the allocating task (vm.oom_kill_allocating_task)");
		if (v->reaped > 0)
			fprintf(out, "; the reaper freed its memory");
		else if (v->reaped < 0)
			fprintf(out, "; the reaper could not free its memory");
		fputc('\n', out);
		if (ev->nvictims > 1) {
			fprintf(out, "  memory.oom.group: %zu kills", ev->nvictims);
			if (ev->group_kill) {
				fprintf(out, " in ");
				put_escaped(out, ev->group_kill);
			}
			fputc('\n', out);
		}
	}
	if (pr->valid && pr->top >= 0) {
		const struct ol_task_row *top = &ev->tasks[pr->top];

		if (pr->agrees) {
			fprintf(out, "  explained: rank 1 of %d by the %s formula", pr->ranked,
			       ol_era_range((enum ol_era)pr->era));
			if (top->oom_score_adj > 0 && top->badness > 0 && pr->totalpages >= 1000)
				fprintf(out, ", its adj %ld adding %ld pages", top->oom_score_adj,
				       top->oom_score_adj * (long)(pr->totalpages / 1000));
			fprintf(out, "%s\n", pr->tie ? " (a tie, decided by the scan order)" : "");
		} else {
			fprintf(out, "  predicted ");
			put_escaped(out, top->name);
			fprintf(out, "[%ld] (badness %ld)", top->pid, top->badness);
			if (pr->victim_rank)
				fprintf(out, "; the victim ranks %ld of %d", pr->victim_rank, pr->ranked);
			fprintf(out, ": %s\n", pr->cause ? pr->cause : "unexplained");
		}
		if (ev->selected_scored && ev->have_selected == 1)
			text_score(out, ev, pr);
		if (pr->totalpages_note)
			fprintf(out, "  totalpages: %s\n", pr->totalpages_note);
		if (pr->root_bonus_changes)
			fprintf(out, "  note: with the root bonus for uid 0 (kernels before 4.17), the top would differ\n");
	} else if (ev->tasks_seen && !ev->ntasks) {
		fprintf(out, "  the task table is empty\n");
	} else if (!ev->tasks_seen && v) {
		fprintf(out, "  no task table in the log: the kernel's choice cannot be re-ranked\n");
	}
}

/* The --top candidates as a table, the victim marked */
static void text_candidates(FILE *out, const struct logrun *lr, const struct ol_oom_event *ev)
{
	const struct ol_prediction *pr = &ev->prediction;
	long pk = ev->page_size ? ev->page_size / 1024 : 4;
	char a[32], b[32];

	if (ev->userspace || !pr->valid || pr->top < 0)
		return;
	fprintf(out, "  candidates (badness in pages of %lu%s):\n", pr->totalpages,
	       pr->totalpages_estimated ? ", estimated" : "");
	fprintf(out, "    %4s %8s %6s %8s %8s %5s %10s %6s  %s\n", "RANK", "PID", "UID", "RSS", "SWAP",
	       "ADJ", "BADNESS", "SHARE", "NAME");
	for (int i = 0; i < pr->ranked && i < lr->top; i++) {
		const struct ol_task_row *r = &ev->tasks[pr->order[i]];

		kb_human((unsigned long long)r->rss * (unsigned long long)pk, a, sizeof(a));
		kb_human((unsigned long long)r->swapents * (unsigned long long)pk, b, sizeof(b));
		fprintf(out, "    %4d %8ld %6ld %8s %8s %5ld %10ld %5.1f%%  ", i + 1, r->pid, r->uid, a,
		       r->have & OL_COL_SWAPENTS ? b : "-", r->oom_score_adj, r->badness,
		       pr->era == OL_ERA_B ? r->badness / 10.0 :
		       (double)r->badness * 100.0 / (double)(pr->totalpages ? pr->totalpages : 1));
		put_escaped(out, r->name);
		fprintf(out, "%s\n", pr->order[i] == pr->victim_row ? "  <- killed" : "");
	}
	if (pr->victim_rank > lr->top) {
		const struct ol_task_row *r = &ev->tasks[pr->victim_row];

		fprintf(out, "    %4ld %8ld %6ld %8s %8s %5ld %10ld %6s  ", pr->victim_rank, r->pid, r->uid,
		       "", "", r->oom_score_adj, r->badness, "");
		put_escaped(out, r->name);
		fprintf(out, "  <- killed\n");
	}
	if (ev->tasks_capped)
		fprintf(out, "  note: the task table was cut at %d rows; the rest were not read\n", OL_LOG_MAX_TASKS);
}

static void text_event(FILE *out, const struct logrun *lr, const struct ol_oom_event *ev)
{
	text_sentences(out, ev);
	text_candidates(out, lr, ev);
	fputc('\n', out);
}

/* ---- events in ---- */

/* Which file the event came from: several files make one list. */
static json_object *with_source(const struct logrun *lr, json_object *o)
{
	if (lr->source)
		json_object_object_add(o, "source", ol_json_string(lr->source));
	return o;
}

/* -J: the document's head, once; each event then goes out as it comes */
static void json_start(struct logrun *lr)
{
	if (!lr->js_started) {
		ol_jstream_begin(&lr->js, lr->jf ? lr->jf : stdout, NULL, "events");
		lr->js.plain = lr->html;	/* a third smaller, the same data */
	}
	lr->js_started = 1;
}

/* snprintf(buf, sz, "(%s)", s), cut the same way, without parsing a format for every event */
static void paren(char *buf, size_t sz, const char *s)
{
	size_t n = strlen(s), i = 0;

	if (!sz)
		return;
	if (sz > 1)
		buf[i++] = '(';
	if (n > sz - 1 - i)
		n = sz - 1 - i;
	memcpy(buf + i, s, n);
	i += n;
	if (i < sz - 1)
		buf[i++] = ')';
	buf[i] = '\0';
}

static void on_event(struct ol_oom_event *ev, void *data)
{
	struct logrun *lr = data;
	char key[512];

	if ((lr->since && (!ev->epoch || ev->epoch < lr->since)) ||
	    (lr->until && (!ev->epoch || ev->epoch >= lr->until))) {
		if (!ev->epoch)
			lr->undated++;
		ol_oom_event_free(ev);
		return;
	}
	lr->events++;
	if (!ev->userspace && ev->outcome == OL_OUTCOME_KILLED)
		lr->kernel_kills += ev->nvictims;
	lr->partial += ev->partial;
	if (lr->prom)
		ol_prom_log_event(lr->prom, ev);
	if (ev->epoch) {
		if (!lr->first || ev->epoch < lr->first)
			lr->first = ev->epoch;
		if (ev->epoch > lr->last)
			lr->last = ev->epoch;
	}
	if (lr->summary) {
		for (size_t i = 0; i < ev->nvictims; i++)
			count(&lr->by_victim, ev->victims[i].comm, ev);
		if (!ev->nvictims)
			count(&lr->by_victim, ev->outcome == OL_OUTCOME_NO_VICTIM ? "(no victim)" : "(unknown)", ev);
		if (ev->oom_memcg || ev->task_memcg || ev->target_cgroup)
			cgroup_name(ev->task_memcg ? ev->task_memcg :
				    ev->oom_memcg ? ev->oom_memcg : ev->target_cgroup, key, sizeof(key));
		else
			paren(key, sizeof(key), ol_ev_kind_str(ev->kind));
		count(&lr->by_cgroup, key, ev);
		count(&lr->by_host, ev->host[0] ? ev->host : "(this log)", ev);
		if (!ev->userspace && ev->outcome == OL_OUTCOME_KILLED && ev->nvictims && ev->task_memcg)
			count_n(&lr->by_memcg, ev->task_memcg, ev, ev->nvictims);
		if (ev->outcome == OL_OUTCOME_KILLED && ev->nvictims && ev->epoch)
			ol_times_add(&lr->kill_times, ev->epoch, ev->nvictims);
	} else if (lr->json || lr->html) {
		json_start(lr);
		if (ol_jstream_add(&lr->js, with_source(lr, jevent(ev, 0))) < 0)
			lr->write_error = 1;
	} else if (lr->jsonl) {
		json_object *o = with_source(lr, jevent(ev, 1));

		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		fflush(stdout);
	} else {
		text_event(stdout, lr, ev);
		fflush(stdout);
	}
	if (ferror(stdout))
		lr->write_error = 1;
	ol_oom_event_free(ev);
}

/* ---- sources ---- */

static void source_error(const char *path, int err)
{
	switch (err) {
	case -EISDIR:
		ol_warn("'%s' is a directory", path);
		break;
	case -ENODEV:
		ol_warn("'%s' is a device, not a log file (without a file, oomlens log reads the kernel's)", path);
		break;
	case -EBADMSG:
	case -EIO:
		ol_warn("cannot read '%s': corrupt or truncated compressed data, or a read error", path);
		break;
	default:
		ol_warnx_errno(err, "cannot open '%s'", path);
	}
}

static int read_path(struct ol_logparser *p, const char *path, const struct ol_logsrc_opts *so)
{
	struct ol_logsink s;
	int rc;

	ol_logsink_parser(&s, p);
	rc = ol_logsrc_path(&s, path, so);
	if (rc < 0)
		source_error(path, rc);
	return rc;
}

static int read_sysroot_log(struct ol_ctx *ctx, struct ol_logparser_opts *o, struct ol_logparser **pp,
			    const struct ol_logsrc_opts *so, char *path, size_t sz)
{
	struct ol_logsink s;
	const char *name;
	int rc, fd = ol_logsrc_sysroot_open(&ctx->root, &name, &o->reference);

	if (fd < 0) {
		ol_warn("no kernel log under '%s/var/log' (kern.log, messages, syslog): name a file", ctx->sysroot);
		return fd;
	}
	snprintf(path, sz, "%s/%s", ctx->sysroot, name);
	o->log_end = ol_logsrc_log_end_fd(fd, o->reference);
	*pp = ol_logparser_new(o);
	if (!*pp) {
		close(fd);
		return -ENOMEM;
	}
	ol_logsink_parser(&s, *pp);
	rc = ol_logsrc_fd(&s, fd, 0, so);
	if (rc < 0)
		source_error(path, rc);
	return rc;
}

static int read_kmsg(struct ol_logparser *p, const struct ol_logsrc_opts *so)
{
	struct ol_logsink s;
	int rc;

	ol_logsink_parser(&s, p);
	rc = ol_logsrc_kmsg(&s, so);
	if (rc == -EPERM || rc == -EACCES)
		ol_warn("cannot read the kernel log: permission denied (kernel.dmesg_restrict is set: "
			"run as root, or use --journal)");
	else if (rc < 0)
		ol_warnx_errno(rc, "cannot read the kernel log");
	return rc;
}

static int read_journal(struct ol_ctx *ctx, struct ol_logparser *p, struct ol_journal_opts *jo,
			const struct ol_logsrc_opts *so)
{
	struct ol_logsink s;
	int rc;

	ol_logsink_parser(&s, p);
	jo->root = ctx->sysroot ? &ctx->root : NULL;
	rc = ol_logsrc_journal(&s, jo, so);
	if (rc == -ENOMEDIUM && jo->directory)
		ol_warn("no journal files in '%s'", jo->directory);
	else if (rc == -ENOMEDIUM && ctx->sysroot)
		ol_warn("no journal files under '%s' (var/log/journal, run/log/journal)", ctx->sysroot);
	else if (rc == -ENOMEDIUM)
		ol_warn("no journal files (in /var/log/journal or /run/log/journal): is "
			"systemd-journald running? read the log files instead");
	else if (rc == -ENXIO)
		ol_warn("no such boot in the journal: %s", *jo->boot ? jo->boot : "0");
	else if (rc < 0)
		ol_warnx_errno(rc, "cannot read the journal");
	return rc;
}

/*
 * -b's optional argument, as journalctl takes it: "-b", "-bARG", "--boot=ARG",
 * or "-b ARG" when the next word is a boot (a number or a boot ID).  "" for
 * the last boot; NULL when invalid.
 */
static const char *boot_arg(int argc, char **argv)
{
	const char *a = optarg;
	char *end;

	if (!a && optind < argc && argv[optind][0]) {
		const char *n = argv[optind];

		errno = 0;
		(void)strtol(n, &end, 10);
		if ((!*end && !errno) || strspn(n, "0123456789abcdef") == 32) {
			a = n;
			optind++;
		}
	}
	if (!a)
		return "";
	errno = 0;
	(void)strtol(a, &end, 10);
	if (*a && !*end && !errno)
		return a;
	return strlen(a) == 32 && strspn(a, "0123456789abcdef") == 32 ? a : NULL;
}

static unsigned long long vmstat_oom_kill(struct ol_ctx *ctx, int *ok)
{
	struct ol_buf b = { 0 };
	unsigned long long v = 0;
	const char *k;

	*ok = 0;
	if (ol_root_read(&ctx->root, ctx->root.procfd, "vmstat", &b) == 0 && (k = strstr(b.data, "\noom_kill "))) {
		v = strtoull(k + 10, NULL, 10);
		*ok = 1;
	}
	ol_buf_free(&b);
	return v;
}

/*
 * The kernel's own counts against the kills found, when reading the live
 * ring buffer without a time window: /proc/vmstat oom_kill since boot, and
 * per victim memory cgroup its oom_kill counter (which counts only while the
 * cgroup exists).  A count above the kills found means records were lost.
 * NULL when there is nothing to compare.
 */
static json_object *kernel_counters(struct logrun *lr, struct ol_ctx *ctx)
{
	json_object *o, *cgs;
	unsigned long long k;
	int ok;

	k = vmstat_oom_kill(ctx, &ok);
	if (!ok)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "vmstat_oom_kill", jnum((long long)k));
	json_object_object_add(o, "found", jnum((long long)lr->kernel_kills));
	json_object_object_add(o, "lost", jnum(k > lr->kernel_kills ? (long long)(k - lr->kernel_kills) : 0));
	cgs = json_object_new_array();
	for (size_t i = 0; i < lr->by_memcg.n; i++) {
		const struct summary_count *c = &lr->by_memcg.v[i];
		unsigned long long n;
		int version;
		json_object *g;

		if (ol_memcg_oom_kills(&ctx->root, c->key, &n, &version) < 0)
			continue;	/* gone, or a kernel without the counter */
		g = json_object_new_object();
		json_object_object_add(g, "path", ol_json_string(c->key));
		json_object_object_add(g, "counter", json_object_new_string(version == 1 ?
				       "memory.oom_control" : "memory.events.local"));
		json_object_object_add(g, "oom_kill", jnum((long long)n));
		json_object_object_add(g, "found", jnum((long long)c->n));
		json_object_object_add(g, "lost", jnum(n > c->n ? (long long)(n - c->n) : 0));
		/* fewer counted than found: the cgroup was made anew since */
		json_object_object_add(g, "recreated", json_object_new_boolean(n < c->n));
		json_object_array_add(cgs, g);
	}
	json_object_object_add(o, "cgroups", cgs);
	return o;
}

static void print_counters(json_object *kc)
{
	json_object *cgs = json_object_object_get(kc, "cgroups");
	long long k = json_object_get_int64(json_object_object_get(kc, "vmstat_oom_kill"));
	long long lost = json_object_get_int64(json_object_object_get(kc, "lost"));

	if (lost)
		printf("\nthe kernel counted %lld OOM kill%s since boot (/proc/vmstat oom_kill); %lld %s no "
		       "longer in the ring buffer\n", k, k == 1 ? "" : "s", lost, lost == 1 ? "is" : "are");
	else
		printf("\nthe kernel counted %lld OOM kill%s since boot (/proc/vmstat oom_kill): all are here\n",
		       k, k == 1 ? "" : "s");
	for (size_t i = 0; i < json_object_array_length(cgs); i++) {
		json_object *g = json_object_array_get_idx(cgs, i);
		long long n = json_object_get_int64(json_object_object_get(g, "oom_kill"));
		long long l = json_object_get_int64(json_object_object_get(g, "lost"));

		printf("  ");
		put_escaped(stdout, json_object_get_string(json_object_object_get(g, "path")));
		printf(": %lld kill%s counted (%s oom_kill)", n, n == 1 ? "" : "s",
		       json_object_get_string(json_object_object_get(g, "counter")));
		if (json_object_get_boolean(json_object_object_get(g, "recreated")))
			printf(", fewer than found: the cgroup was made anew since\n");
		else if (l)
			printf("; %lld %s no longer in the ring buffer\n", l, l == 1 ? "is" : "are");
		else
			printf(": all are here\n");
	}
}

static int by_count(const void *x, const void *y)
{
	const struct summary_count *a = x, *b = y;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* The dated kills as a histogram over time */
static void print_kill_histogram(const struct logrun *lr)
{
	struct ol_hist h;

	if (ol_hist_of(&lr->kill_times, &h) != 0)
		return;
	ol_hist_print(stdout, &h, "kills");
	ol_hist_free(&h);
}

static void print_summary(struct logrun *lr, struct ol_ctx *ctx, int live)
{
	struct summary *groups[] = { &lr->by_victim, &lr->by_cgroup, &lr->by_host };
	const char *names[] = { "victims", "cgroups", "hosts" };
	char a[32], b[32];

	for (int g = 0; g < 3; g++) {
		if (groups[g]->n)
			qsort(groups[g]->v, groups[g]->n, sizeof(groups[g]->v[0]), by_count);
		/* the keys moved: a count after this builds the hash again */
		free(groups[g]->slot);
		groups[g]->slot = NULL;
		groups[g]->nslots = 0;
	}
	if (lr->json) {
		json_object *root = ol_json_document(), *s = json_object_new_object();

		json_object_object_add(s, "events", jnum((long long)lr->events));
		json_object_object_add(s, "kernel_kills", jnum((long long)lr->kernel_kills));
		json_object_object_add(s, "partial", jnum((long long)lr->partial));
		for (int g = 0; g < 3; g++) {
			json_object *arr = json_object_new_array();

			for (size_t i = 0; i < groups[g]->n; i++) {
				json_object *o = json_object_new_object();
				struct summary_count *c = &groups[g]->v[i];

				json_object_object_add(o, "name", ol_json_string(c->key));
				json_object_object_add(o, "count", jnum((long long)c->n));
				ol_json_add_time(o, "first", c->shown_first);
				ol_json_add_time(o, "last", c->shown_last);
				json_object_array_add(arr, o);
			}
			json_object_object_add(s, names[g], arr);
		}
		json_object_object_add(s, "kernel_counters",
				       live && !lr->since && !lr->until ? kernel_counters(lr, ctx) : NULL);
		json_object_object_add(root, "summary", s);
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
		return;
	}
	printf("%lu OOM event%s, %lu kill%s by the kernel", lr->events, lr->events == 1 ? "" : "s",
	       lr->kernel_kills, lr->kernel_kills == 1 ? "" : "s");
	if (lr->first) {
		local_time(lr->first, a, sizeof(a));
		local_time(lr->last, b, sizeof(b));
		printf(", from %s to %s", a, b);
	}
	printf("\n");
	print_kill_histogram(lr);
	for (int g = 0; g < 3; g++) {
		if (!groups[g]->n)
			continue;
		printf("\n%-8s %7s  %-19s  %-19s  %s\n", names[g], "COUNT", "FIRST", "LAST", "NAME");
		for (size_t i = 0; i < groups[g]->n; i++) {
			struct summary_count *c = &groups[g]->v[i];

			if (c->first) {
				local_time(c->first, a, sizeof(a));
				local_time(c->last, b, sizeof(b));
			} else {
				snprintf(a, sizeof(a), "-");
				snprintf(b, sizeof(b), "-");
			}
			printf("%-8s %7lu  %-19s  %-19s  ", "", c->n, a, b);
			put_escaped(stdout, c->key);
			putchar('\n');
		}
	}
	if (live && !lr->since && !lr->until) {
		json_object *kc = kernel_counters(lr, ctx);

		if (kc)
			print_counters(kc);
		json_object_put(kc);
	}
}

/* -J, --jsonl and --format: one output format.  0 or -1 (said) */
static int set_format(struct ol_ctx *ctx, const char **format, const char *f)
{
	static const char *const known[] = { "text", "json", "jsonl", "prometheus", "html" };
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]) && strcmp(f, known[i]); i++)
		;
	if (i == sizeof(known) / sizeof(known[0])) {
		ol_usage_error(ctx, "unknown format '%s' (text, json, jsonl, prometheus or html)", f);
		return -1;
	}
	if (*format && strcmp(*format, known[i])) {
		ol_usage_error(ctx, "conflicting output formats: %s and %s", *format, known[i]);
		return -1;
	}
	*format = known[i];
	return 0;
}

/*
 * The textfile for node_exporter, on stdout or into @output atomically.
 * The kernel's counters as the summary reads them: the live ring buffer,
 * no time window.  @success 0: the run's metrics only.  0 or -1 (said).
 */
static int write_prom(struct logrun *lr, struct ol_ctx *ctx, int live, const char *output, int success)
{
	json_object *kc = success && live && !lr->since && !lr->until ? kernel_counters(lr, ctx) : NULL;
	char *text = ol_prom_log_render(lr->prom, kc, success);
	int e = 0;

	json_object_put(kc);
	if (!text) {
		ol_warn("out of memory");
		return -1;
	}
	if (!output)
		fputs(text, stdout);
	else
		e = ol_write_atomic_said(output, text);
	free(text);
	return e;
}

/* --format html: the events' JSON, as -J prints it, into the report, atomically.  0 or -1 (said) */
static int write_html(struct logrun *lr, const char *output)
{
	char *html;
	int rc;

	json_start(lr);
	if (ol_jstream_end(&lr->js) < 0 || fclose(lr->jf) != 0) {
		lr->jf = NULL;
		ol_warn("out of memory");
		return -1;
	}
	lr->jf = NULL;
	html = ol_report_render(lr->hbuf);
	if (!html) {
		ol_warn("out of memory");
		return -1;
	}
	rc = ol_write_atomic_said(output, html);
	free(html);
	return rc;
}

int cmd_log(int argc, char **argv, struct ol_ctx *ctx)
{
	enum { OPT_JSONL = 0x100, OPT_JOURNAL, OPT_SINCE, OPT_UNTIL, OPT_KERNEL, OPT_FAIL, OPT_FORMAT,
	       OPT_MAX_SERIES, OPT_DIRECTORY, OPT_FILE };
	static const struct option longopts[] = {
		{ "json",          no_argument,       NULL, 'J' },
		{ "jsonl",         no_argument,       NULL, OPT_JSONL },
		{ "format",        required_argument, NULL, OPT_FORMAT },
		{ "max-series",    required_argument, NULL, OPT_MAX_SERIES },
		{ "output",        required_argument, NULL, 'o' },
		{ "quiet",         no_argument,       NULL, 'q' },
		{ "summary",       no_argument,       NULL, 's' },
		{ "follow",        no_argument,       NULL, 'f' },
		{ "journal",       no_argument,       NULL, OPT_JOURNAL },
		{ "boot",          optional_argument, NULL, 'b' },
		{ "directory",     required_argument, NULL, OPT_DIRECTORY },
		{ "file",          required_argument, NULL, OPT_FILE },
		{ "since",         required_argument, NULL, OPT_SINCE },
		{ "until",         required_argument, NULL, OPT_UNTIL },
		{ "top",           required_argument, NULL, 't' },
		{ "kernel",        required_argument, NULL, OPT_KERNEL },
		{ "fail-if-found", no_argument,       NULL, OPT_FAIL },
		{ "help",          no_argument,       NULL, 'h' },
		{ "version",       no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct logrun lr = { .ctx = ctx, .top = 5 };
	struct ol_logparser_opts o = { .on_event = on_event, .data = &lr };
	struct ol_logparser *p = NULL;
	const char *format = NULL, *output = NULL;
	struct ol_journal_opts jo = { 0 };
	struct ol_logsrc_opts so = { .stop = &ol_stop };
	const char **jfiles = NULL;
	size_t njfiles = 0;
	int c, follow = 0, journal = 0, rc = OL_EXIT_FAIL, err = 0, live = 0;
	unsigned long top, max_series = OL_PROM_MAX_SERIES_DEFAULT;

	while ((c = getopt_long(argc, argv, ":Jsfb::t:o:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
		case OPT_JSONL:
		case OPT_FORMAT:
			if (set_format(ctx, &format, c == 'J' ? "json" : c == OPT_JSONL ? "jsonl" : optarg) < 0) {
				rc = OL_EXIT_USAGE;
				goto out;
			}
			break;
		case OPT_MAX_SERIES:
			if (ol_strtoul(optarg, &max_series) < 0 || max_series == 0 || max_series > 100000) {
				rc = ol_usage_error(ctx, "invalid number for --max-series: '%s'", optarg);
				goto out;
			}
			break;
		case 'o': output = optarg; break;
		case 'q': ol_quiet = 1; break;
		case 's': lr.summary = 1; break;
		case 'f': follow = 1; break;
		case OPT_JOURNAL: journal = 1; break;
		case 'b':
			jo.boot = boot_arg(argc, argv);
			if (!jo.boot) {
				rc = ol_usage_error(ctx, "invalid boot: '%s' (a boot ID, 0, -N or N)", optarg);
				goto out;
			}
			break;
		case OPT_DIRECTORY: jo.directory = optarg; journal = 1; break;
		case OPT_FILE: {
			const char **v = realloc(jfiles, (njfiles + 2) * sizeof(*v));

			if (!v)
				goto out;
			jfiles = v;
			jfiles[njfiles++] = optarg;
			jfiles[njfiles] = NULL;
			jo.files = jfiles;
			journal = 1;
			break;
		}
		case OPT_SINCE:
		case OPT_UNTIL:
			if (ol_time_parse(optarg, time(NULL), c == OPT_SINCE ? &lr.since : &lr.until) < 0) {
				rc = ol_usage_error(ctx, "invalid time: '%s' (RFC 3339, YYYY-MM-DD[ HH:MM[:SS]], "
						    "now, today, yesterday, -2d, +1h, '1h ago' or @EPOCH: see oomlens-log(1))",
						    optarg);
				goto out;
			}
			break;
		case 't':
			if (ol_strtoul(optarg, &top) < 0 || top == 0 || top > 100000) {
				rc = ol_usage_error(ctx, "invalid number for --top: '%s'", optarg);
				goto out;
			}
			lr.top = log_top = (int)top;
			break;
		case OPT_KERNEL:
			if (ol_era_from_release(optarg) == OL_ERA_UNKNOWN) {
				rc = ol_usage_error(ctx, "invalid kernel version: '%s'", optarg);
				goto out;
			}
			o.kernel = optarg;
			break;
		case OPT_FAIL: lr.fail_if_found = 1; break;
		case 'h':
			usage();
			rc = OL_EXIT_OK;
			goto out;
		case 'V':
			ol_print_version();
			rc = OL_EXIT_OK;
			goto out;
		default:
			rc = ol_bad_option(ctx, argv, c);
			goto out;
		}
	}
	lr.json = format && strcmp(format, "json") == 0;
	lr.jsonl = format && strcmp(format, "jsonl") == 0;
	if (format && strcmp(format, "prometheus") == 0) {
		if (follow || lr.summary) {
			rc = ol_usage_error(ctx, "--format prometheus counts the whole log: not with --%s",
					    follow ? "follow" : "summary");
			goto out;
		}
		lr.prom = ol_prom_log_new(max_series);
		if (!lr.prom)
			goto out;
		lr.summary = 1;	/* the per-memcg counts, for the kernel counters */
	} else if (format && strcmp(format, "html") == 0) {
		if (!output || follow || lr.summary) {
			rc = ol_usage_error(ctx, !output ? "--format html writes a file: name it with -o" :
					    "--format html reports every event: not with --%s", follow ? "follow" : "summary");
			goto out;
		}
		lr.html = 1;
		lr.jf = open_memstream(&lr.hbuf, &lr.hsz);
		if (!lr.jf)
			goto out;
	} else if (output) {
		rc = ol_usage_error(ctx, "--output goes with --format prometheus or html");
		goto out;
	}
	if (follow && (lr.json || lr.summary)) {
		rc = ol_usage_error(ctx, "--follow prints events as they come: use it with text or --jsonl");
		goto out;
	}
	if (jo.directory && jo.files) {
		rc = ol_usage_error(ctx, "--directory and --file are mutually exclusive");
		goto out;
	}
	if (jo.boot && !journal) {
		rc = ol_usage_error(ctx, "--boot goes with --journal");
		goto out;
	}
	if (journal && optind < argc) {
		rc = ol_usage_error(ctx, "--journal reads no files");
		goto out;
	}
	if (follow && argc - optind > 1) {
		rc = ol_usage_error(ctx, "--follow reads one file");
		goto out;
	}
	if (ol_ctx_root(ctx) < 0) {
		rc = OL_EXIT_USAGE;	/* unreadable input */
		goto out;
	}
	log_kube = ol_ctx_kube(ctx);
	/* the counts (and the counters) print no event's own lines: the parser need not keep them */
	o.no_text = lr.summary;
	/* nor do the counts print a ranking (the counters count the predictions) */
	o.no_predict = lr.summary && !lr.prom;
	if (lr.prom)
		ol_prom_log_kube(lr.prom, log_kube);

	ol_catch_stop();

	so.follow = follow;
	if (journal) {
		p = ol_logparser_new(&o);
		if (!p)
			goto out;
		err = read_journal(ctx, p, &jo, &so);
	} else if (optind < argc) {
		for (; optind < argc && !ol_stop; optind++) {
			o.reference = ol_logsrc_mtime(argv[optind]);
			o.log_end = ol_logsrc_log_end(argv[optind], o.reference);
			lr.source = argv[optind];
			p = ol_logparser_new(&o);
			if (!p)
				goto out;
			err = read_path(p, argv[optind], &so);
			if (err < 0)
				break;
			/* each file is its own log: no event spans two */
			ol_logparser_flush(p, 0);
			ol_logparser_free(p);
			p = NULL;
		}
	} else if (ctx->sysroot) {
		char path[4096];

		err = read_sysroot_log(ctx, &o, &p, &so, path, sizeof(path));
		if (err == -ENOMEM)
			goto out;
	} else {
		long long bt = ol_boot_time_ns();

		live = 1;
		o.boot_time = (time_t)(bt / 1000000000LL);
		o.boot_time_nsec = (long)(bt % 1000000000LL);
		p = ol_logparser_new(&o);
		if (!p)
			goto out;
		err = read_kmsg(p, &so);
	}
	if (p) {
		ol_logparser_flush(p, 0);
		ol_logparser_free(p);
		p = NULL;
	}
	if (err < 0) {
		if (lr.js_started)
			ol_jstream_end(&lr.js);	/* the events read so far, as a whole document */
		if (lr.prom && output)
			write_prom(&lr, NULL, 0, output, 0);	/* success 0, for the alert */
		rc = OL_EXIT_USAGE;	/* unreadable input */
		goto out;
	}
	if (lr.undated)
		ol_note("%lu event%s without an absolute time (boot-relative stamps in a file) left out: "
			"--since and --until cannot place %s", lr.undated, lr.undated == 1 ? "" : "s",
			lr.undated == 1 ? "it" : "them");
	if (lr.prom) {
		if (write_prom(&lr, ctx, live, output, 1) < 0)
			goto out;
	} else if (lr.html) {
		if (write_html(&lr, output) < 0)
			goto out;
	} else if (lr.summary) {
		print_summary(&lr, ctx, live);
	} else if (lr.json) {
		json_start(&lr);
		if (ol_jstream_end(&lr.js) < 0)
			lr.write_error = 1;
	} else if (!lr.jsonl && !lr.events) {
		printf("no OOM events\n");
	}
	rc = lr.fail_if_found && lr.events ? OL_EXIT_FAIL : OL_EXIT_OK;
out:
	free(jfiles);
	ol_logparser_free(p);
	summary_free(&lr.by_victim);
	summary_free(&lr.by_cgroup);
	summary_free(&lr.by_memcg);
	summary_free(&lr.by_host);
	ol_prom_log_free(lr.prom);
	if (lr.jf)
		fclose(lr.jf);
	free(lr.hbuf);
	ol_times_free(&lr.kill_times);
	return rc;
}
