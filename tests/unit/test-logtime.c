// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --since and --until (lib/logtime.c ol_time_parse): RFC 3339 with Z or an
 * offset, oomlens's own output times (JSON's RFC 3339 in UTC, the text's
 * local "YYYY-MM-DD HH:MM:SS"), and journalctl's forms.  Run in TZ=UTC and
 * in a zone east of it, so that local and UTC times differ.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "oomlens/logtime.h"

/* 2026-05-19T18:14:43Z */
#define NOW	((time_t)1779214483)

static time_t parse(const char *s)
{
	time_t t = -1;

	assert_int_equal(ol_time_parse(s, NOW, &t), 0);
	return t;
}

static void bad(const char *s)
{
	time_t t;

	assert_int_equal(ol_time_parse(s, NOW, &t), -22);
}

static void rfc3339(void **state)
{
	setenv("TZ", "Asia/Kolkata", 1);	/* +05:30, no DST */
	tzset();
	assert_int_equal(parse("2026-05-19T18:14:43Z"), NOW);
	assert_int_equal(parse("2026-05-19T18:14:43.123456Z"), NOW);
	assert_int_equal(parse("2026-05-19T20:14:43+02:00"), NOW);
	assert_int_equal(parse("2026-05-19T13:14:43-0500"), NOW);
	assert_int_equal(parse("2026-05-19 18:14:43 +00:00"), NOW);
	/* oomlens's text: local time */
	assert_int_equal(parse("2026-05-19 23:44:43"), NOW);
	assert_int_equal(parse("2026-05-19 23:44"), NOW - 43);
	assert_int_equal(parse("2026-05-19"), NOW - (23 * 3600 + 44 * 60 + 43));
	assert_int_equal(parse("@1779214483"), NOW);
	bad("2026-05-19T18:14:43+25:00");
	bad("2026-05-19T18:14:43 UTC+");
	bad("2026-05-19x");
	bad("2026-13-40");
}

static void journalctl_words(void **state)
{
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(parse("now"), NOW);
	assert_int_equal(parse("today"), NOW - (18 * 3600 + 14 * 60 + 43));
	assert_int_equal(parse("yesterday"), NOW - (18 * 3600 + 14 * 60 + 43) - 86400);
	assert_int_equal(parse("tomorrow"), NOW - (18 * 3600 + 14 * 60 + 43) + 86400);
	assert_int_equal(parse("1h ago"), NOW - 3600);
	assert_int_equal(parse("2 days ago"), NOW - 2 * 86400);
	assert_int_equal(parse("-2d"), NOW - 2 * 86400);
	assert_int_equal(parse("+1h"), NOW + 3600);
	assert_int_equal(parse("-1h 30min"), NOW - 5400);
	assert_int_equal(parse("-30m"), NOW - 1800);
	assert_int_equal(parse("-90"), NOW - 90);
	assert_int_equal(parse("18:00"), NOW - (14 * 60 + 43));
	bad("");
	bad("ago");
	bad("-2x");
	bad("1h since");
	bad("@");
	bad("@12x");
}

/* A syslog date ("Dec  2 14:00:00"): month 0-11, no year. */
static struct tm syslog_date(int mon, int mday, int hour, int min)
{
	struct tm tm = { .tm_mon = mon, .tm_mday = mday, .tm_hour = hour, .tm_min = min,
			 .tm_year = 70 /* ignored */ };

	return tm;
}

/* The epoch of a UTC calendar date (TZ=UTC below, so local is UTC). */
static time_t utc(int year, int mon, int mday, int hour, int min)
{
	struct tm tm = { .tm_year = year - 1900, .tm_mon = mon, .tm_mday = mday,
			 .tm_hour = hour, .tm_min = min };

	return timegm(&tm);
}

static void yearless_dates(void **state)
{
	struct tm d2 = syslog_date(11, 2, 14, 0), jan1 = syslog_date(0, 1, 0, 10);
	struct ol_year_hint mtime = { utc(2026, 11, 2, 11, 0), 86400, -1, 0 };
	struct ol_year_hint end = { utc(2025, 11, 4, 23, 30), 3600, -1, 0 };
	struct ol_year_hint dated = { utc(2026, 5, 1, 0, 0), 86400, 123, 11 * 31 + 31 };

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	/* against an mtime alone, a day of slack for the writer's zone */
	assert_int_equal(ol_yearless_epoch(&d2, &mtime), utc(2026, 11, 2, 14, 0));
	/* the log's own last date (Dec 4, the year before the mtime): it comes first */
	assert_int_equal(ol_yearless_epoch(&d2, &end), utc(2025, 11, 2, 14, 0));
	/* never after the limit: Dec 5 is past Dec 4 23:30 + 1h, so the year before */
	d2.tm_mday = 5;
	assert_int_equal(ol_yearless_epoch(&d2, &end), utc(2024, 11, 5, 14, 0));
	/* after a line dated 2023-12-31: Jan 1 rolls over into 2024, not the mtime's 2026 */
	assert_int_equal(ol_yearless_epoch(&jan1, &dated), utc(2024, 0, 1, 0, 10));
	/* a line a day out of order stays in that line's year */
	d2 = syslog_date(11, 30, 23, 59);
	assert_int_equal(ol_yearless_epoch(&d2, &dated), utc(2023, 11, 30, 23, 59));
	/* evidence that would put the date after the limit yields to it */
	dated.limit = utc(2023, 11, 1, 0, 0);
	dated.slack = 0;
	assert_int_equal(ol_yearless_epoch(&jan1, &dated), utc(2023, 0, 1, 0, 10));
}

/*
 * ol_local_epoch() looks the zone up once an hour: it must give mktime()'s
 * answer for every minute of a year, in zones whose DST moves by an hour
 * each way and in one (Lord Howe) whose DST moves by half an hour.
 */
static void local_epoch_is_mktime(void **state)
{
	static const char *const zones[] = { "UTC", "Europe/Berlin", "America/New_York",
					     "Australia/Lord_Howe" };
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;

	(void)state;
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		setenv("TZ", zones[z], 1);
		tzset();
		for (int yday = 0; yday < 365; yday++)
			for (int hour = 0; hour < 24; hour++)
				for (int min = 0; min < 60; min += 7) {
					struct tm tm = { .tm_year = 125, .tm_mon = 0, .tm_mday = 1 + yday,
							 .tm_hour = hour, .tm_min = min, .tm_sec = 31 };
					struct tm t2 = tm;
					time_t want, got;

					t2.tm_isdst = -1;
					want = mktime(&t2);
					got = ol_local_epoch(&tm);
					if (got != want)
						fail_msg("%s: day %d %02d:%02d:31: %lld, mktime says %lld", zones[z],
							 yday, hour, min, (long long)got, (long long)want);
				}
	}
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc3339),
		cmocka_unit_test(local_epoch_is_mktime),
		cmocka_unit_test(journalctl_words),
		cmocka_unit_test(yearless_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
