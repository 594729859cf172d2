// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/strutil.h"

/*
 * Length of the valid UTF-8 sequence at @s (at most @n bytes), or 0.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid.
 */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * Code points that steer a terminal or reorder text: C1 controls (U+0080..
 * U+009F, CSI among them) and the bidirectional overrides and isolates.
 */
static int is_unsafe_cp(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	       cp == 0x061c;
}

/* Invisible: format and filler characters that print nothing (or blank). */
static int is_invisible_cp(unsigned long cp)
{
	return cp == 0x00ad || cp == 0x034f || cp == 0x115f || cp == 0x1160 ||
	       cp == 0x17b4 || cp == 0x17b5 || (cp >= 0x180b && cp <= 0x180f) ||
	       (cp >= 0x200b && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0x206a && cp <= 0x206f) || cp == 0x3164 || (cp >= 0xfe00 && cp <= 0xfe0f) ||
	       cp == 0xfeff || cp == 0xffa0 || (cp >= 0xfff0 && cp <= 0xfff8) ||
	       (cp >= 0xe0000 && cp <= 0xe0fff);
}

/* Letters drawn like ASCII ones: fullwidth forms and mathematical letters always. */
static int is_ascii_lookalike_cp(unsigned long cp)
{
	return (cp >= 0xff01 && cp <= 0xff5e) || (cp >= 0x1d400 && cp <= 0x1d7ff);
}

/* Scripts with letters that pass for Latin ones: Greek, Cyrillic, Armenian, Cherokee. */
static int is_confusable_script_cp(unsigned long cp)
{
	return (cp >= 0x0370 && cp <= 0x058f) || (cp >= 0x13a0 && cp <= 0x13ff) ||
	       (cp >= 0x1c80 && cp <= 0x1c8f) || (cp >= 0x2de0 && cp <= 0x2dff) ||
	       (cp >= 0xa640 && cp <= 0xa69f) || (cp >= 0xab70 && cp <= 0xabbf);
}

/*
 * A name that mixes ASCII letters with letters of a confusable script
 * ("\u0455shd" for "sshd") is a spoof until shown otherwise: those letters
 * are escaped.  A name wholly in one script is left as it is.
 */
static int mixes_scripts(const unsigned char *s, size_t n)
{
	int ascii = 0, other = 0;
	size_t i = 0;

	while (i < n) {
		unsigned long cp;
		size_t len = utf8_seq(s + i, n - i, &cp);

		if (len == 1 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))
			ascii = 1;
		else if (len > 1 && is_confusable_script_cp(cp))
			other = 1;
		i += len ? len : 1;
	}
	return ascii && other;
}

/* What a terminal must not be shown as it is (in a string that @mixed or not). */
static int is_suspicious_cp(unsigned long cp, int mixed)
{
	return is_unsafe_cp(cp) || is_invisible_cp(cp) || is_ascii_lookalike_cp(cp) ||
	       (mixed && is_confusable_script_cp(cp));
}

char *ol_escape_mem(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	char *out, *o;
	size_t i = 0;
	int mixed;

	if (n > (SIZE_MAX - 1) / 4)
		return NULL;
	out = malloc(n * 4 + 1);	/* every byte at most "\xNN" */
	if (!out)
		return NULL;
	o = out;
	mixed = mixes_scripts(s, n);
	while (i < n) {
		unsigned long cp;
		size_t len = utf8_seq(s + i, n - i, &cp);

		/* backslash too, as libsmartcols does: "\x5c", so output is unambiguous */
		if (len == 1 && cp >= 0x20 && cp < 0x7f && cp != '\\') {
			*o++ = (char)cp;
		} else if (len > 1 && !is_suspicious_cp(cp, mixed)) {
			memcpy(o, s + i, len);
			o += len;
		} else {
			if (len == 0)
				len = 1;
			for (size_t k = 0; k < len; k++)
				o += sprintf(o, "\\x%02x", s[i + k]);
		}
		i += len;
	}
	*o = '\0';
	return out;
}

char *ol_escape(const char *s)
{
	return ol_escape_mem(s, strlen(s));
}

