// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fast path of `oomlens log` over large files: find the next line that
 * can matter to an OOM event, and count the lines skipped on the way.
 *
 * Every line that can begin an event, or that an event with its victim still
 * waits for, holds one of the anchors: the texts of the parser's own table of
 * messages (ol_log_anchor_text(), oomlog.c), so adding a message is one edit.
 * Rather than search the text once per anchor, one pass looks for a handful
 * of two-byte keys, each rare in kernel text, that between them cover every
 * anchor; a key's hit is checked against the anchors that hold it.  The same pass
 * counts newlines, so skipped text is read once.  The pass works on 16 or 32
 * bytes at a time with GCC vector extensions (SSE2 on any x86-64; an AVX2
 * clone where the CPU has it), with a byte-at-a-time loop for the tail.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "oomlens/oomlog.h"

struct anchor {
	const char *s;
	unsigned char len;
	unsigned char at;	/* where its first key begins in it */
};

/*
 * Keys, as (first byte, second byte).  In the kernel text of the log
 * benchmark, "oo" is 2e-5 of all byte pairs, "ll" 1e-3, "Ta" 3e-4 and the
 * others rarer still: about one hit in 700 bytes to check.  scan_vectors()
 * spells them out again.
 */
static const char keys[][2] = { "oo", "ll", "Ta", "_v", "oh" };

#define MAX_ANCHORS 32
static struct anchor anchors[MAX_ANCHORS];
static size_t nanchors;
static pthread_once_t anchors_once = PTHREAD_ONCE_INIT;

static int is_key(const char *p)
{
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (p[0] == keys[k][0] && p[1] == keys[k][1])
			return 1;
	return 0;
}

/*
 * The parser's anchors, each with where its first key is.  One with no key
 * (or past MAX_ANCHORS) could never be found: test-logscan finds each one.
 */
static void load_anchors(void)
{
	const char *t;

	for (size_t i = 0; (t = ol_log_anchor_text(i)) && nanchors < MAX_ANCHORS; i++) {
		size_t len = strlen(t), at = 0;

		while (at + 1 < len && !is_key(t + at))
			at++;
		if (at + 1 < len && len <= 255)
			anchors[nanchors++] = (struct anchor){ t, (unsigned char)len, (unsigned char)at };
	}
}

/* Does an anchor start at @p - at for some anchor whose key is at @p? */
static int anchor_at(const char *p, const char *from, const char *end)
{
	for (size_t i = 0; i < nanchors; i++) {
		const struct anchor *a = &anchors[i];

		if (p[0] != a->s[a->at] || p[1] != a->s[a->at + 1])
			continue;
		if ((size_t)(p - from) < a->at || (size_t)(end - (p - a->at)) < a->len)
			continue;
		if (memcmp(p - a->at, a->s, a->len) == 0)
			return 1;
	}
	return 0;
}

/* The start of the line that holds @hit. */
static const char *line_of(const char *from, const char *hit)
{
	const char *nl = memrchr(from, '\n', (size_t)(hit - from));

	return nl ? nl + 1 : from;
}

/* Byte at a time over [s, end): the tail, and the body where vectors are off. */
static const char *scan_bytes(const char *from, const char *s, const char *end,
			      unsigned long *lines)
{
	unsigned long n = 0;

	for (; s < end; s++) {
		if (*s == '\n')
			n++;
		else if (end - s >= 2 && is_key(s) && anchor_at(s, from, end)) {
			*lines += n;
			return s;
		}
	}
	*lines += n;
	return NULL;
}

#if defined(__GNUC__) && !defined(OOMLENS_NO_VECTORS)
#define VECTORS 1
#endif

#ifdef VECTORS
#define VS 32
typedef unsigned char vu8 __attribute__((vector_size(VS)));

#define LOAD(v, p)	memcpy(&(v), (p), VS)
#define SPLAT(c)	((vu8){ 0 } + (unsigned char)(c))

#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones) && !defined(OOMLENS_NO_CLONES)
#define CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef CLONES
#define CLONES
#endif

/*
 * [s, end) VS bytes at a time while VS + 1 bytes remain (a key's second
 * byte may be the next block's first).  Returns the first key hit that is an
 * anchor, or NULL with *s at where the tail begins; *lines counts the
 * newlines before either.
 */
CLONES
static const char *scan_vectors(const char *from, const char **sp, const char *end,
				unsigned long *lines)
{
	const char *s = *sp;
	unsigned long n = 0;

	while ((size_t)(end - s) > VS) {
		vu8 count = { 0 };
		int i;

		/* at most 255 blocks before the byte counters are summed */
		for (i = 0; i < 255 && (size_t)(end - s) > VS; i++, s += VS) {
			vu8 a, b, hit;
			uint64_t w[VS / 8], any = 0;

			LOAD(a, s);
			LOAD(b, s + 1);
			hit = (vu8)((a == SPLAT('o')) & ((b == SPLAT('o')) | (b == SPLAT('h'))));
			hit |= (vu8)((a == SPLAT('l')) & (b == SPLAT('l')));
			hit |= (vu8)((a == SPLAT('T')) & (b == SPLAT('a')));
			hit |= (vu8)((a == SPLAT('_')) & (b == SPLAT('v')));
			memcpy(w, &hit, VS);
			for (size_t k = 0; k < VS / 8; k++)
				any |= w[k];
			if (__builtin_expect(any != 0, 0)) {
				for (int j = 0; j < VS; j++) {
					if (hit[j] && anchor_at(s + j, from, end)) {
						unsigned long c = 0;

						for (int k = 0; k < VS; k++)
							c += count[k];
						for (int k = 0; k < j; k++)
							c += s[k] == '\n';
						*lines += n + c;
						return s + j;
					}
				}
			}
			count -= (vu8)(a == SPLAT('\n'));
		}
		for (int k = 0; k < VS; k++)
			n += count[k];
	}
	*lines += n;
	*sp = s;
	return NULL;
}
#endif

const char *ol_log_anchor(const char *from, const char *end, unsigned long *lines)
{
	const char *s = from, *hit;

	*lines = 0;
	pthread_once(&anchors_once, load_anchors);
#ifdef VECTORS
	hit = scan_vectors(from, &s, end, lines);
	if (!hit)
		hit = scan_bytes(from, s, end, lines);
#else
	hit = scan_bytes(from, s, end, lines);
#endif
	return hit ? line_of(from, hit) : NULL;
}
