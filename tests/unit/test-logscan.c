// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ol_log_anchor() (lib/logscan.c), the fast path of `oomlens log`: the start
 * of the first line that holds an anchor, and the number of lines before it.
 * Checked against a line-by-line reference (memmem of every anchor in every
 * line) on planted anchors at every alignment, on text full of the keys'
 * near misses, and on random text long enough to wrap the vector loop's byte
 * counters.  Buffers are allocated to their exact size, so ASan (make check
 * SANITIZE=1) sees any read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oomlens/oomlog.h"
#include "logscan-ref.h"


/* Copy @text into a buffer of exactly its size and compare with the reference. */
static void check(const char *text, size_t len, const char *what)
{
	char *b = malloc(len ? len : 1);
	const char *got, *want;
	unsigned long gl = 0, wl = 0;

	assert_non_null(b);
	memcpy(b, text, len);
	got = ol_log_anchor(b, b + len, &gl);
	want = reference(b, b + len, &wl);
	if (got != want || gl != wl)
		fail_msg("%s (%zu bytes): got offset %td, %lu lines; want offset %td, %lu lines", what,
			 len, got ? got - b : -1, gl, want ? want - b : -1, wl);
	free(b);
}

/*
 * Every anchor of the parser's table of messages (ol_log_anchor_text()) is
 * found by the fast path, at every alignment: the table and the scan's keys
 * cannot drift apart.  The reference finds each too, so the check below
 * would pass on a scan that missed one; the first check does not.
 */
static void each_anchor_at_every_alignment(void **state)
{
	char buf[512];
	const char *a;
	size_t count = 0;

	(void)state;
	for (size_t i = 0; (a = ol_log_anchor_text(i)); i++) {
		unsigned long lines;
		int n = snprintf(buf, sizeof(buf), "[ 1.0] a\n[ 2.0] bb\n[ 3.0] x%sy\n", a);
		const char *got = ol_log_anchor(buf, buf + n, &lines);

		if (got != buf + 19 || lines != 2)
			fail_msg("anchor \"%s\" of the table is not found by the fast path", a);
		count++;
	}
	assert_true(count >= 10);
	for (size_t i = 0; (a = ol_log_anchor_text(i)); i++) {
		for (int pre = 0; pre < 80; pre++) {
			/* a few lines of noise, then the anchor @pre bytes into its line */
			int n = snprintf(buf, sizeof(buf), "[ 1.0] a\n[ 2.0] bb\n%.*s%s (x)\n[ 3.0] after\n", pre,
					 "[ 12.345678] some kernel text with room for everything at all", a);

			check(buf, (size_t)n, a);
			/* the anchor is the last thing in the buffer, no newline after it */
			n = snprintf(buf, sizeof(buf), "x\n%.*s%s", pre,
				     "[ 12.345678] some kernel text with room for everything at all......", a);
			check(buf, (size_t)n, a);
			/* cut one byte short: not an anchor */
			check(buf, (size_t)n - 1, a);
		}
	}
}

static void near_misses_are_skipped(void **state)
{
	/* every key of the scan without its anchor, at every alignment */
	static const char misses[] =
		"[  1.000] room for zoom, all is well: oom killer\n"
		"[  2.000] Table of TaTa, __vmalloc+0x1f/0x30, oh no, ohm\n"
		"[  3.000] killed proces, kill  process, Kill-process, no-killable\n"
		"[  4.000] tgid  total_vm, Tasks  state, earlyoom]: oomd(: nohan g\n"
		"[  5.000] invoked oo m, panic_on_oo, oom_reape, oom-kill constraint\n";
	char buf[sizeof(misses) + 64];
	size_t len = sizeof(misses) - 1;

	(void)state;
	for (int pre = 0; pre < 64; pre++) {
		memset(buf, 'x', (size_t)pre);
		buf[pre] = '\n';
		memcpy(buf + pre + 1, misses, len);
		check(buf, (size_t)pre + 1 + len, "near misses");
	}
	check("", 0, "empty");
	check("\n\n\n", 3, "newlines only");
}

static size_t nanchors(void)
{
	size_t n = 0;

	while (ol_log_anchor_text(n))
		n++;
	return n;
}

/* A little xorshift, so that the text is the same on every run. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void random_text_against_reference(void **state)
{
	/* letters of the keys, so that near misses are everywhere */
	static const char alphabet[] = "oolhaTv_ \n[]kiedpr";
	size_t cap = 300000;
	char *b = malloc(cap);

	(void)state;
	assert_non_null(b);
	for (int round = 0; round < 200; round++) {
		size_t len = (size_t)(rnd() % cap);

		for (size_t k = 0; k < len; k++)
			b[k] = alphabet[rnd() % (sizeof(alphabet) - 1)];
		/* most rounds plant one anchor somewhere, often far in */
		if (round % 4 && len > 40) {
			const char *a = ol_log_anchor_text((size_t)(rnd() % nanchors()));
			size_t at = (size_t)(rnd() % (len - strlen(a)));

			memcpy(b + at, a, strlen(a));
		}
		check(b, len, "random text");
	}
	/* long runs without an anchor: the per-byte newline counters wrap */
	memset(b, '\n', cap);
	check(b, cap, "300000 newlines");
	for (size_t k = 0; k < cap; k++)
		b[k] = (k % 7) ? 'o' : '\n';
	check(b, cap, "oooooo lines");
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_anchor_at_every_alignment),
		cmocka_unit_test(near_misses_are_skipped),
		cmocka_unit_test(random_text_against_reference),
	};

	return cmocka_run_group_tests_name("logscan", tests, NULL, NULL);
}
