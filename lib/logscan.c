// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fast path of `oomlens log` over large files: find the next line that
 * can matter to an OOM event, and count the lines skipped on the way.
 *
 * Every line that can begin an event, or that an event with its victim still
 * waits for, holds one of the anchors below (see kernel_line() and
 * userspace_kill() in oomlog.c).  Rather than search the text once per
 * anchor, one pass looks for a handful of two-byte keys, each rare in kernel
 * text, that between them cover every anchor ("oo" alone covers seven); a
 * key's hit is checked against the anchors that hold it.  The same pass
 * counts newlines, so skipped text is read once.  The pass works on 16 or 32
 * bytes at a time with GCC vector extensions (SSE2 on any x86-64; an AVX2
 * clone where the CPU has it), with a byte-at-a-time loop for the tail.
 */
#include <stdint.h>
#include <string.h>

#include "oomlens/oomlog.h"

struct anchor {
	const char *s;
	unsigned char len;
	unsigned char at;	/* where its key begins in it */
};

#define ANCHOR(str, key_at) { str, sizeof(str) - 1, key_at }

/*
 * Keys, as (first byte, second byte).  In the kernel text of the log
 * benchmark, "oo" is 2e-5 of all byte pairs, "ll" 1e-3, "Ta" 3e-4 and the
 * others rarer still: about one hit in 700 bytes to check.
 */
static const char keys[][2] = { "oo", "ll", "Ta", "_v", "oh" };

static const struct anchor anchors[] = {
	ANCHOR("invoked oom", 8),		/* the head of an event */
	ANCHOR("panic_on_oom", 9),
	ANCHOR("oom-kill:constraint", 0),	/* the 5.x summary */
	ANCHOR("oom_reaper", 0),		/* after the kill */
	ANCHOR("oom.group", 0),			/* "Tasks in ... memory.oom.group" */
	ANCHOR("earlyoom[", 5),
	ANCHOR("oomd[", 0),			/* oomd, systemd-oomd */
	ANCHOR("oomd kill: ", 0),		/* oomd's record in the kernel log */
	ANCHOR("illed process", 1),		/* "Killed process" */
	ANCHOR("ill process", 1),		/* "Kill process", "kill process" */
	ANCHOR("no killable", 5),
	ANCHOR("Tasks state", 0),		/* a table whose head the log lacks */
	ANCHOR("tgid total_vm", 10),		/* ... or whose "Tasks state" it lacks */
	ANCHOR("nohang", 1),
};
#define NANCHORS (sizeof(anchors) / sizeof(anchors[0]))

/* Does an anchor start at @p - at for some anchor whose key is at @p? */
static int anchor_at(const char *p, const char *from, const char *end)
{
	for (size_t i = 0; i < NANCHORS; i++) {
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

static int is_key(const char *p)
{
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (p[0] == keys[k][0] && p[1] == keys[k][1])
			return 1;
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
#ifdef VECTORS
	hit = scan_vectors(from, &s, end, lines);
	if (!hit)
		hit = scan_bytes(from, s, end, lines);
#else
	hit = scan_bytes(from, s, end, lines);
#endif
	return hit ? line_of(from, hit) : NULL;
}
