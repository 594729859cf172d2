/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reference ol_log_anchor() is checked against, by tests/unit/test-logscan.c
 * and tests/fuzz/fuzz-log.c: line by line, every anchor searched in every
 * line with memmem(3).  The anchor list is written out here on purpose, apart
 * from lib/logscan.c's table of keys and offsets that it checks.
 */
#ifndef OOMLENS_LOGSCAN_REF_H
#define OOMLENS_LOGSCAN_REF_H

#include <string.h>

/* The lines the parser must see though no event is open (oomlog.c). */
static const char *const ref_anchors[] = {
	"invoked oom", "panic_on_oom", "oom-kill:constraint", "oom_reaper",
	"oom.group", "earlyoom[", "oomd[", "oomd kill: ", "illed process", "ill process",
	"no killable", "Tasks state", "tgid total_vm", "nohang",
};

static const char *reference(const char *from, const char *end, unsigned long *lines)
{
	const char *s = from;

	*lines = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = (size_t)((nl ? nl : end) - s);

		for (size_t i = 0; i < sizeof(ref_anchors) / sizeof(ref_anchors[0]); i++)
			if (memmem(s, len, ref_anchors[i], strlen(ref_anchors[i])))
				return s;
		if (!nl)
			break;
		++*lines;
		s = nl + 1;
	}
	return NULL;
}

#endif
