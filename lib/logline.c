// SPDX-License-Identifier: GPL-2.0-or-later
/* Unwrapping one log line: which wrapper, which host, which time, which text. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/oomlog.h"

/* isdigit() without the locale's table, called for every byte of every stamp: POSIX's digits are 0-9 in every locale */
static inline int is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

static const char *const months_en[12] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};

/*
 * Month names as dmesg -T prints them in the locales users paste most:
 * English, French, German, Spanish, Italian, Portuguese.  Matched on
 * their first letters, lowercased (bytes, so "févr." and "août" work).
 */
static const struct {
	const char *prefix;
	int mon;
} months_intl[] = {
	{ "janv", 0 }, { "févr", 1 }, { "fevr", 1 }, { "mars", 2 }, { "avr", 3 }, { "mai", 4 },
	{ "juin", 5 }, { "juil", 6 }, { "août", 7 }, { "aout", 7 }, { "sept", 8 }, { "déc", 11 },
	{ "mär", 2 }, { "mrz", 2 }, { "okt", 9 }, { "dez", 11 },
	{ "ene", 0 }, { "abr", 3 }, { "ago", 7 }, { "dic", 11 },
	{ "gen", 0 }, { "mag", 4 }, { "giu", 5 }, { "lug", 6 }, { "set", 8 }, { "ott", 9 },
	{ "fev", 1 }, { "out", 9 }, { "dez", 11 },
	/* Russian (glibc ru_RU abmon, nominative and genitive) */
	{ "янв", 0 }, { "фев", 1 }, { "мар", 2 }, { "апр", 3 }, { "май", 4 }, { "мая", 4 },
	{ "июн", 5 }, { "июл", 6 }, { "авг", 7 }, { "сен", 8 }, { "окт", 9 }, { "ноя", 10 },
	{ "дек", 11 },
};

/* lowercase ASCII and Cyrillic А-Я (UTF-8), byte by byte; other bytes as they are */
static size_t lower_utf8(const char *s, size_t n, char *out, size_t sz)
{
	size_t i = 0, o = 0;

	while (i < n && o + 2 < sz) {
		unsigned char c = (unsigned char)s[i], d = i + 1 < n ? (unsigned char)s[i + 1] : 0;

		if (c == 0xd0 && d >= 0x90 && d <= 0x9f) {		/* А-П -> а-п */
			out[o++] = (char)0xd0;
			out[o++] = (char)(d + 0x20);
			i += 2;
		} else if (c == 0xd0 && d >= 0xa0 && d <= 0xaf) {	/* Р-Я -> р-я */
			out[o++] = (char)0xd1;
			out[o++] = (char)(d - 0x20);
			i += 2;
		} else {
			out[o++] = (char)tolower(c);
			i++;
		}
	}
	out[o] = '\0';
	return o;
}

/* "4月" (Chinese, Japanese) or "4월" (Korean): a month by its number */
static int month_numbered(const char *s, size_t n)
{
	int v = 0;
	size_t i = 0;

	while (i < n && i < 2 && is_digit(s[i]))
		v = v * 10 + (s[i++] - '0');
	if (!i || v < 1 || v > 12 || n - i != 3)
		return -1;
	if (memcmp(s + i, "\xe6\x9c\x88", 3) == 0 || memcmp(s + i, "\xec\x9b\x94", 3) == 0)
		return v - 1;
	return -1;
}

static int month_of(const char *s, size_t n, int english_only)
{
	char low[16];
	size_t i;

	if (n < 3)
		return -1;
	if (english_only) {
		/* every syslog line: "Nov", three ASCII bytes, no strncmp() */
		if (n != 3 || ((s[0] | s[1] | s[2]) & 0x80))
			return -1;
		low[0] = (char)tolower((unsigned char)s[0]);
		low[1] = (char)tolower((unsigned char)s[1]);
		low[2] = (char)tolower((unsigned char)s[2]);
		for (i = 0; i < 12; i++)
			if (low[0] == months_en[i][0] && low[1] == months_en[i][1] && low[2] == months_en[i][2])
				return (int)i;
		return -1;
	}
	lower_utf8(s, n, low, sizeof(low));
	for (i = 0; i < 12; i++)
		if (strncmp(low, months_en[i], 3) == 0)
			return (int)i;
	for (i = 0; i < sizeof(months_intl) / sizeof(months_intl[0]); i++)
		if (strncmp(low, months_intl[i].prefix, strlen(months_intl[i].prefix)) == 0)
			return months_intl[i].mon;
	return -1;
}

