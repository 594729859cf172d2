#!/usr/bin/env bash
# oomlens audit: a sysroot per rule, each an edited copy of the fixture tree
# (oomlens_score_adj -1000 cannot be set on this machine: the edits stand in
# for it, and each is described where it is made), positive and negative;
# the configuration file; the output formats; and a live run.
. "$(dirname "$0")/lib.sh"
ROOT=$FIXTURES/root-6.18
fresh() { rm -rf "$TMP/r"; cp -a "$ROOT" "$TMP/r"; }
A() { "$OOMLENS" --sysroot "$TMP/r" audit --no-log "$@"; }
# the findings as "rule:severity ..."; "" only for a document with no findings
rules() {
	jq_true '.findings | type == "array"' <<<"$out" || { echo "(no findings array)"; return; }
	jq -r '[.findings[] | "\(.rule):\(.severity)"] | join(" ")' <<<"$out"
}
adj() { echo "$2" > "$TMP/r/proc/$1/oom_score_adj"; echo "$3" > "$TMP/r/proc/$1/oom_adj"; }

# the untouched fixture: a stock machine audits clean
fresh
run A -J
check "the fixture as captured: no findings, exit 0" eval '[ "$rc" -eq 0 ] && [ "$(rules)" = "" ]'

# unkillable-process: root, in the system's cgroup: a warning (fails by default)
fresh
adj 5658 -1000 -17
run A -J
check "unkillable root process: unkillable-process warning, exit 1" eval \
	'[ "$rc" -eq 1 ] && [ "$(rules)" = "unkillable-process:warning" ]'
check "the finding names the process, with evidence" test \
	"$(jq -c '.findings[0] | [.pid, .comm, .evidence.oom_score_adj]' <<<"$out")" = '[5658,"worker-anon",-1000]'
tp=$(awk '/^MemTotal:/ {m=$2} /^SwapTotal:/ {s=$2} END {print int(m/4) + int(s/4)}' "$ROOT/proc/meminfo")
check "evidence share_percent: memory_bytes of RAM + swap ($tp pages), two decimals, as written" eval \
	'[ "$(jq ".findings[0].evidence | .share_percent == ((.memory_bytes / ($tp * 4096) * 10000 | round) / 100)" <<<"$out")" = true ] &&
	 grep -Eq "\"share_percent\":[0-9]+\.[0-9]{2},?\$" <<<"$out"'
check "schema_version 2.x at the top" eval '[[ "$(jq -r .schema_version <<<"$out")" =~ ^2\.[0-9]+$ ]]'
# legacy oom_adj -17 alone (as kernels before 2.6.36 stored it)
fresh
echo -17 > "$TMP/r/proc/5659/oom_adj"
run A -J
check "oom_adj -17 is unkillable too" test "$(jq -r '.findings[0].pid' <<<"$out")" = 5659
# ... root, but in a user's session: an error too, whichever hierarchy shows the
# session (hand edits: a hybrid system's cgroup file with the memory controller at /)
for cg in '9:name=systemd:/user.slice/user-0.slice/session-4.scope\n4:memory:/\n0::/' \
	  '9:name=systemd:/\n4:memory:/\n0::/user.slice/user-0.slice/session-4.scope' \
	  '4:memory:/user.slice/user-0.slice/session-4.scope\n0::/'; do
	fresh
	adj 5658 -1000 -17
	printf "$cg\n" > "$TMP/r/proc/5658/cgroup"
	run A -J
	check "unkillable root process in a session ($(printf "$cg" | grep session | cut -d: -f1-2)): an error" \
		test "$(rules)" = "unkillable-process:error"
done
fresh
adj 5658 -1000 -17
printf '9:name=systemd:/system.slice/cron.service\n4:memory:/\n0::/\n' > "$TMP/r/proc/5658/cgroup"
run A -J
check "negative: root in system.slice (name=systemd only): a warning, and the unit from that path" \
	test "$(jq -r '.findings[] | "\(.rule):\(.severity):\(.evidence.unit)"' <<<"$out")" = "unkillable-process:warning:cron.service"
