// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "oomlens.h"
#include "output.h"

enum {
	COL_PID, COL_PPID, COL_UID, COL_USER, COL_COMM, COL_CMDLINE,
	COL_SCORE, COL_ADJ, COL_OOMADJ, COL_RSS, COL_ANON, COL_FILE,
	COL_SHMEM, COL_SWAP, COL_PGTABLES, COL_BADNESS, COL_SHARE,
	COL_CGROUP, COL_UNIT, COL_KILLABLE, COL_STATE, COL_RANK, COL_TIE,
	COL_MCG, COL_MCG_RANK, COL_MCG_SHARE,
	COL_NAMESPACE, COL_POD, COL_CONTAINER, COL_QOS,
};

#define R SCOLS_FL_RIGHT
#define T SCOLS_FL_TRUNC
static const struct ol_column columns[] = {
	[COL_PID]	= { "PID", "pid", 5, R, OL_CT_INT, 1, "process ID" },
	[COL_PPID]	= { "PPID", "ppid", 5, R, OL_CT_INT, 1, "parent process ID" },
	[COL_UID]	= { "UID", "uid", 5, R, OL_CT_INT, 1, "real user ID" },
	[COL_USER]	= { "USER", "user", 8, 0, OL_CT_UNTRUSTED, 1, "real user name" },
	[COL_COMM]	= { "COMM", "comm", 15, 0, OL_CT_UNTRUSTED, 1, "command name (escaped)" },
	[COL_CMDLINE]	= { "CMDLINE", "cmdline", 30, T, OL_CT_UNTRUSTED, 1, "full command line (escaped)" },
	[COL_SCORE]	= { "SCORE", "oom_score", 5, R, OL_CT_INT, 0, "the kernel's /proc/PID/oom_score" },
	[COL_ADJ]	= { "ADJ", "oom_score_adj", 5, R, OL_CT_INT, 0, "oom_score_adj, -1000..1000" },
	[COL_OOMADJ]	= { "OOMADJ", "oom_adj", 3, R, OL_CT_INT, 0, "legacy oom_adj, -17..15" },
	[COL_RSS]	= { "RSS", "rss", 6, R, OL_CT_BYTES, 0, "resident memory: anon + file + shmem" },
	[COL_ANON]	= { "ANON", "anon", 6, R, OL_CT_BYTES, 0, "resident anonymous memory" },
	[COL_FILE]	= { "FILE", "file", 6, R, OL_CT_BYTES, 0, "resident file-backed memory" },
	[COL_SHMEM]	= { "SHMEM", "shmem", 6, R, OL_CT_BYTES, 0, "resident shared memory (tmpfs, shm)" },
	[COL_SWAP]	= { "SWAP", "swap", 6, R, OL_CT_BYTES, 0, "swapped-out memory" },
	[COL_PGTABLES]	= { "PGTABLES", "pgtables", 6, R, OL_CT_BYTES, 0, "page tables" },
	[COL_BADNESS]	= { "BADNESS", "badness", 8, R, OL_CT_INT, 0, "the kernel's OOM points, in pages" },
	[COL_SHARE]	= { "SHARE", "share_percent", 6, R, OL_CT_PERCENT, 0, "badness as a percentage of RAM + swap" },
	[COL_CGROUP]	= { "CGROUP", "cgroup", 20, T, OL_CT_UNTRUSTED, 1, "memory cgroup path" },
	[COL_UNIT]	= { "UNIT", "unit", 16, T, OL_CT_UNTRUSTED, 1, "systemd unit, container or pod of the cgroup" },
	[COL_KILLABLE]	= { "KILLABLE", "killable", 3, 0, OL_CT_BOOL, 1, "whether the OOM killer may pick it (yes), or why not (no:REASON)" },
	[COL_STATE]	= { "STATE", "state", 1, 0, OL_CT_STR, 1, "process state (R, S, D, Z, ...)" },
	[COL_RANK]	= { "RANK", "rank", 4, R, OL_CT_INT, 1, "place in line for a global OOM kill (1: first)" },
	[COL_TIE]	= { "TIE", "near_tie", 3, 0, OL_CT_BOOL, 0, "a neighbour in line is within the kernel counters' slack" },
	[COL_MCG]	= { "MEMCG", "memcg", 20, T, OL_CT_UNTRUSTED, 1, "the memory cgroup whose limit it meets first" },
	[COL_MCG_RANK]	= { "MCG-RANK", "memcg_rank", 4, R, OL_CT_INT, 1, "place in line for an OOM kill in that memory cgroup" },
	[COL_MCG_SHARE]	= { "MCG-SHARE", "memcg_share_percent", 6, R, OL_CT_PERCENT, 0, "badness as a percentage of that memory cgroup's limit + swap" },
	[COL_NAMESPACE]	= { "NAMESPACE", "namespace", 12, T, OL_CT_UNTRUSTED, 1, "Kubernetes namespace of the pod" },
	[COL_POD]	= { "POD", "pod", 16, T, OL_CT_UNTRUSTED, 1, "Kubernetes pod name" },
	[COL_CONTAINER]	= { "CONTAINER", "container", 12, T, OL_CT_UNTRUSTED, 1, "Kubernetes container name" },
	[COL_QOS]	= { "QOS", "qos", 10, 0, OL_CT_STR, 1, "Kubernetes QoS class: guaranteed, burstable or besteffort" },
};
#undef R
#undef T
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

