/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_JSONUTIL_H
#define OOMLENS_JSONUTIL_H

#include <json.h>

/*
 * A JSON string from untrusted text (a process name, a log line): invalid
 * UTF-8 becomes U+FFFD so the document stays valid; json-c escapes the
 * rest.  NULL text gives NULL, which json-c writes as null.
 */
json_object *ol_json_string(const char *s);

#endif
