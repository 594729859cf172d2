// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/parse.h"

/* The line after @p, or NULL at the end of the buffer. */
static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p ? p + 1 : NULL;
}

/* If the line at @p starts with @key, return what follows it, else NULL. */
static const char *line_key(const char *p, const char *key, size_t klen)
{
	return strncmp(p, key, klen) == 0 ? p + klen : NULL;
}

static int parse_ull(const char *p, unsigned long long *v)
{
	char *end;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	*v = strtoull(p, &end, 10);
	if (errno)
		return -ERANGE;
	return 0;
}

/* "   1234 kB" */
static int parse_kb(const char *p, unsigned long long *v)
{
	return parse_ull(p, v);
}

/* Undo the kernel's escaping of the status Name: line ("\n" and "\\"). */
static void unescape_name(const char *p, char *out, size_t sz)
{
	size_t o = 0;

	while (*p && *p != '\n' && o + 1 < sz) {
		if (p[0] == '\\' && p[1] == 'n') {
			out[o++] = '\n';
			p += 2;
		} else if (p[0] == '\\' && p[1] == '\\') {
			out[o++] = '\\';
			p += 2;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

#define KEY(k) k, sizeof(k) - 1

int ol_parse_status(const char *buf, struct ol_status *st)
{
	return ol_parse_status_flags(buf, st, 0);
}

int ol_parse_status_flags(const char *buf, struct ol_status *st, unsigned int flags)
{
	const char *p, *v;
	unsigned long long u;

	memset(st, 0, sizeof(*st));
	st->kthread = -1;
	for (p = buf; p && *p; p = next_line(p)) {
		switch (*p) {
		case 'N':
			if ((v = line_key(p, KEY("Name:\t")))) {
				unescape_name(v, st->name, sizeof(st->name));
				st->have |= OL_ST_NAME;
			}
			break;
		case 'S':
			if ((v = line_key(p, KEY("State:")))) {
				while (*v == ' ' || *v == '\t')
					v++;
				if (*v && *v != '\n') {
					st->state = *v;
					st->have |= OL_ST_STATE;
				}
			}
			break;
		case 'P':
			if ((v = line_key(p, KEY("PPid:"))) && !parse_ull(v, &u) &&
			    u <= INT_MAX) {
				st->ppid = (pid_t)u;
				st->have |= OL_ST_PPID;
			}
			break;
		case 'U':
			if ((v = line_key(p, KEY("Uid:"))) && !parse_ull(v, &u) &&
			    u <= UINT32_MAX) {
				st->uid = (uid_t)u;
				st->have |= OL_ST_UID;
			}
			break;
		case 'K':
			if ((v = line_key(p, KEY("Kthread:"))) && !parse_ull(v, &u)) {
				st->kthread = u != 0;
				st->have |= OL_ST_KTHREAD;
			}
			break;
		case 'R':
			if ((v = line_key(p, KEY("RssAnon:"))) && !parse_kb(v, &st->rss_anon_kb))
				st->have |= OL_ST_RSS_SPLIT;
			else if ((v = line_key(p, KEY("RssFile:"))))
				parse_kb(v, &st->rss_file_kb);
			else if ((v = line_key(p, KEY("RssShmem:"))))
				parse_kb(v, &st->rss_shmem_kb);
			break;
		case 'V':
			if ((v = line_key(p, KEY("VmSize:"))) && !parse_kb(v, &st->vm_size_kb))
				st->have |= OL_ST_VMSIZE;
			else if ((v = line_key(p, KEY("VmRSS:"))) && !parse_kb(v, &st->vm_rss_kb))
				st->have |= OL_ST_VMRSS;
			else if ((v = line_key(p, KEY("VmSwap:"))) && !parse_kb(v, &st->vm_swap_kb)) {
				st->have |= OL_ST_SWAP;
				/*
				 * VmSwap is the last line most callers need (Name,
				 * State, PPid, Uid, Kthread and the memory lines all
				 * come before it): stop here unless CapEff is wanted.
				 */
				if (flags & OL_STATUS_STOP_AT_SWAP)
					return (st->have & OL_ST_NAME) ? 0 : -EINVAL;
			}
			else if ((v = line_key(p, KEY("VmPTE:"))) && !parse_kb(v, &st->vm_pte_kb))
				st->have |= OL_ST_PTE;
			else if ((v = line_key(p, KEY("VmPMD:"))) && !parse_kb(v, &st->vm_pmd_kb))
				st->have |= OL_ST_PMD;
			break;
		case 'C':
			if ((v = line_key(p, KEY("CapEff:\t")))) {
				char *end;

				errno = 0;
				st->cap_eff = strtoull(v, &end, 16);
				if (!errno && end != v)
					st->have |= OL_ST_CAPEFF;
			}
			break;
		}
	}
	/* Every kernel's status starts with Name: -- anything else is not one. */
	if (!(st->have & OL_ST_NAME))
		return -EINVAL;
	return 0;
}

int ol_parse_stat(const char *buf, struct ol_stat *st)
{
	const char *open, *close, *p;
	unsigned long long f[22];	/* fields 3 (state) .. 24 (rss) */
	size_t len;
	int i;
	char *end;

	memset(st, 0, sizeof(*st));
	open = strchr(buf, '(');
	close = strrchr(buf, ')');	/* a comm may itself hold ')' */
	if (!open || !close || close < open)
		return -EINVAL;
	len = (size_t)(close - open - 1);
	if (len >= sizeof(st->comm))
		len = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, len);
	st->comm[len] = '\0';

	p = close + 1;
	if (*p++ != ' ' || !*p || *p == '\n')
		return -EINVAL;
	st->state = *p++;
	/* fields 4..24: ppid .. rss; field 24 (rss) may be signed */
	for (i = 4; i <= 24; i++) {
		while (*p == ' ')
			p++;
		if (*p == '-') {
			long v = strtol(p, &end, 10);

			f[i - 3] = (unsigned long long)v;
		} else {
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			errno = 0;
			f[i - 3] = strtoull(p, &end, 10);
			if (errno)
				return -EINVAL;
		}
		if (end == p)
			return -EINVAL;
		p = end;
	}
	st->ppid = (pid_t)f[4 - 3];
	st->flags = (unsigned long)f[9 - 3];
	st->starttime = f[22 - 3];
	st->rss_pages = (long)f[24 - 3];
	return 0;
}

int ol_parse_meminfo(const char *buf, struct ol_meminfo *mi)
{
	const char *p, *v;

	memset(mi, 0, sizeof(*mi));
	for (p = buf; p && *p; p = next_line(p)) {
		if ((v = line_key(p, KEY("MemTotal:"))))
			mi->have_mem_total = !parse_kb(v, &mi->mem_total_kb);
		else if ((v = line_key(p, KEY("MemFree:"))))
			parse_kb(v, &mi->mem_free_kb);
		else if ((v = line_key(p, KEY("MemAvailable:"))))
			parse_kb(v, &mi->mem_available_kb);
		else if ((v = line_key(p, KEY("SwapTotal:"))))
			mi->have_swap_total = !parse_kb(v, &mi->swap_total_kb);
		else if ((v = line_key(p, KEY("SwapFree:"))))
			parse_kb(v, &mi->swap_free_kb);
	}
	if (!mi->have_mem_total || mi->mem_total_kb == 0)
		return -EINVAL;
	return 0;
}

static int copy_path(const char *p, char *out, size_t sz)
{
	size_t n = strcspn(p, "\n");
	int rc = 0;

	if (!out || !sz)
		return 0;
	if (n >= sz) {
		n = sz - 1;
		rc = -ENAMETOOLONG;
	}
	memcpy(out, p, n);
	out[n] = '\0';
	return rc;
}

/*
 * The path of the /proc/PID/cgroup line ("ID:LIST:PATH") whose comma list
 * holds @item exactly; @item "" is the unified line ("0::PATH").  NULL when
 * no line has it; *seen tells whether any line was well formed.
 */
static const char *cgroup_path_of(const char *buf, const char *item, int *seen)
{
	size_t il = strlen(item);

	*seen = 0;
	for (const char *p = buf; p && *p; p = next_line(p)) {
		const char *c1 = strchr(p, ':'), *c2, *nl = strchr(p, '\n');

		if (!c1 || (nl && c1 > nl))
			continue;
		c2 = strchr(c1 + 1, ':');
		if (!c2 || (nl && c2 > nl))
			continue;
		*seen = 1;
		if (!il) {
			if (c2 == c1 + 1 && strncmp(p, "0:", 2) == 0)
				return c2 + 1;
			continue;
		}
		for (const char *c = c1 + 1; c < c2;) {
			size_t n = strcspn(c, ",:");

			if (n == il && strncmp(c, item, il) == 0)
				return c2 + 1;
			c += n;
			if (*c == ',')
				c++;
		}
	}
	return NULL;
}

/* Copy the path of @item's line into @out ("" when absent); -ENAMETOOLONG, -EINVAL, 0. */
static int cgroup_copy(const char *buf, const char *item, char *out, size_t sz)
{
	int seen;
	const char *path = cgroup_path_of(buf, item, &seen);

	if (out && sz)
		out[0] = '\0';
	if (!seen)
		return -EINVAL;
	return path && copy_path(path, out, sz) ? -ENAMETOOLONG : 0;
}

int ol_parse_cgroup(const char *buf, char *memory, size_t msz,
		    char *unified, size_t usz)
{
	int rm = cgroup_copy(buf, "memory", memory, msz);
	int ru = cgroup_copy(buf, "", unified, usz);

	return rm == -EINVAL ? rm : rm ? rm : ru;
}

int ol_parse_cgroup_named(const char *buf, const char *name, char *out, size_t sz)
{
	char item[64];

	if (snprintf(item, sizeof(item), "name=%s", name) >= (int)sizeof(item))
		return -EINVAL;
	return cgroup_copy(buf, item, out, sz);
}

int ol_parse_long(const char *buf, long *val)
{
	char *end;

	while (*buf == ' ')
		buf++;
	if (!*buf)
		return -EINVAL;
	errno = 0;
	*val = strtol(buf, &end, 10);
	if (errno)
		return -ERANGE;
	if (end == buf || (*end && *end != '\n'))
		return -EINVAL;
	return 0;
}

char *ol_cmdline_join(const char *buf, size_t len)
{
	char *s;
	size_t i;

	while (len && buf[len - 1] == '\0')
		len--;
	s = malloc(len + 1);
	if (!s)
		return NULL;
	for (i = 0; i < len; i++)
		s[i] = buf[i] ? buf[i] : ' ';
	s[len] = '\0';
	return s;
}

long ol_parse_smaps_pagesize(const char *buf)
{
	const char *p, *v;
	unsigned long long kb;

	for (p = buf; p && *p; p = next_line(p))
		if ((v = line_key(p, KEY("KernelPageSize:"))) && !parse_kb(v, &kb) &&
		    kb > 0 && kb <= LONG_MAX / 1024)
			return (long)(kb * 1024);
	return 0;
}
