// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer: the /proc buffer parsers, the cgroup decoder, the escapers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/oomlens.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *s;
	struct ol_status st;
	struct ol_stat sst;
	struct ol_meminfo mi;
	struct ol_cg_decoded d;
	char mem[256], uni[256], label[512];
	unsigned long long bytes;
	long v;
	int lim;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	ol_parse_status(buf, &st);
	ol_parse_stat(buf, &sst);
	ol_parse_meminfo(buf, &mi);
	ol_parse_cgroup(buf, mem, sizeof(mem), uni, sizeof(uni));
	ol_parse_cgroup_named(buf, "systemd", mem, sizeof(mem));
	ol_parse_long(buf, &v);
	ol_parse_smaps_pagesize(buf);
	ol_parse_size(buf, &bytes);
	ol_parse_memcg_limit(buf, &bytes, &lim);
	ol_cgroup_decode(buf, &d);
	ol_cgroup_label(&d, label, sizeof(label));
	free(ol_cmdline_join((const char *)data, size));
	free(ol_escape_mem((const char *)data, size));
	if ((s = ol_escape(buf)))
		free(s);
	if ((s = ol_defuse_bidi(buf)))
		free(s);
	if ((s = ol_utf8_sanitize(buf)))
		free(s);
	free(buf);
	return 0;
}
