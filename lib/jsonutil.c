// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/jsonutil.h"
#include "oomlens/strutil.h"

json_object *ol_json_string(const char *s)
{
	json_object *j;
	char *c;

	if (!s)
		return NULL;
	c = ol_utf8_sanitize(s);
	j = json_object_new_string(c ? c : "");
	free(c);
	return j;
}

json_object *ol_json_document(void)
{
	json_object *o = json_object_new_object();

	if (o)
		json_object_object_add(o, "schema_version", json_object_new_string(OL_SCHEMA_VERSION));
	return o;
}

json_object *ol_json_time(time_t t)
{
	char buf[64];
	struct tm tm;

	if (!t || !gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return json_object_new_string(buf);
}

json_object *ol_json_epoch(time_t t)
{
	return t ? json_object_new_int64((long long)t) : NULL;
}

void ol_json_add_time(json_object *o, const char *key, time_t t)
{
	char ek[64];

	snprintf(ek, sizeof(ek), "%s_epoch", key);
	json_object_object_add(o, key, ol_json_time(t));
	json_object_object_add(o, ek, ol_json_epoch(t));
}

json_object *ol_json_percent(double v)
{
	char num[64];

	snprintf(num, sizeof(num), "%.2f", v);
	if (strcmp(num, "-0.00") == 0)
		snprintf(num, sizeof(num), "0.00");
	return json_object_new_double_s(strtod(num, NULL), num);
}
