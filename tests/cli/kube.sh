#!/usr/bin/env bash
# Kubernetes names without an API: namespace, pod and container decoded from
# the kubelet's log directories, under --sysroot, for the cgroupfs and the
# systemd cgroup drivers and each QoS class.  The node trees are built here,
# laid out as a kubelet lays them out (tests/fixtures/README.md says from where).
. "$(dirname "$0")/lib.sh"

# node DIR: a copy of root-6.18 with an empty kubelet log layout
node() {
	cp -a "$FIXTURES/root-6.18" "$1"
	mkdir -p "$1/var/log/pods" "$1/var/log/containers"
}

# pod DIR NAMESPACE POD UID CONTAINER ID: what the kubelet leaves for one
# container (kuberuntime BuildContainerLogsDirectory and logSymlink)
pod() {
	local d=$2_$3_$4
	mkdir -p "$1/var/log/pods/$d/$5"
	: >"$1/var/log/pods/$d/$5/0.log"
	ln -s "/var/log/pods/$d/$5/0.log" "$1/var/log/containers/$3_$2_$5-$6.log"
}

# in_cgroup DIR PID V1-MEMORY-PATH SYSTEMD-PATH: move a process of the copy
in_cgroup() {
	sed -i -e "s|^4:memory:.*|4:memory:$3|" -e "s|^9:name=systemd:.*|9:name=systemd:$4|" \
		-e "s|^0::.*|0::$4|" "$1/proc/$2/cgroup"
}

cid() { printf '%064x' "$1"; }
U1=0f4b1f30-7c1d-4a6e-9a55-2b8e0c7d1a01	# burstable
U2=5e2a8d44-1b0c-4d3f-8e6a-77c1d9e0b302	# besteffort
U3=a1c3e5f7-0913-4b5d-8f21-3c4e5f6a7b03	# guaranteed

# cgroupfs driver: /kubepods[/QOS]/pod<uid>/<id>
C=$TMP/cgroupfs
node "$C"
pod "$C" shop web-7d4b9c5f-x2x8q $U1 nginx "$(cid 1)"
pod "$C" batch report-28405 $U2 job "$(cid 2)"
pod "$C" kube-system etcd-node1 $U3 etcd "$(cid 3)"
in_cgroup "$C" 5658 "/kubepods/burstable/pod$U1/$(cid 1)" "/kubepods/burstable/pod$U1/$(cid 1)"
in_cgroup "$C" 5659 "/kubepods/besteffort/pod$U2/$(cid 2)" "/kubepods/besteffort/pod$U2/$(cid 2)"
in_cgroup "$C" 5660 "/kubepods/pod$U3/$(cid 3)" "/kubepods/pod$U3/$(cid 3)"

# systemd driver: kubepods.slice/kubepods-QOS.slice/kubepods-QOS-pod<uid_>.slice/cri-containerd-<id>.scope
S=$TMP/systemd
node "$S"
pod "$S" shop web-7d4b9c5f-x2x8q $U1 nginx "$(cid 1)"
pod "$S" batch report-28405 $U2 job "$(cid 2)"
pod "$S" kube-system etcd-node1 $U3 etcd "$(cid 3)"
u() { printf '%s' "${1//-/_}"; }
in_cgroup "$S" 5658 "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$(u $U1).slice/cri-containerd-$(cid 1).scope" \
	"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$(u $U1).slice/cri-containerd-$(cid 1).scope"
in_cgroup "$S" 5659 "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$(u $U2).slice/crio-$(cid 2).scope" \
	"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$(u $U2).slice/crio-$(cid 2).scope"
in_cgroup "$S" 5660 "/kubepods.slice/kubepods-pod$(u $U3).slice/cri-containerd-$(cid 3).scope" \
	"/kubepods.slice/kubepods-pod$(u $U3).slice/cri-containerd-$(cid 3).scope"
# a sandbox (pause) container has no log link: its pod is still named
in_cgroup "$S" 5661 "/kubepods.slice/kubepods-pod$(u $U3).slice/cri-containerd-$(cid 9).scope" \
	"/kubepods.slice/kubepods-pod$(u $U3).slice/cri-containerd-$(cid 9).scope"

