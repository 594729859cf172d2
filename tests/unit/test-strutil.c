// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * String helpers (include/oomlens/strutil.h): escaping untrusted process
 * names for a terminal, defusing bidi controls, UTF-8 repair for JSON,
 * sizes, strict integer parsing.  Run under ASan too (make check SANITIZE=1):
 * the output buffers are sized by worst-case growth.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oomlens/strutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void expect_escape(const char *in, const char *want)
{
	char *s = ol_escape(in);

	assert_non_null(s);
	if (strcmp(s, want) != 0)
		fail_msg("ol_escape: got \"%s\", want \"%s\"", s, want);
	free(s);
}

/* ---- ol_escape / ol_escape_mem ---- */

static void escape_ascii(void **state)
{
	expect_escape("", "");
	expect_escape("nginx: worker process", "nginx: worker process");
	expect_escape("~!@#$%^&*()_+{}|:\"<>?`-=[];',./", "~!@#$%^&*()_+{}|:\"<>?`-=[];',./");
	/* ESC: a name that would turn the terminal red */
	expect_escape("ev\x1b[31mil", "ev\\x1b[31mil");
	expect_escape("a\nb", "a\\x0ab");
	expect_escape("a\tb", "a\\x09b");
	expect_escape("a\rb", "a\\x0db");
	expect_escape("\x01\x1f", "\\x01\\x1f");
	expect_escape("del\x7f", "del\\x7f");
	/* backslash too, so "\x41" in a name can't pass for an escaped 'A' */
	expect_escape("a\\b", "a\\x5cb");
	expect_escape("\\x41", "\\x5cx41");
}

