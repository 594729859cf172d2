/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_CGROUP_H
#define OOMLENS_CGROUP_H

#include <stddef.h>

enum ol_cg_kind {
	OL_CG_NONE = 0,		/* root, or nothing recognisable */
	OL_CG_UNIT,		/* systemd service, mount, socket, ... */
	OL_CG_SCOPE,		/* systemd scope (sessions, transient units) */
	OL_CG_SLICE,		/* only a slice */
	OL_CG_CONTAINER,	/* docker, containerd, cri-o, podman, lxc */
	OL_CG_POD,		/* kubernetes pod (container id when known) */
};

struct ol_cg_decoded {
	enum ol_cg_kind kind;
	char unit[256];		/* systemd unit or scope, or slice */
	char runtime[16];	/* docker, cri-containerd, crio, libpod, lxc */
	char container[72];	/* container id (hex) */
	char pod_uid[40];	/* kubernetes pod uid, dashes restored */
	char qos[16];		/* guaranteed, burstable, besteffort */
};

/* Decode a cgroup path into what users call it.  Pure. */
void ol_cgroup_decode(const char *path, struct ol_cg_decoded *out);

/* One short label: "nginx.service", "docker:3f2a9c1b7d10", "pod:<uid>/burstable". */
void ol_cgroup_label(const struct ol_cg_decoded *d, char *buf, size_t sz);

#endif
