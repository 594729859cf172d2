// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prometheus textfiles for node_exporter, shared by audit and log.  The
 * conventions promtool checks: units in names, _total only on counters,
 * HELP and TYPE for every family, escaped label values; and ours: every
 * label's values are bounded (the top --max-series cgroups, then "other").
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oomlens.h"
#include "prom.h"
#include "oomlens/cgroup.h"
#include "oomlens/kube.h"
#include "oomlens/strutil.h"

static void put_help(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

/* Label values: valid UTF-8 (invalid bytes replaced), \\ \" and \n escaped. */
static void put_label_value(FILE *out, const char *v)
{
	char *u = ol_utf8_sanitize(v);

	for (const char *s = u ? u : "?"; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	free(u);
}

void ol_prom_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s ", name);
	put_help(out, help);
	fprintf(out, "\n# TYPE %s %s\n", name, type);
}

void ol_prom_sample(FILE *out, const char *name, const char *const *labels, unsigned long long v)
{
	fputs(name, out);
	if (labels && labels[0]) {
		fputc('{', out);
		for (size_t i = 0; labels[i]; i += 2) {
			fprintf(out, "%s%s=\"", i ? "," : "", labels[i]);
			put_label_value(out, labels[i + 1]);
			fputc('"', out);
		}
		fputc('}', out);
	}
	fprintf(out, " %llu\n", v);
}

void ol_prom_run(FILE *out, const char *prefix, int success)
{
	char name[128];

	snprintf(name, sizeof(name), "%s_last_run_timestamp_seconds", prefix);
	ol_prom_family(out, name, "gauge", "When oomlens last wrote this file, in seconds since the epoch.");
	ol_prom_sample(out, name, NULL, (unsigned long long)time(NULL));
	snprintf(name, sizeof(name), "%s_success", prefix);
	ol_prom_family(out, name, "gauge", "Whether the last run read everything it needed (1) or failed (0).");
	ol_prom_sample(out, name, NULL, (unsigned long long)!!success);
}

/* ---- log ---- */

/*
 * A cgroup as the labels name it: the unit, or a pod's namespace, pod and
 * container.  On a node those are the kubelet's names, stable across a
 * container's restarts; without them the pod uid and the container's short
 * id, the only names its cgroup path gives.
 */
struct cg_id {
	char unit[256];
	char ns[64];		/* a DNS label: 63 bytes at most */
	char pod[256];		/* a DNS subdomain: 253 */
	char container[64];	/* a DNS label */
};

struct row {
	const char *killer, *kind;	/* "" for the memcg counters */
	struct cg_id cg;
	unsigned long long n;
};

struct rows {
	struct row *v;
	size_t n;
};

enum { PR_EXPLAINED, PR_KNOWN_CAUSE, PR_UNEXPLAINED, PR_NO_TABLE, PR_COUNT };
static const char *const pr_names[PR_COUNT] = { "explained", "known_cause", "unexplained", "no_task_table" };
static const char *const outcome_names[] = {
	[OL_OUTCOME_KILLED] = "killed", [OL_OUTCOME_NO_VICTIM] = "no_victim",
	[OL_OUTCOME_PANIC] = "panic", [OL_OUTCOME_UNKNOWN] = "unknown",
};
/* the killers the parser knows: anything else is "other" */
static const char *const killers[] = { "kernel", "earlyoom", "systemd-oomd", "oomd", "nohang" };

struct ol_prom_log {
	size_t max_series;
	const struct ol_kube *kube;	/* the kubelet's names, NULL off a node */
	struct rows kills;
	unsigned long long outcome[OL_OUTCOME_UNKNOWN + 1];
	unsigned long long predict[PR_COUNT];
	time_t last_kill;
};

static void cg_of(const struct ol_kube *k, const char *path, struct cg_id *id)
{
	struct ol_cg_decoded d;
	struct ol_kube_names n;

	memset(id, 0, sizeof(*id));
	if (!path)
		return;
	ol_cgroup_decode(path, &d);
	ol_kube_lookup(k, &d, &n);
	/* a pod's scope or slice names its container id: not a label of its own */
	if (d.kind != OL_CG_POD)
		snprintf(id->unit, sizeof(id->unit), "%s", d.unit);
	snprintf(id->ns, sizeof(id->ns), "%s", n.ns ? n.ns : "");
	snprintf(id->pod, sizeof(id->pod), "%s", n.pod ? n.pod : d.pod_uid);
	if (n.container)
		snprintf(id->container, sizeof(id->container), "%s", n.container);
	else
		snprintf(id->container, sizeof(id->container), "%.12s", d.container);
	if (!id->unit[0] && !id->pod[0] && !id->container[0])
		snprintf(id->unit, sizeof(id->unit), "%s", path);	/* no unit: the path */
}

static int cg_cmp(const struct cg_id *a, const struct cg_id *b)
{
	int c = strcmp(a->unit, b->unit);

	if (!c)
		c = strcmp(a->ns, b->ns);
	if (!c)
		c = strcmp(a->pod, b->pod);
	return c ? c : strcmp(a->container, b->container);
}

static int row_cmp(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	int c = strcmp(a->killer, b->killer);

	if (!c)
		c = strcmp(a->kind, b->kind);
	return c ? c : cg_cmp(&a->cg, &b->cg);
}

static int rows_add(struct rows *r, const char *killer, const char *kind, const struct cg_id *cg,
		    unsigned long long n)
{
	struct row *nv;

	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].killer == killer && r->v[i].kind == kind && !cg_cmp(&r->v[i].cg, cg)) {
			r->v[i].n += n;
			return 0;
		}
	nv = realloc(r->v, (r->n + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	r->v = nv;
	r->v[r->n++] = (struct row){ .killer = killer, .kind = kind, .cg = *cg, .n = n };
	return 0;
}

struct ol_prom_log *ol_prom_log_new(size_t max_series)
{
	struct ol_prom_log *pl = calloc(1, sizeof(*pl));

	if (pl)
		pl->max_series = max_series;
	return pl;
}

void ol_prom_log_kube(struct ol_prom_log *pl, const struct ol_kube *k)
{
	pl->kube = k;
}

void ol_prom_log_free(struct ol_prom_log *pl)
{
	if (!pl)
		return;
	free(pl->kills.v);
	free(pl);
}

static const char *killer_of(const struct ol_oom_event *ev)
{
	for (size_t i = 0; i < sizeof(killers) / sizeof(killers[0]); i++)
		if (strcmp(ev->killer, killers[i]) == 0)
			return killers[i];
	return "other";
}

static int prediction_of(const struct ol_oom_event *ev)
{
	if (!ev->prediction.valid)
		return PR_NO_TABLE;
	if (ev->prediction.agrees)
		return PR_EXPLAINED;
	return ev->prediction.cause && strcmp(ev->prediction.cause, "unexplained") == 0 ?
	       PR_UNEXPLAINED : PR_KNOWN_CAUSE;
}

void ol_prom_log_event(struct ol_prom_log *pl, const struct ol_oom_event *ev)
{
	struct cg_id cg;
	unsigned long long n;

	pl->outcome[ev->outcome <= OL_OUTCOME_UNKNOWN ? ev->outcome : OL_OUTCOME_UNKNOWN]++;
	if (ev->outcome != OL_OUTCOME_KILLED)
		return;
	/* a userspace killer may kill a whole cgroup and name no process */
	n = ev->nvictims ? ev->nvictims : 1;
	cg_of(pl->kube, ev->task_memcg ? ev->task_memcg : ev->oom_memcg ? ev->oom_memcg : ev->target_cgroup, &cg);
	rows_add(&pl->kills, killer_of(ev), ol_ev_kind_str(ev->kind), &cg, n);
	if (!ev->userspace)
		pl->predict[prediction_of(ev)]++;
	if (ev->epoch > pl->last_kill)
		pl->last_kill = ev->epoch;
}

struct cg_total {
	size_t first, nrows;	/* its rows, adjacent once sorted by cgroup */
	unsigned long long n;
	const struct cg_id *cg;
};

static int by_total(const void *x, const void *y)
{
	const struct cg_total *a = x, *b = y;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return cg_cmp(a->cg, b->cg);
}

static int by_cg(const void *x, const void *y)
{
	const struct row *a = x, *b = y;

	return cg_cmp(&a->cg, &b->cg);
}

/*
 * Bound the cgroup labels: the @max cgroups with the most, the rest folded
 * into unit="other"; then rows that became equal are summed, and sorted.
 */
static int rows_cap(struct rows *r, size_t max)
{
	struct cg_total *t = calloc(r->n + 1, sizeof(*t));
	size_t nt = 0, out = 0;

	if (!t)
		return -1;
	if (r->n)
		qsort(r->v, r->n, sizeof(*r->v), by_cg);
	for (size_t i = 0; i < r->n; i++) {
		if (!nt || cg_cmp(t[nt - 1].cg, &r->v[i].cg))
			t[nt++] = (struct cg_total){ .first = i, .cg = &r->v[i].cg };
		t[nt - 1].nrows++;
		t[nt - 1].n += r->v[i].n;
	}
	qsort(t, nt, sizeof(*t), by_total);
	for (size_t j = max; j < nt; j++) {
		for (size_t i = t[j].first; i < t[j].first + t[j].nrows; i++) {
			memset(&r->v[i].cg, 0, sizeof(r->v[i].cg));
			snprintf(r->v[i].cg.unit, sizeof(r->v[i].cg.unit), "other");
		}
	}
	free(t);
	if (r->n)
		qsort(r->v, r->n, sizeof(*r->v), row_cmp);
	for (size_t i = 0; i < r->n; i++) {
		if (out && !row_cmp(&r->v[out - 1], &r->v[i]))
			r->v[out - 1].n += r->v[i].n;
		else
			r->v[out++] = r->v[i];
	}
	r->n = out;
	return 0;
}

static void put_rows(FILE *out, const char *name, const struct rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct row *x = &r->v[i];
		const char *with[] = { "killer", x->killer, "kind", x->kind, "unit", x->cg.unit,
				       "namespace", x->cg.ns, "pod", x->cg.pod,
				       "container", x->cg.container, NULL };

		ol_prom_sample(out, name, x->killer[0] ? with : with + 4, x->n);
	}
}

