// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "oomlens.h"
#include "oomlens/jsonutil.h"
#include "prom.h"

static void usage(void)
{
	fputs("Usage:\n"
	      " oomlens audit [options]\n"
	      "\n"
	      "Find misconfigured OOM protection: unkillable processes and their\n"
	      "inheritance, risky sysctls, memory cgroups that never kill, units that\n"
	      "disable the OOM killer; exit 1 when something reaches --fail-on.\n"
	      "\n"
	      "Options:\n"
	      " -J, --json               use JSON output format\n"
	      "     --format <fmt>       text, json or prometheus (node_exporter textfile)\n"
	      "     --fail-on <sev>      exit 1 at this severity or above: info, warning,\n"
	      "                            error or never (default warning)\n"
	      " -c, --config <file>      configuration file (default /etc/oomlens/audit.conf)\n"
	      "     --show-config        print the configuration in force and exit\n"
	      "     --log <file>         the kernel log for the log rules (default: the ring buffer)\n"
	      "     --no-log             skip the kernel-log rules\n"
	      " -o, --output <file>      write the report to <file>, atomically\n"
	      " -q, --quiet              no notes on stderr, for cron\n"
	      " -h, --help               display this help\n"
	      " -V, --version            display version\n"
	      "\n"
	      "For more details see oomlens-audit(1) and oomlens-audit.conf(5).\n", stdout);
}

static int cmp_findings(const void *x, const void *y)
{
	const struct ol_finding *a = x, *b = y;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

static char *report_text(const struct ol_findings *f, const char *fail_on)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int last = -1;

	if (!out)
		return NULL;
	for (size_t i = 0; i < f->n; i++) {
		const struct ol_finding *x = &f->v[i];
		char *m = ol_escape(x->message);

		if ((int)x->sev != last) {
			fprintf(out, "%s%s:\n", last < 0 ? "" : "\n", x->sev == OL_SEV_ERROR ? "errors" :
				x->sev == OL_SEV_WARNING ? "warnings" : "info");
			last = (int)x->sev;
		}
		fprintf(out, "  %-24s ", ol_rules[x->rule].id);
		if (x->pid >= 0) {
			char *c = ol_escape(x->comm);

			fprintf(out, "%s[%ld]: ", c ? c : "?", x->pid);
			free(c);
		}
		fprintf(out, "%s\n  %-24s fix: %s\n", m ? m : "?", "", ol_rules[x->rule].fix);
		free(m);
	}
	fprintf(out, "%s%zu finding%s: %zu error%s, %zu warning%s, %zu info (fail on: %s)\n",
		f->n ? "\n" : "", f->n, f->n == 1 ? "" : "s",
		f->count[OL_SEV_ERROR], f->count[OL_SEV_ERROR] == 1 ? "" : "s",
		f->count[OL_SEV_WARNING], f->count[OL_SEV_WARNING] == 1 ? "" : "s",
		f->count[OL_SEV_INFO], fail_on);
	fclose(out);
	return buf;
}

static char *report_json(const struct ol_findings *f, const struct ol_audit_conf *c, const char *fail_on,
			 int failed)
{
	json_object *root = ol_json_document(), *arr = json_object_new_array(),
		    *sum = json_object_new_object();
	char *text;

	for (size_t i = 0; i < f->n; i++) {
		const struct ol_finding *x = &f->v[i];
		json_object *o = json_object_new_object();
		char *s;

		json_object_object_add(o, "rule", json_object_new_string(ol_rules[x->rule].id));
		json_object_object_add(o, "severity", json_object_new_string(ol_sev_str(x->sev)));
		json_object_object_add(o, "pid", x->pid >= 0 ? json_object_new_int64(x->pid) : NULL);
		s = x->pid >= 0 ? ol_utf8_sanitize(x->comm) : NULL;
		json_object_object_add(o, "comm", s ? json_object_new_string(s) : NULL);
		free(s);
		s = ol_utf8_sanitize(x->message);
		json_object_object_add(o, "message", json_object_new_string(s ? s : ""));
		free(s);
		json_object_object_add(o, "fix", json_object_new_string(ol_rules[x->rule].fix));
		json_object_object_add(o, "evidence", x->evidence ? json_tokener_parse(x->evidence) : NULL);
		json_object_array_add(arr, o);
	}
	json_object_object_add(sum, "findings", json_object_new_int64((long long)f->n));
	json_object_object_add(sum, "error", json_object_new_int64((long long)f->count[OL_SEV_ERROR]));
	json_object_object_add(sum, "warning", json_object_new_int64((long long)f->count[OL_SEV_WARNING]));
	json_object_object_add(sum, "info", json_object_new_int64((long long)f->count[OL_SEV_INFO]));
	json_object_object_add(sum, "fail_on", json_object_new_string(fail_on));
	json_object_object_add(sum, "failed", json_object_new_boolean(failed));
	json_object_object_add(sum, "log_read", json_object_new_boolean(f->log_read));
	json_object_object_add(sum, "note", f->note[0] ? ol_json_string(f->note) : NULL);
	json_object_object_add(sum, "config", ol_json_string(c->source));
	json_object_object_add(sum, "processes_hidden", json_object_new_boolean(f->hidepid != 0));
	json_object_object_add(root, "findings", arr);
	json_object_object_add(root, "summary", sum);
	text = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return text;
}