static int digits(const char *s, const char *end, int n, int *v)
{
	int i, x = 0;

	if (end - s < n)
		return 0;
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return 0;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 1;
}

/* "HH:MM:SS" at s; returns the end or NULL */
static const char *parse_hms(const char *s, const char *end, struct tm *tm)
{
	int h, m, sec;

	if (!digits(s, end, 2, &h) || end - s < 8 || s[2] != ':' || !digits(s + 3, end, 2, &m) ||
	    s[5] != ':' || !digits(s + 6, end, 2, &sec) || h > 23 || m > 59 || sec > 60)
		return NULL;
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = sec;
	return s + 8;
}

/* ".123456" after a time */
static const char *parse_frac(const char *s, const char *end, long *usec)
{
	long v = 0, scale = 1000000;

	*usec = 0;
	if (s >= end || *s != '.' || s + 1 >= end || !is_digit(s[1]))
		return s;
	for (s++; s < end && is_digit(*s); s++) {
		scale /= 10;
		v = v * 10 + (*s - '0');
		if (scale == 0) {	/* more than 6 digits: keep microseconds */
			while (s + 1 < end && is_digit(s[1]))
				s++;
			scale = 1;
			v /= 10;
		}
	}
	*usec = v * (scale ? scale : 1);
	return s;
}

/*
 * "[   123.456789]" at s: returns the end (after "]" and one space) or NULL.
 * With @lost, the "[" is missing (the first line of a paste cut short).
 */
/*
 * The scales of a stamp's fraction digits, 0.1 then each a tenth of the one
 * before, as the division would make them at run time: the same doubles, so
 * the same sums, without a division (a 20-cycle wait) for every digit.
 */
#define FS1 0.1
#define FS2 (FS1 / 10)
#define FS3 (FS2 / 10)
#define FS4 (FS3 / 10)
#define FS5 (FS4 / 10)
#define FS6 (FS5 / 10)
#define FS7 (FS6 / 10)
#define FS8 (FS7 / 10)
#define FS9 (FS8 / 10)
static const double frac_scale[] = { FS1, FS2, FS3, FS4, FS5, FS6, FS7, FS8, FS9 };
#define NFRAC_SCALE (sizeof(frac_scale) / sizeof(frac_scale[0]))

static const char *parse_boot_stamp(const char *s, const char *end, double *boot, int lost)
{
	const char *p = lost ? s : s + 1;
	long long whole = 0;
	double v, scale;
	int any = 0;
	size_t i;

	if (s >= end || (!lost && *s != '['))
		return NULL;
	while (p < end && *p == ' ')
		p++;
	/* the whole seconds as an integer: exact, as the double they were summed in was (< 2^53) */
	while (p < end && is_digit(*p) && any <= 12) {
		whole = whole * 10 + (*p++ - '0');
		any++;
	}
	/* 12 digits are 31000 years of uptime: more is not a stamp */
	if (!any || any > 12 || p >= end || *p != '.')
		return NULL;
	v = (double)whole;
	for (p++, i = 0; p < end && is_digit(*p) && i < NFRAC_SCALE; p++, i++)
		v += (*p - '0') * frac_scale[i];
	for (scale = frac_scale[NFRAC_SCALE - 1] / 10; p < end && is_digit(*p); p++) {
		v += (*p - '0') * scale;
		scale /= 10;
	}
	if (p >= end || *p != ']')
		return NULL;
	*boot = v;
	p++;
	if (p < end && *p == ' ')
		p++;
	return p;
}

