// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer: the kernel-log parser and re-ranking, fed line by line. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "oomlens/oomlog.h"

static void on_event(struct ol_oom_event *ev, void *data)
{
	(void)data;
	ol_oom_event_free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ol_logparser_opts o = { .on_event = on_event, .reference = 1764324000 };
	struct ol_logparser *p = ol_logparser_new(&o);
	const char *s = (const char *)data, *end = s + size;

	if (!p)
		return 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((nl ? nl : end) - s);

		ol_logparser_line(p, s, n);
		s += n + 1;
	}
	ol_logparser_flush(p, 0);
	ol_logparser_free(p);
	return 0;
}