# ... a user's: an error
fresh
adj 5658 -1000 -17
sed -i 's/^Uid:.*/Uid:\t1000\t1000\t1000\t1000/' "$TMP/r/proc/5658/status"
run A -J
check "unkillable process of uid 1000: an error" test "$(rules)" = "unkillable-process:error"
# ... allowed by the configuration
printf 'allow comm worker-anon "a test says so"\n' > "$TMP/allow.conf"
run A -J -c "$TMP/allow.conf"
check "allow comm covers it: no finding, exit 0" eval '[ "$rc" -eq 0 ] && [ "$(rules)" = "" ]'
printf 'allow cgroup "/process_api/*" "the sandbox"\n' > "$TMP/allow2.conf"
run A -J -c "$TMP/allow2.conf"
check "allow cgroup (a glob) covers it" test "$(rules)" = ""

# the built-in allow list holds for root outside users' sessions only (hand edits:
# an exe link, a uid and a cgroup file that make 5658 an sshd or a udevd)
as() {	# as PID UID CGROUP [EXE]
	sed -i "s/^Uid:.*/Uid:\t$2\t$2\t$2\t$2/" "$TMP/r/proc/$1/status"
	printf '9:name=systemd:%s\n4:memory:%s\n0::/\n' "$3" "$3" > "$TMP/r/proc/$1/cgroup"
	[ -z "${4-}" ] || ln -sfn "$4" "$TMP/r/proc/$1/exe"
}
fresh
adj 5658 -1000 -17
as 5658 0 /system.slice/ssh.service /usr/sbin/sshd
run A -J
check "default allow: the sshd listener, root in system.slice/ssh.service" eval '[ "$rc" -eq 0 ] && [ "$(rules)" = "" ]'
as 5658 1000 /user.slice/user-1000.slice/session-4.scope
run A -J
check "default allow: not an sshd session child of uid 1000 (an error)" test "$(rules)" = "unkillable-process:error"
as 5658 0 /user.slice/user-1000.slice/session-4.scope
run A -J
check "default allow: not sshd's root monitor in a session-N.scope (an error)" test "$(rules)" = "unkillable-process:error"
fresh
adj 5658 -1000 -17
sed -i 's/^Name:.*/Name:\tsystemd-udevd/' "$TMP/r/proc/5658/status"
as 5658 0 /system.slice/systemd-udevd.service
run A -J
check "default allow: systemd-udevd, root in system.slice" test "$(rules)" = ""
as 5658 1000 /user.slice/user-1000.slice/user@1000.service/app.slice/x.scope
run A -J
check "default allow: not a user's program named systemd-udevd" test "$(rules)" = "unkillable-process:error"
# the conditions in a configuration file
printf 'no-default-allow\nallow comm systemd-udevd "x" uid=0\n' > "$TMP/cond.conf"
run A -J -c "$TMP/cond.conf"
check "allow ... uid=0 does not cover uid 1000" test "$(rules)" = "unkillable-process:error"
printf 'no-default-allow\nallow comm systemd-udevd "x" uid=1000\n' > "$TMP/cond.conf"
run A -J -c "$TMP/cond.conf"
check "allow ... uid=1000 covers uid 1000" test "$(rules)" = ""
printf 'no-default-allow\nallow comm systemd-udevd "x" no-session\n' > "$TMP/cond.conf"
run A -J -c "$TMP/cond.conf"
check "allow ... no-session does not cover a process under user.slice" test "$(rules)" = "unkillable-process:error"
as 5658 1000 /system.slice/foo.service
run A -J -c "$TMP/cond.conf"
check "allow ... no-session covers one in system.slice" test "$(rules)" = ""

# inherited-unkillable: bash (2310) set -1000 and its child worker-anon got it
fresh
adj 2310 -1000 -17
adj 5658 -1000 -17
sed -i 's/^PPid:.*/PPid:\t2310/' "$TMP/r/proc/5658/status"	# hand edit: make it bash's child
run A -J
check "inherited -1000: inherited-unkillable error for the child" eval \
	'[[ " $(rules) " == *" inherited-unkillable:error "* ]]'
