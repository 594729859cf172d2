/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Feeding text to the OOM-log parser (include/oomlens/oomlog.h) line by line,
 * as 'oomlens log' does, and keeping the events it finishes, for the unit
 * tests: include after <cmocka.h>, "fixtures.h" and "fixture-load.h".
 */
#ifndef OOMLENS_TEST_EVLIST_H
#define OOMLENS_TEST_EVLIST_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oomlens/oomlog.h"

struct evlist {
	struct ol_oom_event **v;
	size_t n, cap;
};

static inline void evlist_keep(struct ol_oom_event *ev, void *data)
{
	struct evlist *l = data;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		assert_non_null(l->v);
	}
	l->v[l->n++] = ev;
}

static inline void evlist_free(struct evlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		ol_oom_event_free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * Every line of @text (newline-separated, the last may lack one) through a
 * fresh parser, then a flush.  @reference stands in for the file's mtime
 * (syslog dates have no year).
 */
static inline void evlist_parse(struct evlist *l, const char *text, size_t len, time_t reference)
{
	struct ol_logparser_opts o = { .on_event = evlist_keep, .data = l, .reference = reference };
	struct ol_logparser *p = ol_logparser_new(&o);
	const char *s = text, *end = text + len;

	assert_non_null(p);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		assert_int_equal(ol_logparser_line(p, s, n), 0);
		s += n + 1;
	}
	ol_logparser_flush(p, 0);
	ol_logparser_free(p);
}

/* 2026-12-01 00:00:00 UTC: after every dated line of the fixtures, within the year. */
#define EVLIST_REFERENCE	((time_t)1796083200)

/* tests/fixtures/oomlogs/@name, parsed. */
static inline void evlist_parse_fixture(struct evlist *l, const char *name)
{
	char rel[256];
	size_t len;
	char *text;

	pathf(rel, sizeof(rel), "oomlogs/%s", name);
	text = load_fixture(rel, &len);
	evlist_parse(l, text, len, EVLIST_REFERENCE);
	free(text);
}

/* The row of @pid in an event's task table, or NULL. */
static inline const struct ol_task_row *evlist_row(const struct ol_oom_event *ev, long pid)
{
	for (size_t i = 0; i < ev->ntasks; i++)
		if (ev->tasks[i].pid == pid)
			return &ev->tasks[i];
	return NULL;
}

#endif
