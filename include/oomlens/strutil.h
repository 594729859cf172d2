/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_STRUTIL_H
#define OOMLENS_STRUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Escape an untrusted string (a process name, a command line) for a
 * terminal: control characters, DEL, backslash, C1 controls, bidirectional
 * overrides and bytes that are not valid UTF-8 become \xNN, as
 * libsmartcols writes them; other valid multibyte UTF-8 is kept.
 * Returns a new string, NULL on ENOMEM.
 */
char *ol_escape(const char *s);
/* Same for @len bytes that may hold NULs. */
char *ol_escape_mem(const char *s, size_t len);

/*
 * For text handed to libsmartcols, which escapes control characters,
 * invalid UTF-8 and backslashes itself: replace only what it lets through
 * and a terminal would obey, the bidirectional overrides and isolates
 * (which reorder what is shown), by U+FFFD.  NULL on ENOMEM.
 */
char *ol_defuse_bidi(const char *s);

/*
 * Make @s valid UTF-8 for JSON: invalid bytes become U+FFFD.  json-c does
 * the JSON escaping; this only keeps the document valid.  NULL on ENOMEM.
 */
char *ol_utf8_sanitize(const char *s);

/* "1.5G"-style size in 1024 units, as util-linux prints it. */
void ol_size_human(unsigned long long bytes, char *buf, size_t sz);

/*
 * Parse a size with an optional K, M, G, T suffix (binary, "KiB" and "KB"
 * accepted alike).  Returns 0 or -EINVAL/-ERANGE.
 */
int ol_parse_size(const char *s, unsigned long long *bytes);

/* A process ID: a whole decimal from 1 to PID_MAX_LIMIT (4194304).  0 or -EINVAL. */
int ol_parse_pid(const char *s, pid_t *pid);

/* Strict decimal parsers: whole string, no junk.  0 or -EINVAL/-ERANGE. */
int ol_strtol(const char *s, long *val);
int ol_strtoul(const char *s, unsigned long *val);

#endif
