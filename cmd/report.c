// SPDX-License-Identifier: GPL-2.0-or-later
/* The HTML report: the template's placeholders filled in. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST
#include <zlib.h>

#include "oomlens.h"
#include "report.h"

/*
 * @len bytes of @src gzip-compressed (zlib, level 6), in a new buffer whose
 * length goes to @outlen; NULL on failure.
 */
static unsigned char *gzip_bytes(const char *src, size_t len, size_t *outlen)
{
	z_stream z = { 0 };
	unsigned char *out = NULL;
	uLong cap;
	int rc = Z_BUF_ERROR;

	if (len > UINT_MAX / 2 || deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&z, (uLong)len);
	if (cap <= UINT_MAX && (out = malloc(cap))) {
		z.next_in = (const Bytef *)src;
		z.avail_in = (uInt)len;
		z.next_out = out;
		z.avail_out = (uInt)cap;
		rc = deflate(&z, Z_FINISH);	/* deflateBound(): room for all of it */
	}
	*outlen = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

/* @n bytes of @p in base64 (RFC 4648), a line break every 76 characters */
static void put_base64(FILE *f, const unsigned char *p, size_t n)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i, col = 0;

	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = b64[v >> 18 & 63];
		q[1] = b64[v >> 12 & 63];
		q[2] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		fwrite(q, 1, 4, f);
		if ((col += 4) == 76 && i + 3 < n) {
			fputc('\n', f);
			col = 0;
		}
	}
}

/* Write the value of placeholder @name (@len bytes) to @f; -1 when unknown. */
static int fill(FILE *f, const char *name, size_t len, const unsigned char *gz, size_t gzlen)
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
		put_base64(f, gz, gzlen);	/* nothing in it to escape */
	else if (len == 7 && !memcmp(name, "VERSION", 7))
		fputs(OOMLENS_VERSION, f);
	else
		return -1;
	return 0;
}

char *ol_report_render(const char *json)
{
	const char *p = ol_report_html, *at, *end;
	unsigned char *gz;
	size_t gzlen, sz = 0;
	char *buf = NULL;
	FILE *f;

	gz = gzip_bytes(json, strlen(json), &gzlen);
	if (!gz)
		return NULL;
	f = open_memstream(&buf, &sz);
	if (!f) {
		free(gz);
		return NULL;
	}
	/* one pass over the template: what is filled in is never read again */
	while ((at = strchr(p, '@')) && (end = strchr(at + 1, '@'))) {
		fwrite(p, 1, (size_t)(at - p), f);
		if (fill(f, at + 1, (size_t)(end - at - 1), gz, gzlen) < 0) {
			fputc('@', f);
			p = at + 1;
			continue;
		}
		p = end + 1;
	}
	fputs(p, f);
	free(gz);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
