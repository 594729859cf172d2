// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "oomlens/badness.h"

enum ol_era ol_era_from_release(const char *release)
{
	unsigned int maj = 0, min = 0, sub = 0;
	int n;

	if (!release)
		return OL_ERA_UNKNOWN;
	n = sscanf(release, "%u.%u.%u", &maj, &min, &sub);
	if (n < 2)
		return OL_ERA_UNKNOWN;
	if (maj < 2 || (maj == 2 && min < 6))
		return OL_ERA_A;
	if (maj == 2)
		return (min == 6 && sub < 36) ? OL_ERA_A : OL_ERA_B;
	if (maj == 3)
		return min <= 4 ? OL_ERA_B : min <= 13 ? OL_ERA_C : OL_ERA_D;
	if (maj == 4)
		return min <= 16 ? OL_ERA_D : OL_ERA_E;
	if (maj == 5)
		return min <= 8 ? OL_ERA_E : OL_ERA_F;
	return OL_ERA_F;
}

const char *ol_era_range(enum ol_era era)
{
	switch (era) {
	case OL_ERA_A:	return "before 2.6.36";
	case OL_ERA_B:	return "2.6.36-3.4";
	case OL_ERA_C:	return "3.5-3.13";
	case OL_ERA_D:	return "3.14-4.16";
	case OL_ERA_E:	return "4.17-5.8";
	case OL_ERA_F:	return "5.9+";
	default:	return "unknown";
	}
}

int ol_badness(enum ol_era era, const struct ol_badness_in *in,
	       struct ol_badness *out)
{
	unsigned long totalpages = in->totalpages;
	long points;

	memset(out, 0, sizeof(*out));
	out->era = era;
	if (era < OL_ERA_B || era > OL_ERA_F)
		return -EINVAL;
	/*
	 * Values no kernel can hold (a hostile or corrupt log): refused, so
	 * that the arithmetic below stays inside a long.
	 */
	if (in->rss > OL_PAGES_MAX || in->swap > OL_PAGES_MAX || in->pgtables > OL_PAGES_MAX ||
	    in->rss + in->swap + in->pgtables > OL_PAGES_MAX ||
	    totalpages > OL_TOTALPAGES_MAX || in->adj < OL_OOM_SCORE_ADJ_MIN || in->adj > OL_OOM_SCORE_ADJ_MAX)
		return -ERANGE;

	out->usage = (long)(in->rss + in->swap + in->pgtables);
	out->adj_eff = in->adj;
	if (in->adj == OL_OOM_SCORE_ADJ_MIN) {
		/* "never": B..E return 0, F returns LONG_MIN */
		out->killable = 0;
		out->points = era == OL_ERA_F ? LONG_MIN : 0;
		out->raw = out->points;
		return 0;
	}
	out->killable = 1;

	if (era == OL_ERA_B) {
		/* memcg limits may be 0: the kernel avoids dividing by zero */
		if (!totalpages)
			totalpages = 1;
		points = out->usage * 1000 / (long)totalpages;
		out->usage_scaled = points;
		if (in->cap_sys_admin) {
			out->root_bonus = 30;
			points -= 30;
		}
		out->adj_pages = in->adj;
		points += in->adj;
		out->raw = points;
		if (points <= 0) {
			points = 1;
			out->clamped_low = 1;
		} else if (points > 1000) {
			points = 1000;
			out->clamped_high = 1;
		}
		out->points = points;
		return 0;
	}

	points = out->usage;
	if (era == OL_ERA_C && in->cap_sys_admin) {
		out->root_bonus = 30;
		out->adj_eff -= 30;
	} else if (era == OL_ERA_D && in->cap_sys_admin) {
		out->root_bonus = points * 3 / 100;
		points -= out->root_bonus;
	}
	/* totalpages / 1000 first, integer division, then the multiply */
	out->adj_unit = (long)(totalpages / 1000);
	out->adj_pages = out->adj_eff * out->adj_unit;
	points += out->adj_pages;
	out->raw = points;
	if (era != OL_ERA_F && points <= 0) {
		points = 1;
		out->clamped_low = 1;
	}
	out->points = points;
	return 0;
}

unsigned long ol_oom_score(enum ol_era era, long points, int killable,
			   unsigned long totalpages)
{
	if (!totalpages)
		return 0;
	switch (era) {
	case OL_ERA_B:
		return killable ? (unsigned long)points : 0;
	case OL_ERA_C:
	case OL_ERA_D:
	case OL_ERA_E:
		/* unsigned long arithmetic, as proc_oom_score() did */
		return killable ? (unsigned long)points * 1000 / totalpages : 0;
	case OL_ERA_F:
		if (!killable || points == LONG_MIN)
			return 0;
		return (unsigned long)((1000 + points * 1000 / (long)totalpages) * 2 / 3);
	default:
		return 0;
	}
}

int ol_oom_adj_read(int score_adj, int capped)
{
	int oom_adj;

	/*
	 * fs/proc/base.c oom_adj_read() on 3.7+: 1000 reads 15; the clamp of
	 * the rest to 15 came in 5.14 (before it, 942..999 read 16).
	 */
	if (score_adj == OL_OOM_SCORE_ADJ_MAX)
		return OL_OOM_ADJUST_MAX;
	oom_adj = score_adj * -OL_OOM_DISABLE / OL_OOM_SCORE_ADJ_MAX;
	return capped && oom_adj > OL_OOM_ADJUST_MAX ? OL_OOM_ADJUST_MAX : oom_adj;
}

int ol_oom_adj_from_score_adj(int score_adj)
{
	return ol_oom_adj_read(score_adj, 1);
}

int ol_score_adj_from_oom_adj(int oom_adj)
{
	/* fs/proc/base.c oom_adj_write() */
	if (oom_adj == OL_OOM_ADJUST_MAX)
		return OL_OOM_SCORE_ADJ_MAX;
	return oom_adj * OL_OOM_SCORE_ADJ_MAX / -OL_OOM_DISABLE;
}