/* CONFIG_PRINTK_CALLER's "[T10521]" or "[    C1]" after a stamp: skipped */
static const char *skip_caller(const char *p, const char *end)
{
	const char *q = p;

	if (q < end && *q == ' ')
		q++;
	if (q >= end || *q++ != '[')
		return p;
	while (q < end && *q == ' ')
		q++;
	if (q >= end || (*q != 'T' && *q != 'C') || q + 1 >= end || !is_digit(q[1]))
		return p;
	for (q++; q < end && is_digit(*q); q++)
		;
	if (q >= end || *q != ']')
		return p;
	q++;
	if (q < end && *q == ' ')
		q++;
	return q;
}

/* dmesg -x: "kern  :warn  : " (facility, level), returns what follows or NULL */
static const char *skip_decoded(const char *s, const char *end)
{
	static const char *const levels[] = {
		"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
	};
	const char *p = s, *w;
	size_t i, n;

	while (p < end && (isalnum((unsigned char)*p)))
		p++;
	if (p == s || p - s > 8)
		return NULL;
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p++ != ':')
		return NULL;
	for (w = p; p < end && isalpha((unsigned char)*p); p++)
		;
	n = (size_t)(p - w);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (n == strlen(levels[i]) && memcmp(w, levels[i], n) == 0)
			break;
	if (i == sizeof(levels) / sizeof(levels[0]))
		return NULL;
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p++ != ':')
		return NULL;
	if (p < end && *p == ' ')
		p++;
	return p;
}

/* a word before ':' that names a program, not a host: "kernel", "systemd[1]" */
static int is_tag_word(const char *w, size_t n)
{
	return (n == 6 && memcmp(w, "kernel", 6) == 0) || memchr(w, '[', n) != NULL;
}

static void set_tag(struct ol_logline *l, const char *t, size_t n)
{
	/* "systemd[1]" -> "systemd" */
	const char *b = memchr(t, '[', n);

	l->tag = t;
	l->taglen = b ? (size_t)(b - t) : n;
}

/*
 * "host tag: " (or "host tag[pid]: ") at s; fills host/tag, returns the body.
 * Also "host <kern.warning> tag: " (a priority in the template), "host: "
 * (a template with no tag), "kernel: " (no host) and "tag:" with no space.
 */
static const char *parse_host_tag(const char *s, const char *end, struct ol_logline *l)
{
	const char *h = s, *he, *t, *te, *c;

	for (he = h; he < end && *he != ' '; he++)
		;
	if (he == h)
		return NULL;
	c = memchr(h, ':', (size_t)(he - h));
	if (c && c > h && (c + 1 == he || is_tag_word(h, (size_t)(c - h)))) {
		/* one word, then ':': a tag without a host, or a host without a tag */
		if (is_tag_word(h, (size_t)(c - h))) {
			set_tag(l, h, (size_t)(c - h));
		} else {
			l->host = h;
			l->hostlen = (size_t)(c - h);
		}
		te = c + 1;
		goto body;
	}
	if (he >= end)
		return NULL;
	t = he + 1;
	/* a priority written by the template: "<kern.warning>" */
	if (t < end && *t == '<') {
		const char *q = t + 1;

		while (q < end && (isalnum((unsigned char)*q) || *q == '.'))
			q++;
		if (q < end && *q == '>' && q + 1 < end && q[1] == ' ')
			t = q + 2;
	}
	/* the tag: up to ':' with no space in it ("kernel", "systemd[1]") */
	for (te = t; te < end && *te != ':' && *te != ' '; te++)
		;
	if (te >= end || *te != ':' || te == t)
		return NULL;
	l->host = h;
	l->hostlen = (size_t)(he - h);
	set_tag(l, t, (size_t)(te - t));
	te++;
body:
	if (te < end && *te == ' ')
		te++;
	return te;
}

/* copied, not memset(): every syslog line clears one, and gcc makes memset() a slow "rep stos" */
static const struct tm zero_tm;