char *ol_utf8_sanitize(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0;
	char *out, *o;

	out = malloc(n * 3 + 1);	/* a bad byte grows to U+FFFD (3 bytes) */
	if (!out)
		return NULL;
	o = out;
	while (i < n) {
		unsigned long cp;
		size_t len = utf8_seq(s + i, n - i, &cp);

		if (len) {
			memcpy(o, s + i, len);
			o += len;
			i += len;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	*o = '\0';
	return out;
}

void ol_size_human(unsigned long long bytes, char *buf, size_t sz)
{
	static const char suffix[] = "BKMGTPE";
	unsigned long long div = 1, whole, tenths;
	int exp = 0;

	while (exp < 6 && bytes / div >= 1024) {
		div *= 1024;
		exp++;
	}
	if (exp == 0) {
		snprintf(buf, sz, "%lluB", bytes);
		return;
	}
	/* one decimal, rounded half up, in integers: "2.0G" reads as "2G" */
	whole = bytes / div;
	tenths = ((bytes % div) * 10 + div / 2) / div;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	if (whole == 1024 && exp < 6) {
		whole = 1;
		exp++;
	}
	if (tenths)
		snprintf(buf, sz, "%llu.%llu%c", whole, tenths, suffix[exp]);
	else
		snprintf(buf, sz, "%llu%c", whole, suffix[exp]);
}

int ol_parse_size(const char *s, unsigned long long *bytes)
{
	unsigned long long whole, frac = 0, fdiv = 1, mult = 1;
	const char *p = s;
	char *end;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	whole = strtoull(p, &end, 10);
	if (errno)
		return -ERANGE;
	p = end;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		while (isdigit((unsigned char)*p)) {
			if (fdiv < 1000000000ULL) {
				frac = frac * 10 + (unsigned long long)(*p - '0');
				fdiv *= 10;
			}
			p++;
		}
	}
	switch (toupper((unsigned char)*p)) {
	case '\0':	break;
	case 'B':	break;
	case 'K':	mult = 1ULL << 10; break;
	case 'M':	mult = 1ULL << 20; break;
	case 'G':	mult = 1ULL << 30; break;
	case 'T':	mult = 1ULL << 40; break;
	case 'P':	mult = 1ULL << 50; break;
	default:	return -EINVAL;
	}
	if (*p && *p != 'B' && *p != 'b') {
		p++;
		if (*p == 'i')
			p++;
		if (*p == 'B')
			p++;
	} else if (*p) {
		p++;
	}
	if (*p)
		return -EINVAL;
	if (whole > ULLONG_MAX / mult)
		return -ERANGE;
	/*
	 * frac * mult / fdiv, without the 64-bit overflow of frac * mult
	 * (frac < fdiv <= 10^9, mult <= 2^50): mult = q * fdiv + r.
	 */
	*bytes = whole * mult + frac * (mult / fdiv) + frac * (mult % fdiv) / fdiv;
	return 0;
}

int ol_strtol(const char *s, long *val)
{
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*val = strtol(s, &end, 10);
	if (errno)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	return 0;
}

int ol_strtoul(const char *s, unsigned long *val)
{
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*val = strtoul(s, &end, 10);
	if (errno)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	return 0;
}

char *ol_defuse_bidi(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0;
	/* U+061C is 2 bytes and grows to 3: room for 3/2 */
	char *out = malloc(n * 2 + 1), *o = out;
	int mixed = mixes_scripts(s, n);

	if (!out)
		return NULL;
	while (i < n) {
		unsigned long cp;
		size_t len = utf8_seq(s + i, n - i, &cp);

		if (len > 1 && is_suspicious_cp(cp, mixed) && cp > 0x9f) {
			/* U+FFFD: shown, but obeyed by no terminal */
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
		} else {
			if (!len)
				len = 1;
			memcpy(o, s + i, len);
			o += len;
		}
		i += len;
	}
	*o = '\0';
	return out;
}

int ol_parse_pid(const char *s, pid_t *pid)
{
	long v;

	/* PID_MAX_LIMIT: no kernel hands out a larger pid */
	if (ol_strtol(s, &v) < 0 || v <= 0 || v > 4194304)
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}
