// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer: the snapshot reader, and diff of what it loads against itself. */
#include <stdint.h>
#include <stdlib.h>

#include "oomlens/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ol_snapshot s;
	struct ol_diff d;
	char err[256];

	if (ol_snapshot_from_json((const char *)data, size, &s, err, sizeof(err)) == 0) {
		char *again = ol_snapshot_to_json(&s, NULL);

		if (ol_snapshot_diff(&s, &s, 1, 10, &d) == 0)
			ol_diff_free(&d);
		free(again);
		ol_snapshot_free(&s);
	}
	return 0;
}
