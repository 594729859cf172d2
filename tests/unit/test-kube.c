// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kubelet's log directory names -> namespace, pod, container
 * (include/oomlens/kube.h).  The shapes are the kubelet's
 * (pkg/kubelet/kuberuntime: BuildPodLogsDirectory "NAMESPACE_POD_UID",
 * logSymlink "POD_NAMESPACE_CONTAINER-ID.log", cut at 255 bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <json.h>

#include "oomlens/kube.h"

#define ID "9192cb33411ff69d015a3577db136757f5b145064a1703efea3d0e12e8a64987"

static void pod_dirs(void **state)
{
	char ns[64], pod[64], uid[64];

	(void)state;
	assert_true(ol_kube_parse_pod_dir("kube-system_coredns-5d78c9869d-7xk2p_0f4b1f30-7c1d-4a6e-9a55-2b8e0c7d1a01",
					  ns, sizeof(ns), pod, sizeof(pod), uid, sizeof(uid)));
	assert_string_equal(ns, "kube-system");
	assert_string_equal(pod, "coredns-5d78c9869d-7xk2p");
	assert_string_equal(uid, "0f4b1f30-7c1d-4a6e-9a55-2b8e0c7d1a01");
	/* a pod name may hold dots (a DNS subdomain) */
	assert_true(ol_kube_parse_pod_dir("default_web.v2_0f4b1f30-7c1d-4a6e-9a55-2b8e0c7d1a01",
					  ns, sizeof(ns), pod, sizeof(pod), uid, sizeof(uid)));
	assert_string_equal(pod, "web.v2");
	/* the old layout (/var/log/pods/UID) and names no kubelet writes */
	assert_false(ol_kube_parse_pod_dir("0f4b1f30-7c1d-4a6e-9a55-2b8e0c7d1a01",
					   ns, sizeof(ns), pod, sizeof(pod), uid, sizeof(uid)));
	assert_false(ol_kube_parse_pod_dir("a_b_c_0f4b1f30-7c1d-4a6e-9a55-2b8e0c7d1a01",
					   ns, sizeof(ns), pod, sizeof(pod), uid, sizeof(uid)));
	assert_false(ol_kube_parse_pod_dir("Default_web_0f4b1f30-7c1d-4a6e-9a55-2b8e0c7d1a01",
					   ns, sizeof(ns), pod, sizeof(pod), uid, sizeof(uid)));
	assert_false(ol_kube_parse_pod_dir("default_web_short", ns, sizeof(ns), pod,
					   sizeof(pod), uid, sizeof(uid)));
	assert_false(ol_kube_parse_pod_dir("_web_0f4b1f30-7c1d-4a6e-9a55-2b8e0c7d1a01",
					   ns, sizeof(ns), pod, sizeof(pod), uid, sizeof(uid)));
}

static void container_links(void **state)
{
	char pod[64], ns[64], ctr[64], id[72];

	(void)state;
	assert_true(ol_kube_parse_container_link("coredns-5d78c9869d-7xk2p_kube-system_coredns-" ID ".log",
						 pod, sizeof(pod), ns, sizeof(ns), ctr,
						 sizeof(ctr), id, sizeof(id)));
	assert_string_equal(pod, "coredns-5d78c9869d-7xk2p");
	assert_string_equal(ns, "kube-system");
	assert_string_equal(ctr, "coredns");
	assert_string_equal(id, ID);
	/* a container name with dashes: the id is the last 64 characters */
	assert_true(ol_kube_parse_container_link("web_shop_istio-proxy-" ID ".log", pod, sizeof(pod),
						 ns, sizeof(ns), ctr, sizeof(ctr), id, sizeof(id)));
	assert_string_equal(ctr, "istio-proxy");
	/* cut at 255 bytes by the kubelet: the id's end is lost, not one */
	assert_false(ol_kube_parse_container_link("web_shop_nginx-9192cb33411f.log", pod, sizeof(pod),
						  ns, sizeof(ns), ctr, sizeof(ctr), id, sizeof(id)));
	assert_false(ol_kube_parse_container_link("web_shop_nginx-" ID, pod, sizeof(pod),
						  ns, sizeof(ns), ctr, sizeof(ctr), id, sizeof(id)));
	assert_false(ol_kube_parse_container_link("web_nginx-" ID ".log", pod, sizeof(pod),
						  ns, sizeof(ns), ctr, sizeof(ctr), id, sizeof(id)));
	/* too long for the caller's buffer: refused, never cut */
	assert_false(ol_kube_parse_container_link("web_shop_nginx-" ID ".log", pod, 3,
						  ns, sizeof(ns), ctr, sizeof(ctr), id, sizeof(id)));
}

static void label_without_names(void **state)
{
	struct ol_cg_decoded d;
	struct ol_kube_names n;
	char buf[128];

	(void)state;
	ol_cgroup_decode("/kubepods/burstable/pod0f4b1f30-7c1d-4a6e-9a55-2b8e0c7d1a01/" ID, &d);
	assert_int_equal(ol_kube_lookup(NULL, &d, &n), 0);
	assert_null(n.pod);
	/* the QoS class is the cgroup path's, names or not */
	assert_non_null(n.qos);
	assert_string_equal(n.qos, "burstable");
	ol_kube_label(NULL, &d, buf, sizeof(buf));
	assert_string_equal(buf, "pod:burstable/0f4b1f30-7c1d-4a6e-9a55-2b8e0c7d1a01/9192cb33411f");
}

/* The JSON fields of every command: null each outside a pod. */
static void json_fields(void **state)
{
	static const char *const keys[] = { "namespace", "pod", "container", "qos" };
	struct ol_cg_decoded d;
	json_object *o;

	(void)state;
	/* a "burstable" directory outside kubepods is no pod's */
	ol_cgroup_decode("/burstable/app.service", &d);
	o = json_object_new_object();
	ol_kube_json_add(o, NULL, &d);
	for (size_t i = 0; i < 4; i++) {
		json_object *v = (json_object *)1;

		assert_true(json_object_object_get_ex(o, keys[i], &v));
		assert_null(v);
	}
	json_object_put(o);
	ol_cgroup_decode("/kubepods.slice/kubepods-pod0f4b1f30_7c1d_4a6e_9a55_2b8e0c7d1a01.slice/"
			 "cri-containerd-" ID ".scope", &d);
	o = json_object_new_object();
	ol_kube_json_add(o, NULL, &d);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "qos")), "guaranteed");
	assert_null(json_object_object_get(o, "pod"));
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pod_dirs),
		cmocka_unit_test(container_links),
		cmocka_unit_test(label_without_names),
		cmocka_unit_test(json_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
