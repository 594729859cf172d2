/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reference ol_log_anchor() is checked against, by tests/unit/test-logscan.c
 * and tests/fuzz/fuzz-log.c: line by line, every anchor searched in every
 * line with memmem(3).  The anchors are the parser's (ol_log_anchor_text());
 * what is checked is lib/logscan.c's keys, offsets and vector scan.
 */
#ifndef OOMLENS_LOGSCAN_REF_H
#define OOMLENS_LOGSCAN_REF_H

#include <string.h>

#include "oomlens/oomlog.h"

static const char *reference(const char *from, const char *end, unsigned long *lines)
{
	const char *s = from;

	*lines = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = (size_t)((nl ? nl : end) - s);
		const char *a;

		for (size_t i = 0; (a = ol_log_anchor_text(i)); i++)
			if (memmem(s, len, a, strlen(a)))
				return s;
		if (!nl)
			break;
		++*lines;
		s = nl + 1;
	}
	return NULL;
}

#endif
