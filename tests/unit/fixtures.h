/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where tests/fixtures is, for the unit tests (include after <cmocka.h>):
 * fixtures() gives the directory, pathf() builds a path in it.
 */
#ifndef OOMLENS_TEST_FIXTURES_H
#define OOMLENS_TEST_FIXTURES_H

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* snprintf into a path buffer; a path too long for PATH_MAX is a test failure. */
__attribute__((format(printf, 3, 4)))
static inline void pathf(char *out, size_t sz, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, sz, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sz)
		fail_msg("path too long: '%s'", out);
}

static inline int is_fixture_dir(const char *dir)
{
	char p[PATH_MAX];

	pathf(p, sizeof(p), "%s/proc-files/README.md", dir);
	return access(p, R_OK) == 0;
}

/* Drop one trailing component of @path per component of @rel ("." excepted). */
static inline void strip_components(char *path, const char *rel)
{
	const char *c = rel;

	while (*c) {
		size_t n;
		char *s;

		while (*c == '/')
			c++;
		n = strcspn(c, "/");
		if (!n)
			break;
		if (!(n == 1 && c[0] == '.') && (s = strrchr(path, '/')))
			*s = '\0';
		c += n;
	}
}

/*
 * tests/fixtures, found as: $OOMLENS_FIXTURES; else from __FILE__, which is
 * "tests/unit/test-NAME.c" when make builds from the repo root.  A relative
 * __FILE__ is relative to the repo root, which is found from this binary's
 * own path (make puts it beside its source); the cwd is the last resort.
 */
static inline const char *fixtures(void)
{
	static char dir[PATH_MAX];
	char src[PATH_MAX], exe[PATH_MAX];
	const char *env = getenv("OOMLENS_FIXTURES");
	char *slash;
	ssize_t n;

	if (dir[0])
		return dir;
	if (env && *env) {
		pathf(dir, sizeof(dir), "%s", env);
		return dir;
	}
	pathf(src, sizeof(src), "%s", __FILE__);
	slash = strrchr(src, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(src, sizeof(src), ".");
	if (src[0] == '/') {
		pathf(dir, sizeof(dir), "%s/../fixtures", src);
		if (is_fixture_dir(dir))
			return dir;
	} else if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		strip_components(exe, src);	/* the repo root */
		pathf(dir, sizeof(dir), "%s/%s/../fixtures", exe, src);
		if (is_fixture_dir(dir))
			return dir;
	}
	pathf(dir, sizeof(dir), "%s/../fixtures", src);
	return dir;
}

#endif
