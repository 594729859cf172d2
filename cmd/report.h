/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_REPORT_H
#define OOMLENS_REPORT_H

/* made by make from cmd/report.html, report.css and report.js */
extern const char ol_report_html[], ol_report_css[], ol_report_js[];
extern const char ol_report_css_sha256[], ol_report_js_sha256[];

/*
 * The self-contained HTML report of `oomlens log --format html`: the
 * template with its style, its script and @json (the document -J prints)
 * in a data block, escaped for it.  The script draws the page from that
 * data; the Content-Security-Policy lets only the template's own style and
 * script run, and nothing be fetched.  A new string, NULL on ENOMEM.
 */
char *ol_report_render(const char *json);

#endif
