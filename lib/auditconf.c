// SPDX-License-Identifier: GPL-2.0-or-later
/* The audit's rules table and its configuration file. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/audit.h"

const struct ol_rule_info ol_rules[OL_R_COUNT] = {
	[OL_R_UNKILLABLE] = { "unkillable-process", OL_SEV_WARNING,
		"a process the OOM killer may never kill (oom_score_adj -1000 or oom_adj -17)",
		"allow it in audit.conf if intended; otherwise find who set it and give it back 0" },
	[OL_R_INHERITED] = { "inherited-unkillable", OL_SEV_ERROR,
		"oom_score_adj -1000 inherited from a parent running another program",
		"the parent should reset oom_score_adj to 0 in the children it spawns "
		"(or run them through 'choom -n 0 --')" },
	[OL_R_INHERITED_STRONG] = { "inherited-protection", OL_SEV_WARNING,
		"strong OOM protection (oom_score_adj <= -900) inherited from a parent running another program",
		"the parent should reset oom_score_adj in its children" },
	[OL_R_UNKILLABLE_SHARE] = { "unkillable-memory", OL_SEV_ERROR,
		"unkillable processes hold a large share of RAM + swap",
		"protect less: when they grow, the kernel finds no killable process and panics" },
	[OL_R_PANIC_ON_OOM] = { "panic-on-oom", OL_SEV_WARNING,
		"vm.panic_on_oom is set: one leak reboots the machine",
		"sysctl vm.panic_on_oom=0, unless a reboot is really what you want" },
	[OL_R_DUMP_TASKS] = { "oom-dump-tasks-off", OL_SEV_WARNING,
		"vm.oom_dump_tasks is 0: the next OOM logs no task table to explain it",
		"sysctl vm.oom_dump_tasks=1" },
	[OL_R_KILL_ALLOCATING] = { "oom-kill-allocating-task", OL_SEV_WARNING,
		"vm.oom_kill_allocating_task is 1: the OOM killer kills whoever asks, not the biggest",
		"sysctl vm.oom_kill_allocating_task=0" },
	[OL_R_OVERCOMMIT] = { "overcommit", OL_SEV_INFO,
		"an overcommit setting worth knowing about",
		"see proc(5) on vm.overcommit_memory" },
	[OL_R_MEMCG_OOM_DISABLED] = { "memcg-oom-disabled", OL_SEV_ERROR,
		"a memory cgroup with its OOM killer disabled: its tasks hang instead of dying",
		"echo 0 > memory.oom_control, or handle the OOM notification in userspace" },
	[OL_R_MEMCG_OOM_GROUP] = { "memcg-oom-group", OL_SEV_INFO,
		"memory.oom.group is set: an OOM kills the whole cgroup at once",
		"intended for containers; know that one kill takes all of its tasks" },
	[OL_R_UNIT_ADJUST] = { "unit-oom-score-adjust", OL_SEV_WARNING,
		"a systemd unit sets OOMScoreAdjust=-1000",
		"give it a milder OOMScoreAdjust (e.g. -500), or allow the unit in audit.conf" },
	[OL_R_LEGACY_OOM_ADJ] = { "legacy-oom-adj", OL_SEV_INFO,
		"a program still writes the deprecated /proc/PID/oom_adj",
		"have it write oom_score_adj (-1000..1000) instead" },
	[OL_R_OOM_KILLS] = { "oom-kills", OL_SEV_INFO,
		"the OOM killer has killed processes since boot",
		"see 'oomlens log'" },
};

/*
 * The usual system daemons that protect themselves on stock Debian and RHEL.
 * The process entries hold only for root outside users' sessions: a
 * session's sshd or a user's program named udevd with -1000 is the very
 * leak the audit is for.
 */
#define SYS 0, 1	/* uid=0 no-session */
#define ANY -1, 0
static const struct {
	enum ol_allow_kind kind;
	const char *pattern, *reason;
	long uid;
	int no_session;
} builtin_allow[] = {
	{ OL_ALLOW_COMM, "systemd-udevd", "udev must survive to handle devices", SYS },
	{ OL_ALLOW_COMM, "udevd", "udev must survive to handle devices", SYS },
	{ OL_ALLOW_EXE, "/usr/sbin/sshd", "the SSH listener protects itself so that admins can log in", SYS },
	{ OL_ALLOW_EXE, "/usr/sbin/auditd", "auditd protects itself so that audit records are not lost", SYS },
	{ OL_ALLOW_EXE, "/sbin/auditd", "auditd protects itself so that audit records are not lost", SYS },
	{ OL_ALLOW_COMM, "multipathd", "multipath I/O must survive memory pressure", SYS },
	{ OL_ALLOW_COMM, "dmeventd", "device-mapper event handling must survive", SYS },
	{ OL_ALLOW_COMM, "iscsid", "iSCSI sessions must survive", SYS },
	{ OL_ALLOW_COMM, "lvmetad", "LVM metadata daemon", SYS },
	{ OL_ALLOW_UNIT, "systemd-udevd*.service", "udev must survive to handle devices", ANY },
	{ OL_ALLOW_UNIT, "ssh.service", "the SSH listener protects itself", ANY },
	{ OL_ALLOW_UNIT, "sshd.service", "the SSH listener protects itself", ANY },
	{ OL_ALLOW_UNIT, "auditd.service", "auditd protects itself", ANY },
	{ OL_ALLOW_UNIT, "multipathd.service", "multipath I/O must survive", ANY },
	{ OL_ALLOW_UNIT, "dm-event.service", "device-mapper event handling must survive", ANY },
	{ OL_ALLOW_UNIT, "iscsid.service", "iSCSI sessions must survive", ANY },
};
#undef SYS
#undef ANY