/* The fields the model needs under the kernel listed (ol_kernel_needs()) */
#define NEED_MODEL	(1u << 31)

/* What each column needs read from /proc (OL_HAVE_*). */
static const unsigned int col_needs[NCOLS] = {
	[COL_PPID] = OL_HAVE_PPID,
	[COL_UID] = OL_HAVE_UID,
	[COL_USER] = OL_HAVE_UID,
	[COL_COMM] = OL_HAVE_COMM,
	[COL_CMDLINE] = OL_HAVE_CMDLINE,
	[COL_SCORE] = OL_HAVE_SCORE,
	[COL_ADJ] = OL_HAVE_ADJ,
	[COL_OOMADJ] = OL_HAVE_OOMADJ,
	[COL_RSS] = OL_HAVE_RSS,
	[COL_ANON] = OL_HAVE_MEM,
	[COL_FILE] = OL_HAVE_MEM,
	[COL_SHMEM] = OL_HAVE_MEM,
	[COL_SWAP] = OL_HAVE_SWAP,
	[COL_PGTABLES] = OL_HAVE_PGTABLES,
	[COL_BADNESS] = NEED_MODEL,
	[COL_SHARE] = NEED_MODEL,
	[COL_RANK] = NEED_MODEL,
	[COL_TIE] = NEED_MODEL,
	[COL_MCG] = NEED_MODEL | OL_HAVE_CGROUP,
	[COL_MCG_RANK] = NEED_MODEL | OL_HAVE_CGROUP,
	[COL_MCG_SHARE] = NEED_MODEL | OL_HAVE_CGROUP,
	[COL_CGROUP] = OL_HAVE_CGROUP,
	[COL_UNIT] = OL_HAVE_CGROUP,
	[COL_NAMESPACE] = OL_HAVE_CGROUP,
	[COL_POD] = OL_HAVE_CGROUP,
	[COL_CONTAINER] = OL_HAVE_CGROUP,
	[COL_QOS] = OL_HAVE_CGROUP,
	[COL_KILLABLE] = NEED_MODEL,
	[COL_STATE] = OL_HAVE_STATE,
};

static const int default_cols[] = {
	COL_PID, COL_USER, COL_SCORE, COL_ADJ, COL_SHARE, COL_RSS, COL_SWAP,
	COL_UNIT, COL_COMM,
};

/* JSON always carries these, whatever -o says. */
static const int json_always[] = { COL_PID, COL_COMM, COL_SCORE, COL_ADJ, COL_OOMADJ };
/* and, with "unit", a pod's names as every JSON output has them beside it */
static const int json_with_unit[] = {
	COL_PID, COL_COMM, COL_SCORE, COL_ADJ, COL_OOMADJ,
	COL_NAMESPACE, COL_POD, COL_CONTAINER, COL_QOS,
};

struct row {
	struct ol_proc *p;
	const struct ol_rank *r;	/* the model's global view */
	struct ol_memcg_rank *mr;	/* its limiting memcg's view, when shown */
	size_t pos;			/* place in the kernel's order */
	const char *user;
	char *unit;
	struct ol_kube_names kn;	/* names in the context's ol_kube; qos in @qos */
	char qos[16];
};

