#!/usr/bin/env bash
# Every command's JSON against its JSON Schema (schema/*.schema.json, the
# stable interface): the fixture tree and edited copies of it that make every
# audit rule and every diff change fire, every kernel log of the fixtures
# (-J, each --jsonl line, -s -J), and the live system.  The validator is
# tests/helpers/validate-json (python3 + Debian's python3-jsonschema).
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$TESTS_DIR/.." && pwd)
SCHEMA=$REPO/schema
VALIDATE=$TESTS_DIR/helpers/validate-json
ROOT=$FIXTURES/root-6.18
LOGS=$FIXTURES/oomlogs

if ! jsonschema_python; then
	skip "JSON output against the JSON Schemas" "python3 with the jsonschema module is not installed (Debian: python3-jsonschema)"
	exit 0
fi

PY=$JSONSCHEMA_PY
# --- the schemas themselves
for f in "$SCHEMA"/*.schema.json; do
	res=$("$PY" -c 'import json, sys, jsonschema; jsonschema.Draft7Validator.check_schema(json.load(open(sys.argv[1])))' "$f" 2>&1)
	check "$(basename "$f") is a draft-07 JSON Schema" test -z "$res"
done
# the validator must fail where it should: an old name, a time with +0000
run "$OOMLENS" --sysroot "$ROOT" list -J
out=$(jq '.processes[0].share = 1 | .processes[0].comm = 5' <<<"$out")
res=$(printf '%s\n' "$out" | "$PY" "$VALIDATE" "$SCHEMA/list.schema.json")
check "the validator rejects an unknown field and a wrong type" eval \
	'[[ "$res" == *"'"'share'"' was unexpected"* ]] && [[ "$res" == *"is not valid under any"* || "$res" == *"is not of type"* ]]'
out='{"schema_version": "2.0", "summary": {"events": 1, "kernel_kills": 1, "partial": 0, "victims": [{"name": "x", "count": 1, "first": "2026-05-19T18:14:43+0000", "first_epoch": 1, "last": null, "last_epoch": null}], "cgroups": [], "hosts": [], "kernel_counters": null}}'
res=$(printf '%s\n' "$out" | "$PY" "$VALIDATE" "$SCHEMA/log-summary.schema.json")
check "the validator rejects a time with +0000" eval '[[ "$res" == *"/summary/victims/0/first"* ]]'
out=

# --- list, explain, snapshot, audit on the fixture
S() { "$OOMLENS" --sysroot "$1" "${@:2}"; }
run S "$ROOT" list -J -k -o +PPID,UID,CMDLINE,ANON,FILE,SHMEM,PGTABLES,BADNESS,CGROUP,KILLABLE,STATE
valid "list -J, every column, kernel threads too" list.schema.json
run S "$ROOT" list -J -H
valid "list -H -J" list-columns.schema.json
run S "$ROOT" snapshot
valid "snapshot of the fixture" snapshot.schema.json
printf '%s\n' "$out" > "$TMP/old.json"

explain_valid() { valid "$1" explain.schema.json; }
run S "$ROOT" explain -J --all
explain_valid "explain -J --all"
run S "$ROOT" explain -J --adj 0 --rss 100M 5660 5662
explain_valid "explain -J --adj --rss"
run S "$ROOT" explain -J --history
explain_valid "explain -J --history"

run S "$ROOT" audit -J --no-log
valid "audit -J of the fixture (no findings)" audit.schema.json
# a copy of the tree that trips most rules; the hand edits are audit.sh's:
# -1000 / -17 written into the copy, worker-anon made bash's child, the
# sysctls changed, memory cgroups and a unit file added, and a kernel log
rm -rf "$TMP/r" && cp -a "$ROOT" "$TMP/r"
for p in 2310 5658 5660; do echo -1000 > "$TMP/r/proc/$p/oom_score_adj"; echo -17 > "$TMP/r/proc/$p/oom_adj"; done
sed -i 's/^PPid:.*/PPid:\t2310/' "$TMP/r/proc/5658/status"
echo 1 > "$TMP/r/proc/sys/vm/panic_on_oom"
echo 0 > "$TMP/r/proc/sys/vm/oom_dump_tasks"
echo 1 > "$TMP/r/proc/sys/vm/oom_kill_allocating_task"
echo 2 > "$TMP/r/proc/sys/vm/overcommit_memory"
mkdir -p "$TMP/r/sys/fs/cgroup/memory/app" "$TMP/r/sys/fs/cgroup/kubepods.slice/pod1" "$TMP/r/etc/systemd/system" \
	 "$TMP/r/var/log"
printf 'oom_kill_disable 1\nunder_oom 0\noom_kill 0\n' > "$TMP/r/sys/fs/cgroup/memory/app/memory.oom_control"
echo 1 > "$TMP/r/sys/fs/cgroup/kubepods.slice/pod1/memory.oom.group"
printf '[Service]\nOOMScoreAdjust=-1000\n' > "$TMP/r/etc/systemd/system/leaky.service"
{ echo "Nov 28 09:00:00 box kernel: [  12.5] oldtool (4242): /proc/4242/oom_adj is deprecated, please use /proc/4242/oom_score_adj instead."
  cat "$LOGS/043.log"; } > "$TMP/r/var/log/kern.log"
