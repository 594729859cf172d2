/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_KUBE_H
#define OOMLENS_KUBE_H

#include <stddef.h>

#include "oomlens/cgroup.h"
#include "oomlens/root.h"

/*
 * Kubernetes names without an API: the kubelet names its log directories
 * after the pods and containers it runs (pkg/kubelet/kuberuntime):
 *
 *   /var/log/pods/NAMESPACE_POD_UID/CONTAINER/N.log
 *   /var/log/containers/POD_NAMESPACE_CONTAINER-CONTAINERID.log  (links)
 *
 * A cgroup path gives a pod's uid and a container id (ol_cgroup_decode());
 * these directory names give their namespace, pod and container names.
 * Only the names of the entries are read, never what they link to.
 */
struct ol_kube;

struct ol_kube_names {
	const char *ns;		/* namespace, or NULL when unknown */
	const char *pod;	/* pod name, or NULL */
	const char *container;	/* container name, or NULL */
	const char *qos;	/* guaranteed, burstable, besteffort (in the
				   ol_cg_decoded), or NULL: not a pod's */
};

/*
 * Read DIR/var/log/pods and DIR/var/log/containers of @root.  0 and *@out
 * (NULL when neither holds a kubelet's name: not a node), or -ENOMEM.
 */
int ol_kube_load(const struct ol_root *root, struct ol_kube **out);
void ol_kube_free(struct ol_kube *k);

/*
 * The names of @d's pod and container (NULL each when unknown, or when @d
 * is not a pod's) and its QoS class; 1 when the pod is known.
 */
int ol_kube_lookup(const struct ol_kube *k, const struct ol_cg_decoded *d,
		   struct ol_kube_names *n);

struct json_object;
/*
 * "namespace", "pod", "container" and "qos" into @o, as every JSON output
 * carries them beside its "unit": ol_kube_lookup()'s, null when unknown.
 */
void ol_kube_json_add(struct json_object *o, const struct ol_kube *k,
		      const struct ol_cg_decoded *d);

/*
 * ol_cgroup_label() with names: "pod:NAMESPACE/POD/CONTAINER" (or
 * "pod:NAMESPACE/POD") when @k knows the pod, else ol_cgroup_label().
 */
void ol_kube_label(const struct ol_kube *k, const struct ol_cg_decoded *d,
		   char *buf, size_t sz);

/* Pure parsers of one directory entry's name, for tests.  1 when it is one. */
int ol_kube_parse_pod_dir(const char *name, char *ns, size_t nsz, char *pod,
			  size_t psz, char *uid, size_t usz);
int ol_kube_parse_container_link(const char *name, char *pod, size_t psz,
				 char *ns, size_t nsz, char *ctr, size_t csz,
				 char *id, size_t isz);

#endif