check "the chain up to where it was set, and its memory" test \
	"$(jq -c '.findings[] | select(.rule == "inherited-unkillable") | [.pid, (.evidence.chain | map(.pid)), (.evidence.chain_memory_bytes > 0)]' <<<"$out")" = '[5658,[5658,2310],true]'
fresh
adj 2310 -950 -16
adj 5658 -950 -16
sed -i 's/^PPid:.*/PPid:\t2310/' "$TMP/r/proc/5658/status"
run A -J
check "inherited -950: inherited-protection warning" test "$(rules)" = "inherited-protection:warning"
fresh
adj 2310 -1000 -17
sed -i 's/^PPid:.*/PPid:\t2310/' "$TMP/r/proc/5658/status"
run A -J
check "negative: a child that reset its adj is not inherited (only bash's own finding)" test \
	"$(jq -r '[.findings[] | "\(.rule):\(.pid)"] | join(" ")' <<<"$out")" = "unkillable-process:2310"

# unkillable-memory: together more than the configured share
fresh
adj 5658 -1000 -17
adj 5660 -1000 -17
printf 'set unkillable-share 0.1\nallow comm worker-anon "x"\nallow comm shm-user "y"\n' > "$TMP/share.conf"
run A -J -c "$TMP/share.conf"
check "unkillable processes over the share: unkillable-memory error" test "$(rules)" = "unkillable-memory:error"
printf 'set unkillable-share 50\nallow comm worker-anon "x"\nallow comm shm-user "y"\n' > "$TMP/share2.conf"
run A -J -c "$TMP/share2.conf"
check "negative: under the share" test "$(rules)" = ""

# sysctls
fresh
echo 1 > "$TMP/r/proc/sys/vm/panic_on_oom"
echo 0 > "$TMP/r/proc/sys/vm/oom_dump_tasks"
echo 1 > "$TMP/r/proc/sys/vm/oom_kill_allocating_task"
echo 1 > "$TMP/r/proc/sys/vm/overcommit_memory"
run A -J
check "sysctls: panic-on-oom, oom-dump-tasks-off, oom-kill-allocating-task, overcommit" test \
	"$(jq -r '[.findings[].rule] | sort | join(" ")' <<<"$out")" = "oom-dump-tasks-off oom-kill-allocating-task overcommit panic-on-oom"
check "errors and warnings come first" test \
	"$(jq -r '[.findings[].severity] | join(" ")' <<<"$out")" = "warning warning warning info"

# memory cgroups: v1 oom_kill_disable (the kernel's file format), v2 memory.oom.group
fresh
mkdir -p "$TMP/r/sys/fs/cgroup/memory/app/worker" "$TMP/r/sys/fs/cgroup/memory/ok"
printf 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n' > "$TMP/r/sys/fs/cgroup/memory/memory.oom_control"
printf 'oom_kill_disable 1\nunder_oom 0\noom_kill 0\n' > "$TMP/r/sys/fs/cgroup/memory/app/worker/memory.oom_control"
printf 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n' > "$TMP/r/sys/fs/cgroup/memory/ok/memory.oom_control"
run A -J
check "memcg-oom-disabled for /app/worker only" test \
	"$(jq -c '[.findings[] | [.rule, .evidence.cgroup]]' <<<"$out")" = '[["memcg-oom-disabled","/app/worker"]]'
fresh
mkdir -p "$TMP/r/sys/fs/cgroup/kubepods.slice/pod1" "$TMP/r/sys/fs/cgroup/system.slice"
echo 1 > "$TMP/r/sys/fs/cgroup/kubepods.slice/pod1/memory.oom.group"
echo 0 > "$TMP/r/sys/fs/cgroup/system.slice/memory.oom.group"
run A -J
check "cgroup v2: memcg-oom-group (info) where it is 1" test \
	"$(jq -c '[.findings[] | [.rule, .severity, .evidence.cgroup]]' <<<"$out")" = '[["memcg-oom-group","info","/kubepods.slice/pod1"]]'

