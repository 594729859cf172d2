// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/logtime.h"

static time_t local_midnight(time_t now, int days)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* A unit's seconds ("h", "hours", ...), its length in *@len; 0 when none. */
static long unit(const char *s, size_t *len)
{
	static const struct { const char *name; long sec; } units[] = {
		{ "seconds", 1 }, { "second", 1 }, { "sec", 1 }, { "s", 1 },
		{ "minutes", 60 }, { "minute", 60 }, { "min", 60 }, { "m", 60 },
		{ "hours", 3600 }, { "hour", 3600 }, { "h", 3600 },
		{ "days", 86400 }, { "day", 86400 }, { "d", 86400 },
		{ "weeks", 604800 }, { "week", 604800 }, { "w", 604800 },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strlen(units[i].name);

		if (strncmp(s, units[i].name, n) == 0 && !isalpha((unsigned char)s[n])) {
			*len = n;
			return units[i].sec;
		}
	}
	return 0;
}

/* "1h 30min" (@s after any sign): seconds, or -1. */
static long long span(const char *s, const char *end)
{
	long long total = 0;
	int any = 0;

	while (s < end) {
		char *e;
		long long v;
		long u;
		size_t ul;

		while (s < end && *s == ' ')
			s++;
		if (s == end)
			break;
		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		v = strtoll(s, &e, 10);
		if (errno || v > 100LL * 365 * 86400)
			return -1;
		while (e < end && *e == ' ')
			e++;
		u = e < end ? unit(e, &ul) : 0;
		if (!u) {
			if (e != end)
				return -1;
			u = 1, ul = 0;	/* a bare number: seconds, as journalctl */
		}
		total += v * u;
		s = e + ul;
		any = 1;
	}
	return any ? total : -1;
}

static int relative(const char *s, time_t now, time_t *t)
{
	size_t n = strlen(s);
	long long v;

	if (n > 4 && strcmp(s + n - 4, " ago") == 0) {
		v = span(s, s + n - 4);
		if (v < 0)
			return -EINVAL;
		*t = now - (time_t)v;
		return 0;
	}
	if (*s != '-' && *s != '+')
		return -EINVAL;
	v = span(s + 1, s + n);
	if (v < 0)
		return -EINVAL;
	*t = *s == '-' ? now - (time_t)v : now + (time_t)v;
	return 0;
}

/* "Z", "+HH:MM", "-HHMM", "+HH" after a time: the offset east of UTC in seconds, or -EINVAL. */
static int zone(const char *s, long *off)
{
	int h, m = 0, sign;

	if (!strcmp(s, "Z") || !strcmp(s, "z")) {
		*off = 0;
		return 0;
	}
	if ((*s != '+' && *s != '-') || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
		return -EINVAL;
	sign = *s == '-' ? -1 : 1;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	s += 3;
	if (*s == ':')
		s++;
	if (*s) {
		if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2])
			return -EINVAL;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (h > 23 || m > 59)
		return -EINVAL;
	*off = sign * (h * 3600L + m * 60L);
	return 0;
}

/* After "HH:MM[:SS]": ".frac" dropped, then the end or a zone. */
static int finish(struct tm *tm, const char *end, int have_date, time_t now, time_t *t)
{
	long off;

	if (*end == '.' || *end == ',') {
		end++;
		if (!isdigit((unsigned char)*end))
			return -EINVAL;
		while (isdigit((unsigned char)*end))
			end++;
	}
	if (*end == ' ')
		end++;
	if (!have_date) {
		struct tm today;

		localtime_r(&now, &today);
		tm->tm_year = today.tm_year;
		tm->tm_mon = today.tm_mon;
		tm->tm_mday = today.tm_mday;
	}
	if (!*end) {
		tm->tm_isdst = -1;
		*t = mktime(tm);
		return 0;
	}
	if (zone(end, &off) < 0)
		return -EINVAL;
	*t = timegm(tm) - off;
	return 0;
}

int ol_time_parse(const char *s, time_t now, time_t *t)
{
	struct tm tm = { 0 };
	const char *end;
	char *e;

	if (!s || !*s)
		return -EINVAL;
	if (*s == '@') {
		long long v;

		errno = 0;
		v = strtoll(s + 1, &e, 10);
		if (errno || *e || e == s + 1)
			return -EINVAL;
		*t = (time_t)v;
		return 0;
	}
	if (!strcmp(s, "now")) {
		*t = now;
		return 0;
	}
	if (!strcmp(s, "today") || !strcmp(s, "yesterday") || !strcmp(s, "tomorrow")) {
		*t = local_midnight(now, !strcmp(s, "today") ? 0 : !strcmp(s, "yesterday") ? -1 : 1);
		return 0;
	}
	if (relative(s, now, t) == 0)
		return 0;
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end && (!*end || (*end == ' ' && !end[1]))) {
		tm.tm_isdst = -1;
		*t = mktime(&tm);
		return 0;
	}
	if (end && (*end == ' ' || *end == 'T' || *end == 't')) {
		const char *e2 = strptime(end + 1, "%H:%M:%S", &tm);

		if (!e2)
			e2 = strptime(end + 1, "%H:%M", &tm);
		return e2 ? finish(&tm, e2, 1, now, t) : -EINVAL;
	}
	if (end)
		return -EINVAL;
	end = strptime(s, "%H:%M:%S", &tm);
	if (!end)
		end = strptime(s, "%H:%M", &tm);
	return end ? finish(&tm, end, 0, now, t) : -EINVAL;
}

