/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_TIMEHIST_H
#define OOMLENS_TIMEHIST_H

#include <stdio.h>
#include <time.h>

/*
 * Counts over time, for a histogram: times are collected as they come,
 * then put in buckets of an hour, a day or a week of local time, the unit
 * chosen from the span so that the shape shows in a screenful.
 */
struct ol_times {
	time_t *t;
	unsigned long *n;
	size_t len, cap;
};

enum ol_hist_unit { OL_HIST_HOUR, OL_HIST_DAY, OL_HIST_WEEK };

struct ol_hist {
	enum ol_hist_unit unit;
	long first;			/* the first bucket's number (hours or days since the epoch, civil) */
	size_t nb;
	unsigned long *count;		/* per bucket, empty ones included */
	unsigned long max, total;
};

/* Record @n at time @t; 0 or -ENOMEM */
int ol_times_add(struct ol_times *ts, time_t t, unsigned long n);
void ol_times_free(struct ol_times *ts);

/* The histogram of @ts; 0, 1 when it holds no time, or -ENOMEM */
int ol_hist_of(const struct ol_times *ts, struct ol_hist *h);
void ol_hist_free(struct ol_hist *h);

/* The text picture: a line per bucket, its date, count and bar; @what names the counted */
void ol_hist_print(FILE *f, const struct ol_hist *h, const char *what);

#endif
