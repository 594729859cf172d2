// SPDX-License-Identifier: GPL-2.0-or-later
/* The HTML report: the template's placeholders filled in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens.h"
#include "report.h"
#include "oomlens/jsonutil.h"

/* Write the value of placeholder @name (@len bytes) to @f; -1 when unknown. */
static int fill(FILE *f, const char *name, size_t len, const char *data)
{
	if (len == 3 && !memcmp(name, "CSP", 3))
		fprintf(f, "default-src 'none'; script-src 'sha256-%s'; style-src 'sha256-%s'; "
			"img-src data:; base-uri 'none'; form-action 'none'",
			ol_report_js_sha256, ol_report_css_sha256);
	else if (len == 5 && !memcmp(name, "STYLE", 5))
		fputs(ol_report_css, f);	/* as hashed: byte for byte */
	else if (len == 6 && !memcmp(name, "SCRIPT", 6))
		fputs(ol_report_js, f);
	else if (len == 4 && !memcmp(name, "DATA", 4))
		fputs(data, f);
	else if (len == 7 && !memcmp(name, "VERSION", 7))
		fputs(OOMLENS_VERSION, f);
	else
		return -1;
	return 0;
}

char *ol_report_render(const char *json)
{
	char *data = ol_json_for_html(json), *buf = NULL;
	const char *p = ol_report_html, *at, *end;
	size_t sz = 0;
	FILE *f;

	if (!data)
		return NULL;
	f = open_memstream(&buf, &sz);
	if (!f) {
		free(data);
		return NULL;
	}
	/* one pass over the template: what is filled in is never read again */
	while ((at = strchr(p, '@')) && (end = strchr(at + 1, '@'))) {
		fwrite(p, 1, (size_t)(at - p), f);
		if (fill(f, at + 1, (size_t)(end - at - 1), data) < 0) {
			fputc('@', f);
			p = at + 1;
			continue;
		}
		p = end + 1;
	}
	fputs(p, f);
	free(data);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
