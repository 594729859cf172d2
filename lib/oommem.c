// SPDX-License-Identifier: GPL-2.0-or-later
/* What an OOM event's memory dump says: Mem-Info's keys, zones, the gfp mask. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/oomlog.h"

static const char *const mi_keys[OL_MI_N] = {
	"active_anon", "inactive_anon", "isolated_anon",
	"active_file", "inactive_file", "isolated_file",
	"unevictable", "dirty", "writeback",
	"slab_reclaimable", "slab_unreclaimable", "mapped", "shmem",
	"pagetables", "bounce", "free", "free_pcp", "free_cma",
	"swap_cache",
};

const char *ol_meminfo_key(enum ol_mi i)
{
	return (unsigned int)i < OL_MI_N ? mi_keys[i] : "";
}

int ol_zone_is_under_min(const struct ol_zone *z)
{
	return z->have_watermarks && z->free_kb < z->min_kb;
}

long ol_zone_blocks_at(const struct ol_zone *z, int order)
{
	long n = 0;

	if (!z->norders)
		return -1;
	for (int k = order < 0 ? 0 : order; k < z->norders; k++)
		n += z->blocks[k];
	return n;
}

/*
 * include/linux/gfp.h before 4.4 (2.6.x .. 4.3, RHEL 7's 3.10): the bits,
 * and the composites a reader knows, largest first, as the kernel's own
 * show_gfp_flags() would group them.
 */
static const struct {
	unsigned long mask;
	const char *name;
} gfp_names[] = {
	{ 0x200da, "GFP_HIGHUSER_MOVABLE" }, { 0x200d2, "GFP_HIGHUSER" },
	{ 0x200d0, "GFP_USER" }, { 0x800d0, "GFP_TEMPORARY" }, { 0xd0, "GFP_KERNEL" },
	{ 0x50, "GFP_NOFS" }, { 0x20, "GFP_ATOMIC" }, { 0x10, "GFP_NOIO" },
	{ 0x01, "GFP_DMA" }, { 0x02, "__GFP_HIGHMEM" }, { 0x04, "GFP_DMA32" },
	{ 0x08, "__GFP_MOVABLE" }, { 0x40, "__GFP_IO" }, { 0x80, "__GFP_FS" },
	{ 0x100, "__GFP_COLD" }, { 0x200, "__GFP_NOWARN" }, { 0x400, "__GFP_REPEAT" },
	{ 0x800, "__GFP_NOFAIL" }, { 0x1000, "__GFP_NORETRY" }, { 0x2000, "__GFP_MEMALLOC" },
	{ 0x4000, "__GFP_COMP" }, { 0x8000, "__GFP_ZERO" }, { 0x10000, "__GFP_NOMEMALLOC" },
	{ 0x20000, "__GFP_HARDWALL" }, { 0x40000, "__GFP_THISNODE" },
	{ 0x80000, "__GFP_RECLAIMABLE" }, { 0x100000, "__GFP_KMEMCG" },
	{ 0x200000, "__GFP_NOTRACK" }, { 0x400000, "__GFP_NO_KSWAPD" },
	{ 0x800000, "__GFP_OTHER_NODE" }, { 0x1000000, "__GFP_WRITE" },
};

int ol_gfp_decode(const char *mask, char *out, size_t sz)
{
	unsigned long m;
	char *end;
	size_t len = 0;

	if (sz)
		out[0] = '\0';
	if (!mask || strncmp(mask, "0x", 2) != 0 || strchr(mask, '('))
		return 0;
	m = strtoul(mask, &end, 16);
	if (*end || m >> 25)	/* a bit that era did not have: a later layout */
		return 0;
	for (size_t i = 0; i < sizeof(gfp_names) / sizeof(gfp_names[0]) && m; i++) {
		if ((m & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		m &= ~gfp_names[i].mask;
		len += (size_t)snprintf(out + (len < sz ? len : sz), len < sz ? sz - len : 0, "%s%s",
					len ? "|" : "", gfp_names[i].name);
	}
	return len && len < sz;
}

int ol_oom_event_is_manual(const struct ol_oom_event *ev)
{
	return (ev->have_trigger & OL_TRIG_ORDER) && ev->order == -1;
}
