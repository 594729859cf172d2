/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_JSONUTIL_H
#define OOMLENS_JSONUTIL_H

#include <time.h>

#include <json.h>

/*
 * The version of the JSON vocabulary (schema/ *.schema.json, oomlens(1) JSON
 * OUTPUT), written as "schema_version" at the top of every document and of
 * every JSON line: "MAJOR.MINOR".  The minor number grows when fields are
 * added, the major one when a field is renamed, removed or changes its type
 * or unit.
 */
#define OL_SCHEMA_MAJOR		2
#define OL_SCHEMA_MINOR		2
#define OL_STR_(x)		#x
#define OL_STR(x)		OL_STR_(x)
#define OL_SCHEMA_VERSION	OL_STR(OL_SCHEMA_MAJOR) "." OL_STR(OL_SCHEMA_MINOR)

/*
 * A JSON string from untrusted text (a process name, a log line): invalid
 * UTF-8 becomes U+FFFD so the document stays valid; json-c escapes the
 * rest.  NULL text gives NULL, which json-c writes as null.
 */
json_object *ol_json_string(const char *s);

/* A new object that holds "schema_version" first: the top of a document. */
json_object *ol_json_document(void);

/*
 * A time as RFC 3339 in UTC to the second ("2026-05-19T18:14:43Z", what
 * jq's fromdateiso8601 reads), or NULL (null) when @t is 0: unknown.
 */
json_object *ol_json_time(time_t t);
/* The same time as seconds since the epoch, or NULL when @t is 0. */
json_object *ol_json_epoch(time_t t);
/* "KEY" and "KEY_epoch" for @t (null both when unknown). */
void ol_json_add_time(json_object *o, const char *key, time_t t);

/* A percentage: a number written with two decimals (12.34, never -0.00). */
json_object *ol_json_percent(double v);

/*
 * Add @val under @key, a string literal new to @o: json-c neither copies
 * the key nor looks it up first (OL_JADD_FLAGS for a key from a static
 * table).  For the objects built once per process,
 * ten thousand at a time.  Adding a key twice this way writes it twice: a
 * test (tests/cli/schema.sh) parses every document refusing duplicates.
 */
#define OL_JADD_FLAGS	(JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_ADD_CONSTANT_KEY)
#define ol_jadd(o, key, val) \
	json_object_object_add_ex((o), "" key "", (val), OL_JADD_FLAGS)

#endif
