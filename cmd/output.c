// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>
#include <libsmartcols.h>

#include "oomlens.h"
#include "output.h"
#include "oomlens/jsonutil.h"

void ol_out_init(struct ol_out *o, const struct ol_column *cols, size_t ncols)
{
	memset(o, 0, sizeof(*o));
	o->cols = cols;
	o->ncols = ncols;
}

int ol_out_column_id(const struct ol_out *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->ncols; i++)
		if (strcasecmp(o->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int add_sel(struct ol_out *o, int id)
{
	if (o->nsel >= OL_OUT_MAXCOLS)
		return -E2BIG;
	o->sel[o->nsel++] = id;
	return 0;
}

int ol_out_select(struct ol_out *o, const char *list, const int *defaults,
		  size_t ndefaults, char **bad)
{
	const char *p;
	size_t i;

	*bad = NULL;
	o->nsel = 0;
	if (!list || *list == '+') {
		for (i = 0; i < ndefaults; i++)
			if (add_sel(o, defaults[i]) < 0)
				return -EINVAL;
	}
	if (!list)
		return 0;
	if (*list == '+')
		list++;
	/* "A,,B" and "" name no column: an error, not a silent skip */
	for (p = list;; p++) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char name[64];
		int id;

		if (n == 0 || n >= sizeof(name)) {
			*bad = strndup(p, n);
			return -EINVAL;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		id = ol_out_column_id(o, name);
		if (id < 0) {
			*bad = strdup(name);
			return -EINVAL;
		}
		if (add_sel(o, id) < 0)
			return -EINVAL;
		if (!e)
			break;
		p = e;
	}
	return 0;
}

int ol_out_print_columns(const struct ol_out *o)
{
	size_t i;

	if (o->json) {
		json_object *root = ol_json_document(), *arr = json_object_new_array();

		for (i = 0; i < o->ncols; i++) {
			json_object *c = json_object_new_object();

			json_object_object_add(c, "name", json_object_new_string(o->cols[i].name));
			json_object_object_add(c, "key", json_object_new_string(o->cols[i].key));
			json_object_object_add(c, "description", json_object_new_string(o->cols[i].help));
			json_object_array_add(arr, c);
		}
		json_object_object_add(root, "columns", arr);
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
		return 0;
	}
	fputs("Available output columns:\n", stdout);
	for (i = 0; i < o->ncols; i++)
		printf(" %10s  %s\n", o->cols[i].name, o->cols[i].help);
	return 0;
}

int ol_out_start(struct ol_out *o, const char *jkey)
{
	struct libscols_table *tb;
	size_t i;

	if (o->json) {
		o->js = calloc(1, sizeof(*o->js));
		if (!o->js)
			return -ENOMEM;
		ol_jstream_begin(o->js, stdout, NULL, jkey);
		return 0;
	}
	tb = scols_new_table();
	if (!tb)
		return -ENOMEM;
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	for (i = 0; i < o->nsel; i++) {
		const struct ol_column *c = &o->cols[o->sel[i]];

		if (!scols_table_new_column(tb, c->name, c->whint, c->flags)) {
			scols_unref_table(tb);
			return -ENOMEM;
		}
	}
	o->tb = tb;
	return 0;
}

static char *cell_text(const struct ol_out *o, const struct ol_column *c,
		       const struct ol_cell *cell)
{
	char buf[64];

	if (!cell->known)
		return strdup("-");
	if (cell->text)
		return strdup(cell->text);
	switch (c->type) {
	case OL_CT_INT: {
		/* the most frequent cell: digits by hand, not through printf */
		unsigned long long u = cell->i < 0 ? 0ULL - (unsigned long long)cell->i :
						     (unsigned long long)cell->i;
		char *p = buf + sizeof(buf) - 1;

		*p = '\0';
		do {
			*--p = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (cell->i < 0)
			*--p = '-';
		return strdup(p);
	}
	case OL_CT_BYTES:
		if (o->bytes || cell->i < 0)
			snprintf(buf, sizeof(buf), "%lld", cell->i);
		else
			ol_size_human((unsigned long long)cell->i, buf, sizeof(buf));
		break;
	case OL_CT_BOOL:
		snprintf(buf, sizeof(buf), "%s", cell->i ? "yes" : "no");
		break;
	case OL_CT_PERCENT:
		snprintf(buf, sizeof(buf), "%.1f%%", cell->d);
		break;
	case OL_CT_STR:
		return strdup(cell->s ? cell->s : "");
	case OL_CT_UNTRUSTED:
		/* libsmartcols escapes control characters and bad UTF-8 */
		return ol_defuse_bidi(cell->s ? cell->s : "");
	}
	return strdup(buf);
}

static json_object *cell_json(const struct ol_column *c, const struct ol_cell *cell)
{
	if (!cell->known)
		return NULL;	/* json-c writes NULL as null */
	switch (c->type) {
	case OL_CT_INT:
	case OL_CT_BYTES:
		return json_object_new_int64(cell->i);
	case OL_CT_BOOL:
		return json_object_new_boolean(cell->i != 0);
	case OL_CT_PERCENT:
		/* two decimals, written as such (not 12.339999999999999) */
		return ol_json_percent(cell->d);
	case OL_CT_STR:
	case OL_CT_UNTRUSTED:
		return ol_json_string(cell->s ? cell->s : "");
	}
	return NULL;
}

int ol_out_row(struct ol_out *o, ol_cell_fn get, const void *row, void *data,
	       const int *always, size_t nalways)
{
	struct ol_cell cell;
	size_t i;

	if (o->json) {
		json_object *obj = json_object_new_object();

		if (!obj)
			return -ENOMEM;
		for (i = 0; i < nalways; i++) {
			memset(&cell, 0, sizeof(cell));
			get(row, always[i], &cell, data);
			json_object_object_add(obj, o->cols[always[i]].key,
					       cell_json(&o->cols[always[i]], &cell));
		}
		for (i = 0; i < o->nsel; i++) {
			const struct ol_column *c = &o->cols[o->sel[i]];

			if (json_object_object_get_ex(obj, c->key, NULL))
				continue;
			memset(&cell, 0, sizeof(cell));
			get(row, o->sel[i], &cell, data);
			json_object_object_add(obj, c->key, cell_json(c, &cell));
		}
		return ol_jstream_add(o->js, obj);
	}

	struct libscols_line *ln = scols_table_new_line(o->tb, NULL);

	if (!ln)
		return -ENOMEM;
	for (i = 0; i < o->nsel; i++) {
		char *text;

		memset(&cell, 0, sizeof(cell));
		get(row, o->sel[i], &cell, data);
		text = cell_text(o, &o->cols[o->sel[i]], &cell);
		if (!text || scols_line_refer_data(ln, i, text) != 0) {
			free(text);
			return -ENOMEM;
		}
	}
	return 0;
}

int ol_out_finish(struct ol_out *o)
{
	int rc = 0;

	if (o->json) {
		rc = o->js ? ol_jstream_end(o->js) : 0;
		free(o->js);
		o->js = NULL;
		return rc;
	}
	if (o->tb) {
		if (scols_print_table(o->tb) != 0)
			rc = -EIO;
		scols_unref_table(o->tb);
		o->tb = NULL;
	}
	return rc;
}

void ol_out_free(struct ol_out *o)
{
	free(o->js);
	o->js = NULL;
	if (o->tb)
		scols_unref_table(o->tb);
	o->tb = NULL;
}

/* ---- streamed JSON ---- */

#define JFLAGS	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

void ol_jstream_begin(struct ol_jstream *s, FILE *f, json_object *head, const char *key)
{
	json_object *k;

	memset(s, 0, sizeof(*s));
	s->f = f;
	/* every document starts with its schema_version (oomlens(1), JSON OUTPUT) */
	if (fputs("{\n\"schema_version\":\"" OL_SCHEMA_VERSION "\",\n", f) < 0)
		s->err = 1;
	if (head) {
		struct json_object_iterator it = json_object_iter_begin(head), end = json_object_iter_end(head);

		for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
			json_object *val = json_object_iter_peek_value(&it);

			k = json_object_new_string(json_object_iter_peek_name(&it));
			if (fprintf(f, "%s:%s,\n", json_object_to_json_string_ext(k, JFLAGS),
				    val ? json_object_to_json_string_ext(val, JFLAGS) : "null") < 0)
				s->err = 1;
			json_object_put(k);
		}
		json_object_put(head);
	}
	k = json_object_new_string(key);
	if (fprintf(f, "%s:[", json_object_to_json_string_ext(k, JFLAGS)) < 0)
		s->err = 1;
	json_object_put(k);
}

int ol_jstream_add(struct ol_jstream *s, json_object *obj)
{
	if (!obj)
		return -ENOMEM;
	if (fprintf(s->f, "%s\n%s", s->n++ ? "," : "", json_object_to_json_string_ext(obj, s->plain ?
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE : JFLAGS)) < 0)
		s->err = 1;
	json_object_put(obj);
	return s->err ? -EIO : 0;
}

int ol_jstream_end(struct ol_jstream *s)
{
	if (fputs("\n]\n}\n", s->f) < 0 || fflush(s->f) == EOF)
		s->err = 1;
	return s->err ? -EIO : 0;
}
