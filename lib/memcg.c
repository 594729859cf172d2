// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int read_u64_at(const struct ol_root *root, int dirfd, const char *name,
		       struct ol_buf *b, unsigned long long *v, int *limited)
{
	int rc = ol_root_read(root, dirfd, name, b);

	if (rc < 0)
		return rc;
	return ol_parse_memcg_limit(b->data, v, limited);
}

/*
 * Walk from the hierarchy's root down @cg, one directory descriptor at a
 * time (so any depth costs one open per level), for the tightest limit:
 * the one nearest the root among equals, since its usage is the largest.
 * Returns the descriptor of that cgroup (its path in @m->path) or -1.
 */
static int tightest(const struct ol_root *root, int dfd, const char *cg, const char *limit_name,
		    struct ol_memcg *m, struct ol_buf *b)
{
	const char *s = cg;
	unsigned long long v;
	int best = -1, lim;

	for (;;) {
		const char *e;
		char comp[256];
		int nfd;

		if (read_u64_at(root, dfd, limit_name, b, &v, &lim) == 0 && lim &&
		    (best < 0 || v < m->limit_bytes)) {
			if (best >= 0)
				close(best);
			best = dup(dfd);
			m->limit_bytes = v;
			snprintf(m->path, sizeof(m->path), "%.*s", s == cg ? 1 : (int)(s - cg), cg);
		}
		while (*s == '/')
			s++;
		if (!*s)
			break;
		e = strchrnul(s, '/');
		if ((size_t)(e - s) >= sizeof(comp))
			break;		/* no name is this long (NAME_MAX) */
		memcpy(comp, s, (size_t)(e - s));
		comp[e - s] = '\0';
		s = e;
		nfd = ol_root_openat(root, dfd, comp, OL_OPEN_DIR | OL_OPEN_QUIET, NULL);
		if (nfd < 0)
			break;
		close(dfd);
		dfd = nfd;
	}
	close(dfd);
	return best;
}

/* mm/memcontrol.c mem_cgroup_get_max(), for the cgroup open at @fd */
static void get_max(const struct ol_root *root, int fd, const struct ol_sysinfo *si,
		    struct ol_memcg *m, struct ol_buf *b)
{
	unsigned long ps = (unsigned long)si->page_size;
	unsigned long max = (unsigned long)(m->limit_bytes / ps), swap = 0;
	unsigned long long v;
	int lim;

	if (m->swappiness != 0) {
		if (m->version == 1) {
			if (read_u64_at(root, fd, "memory.memsw.limit_in_bytes", b, &v, &lim) == 0)
				swap = (unsigned long)(v / ps) - max;	/* unsigned, as the kernel */
			else
				swap = ~0UL;	/* no memsw accounting: swap.max is unlimited */
		} else if (read_u64_at(root, fd, "memory.swap.max", b, &v, &lim) == 0) {
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

int ol_memcg_domain(const struct ol_root *root, const struct ol_proc *p,
		    const struct ol_sysinfo *si, struct ol_memcg *m)
{
	char file[OL_MEMCG_PATH_MAX + 64];
	const char *base, *limit_name, *usage_name, *cg;
	struct ol_buf b = { 0 };
	unsigned long long v;
	int fd, lim;

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
		cg = p->cgroup;
	} else {
		m->version = 2;
		base = "fs/cgroup";
		limit_name = "memory.max";
		usage_name = "memory.current";
		cg = p->cgroup_unified;
	}
	if (strlen(cg) >= OL_MEMCG_PATH_MAX) {
		/* proc_cgroup_show() shows no path of PATH_MAX bytes: not a kernel's */
		ol_root_note(root, -1, "proc", "process %d: a cgroup path of %zu bytes, longer than "
			     "the kernel shows (%d): its memory cgroup is unknown", (int)p->pid,
			     strlen(cg), OL_MEMCG_PATH_MAX - 1);
		m->version = 0;
		return -ENAMETOOLONG;
	}
	fd = ol_root_openat(root, root->sysfd, base, OL_OPEN_DIR | OL_OPEN_QUIET, NULL);
	fd = fd < 0 ? -1 : tightest(root, fd, cg, limit_name, m, &b);
	if (fd < 0) {
		/* is there a memory controller at all? */
		snprintf(file, sizeof(file), "%s%s/%s", base,
			 m->version == 1 ? "" : (strcmp(cg, "/") ? cg : ""),
			 m->version == 1 ? limit_name : "cgroup.controllers");
		if (ol_root_read(root, root->sysfd, file, &b) < 0 ||
		    (m->version == 2 && !strstr(b.data, "memory")))
			m->version = 0;
		m->limit_bytes = 0;
		snprintf(m->path, sizeof(m->path), "%s", cg);
		goto out;
	}
	m->limited = 1;
	if (read_u64_at(root, fd, usage_name, &b, &v, &lim) == 0)
		m->usage_bytes = v;

	/* swappiness: v1 per cgroup, v2 the global vm.swappiness */
	if (m->version == 1) {
		if (ol_root_read(root, fd, "memory.swappiness", &b) == 0)
			ol_parse_long(b.data, &m->swappiness);
		if (ol_root_read(root, fd, "memory.oom_control", &b) == 0) {
			const char *k = strstr(b.data, "oom_kill_disable ");

			if (k && (k == b.data || k[-1] == '\n'))
				m->oom_kill_disable = k[17] == '1';
		}
	} else if (ol_root_read(root, root->procfd, "sys/vm/swappiness", &b) == 0) {
		ol_parse_long(b.data, &m->swappiness);
	}
	get_max(root, fd, si, m, &b);
	close(fd);
out:
	ol_buf_free(&b);
	return 0;
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
		if (ol_root_read(root, root->sysfd, file, &b) < 0)
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