const char *ol_sev_str(enum ol_sev s)
{
	static const char *const n[] = { "info", "warning", "error", "off" };

	return n[s];
}

int ol_sev_from_str(const char *s)
{
	if (strcmp(s, "info") == 0)
		return OL_SEV_INFO;
	if (strcmp(s, "warning") == 0)
		return OL_SEV_WARNING;
	if (strcmp(s, "error") == 0)
		return OL_SEV_ERROR;
	if (strcmp(s, "off") == 0)
		return OL_SEV_OFF;
	return -1;
}

int ol_rule_by_id(const char *id)
{
	for (int i = 0; i < OL_R_COUNT; i++)
		if (strcmp(ol_rules[i].id, id) == 0)
			return i;
	return -1;
}

static const char *const allow_kinds[] = { "comm", "exe", "cgroup", "unit" };

static int add_allow(struct ol_audit_conf *c, enum ol_allow_kind k, const char *pat,
		     const char *reason, long uid, int no_session, int builtin)
{
	struct ol_allow *na = realloc(c->allow, (c->nallow + 1) * sizeof(*na));

	if (!na)
		return -ENOMEM;
	c->allow = na;
	na[c->nallow].kind = k;
	na[c->nallow].pattern = strdup(pat);
	na[c->nallow].reason = strdup(reason);
	na[c->nallow].uid = uid;
	na[c->nallow].no_session = no_session;
	na[c->nallow].builtin = builtin;
	if (!na[c->nallow].pattern || !na[c->nallow].reason) {
		free(na[c->nallow].pattern);
		free(na[c->nallow].reason);
		return -ENOMEM;
	}
	c->nallow++;
	return 0;
}

void ol_audit_conf_defaults(struct ol_audit_conf *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < OL_R_COUNT; i++)
		c->sev[i] = ol_rules[i].sev;
	c->unkillable_share = 20.0;
	c->large_share = 10.0;
	snprintf(c->source, sizeof(c->source), "built-in defaults");
	for (size_t i = 0; i < sizeof(builtin_allow) / sizeof(builtin_allow[0]); i++)
		add_allow(c, builtin_allow[i].kind, builtin_allow[i].pattern, builtin_allow[i].reason,
			  builtin_allow[i].uid, builtin_allow[i].no_session, 1);
}

void ol_audit_conf_free(struct ol_audit_conf *c)
{
	for (size_t i = 0; i < c->nallow; i++) {
		free(c->allow[i].pattern);
		free(c->allow[i].reason);
	}
	free(c->allow);
	c->allow = NULL;
	c->nallow = 0;
}

static int perr(char *err, size_t sz, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int perr(char *err, size_t sz, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, sz, "%u: ", line);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sz)
		vsnprintf(err + n, sz - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Split a line into words; "double quoted" words may hold spaces. */
static int words(char *s, char **w, int max, const char **bad)
{
	int n = 0;

	*bad = NULL;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (n == max) {
			*bad = "too many words";
			return -1;
		}
		if (*s == '"') {
			char *e = strchr(s + 1, '"');

			if (!e) {
				*bad = "unterminated quote";
				return -1;
			}
			*e = '\0';
			w[n++] = s + 1;
			s = e + 1;
			if (*s && *s != ' ' && *s != '\t') {
				*bad = "text right after a closing quote";
				return -1;
			}
		} else {
			w[n++] = s;
			while (*s && *s != ' ' && *s != '\t')
				s++;
			if (*s)
				*s++ = '\0';
		}
	}
	return n;
}