struct list_ctx {
	struct ol_sysinfo si;
	struct ol_model *model;
	struct ol_users *users;
	int sort_col;
	int reverse;
};

static int is_kube_col(int col)
{
	return col == COL_NAMESPACE || col == COL_POD || col == COL_CONTAINER || col == COL_QOS;
}

static void get_cell(const void *rowp, int col, struct ol_cell *c, void *data)
{
	const struct row *r = rowp;
	const struct ol_proc *p = r->p;
	unsigned int h = p->have;

	switch (col) {
	case COL_PID:
		c->known = 1;
		c->i = p->pid;
		break;
	case COL_PPID:
		c->known = !!(h & OL_HAVE_PPID);
		c->i = p->ppid;
		break;
	case COL_UID:
		c->known = !!(h & OL_HAVE_UID);
		c->i = p->uid;
		break;
	case COL_USER:
		c->known = !!(h & OL_HAVE_UID);
		c->s = r->user;
		if (c->known && !r->user) {
			/* no name for this uid: show the number, as ps does */
			static char num[24];

			snprintf(num, sizeof(num), "%u", (unsigned int)p->uid);
			c->s = num;
		}
		break;
	case COL_COMM:
		c->known = !!(h & OL_HAVE_COMM);
		c->s = p->comm;
		break;
	case COL_CMDLINE:
		c->known = !!(h & OL_HAVE_CMDLINE);
		c->s = p->cmdline;
		break;
	case COL_SCORE:
		c->known = !!(h & OL_HAVE_SCORE);
		c->i = p->oom_score;
		break;
	case COL_ADJ:
		c->known = !!(h & OL_HAVE_ADJ);
		c->i = p->oom_score_adj;
		break;
	case COL_OOMADJ:
		c->known = !!(h & OL_HAVE_OOMADJ);
		c->i = p->oom_adj;
		break;
	case COL_RSS:
		c->known = !!(h & OL_HAVE_RSS);
		c->i = (long long)p->rss;
		break;
	case COL_ANON:
		c->known = !!(h & OL_HAVE_MEM);
		c->i = (long long)p->rss_anon;
		break;
	case COL_FILE:
		c->known = !!(h & OL_HAVE_MEM);
		c->i = (long long)p->rss_file;
		break;
	case COL_SHMEM:
		c->known = !!(h & OL_HAVE_MEM);
		c->i = (long long)p->rss_shmem;
		break;
	case COL_SWAP:
		c->known = !!(h & OL_HAVE_SWAP);
		c->i = (long long)p->swap;
		break;
	case COL_PGTABLES:
		c->known = !!(h & OL_HAVE_PGTABLES);
		c->i = (long long)p->pgtables;
		break;
	case COL_BADNESS:
		/* unkillable: the kernel's LONG_MIN has no number worth printing */
		c->known = r->r->have && r->r->b.killable;
		c->i = r->r->b.points;
		break;
	case COL_SHARE:
		c->known = r->r->have && r->r->b.killable && r->r->totalpages;
		c->d = r->r->share;
		break;
	case COL_RANK:
		c->known = r->r->rank > 0;
		c->i = r->r->rank;
		break;
	case COL_TIE:
		c->known = r->r->rank > 0;
		c->i = r->r->near_tie;
		break;
	case COL_MCG:
		c->known = r->mr && r->mr->limited;
		c->s = c->known ? r->mr->m.path : NULL;
		break;
	case COL_MCG_RANK:
		c->known = r->mr && r->mr->limited && r->mr->r.rank > 0;
		c->i = c->known ? r->mr->r.rank : 0;
		break;
	case COL_MCG_SHARE:
		c->known = r->mr && r->mr->limited && r->mr->r.have && r->mr->r.b.killable;
		c->d = c->known ? r->mr->r.share : 0;
		break;
	case COL_CGROUP:
		c->s = ol_proc_cgroup(p);
		c->known = c->s != NULL;
		break;
	case COL_UNIT:
		c->known = r->unit != NULL;
		c->s = r->unit;
		break;
	case COL_NAMESPACE:
		c->s = r->kn.ns;
		c->known = c->s != NULL;
		break;
	case COL_POD:
		c->s = r->kn.pod;
		c->known = c->s != NULL;
		break;
	case COL_CONTAINER:
		c->s = r->kn.container;
		c->known = c->s != NULL;
		break;
	case COL_QOS:
		c->s = r->qos;
		c->known = r->qos[0] != '\0';
		break;
	case COL_KILLABLE:
		c->known = r->r->why != OL_KILLABLE_UNKNOWN;
		c->i = r->r->why == OL_KILLABLE;
		switch (r->r->why) {
		/* one word each, so raw output needs no escapes */
		case OL_UNKILLABLE_INIT:	c->text = "no:init"; break;
		case OL_UNKILLABLE_KTHREAD:	c->text = "no:kthread"; break;
		case OL_UNKILLABLE_ADJ_MIN:	c->text = "no:adj-1000"; break;
		case OL_UNKILLABLE_NO_MM:	c->text = "no:no-mm"; break;
		default:			break;
		}
		break;
	case COL_STATE: {
		static char st[2];

		c->known = !!(h & OL_HAVE_STATE);
		st[0] = p->state;
		c->s = st;
		break;
	}
	}
}

