// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomlens/memcg.h"
#include "oomlens/parse.h"

/* PAGE_COUNTER_MAX pages: any v1 limit this large is "unlimited" */
#define V1_UNLIMITED	(1ULL << 62)

int ol_parse_memcg_limit(const char *buf, unsigned long long *bytes, int *limited)
{
	char *end;

	if (strncmp(buf, "max", 3) == 0 && (buf[3] == '\n' || buf[3] == '\0')) {
		*bytes = 0;
		*limited = 0;
		return 0;
	}
	if (*buf < '0' || *buf > '9')
		return -EINVAL;
	errno = 0;
	*bytes = strtoull(buf, &end, 10);
	if (errno || (*end && *end != '\n'))
		return -EINVAL;
	*limited = *bytes < V1_UNLIMITED;
	return 0;
}

int ol_memcg_kb_is_max(unsigned long long kb)
{
	return kb >= (1ULL << 52) || kb == 0x7fffffffULL * 4;
}

static int read_file(const struct ol_root *root, const char *path, struct ol_buf *b)
{
	return ol_root_read(root, root->sysfd, path, b);
}

static int read_u64(const struct ol_root *root, const char *path, struct ol_buf *b,
		    unsigned long long *v, int *limited)
{
	int rc = read_file(root, path, b);

	if (rc < 0)
		return rc;
	return ol_parse_memcg_limit(b->data, v, limited);
}

/* Path of the cgroup one level up, in place; 0 at the root. */
static int up(char *path)
{
	char *s = strrchr(path, '/');

	if (!s || (s == path && path[1] == '\0'))
		return 0;
	if (s == path)
		s[1] = '\0';
	else
		*s = '\0';
	return 1;
}

int ol_memcg_domain(const struct ol_root *root, const struct ol_proc *p,
		    const struct ol_sysinfo *si, struct ol_memcg *m)
{
	char cur[4096], file[4200];
	const char *base, *limit_name, *usage_name;
	struct ol_buf b = { 0 };
	unsigned long long best = 0, v;
	int have_best = 0, lim, rc = 0;

	memset(m, 0, sizeof(*m));
	m->swappiness = -1;
	m->oom_kill_disable = -1;
	if (!(p->have & OL_HAVE_CGROUP))
		return -ENODATA;
	if (p->cgroup[0]) {
		m->version = 1;
		base = "fs/cgroup/memory";
		limit_name = "memory.limit_in_bytes";
		usage_name = "memory.usage_in_bytes";
		snprintf(cur, sizeof(cur), "%s", p->cgroup);
	} else {
		m->version = 2;
		base = "fs/cgroup";
		limit_name = "memory.max";
		usage_name = "memory.current";
		snprintf(cur, sizeof(cur), "%s", p->cgroup_unified);
	}
	/* walk up; the root cgroup has no limit file in v2 */
	for (;;) {
		snprintf(file, sizeof(file), "%s%s/%s", base, strcmp(cur, "/") ? cur : "", limit_name);
		if (read_u64(root, file, &b, &v, &lim) == 0 && lim && (!have_best || v <= best)) {
			best = v;
			have_best = 1;
			snprintf(m->path, sizeof(m->path), "%s", cur);
		}
		if (!up(cur))
			break;
	}
	if (!have_best) {
		/* is there a memory controller at all? */
		snprintf(file, sizeof(file), "%s%s/%s", base,
			 m->version == 1 ? "" : (strcmp(p->cgroup_unified, "/") ? p->cgroup_unified : ""),
			 m->version == 1 ? limit_name : "cgroup.controllers");
		if (read_file(root, file, &b) < 0 ||
		    (m->version == 2 && !strstr(b.data, "memory")))
			m->version = 0;
		snprintf(m->path, sizeof(m->path), "%s",
			 m->version == 1 ? p->cgroup : p->cgroup_unified);
		goto out;
	}
	m->limited = 1;
	m->limit_bytes = best;
	const char *mp = strcmp(m->path, "/") ? m->path : "";

	snprintf(file, sizeof(file), "%s%s/%s", base, mp, usage_name);
	if (read_u64(root, file, &b, &v, &lim) == 0)
		m->usage_bytes = v;

	/* swappiness: v1 per cgroup, v2 the global vm.swappiness */
	if (m->version == 1) {
		snprintf(file, sizeof(file), "%s%s/memory.swappiness", base, mp);
		if (read_file(root, file, &b) == 0)
			ol_parse_long(b.data, &m->swappiness);
		snprintf(file, sizeof(file), "%s%s/memory.oom_control", base, mp);
		if (read_file(root, file, &b) == 0) {
			const char *k = strstr(b.data, "oom_kill_disable ");

			if (k && (k == b.data || k[-1] == '\n'))
				m->oom_kill_disable = k[17] == '1';
		}
	} else if (ol_root_read(root, root->procfd, "sys/vm/swappiness", &b) == 0) {
		ol_parse_long(b.data, &m->swappiness);
	}

	/* mm/memcontrol.c mem_cgroup_get_max() */
	{
		unsigned long ps = (unsigned long)si->page_size;
		unsigned long max = (unsigned long)(best / ps), swap = 0;

		if (m->swappiness != 0) {
			if (m->version == 1) {
				snprintf(file, sizeof(file), "%s%s/memory.memsw.limit_in_bytes", base, mp);
				if (read_u64(root, file, &b, &v, &lim) == 0)
					swap = (unsigned long)(v / ps) - max;	/* unsigned, as the kernel */
				else
					swap = ~0UL;	/* no memsw accounting: swap.max is unlimited */
			} else {
				snprintf(file, sizeof(file), "%s%s/memory.swap.max", base, mp);
				if (read_u64(root, file, &b, &v, &lim) == 0)
					swap = lim ? (unsigned long)(v / ps) : ~0UL;
			}
			if (swap > si->total_swap_pages)
				swap = si->total_swap_pages;
		}
		m->swap_pages = swap;
		m->totalpages = max + swap;
		if (!m->totalpages)
			m->totalpages = 1;	/* "at least 1", as constrained_alloc() */
	}
out:
	ol_buf_free(&b);
	return rc;
}