/* The kernel's own counters, as log's summary reads them (kernel_counters()). */
static int put_kernel_counters(FILE *out, const struct ol_kube *k, json_object *kc, size_t max)
{
	json_object *cgs = json_object_object_get(kc, "cgroups");
	struct rows r = { 0 };

	ol_prom_family(out, "oomlens_kernel_oom_kills_total", "counter",
		       "OOM kills the kernel counted since boot (/proc/vmstat oom_kill).");
	ol_prom_sample(out, "oomlens_kernel_oom_kills_total", NULL,
		       (unsigned long long)json_object_get_int64(json_object_object_get(kc, "vmstat_oom_kill")));
	for (size_t i = 0; i < json_object_array_length(cgs); i++) {
		json_object *g = json_object_array_get_idx(cgs, i);
		struct cg_id cg;

		cg_of(k, json_object_get_string(json_object_object_get(g, "path")), &cg);
		if (rows_add(&r, "", "", &cg,
			     (unsigned long long)json_object_get_int64(json_object_object_get(g, "oom_kill"))) < 0) {
			free(r.v);
			return -1;
		}
	}
	if (rows_cap(&r, max) < 0) {
		free(r.v);
		return -1;
	}
	if (r.n) {
		ol_prom_family(out, "oomlens_memcg_oom_kills_total", "counter",
			       "OOM kills a victim's memory cgroup counted while it exists "
			       "(memory.events.local or memory.oom_control oom_kill).");
		put_rows(out, "oomlens_memcg_oom_kills_total", &r);
	}
	free(r.v);
	return 0;
}