/* "Nov 28 10:00:00[.123456] host tag: text" */
static int try_syslog(const char *s, const char *end, struct ol_logline *l)
{
	const char *p;
	int mon, day;

	if (end - s < 16 || !isalpha((unsigned char)s[0]) || s[3] != ' ')
		return 0;
	mon = month_of(s, 3, 1);
	if (mon < 0)
		return 0;
	p = s + 4;
	if (*p == ' ')
		p++;
	if (digits(p, end, 2, &day))
		p += 2;
	else if (digits(p, end, 1, &day))
		p += 1;
	else
		return 0;
	if (day < 1 || day > 31 || p >= end || *p++ != ' ')
		return 0;
	l->tm = zero_tm;
	p = parse_hms(p, end, &l->tm);
	if (!p)
		return 0;
	p = parse_frac(p, end, &l->tm_usec);
	if (p >= end || *p != ' ')
		return 0;
	l->stamp = s;
	l->stamplen = (size_t)(p - s);
	l->tm.tm_mon = mon;
	l->tm.tm_mday = day;
	l->have_tm = 1;
	p = parse_host_tag(p + 1, end, l);
	if (!p)
		return 0;
	l->wrap = OL_WRAP_SYSLOG;
	l->body = p;
	return 1;
}

/* "2026-11-28T10:00:00[.frac][Z|+HH:MM|+HHMM]" at s; returns the end */
static const char *parse_iso(const char *s, const char *end, struct ol_logline *l)
{
	int y, mo, d;
	const char *p;

	if (!digits(s, end, 4, &y) || end - s < 19 || s[4] != '-' || !digits(s + 5, end, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, end, 2, &d) || (s[10] != 'T' && s[10] != ' '))
		return NULL;
	memset(&l->tm, 0, sizeof(l->tm));
	p = parse_hms(s + 11, end, &l->tm);
	if (!p || mo < 1 || mo > 12 || d < 1 || d > 31)
		return NULL;
	p = parse_frac(p, end, &l->tm_usec);
	l->tm.tm_year = y - 1900;
	l->tm.tm_mon = mo - 1;
	l->tm.tm_mday = d;
	l->have_tm = l->have_year = 1;
	if (p < end && *p == 'Z') {
		l->have_zone = 1;
		l->tm_gmtoff = 0;
		p++;
	} else if (p < end && (*p == '+' || *p == '-')) {
		int hh, mm = 0, sign = *p == '-' ? -1 : 1;

		if (digits(p + 1, end, 2, &hh)) {
			const char *q = p + 3;

			if (q < end && *q == ':')
				q++;
			if (digits(q, end, 2, &mm))
				q += 2;
			l->have_zone = 1;
			l->tm_gmtoff = sign * (hh * 3600 + mm * 60);
			p = q;
		}
	}
	return p;
}

static int try_iso(const char *s, const char *end, struct ol_logline *l)
{
	const char *p = parse_iso(s, end, l);

	if (!p || p >= end || *p != ' ')
		return 0;
	l->stamp = s;
	l->stamplen = (size_t)(p - s);
	p = parse_host_tag(p + 1, end, l);
	if (!p)
		return 0;
	l->wrap = OL_WRAP_ISO;
	l->body = p;
	return 1;
}

