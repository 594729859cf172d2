/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_TERM_H
#define OOMLENS_TERM_H

#include <stddef.h>
#include <stdio.h>

/*
 * The terminal that stdout goes to: whether to colour (--color, as
 * util-linux: auto colours only a terminal, NO_COLOR set and non-empty or
 * TERM=dumb turn auto off, always forces), whether to draw with Unicode
 * block characters (a UTF-8 locale) and how wide it is.  Pictures drawn
 * here are shared by explain, watch and log --summary.
 */
enum ol_color_mode { OL_COLOR_AUTO, OL_COLOR_ALWAYS, OL_COLOR_NEVER };

/* --color's argument (NULL: auto); 0 or -EINVAL for an unknown word */
int ol_term_set_color(const char *when);
int ol_term_color(void);
int ol_term_utf8(void);
/* stdout's columns: the terminal's, else $COLUMNS, else 80 */
int ol_term_width(void);

/* SGR colours for the pictures; "" when colour is off */
enum ol_hue { OL_HUE_NONE, OL_HUE_RED, OL_HUE_GREEN, OL_HUE_YELLOW, OL_HUE_BLUE,
	      OL_HUE_MAGENTA, OL_HUE_CYAN, OL_HUE_GREY, OL_HUE_BOLD };
const char *ol_sgr(enum ol_hue h);
const char *ol_sgr_reset(void);

/* One part of a proportional bar */
struct ol_seg {
	double value;		/* its size; <= 0: not drawn */
	const char *glyph;	/* the cell in a UTF-8 locale */
	char ascii;		/* the cell otherwise */
	enum ol_hue hue;
};

/*
 * Cells per segment for a bar of @width cells, largest remainder first, so
 * that they add up to @width; a segment with a value gets at least one cell
 * when there is room.  Pure: for tests and for the printers.
 */
void ol_bar_cells(const struct ol_seg *seg, size_t n, int width, int *cells);
/* The bar: each segment's cells in its glyph (and colour) */
void ol_bar_print(FILE *f, const struct ol_seg *seg, size_t n, int width);
/* A legend: the segment's glyph, then its label */
void ol_bar_key(FILE *f, const struct ol_seg *seg, const char *label);

/* A histogram bar: @value of @max over @width cells, eighths in UTF-8 */
void ol_hbar_print(FILE *f, double value, double max, int width, enum ol_hue hue);

/* A sparkline of @n values, one cell each, scaled between their min and max */
void ol_spark_print(FILE *f, const double *v, size_t n);

#endif
