// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oomlens/jsonutil.h"
#include "oomlens/kube.h"

struct kpod {
	char *ns, *pod, *uid;
};

struct kctr {
	char *pod, *ns, *ctr, *id;
};

struct ol_kube {
	struct kpod *pods;
	size_t npods, podcap;
	struct kctr *ctrs;
	size_t nctrs, ctrcap;
};

static int copy_span(char *dst, size_t dsz, const char *s, size_t n)
{
	if (n == 0 || n >= dsz)
		return 0;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 1;
}

/* A DNS label or subdomain, as namespaces, pods and containers are named. */
static int is_k8s_name(const char *s)
{
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '-' && *s != '.')
			return 0;
	return 1;
}

/* "NAMESPACE_POD_UID" (BuildPodLogsDirectory); neither name has a '_'. */
int ol_kube_parse_pod_dir(const char *name, char *ns, size_t nsz, char *pod,
			  size_t psz, char *uid, size_t usz)
{
	const char *a = strchr(name, '_'), *b = strrchr(name, '_');

	if (!a || a == b)
		return 0;
	if (!copy_span(ns, nsz, name, (size_t)(a - name)) ||
	    !copy_span(pod, psz, a + 1, (size_t)(b - a - 1)) ||
	    !copy_span(uid, usz, b + 1, strlen(b + 1)))
		return 0;
	return is_k8s_name(ns) && is_k8s_name(pod) && strchr(pod, '_') == NULL &&
	       strlen(uid) == 36;
}

/*
 * "POD_NAMESPACE_CONTAINER-ID.log" (logSymlink: the pod's full name
 * POD_NAMESPACE, '_', the container, '-', the runtime's id).  A name the
 * kubelet cut at 255 bytes has lost its id's end: not one.
 */
int ol_kube_parse_container_link(const char *name, char *pod, size_t psz,
				 char *ns, size_t nsz, char *ctr, size_t csz,
				 char *id, size_t isz)
{
	size_t n = strlen(name);
	const char *a, *b, *dash;

	if (n < 4 + 64 + 1 || strcmp(name + n - 4, ".log") != 0)
		return 0;
	n -= 4;
	dash = name + n - 65;
	if (*dash != '-')
		return 0;
	for (size_t i = 1; i <= 64; i++)
		if (!isxdigit((unsigned char)dash[i]))
			return 0;
	a = strchr(name, '_');
	b = a ? memchr(a + 1, '_', (size_t)(dash - a - 1)) : NULL;
	if (!a || !b || b > dash)
		return 0;
	if (!copy_span(pod, psz, name, (size_t)(a - name)) ||
	    !copy_span(ns, nsz, a + 1, (size_t)(b - a - 1)) ||
	    !copy_span(ctr, csz, b + 1, (size_t)(dash - b - 1)) ||
	    !copy_span(id, isz, dash + 1, 64))
		return 0;
	return is_k8s_name(pod) && is_k8s_name(ns) && is_k8s_name(ctr);
}