/*
 * A row's value in the sort column, typed, as util-linux irq-common.c sorts:
 * numbers as numbers, text as text.  Never the text get_cell() formats for
 * output: it writes USER (a uid without a name) and STATE into static
 * buffers, which both rows of a comparison would share.
 */
struct sort_key {
	int known;
	int is_text;
	long long i;		/* integers, sizes, KILLABLE (no < yes), STATE */
	double d;		/* SHARE */
	const char *s;		/* the text columns */
	char uid[24];		/* USER of a uid without a name: the number, as shown */
};

static void sort_key_of(const struct row *r, int col, struct list_ctx *lc,
			struct sort_key *k)
{
	const struct ol_proc *p = r->p;
	struct ol_cell c = { 0 };

	memset(k, 0, sizeof(*k));
	switch (col) {
	case COL_USER:
		k->known = !!(p->have & OL_HAVE_UID);
		k->is_text = 1;
		k->s = r->user;
		if (!k->s) {
			snprintf(k->uid, sizeof(k->uid), "%u", (unsigned int)p->uid);
			k->s = k->uid;
		}
		return;
	case COL_STATE:
		/* one byte: as a number it sorts as its text does, byte by byte */
		k->known = !!(p->have & OL_HAVE_STATE);
		k->i = (unsigned char)p->state;
		return;
	}
	get_cell(r, col, &c, lc);
	k->known = c.known;
	k->is_text = columns[col].type == OL_CT_STR || columns[col].type == OL_CT_UNTRUSTED;
	k->i = c.i;
	k->d = c.d;
	k->s = c.s ? c.s : "";
}

static int sort_key_cmp(const struct sort_key *a, const struct sort_key *b, enum ol_ctype type)
{
	if (a->is_text)
		return strcmp(a->s, b->s);
	if (type == OL_CT_PERCENT)
		return a->d < b->d ? -1 : a->d > b->d;
	return a->i < b->i ? -1 : a->i > b->i;
}

static struct list_ctx *sort_ctx;

static int cmp_rows(const void *x, const void *y)
{
	const struct row *a = *(const struct row *const *)x;
	const struct row *b = *(const struct row *const *)y;
	struct list_ctx *lc = sort_ctx;
	const struct ol_column *col;
	struct sort_key sa, sb;
	int r;

	if (lc->sort_col < 0 || lc->sort_col == COL_BADNESS || lc->sort_col == COL_SHARE ||
	    lc->sort_col == COL_RANK) {
		/* the model's order; reversed, unknown and unkillable stay last */
		r = a->pos < b->pos ? -1 : a->pos > b->pos;
		return lc->reverse && a->r->rank && b->r->rank ? -r : r;
	}
	col = &columns[lc->sort_col];
	sort_key_of(a, lc->sort_col, lc, &sa);
	sort_key_of(b, lc->sort_col, lc, &sb);
	if (sa.known != sb.known)
		return sb.known - sa.known;	/* unknown last, reversed or not */
	r = sa.known ? sort_key_cmp(&sa, &sb, col->type) : 0;
	if (!col->sort_asc)
		r = -r;
	if (lc->reverse)
		r = -r;
	if (r == 0)
		r = a->p->pid < b->p->pid ? -1 : a->p->pid > b->p->pid;
	return r;
}

