// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The terminal: colour, character set and width, and the few pictures
 * (proportional bar, histogram bar, sparkline) the commands draw with them.
 */
#include <errno.h>
#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "term.h"

static enum ol_color_mode color_mode = OL_COLOR_AUTO;
static int color_state = -1;	/* decided once */

int ol_term_set_color(const char *when)
{
	if (!when || strcmp(when, "auto") == 0)
		color_mode = OL_COLOR_AUTO;
	else if (strcmp(when, "always") == 0)
		color_mode = OL_COLOR_ALWAYS;
	else if (strcmp(when, "never") == 0)
		color_mode = OL_COLOR_NEVER;
	else
		return -EINVAL;
	color_state = -1;
	return 0;
}

static int auto_color(void)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	/* https://no-color.org: set and not empty */
	if (nc && *nc)
		return 0;
	if (!term || strcmp(term, "dumb") == 0)
		return 0;
	return isatty(STDOUT_FILENO);
}

int ol_term_color(void)
{
	if (color_state < 0)
		color_state = color_mode == OL_COLOR_ALWAYS ? 1 :
			      color_mode == OL_COLOR_NEVER ? 0 : auto_color();
	return color_state;
}

int ol_term_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && strcmp(cs, "UTF-8") == 0;
}

/* The width once per run: explain draws a bar for each of 10,000 processes */
int ol_term_width(void)
{
	static int width;
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	long n;

	if (width)
		return width;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		width = ws.ws_col;
	else if (c && (n = strtol(c, NULL, 10)) >= 20 && n <= 1000)
		width = (int)n;
	else
		width = 80;
	return width;
}

const char *ol_sgr(enum ol_hue h)
{
	static const char *const sgr[] = {
		[OL_HUE_NONE] = "", [OL_HUE_RED] = "\033[31m", [OL_HUE_GREEN] = "\033[32m",
		[OL_HUE_YELLOW] = "\033[33m", [OL_HUE_BLUE] = "\033[34m",
		[OL_HUE_MAGENTA] = "\033[35m", [OL_HUE_CYAN] = "\033[36m",
		[OL_HUE_GREY] = "\033[90m", [OL_HUE_BOLD] = "\033[1m",
	};

	return ol_term_color() ? sgr[h] : "";
}

const char *ol_sgr_reset(void)
{
	return ol_term_color() ? "\033[0m" : "";
}

void ol_bar_cells(const struct ol_seg *seg, size_t n, int width, int *cells)
{
	double total = 0, rem[16] = { 0 };
	int used = 0;
	size_t i;

	if (n > 16)
		n = 16;	/* the pictures have at most six parts */
	for (i = 0; i < n; i++) {
		cells[i] = 0;
		if (seg[i].value > 0)
			total += seg[i].value;
	}
	if (total <= 0 || width <= 0)
		return;
	for (i = 0; i < n; i++) {
		double exact = seg[i].value > 0 ? seg[i].value * width / total : 0;

		cells[i] = (int)floor(exact);
		rem[i] = exact - cells[i];
		used += cells[i];
	}
	/* a share too small for a cell still gets one, taken from the largest */
	for (i = 0; i < n; i++) {
		if (seg[i].value > 0 && cells[i] == 0 && used < width) {
			cells[i] = 1;
			rem[i] = -1;
			used++;
		} else if (seg[i].value > 0 && cells[i] == 0) {
			size_t big = 0, j;

			for (j = 1; j < n; j++)
				if (cells[j] > cells[big])
					big = j;
			if (cells[big] > 1) {
				cells[big]--;
				cells[i] = 1;
				rem[i] = -1;
			}
		}
	}
	while (used < width) {
		size_t best = 0;

		for (i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		if (rem[best] < 0)
			break;
		cells[best]++;
		rem[best] = -1;
		used++;
	}
	while (used > width) {
		size_t big = 0;

		for (i = 1; i < n; i++)
			if (cells[i] > cells[big])
				big = i;
		cells[big]--;
		used--;
	}
}

static void put_cells(FILE *f, const struct ol_seg *s, int k)
{
	int utf8 = ol_term_utf8();

	if (k <= 0)
		return;
	fputs(ol_sgr(s->hue), f);
	while (k-- > 0) {
		if (utf8)
			fputs(s->glyph, f);
		else
			fputc(s->ascii, f);
	}
	fputs(s->hue ? ol_sgr_reset() : "", f);
}

void ol_bar_print(FILE *f, const struct ol_seg *seg, size_t n, int width)
{
	int cells[16];
	size_t i;

	if (n > 16)
		n = 16;
	ol_bar_cells(seg, n, width, cells);
	for (i = 0; i < n; i++)
		put_cells(f, &seg[i], cells[i]);
}

void ol_bar_key(FILE *f, const struct ol_seg *seg, const char *label)
{
	put_cells(f, seg, 1);
	fprintf(f, " %s", label);
}

void ol_hbar_print(FILE *f, double value, double max, int width, enum ol_hue hue)
{
	static const char *const eighth[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	long e, i;

	if (max <= 0 || value <= 0 || width <= 0)
		return;
	e = lround(value / max * width * 8);
	if (e < 1)
		e = 1;	/* a bucket with kills is never blank */
	fputs(ol_sgr(hue), f);
	if (ol_term_utf8()) {
		for (i = 0; i < e / 8; i++)
			fputs("█", f);
		fputs(eighth[e % 8], f);
	} else {
		/* whole cells, rounded, but never none */
		for (i = 0; i < (e + 4) / 8 || i == 0; i++)
			fputc('#', f);
	}
	fputs(hue ? ol_sgr_reset() : "", f);
}

void ol_spark_print(FILE *f, const double *v, size_t n)
{
	static const char *const tick[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char ascii[] = "_.-~=+*#";
	double lo = 0, hi = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i == 0 || v[i] < lo)
			lo = v[i];
		if (i == 0 || v[i] > hi)
			hi = v[i];
	}
	for (i = 0; i < n; i++) {
		int l = hi > lo ? (int)lround((v[i] - lo) / (hi - lo) * 7) : 3;

		if (ol_term_utf8())
			fputs(tick[l], f);
		else
			fputc(ascii[l], f);
	}
}