/*
 * The zone the caches below were filled in: a TZ set meanwhile starts them
 * over.  glibc keeps one copy of each abbreviation, so two zones can share
 * tzname[0] ("GMT"): their offsets and DST names tell them apart too.
 */
struct zone_key {
	const char *std, *dst;
	long off;
};

static int same_zone(const struct zone_key *z)
{
	return z->std == tzname[0] && z->dst == tzname[1] && z->off == timezone;
}

static void note_zone(struct zone_key *z)
{
	z->std = tzname[0];
	z->dst = tzname[1];
	z->off = timezone;
}

time_t ol_local_epoch(const struct tm *tm)
{
	/*
	 * A log's lines come hour by hour: mktime() (the zone's rules, every
	 * call) once an hour, then minutes and seconds added.  The offset
	 * changes on the hour in every zone's rules of DST.  The hours are
	 * kept in a table of 1024, not one: a storm of events over days, or
	 * several logs back to back, comes back to the same hours.
	 */
	static __thread struct hour_base {
		int year, mon, mday, hour;
		time_t base;
		int ok, used;
	} c[1024];
	static __thread struct zone_key zone;
	struct hour_base *e;
	struct tm t = *tm;
	unsigned int slot;

	if (t.tm_min < 0 || t.tm_min > 59 || t.tm_sec < 0 || t.tm_sec > 60) {
		t.tm_isdst = -1;
		return mktime(&t);
	}
	if (!same_zone(&zone)) {
		memset(c, 0, sizeof(c));
		note_zone(&zone);
	}
	/* consecutive hours in consecutive slots */
	slot = (((unsigned int)t.tm_year * 12u + (unsigned int)t.tm_mon) * 31u +
		(unsigned int)t.tm_mday) * 24u + (unsigned int)t.tm_hour;
	e = &c[slot % (sizeof(c) / sizeof(c[0]))];
	if (!e->used || e->year != t.tm_year || e->mon != t.tm_mon || e->mday != t.tm_mday ||
	    e->hour != t.tm_hour) {
		struct tm end = t;

		/* an hour the offset changes within (half-hour DST) is not cached */
		t.tm_min = t.tm_sec = 0;
		t.tm_isdst = end.tm_isdst = -1;
		end.tm_min = end.tm_sec = 59;
		e->base = mktime(&t);
		e->ok = e->base != (time_t)-1 && t.tm_min == 0 && t.tm_hour == tm->tm_hour &&
			mktime(&end) == e->base + 3599 && end.tm_min == 59;
		e->year = tm->tm_year;
		e->mon = tm->tm_mon;
		e->mday = tm->tm_mday;
		e->hour = tm->tm_hour;
		e->used = 1;
		/* mktime() may have read TZ for the first time */
		if (!same_zone(&zone)) {
			memset(c, 0, sizeof(c));
			note_zone(&zone);
		}
	}
	if (!e->ok) {
		t = *tm;
		t.tm_isdst = -1;
		return mktime(&t);
	}
	return e->base + tm->tm_min * 60 + tm->tm_sec;
}

static time_t in_year(const struct tm *tm, int year)
{
	struct tm t = *tm;

	t.tm_year = year;
	return ol_local_epoch(&t);
}

time_t ol_yearless_epoch(const struct tm *tm, const struct ol_year_hint *h)
{
	time_t last = h->limit + h->slack, t;
	int year;

	if (h->year >= 0) {
		year = h->year;
		if (tm->tm_mon * 31 + tm->tm_mday + 1 < h->day)
			year++;
	} else {
		/* the same limit, line after line: its year worked out once */
		static __thread struct { time_t last; struct zone_key zone; int year, used; } c;

		if (!c.used || c.last != last || !same_zone(&c.zone)) {
			struct tm ref;

			localtime_r(&last, &ref);
			c.year = ref.tm_year;
			c.last = last;
			note_zone(&c.zone);
			c.used = 1;
		}
		year = c.year;
	}
	t = in_year(tm, year);
	for (int i = 0; t > last && i < 200; i++)
		t = in_year(tm, --year);
	return t;
}