# systemd units, statically, with drop-ins; ssh.service is allowed by default
fresh
mkdir -p "$TMP/r/etc/systemd/system" "$TMP/r/lib/systemd/system/batch.service.d" "$TMP/r/usr/lib/systemd/system"
printf '[Service]\nExecStart=/usr/bin/leaky\nOOMScoreAdjust=-1000\n' > "$TMP/r/etc/systemd/system/leaky.service"
printf '[Service]\nOOMScoreAdjust = -1000\n' > "$TMP/r/lib/systemd/system/batch.service.d/override.conf"
printf '[Service]\nOOMScoreAdjust=-1000\n' > "$TMP/r/usr/lib/systemd/system/ssh.service"
printf '[Service]\nOOMScoreAdjust=-500\n' > "$TMP/r/usr/lib/systemd/system/mild.service"
run A -J
check "units with OOMScoreAdjust=-1000, drop-ins too; ssh.service allowed; -500 fine" test \
	"$(jq -c '[.findings[] | .evidence.unit] | sort' <<<"$out")" = '["batch.service","leaky.service"]'
check "the unit finding says file and line" test \
	"$(jq -r '.findings[] | select(.evidence.unit == "leaky.service") | "\(.evidence.file):\(.evidence.line)"' <<<"$out")" = "/etc/systemd/system/leaky.service:3"

# units resolved as systemd does, in a Debian 12 layout (/lib -> usr/lib)
fresh
E=$TMP/r/etc/systemd/system R=$TMP/r/run/systemd/system U=$TMP/r/usr/lib/systemd/system
mkdir -p "$E" "$R" "$U" "$TMP/r/opt"
ln -s usr/lib "$TMP/r/lib"
unit() { mkdir -p "$(dirname "$1")"; printf "$2" > "$1"; }
unit "$U/dup.service" '[Service]\nOOMScoreAdjust=-1000\n'
unit "$U/reset.service" '[Service]\nOOMScoreAdjust=-1000\n'
unit "$E/reset.service.d/override.conf" '[Service]\nOOMScoreAdjust=\n'
unit "$U/milder.service" '[Service]\nOOMScoreAdjust=-1000\n'
unit "$R/milder.service.d/override.conf" '[Service]\nOOMScoreAdjust=-500\n'
unit "$U/harder.service" '[Service]\nOOMScoreAdjust=0\n'
unit "$R/harder.service.d/oom.conf" '# set at run time\n[Service]\nOOMScoreAdjust=-1000\n'
unit "$U/order.service" '[Service]\nExecStart=/bin/true\n'
unit "$E/order.service.d/10-protect.conf" '[Service]\nOOMScoreAdjust=-1000\n'
unit "$U/order.service.d/20-relax.conf" '[Service]\nOOMScoreAdjust=-100\n'
unit "$U/hidden.service" '[Service]\n'
unit "$U/hidden.service.d/50-oom.conf" '[Service]\nOOMScoreAdjust=-1000\n'
mkdir -p "$E/hidden.service.d" && ln -s /dev/null "$E/hidden.service.d/50-oom.conf"
unit "$U/masked.service" '[Service]\nOOMScoreAdjust=-1000\n'
ln -s /dev/null "$E/masked.service"
unit "$U/empty.service" '[Service]\nOOMScoreAdjust=-1000\n'
: > "$E/empty.service"
unit "$U/relmask.service" '[Service]\nOOMScoreAdjust=-1000\n'
unit "$U/relmask.service.d/oom.conf" '[Service]\nOOMScoreAdjust=-1000\n'
ln -s "$(realpath --relative-to="$E" /dev/null)" "$E/relmask.service"	# a relative way to the device
unit "$U/twice.service" '[Service]\nOOMScoreAdjust=-1000\nOOMScoreAdjust=0\n'
unit "$U/later.service" '[Service]\nOOMScoreAdjust=0\nOOMScoreAdjust=-1000\n'
unit "$U/cleared.service" '[Service]\nOOMScoreAdjust=-1000\nOOMScoreAdjust=\n'
unit "$U/local.service" '[Service]\nOOMScoreAdjust=-1000\n'
unit "$E/local.service" '[Service]\nOOMScoreAdjust=0\n'
unit "$U/unit.service" '[Unit]\nOOMScoreAdjust=-1000\n'
unit "$U/real.service" '[Service]\nOOMScoreAdjust=-1000\n'
ln -s /usr/lib/systemd/system/real.service "$E/alias.service"
unit "$TMP/r/opt/linked.service" '[Service]\n\nOOMScoreAdjust=-1000\n'
ln -s /opt/linked.service "$E/linked.service"
run A -J
check "units: each once (/lib -> usr/lib), drop-ins, masks, last assignment, precedence, aliases" test \
	"$(jq -r '[.findings[] | "\(.evidence.unit)=\(.evidence.file):\(.evidence.line)"] | sort | join(" ")' <<<"$out")" = \
	"dup.service=/usr/lib/systemd/system/dup.service:2 harder.service=/run/systemd/system/harder.service.d/oom.conf:3 later.service=/usr/lib/systemd/system/later.service:3 linked.service=/opt/linked.service:3 real.service=/usr/lib/systemd/system/real.service:2"