static void escape_invalid_utf8(void **state)
{
	/* lone bytes that cannot start a sequence */
	expect_escape("\xff", "\\xff");
	expect_escape("\xfe\xfd", "\\xfe\\xfd");
	expect_escape("a\x80z", "a\\x80z");		/* a stray continuation byte */
	expect_escape("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80");	/* lead past U+10FFFF */
	/* sequences cut short, mid-string and at the end */
	expect_escape("\xc3(", "\\xc3(");
	expect_escape("x\xc3", "x\\xc3");
	expect_escape("\xe6\x97", "\\xe6\\x97");
	expect_escape("\xf0\x9f\x98", "\\xf0\\x9f\\x98");
	/* overlong encodings of '/' and NUL */
	expect_escape("\xc0\xaf", "\\xc0\\xaf");
	expect_escape("\xc1\xbf", "\\xc1\\xbf");
	expect_escape("\xe0\x80\xaf", "\\xe0\\x80\\xaf");
	expect_escape("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf");
	expect_escape("\xc0\x80", "\\xc0\\x80");
	/* UTF-16 surrogates encoded in UTF-8 (CESU) */
	expect_escape("\xed\xa0\x80", "\\xed\\xa0\\x80");	/* U+D800 */
	expect_escape("\xed\xbf\xbf", "\\xed\\xbf\\xbf");	/* U+DFFF */
	/* past U+10FFFF */
	expect_escape("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	/* the last valid neighbours of those stay */
	expect_escape("\xed\x9f\xbf", "\xed\x9f\xbf");		/* U+D7FF */
	expect_escape("\xee\x80\x80", "\xee\x80\x80");		/* U+E000 */
	expect_escape("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");	/* U+10FFFF */
}

static void escape_c1_and_bidi(void **state)
{
	/* C1 controls U+0080..U+009F: CSI (U+009B) starts an escape sequence too */
	expect_escape("\xc2\x80", "\\xc2\\x80");
	expect_escape("x\xc2\x9b" "31mred", "x\\xc2\\x9b31mred");
	expect_escape("\xc2\x9f", "\\xc2\\x9f");
	expect_escape("\xc2\xa0", "\xc2\xa0");			/* U+00A0, no control */
	/* bidi embeddings and overrides U+202A..U+202E */
	expect_escape("\xe2\x80\xaa", "\\xe2\\x80\\xaa");
	expect_escape("\xe2\x80\xab", "\\xe2\\x80\\xab");
	expect_escape("\xe2\x80\xac", "\\xe2\\x80\\xac");
	expect_escape("\xe2\x80\xad", "\\xe2\\x80\\xad");
	expect_escape("evil\xe2\x80\xaetxt.exe", "evil\\xe2\\x80\\xaetxt.exe");	/* RLO */
	/* isolates U+2066..U+2069 */
	expect_escape("\xe2\x81\xa6", "\\xe2\\x81\\xa6");
	expect_escape("\xe2\x81\xa7", "\\xe2\\x81\\xa7");
	expect_escape("\xe2\x81\xa8", "\\xe2\\x81\\xa8");
	expect_escape("\xe2\x81\xa9", "\\xe2\\x81\\xa9");
	/* marks: ALM U+061C, LRM U+200E, RLM U+200F */
	expect_escape("\xd8\x9c", "\\xd8\\x9c");
	expect_escape("\xe2\x80\x8e", "\\xe2\\x80\\x8e");
	expect_escape("\xe2\x80\x8f", "\\xe2\\x80\\x8f");
	/* neighbours that are not controls stay */
	expect_escape("\xe2\x80\xaf", "\xe2\x80\xaf");		/* U+202F */
	expect_escape("\xe2\x81\xa5", "\xe2\x81\xa5");		/* U+2065 */
	/* U+206A, a deprecated format character, prints nothing: escaped as invisible */
	expect_escape("\xe2\x81\xaa", "\\xe2\\x81\\xaa");
	expect_escape("\xd8\x9b", "\xd8\x9b");			/* U+061B */
}

static void escape_valid_utf8_kept(void **state)
{
	expect_escape("caf\xc3\xa9", "caf\xc3\xa9");		/* é */
	expect_escape("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	expect_escape("\xd0\xbf\xd1\x80\xd0\xbe\xd1\x86", "\xd0\xbf\xd1\x80\xd0\xbe\xd1\x86");
	expect_escape("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");	/* 4 bytes, U+1F600 */
	/* mixed: a good name with one bad byte keeps the good part */
	expect_escape("caf\xc3\xa9\xff\xe6\x97\xa5", "caf\xc3\xa9\\xff\xe6\x97\xa5");
}

static void expect_defuse(const char *in, const char *want);

/* Lookalikes and invisible characters: what a spoofed "sshd" hides behind. */
static void escape_lookalikes(void **state)
{
	/* Cyrillic dze among ASCII letters: a mixed-script spoof */
	expect_escape("\xd1\x95shd", "\\xd1\\x95shd");
	/* Greek omicron in "kworker" */
	expect_escape("kw\xce\xbfrker", "kw\\xce\\xbfrker");
	/* a name wholly in Cyrillic or Greek is a name, not a spoof */
	expect_escape("\xd0\xbf\xd1\x80\xd0\xbe\xd1\x86 1", "\xd0\xbf\xd1\x80\xd0\xbe\xd1\x86 1");
	expect_escape("\xce\xb1\xce\xb2", "\xce\xb1\xce\xb2");
	/* fullwidth S and mathematical bold a: always */
	expect_escape("\xef\xbc\xb3shd", "\\xef\\xbc\\xb3shd");
	expect_escape("\xf0\x9d\x90\x9a", "\\xf0\\x9d\\x90\\x9a");
	/* invisible: zero-width space, zero-width joiner, BOM, soft hyphen */
	expect_escape("ss\xe2\x80\x8bhd", "ss\\xe2\\x80\\x8bhd");
	expect_escape("a\xe2\x80\x8d" "b", "a\\xe2\\x80\\x8d" "b");
	expect_escape("\xef\xbb\xbfsshd", "\\xef\\xbb\\xbfsshd");
	expect_escape("ss\xc2\xadhd", "ss\\xc2\\xadhd");
	/* Latin with accents is Latin: kept */
	expect_escape("caf\xc3\xa9 na\xc3\xafve", "caf\xc3\xa9 na\xc3\xafve");
	/* in tables the same characters become U+FFFD */
	expect_defuse("\xd1\x95shd", "\xef\xbf\xbdshd");
	expect_defuse("ss\xe2\x80\x8bhd", "ss\xef\xbf\xbdhd");
	expect_defuse("\xd0\xbf\xd1\x80\xd0\xbe", "\xd0\xbf\xd1\x80\xd0\xbe");
}

static void escape_mem(void **state)
{
	char *s;
	char big[4096];
	size_t i;

	/* NULs in the middle are bytes like any other */
	s = ol_escape_mem("a\0b", 3);
	assert_string_equal(s, "a\\x00b");
	free(s);
	s = ol_escape_mem("", 0);
	assert_string_equal(s, "");
	free(s);
	/* only @len bytes: a multibyte sequence cut by @len is invalid */
	s = ol_escape_mem("\xc3\xa9", 1);
	assert_string_equal(s, "\\xc3");
	free(s);
	/* worst case growth: every byte becomes 4 */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(0x80 | (i & 0x3f));
	s = ol_escape_mem(big, sizeof(big));
	assert_non_null(s);
	assert_int_equal(strlen(s), 4 * sizeof(big));
	assert_memory_equal(s, "\\x80\\x81", 8);
	free(s);
}

/* ---- ol_defuse_bidi ---- */

static void expect_defuse(const char *in, const char *want)
{
	char *s = ol_defuse_bidi(in);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

#define FFFD "\xef\xbf\xbd"

static void defuse_bidi(void **state)
{
	char *in, *s;
	size_t i, n = 1000;

	expect_defuse("", "");
	expect_defuse("plain", "plain");
	/* overrides, isolates, marks: U+FFFD */
	expect_defuse("evil\xe2\x80\xaetxt.exe", "evil" FFFD "txt.exe");
	expect_defuse("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", FFFD FFFD FFFD FFFD);
	expect_defuse("\xe2\x81\xa6x\xe2\x81\xa7y\xe2\x81\xa8z\xe2\x81\xa9", FFFD "x" FFFD "y" FFFD "z" FFFD);
	expect_defuse("\xe2\x80\x8e\xe2\x80\x8f", FFFD FFFD);
	/* U+061C is 2 bytes and becomes 3 */
	expect_defuse("\xd8\x9c", FFFD);
	expect_defuse("a\xd8\x9c" "b", "a" FFFD "b");
	/* what libsmartcols escapes itself is left alone: controls, C1, bad bytes, '\' */
	expect_defuse("ev\x1b[31mil\t\\", "ev\x1b[31mil\t\\");
	expect_defuse("\xc2\x9b", "\xc2\x9b");
	expect_defuse("\xff\xc3(", "\xff\xc3(");
	expect_defuse("\xe2\x80", "\xe2\x80");		/* a bidi control cut short */
	/* valid text stays */
	expect_defuse("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
		      "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");

	/* growth: a name made only of U+061C grows by half; ASan checks the buffer */
	in = malloc(2 * n + 1);
	assert_non_null(in);
	for (i = 0; i < n; i++)
		memcpy(in + 2 * i, "\xd8\x9c", 2);
	in[2 * n] = '\0';
	s = ol_defuse_bidi(in);
	assert_non_null(s);
	assert_int_equal(strlen(s), 3 * n);
	for (i = 0; i < n; i++)
		assert_memory_equal(s + 3 * i, FFFD, 3);
	free(s);
	/* odd lengths: one ASCII byte then U+061C */
	in[0] = 'x';
	in[1] = '\0';
	s = ol_defuse_bidi(in);
	assert_string_equal(s, "x");
	free(s);
	memcpy(in, "x\xd8\x9c", 4);
	s = ol_defuse_bidi(in);
	assert_string_equal(s, "x" FFFD);
	free(s);
	free(in);
}

/* ---- ol_utf8_sanitize ---- */

static void expect_sanitize(const char *in, const char *want)
{
	char *s = ol_utf8_sanitize(in);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void utf8_sanitize(void **state)
{
	char in[301], *s;

	expect_sanitize("", "");
	expect_sanitize("plain", "plain");
	/* valid UTF-8 stays, controls and bidi included: json-c escapes controls */
	expect_sanitize("caf\xc3\xa9\t\x1b\xe2\x80\xae", "caf\xc3\xa9\t\x1b\xe2\x80\xae");
	expect_sanitize("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
	/* each bad byte becomes one U+FFFD */
	expect_sanitize("\xff", FFFD);
	expect_sanitize("a\xc3", "a" FFFD);
	expect_sanitize("\xc3(", FFFD "(");
	expect_sanitize("\xc0\xaf", FFFD FFFD);			/* overlong */
	expect_sanitize("\xed\xa0\x80", FFFD FFFD FFFD);		/* surrogate */
	expect_sanitize("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);	/* > U+10FFFF */
	/* worst case: every byte grows to 3 */
	memset(in, 0xff, 300);
	in[300] = '\0';
	s = ol_utf8_sanitize(in);
	assert_non_null(s);
	assert_int_equal(strlen(s), 900);
	free(s);
}

/* ---- ol_size_human ---- */

static void expect_size(unsigned long long bytes, const char *want)
{
	char buf[32];

	memset(buf, 'x', sizeof(buf));
	ol_size_human(bytes, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("ol_size_human(%llu) = \"%s\", want \"%s\"", bytes, buf, want);
}

static void size_human(void **state)
{
	char small[3];

	expect_size(0, "0B");
	expect_size(1, "1B");
	expect_size(1023, "1023B");
	expect_size(1024, "1K");
	expect_size(1536, "1.5K");
	expect_size(2048, "2K");		/* "2.0K" reads as "2K" */
	expect_size(10240, "10K");
	expect_size(1048576, "1M");
	expect_size(1572864, "1.5M");
	expect_size(10ULL << 30, "10G");
	expect_size(3ULL << 40, "3T");
	expect_size(1ULL << 50, "1P");
	expect_size(1ULL << 60, "1E");
	expect_size(ULLONG_MAX, "16E");
	/* just under a unit: 1023.9K still shows as K ... */
	expect_size(1048514, "1023.9K");	/* 1048514 / 1024 = 1023.94 */
	/*
	 * ... but from 1023.95 the one decimal would round to "1024.0K": oomlens
	 * moves up a unit instead (util-linux would print "1024K")
	 */
	expect_size(1048575, "1M");		/* 1 MiB - 1 */
	expect_size((1ULL << 30) - 1, "1G");
	expect_size((1ULL << 40) - 1, "1T");
	/* a buffer too small is cut, never overrun */
	ol_size_human(1536, small, sizeof(small));
	assert_int_equal(strlen(small), 2);
}

/* ---- ol_parse_size ---- */

static void parse_size(void **state)
{
	static const struct {
		const char *s;
		unsigned long long v;
	} ok[] = {
		{ "0", 0 },
		{ "1", 1 },
		{ "4096", 4096 },
		{ "1B", 1 },
		{ "512b", 512 },
		{ "1K", 1024 },
		{ "1k", 1024 },
		{ "1KiB", 1024 },
		{ "1KB", 1024 },
		{ "2M", 2ULL << 20 },
		{ "2MiB", 2ULL << 20 },
		{ "2MB", 2ULL << 20 },
		{ "1G", 1ULL << 30 },
		{ "10G", 10ULL << 30 },
		{ "1T", 1ULL << 40 },
		{ "1.5G", 1610612736ULL },		/* 1 * 2^30 + 5 * 2^30 / 10 */
		{ "0.5K", 512 },
		{ "1.25M", 1310720 },
		{ "1.9999999999999G", 2147483646ULL },	/* 9 decimals kept: 2^30 + 999999999 * 2^30 / 10^9 */
		{ "18446744073709551615", ULLONG_MAX },
		{ "16777215T", 18446742974197923840ULL },	/* the largest whole T */
		{ "16777215.99T", 18446744062714435338ULL },	/* + 99 * 2^40 / 100 */
		/*
		 * 999999999 * 2^40 overflows 64 bits before the division by 10^9;
		 * the right answer is floor(0.999999999 * 2^40).
		 * LIB BUG (see report): lib/strutil.c ol_parse_size, frac * mult.
		 */
		{ "0.999999999T", 1099511626676ULL },
		{ "1.123456789P", 1264899894076813ULL },
	};
	static const char *const bad[] = {
		"", "K", "B", "-1", "+1", " 1", "1 ", "1 K", "1.", ".5", "1..5",
		"1.5.5G", "1X", "1KX", "1KiBB", "1iB", "0x10", "1e3", "\xff",
	};
	unsigned long long v;
	size_t i;

	for (i = 0; i < N(ok); i++) {
		v = 12345;
		if (ol_parse_size(ok[i].s, &v) != 0)
			fail_msg("'%s' rejected", ok[i].s);
		if (v != ok[i].v)
			fail_msg("'%s' = %llu, want %llu", ok[i].s, v, ok[i].v);
	}
	for (i = 0; i < N(bad); i++)
		if (ol_parse_size(bad[i], &v) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(ol_parse_size("18446744073709551616", &v), -ERANGE);
	assert_int_equal(ol_parse_size("99999999999999999999999", &v), -ERANGE);
	assert_int_equal(ol_parse_size("16777216T", &v), -ERANGE);	/* 2^24 * 2^40 = 2^64 */
	assert_int_equal(ol_parse_size("17179869184G", &v), -ERANGE);	/* 2^34 * 2^30 */
	assert_int_equal(ol_parse_size("16384P", &v), -ERANGE);	/* 2^14 * 2^50 */
}

/* ---- ol_strtol / ol_strtoul ---- */

static void strtol_strict(void **state)
{
	static const char *const bad[] = {
		"", " 5", "\t5", "\n5", "5 ", "5\n", "5x", "x5", "0x10", "1e3", "-", "--5", "5-", "1.0",
	};
	long v;
	size_t i;

	assert_int_equal(ol_strtol("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ol_strtol("-1000", &v), 0);
	assert_int_equal(v, -1000);
	assert_int_equal(ol_strtol("123", &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(ol_strtol("007", &v), 0);	/* decimal, not octal */
	assert_int_equal(v, 7);
	assert_int_equal(ol_strtol("9223372036854775807", &v), 0);
	assert_true(v == LONG_MAX);
	assert_int_equal(ol_strtol("-9223372036854775808", &v), 0);
	assert_true(v == LONG_MIN);
	assert_int_equal(ol_strtol("9223372036854775808", &v), -ERANGE);
	assert_int_equal(ol_strtol("-9223372036854775809", &v), -ERANGE);
	for (i = 0; i < N(bad); i++)
		if (ol_strtol(bad[i], &v) != -EINVAL)
			fail_msg("ol_strtol('%s') accepted", bad[i]);
	assert_int_equal(ol_strtol(NULL, &v), -EINVAL);
}

static void strtoul_strict(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1\n", "1x", "0x1", "-0", "1.5",
	};
	unsigned long v;
	size_t i;

	assert_int_equal(ol_strtoul("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ol_strtoul("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(ol_strtoul("010", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(ol_strtoul("18446744073709551615", &v), 0);
	assert_true(v == ULONG_MAX);
	assert_int_equal(ol_strtoul("18446744073709551616", &v), -ERANGE);
	/* strtoul(3) would take "-1" as ULONG_MAX: a strict parser must not */
	for (i = 0; i < N(bad); i++)
		if (ol_strtoul(bad[i], &v) != -EINVAL)
			fail_msg("ol_strtoul('%s') accepted", bad[i]);
	assert_int_equal(ol_strtoul(NULL, &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_ascii),
		cmocka_unit_test(escape_invalid_utf8),
		cmocka_unit_test(escape_c1_and_bidi),
		cmocka_unit_test(escape_valid_utf8_kept),
		cmocka_unit_test(escape_lookalikes),
		cmocka_unit_test(escape_mem),
		cmocka_unit_test(defuse_bidi),
		cmocka_unit_test(utf8_sanitize),
		cmocka_unit_test(size_human),
		cmocka_unit_test(parse_size),
		cmocka_unit_test(strtol_strict),
		cmocka_unit_test(strtoul_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