static int add_pod(struct ol_kube *k, const char *ns, const char *pod, const char *uid)
{
	struct kpod *p;

	if (k->npods == k->podcap) {
		size_t cap = k->podcap ? 2 * k->podcap : 16;

		p = realloc(k->pods, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		k->pods = p;
		k->podcap = cap;
	}
	p = &k->pods[k->npods];
	p->ns = strdup(ns);
	p->pod = strdup(pod);
	p->uid = strdup(uid);
	if (!p->ns || !p->pod || !p->uid) {
		free(p->ns), free(p->pod), free(p->uid);
		return -ENOMEM;
	}
	k->npods++;
	return 0;
}

static int add_ctr(struct ol_kube *k, const char *pod, const char *ns,
		   const char *ctr, const char *id)
{
	struct kctr *c;

	if (k->nctrs == k->ctrcap) {
		size_t cap = k->ctrcap ? 2 * k->ctrcap : 16;

		c = realloc(k->ctrs, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		k->ctrs = c;
		k->ctrcap = cap;
	}
	c = &k->ctrs[k->nctrs];
	c->pod = strdup(pod);
	c->ns = strdup(ns);
	c->ctr = strdup(ctr);
	c->id = strdup(id);
	if (!c->pod || !c->ns || !c->ctr || !c->id) {
		free(c->pod), free(c->ns), free(c->ctr), free(c->id);
		return -ENOMEM;
	}
	k->nctrs++;
	return 0;
}

/* Each entry's name of DIR/@rel: a pod directory or a container link. */
static int scan_dir(const struct ol_root *root, const char *rel, int pods,
		    struct ol_kube *k)
{
	char a[256], b[256], c[256], d[72];
	struct dirent *de;
	int fd, rc = 0;
	DIR *dir;

	fd = ol_root_openat(root, root->basefd, rel, OL_OPEN_DIR | OL_OPEN_QUIET, NULL);
	if (fd < 0)
		return 0;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return 0;
	}
	while (rc == 0 && (de = readdir(dir))) {
		if (pods && ol_kube_parse_pod_dir(de->d_name, a, sizeof(a), b,
						  sizeof(b), c, sizeof(c)))
			rc = add_pod(k, a, b, c);
		else if (!pods && ol_kube_parse_container_link(de->d_name, a, sizeof(a), b,
							      sizeof(b), c, sizeof(c),
							      d, sizeof(d)))
			rc = add_ctr(k, a, b, c, d);
	}
	closedir(dir);
	return rc;
}

int ol_kube_load(const struct ol_root *root, struct ol_kube **out)
{
	struct ol_kube *k = calloc(1, sizeof(*k));
	int rc;

	*out = NULL;
	if (!k)
		return -ENOMEM;
	rc = scan_dir(root, "var/log/pods", 1, k);
	if (rc == 0)
		rc = scan_dir(root, "var/log/containers", 0, k);
	if (rc < 0 || (!k->npods && !k->nctrs)) {
		ol_kube_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

void ol_kube_free(struct ol_kube *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->npods; i++)
		free(k->pods[i].ns), free(k->pods[i].pod), free(k->pods[i].uid);
	for (size_t i = 0; i < k->nctrs; i++)
		free(k->ctrs[i].pod), free(k->ctrs[i].ns), free(k->ctrs[i].ctr),
			free(k->ctrs[i].id);
	free(k->pods);
	free(k->ctrs);
	free(k);
}

int ol_kube_lookup(const struct ol_kube *k, const struct ol_cg_decoded *d,
		   struct ol_kube_names *n)
{
	memset(n, 0, sizeof(*n));
	if (d->kind != OL_CG_POD)
		return 0;
	n->qos = d->qos[0] ? d->qos : NULL;
	if (!k)
		return 0;
	for (size_t i = 0; d->pod_uid[0] && i < k->npods; i++) {
		if (strcmp(k->pods[i].uid, d->pod_uid) == 0) {
			n->ns = k->pods[i].ns;
			n->pod = k->pods[i].pod;
			break;
		}
	}
	for (size_t i = 0; d->container[0] && i < k->nctrs; i++) {
		const struct kctr *c = &k->ctrs[i];

		if (strcmp(c->id, d->container) != 0)
			continue;
		/* the link names its pod too: it must agree with the uid's */
		if (n->pod && (strcmp(c->pod, n->pod) != 0 || strcmp(c->ns, n->ns) != 0))
			break;
		n->ns = c->ns;
		n->pod = c->pod;
		n->container = c->ctr;
		break;
	}
	return n->pod != NULL;
}

void ol_kube_label(const struct ol_kube *k, const struct ol_cg_decoded *d,
		   char *buf, size_t sz)
{
	struct ol_kube_names n;

	if (!ol_kube_lookup(k, d, &n)) {
		ol_cgroup_label(d, buf, sz);
		return;
	}
	if (n.container)
		snprintf(buf, sz, "pod:%s/%s/%s", n.ns, n.pod, n.container);
	else
		snprintf(buf, sz, "pod:%s/%s", n.ns, n.pod);
}

void ol_kube_json_add(json_object *o, const struct ol_kube *k, const struct ol_cg_decoded *d)
{
	struct ol_kube_names n;

	ol_kube_lookup(k, d, &n);
	json_object_object_add(o, "namespace", ol_json_string(n.ns));
	json_object_object_add(o, "pod", ol_json_string(n.pod));
	json_object_object_add(o, "container", ol_json_string(n.container));
	json_object_object_add(o, "qos", ol_json_string(n.qos));
}