rm "$E/local.service"
run A -J
check "units: without the /etc copy, the /usr/lib one is in force" eval \
	'jq_true "[.findings[] | .evidence.unit] | index(\"local.service\") != null" <<<"$out"'

# the kernel log: legacy oom_adj writers and OOM kills
fresh
mkdir -p "$TMP/r/var/log"
{ echo "Nov 28 09:00:00 box kernel: [  12.5] oldtool (4242): /proc/4242/oom_adj is deprecated, please use /proc/4242/oom_score_adj instead."
  cat "$FIXTURES/oomlogs/043.log"; } > "$TMP/r/var/log/kern.log"
run "$OOMLENS" --sysroot "$TMP/r" audit -J
check "log: legacy-oom-adj names the writer (comm, pid), oom-kills counts the kills" test \
	"$(jq -c '[.findings[] | [.rule, .evidence.comm // .evidence.kills]] | sort' <<<"$out")" = '[["legacy-oom-adj","oldtool"],["oom-kills",1]]'
run "$OOMLENS" --sysroot "$TMP/r" audit -J --log "$FIXTURES/oomlogs/010.log"
check "--log FILE reads that log instead" test "$(jq '.findings[] | select(.rule == "oom-kills") | .evidence.kills' <<<"$out")" = 6
gzip -c "$FIXTURES/oomlogs/010.log" > "$TMP/kern.log.2.gz"
run "$OOMLENS" --sysroot "$TMP/r" audit -J --log "$TMP/kern.log.2.gz"
check "--log a gzip'd file (rotated kern.log.2.gz): read through zlib, the same kills" \
	test "$(jq '.findings[] | select(.rule == "oom-kills") | .evidence.kills' <<<"$out")" = 6
gzip -c "$TMP/r/var/log/kern.log" > "$TMP/r/var/log/kern.log.gz" && mv "$TMP/r/var/log/kern.log.gz" "$TMP/r/var/log/kern.log"
run "$OOMLENS" --sysroot "$TMP/r" audit -J
check "DIR/var/log/kern.log gzip'd: read through zlib too" test \
	"$(jq -c '[.findings[] | [.rule, .evidence.comm // .evidence.kills]] | sort' <<<"$out")" = '[["legacy-oom-adj","oldtool"],["oom-kills",1]]'