# each QoS class as the trees above lay it out: PID NAMESPACE POD CONTAINER QOS
want_names() {
	printf '%s\n' '5658 shop web-7d4b9c5f-x2x8q nginx burstable' '5659 batch report-28405 job besteffort' \
		'5660 kube-system etcd-node1 etcd guaranteed'
}
# the same, as jq's [.pid, .namespace, .pod, .container, .qos] of $1's records
names_of() { jq -r "$1"' | select(.pid == 5658 or .pid == 5659 or .pid == 5660) | [.pid, .namespace, .pod, .container, .qos] | map(tostring) | join(" ")' | sort -n; }
for t in cgroupfs systemd; do
	root=$TMP/$t
	# JSON: namespace, pod, container and qos beside "unit", in every command
	run "$OOMLENS" --sysroot "$root" list -J
	check "$t: list -J, each QoS class: namespace, pod, container, qos beside unit" \
		test "$(names_of '.processes[]' <<<"$out")" = "$(want_names)"
	check "$t: list -J, a process outside the pods: the four are null" jq_true \
		'.processes[] | select(.pid == 1) | [.namespace, .pod, .container, .qos] == [null,null,null,null]' <<<"$out"
	run "$OOMLENS" --sysroot "$root" list -n -o PID,NAMESPACE,POD,CONTAINER,QOS -p 1,5658,5659,5660
	check "$t: list -o NAMESPACE,POD,CONTAINER,QOS" test "$(sed 's/  */ /g; s/^ //' <<<"$out" | sort -n)" = \
		"$(printf '1 - - - -\n'; want_names)"
	run "$OOMLENS" --sysroot "$root" explain -J 5658 5659 5660 1
	check "$t: explain -J, each QoS class: the same four fields" \
		test "$(names_of '.processes[]' <<<"$out")" = "$(want_names)"
	check "$t: explain -J, a process outside the pods: null" jq_true \
		'[.processes[] | select(.pid == 1) | [.namespace, .pod, .container, .qos, .pod_uid]] == [[null,null,null,null,null]]' <<<"$out"
	# audit's evidence: make the three unkillable, in a copy
	cp -a "$root" "$TMP/audit-$t"
	for pid in 5658 5659 5660; do
		echo -1000 >"$TMP/audit-$t/proc/$pid/oom_score_adj"
		sed -i 's/^oom_score_adj:.*/oom_score_adj:\t-1000/' "$TMP/audit-$t/proc/$pid/status" 2>/dev/null
	done
	run "$OOMLENS" --sysroot "$TMP/audit-$t" audit -J --no-log
	check "$t: audit -J evidence, each QoS class: the same four fields" \
		test "$(names_of '[.findings[] | select(.rule == "unkillable-process") | .evidence] | unique_by(.pid) | .[]' <<<"$out")" = "$(want_names)"
	check "$t: audit -J evidence, a process outside the pods: null" jq_true \
		'[.findings[] | .evidence | objects | select(.pid? == 1) | [.namespace, .pod, .container, .qos]] | unique | . == [] or . == [[null,null,null,null]]' <<<"$out"
	valid "$t: audit -J with Kubernetes names" audit.schema.json
	run "$OOMLENS" --sysroot "$root" list -o PID,UNIT -n
	check "$t: list UNIT, burstable: namespace/pod/container" grep -Eq '^ *5658 +pod:shop/web-7d4b9c5f-x2x8q/nginx$' <<<"$out"
	check "$t: list UNIT, besteffort" grep -Eq '^ *5659 +pod:batch/report-28405/job$' <<<"$out"
	check "$t: list UNIT, guaranteed" grep -Eq '^ *5660 +pod:kube-system/etcd-node1/etcd$' <<<"$out"
	run "$OOMLENS" --sysroot "$root" list -o PID,UNIT -J
	check "$t: list -J unit" jq_true '[.processes[] | select(.pid == 5658) | .unit] == ["pod:shop/web-7d4b9c5f-x2x8q/nginx"]' <<<"$out"
done
run "$OOMLENS" --sysroot "$S" list -o PID,UNIT -n -p 5661
check "systemd: a sandbox's pod named, no container" grep -Eq '^ *5661 +pod:kube-system/etcd-node1$' <<<"$out"

