// SPDX-License-Identifier: GPL-2.0-or-later
/* Counts over time, bucketed by hour, day or week, and drawn as bars. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "term.h"
#include "timehist.h"

/* Past this many buckets of a unit, the next one up */
#define MAX_BUCKETS	120

int ol_times_add(struct ol_times *ts, time_t t, unsigned long n)
{
	if (ts->len == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 256;
		time_t *nt = realloc(ts->t, cap * sizeof(*nt));
		unsigned long *nn;

		if (!nt)
			return -ENOMEM;
		ts->t = nt;
		nn = realloc(ts->n, cap * sizeof(*nn));
		if (!nn)
			return -ENOMEM;
		ts->n = nn;
		ts->cap = cap;
	}
	ts->t[ts->len] = t;
	ts->n[ts->len++] = n;
	return 0;
}

void ol_times_free(struct ol_times *ts)
{
	free(ts->t);
	free(ts->n);
	memset(ts, 0, sizeof(*ts));
}

/*
 * The local civil date and hour as numbers that do not jump at a DST
 * change: days since 1970-01-01 of the local date, and its hour.
 */
static long civil_day(time_t t, int *hour)
{
	struct tm tm;

	localtime_r(&t, &tm);
	*hour = tm.tm_hour;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = 0;
	return (long)(timegm(&tm) / 86400);
}

static long bucket_no(time_t t, enum ol_hist_unit u)
{
	int hour;
	long day = civil_day(t, &hour);

	if (u == OL_HIST_HOUR)
		return day * 24 + hour;
	/* weeks from Monday: 1970-01-01 was a Thursday */
	return u == OL_HIST_DAY ? day : (day + 3 >= 0 ? (day + 3) / 7 : (day + 3 - 6) / 7);
}

int ol_hist_of(const struct ol_times *ts, struct ol_hist *h)
{
	struct { time_t t; long b; int used; } *memo;
	time_t lo = 0, hi = 0;
	size_t i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < ts->len; i++) {
		if (i == 0 || ts->t[i] < lo)
			lo = ts->t[i];
		if (i == 0 || ts->t[i] > hi)
			hi = ts->t[i];
	}
	if (!ts->len)
		return 1;
	for (h->unit = OL_HIST_HOUR; h->unit < OL_HIST_WEEK; h->unit++)
		if (bucket_no(hi, h->unit) - bucket_no(lo, h->unit) < (h->unit == OL_HIST_HOUR ? 48 : MAX_BUCKETS))
			break;
	h->first = bucket_no(lo, h->unit);
	h->nb = (size_t)(bucket_no(hi, h->unit) - h->first + 1);
	h->count = calloc(h->nb, sizeof(*h->count));
	if (!h->count)
		return -ENOMEM;
	/* a storm's kills come back to the same few hundred times: each looked up once (localtime_r()) */
	memo = calloc(1024, sizeof(*memo));
	for (i = 0; i < ts->len; i++) {
		size_t slot = (size_t)((unsigned long long)ts->t[i] * 0x9e3779b97f4a7c15ULL >> 54);
		unsigned long *c;
		long b;

		if (!memo) {
			b = bucket_no(ts->t[i], h->unit);
		} else if (memo[slot].used && memo[slot].t == ts->t[i]) {
			b = memo[slot].b;
		} else {
			b = bucket_no(ts->t[i], h->unit);
			memo[slot].t = ts->t[i];
			memo[slot].b = b;
			memo[slot].used = 1;
		}
		c = &h->count[b - h->first];

		*c += ts->n[i];
		h->total += ts->n[i];
		if (*c > h->max)
			h->max = *c;
	}
	free(memo);
	return 0;
}

void ol_hist_free(struct ol_hist *h)
{
	free(h->count);
	memset(h, 0, sizeof(*h));
}

static void bucket_label(const struct ol_hist *h, size_t i, char *buf, size_t sz)
{
	long b = h->first + (long)i;
	long day = h->unit == OL_HIST_HOUR ? (b >= 0 ? b / 24 : (b - 23) / 24) :
		   h->unit == OL_HIST_DAY ? b : b * 7 - 3;
	time_t t = (time_t)day * 86400;
	struct tm tm;
	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(buf, sz, "%Y-%m-%d %a", &tm);
	if (h->unit == OL_HIST_HOUR)
		snprintf(buf + n, sz - n, " %02ld:00", b - day * 24);
}

void ol_hist_print(FILE *f, const struct ol_hist *h, const char *what)
{
	static const char *const unit[] = { "hour", "day", "week" };
	int width = ol_term_width() - 32;
	char label[48];
	size_t i;

	width = width < 10 ? 10 : width > 60 ? 60 : width;
	fprintf(f, "\n%s per %s%s\n", what, unit[h->unit],
		h->unit == OL_HIST_WEEK ? " (weeks from Monday)" : "");
	for (i = 0; i < h->nb; i++) {
		bucket_label(h, i, label, sizeof(label));
		fprintf(f, "  %-20s %6lu%s", label, h->count[i], h->count[i] ? " " : "");
		ol_hbar_print(f, (double)h->count[i], (double)h->max, width, OL_HUE_CYAN);
		fputc('\n', f);
	}
}
