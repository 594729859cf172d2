/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A file of tests/fixtures, whole, for the unit tests: include after
 * <cmocka.h> and "fixtures.h".
 */
#ifndef OOMLENS_TEST_FIXTURE_LOAD_H
#define OOMLENS_TEST_FIXTURE_LOAD_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

/* tests/fixtures/@rel plus a NUL; *@len gets the size (files may hold NULs). */
static inline char *load_fixture(const char *rel, size_t *len)
{
	char path[PATH_MAX];
	FILE *f;
	char *buf;
	long sz;

	pathf(path, sizeof(path), "%s/%s", fixtures(), rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open fixture '%s' (set OOMLENS_FIXTURES?)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	sz = ftell(f);
	assert_true(sz >= 0);
	rewind(f);
	buf = malloc((size_t)sz + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	buf[sz] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)sz;
	return buf;
}

#endif