static int put_log(FILE *out, struct ol_prom_log *pl, json_object *kc)
{
	if (rows_cap(&pl->kills, pl->max_series) < 0)
		return -1;
	if (pl->kills.n) {
		ol_prom_family(out, "oomlens_log_oom_kills_total", "counter",
			       "OOM kills found in the kernel log, by killer, kind and cgroup "
			       "(the cgroups with the most kills, the rest as unit=\"other\").");
		put_rows(out, "oomlens_log_oom_kills_total", &pl->kills);
	}
	ol_prom_family(out, "oomlens_log_oom_events_total", "counter",
		       "OOM events found in the kernel log, by outcome.");
	for (int i = 0; i <= OL_OUTCOME_UNKNOWN; i++) {
		const char *l[] = { "outcome", outcome_names[i], NULL };

		ol_prom_sample(out, "oomlens_log_oom_events_total", l, pl->outcome[i]);
	}
	ol_prom_family(out, "oomlens_log_oom_kill_predictions_total", "counter",
		       "Kernel OOM kill events by whether ranking the logged task table explains the victim: "
		       "explained, known_cause (a tie, the root bonus, ...), unexplained, no_task_table.");
	for (int i = 0; i < PR_COUNT; i++) {
		const char *l[] = { "result", pr_names[i], NULL };

		ol_prom_sample(out, "oomlens_log_oom_kill_predictions_total", l, pl->predict[i]);
	}
	ol_prom_family(out, "oomlens_log_last_oom_kill_timestamp_seconds", "gauge",
		       "When the last OOM kill in the log happened, in seconds since the epoch (0: none dated).");
	ol_prom_sample(out, "oomlens_log_last_oom_kill_timestamp_seconds", NULL, (unsigned long long)pl->last_kill);
	return kc ? put_kernel_counters(out, pl->kube, kc, pl->max_series) : 0;
}

char *ol_prom_log_render(struct ol_prom_log *pl, json_object *kc, int success)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int rc = 0;

	if (!out)
		return NULL;
	if (success)
		rc = put_log(out, pl, kc);
	ol_prom_run(out, "oomlens_log", success);
	if (fclose(out) != 0 || rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