static void usage(void)
{
	size_t i;

	fputs("Usage:\n"
	      " oomlens list [options]\n"
	      "\n"
	      "Rank processes by how likely the OOM killer is to kill them, worst first.\n"
	      "\n"
	      "Options:\n"
	      " -o, --output <list>      columns to show (+<list> adds to the defaults)\n"
	      " -H, --list-columns       list the available columns\n"
	      " -J, --json               use JSON output format\n"
	      " -r, --raw                use raw output format\n"
	      " -n, --noheadings         don't print headings\n"
	      " -b, --bytes              print sizes in bytes rather than in human units\n"
	      " -s, --sort <column>      sort by <column> (default: badness, worst first)\n"
	      "     --reverse            reverse the sort order\n"
	      " -p, --pid <list>         only these process IDs\n"
	      " -u, --user <list>        only processes of these users (names or IDs)\n"
	      " -c, --cgroup <prefix>    only processes in this cgroup or below it\n"
	      " -m, --min-score <n>      only processes whose oom_score is at least <n>\n"
	      " -t, --top <n>            only the first <n> processes after sorting\n"
	      " -k, --kernel-threads     include kernel threads\n"
	      " -h, --help               display this help\n"
	      " -V, --version            display version\n"
	      "\n"
	      "Available output columns:\n", stdout);
	for (i = 0; i < NCOLS; i++)
		printf(" %10s  %s\n", columns[i].name, columns[i].help);
	fputs("\nFor more details see oomlens-list(1).\n", stdout);
}

static int parse_pids(struct ol_ctx *ctx, const char *arg, pid_t **pids, size_t *n)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		pid_t v, *np;

		if (ol_parse_pid(tok, &v) < 0) {
			char *e = ol_escape(tok);

			rc = ol_usage_error(ctx, "invalid process ID: '%s'", e ? e : "?");
			free(e);
			rc = -EINVAL;
			break;
		}
		np = realloc(*pids, (*n + 1) * sizeof(*np));
		if (!np) {
			rc = -ENOMEM;
			break;
		}
		*pids = np;
		(*pids)[(*n)++] = v;
	}
	if (!rc && !*n) {
		ol_usage_error(ctx, "empty process ID list");
		rc = -EINVAL;
	}
	free(copy);
	return rc;
}

static int parse_users(struct ol_ctx *ctx, struct ol_users *users, const char *arg,
		       uid_t **uids, size_t *n)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uid_t uid, *nu;

		if ((rc = ol_users_lookup(users, tok, &uid)) < 0) {
			char *e = ol_escape(tok);

			if (rc == -ERANGE)
				ol_usage_error(ctx, "user ID out of range: '%s'", e ? e : "?");
			else
				ol_usage_error(ctx, "unknown user: '%s'", e ? e : "?");
			free(e);
			rc = -EINVAL;
			break;
		}
		nu = realloc(*uids, (*n + 1) * sizeof(*nu));
		if (!nu) {
			rc = -ENOMEM;
			break;
		}
		*uids = nu;
		(*uids)[(*n)++] = uid;
	}
	if (!rc && !*n) {
		ol_usage_error(ctx, "empty user list");
		rc = -EINVAL;
	}
	free(copy);
	return rc;
}

static int pid_in(pid_t pid, const pid_t *pids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return 1;
	return 0;
}