/*
 * node_exporter's textfile collector format.  @success 0: the audit could not
 * run, or not all of it: only the run's metrics, for the staleness alert.
 */
static char *report_prometheus(const struct ol_findings *f, int failed, int success)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		return NULL;
	if (success)
		ol_prom_family(out, "oomlens_audit_findings", "gauge",
			       "Findings of the last oomlens audit, by rule and severity "
			       "(sum by severity for the totals).");
	for (int r = 0; r < OL_R_COUNT && success; r++) {
		for (int s = OL_SEV_INFO; s <= OL_SEV_ERROR; s++) {
			size_t n = 0;

			for (size_t i = 0; i < f->n; i++)
				n += f->v[i].rule == (enum ol_rule)r && f->v[i].sev == (enum ol_sev)s;
			/* every rule at its severity, so that a 0 is a 0 and not an absence */
			if (n || s == (int)ol_rules[r].sev) {
				const char *l[] = { "rule", ol_rules[r].id, "severity", ol_sev_str((enum ol_sev)s), NULL };

				ol_prom_sample(out, "oomlens_audit_findings", l, n);
			}
		}
	}
	if (success) {
		ol_prom_family(out, "oomlens_audit_failed", "gauge",
			       "Whether the last audit reached its --fail-on severity.");
		ol_prom_sample(out, "oomlens_audit_failed", NULL, (unsigned long long)!!failed);
		ol_prom_family(out, "oomlens_audit_log_read", "gauge", "Whether the kernel-log rules could run.");
		ol_prom_sample(out, "oomlens_audit_log_read", NULL, (unsigned long long)!!f->log_read);
	}
	ol_prom_run(out, "oomlens_audit", success);
	if (fclose(out) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int load_config(struct ol_ctx *ctx, const char *path, struct ol_audit_conf *c)
{
	struct ol_buf b = { 0 };
	char err[512], def[4096];
	int rc, explicit = path != NULL;

	ol_audit_conf_defaults(c);
	if (!path) {
		snprintf(def, sizeof(def), "%s/etc/oomlens/audit.conf", ctx->sysroot ? ctx->sysroot : "");
		path = def;
	}
	if (explicit)
		rc = ol_read_at(AT_FDCWD, path, &b);
	else if (!ctx->sysroot)
		rc = ol_read_at(AT_FDCWD, path, &b);
	else if ((rc = ol_ctx_root(ctx)) == 0)
		/* the tree's own: resolved inside it, a FIFO or device refused */
		rc = ol_root_read(&ctx->root, ctx->root.etcfd, "oomlens/audit.conf", &b);
	else
		return rc;
	if (rc == -ENOENT && !explicit) {
		ol_buf_free(&b);
		return 0;	/* no file: the built-in defaults */
	}
	if (rc < 0) {
		ol_warnx_errno(rc, "cannot read '%s'", path);
		ol_buf_free(&b);
		return rc;
	}
	if (strlen(b.data) != b.len) {
		ol_warn("%s: not a text file", path);
		ol_buf_free(&b);
		return -EINVAL;
	}
	rc = ol_audit_conf_parse(c, b.data, err, sizeof(err));
	ol_buf_free(&b);
	if (rc < 0) {
		ol_warn("%s:%s", path, err);
		return rc;
	}
	snprintf(c->source, sizeof(c->source), "%s", path);
	return 0;
}

/* the report on stdout, or into @output atomically; 0 or -1 (said) */
static int write_report(const char *output, const char *text)
{
	if (!output) {
		fputs(text, stdout);
		return 0;
	}
	return ol_write_atomic_said(output, text);
}

/* A textfile that says the audit failed, so that an alert sees it. */
static void report_failure(const char *format, const char *output)
{
	char *text;

	if (!output || strcmp(format, "prometheus"))
		return;
	text = report_prometheus(NULL, 0, 0);
	if (text)
		write_report(output, text);
	free(text);
}

int cmd_audit(int argc, char **argv, struct ol_ctx *ctx)
{
	enum { OPT_FORMAT = 0x100, OPT_FAIL_ON, OPT_SHOW, OPT_LOG, OPT_NO_LOG };
	static const struct option longopts[] = {
		{ "json",        no_argument,       NULL, 'J' },
		{ "format",      required_argument, NULL, OPT_FORMAT },
		{ "fail-on",     required_argument, NULL, OPT_FAIL_ON },
		{ "config",      required_argument, NULL, 'c' },
		{ "show-config", no_argument,       NULL, OPT_SHOW },
		{ "log",         required_argument, NULL, OPT_LOG },
		{ "no-log",      no_argument,       NULL, OPT_NO_LOG },
		{ "output",      required_argument, NULL, 'o' },
		{ "quiet",       no_argument,       NULL, 'q' },
		{ "help",        no_argument,       NULL, 'h' },
		{ "version",     no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ol_audit_conf conf = { 0 };
	struct ol_audit_opts ao = { .conf = &conf };
	struct ol_findings f = { 0 };
	const char *format = "text", *fail_on = "warning", *config = NULL, *output = NULL;
	char *text = NULL;
	int c, show = 0, rc = OL_EXIT_USAGE, failed = 0, threshold = OL_SEV_WARNING;

	while ((c = getopt_long(argc, argv, ":Jc:o:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': format = "json"; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "json") && strcmp(optarg, "prometheus"))
				return ol_usage_error(ctx, "unknown format '%s' (text, json or prometheus)", optarg);
			format = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "never") == 0) {
				threshold = OL_SEV_OFF;
			} else {
				threshold = ol_sev_from_str(optarg);
				if (threshold < 0 || threshold == OL_SEV_OFF)
					return ol_usage_error(ctx, "unknown severity '%s' (info, warning, error or never)", optarg);
			}
			fail_on = optarg;
			break;
		case 'c': config = optarg; break;
		case OPT_SHOW: show = 1; break;
		case OPT_LOG: ao.log_path = optarg; break;
		case OPT_NO_LOG: ao.no_log = 1; break;
		case 'o': output = optarg; break;
		case 'q': ol_quiet = 1; break;
		case 'h':
			usage();
			return OL_EXIT_OK;
		case 'V':
			ol_print_version();
			return OL_EXIT_OK;
		default:
			return ol_bad_option(ctx, argv, c);
		}
	}
	if (optind < argc)
		return ol_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if (load_config(ctx, config, &conf) < 0)
		goto out;
	if (show) {
		text = ol_audit_conf_dump(&conf);
		if (text)
			fputs(text, stdout);
		rc = text ? OL_EXIT_OK : OL_EXIT_USAGE;
		goto out;
	}
	if (ol_ctx_root(ctx) < 0)
		goto out;
	c = ol_audit_run(&ctx->root, &ao, &f);
	if (c < 0) {
		if (f.log_error == -EBADMSG)
			ol_warn("cannot read '%s': corrupt or truncated compressed data", ao.log_path);
		else if (f.log_error == -ENODEV)
			ol_warn("'%s' is a device, not a log file", ao.log_path);
		else if (f.log_error)
			ol_warnx_errno(f.log_error, "cannot read '%s'", ao.log_path);
		else
			ol_warnx_errno(c, "cannot audit %s", ctx->sysroot ? ctx->sysroot : "the system");
		report_failure(format, output);
		goto out;
	}
	if (f.n)
		qsort(f.v, f.n, sizeof(*f.v), cmp_findings);
	for (size_t i = 0; i < f.n; i++)
		if (threshold != OL_SEV_OFF && (int)f.v[i].sev >= threshold)
			failed = 1;
	if (f.note[0] && strcmp(format, "text") == 0)
		ol_note("%s", f.note);
	ol_ctx_notes(ctx);
	text = strcmp(format, "json") == 0 ? report_json(&f, &conf, fail_on, failed) :
	       strcmp(format, "prometheus") == 0 ? report_prometheus(&f, failed, !f.unread) :
	       report_text(&f, fail_on);
	if (!text) {
		ol_warn("out of memory");
		goto out;
	}
	if (write_report(output, text) < 0)
		goto out;
	rc = failed ? OL_EXIT_FAIL : OL_EXIT_OK;
	if (f.unread) {
		/* what was not read may hold a finding: never a clean "0 findings" */
		ol_warn("the audit is incomplete: %zu unit file%s could not be read", f.unread,
			f.unread == 1 ? "" : "s");
		rc = OL_EXIT_USAGE;
	}
	if (f.hidepid) {
		ol_warn("the audit is incomplete: /proc is mounted with hidepid=%d and other users' "
			"processes are out of sight; run it as root", f.hidepid);
		rc = OL_EXIT_USAGE;
	}
out:
	free(text);
	ol_findings_free(&f);
	ol_audit_conf_free(&conf);
	return rc;
}