# without the kubelet's directories: the uid and id, as before
run "$OOMLENS" --sysroot "$FIXTURES/root-6.18" list -o PID,UNIT -n -p 1
check "no kubelet directories: list still runs" test "$rc" -eq 0
rm -rf "$C/var/log/containers"
run "$OOMLENS" --sysroot "$C" list -o PID,UNIT -n -p 5658
check "no /var/log/containers: the pod named, the container not" grep -Eq '^ *5658 +pod:shop/web-7d4b9c5f-x2x8q$' <<<"$out"

# hostile names: not a kubelet's, ignored; a link leading out of the tree is never followed
H=$TMP/hostile
node "$H"
mkdir -p "$H/var/log/pods/bad_name_with_under_$U1" "$H/var/log/pods/Upper_P_$U2" "$H/var/log/pods/x_y_short"
ln -s /etc/shadow "$H/var/log/containers/web_shop_nginx-$(cid 1).log"
in_cgroup "$H" 5658 "/kubepods/burstable/pod$U1/$(cid 1)" "/kubepods/burstable/pod$U1/$(cid 1)"
in_cgroup "$H" 5659 "/kubepods/besteffort/pod$U2/$(cid 2)" "/kubepods/besteffort/pod$U2/$(cid 2)"
run "$OOMLENS" --sysroot "$H" list -o PID,UNIT -n -p 5658,5659
# 5658: its pod directory's name is not a kubelet's, but the container link
# (whose target is never read) names pod, namespace and container
check "hostile: names that are not a kubelet's are not used" eval \
	'[ "$rc" -eq 0 ] && grep -Eq "^ *5658 +pod:shop/web/nginx$" <<<"$out" &&
	 grep -Eq "^ *5659 +pod:besteffort/$U2/000000000000$" <<<"$out"'

# log: a real AKS memcg kill (oomlogs/010.log, systemd driver, besteffort),
# on a node tree holding its pod
K=$TMP/aks
node "$K"
pod "$K" default oom-test a5d8fdd1-1369-469e-8a7d-2c1047529435 stress \
	9192cb33411ff69d015a3577db136757f5b145064a1703efea3d0e12e8a64987
run "$OOMLENS" --sysroot "$K" log -J "$FIXTURES/oomlogs/010.log"
check "log -J: task_memcg carries namespace, pod, container, qos" jq_true \
	'[.events[].task_memcg | select(. != null) | [.namespace, .pod, .container, .qos]] | first == ["default","oom-test","stress","besteffort"]' <<<"$out"
valid "log -J with Kubernetes names" log.schema.json
run "$OOMLENS" --sysroot "$K" log "$FIXTURES/oomlogs/010.log"
check "log text: the victim's cgroup by its names" grep -q 'pod:default/oom-test/stress' <<<"$out"