int ol_audit_conf_parse(struct ol_audit_conf *c, const char *text, char *err, size_t errsz)
{
	char *copy = strdup(text), *line, *save = NULL;
	unsigned lineno = 0;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	/* strtok_r would skip empty lines and lose the count: walk by hand */
	for (line = copy; line && !rc; line = save) {
		char *w[8];
		const char *bad;
		int n, r;

		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		if (strlen(line) && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		for (char *q = line; *q; q++)
			if ((unsigned char)*q < 0x20 && *q != '\t') {
				rc = perr(err, errsz, lineno, "control character in the line");
				break;
			}
		if (rc)
			break;
		n = words(line, w, 8, &bad);
		if (n < 0) {
			rc = perr(err, errsz, lineno, "%s", bad);
			break;
		}
		if (n == 0)
			continue;
		if (strcmp(w[0], "allow") == 0) {
			int k = -1, no_session = 0;
			long uid = -1;

			if (n < 4 || n > 6) {
				rc = perr(err, errsz, lineno, "usage: allow comm|exe|cgroup|unit PATTERN \"reason\" "
					  "[uid=N] [no-session]");
				break;
			}
			for (int i = 0; i < 4; i++)
				if (strcmp(w[1], allow_kinds[i]) == 0)
					k = i;
			if (k < 0) {
				rc = perr(err, errsz, lineno, "unknown allow kind '%s' (comm, exe, cgroup or unit)", w[1]);
				break;
			}
			if (!*w[2] || !*w[3]) {
				rc = perr(err, errsz, lineno, "allow needs a pattern and a reason");
				break;
			}
			/* conditions after the reason narrow the entry */
			for (int i = 4; i < n && !rc; i++) {
				char *end;

				if (strcmp(w[i], "no-session") == 0) {
					no_session = 1;
				} else if (strncmp(w[i], "uid=", 4) == 0 && isdigit((unsigned char)w[i][4])) {
					errno = 0;
					uid = strtol(w[i] + 4, &end, 10);
					if (errno || *end || uid > 4294967294L)
						rc = perr(err, errsz, lineno, "'%s' is not a uid", w[i] + 4);
				} else {
					rc = perr(err, errsz, lineno, "unknown allow condition '%s' (uid=N or no-session)",
						  w[i]);
				}
			}
			if (rc)
				break;
			if (add_allow(c, (enum ol_allow_kind)k, w[2], w[3], uid, no_session, 0) < 0) {
				rc = -ENOMEM;
				break;
			}
		} else if (strcmp(w[0], "disable") == 0 || strcmp(w[0], "severity") == 0) {
			int dis = w[0][0] == 'd', s;

			if (n != (dis ? 2 : 3)) {
				rc = perr(err, errsz, lineno, dis ? "usage: disable RULE" :
					  "usage: severity RULE info|warning|error");
				break;
			}
			r = ol_rule_by_id(w[1]);
			if (r < 0) {
				rc = perr(err, errsz, lineno, "unknown rule '%s'", w[1]);
				break;
			}
			s = dis ? OL_SEV_OFF : ol_sev_from_str(w[2]);
			if (s < 0) {
				rc = perr(err, errsz, lineno, "unknown severity '%s' (info, warning, error or off)", w[2]);
				break;
			}
			c->sev[r] = (enum ol_sev)s;
			c->sev_set[r] = 1;
		} else if (strcmp(w[0], "set") == 0) {
			char *end;
			double v;

			if (n != 3) {
				rc = perr(err, errsz, lineno, "usage: set unkillable-share|large-share PERCENT");
				break;
			}
			v = strtod(w[2], &end);
			if (end == w[2] || *end || !(v >= 0 && v <= 100)) {
				rc = perr(err, errsz, lineno, "'%s' is not a percentage (0..100)", w[2]);
				break;
			}
			if (strcmp(w[1], "unkillable-share") == 0) {
				c->unkillable_share = v;
			} else if (strcmp(w[1], "large-share") == 0) {
				c->large_share = v;
			} else {
				rc = perr(err, errsz, lineno, "unknown setting '%s'", w[1]);
				break;
			}
		} else if (strcmp(w[0], "no-default-allow") == 0 && n == 1) {
			size_t k = 0;

			for (size_t i = 0; i < c->nallow; i++) {
				if (c->allow[i].builtin) {
					free(c->allow[i].pattern);
					free(c->allow[i].reason);
				} else {
					c->allow[k++] = c->allow[i];
				}
			}
			c->nallow = k;
		} else {
			rc = perr(err, errsz, lineno, "unknown directive '%s'", w[0]);
		}
	}
	free(copy);
	return rc;
}

char *ol_audit_conf_dump(const struct ol_audit_conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "# oomlens audit configuration in force (from %s)\n\n", c->source);
	fprintf(f, "# rules: id, severity\n");
	for (int i = 0; i < OL_R_COUNT; i++) {
		if (c->sev[i] == OL_SEV_OFF)
			fprintf(f, "disable %s\n", ol_rules[i].id);
		else
			fprintf(f, "severity %-26s %s\n", ol_rules[i].id, ol_sev_str(c->sev[i]));
	}
	fprintf(f, "\nset unkillable-share %g\nset large-share %g\n", c->unkillable_share, c->large_share);
	fprintf(f, "\n# allow list\n");
	for (size_t i = 0; i < c->nallow; i++) {
		const struct ol_allow *al = &c->allow[i];

		fprintf(f, "allow %-6s %-28s \"%s\"", allow_kinds[al->kind], al->pattern, al->reason);
		if (al->uid >= 0)
			fprintf(f, " uid=%ld", al->uid);
		if (al->no_session)
			fputs(" no-session", f);
		fprintf(f, "%s\n", al->builtin ? "  # built-in" : "");
	}
	fclose(f);
	return buf;
}