/* "1 2026-...Z host app procid msgid SD msg" (after the <PRI>) */
static int try_rfc5424(const char *s, const char *end, struct ol_logline *l)
{
	const char *p, *f[4];
	int i;

	if (end - s < 3 || s[0] != '1' || s[1] != ' ')
		return 0;
	p = parse_iso(s + 2, end, l);
	if (!p) {
		if (s[2] != '-')
			return 0;
		p = s + 3;
	} else {
		l->stamp = s + 2;
		l->stamplen = (size_t)(p - s - 2);
	}
	/* HOSTNAME APP-NAME PROCID MSGID */
	for (i = 0; i < 4; i++) {
		if (p >= end || *p != ' ')
			return 0;
		f[i] = ++p;
		while (p < end && *p != ' ')
			p++;
	}
	l->host = f[0];
	l->hostlen = (size_t)(f[1] - f[0] - 1);
	l->tag = f[1];
	l->taglen = (size_t)(f[2] - f[1] - 1);
	/* STRUCTURED-DATA: "-" or [..][..] */
	if (p < end && *p == ' ')
		p++;
	if (p < end && *p == '-') {
		p++;
	} else {
		while (p < end && *p == '[') {
			const char *q = memchr(p, ']', (size_t)(end - p));

			if (!q)
				return 0;
			p = q + 1;
		}
	}
	if (p < end && *p == ' ')
		p++;
	/* a UTF-8 BOM may start MSG */
	if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	l->wrap = OL_WRAP_RFC5424;
	l->body = p;
	return 1;
}

/* "[Sat Nov 28 10:00:00 2026] " or a localised "[dim. 19 avril 18:03:30 2026] " */
static int try_dmesg_t(const char *s, const char *end, struct ol_logline *l)
{
	const char *close = memchr(s, ']', (size_t)(end - s) < 64 ? (size_t)(end - s) : 64);
	const char *p = s + 1;
	int have_time = 0, mon = -1, day = -1, year = -1;

	if (!close)
		return 0;
	memset(&l->tm, 0, sizeof(l->tm));
	while (p < close) {
		const char *w = p;
		int v;

		while (p < close && *p != ' ')
			p++;
		if (p - w == 8 && parse_hms(w, close, &l->tm)) {
			have_time = 1;
		} else if (mon < 0 && is_digit(*w) && month_numbered(w, (size_t)(p - w)) >= 0) {
			mon = month_numbered(w, (size_t)(p - w));
		} else if ((p - w == 4) && digits(w, p, 4, &v)) {
			year = v;
		} else if ((p - w <= 2) && p > w && digits(w, p, (int)(p - w), &v)) {
			day = v;
		} else if (p > w && mon < 0 && isalpha((unsigned char)*w) | ((unsigned char)*w >= 0x80)) {
			int m = month_of(w, (size_t)(p - w), 0);

			/* the first word is the weekday; "mar" is Tuesday in French */
			if (m >= 0 && w != s + 1)
				mon = m;
		}
		while (p < close && *p == ' ')
			p++;
	}
	if (!have_time || year < 1970 || mon < 0 || day < 1 || day > 31)
		return 0;
	l->tm.tm_year = year - 1900;
	l->tm.tm_mon = mon;
	l->tm.tm_mday = day;
	l->have_tm = l->have_year = 1;
	l->stamp = s;
	l->stamplen = (size_t)(close + 1 - s);
	l->wrap = OL_WRAP_DMESG_T;
	p = close + 1;
	if (p < end && *p == ' ')
		p++;
	l->body = p;
	return 1;
}

/* "6,1234,5678,-;text" */
static int try_kmsg(const char *s, const char *end, struct ol_logline *l)
{
	const char *p = s, *semi;
	double usec = 0;
	int field;

	semi = memchr(s, ';', (size_t)(end - s) < 64 ? (size_t)(end - s) : 64);
	if (!semi)
		return 0;
	for (field = 0; field < 3; field++) {
		double v = 0;

		if (p >= semi || !is_digit(*p))
			return 0;
		while (p < semi && is_digit(*p))
			v = v * 10 + (*p++ - '0');
		if (field == 2)
			usec = v;
		if (p >= semi)
			return field == 2;	/* "PRI,SEQ,USEC;" is not a record */
		if (*p != ',')
			return 0;
		p++;
	}
	l->wrap = OL_WRAP_KMSG;
	l->boot = usec / 1e6;
	l->stamp = s;
	l->stamplen = (size_t)(semi - s);
	l->body = semi + 1;
	return 1;
}

