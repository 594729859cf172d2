/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_LOGTIME_H
#define OOMLENS_LOGTIME_H

#include <time.h>

/*
 * A time as --since and --until take it, relative to @now (pure but for
 * the local time zone):
 *   RFC 3339 and oomlens's own times: "2026-05-19T18:14:43Z",
 *     "2026-05-19T20:14:43+02:00", "2026-05-19 18:14:43" (local), with
 *     optional fractions of a second; "2026-05-19" (local midnight);
 *     "18:14[:43]" (today);
 *   journalctl's words: "now", "today", "yesterday", "tomorrow";
 *   relative: "-2d", "+1h", "1h ago", "-1h 30min" (units s, sec, m, min,
 *     h, hour, d, day, w, week, and their plurals);
 *   "@EPOCH".
 * 0 or -EINVAL.
 */
int ol_time_parse(const char *s, time_t now, time_t *t);

/*
 * The year of a syslog date, which has none ("Apr 01 14:13:32"): first what
 * the log itself shows, then its file.
 *   - After a line dated with its year (ISO and RFC 5424 stamps, dmesg -T,
 *     journal exports), that line's year; the next one when the date is
 *     more than a day before that line's (Dec -> Jan: the year rolled over).
 *   - Else the year of @limit: the log's last date (every line comes before
 *     it), or its file's mtime, or now.
 * Either way, never after @limit + @slack: then the year before.  A
 * year-less date has no zone either, so the slack allows for the writer's
 * zone being ahead of ours (a day against an mtime or now, an hour of
 * disorder against the log's own last date).
 */
struct ol_year_hint {
	time_t limit;
	long slack;
	int year;	/* the last line dated with a year: its tm_year, -1 none */
	int day;	/* ... and its day, tm_mon * 31 + tm_mday */
};

/*
 * @tm, a local time, as seconds since the epoch: mktime(3) with tm_isdst
 * -1, but the zone's rules looked up once an hour of the log.
 */
time_t ol_local_epoch(const struct tm *tm);

/* @tm's date and time, its year from @h, as a local time's epoch.  Pure but for the zone. */
time_t ol_yearless_epoch(const struct tm *tm, const struct ol_year_hint *h);

#endif