/* "/a/b" is under "/a" and "/a/b", not under "/a/bc". */
static int cgroup_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	while (n > 1 && prefix[n - 1] == '/')
		n--;
	if (n == 1 && prefix[0] == '/')
		return path[0] == '/';
	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int cmd_list(int argc, char **argv, struct ol_ctx *ctx)
{
	enum { OPT_REVERSE = 0x100 };
	static const struct option longopts[] = {
		{ "output",         required_argument, NULL, 'o' },
		{ "list-columns",   no_argument,       NULL, 'H' },
		{ "json",           no_argument,       NULL, 'J' },
		{ "raw",            no_argument,       NULL, 'r' },
		{ "noheadings",     no_argument,       NULL, 'n' },
		{ "bytes",          no_argument,       NULL, 'b' },
		{ "sort",           required_argument, NULL, 's' },
		{ "reverse",        no_argument,       NULL, OPT_REVERSE },
		{ "pid",            required_argument, NULL, 'p' },
		{ "user",           required_argument, NULL, 'u' },
		{ "cgroup",         required_argument, NULL, 'c' },
		{ "min-score",      required_argument, NULL, 'm' },
		{ "top",            required_argument, NULL, 't' },
		{ "kernel-threads", no_argument,       NULL, 'k' },
		{ "help",           no_argument,       NULL, 'h' },
		{ "version",        no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct list_ctx lc = { .sort_col = -1 };
	struct ol_out out;
	struct ol_proclist pl = { 0 };
	struct ol_scan_opts so = { 0 };
	struct row *rows = NULL, **order = NULL;
	const char *outarg = NULL, *sortarg = NULL, *userarg = NULL, *cgarg = NULL;
	pid_t *pids = NULL;
	uid_t *uids = NULL;
	size_t npids = 0, nuids = 0, i, nrows = 0;
	long min_score = 0;
	unsigned long top = 0;
	int c, have_min = 0, list_cols = 0, kthreads = 0, rc = OL_EXIT_FAIL;
	unsigned int need = OL_HAVE_KTHREAD;
	int want_user = 0, want_unit = 0, want_memcg = 0;
	struct ol_memcg_rank *mrs = NULL;
	const char *last_cg = NULL;
	char last_label[512] = "";
	struct ol_cg_decoded last_d;
	struct ol_kube_names last_kn;	/* last_d's kubelet names */
	const int *jalways = json_always;
	size_t njalways = sizeof(json_always) / sizeof(json_always[0]);

	ol_out_init(&out, columns, NCOLS);
	while ((c = getopt_long(argc, argv, ":o:HJrnbs:p:u:c:m:t:khV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outarg = optarg;
			break;
		case 'H':
			list_cols = 1;
			break;
		case 'J':
			out.json = 1;
			break;
		case 'r':
			out.raw = 1;
			break;
		case 'n':
			out.noheadings = 1;
			break;
		case 'b':
			out.bytes = 1;
			break;
		case 's':
			sortarg = optarg;
			break;
		case OPT_REVERSE:
			lc.reverse = 1;
			break;
		case 'p':
			if (parse_pids(ctx, optarg, &pids, &npids) < 0) {
				rc = OL_EXIT_USAGE;
				goto out;
			}
			break;
		case 'u':
			userarg = optarg;
			break;
		case 'c':
			if (optarg[0] != '/') {
				rc = ol_usage_error(ctx, "cgroup prefix must start with '/'");
				goto out;
			}
			cgarg = optarg;
			break;
		case 'm':
			if (ol_strtol(optarg, &min_score) < 0) {
				rc = ol_usage_error(ctx, "invalid score: '%s'", optarg);
				goto out;
			}
			have_min = 1;
			break;
		case 't':
			if (ol_strtoul(optarg, &top) < 0 || top == 0) {
				rc = ol_usage_error(ctx, "invalid number for --top: '%s'", optarg);
				goto out;
			}
			break;
		case 'k':
			kthreads = 1;
			break;
		case 'h':
			usage();
			rc = OL_EXIT_OK;
			goto out;
		case 'V':
			ol_print_version();
			rc = OL_EXIT_OK;
			goto out;
		default:
			rc = ol_bad_option(ctx, argv, c);
			goto out;
		}
	}
	if (optind < argc) {
		rc = ol_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (list_cols) {
		rc = ol_out_print_columns(&out) < 0 ? OL_EXIT_FAIL : OL_EXIT_OK;
		goto out;
	}
	if (out.json && out.raw) {
		rc = ol_usage_error(ctx, "--json and --raw are mutually exclusive");
		goto out;
	}
	{
		char *bad = NULL, *e;
		int r = ol_out_select(&out, outarg, default_cols,
				      sizeof(default_cols) / sizeof(default_cols[0]), &bad);

		if (r < 0) {
			e = bad ? ol_escape(bad) : NULL;
			if (r == -E2BIG)
				rc = ol_usage_error(ctx, "too many columns (at most %d)", OL_OUT_MAXCOLS);
			else if (e && *e)
				rc = ol_usage_error(ctx, "unknown column: %s (see 'oomlens list --list-columns')", e);
			else
				rc = ol_usage_error(ctx, "empty column name in the column list");
			free(e);
			free(bad);
			goto out;
		}
	}
	if (sortarg) {
		lc.sort_col = ol_out_column_id(&out, sortarg);
		if (lc.sort_col < 0) {
			char *e = ol_escape(sortarg);

			rc = ol_usage_error(ctx, "unknown sort column: %s", e ? e : "?");
			free(e);
			goto out;
		}
	}

	if (ol_ctx_root(ctx) < 0)
		goto out;
	if (ol_sysinfo_read(&ctx->root, &lc.si) < 0) {
		ol_warn("cannot read %s/proc/meminfo", ctx->sysroot ? ctx->sysroot : "");
		goto out;
	}
	if (lc.si.page_size_guessed)
		ol_note("the sysroot does not show its page size; assuming 4096 bytes");
	lc.model = ol_model_new(&ctx->root, &lc.si, NULL);
	if (!lc.model) {
		ol_warn("out of memory");
		goto out;
	}
	ol_note_kernel(ol_model_kernel(lc.model), NULL);

	lc.users = ol_users_new(&ctx->root);
	if (!lc.users)
		goto out;
	if (userarg && parse_users(ctx, lc.users, userarg, &uids, &nuids) < 0) {
		rc = OL_EXIT_USAGE;
		goto out;
	}

	/* read only what the columns, the sort and the filters need */
	for (i = 0; i < out.nsel; i++)
		need |= col_needs[out.sel[i]];
	if (out.json)
		for (i = 0; i < sizeof(json_always) / sizeof(json_always[0]); i++)
			need |= col_needs[json_always[i]];
	need |= lc.sort_col >= 0 ? col_needs[lc.sort_col] : col_needs[COL_BADNESS];
	need |= col_needs[COL_KILLABLE];
	for (i = 0; i < out.nsel; i++)
		want_memcg |= out.sel[i] == COL_MCG || out.sel[i] == COL_MCG_RANK ||
			      out.sel[i] == COL_MCG_SHARE;
	if (lc.sort_col == COL_MCG || lc.sort_col == COL_MCG_RANK || lc.sort_col == COL_MCG_SHARE)
		want_memcg = 1;
	if (need & NEED_MODEL)
		need = (need & ~NEED_MODEL) | ol_kernel_needs(ol_model_kernel(lc.model));
	if (nuids)
		need |= OL_HAVE_UID;
	if (cgarg)
		need |= OL_HAVE_CGROUP;
	if (have_min)
		need |= OL_HAVE_SCORE;
	so.read = ol_read_for(need);
	/* a rank is a place among every process: read them all, show these */
	so.pids = want_memcg ? NULL : pids;
	so.npids = want_memcg ? 0 : npids;

	c = ol_scan(&ctx->root, &so, &pl);
	if (c < 0) {
		ol_warnx_errno(c, "cannot scan %s/proc", ctx->sysroot ? ctx->sysroot : "");
		goto out;
	}

	rows = calloc(pl.n ? pl.n : 1, sizeof(*rows));
	order = calloc(pl.n ? pl.n : 1, sizeof(*order));
	if (want_memcg)
		mrs = calloc(pl.n ? pl.n : 1, sizeof(*mrs));
	if (!rows || !order || ol_model_rank(lc.model, pl.procs, pl.n) < 0 || (want_memcg && !mrs)) {
		ol_warn("out of memory");
		goto out;
	}
	for (i = 0; i < out.nsel; i++) {
		want_user |= out.sel[i] == COL_USER;
		want_unit |= out.sel[i] == COL_UNIT || is_kube_col(out.sel[i]);
		if (out.sel[i] == COL_UNIT) {
			jalways = json_with_unit;
			njalways = sizeof(json_with_unit) / sizeof(json_with_unit[0]);
		}
	}
	want_user |= lc.sort_col == COL_USER;
	want_unit |= lc.sort_col == COL_UNIT || is_kube_col(lc.sort_col);
	for (i = 0; i < pl.n; i++)
		rows[ol_model_order(lc.model, i)].pos = i;
	for (i = 0; i < pl.n; i++) {
		struct ol_proc *p = &pl.procs[i];
		struct row *r = &rows[i];
		size_t k;

		if (pids && !so.pids && !pid_in(p->pid, pids, npids))
			continue;
		if (!kthreads && !pids && (p->have & OL_HAVE_KTHREAD) && p->kthread)
			continue;
		if (nuids) {
			if (!(p->have & OL_HAVE_UID))
				continue;
			for (k = 0; k < nuids && uids[k] != p->uid; k++)
				;
			if (k == nuids)
				continue;
		}
		if (cgarg && (!(p->have & OL_HAVE_CGROUP) ||
			      !(cgroup_under(p->cgroup, cgarg) || cgroup_under(p->cgroup_unified, cgarg))))
			continue;
		if (have_min && (!(p->have & OL_HAVE_SCORE) || p->oom_score < min_score))
			continue;
		r->p = p;
		r->r = ol_model_get(lc.model, i);
		if (want_memcg) {
			r->mr = &mrs[i];
			if (ol_model_memcg(lc.model, i, r->mr) == -ENOMEM) {
				ol_warn("out of memory");
				goto out;
			}
		}
		/* names and units only when shown or sorted on: not on the hot path otherwise */
		if (want_user && (p->have & OL_HAVE_UID))
			r->user = ol_users_name(lc.users, p->uid);
		if (want_unit && (p->have & OL_HAVE_CGROUP)) {
			/* neighbours often share a cgroup: decode each path once in a row */
			if (!last_cg || strcmp(last_cg, ol_proc_cgroup(p)) != 0) {
				ol_cgroup_decode(ol_proc_cgroup(p), &last_d);
				if (last_d.kind == OL_CG_NONE && p->cgroup_unified[0])
					ol_cgroup_decode(p->cgroup_unified, &last_d);
				ol_ctx_cgroup_label(ctx, &last_d, last_label, sizeof(last_label));
				ol_kube_lookup(ol_ctx_kube_for(ctx, &last_d), &last_d, &last_kn);
				last_cg = ol_proc_cgroup(p);
			}
			r->unit = strdup(last_label);
			r->kn = last_kn;
			snprintf(r->qos, sizeof(r->qos), "%s", last_kn.qos ? last_kn.qos : "");
			r->kn.qos = NULL;	/* in last_d, which the next path overwrites */
		}
		order[nrows++] = r;
	}
	sort_ctx = &lc;
	qsort(order, nrows, sizeof(*order), cmp_rows);
	if (top && top < nrows)
		nrows = top;

	if (pids) {
		/* say which pids were not found: a silent gap would mislead */
		for (i = 0; i < npids; i++) {
			size_t k;

			for (k = 0; k < pl.n && pl.procs[k].pid != pids[i]; k++)
				;
			if (k == pl.n && pl.n)
				ol_note("no such process: %d", (int)pids[i]);
		}
		if (!pl.n) {
			ol_warn("no such process");
			goto out;
		}
	}
	if (pl.denied)
		ol_note("%zu process%s had unreadable /proc files: their fields show as '-'%s",
			pl.denied, pl.denied == 1 ? "" : "es",
			ol_root_is_live(&ctx->root) ? " (run as root to see them)" : "");

	if (ol_out_start(&out, "processes") < 0) {
		ol_warn("out of memory");
		goto out;
	}
	for (i = 0; i < nrows; i++) {
		if (ol_out_row(&out, get_cell, order[i], &lc, out.json ? jalways : NULL,
			       out.json ? njalways : 0) < 0) {
			ol_warn("out of memory");
			goto out;
		}
	}
	rc = ol_out_finish(&out) < 0 ? OL_EXIT_FAIL : OL_EXIT_OK;
out:
	ol_out_free(&out);
	if (rows)
		for (i = 0; i < pl.n; i++)
			free(rows[i].unit);
	free(rows);
	free(mrs);
	free(order);
	ol_model_free(lc.model);
	free(pids);
	free(uids);
	ol_users_free(lc.users);
	ol_proclist_free(&pl);
	return rc;
}