run S "$TMP/r" audit -J
got=$(jq -r '[.findings[].rule] | unique | join(" ")' <<<"$out")
check "audit of the edited tree: ten rules fire ($got)" test "$(wc -w <<<"$got")" -eq 10
valid "audit -J, ten rules" audit.schema.json
printf 'set unkillable-share 0.1\nallow comm worker-anon "x"\nallow comm shm-user "y"\nallow comm bash "z"\n' > "$TMP/share.conf"
run S "$TMP/r" audit -J --no-log -c "$TMP/share.conf"
check "audit: unkillable-memory fires" eval '[[ "$(jq -r "[.findings[].rule] | join(\" \")" <<<"$out")" == *unkillable-memory* ]]'
valid "audit -J, unkillable-memory" audit.schema.json
# -950 (inherited-protection); no v1 memory hierarchy, so v2's memory.oom.group is read
for p in 2310 5658; do echo -950 > "$TMP/r/proc/$p/oom_score_adj"; done
rm -rf "$TMP/r/sys/fs/cgroup/memory"
run S "$TMP/r" audit -J --no-log
check "audit: inherited-protection and memcg-oom-group fire" eval \
	'[[ "$(jq -r "[.findings[].rule] | join(\" \")" <<<"$out")" == *inherited-protection*memcg-oom-group* ]]'
valid "audit -J, inherited-protection and memcg-oom-group" audit.schema.json

# --- diff: every change type, as snapshot.sh makes them
jq -f "$TESTS_DIR/helpers/every-change.jq" "$TMP/old.json" > "$TMP/new.json"
jq '(.processes[] | select(.pid == 5659)) |= (.oom_score_adj = 0 | .oom_adj = 0 | .killable = true)' "$TMP/new.json" > "$TMP/back.json"
run "$OOMLENS" diff -J "$TMP/old.json" "$TMP/new.json"
check "diff -J: nine change types" test "$(jq '[.changes[].type] | unique | length' <<<"$out")" -eq 9
valid "diff -J, nine change types" diff.schema.json
run "$OOMLENS" diff -J "$TMP/new.json" "$TMP/back.json"
check "diff -J: became_killable" eval '[[ "$(jq -r "[.changes[].type] | join(\" \")" <<<"$out")" == *became_killable* ]]'
valid "diff -J, became_killable" diff.schema.json
run "$OOMLENS" diff -J "$FIXTURES/snapshot-v1.json" "$TMP/old.json"
valid "diff -J of a version 1 snapshot" diff.schema.json

# --- log: every fixture log, and wrappers that give the time
for f in "$LOGS"/*.log; do
	name=$(basename "$f")
	run "$OOMLENS" log -J "$f"
	valid "log -J $name" log.schema.json
	run "$OOMLENS" log --jsonl "$f"
	valid "log --jsonl $name, each line" log-line.schema.json --lines
	run "$OOMLENS" log -s -J "$f"
	valid "log -s -J $name" log-summary.schema.json
done
sed -n 's/^.*kernel: \[ *[0-9.]*\] //p' "$LOGS/008.log" | awk '{printf "2025-12-08T01:56:31+0100 box kernel: %s\n", $0}' > "$TMP/iso.log"
run "$OOMLENS" log -J "$TMP/iso.log"
check "log: an ISO stamp with a zone gives the time" test "$(jq -r '.events[0].time' <<<"$out")" = 2025-12-08T00:56:31Z
valid "log -J, a time" log.schema.json
run "$OOMLENS" log -s -J "$TMP/iso.log"
valid "log -s -J, first and last" log-summary.schema.json
cat > "$TMP/userspace.log" <<'EOL'
Nov 28 10:00:01 box earlyoom[812]: sending SIGTERM to process 4321 uid 1000 "chromium": oom_score 912, VmRSS 6123 MiB, cmdline "/usr/lib/chromium/chromium"
Nov 28 10:05:00 box systemd-oomd[600]: Killed /user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox.scope due to memory pressure for /user.slice/user-1000.slice/user@1000.service being 81.23% > 50.00% for > 20s with reclaim activity
Nov 28 11:00:00 box oomd[812]: Killed 2: 7777(java) 7778(bash)
EOL
run "$OOMLENS" log --jsonl "$TMP/userspace.log"
valid "log --jsonl, userspace killers" log-line.schema.json --lines

# --- the live system
if ! [ -r /proc/self/status ] || ! [ -r /proc/meminfo ]; then
	skip "live: list, explain, snapshot, diff, audit, watch, log" "/proc is not readable here"
	exit 0
fi
run "$OOMLENS" list -J -o +PPID,UID,CMDLINE,ANON,FILE,SHMEM,PGTABLES,BADNESS,CGROUP,KILLABLE,STATE
valid "live: list -J, every column" list.schema.json
top=$(jq '.processes[0].pid' <<<"$out")
run "$OOMLENS" explain -J 1 $$ "$top"
explain_valid "live: explain -J 1, this shell and the first in line"
run "$OOMLENS" snapshot
valid "live: snapshot" snapshot.schema.json
printf '%s\n' "$out" > "$TMP/live.json"
run "$OOMLENS" diff -J "$TMP/live.json"
valid "live: diff -J of a snapshot against now" diff.schema.json
run "$OOMLENS" audit -J
check "live: audit exits 0 or 1" test "$rc" -le 1
valid "live: audit -J" audit.schema.json
run "$OOMLENS" watch --jsonl -c 2 -i 0.1 $$
valid "live: watch --jsonl, samples" watch.schema.json --lines
sleep 0.3 &
run "$OOMLENS" watch --jsonl -i 0.1 $!
check "live: watch --jsonl ends with the death of the process" test "$(tail -n 1 <<<"$out" | jq -r .event)" = exit
valid "live: watch --jsonl, samples and a death" watch.schema.json --lines
if [ -r /dev/kmsg ]; then
	run "$OOMLENS" log -J
	valid "live: log -J (the ring buffer)" log.schema.json
	run "$OOMLENS" log -s -J
	valid "live: log -s -J (with the kernel's counters)" log-summary.schema.json
else
	skip "live: log -J" "/dev/kmsg is not readable"
fi