# The same kill as each cgroup driver and QoS class would log it: 010.log's
# pod cgroup rewritten into the layouts of the trees above (the kubelet's
# cgroup names: pkg/kubelet/cm, as tests/fixtures/README.md says)
AKS_UID=a5d8fdd1-1369-469e-8a7d-2c1047529435
AKS_ID=9192cb33411ff69d015a3577db136757f5b145064a1703efea3d0e12e8a64987
AKS_CG=/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$(u $AKS_UID).slice/cri-containerd-$AKS_ID.scope
# as_layout DRIVER QOS: 010.log with its pod in that layout
as_layout() {
	local cg
	case $1:$2 in
	systemd:guaranteed) cg=/kubepods.slice/kubepods-pod$(u $AKS_UID).slice/cri-containerd-$AKS_ID.scope ;;
	systemd:*) cg=/kubepods.slice/kubepods-$2.slice/kubepods-$2-pod$(u $AKS_UID).slice/cri-containerd-$AKS_ID.scope ;;
	cgroupfs:guaranteed) cg=/kubepods/pod$AKS_UID/$AKS_ID ;;
	cgroupfs:*) cg=/kubepods/$2/pod$AKS_UID/$AKS_ID ;;
	esac
	sed -e "s|$AKS_CG|$cg|g" "$FIXTURES/oomlogs/010.log" |
		if [ "$1" = cgroupfs ]; then sed 's|/kubepods\.slice|/kubepods|g'; else cat; fi
}
HAVE_PROMTOOL=$(command -v promtool)
for layout in systemd:guaranteed systemd:burstable systemd:besteffort \
	      cgroupfs:guaranteed cgroupfs:burstable cgroupfs:besteffort; do
	qos=${layout#*:}
	as_layout "${layout%%:*}" "$qos" >"$TMP/010-$qos.log"
	run "$OOMLENS" --sysroot "$K" log -J "$TMP/010-$qos.log"
	check "log -J, $layout: the victim's task_memcg names its pod and QoS class" jq_true \
		'[.events[].task_memcg | select(. != null) | [.namespace, .pod, .container, .qos]] | unique == [["default","oom-test","stress","'"$qos"'"]]' <<<"$out"
	check "log -J, $layout: a cgroup outside the pods (oom_memcg, kubepods itself) has none" jq_true \
		'[.events[].oom_memcg | select(. != null) | [.namespace, .pod, .container, .qos]] | unique == [[null,null,null,null]]' <<<"$out"
	run "$OOMLENS" --sysroot "$K" log --format prometheus "$TMP/010-$qos.log"
	check "log --format prometheus, $layout: the kills by namespace, pod and container name" eval \
		'[ "$(grep -c "^oomlens_log_oom_kills_total{" <<<"$out")" -eq 1 ] &&
		 grep -q "^oomlens_log_oom_kills_total{killer=\"kernel\",kind=\"memcg\",unit=\"\",namespace=\"default\",pod=\"oom-test\",container=\"stress\"} [1-9]" <<<"$out"'
	if [ -n "$HAVE_PROMTOOL" ]; then
		lint=$(printf '%s\n' "$out" | promtool check metrics 2>&1)
		check "log --format prometheus, $layout: promtool check metrics is silent" eval '[ $? -eq 0 ] && [ -z "$lint" ]'
	fi
done
# off a node (no kubelet directories): the uid and the short id, as the path gives them
run "$OOMLENS" --sysroot "$FIXTURES/root-6.18" log --format prometheus "$TMP/010-burstable.log"
check "log --format prometheus off a node: pod uid and short container id" grep -q \
	"^oomlens_log_oom_kills_total{killer=\"kernel\",kind=\"memcg\",unit=\"\",namespace=\"\",pod=\"$AKS_UID\",container=\"${AKS_ID:0:12}\"} [1-9]" <<<"$out"
run "$OOMLENS" --sysroot "$FIXTURES/root-6.18" log -J "$TMP/010-burstable.log"
check "log -J off a node: no names, the QoS class still" jq_true \
	'[.events[].task_memcg | select(. != null) | [.namespace, .pod, .container, .qos, .pod_uid]] | unique == [[null,null,null,"burstable","'"$AKS_UID"'"]]' <<<"$out"

# audit: an unkillable process in a pod is reported by its pod's names
A=$TMP/audit
node "$A"
pod "$A" shop web-7d4b9c5f-x2x8q $U1 nginx "$(cid 1)"
in_cgroup "$A" 5658 "/kubepods/burstable/pod$U1/$(cid 1)" "/kubepods/burstable/pod$U1/$(cid 1)"
echo -1000 >"$A/proc/5658/oom_score_adj"
sed -i 's/^oom_score_adj:.*/oom_score_adj:\t-1000/' "$A/proc/5658/status" 2>/dev/null
run "$OOMLENS" --sysroot "$A" audit -J --no-log
check "audit -J: the unkillable process's unit names its pod" jq_true \
	'[.findings[] | .evidence | objects | select(.pid? == 5658) | .unit] | unique == ["pod:shop/web-7d4b9c5f-x2x8q/nginx"]' <<<"$out"
run "$OOMLENS" --sysroot "$A" audit --no-log
check "audit text: the pod's names" grep -q 'pod:shop/web-7d4b9c5f-x2x8q/nginx' <<<"$out"

# explain: text and JSON
run "$OOMLENS" --sysroot "$S" explain 5659
check "explain text: the pod's names on its first line" grep -q '^5659 (.*), uid 0, pod:batch/report-28405/job$' <<<"$out"
run "$OOMLENS" --sysroot "$S" explain -J 5659
check "explain -J: unit, the pod's names beside it, and the ids" jq_true \
	'.processes[0] | .unit == "pod:batch/report-28405/job" and
	 [.namespace, .pod, .container, .qos, .pod_uid, .container_id] == ["batch","report-28405","job","besteffort","'"$U2"'","'"$(cid 2)"'"]' <<<"$out"
valid "explain -J with Kubernetes names" explain.schema.json
