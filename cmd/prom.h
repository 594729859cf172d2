/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_CMD_PROM_H
#define OOMLENS_CMD_PROM_H

#include <stdio.h>

#include <json.h>

#include "oomlens/kube.h"
#include "oomlens/oomlog.h"

/*
 * The Prometheus text exposition format, for node_exporter's textfile
 * collector, as promtool check metrics wants it: HELP and TYPE before each
 * family's samples, label values escaped and valid UTF-8.
 */
void ol_prom_family(FILE *out, const char *name, const char *type, const char *help);
/* One sample; @labels are name, value pairs ending in NULL (or NULL for none). */
void ol_prom_sample(FILE *out, const char *name, const char *const *labels, unsigned long long v);
/* <prefix>_last_run_timestamp_seconds and <prefix>_success, for staleness alerts. */
void ol_prom_run(FILE *out, const char *prefix, int success);

#define OL_PROM_MAX_SERIES_DEFAULT	10

/* log --format prometheus: kills counted as the events come, then rendered. */
struct ol_prom_log;

struct ol_prom_log *ol_prom_log_new(size_t max_series);
/*
 * The kubelet's names (ol_ctx_kube(), NULL: none) for the labels: a pod's
 * namespace, pod and container by name, else its uid and container id.
 */
void ol_prom_log_kube(struct ol_prom_log *pl, const struct ol_kube *k);
void ol_prom_log_event(struct ol_prom_log *pl, const struct ol_oom_event *ev);
/*
 * The textfile.  @kc: log's kernel counters (vmstat and memcg oom_kill) or
 * NULL; @success 0: only the run's own metrics.  NULL when out of memory.
 */
char *ol_prom_log_render(struct ol_prom_log *pl, json_object *kc, int success);
void ol_prom_log_free(struct ol_prom_log *pl);

#endif
