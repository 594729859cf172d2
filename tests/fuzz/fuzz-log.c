// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: the kernel-log parser and re-ranking, fed as `oomlens log` feeds
 * them: line by line while an event is open, otherwise skipping to the next
 * anchor line with ol_log_anchor(), whose answer is checked against a
 * line-by-line reference (a mismatch aborts).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/oomlog.h"
#include "../unit/logscan-ref.h"

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
		const char *nl;
		size_t n;

		if (!ol_logparser_busy(p)) {
			unsigned long lines, want_lines;
			const char *a = ol_log_anchor(s, end, &lines);

			if (a != reference(s, end, &want_lines) || lines != want_lines)
				abort();
			ol_logparser_skip(p, lines);
			if (!a)
				break;
			s = a;
		}
		nl = memchr(s, '\n', (size_t)(end - s));
		n = (size_t)((nl ? nl : end) - s);
		ol_logparser_line(p, s, n);
		s += n + 1;
	}
	ol_logparser_flush(p, 0);
	ol_logparser_free(p);
	return 0;
}
