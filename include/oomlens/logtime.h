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

#endif
