/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_OUTPUT_H
#define OOMLENS_OUTPUT_H

#include <stddef.h>

/*
 * One column table per command drives table, raw, JSON and -o output, as
 * util-linux does.  Text goes through libsmartcols, JSON through json-c;
 * a row is never printed by the code that collects it.
 */

enum ol_ctype {
	OL_CT_INT,		/* signed integer */
	OL_CT_BYTES,		/* human units in tables, bytes with --bytes and JSON */
	OL_CT_STR,		/* trusted text */
	OL_CT_UNTRUSTED,	/* process-controlled text: escaped in tables */
	OL_CT_BOOL,
	OL_CT_PERCENT,		/* a double: one decimal in tables, two in JSON */
};

struct ol_column {
	const char *name;
	const char *key;	/* JSON key */
	double whint;		/* libsmartcols width hint */
	int flags;		/* SCOLS_FL_* */
	enum ol_ctype type;
	int sort_asc;		/* natural sort order is ascending (names, ids) */
	const char *help;
};

struct ol_cell {
	int known;		/* 0: unknown, "-" in tables, null in JSON */
	long long i;		/* INT, BYTES, BOOL */
	double d;		/* PERCENT */
	const char *s;		/* STR, UNTRUSTED */
	const char *text;	/* table text that overrides the value's */
};

#define OL_OUT_MAXCOLS	64

struct json_object;

/*
 * A JSON document {HEAD MEMBERS..., "KEY": [OBJECT, ...]} written one
 * object at a time, so that memory does not grow with the rows: each
 * object is printed and freed as it is added.
 */
struct ol_jstream {
	FILE *f;
	size_t n;		/* objects written */
	int err;		/* a write failed */
	int plain;		/* objects on one line each, not indented (set after begin) */
};

/* Print "{", @head's members (NULL: none; it is freed), then "KEY": [ */
void ol_jstream_begin(struct ol_jstream *s, FILE *f, struct json_object *head, const char *key);
/* Print @obj as the next element, and free it.  0, -ENOMEM (@obj NULL) or -EIO. */
int ol_jstream_add(struct ol_jstream *s, struct json_object *obj);
/* Close the array and the document.  0 or -EIO (any write failed). */
int ol_jstream_end(struct ol_jstream *s);

struct ol_out {
	const struct ol_column *cols;
	size_t ncols;
	int sel[OL_OUT_MAXCOLS];
	size_t nsel;
	int json, raw, noheadings, bytes;
	void *tb;		/* struct libscols_table */
	struct ol_jstream *js;	/* -J: rows printed as they come */
};

typedef void (*ol_cell_fn)(const void *row, int col, struct ol_cell *cell,
			   void *data);

void ol_out_init(struct ol_out *o, const struct ol_column *cols, size_t ncols);
/* Column index by name (case-insensitive), or -1. */
int ol_out_column_id(const struct ol_out *o, const char *name);
/*
 * Select columns from -o LIST ("+LIST" extends @defaults; NULL: defaults).
 * Returns 0, or -EINVAL with the offending name in *@bad (free() it; ""
 * for an empty one), or -E2BIG for too many columns.
 */
int ol_out_select(struct ol_out *o, const char *list, const int *defaults,
		  size_t ndefaults, char **bad);
/* -H: the available columns and their descriptions. */
int ol_out_print_columns(const struct ol_out *o);

/* Start output; @jkey names the JSON array ("processes"). 0 or -ENOMEM. */
int ol_out_start(struct ol_out *o, const char *jkey);
/*
 * Add one row.  In JSON, the columns in @always are included even when
 * not selected, so scripts can rely on them.
 */
int ol_out_row(struct ol_out *o, ol_cell_fn get, const void *row, void *data,
	       const int *always, size_t nalways);
/* Print and free.  0 or -EIO. */
int ol_out_finish(struct ol_out *o);
void ol_out_free(struct ol_out *o);

#endif
