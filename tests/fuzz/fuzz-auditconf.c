// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer: the audit configuration parser and its dump. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ol_audit_conf c;
	char err[256], *text = malloc(size + 1), *dump;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ol_audit_conf_defaults(&c);
	ol_audit_conf_parse(&c, text, err, sizeof(err));
	dump = ol_audit_conf_dump(&c);
	free(dump);
	ol_audit_conf_free(&c);
	free(text);
	return 0;
}