int ol_memcg_contains(const struct ol_memcg *m, const struct ol_proc *p)
{
	const char *path;
	size_t n;

	if (!(p->have & OL_HAVE_CGROUP) || !m->version)
		return 0;
	path = m->version == 1 ? p->cgroup : p->cgroup_unified;
	if (strcmp(m->path, "/") == 0)
		return path[0] == '/';
	n = strlen(m->path);
	return strncmp(path, m->path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int ol_memcg_oom_kills(const struct ol_root *root, const char *path, unsigned long long *kills,
		       int *version)
{
	/* v1 memory.oom_control, v2 memory.events.local: both count a kill once, in the victim's own group */
	static const struct { const char *base, *file; int version; } where[] = {
		{ "fs/cgroup/memory", "memory.oom_control", 1 },
		{ "fs/cgroup", "memory.events.local", 2 },
	};
	char file[4200];
	struct ol_buf b = { 0 };
	int rc = -ENOENT;

	if (path[0] != '/' || strstr(path, "/../") || strcmp(path, "/..") == 0 ||
	    (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		const char *k;
		char *end;

		snprintf(file, sizeof(file), "%s%s/%s", where[i].base, strcmp(path, "/") ? path : "",
			 where[i].file);
		if (read_file(root, file, &b) < 0)
			continue;
		rc = -ENODATA;
		for (k = b.data; (k = strstr(k, "oom_kill ")); k++) {
			if (k != b.data && k[-1] != '\n')
				continue;
			errno = 0;
			*kills = strtoull(k + 9, &end, 10);
			if (errno || end == k + 9 || (*end && *end != '\n'))
				break;
			*version = where[i].version;
			rc = 0;
			break;
		}
		break;
	}
	ol_buf_free(&b);
	return rc;
}
