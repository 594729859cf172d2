// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cgroup paths -> what users call them (include/oomlens/cgroup.h), on the
 * path shapes that real systems write: systemd units and scopes, docker and
 * podman with either cgroup driver, kubernetes with the cgroupfs and the
 * systemd driver (containerd, CRI-O), lxc.  Where a path was taken from a
 * real /proc/PID/cgroup or mountinfo, the comment says so.
 *
 * The fields, as this test reads the header:
 *   kind       what the innermost recognisable thing is (pod > container >
 *              scope/unit > slice > none)
 *   unit       the innermost systemd unit on the path (service, scope, slice),
 *              "" for cgroupfs-driver paths that have none
 *   runtime    docker, containerd, crio, podman, lxc ("" when the path
 *              does not say: kubernetes' cgroupfs driver)
 *   container  the id; pod_uid with dashes; qos burstable/besteffort/guaranteed
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "oomlens/cgroup.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define HEX1 "3f2a9c1b7d10e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b"
#define HEX2 "bde707e9e3043b4492f3a7d9be42b70d85c583c4792a3c3968194369163874e7"
#define HEX3 "1e939f40fb6a516434beab6ab3d2c91eb7f3100937a8b25d7576d0da8e05df2f"
#define HEX4 "d4e8e05a546c86b6443f101966c618e47753ed01fa9929cae00d3b692f7a9f80"
#define UID1 "b60126d8-9064-11eb-836e-7a2eb63c648a"
#define UID1_ "b60126d8_9064_11eb_836e_7a2eb63c648a"
#define UID2 "214f3ba8-4b69-4bdb-a7d5-5ecc73f04ae9"
#define UID2_ "214f3ba8_4b69_4bdb_a7d5_5ecc73f04ae9"
#define UID3 "57e67067-89e4-4001-bdd4-8632d39ea02b"
#define UID3_ "57e67067_89e4_4001_bdd4_8632d39ea02b"

struct cg {
	const char *path;
	enum ol_cg_kind kind;
	const char *unit, *runtime, *container, *pod_uid, *qos, *label;
};

static const struct cg cases[] = {
	/* ---- plain systemd ---- */
	{ "/system.slice/nginx.service",
	  OL_CG_UNIT, "nginx.service", "", "", "", "", "nginx.service" },
	/* dockerd itself is a service, not a container */
	{ "/system.slice/docker.service",
	  OL_CG_UNIT, "docker.service", "", "", "", "", "docker.service" },
	{ "/init.scope",
	  OL_CG_SCOPE, "init.scope", "", "", "", "", "init.scope" },
	{ "/user.slice/user-1000.slice/session-3.scope",
	  OL_CG_SCOPE, "session-3.scope", "", "", "", "", "session-3.scope" },
	/* a user manager's app scope (GNOME Terminal's vte-spawn) */
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnome.Terminal.slice/"
	  "vte-spawn-0b4ab4c7-7a9d-4a2f-8a0e-4b1f3a1e2c3d.scope",
	  OL_CG_SCOPE, "vte-spawn-0b4ab4c7-7a9d-4a2f-8a0e-4b1f3a1e2c3d.scope", "", "", "", "",
	  "vte-spawn-0b4ab4c7-7a9d-4a2f-8a0e-4b1f3a1e2c3d.scope" },
	/* real: SchedMD/slurm doc/html/cgroup_v2.shtml */
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-tmaster-47247.scope",
	  OL_CG_SCOPE, "app-gnome-tmaster-47247.scope", "", "", "", "", "app-gnome-tmaster-47247.scope" },
	{ "/system.slice/slurmd.service",
	  OL_CG_UNIT, "slurmd.service", "", "", "", "", "slurmd.service" },
	/* the user manager itself */
	{ "/user.slice/user-1000.slice/user@1000.service/init.scope",
	  OL_CG_SCOPE, "init.scope", "", "", "", "", "init.scope" },
	/* only slices: the innermost */
	{ "/system.slice",
	  OL_CG_SLICE, "system.slice", "", "", "", "", "system.slice" },
	{ "/user.slice/user-1000.slice",
	  OL_CG_SLICE, "user-1000.slice", "", "", "", "", "user-1000.slice" },

	/* ---- docker ---- */
	/* cgroupfs driver */
	{ "/docker/" HEX1,
	  OL_CG_CONTAINER, "", "docker", HEX1, "", "", "docker:3f2a9c1b7d10" },
	/* systemd driver; real: CentOS 7 (tests/fixtures/proc-files/cgroup-v1-3.10-docker) */
	{ "/system.slice/docker-" HEX3 ".scope",
	  OL_CG_CONTAINER, "docker-" HEX3 ".scope", "docker", HEX3, "", "", "docker:1e939f40fb6a" },

	/* ---- podman ---- */
	{ "/machine.slice/libpod-" HEX1 ".scope",
	  OL_CG_CONTAINER, "libpod-" HEX1 ".scope", "podman", HEX1, "", "", "podman:3f2a9c1b7d10" },
	/* rootless, under the user manager */
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" HEX1 ".scope",
	  OL_CG_CONTAINER, "libpod-" HEX1 ".scope", "podman", HEX1, "", "", "podman:3f2a9c1b7d10" },

	/* ---- kubernetes, cgroupfs driver ---- */
	/* real: a TKE pod on CentOS 7 (tests/fixtures/proc-files/cgroup-v1-3.10-k8s-pod) */
	{ "/kubepods/burstable/pod" UID1 "/" HEX2,
	  OL_CG_POD, "", "", HEX2, UID1, "burstable", "pod:burstable/" UID1 "/bde707e9e304" },
	{ "/kubepods/besteffort/pod" UID1 "/" HEX2,
	  OL_CG_POD, "", "", HEX2, UID1, "besteffort", "pod:besteffort/" UID1 "/bde707e9e304" },
	/* guaranteed pods sit right under /kubepods */
	{ "/kubepods/pod" UID1 "/" HEX2,
	  OL_CG_POD, "", "", HEX2, UID1, "guaranteed", "pod:guaranteed/" UID1 "/bde707e9e304" },
	/* the pod's own cgroup (a memcg OOM at pod level names it) */
	{ "/kubepods/burstable/pod" UID1,
	  OL_CG_POD, "", "", "", UID1, "burstable", "pod:burstable/" UID1 },

	/* ---- kubernetes, systemd driver: dashes of the uid written as '_' ---- */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID3_ ".slice/"
	  "cri-containerd-" HEX1 ".scope",
	  OL_CG_POD, "cri-containerd-" HEX1 ".scope", "containerd", HEX1, UID3, "burstable",
	  "pod:burstable/" UID3 "/3f2a9c1b7d10" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID3_ ".slice/"
	  "cri-containerd-" HEX1 ".scope",
	  OL_CG_POD, "cri-containerd-" HEX1 ".scope", "containerd", HEX1, UID3, "besteffort",
	  "pod:besteffort/" UID3 "/3f2a9c1b7d10" },
	{ "/kubepods.slice/kubepods-pod" UID1_ ".slice/crio-" HEX2 ".scope",
	  OL_CG_POD, "crio-" HEX2 ".scope", "crio", HEX2, UID1, "guaranteed",
	  "pod:guaranteed/" UID1 "/bde707e9e304" },
	/* the pod slice itself */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID3_ ".slice",
	  OL_CG_POD, "kubepods-burstable-pod" UID3_ ".slice", "", "", UID3, "burstable",
	  "pod:burstable/" UID3 },
	/*
	 * containerd with SystemdCgroup off under a systemd-driver kubelet: the
	 * cgroupsPath "SLICE:cri-containerd:ID" taken literally, one component.
	 * Real: a node's mountinfo (kubepods-besteffort-pod214f3ba8_...).
	 */
	{ "/system.slice/containerd.service/kubepods-besteffort-pod" UID2_ ".slice:cri-containerd:" HEX4,
	  OL_CG_POD, "containerd.service", "containerd", HEX4, UID2, "besteffort",
	  "pod:besteffort/" UID2 "/d4e8e05a546c" },
	{ "/system.slice/containerd.service/kubepods-burstable-pod" UID3_ ".slice:cri-containerd:" HEX1,
	  OL_CG_POD, "containerd.service", "containerd", HEX1, UID3, "burstable",
	  "pod:burstable/" UID3 "/3f2a9c1b7d10" },

	/* ---- lxc ---- */
	{ "/lxc.payload.web1",
	  OL_CG_CONTAINER, "", "lxc", "web1", "", "", "lxc:web1" },
	{ "/lxc/web1",
	  OL_CG_CONTAINER, "", "lxc", "web1", "", "", "lxc:web1" },

	/* ---- nothing to name ---- */
	{ "/", OL_CG_NONE, "", "", "", "", "", "" },
	{ "", OL_CG_NONE, "", "", "", "", "", "" },
	{ "//", OL_CG_NONE, "", "", "", "", "", "" },
	/* this machine's init: a 32-hex id is not a container id */
	{ "/process_api/f3b6816783f3b931987f7f90edf24003",
	  OL_CG_NONE, "", "", "", "", "", "" },
	/* a service whose name has "pod" in it is still a service */
	{ "/system.slice/my-pod-helper.service",
	  OL_CG_UNIT, "my-pod-helper.service", "", "", "", "", "my-pod-helper.service" },
	{ "/system.slice/podman.service",
	  OL_CG_UNIT, "podman.service", "", "", "", "", "podman.service" },
};

