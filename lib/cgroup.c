// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "oomlens/cgroup.h"

static const char *const unit_suffixes[] = {
	".service", ".scope", ".socket", ".mount", ".swap", ".timer",
	".path", ".target", ".automount", ".device",
};

static int has_suffix(const char *s, size_t n, const char *suf)
{
	size_t m = strlen(suf);

	return n > m && strncmp(s + n - m, suf, m) == 0;
}

static int is_hex_run(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static void copy_n(char *dst, size_t dsz, const char *src, size_t n)
{
	if (n >= dsz)
		n = dsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Container id at the end of @s (64 hex chars), else 0. */
static int take_container_id(const char *s, size_t n, struct ol_cg_decoded *d)
{
	if (n >= 64 && is_hex_run(s + n - 64, 64)) {
		copy_n(d->container, sizeof(d->container), s + n - 64, 64);
		return 1;
	}
	return 0;
}

/*
 * One path component: "docker-<id>.scope", "cri-containerd-<id>.scope",
 * "crio-<id>.scope", "libpod-<id>.scope", "<id>" (cgroupfs driver),
 * "kubepods-burstable-pod<uid>.slice", "pod<uid>", "docker" ...
 */
static void decode_component(const char *c, size_t n, struct ol_cg_decoded *d,
			     const char *prev, size_t prevn)
{
	static const struct {
		const char *prefix, *runtime;
	} rt[] = {
		{ "docker-", "docker" },
		{ "cri-containerd-", "containerd" },
		{ "crio-conmon-", "crio" },
		{ "crio-", "crio" },
		{ "libpod-conmon-", "podman" },
		{ "libpod-", "podman" },
	};
	size_t i, base = n;
	const char *p, *colon;

	/*
	 * "kubepods-burstable-pod<uid>.slice:cri-containerd:<id>": a systemd
	 * driver cgroupsPath that a cgroupfs runtime took as one directory
	 * name.  The slice part names the pod, the last field the container;
	 * neither is a systemd unit, so the unit found so far is kept.
	 */
	colon = memchr(c, ':', n);
	if (colon) {
		const char *id = c + n, *rtname = colon + 1;
		char unit[sizeof(d->unit)];
		enum ol_cg_kind kind = d->kind;

		while (id > colon && id[-1] != ':')
			id--;
		memcpy(unit, d->unit, sizeof(unit));
		decode_component(c, (size_t)(colon - c), d, prev, prevn);
		memcpy(d->unit, unit, sizeof(unit));
		d->kind = kind;
		if (take_container_id(id, (size_t)(c + n - id), d)) {
			size_t rl = id > rtname ? (size_t)(id - 1 - rtname) : 0;

			if (rl == 14 && strncmp(rtname, "cri-containerd", 14) == 0)
				snprintf(d->runtime, sizeof(d->runtime), "containerd");
			else if (rl == 4 && strncmp(rtname, "crio", 4) == 0)
				snprintf(d->runtime, sizeof(d->runtime), "crio");
			else if (rl == 6 && strncmp(rtname, "docker", 6) == 0)
				snprintf(d->runtime, sizeof(d->runtime), "docker");
		}
		return;
	}
	if (has_suffix(c, n, ".scope"))
		base = n - 6;
	for (i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
		size_t pl = strlen(rt[i].prefix);

		if (base > pl && strncmp(c, rt[i].prefix, pl) == 0 &&
		    take_container_id(c + pl, base - pl, d)) {
			snprintf(d->runtime, sizeof(d->runtime), "%s", rt[i].runtime);
			if (base != n)	/* the container's own scope is its unit */
				copy_n(d->unit, sizeof(d->unit), c, n);
			return;
		}
	}
	/* cgroupfs driver: a bare id under /docker or /kubepods/... */
	if (take_container_id(c, n, d)) {
		if (prevn == 6 && strncmp(prev, "docker", 6) == 0)
			snprintf(d->runtime, sizeof(d->runtime), "docker");
		return;
	}
	/* kubernetes pods: "pod<uid>" (cgroupfs) or "kubepods-<qos>-pod<uid>.slice" */
	p = NULL;
	for (i = 0; i + 3 < n; i++) {
		if (strncmp(c + i, "pod", 3) == 0 && (i == 0 || c[i - 1] == '-')) {
			p = c + i + 3;
			break;
		}
	}
	if (p && strncmp(c, "kubepods", 8) != 0 && p != c + 3)
		p = NULL;
	if (p) {
		size_t ul = (size_t)(c + base - p), k;

		if (has_suffix(c, n, ".slice"))
			ul = (size_t)(c + n - 6 - p);
		if (ul >= 32 && ul <= 36) {
			copy_n(d->pod_uid, sizeof(d->pod_uid), p, ul);
			/* the systemd driver writes the uid's dashes as underscores */
			for (k = 0; d->pod_uid[k]; k++)
				if (d->pod_uid[k] == '_')
					d->pod_uid[k] = '-';
			/* systemd driver: the pod's slice is a unit */
			if (has_suffix(c, n, ".slice"))
				copy_n(d->unit, sizeof(d->unit), c, n);
		}
	}
	if (strncmp(c, "kubepods", 8) == 0) {
		static const char *const qos[] = { "burstable", "besteffort" };

		for (i = 0; i < 2; i++) {
			size_t ql = strlen(qos[i]);

			if ((n >= 9 + ql && c[8] == '-' && strncmp(c + 9, qos[i], ql) == 0) ||
			    (n == ql && strncmp(c, qos[i], ql) == 0))
				snprintf(d->qos, sizeof(d->qos), "%s", qos[i]);
		}
	} else if ((n == 9 && strncmp(c, "burstable", 9) == 0) ||
		   (n == 10 && strncmp(c, "besteffort", 10) == 0)) {
		copy_n(d->qos, sizeof(d->qos), c, n);
	}
	if (!d->container[0] && !d->pod_uid[0]) {
		for (i = 0; i < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); i++) {
			if (has_suffix(c, n, unit_suffixes[i])) {
				copy_n(d->unit, sizeof(d->unit), c, n);
				d->kind = has_suffix(c, n, ".scope") ? OL_CG_SCOPE : OL_CG_UNIT;
				return;
			}
		}
		if (has_suffix(c, n, ".slice") && (d->kind == OL_CG_NONE || d->kind == OL_CG_SLICE)) {
			copy_n(d->unit, sizeof(d->unit), c, n);
			d->kind = OL_CG_SLICE;
		}
	}
}

void ol_cgroup_decode(const char *path, struct ol_cg_decoded *d)
{
	const char *c = path, *prev = "";
	size_t prevn = 0;
	int kube = 0;

	memset(d, 0, sizeof(*d));
	if (!path)
		return;
	while (*c) {
		size_t n;

		while (*c == '/')
			c++;
		n = strcspn(c, "/");
		if (!n)
			break;
		if (strncmp(c, "kubepods", 8) == 0)
			kube = 1;
		if (n > 4 && strncmp(c, "lxc.", 4) == 0 && !d->container[0]) {
			/* "/lxc/NAME" or "/lxc.payload.NAME" */
			const char *name = memchr(c + 4, '.', n - 4);

			if (name) {
				snprintf(d->runtime, sizeof(d->runtime), "lxc");
				copy_n(d->container, sizeof(d->container), name + 1,
				       (size_t)(c + n - name - 1));
			}
		} else if (prevn == 3 && strncmp(prev, "lxc", 3) == 0 && !d->container[0]) {
			snprintf(d->runtime, sizeof(d->runtime), "lxc");
			copy_n(d->container, sizeof(d->container), c, n);
		} else {
			decode_component(c, n, d, prev, prevn);
		}
		prev = c;
		prevn = n;
		c += n;
	}
	if (kube && (d->pod_uid[0] || d->qos[0])) {
		d->kind = OL_CG_POD;
		if (!d->qos[0] && d->pod_uid[0])
			snprintf(d->qos, sizeof(d->qos), "guaranteed");
	} else if (d->container[0]) {
		d->kind = OL_CG_CONTAINER;
	}
}

void ol_cgroup_label(const struct ol_cg_decoded *d, char *buf, size_t sz)
{
	switch (d->kind) {
	case OL_CG_POD:
		if (d->container[0])
			snprintf(buf, sz, "pod:%s/%s/%.12s", d->qos,
				 d->pod_uid[0] ? d->pod_uid : "?", d->container);
		else
			snprintf(buf, sz, "pod:%s/%s", d->qos,
				 d->pod_uid[0] ? d->pod_uid : "?");
		break;
	case OL_CG_CONTAINER:
		snprintf(buf, sz, "%s:%.12s", d->runtime[0] ? d->runtime : "container",
			 d->container);
		break;
	case OL_CG_UNIT:
	case OL_CG_SCOPE:
	case OL_CG_SLICE:
		snprintf(buf, sz, "%s", d->unit);
		break;
	default:
		if (sz)
			buf[0] = '\0';
		break;
	}
}
