// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: the snapshot reader, and diff of what it loads against itself.
 * The same bytes read in pieces of 1..7 bytes (ol_snapshot_read(), as diff
 * reads a file) must give the same result and the same reason as read at
 * once: the lexer keeps its state across pieces.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct pieces {
	const uint8_t *p;
	size_t left, k;
};

static long read_pieces(void *arg, char *buf, size_t n)
{
	struct pieces *r = arg;
	size_t k = r->k++ % 7 + 1;

	if (k > n)
		k = n;
	if (k > r->left)
		k = r->left;
	memcpy(buf, r->p, k);
	r->p += k;
	r->left -= k;
	return (long)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ol_snapshot s, s2;
	struct pieces pc = { data, size, 0 };
	struct ol_diff d;
	char err[256], err2[256];
	int rc, rc2;

	rc = ol_snapshot_from_json((const char *)data, size, &s, err, sizeof(err));
	rc2 = ol_snapshot_read(read_pieces, &pc, &s2, err2, sizeof(err2));
	if (rc != rc2 || (rc == 0 && s.n != s2.n) || (rc < 0 && strcmp(err, err2) != 0)) {
		fprintf(stderr, "at once: %d %s; in pieces: %d %s\n", rc, rc ? err : "", rc2, rc2 ? err2 : "");
		abort();
	}
	if (rc2 == 0)
		ol_snapshot_free(&s2);
	if (rc == 0) {
		char *again = ol_snapshot_to_json(&s, NULL);

		if (ol_snapshot_diff(&s, &s, 1, 10, &d) == 0)
			ol_diff_free(&d);
		free(again);
		ol_snapshot_free(&s);
	}
	return 0;
}