static const char *kind_name(enum ol_cg_kind k)
{
	static const char *const names[] = { "NONE", "UNIT", "SCOPE", "SLICE", "CONTAINER", "POD" };

	return (unsigned)k < N(names) ? names[k] : "?";
}

/* Report every mismatch, not only the first; the caller fails at the end. */
static int check_str(const struct cg *c, const char *field, const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return 0;
	print_error("'%s': %s = '%s', want '%s'\n", c->path, field, got, want);
	return 1;
}

/* Everything but the unit field (see unit_is_innermost below). */
static void decode_and_label(void **state)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < N(cases); i++) {
		const struct cg *c = &cases[i];
		struct ol_cg_decoded d;
		char label[512];

		memset(&d, 0x5a, sizeof(d));
		ol_cgroup_decode(c->path, &d);
		bad += check_str(c, "kind", kind_name(d.kind), kind_name(c->kind));
		bad += check_str(c, "runtime", d.runtime, c->runtime);
		bad += check_str(c, "container", d.container, c->container);
		bad += check_str(c, "pod_uid", d.pod_uid, c->pod_uid);
		bad += check_str(c, "qos", d.qos, c->qos);
		memset(label, 0x5a, sizeof(label));
		ol_cgroup_label(&d, label, sizeof(label));
		bad += check_str(c, "label", label, c->label);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/*
 * unit: the innermost systemd unit on the path.  For a container run by the
 * systemd driver that is its scope (`systemctl status docker-ID.scope`), not
 * the slice above it; oomlens log -J prints this field as "unit".
 */
static void unit_is_innermost(void **state)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < N(cases); i++) {
		struct ol_cg_decoded d;

		ol_cgroup_decode(cases[i].path, &d);
		bad += check_str(&cases[i], "unit", d.unit, cases[i].unit);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void decode_null(void **state)
{
	struct ol_cg_decoded d;
	char label[16] = "stale";

	memset(&d, 0x5a, sizeof(d));
	ol_cgroup_decode(NULL, &d);
	assert_int_equal(d.kind, OL_CG_NONE);
	assert_string_equal(d.unit, "");
	ol_cgroup_label(&d, label, sizeof(label));
	assert_string_equal(label, "");
}

static void label_truncates(void **state)
{
	struct ol_cg_decoded d;
	char small[8];

	ol_cgroup_decode("/system.slice/docker-" HEX3 ".scope", &d);
	ol_cgroup_label(&d, small, sizeof(small));
	assert_string_equal(small, "docker:");
	ol_cgroup_decode("/system.slice/nginx.service", &d);
	ol_cgroup_label(&d, small, sizeof(small));
	assert_string_equal(small, "nginx.s");
	/* a zero-size buffer is not written */
	ol_cgroup_label(&d, small, 0);
	assert_string_equal(small, "nginx.s");
}

static void long_paths(void **state)
{
	char path[2048];
	struct ol_cg_decoded d;
	size_t i;

	/* a unit name longer than the field is cut, not overrun */
	strcpy(path, "/system.slice/");
	for (i = strlen(path); i < 600; i++)
		path[i] = 'a';
	strcpy(path + i, ".service");
	ol_cgroup_decode(path, &d);
	assert_int_equal(d.kind, OL_CG_UNIT);
	assert_int_equal(strlen(d.unit), sizeof(d.unit) - 1);
	/* a long lxc name likewise */
	strcpy(path, "/lxc.payload.");
	for (i = strlen(path); i < 300; i++)
		path[i] = 'n';
	path[i] = '\0';
	ol_cgroup_decode(path, &d);
	assert_int_equal(d.kind, OL_CG_CONTAINER);
	assert_int_equal(strlen(d.container), sizeof(d.container) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_and_label),
		cmocka_unit_test(unit_is_innermost),
		cmocka_unit_test(decode_null),
		cmocka_unit_test(label_truncates),
		cmocka_unit_test(long_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
