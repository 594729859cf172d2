// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON vocabulary's shared values (include/oomlens/jsonutil.h), as
 * written: RFC 3339 UTC to the second, which jq 1.6's fromdateiso8601
 * takes ("%Y-%m-%dT%H:%M:%SZ"; it refuses "+0000" and fractions), the
 * epoch beside it, percentages with two decimals, and the schema_version
 * that opens every document.  The times were checked with date -u -d @N.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "oomlens/jsonutil.h"

static const char *text(json_object *o)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return buf;
}

static void times(void **state)
{
	json_object *o;

	(void)state;
	assert_string_equal(text(ol_json_time(1779214483)), "\"2026-05-19T18:14:43Z\"");
	assert_string_equal(text(ol_json_time(951782400)), "\"2000-02-29T00:00:00Z\"");
	assert_null(ol_json_time(0));		/* unknown: null */
	assert_null(ol_json_epoch(0));
	assert_string_equal(text(ol_json_epoch(1779214483)), "1779214483");

	o = json_object_new_object();
	ol_json_add_time(o, "first", 1779214483);
	ol_json_add_time(o, "last", 0);
	assert_string_equal(text(o), "{\"first\":\"2026-05-19T18:14:43Z\",\"first_epoch\":1779214483,"
				     "\"last\":null,\"last_epoch\":null}");
}

static void percent(void **state)
{
	(void)state;
	assert_string_equal(text(ol_json_percent(100.0567)), "100.06");
	assert_string_equal(text(ol_json_percent(0.45489)), "0.45");
	assert_string_equal(text(ol_json_percent(12.34)), "12.34");	/* not 12.339999999999999 */
	assert_string_equal(text(ol_json_percent(0)), "0.00");
	assert_string_equal(text(ol_json_percent(-0.001)), "0.00");	/* never -0.00 */
	assert_string_equal(text(ol_json_percent(-3.456)), "-3.46");
}

static void document(void **state)
{
	json_object *o = ol_json_document();

	(void)state;
	json_object_object_add(o, "processes", json_object_new_array());
	assert_string_equal(text(o), "{\"schema_version\":\"" OL_SCHEMA_VERSION "\",\"processes\":[]}");
	assert_string_equal(OL_SCHEMA_VERSION, "2.2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times),
		cmocka_unit_test(percent),
		cmocka_unit_test(document),
	};

	return cmocka_run_group_tests_name("jsonutil", tests, NULL, NULL);
}