for what in "that does not exist:$TMP/no-such.log" "that is a directory:$TMP"; do
	bad=${what#*:}
	run "$OOMLENS" --sysroot "$TMP/r" audit --log "$bad"
	check "--log FILE ${what%%:*}: exit 2, one line naming it, nothing on stdout" eval \
		'[ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$(grep -c "" <<<"$err")" -eq 1 ] && [[ "$err" == *"cannot read '"'"'$bad'"'"'"* ]]'
done
printf '\037\213\010\000\000\000\000\000\000\003not deflate data at all' > "$TMP/corrupt.gz"
run "$OOMLENS" --sysroot "$TMP/r" audit --log "$TMP/corrupt.gz"
check "--log with corrupt compressed data: exit 2, one line" eval \
	'[ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$(grep -c "" <<<"$err")" -eq 1 ] && [[ "$err" == *corrupt* ]]'
gzip -c "$FIXTURES/oomlogs/010.log" | head -c 2000 > "$TMP/trunc.gz"
run "$OOMLENS" --sysroot "$TMP/r" audit --log "$TMP/trunc.gz"
check "--log with a truncated gzip: exit 2, one line (as oomlens log)" eval \
	'[ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$(grep -c "" <<<"$err")" -eq 1 ] && [[ "$err" == *truncated* ]]'
out=$(timeout 10 "$OOMLENS" --sysroot "$TMP/r" audit --log /dev/zero 2>&1); rc=$?
check "--log /dev/zero: exit 2 at once, a device is no log" eval \
	'[ "$rc" -eq 2 ] && [[ "$out" == *"is a device, not a log file"* ]]'
rm -r "$TMP/r/var/log"
run "$OOMLENS" --sysroot "$TMP/r" audit -J
check "negative: no log under the sysroot (none named): a note, not an error" eval \
	'[ "$rc" -eq 0 ] && jq_true ".summary.log_read == false and (.summary.note | test(\"no kernel log\"))" <<<"$out"'

# configuration: overrides, errors with file:line, the config in force
fresh
adj 5658 -1000 -17
printf '# comment\n\nseverity unkillable-process info\n' > "$TMP/sev.conf"
run A -J -c "$TMP/sev.conf"
check "severity override: info does not fail the default --fail-on warning" eval '[ "$rc" -eq 0 ] && [ "$(rules)" = "unkillable-process:info" ]'
printf 'disable unkillable-process\n' > "$TMP/off.conf"
run A -J -c "$TMP/off.conf"
check "disable RULE" test "$(rules)" = ""
mkdir -p "$TMP/r/etc/oomlens" && printf 'disable unkillable-process\n' > "$TMP/r/etc/oomlens/audit.conf"
run A -J
check "SYSROOT/etc/oomlens/audit.conf is read by default" test "$(rules)" = ""
rm "$TMP/r/etc/oomlens/audit.conf"
for bad in 'allow comm' 'allow pid 1 "x"' 'disable nosuchrule' 'severity panic-on-oom loud' 'set large-share 200' \
	   'frobnicate' 'allow comm x "unterminated' 'allow comm x "y" uid=root' 'allow comm x "y" uid=-1' \
	   'allow comm x "y" sometimes' 'allow comm x "y" uid=0 no-session extra'; do
	printf '# ok\n%s\n' "$bad" > "$TMP/bad.conf"
	run A -c "$TMP/bad.conf"
	if [ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$(grep -c '' <<<"$err")" -eq 1 ] && [[ "$err" == *"bad.conf:2: "* ]]; then
		ok "malformed config '$bad': exit 2, one line naming file:line"
	else
		not_ok "malformed config '$bad': exit 2, one line naming file:line" "exit $rc"
	fi
done
run A -c "$TMP/missing.conf"
check "a --config that does not exist: exit 2" test "$rc" -eq 2
run "$OOMLENS" audit --show-config
check "--show-config: rules, severities and the built-in allow list" eval \
	'[ "$rc" -eq 0 ] && grep -q "^severity unkillable-process *warning" <<<"$out" && grep -q "systemd-udevd" <<<"$out"'
check "--show-config: the built-in process entries hold for root outside sessions" eval \
	'grep -q "^allow exe  *\/usr\/sbin\/sshd .* uid=0 no-session" <<<"$out"'
run "$OOMLENS" audit --show-config -c "$TMP/sev.conf"
check "--show-config shows the overrides in force" eval 'grep -q "^severity unkillable-process *info" <<<"$out"'
"$OOMLENS" audit --show-config | grep -v '^#' > "$TMP/roundtrip.conf"
run A -c "$TMP/roundtrip.conf"
check "--show-config output is itself a valid configuration" eval '[ -s "$TMP/roundtrip.conf" ] && [ "$rc" -le 1 ]'
run "$OOMLENS" audit --show-config -c "$TMP/roundtrip.conf"
check "... which sets every rule, setting and allow entry it shows" eval \
	'[ "$rc" -eq 0 ] && [ -s "$TMP/roundtrip.conf" ] && [ -z "$(sed "s/  *# built-in\$//" "$TMP/roundtrip.conf" | grep . | grep -vxF -f <(printf "%s\n" "$out"))" ]'

# formats and exit codes
fresh
adj 5658 -1000 -17
run A --fail-on error
check "--fail-on error with only a warning: exit 0, the warning reported" eval '[ "$rc" -eq 0 ] && grep -q "unkillable-process" <<<"$out"'
run A --fail-on never
check "--fail-on never: exit 0, the warning reported" eval '[ "$rc" -eq 0 ] && grep -q "unkillable-process" <<<"$out"'
run A --fail-on info
check "--fail-on info: exit 1" test "$rc" -eq 1
run A --fail-on loud
check "--fail-on with a bad severity: exit 2" test "$rc" -eq 2
run A
check "text: grouped by severity, the rule, the process, the fix, a summary" eval \
	'grep -q "^warnings:" <<<"$out" && grep -q "unkillable-process.*worker-anon\[5658\]" <<<"$out" && grep -q "fix: " <<<"$out" && tail -n 1 <<<"$out" | grep -q "^1 finding: 0 errors, 1 warning, 0 info"'
run A --format prometheus
check "prometheus: the finding, every rule at 0 otherwise, last run time" eval \
	'grep -qx "oomlens_audit_findings{rule=\"unkillable-process\",severity=\"warning\"} 1" <<<"$out" &&
	 grep -qx "oomlens_audit_findings{rule=\"panic-on-oom\",severity=\"warning\"} 0" <<<"$out" &&
	 grep -q "^oomlens_audit_last_run_timestamp_seconds [0-9]*$" <<<"$out" && grep -q "^# TYPE oomlens_audit_findings gauge" <<<"$out"'
run A --format prometheus -o "$TMP/oomlens.prom"
check "-o writes the textfile atomically, nothing on stdout" eval '[ -z "$out" ] && grep -q oomlens_audit_failed "$TMP/oomlens.prom"'
mkfifo "$TMP/prom.fifo"
run A --format prometheus -o "$TMP/prom.fifo"
check "-o to a fifo: exit 2, one line 'not a regular file', the fifo left" eval \
	'[ "$rc" -eq 2 ] && [ "$(grep -c "" <<<"$err")" -eq 1 ] && [[ "$err" == *"not a regular file"* ]] && [ -p "$TMP/prom.fifo" ]'
run A --format xml
check "--format xml: exit 2" test "$rc" -eq 2
run A -J
check "JSON: findings with rule, severity, pid, comm, message, evidence; a summary" eval \
	'jq_true ".findings | length > 0 and all(has(\"rule\") and has(\"severity\") and has(\"pid\") and has(\"comm\") and has(\"message\") and has(\"evidence\"))" <<<"$out" && jq_true ".summary.warning == 1" <<<"$out"'

# live: this machine has no -1000 process and stock sysctls: no false error
run "$OOMLENS" audit -J
check "live: exit 0 or 1, valid JSON" eval '[ "$rc" -le 1 ] && jq_true "(.summary | type) == \"object\" and (.findings | type) == \"array\"" <<<"$out"'
check "live: no error-level finding on this machine" test "$(jq '.summary.error' <<<"$out")" = 0

# a write error is an error (2), never "findings" (1) for cron
if [ -w /dev/full ]; then
	"$OOMLENS" --sysroot "$ROOT" audit >/dev/full 2>"$TMP/full.err"; rc=$?
	check "audit >/dev/full: exit 2 and a write error" eval '[ "$rc" -eq 2 ] && grep -q "write error" "$TMP/full.err"'
else
	skip "audit >/dev/full" "no /dev/full"
fi