void ol_log_unwrap(const char *line, size_t len, struct ol_logline *l)
{
	static const struct ol_logline zero;	/* copied: memset() here is a slow "rep stos" */
	const char *s = line, *end = line + len, *p;

	*l = zero;
	l->boot = -1;
	l->wrap = OL_WRAP_BARE;
	l->body = line;

	if (len && is_digit(*s) && try_kmsg(s, end, l))
		goto inner;
	/* kmsg dictionary: " KEY=value" */
	if (len > 2 && s[0] == ' ' && isupper((unsigned char)s[1])) {
		for (p = s + 1; p < end && (isupper((unsigned char)*p) || is_digit(*p) || *p == '_'); p++)
			;
		if (p < end && *p == '=') {
			l->wrap = OL_WRAP_KMSG_DICT;
			l->body = end;
			goto out;
		}
	}
	if (len && *s == '<') {	/* <PRI> */
		for (p = s + 1; p < end && is_digit(*p); p++)
			;
		if (p < end && *p == '>' && p > s + 1) {
			s = p + 1;
			len = (size_t)(end - s);	/* what is left: "<6>" alone is empty */
			if (try_rfc5424(s, end, l))
				goto inner;
		}
	}
	/* dmesg -x: "kern  :warn  : " before the stamp */
	if (len && isalpha((unsigned char)*s) && (p = skip_decoded(s, end))) {
		s = p;
		len = (size_t)(end - s);
		l->body = s;
	}
	if (len && *s == '[') {
		double boot;

		p = parse_boot_stamp(s, end, &boot, 0);
		if (p) {
			struct ol_logline j = *l;

			/* journalctl -o short-monotonic: "[ 1.2] host kernel: text" */
			const char *b = parse_host_tag(p, end, &j);

			if (b && j.taglen && (j.taglen == 6 && memcmp(j.tag, "kernel", 6) == 0)) {
				*l = j;
				l->wrap = OL_WRAP_MONO;
				l->body = b;
			} else {
				l->wrap = OL_WRAP_DMESG;
				l->body = skip_caller(p, end);
			}
			l->boot = boot;
			l->stamp = s;
			l->stamplen = (size_t)(memchr(s, ']', (size_t)(end - s)) ?
				(const char *)memchr(s, ']', (size_t)(end - s)) + 1 - s : 0);
			goto out;
		}
		if (try_dmesg_t(s, end, l))
			goto inner;
	}
	/* the first line of a paste that lost its "[": "  123.456789] text" */
	if (len && (is_digit(*s) || *s == ' ')) {
		double boot;

		p = parse_boot_stamp(s, end, &boot, 1);
		if (p) {
			l->wrap = OL_WRAP_DMESG;
			l->boot = boot;
			l->stamp = s;
			l->stamplen = (size_t)(memchr(s, ']', (size_t)(end - s)) ?
				(const char *)memchr(s, ']', (size_t)(end - s)) + 1 - s : 0);
			l->body = skip_caller(p, end);
			goto out;
		}
	}
	if (len && isalpha((unsigned char)*s) && try_syslog(s, end, l))
		goto inner;
	if (len && is_digit(*s) && try_iso(s, end, l))
		goto inner;
	/* journal continuation lines are indented, with no prefix */
	if (len > 2 && s[0] == ' ' && s[1] == ' ') {
		l->wrap = OL_WRAP_CONT;
		for (p = s; p < end && *p == ' '; p++)
			;
		l->body = p;
		goto out;
	}
	l->body = s;
	goto out;
inner:
	/* RHEL 6 writes "kernel: : [ts] text" */
	if (l->tag && end - l->body >= 2 && l->body[0] == ':' && l->body[1] == ' ')
		l->body += 2;
	/* the kernel's own "[ 123.456] " inside a syslog or journal line */
	if (l->body < end && *l->body == '[') {
		double boot;

		p = parse_boot_stamp(l->body, end, &boot, 0);
		if (p) {
			l->boot = boot;
			l->body = skip_caller(p, end);
		}
	}
out:
	l->bodylen = (size_t)(end - l->body);
}
