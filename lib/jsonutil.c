// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>

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
