#!/usr/bin/env bash
# oomlens snapshot and diff: the fixture tree, a round trip, every change
# type (made by editing a saved snapshot with jq), pid reuse, atomic writes,
# and corrupt input.
. "$(dirname "$0")/lib.sh"
ROOT=$FIXTURES/root-6.18
S() { "$OOMLENS" --sysroot "$ROOT" snapshot "$@"; }

run S
check "snapshot of the fixture: exit 0, valid JSON, format, version and schema_version" test \
	"$(jq -c '[.format, .version, .schema_version]' <<<"$out")" = '["oomlens-snapshot",2,"2.2"]'
snap=$out
printf '%s\n' "$snap" > "$TMP/old.json"
check "every process of the fixture, with its start time from stat" test \
	"$(jq '.processes | length' <<<"$snap")" = "$(ls -d "$ROOT"/proc/[0-9]* | wc -l)"
st=$(awk '{print $22}' "$ROOT/proc/5658/stat")
check "pid 5658's start time is stat field 22 ($st)" test "$(jq '.processes[] | select(.pid == 5658) | .starttime' <<<"$snap")" = "$st"
check "the sysctls from proc/sys/vm, by their full names" test \
	"$(jq '.sysctl["vm.oom_dump_tasks"]' <<<"$snap")" = "$(cat "$ROOT/proc/sys/vm/oom_dump_tasks")"
check "MemTotal and SwapTotal in bytes" test "$(jq -c '[.mem_total_bytes, .swap_total_bytes]' <<<"$snap")" = \
	"[$(awk '/^MemTotal:/ {m=$2} /^SwapTotal:/ {s=$2} END {printf "%.0f,%.0f", m * 1024, s * 1024}' "$ROOT/proc/meminfo")]"
check "time: RFC 3339 UTC, and its epoch" test "$(jq '(.time | fromdateiso8601) == .time_epoch' <<<"$snap")" = true
check "total_pages, kernel, page size" test "$(jq -c '[.total_pages, .kernel, .page_size]' <<<"$snap")" = \
	"[$(awk '/^MemTotal:/ {m=$2} /^SwapTotal:/ {s=$2} END {print int(m/4) + int(s/4)}' "$ROOT/proc/meminfo"),\"$(cat "$ROOT/proc/sys/kernel/osrelease")\",4096]"
check "ranks follow badness" test "$(jq -c '[.processes[] | select(.rank) ] | sort_by(.rank) | length > 1 and (map(.badness) | . == (sort | reverse))' <<<"$snap")" = true

# round trip: a snapshot against itself, and the saved file against the tree
run "$OOMLENS" diff "$TMP/old.json" "$TMP/old.json"
check "diff of a snapshot with itself: no changes, exit 0" eval '[ "$rc" -eq 0 ] && [[ "$out" == "0 changes;"* ]]'
run "$OOMLENS" --sysroot "$ROOT" diff "$TMP/old.json"
check "diff of a saved snapshot with the same tree (NEW defaults to the system): exit 0, no change" eval \
	'[ "$rc" -eq 0 ] && [[ "$out" == "0 changes;"* ]]'
run S -o "$TMP/saved.json"
check "snapshot -o writes the file, nothing on stdout" eval '[ "$rc" -eq 0 ] && [ -z "$out" ] && jq_true ".processes | length > 0" "$TMP/saved.json"'
check "round trip: snapshot -> load -> snapshot is identical but for the time" eval \
	'[ -n "$snap" ] && [ "$(jq -S "del(.time, .time_epoch)" "$TMP/saved.json")" = "$(jq -S "del(.time, .time_epoch)" "$TMP/old.json")" ]'

# version 1 (oomlens before the 2.0 vocabulary: kB, totalpages, sysctls
# without vm.) still loads: the fixture tree, saved by that oomlens
V1=$FIXTURES/snapshot-v1.json
run "$OOMLENS" --sysroot "$ROOT" diff "$V1"
check "a version 1 snapshot of the fixture against the fixture: loads, no changes" eval \
	'[ "$rc" -eq 0 ] && [[ "$out" == "0 changes;"* ]] && [ -z "$err" ]'
run "$OOMLENS" diff "$V1" "$TMP/old.json"
check "version 1 against version 2 of the same tree: no changes" eval '[ "$rc" -eq 0 ] && [[ "$out" == "0 changes;"* ]]'
jq '.sysctl.panic_on_oom = 1 | .totalpages += 7' "$V1" > "$TMP/v1-edited.json"
run "$OOMLENS" diff -J "$TMP/v1-edited.json" "$TMP/old.json"
check "version 1: its sysctls and totalpages are read (vm.panic_on_oom 1 -> 0, total_pages)" test \
	"$(jq -c '[.changes[] | select(.type == "sysctl_changed" or .type == "totalpages_changed") | [.sysctl, .old, .old_pages]]' <<<"$out")" = \
	"[[\"vm.panic_on_oom\",1,null],[null,null,$(($(jq .total_pages "$TMP/old.json") + 7))]]"
check "diff -J: the time of each snapshot, RFC 3339 UTC with its epoch" test \
	"$(jq -c '.summary | [.old_time, .old_time_epoch]' <<<"$out")" = '["2026-11-28T11:26:19Z",1795865179]'
jq '.schema_version = "2.9" | .added_later = 1' "$TMP/old.json" > "$TMP/minor.json"
run "$OOMLENS" diff "$TMP/minor.json" "$TMP/old.json"
check "a newer minor schema_version (2.9, fields added) loads" eval '[ "$rc" -eq 0 ] && [ -z "$err" ]'

# a long command line: Linux allows more than 2 MiB of arguments; what the
# snapshot writes, diff must load.  Copy of the tree, pid 5658's cmdline made
# 1.5 MiB of arguments, and 5659's 600 KiB of bytes that are not UTF-8 (each
# written as U+FFFD, 3 bytes: 1.8 MiB in the snapshot).
cp -a "$ROOT" "$TMP/longcmd"
for i in $(seq 16); do head -c 98304 /dev/zero | tr '\0' a; printf '\0'; done > "$TMP/longcmd/proc/5658/cmdline"
head -c 614400 /dev/zero | tr '\0' '\377' > "$TMP/longcmd/proc/5659/cmdline"
run "$OOMLENS" --sysroot "$TMP/longcmd" snapshot -o "$TMP/longcmd.json"
check "snapshot of a 1.5 MiB command line: exit 0, the whole of it" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq ".processes[] | select(.pid == 5658) | .cmdline | length" "$TMP/longcmd.json")" -eq $((16 * 98304 + 15)) ]'
run "$OOMLENS" diff "$TMP/longcmd.json" "$TMP/longcmd.json"
check "diff loads a snapshot with a 1.5 MiB command line: exit 0" eval '[ "$rc" -eq 0 ] && [ -z "$err" ] && [[ "$out" == "0 changes;"* ]]'
run "$OOMLENS" --sysroot "$TMP/longcmd" diff "$TMP/longcmd.json"
check "diff of that snapshot with its tree: exit 0" eval '[ "$rc" -eq 0 ] && [ -z "$err" ] && [[ "$out" == "0 changes;"* ]]'

# every change type, by editing the old snapshot
jq -f "$TESTS_DIR/helpers/every-change.jq" "$TMP/old.json" > "$TMP/new.json"
run "$OOMLENS" diff -J "$TMP/old.json" "$TMP/new.json"
check "diff -J: exit 1 when something changed" test "$rc" -eq 1
types=$(jq -r '[.changes[].type] | unique | join(" ")' <<<"$out")
for t in first_in_line became_unkillable adj_changed appeared left score_changed rank_changed sysctl_changed totalpages_changed; do
	check "change type $t" eval '[[ " $types " == *" '$t' "* ]]'
done
check "the most important first: first_in_line, then became_unkillable" test \
	"$(jq -c '[.changes[0].type, .changes[1].type]' <<<"$out")" = '["first_in_line","became_unkillable"]'
check "first in line: now the newcomer, was x) (y" test \
	"$(jq -c '.changes[0] | [.new.pid, .old.pid]' <<<"$out")" = '[7777,5662]'
check "each change carries the process identity and old/new values" test \
	"$(jq -c '.changes[] | select(.type == "adj_changed") | [.pid, .comm, .old.oom_score_adj, .new.oom_score_adj]' <<<"$out")" = '[5661,"ev\u001b[31mil\ttab",0,500]'
check "summary: counts" test "$(jq -c '.summary | [.appeared, .left, .by_type.became_unkillable]' <<<"$out")" = '[1,1,1]'
run "$OOMLENS" diff "$TMP/old.json" "$TMP/new.json"
check "text: one line per change, hostile names escaped" eval \
	'grep -q "^first in line: now newcomer\[7777\]" <<<"$out" && grep -q "^became unkillable: reader-file\[5659\], oom_score_adj 0 -> -1000" <<<"$out" && ! grep -q "$(printf "\033")" <<<"$out"'
run "$OOMLENS" diff "$TMP/old.json" "$TMP/new.json"
check "without --threshold: the 333-point move is shown" grep -q "^oom_score: ev.*666 -> 999 (+333)" <<<"$out"
run "$OOMLENS" diff --threshold 1000 "$TMP/old.json" "$TMP/new.json"
check "--threshold 1000 hides a 333-point move, and only that" eval \
	'[ "$rc" -eq 1 ] && ! grep -q "^oom_score: ev" <<<"$out" && grep -q "^oom_score_adj: ev.*0 -> 500" <<<"$out"'
jq '(.processes[] | select(.pid == 5659)) |= (.oom_score += 1)' "$TMP/old.json" > "$TMP/score1.json"
for t in 0 1; do
	run "$OOMLENS" diff -J --threshold $t "$TMP/old.json" "$TMP/score1.json"
	check "--threshold $t reports a 1-point move, and only the process that moved" test \
		"$(jq -c '[.changes[] | select(.type == "score_changed") | .pid]' <<<"$out")" = '[5659]'
done
run "$OOMLENS" diff --threshold 0 "$TMP/old.json" "$TMP/old.json"
check "--threshold 0: a snapshot with itself has no changes, exit 0" eval '[ "$rc" -eq 0 ] && [[ "$out" == "0 changes;"* ]]'

# a write error on stdout is trouble (2), never "differences" (1)
if [ -w /dev/full ]; then
	out=
	for a in "old.json old.json" "old.json new.json" "-J old.json new.json"; do
		(cd "$TMP" && exec "$OOMLENS" diff $a) >/dev/full 2>"$TMP/err"; rc=$?
		check "diff $a >/dev/full: exit 2 and a message" eval \
			'[ "$rc" -eq 2 ] && [ "$(grep -c "" "$TMP/err")" -eq 1 ] && grep -q "write error" "$TMP/err"'
	done
	S >/dev/full 2>"$TMP/err"; rc=$?
	check "snapshot >/dev/full: exit 1 and a message" eval '[ "$rc" -eq 1 ] && grep -q "write error" "$TMP/err"'
else
	skip "diff and snapshot writing to /dev/full" "no /dev/full"
fi

# pid reuse: same pid, another start time -> another process
jq '(.processes[] | select(.pid == 5662)) |= (.starttime += 100)' "$TMP/old.json" > "$TMP/reuse.json"
run "$OOMLENS" diff -J "$TMP/old.json" "$TMP/reuse.json"
check "a reused pid is a process that left and one that appeared" test \
	"$(jq -c '[.changes[] | select(.type == "appeared" or .type == "left") | [.type, .pid]] | sort' <<<"$out")" = '[["appeared",5662],["left",5662]]'

# atomic write: a failed run leaves the previous file untouched
cp "$TMP/saved.json" "$TMP/keep.json"
run S -o "$TMP/no-such-dir/x.json"
check "snapshot -o into a missing directory: exit 1, one line" eval '[ "$rc" -eq 1 ] && [ "$(grep -c "" <<<"$err")" -eq 1 ]'
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	# a full filesystem: a 64 KiB tmpfs that holds the old snapshot and no room for a new one
	run unshare -m sh -c '
		mkdir -p "$1/full" && mount -t tmpfs -o size=64k tmpfs "$1/full" || exit 77
		head -c 20000 "$2" > "$1/full/snap.json"
		cp "$1/full/snap.json" "$1/before"
		head -c 100000 /dev/zero > "$1/full/filler" 2>/dev/null
		"$3" --sysroot "$4" snapshot -o "$1/full/snap.json"
		rc=$?
		cmp -s "$1/full/snap.json" "$1/before" || exit 99
		ls -a "$1/full" | grep -q oomlens-tmp && exit 98
		exit $rc' sh "$TMP" "$TMP/keep.json" "$OOMLENS" "$ROOT"
	if [ "$rc" -eq 77 ]; then
		skip "snapshot -o on a full filesystem" "cannot mount a tmpfs here"
	else
		check "snapshot -o on a full filesystem: exit 1, the old file intact, no temporary left" test "$rc" -eq 1
	fi
else
	skip "snapshot -o on a full filesystem" "needs root and mount namespaces"
fi

# what -o PATH replaces: a regular file keeps its permissions (a private
# snapshot stays private); a symbolic link is followed and stays a link;
# anything else is refused and left as it is; "-" is standard output
install -m 600 "$TMP/keep.json" "$TMP/private.json"
run S -o "$TMP/private.json"
check "-o over a 0600 file: rewritten, still 0600" eval \
	'[ "$rc" -eq 0 ] && [ "$(stat -c %a "$TMP/private.json")" = 600 ] && jq_true ".processes | length > 0" "$TMP/private.json"'
run sh -c 'umask 077 && exec "$@"' sh "$OOMLENS" --sysroot "$ROOT" snapshot -o "$TMP/new-umask.json"
check "-o to a new file honours the umask (077: 0600)" eval '[ "$rc" -eq 0 ] && [ "$(stat -c %a "$TMP/new-umask.json")" = 600 ]'
run sh -c 'umask 022 && exec "$@"' sh "$OOMLENS" --sysroot "$ROOT" snapshot -o "$TMP/new-022.json"
check "-o to a new file honours the umask (022: 0644)" eval '[ "$rc" -eq 0 ] && [ "$(stat -c %a "$TMP/new-022.json")" = 644 ]'
mkdir "$TMP/linkdir"
echo old > "$TMP/linkdir/target.json"
chmod 640 "$TMP/linkdir/target.json"
ln -s linkdir/target.json "$TMP/link.json"
run S -o "$TMP/link.json"
check "-o through a symbolic link: the link stays, its target is written, mode kept" eval \
	'[ "$rc" -eq 0 ] && [ -L "$TMP/link.json" ] && [ "$(readlink "$TMP/link.json")" = linkdir/target.json ] &&
	 jq_true ".processes | length > 0" "$TMP/linkdir/target.json" && [ "$(stat -c %a "$TMP/linkdir/target.json")" = 640 ] &&
	 ! ls -a "$TMP" "$TMP/linkdir" | grep -q oomlens-tmp'
ln -s no-such-file "$TMP/dangling.json"
run S -o "$TMP/dangling.json"
check "-o to a dangling symbolic link: exit 1, one line, the link left" eval \
	'[ "$rc" -eq 1 ] && [ "$(grep -c "" <<<"$err")" -eq 1 ] && [ -L "$TMP/dangling.json" ] && [ ! -e "$TMP/no-such-file" ]'
mkfifo "$TMP/fifo"
ln -s "$TMP" "$TMP/dirlink"
for f in fifo:"a fifo" dirlink:"a link to a directory" .:"a directory"; do
	name=${f%%:*} what=${f#*:}
	run S -o "$TMP/$name"
	check "-o to $what: exit 1, one line 'not a regular file', left as it is" eval \
		'[ "$rc" -eq 1 ] && [ -z "$out" ] && [ "$(grep -c "" <<<"$err")" -eq 1 ] && [[ "$err" == *"not a regular file"* ]] &&
		 ! ls -a "$TMP" | grep -q oomlens-tmp'
done
check "the fifo is still a fifo, the link still a link" eval '[ -p "$TMP/fifo" ] && [ -L "$TMP/dirlink" ]'
if [ "$(id -u)" = 0 ] && mknod "$TMP/null" c 1 3 2>/dev/null; then
	run S -o "$TMP/null"
	check "-o to a device node (a copy of /dev/null), as root: refused, the node left" eval \
		'[ "$rc" -eq 1 ] && [[ "$err" == *"not a regular file"* ]] && [ -c "$TMP/null" ]'
else
	skip "-o to a device node, as root" "needs root and mknod"
fi
run sh -c 'cd "$1" && shift && exec "$@"' sh "$TMP" "$OOMLENS" --sysroot "$ROOT" snapshot -o -
check "-o - writes to standard output, not to a file named '-'" eval \
	'[ "$rc" -eq 0 ] && [ ! -e "$TMP/-" ] && jq_true ".processes | length > 0" <<<"$out"'

# interrupted while the temporary file exists: SIGHUP, SIGINT and SIGTERM
# remove it and end the run with 128 + the signal, the old file intact.  fsync
# is held for 1 s (strace's fault injection) so that the signal comes then;
# env --default-signal undoes the SIGINT a shell ignores for a job in the
# background, --ignore-signal does what nohup does.  (LeakSanitizer cannot
# work under ptrace: off for these runs of a SANITIZE=1 build.)
interrupt() {	# SIGNAL ENV-OPTION
	rm -f "$TMP"/intr/.oomlens-tmp.*
	echo old > "$TMP/intr/snap.json"
	strace -o /dev/null -e trace=fsync -e inject=fsync:delay_enter=1000000 -- \
		env "$2" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		sh -c 'echo $$ > "$1"; shift; exec "$@"' sh "$TMP/intr/pid" \
		"$OOMLENS" --sysroot "$ROOT" snapshot -o "$TMP/intr/snap.json" 2>"$TMP/err" &
	local bg=$! i
	for i in $(seq 50); do
		ls -a "$TMP/intr" | grep -q oomlens-tmp && break
		sleep 0.1
	done
	kill -"$1" "$(cat "$TMP/intr/pid")"
	wait "$bg" 2>/dev/null	# not bash's "Hangup" line
	rc=$?
	left=$(ls -a "$TMP/intr" | grep oomlens-tmp)
	out= err=$(cat "$TMP/err")
}
mkdir "$TMP/intr"
if ! strace -o /dev/null -e trace=fsync -e inject=fsync:delay_enter=1 true 2>/dev/null ||
   ! env --default-signal=INT true 2>/dev/null; then
	skip "snapshot -o interrupted by a signal" "needs strace with fault injection and env --default-signal"
elif [ -n "${VALGRIND_LOGS:-}" ]; then
	skip "snapshot -o interrupted by a signal" "under valgrind"
else
	for sig in HUP INT TERM; do
		interrupt $sig --default-signal=$sig
		want=$((128 + $(kill -l $sig)))
		check "SIG$sig during snapshot -o: exit $want, no temporary file left, the old file intact" eval \
			'[ "$rc" -eq "$want" ] && [ -z "$left" ] && [ "$(cat "$TMP/intr/snap.json")" = old ]'
	done
	interrupt HUP --ignore-signal=HUP
	check "SIGHUP ignored (nohup): the snapshot is written, exit 0" eval \
		'[ "$rc" -eq 0 ] && [ -z "$left" ] && jq_true ".processes | length > 0" "$TMP/intr/snap.json"'
fi

# corrupt, foreign and future input: one line, exit 2
head -c 3000 "$TMP/old.json" > "$TMP/trunc.json"
jq '.processes[0].pid = "one"' "$TMP/old.json" > "$TMP/types.json"
sed 's/"rss":[0-9]*/"rss":99999999999999999999999/' "$TMP/old.json" > "$TMP/huge.json"
jq '.version = 99' "$TMP/old.json" > "$TMP/future.json"
jq '.version = 3 | .schema_version = "3.0"' "$TMP/old.json" > "$TMP/major.json"
jq '.schema_version = "3.0"' "$TMP/old.json" > "$TMP/mismatch.json"
jq 'del(.schema_version)' "$TMP/old.json" > "$TMP/nosv.json"
jq '.schema_version = "2"' "$TMP/old.json" > "$TMP/badsv.json"
echo '{"processes": []}' > "$TMP/foreign.json"
jq '.processes[2].oom_score_adj = 5000' "$TMP/old.json" > "$TMP/range.json"
: > "$TMP/empty.json"
printf '%s garbage' "$(cat "$TMP/old.json")" > "$TMP/trailing.json"
for f in trunc:truncated types:"not an integer" huge:"out of range" future:newer foreign:"not an oomlens snapshot" \
	 major:"version 3 is newer" mismatch:"major number" nosv:"schema_version: missing" badsv:"not MAJOR.MINOR" \
	 range:"out of range" empty:empty trailing:trailing; do
	name=${f%%:*} want=${f#*:}
	run "$OOMLENS" diff "$TMP/$name.json" "$TMP/old.json"
	if [ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$(grep -c '' <<<"$err")" -eq 1 ] && [[ "$err" == *"$want"* ]]; then
		ok "a $name snapshot: exit 2, one line saying '$want'"
	else
		not_ok "a $name snapshot: exit 2, one line saying '$want'" "exit $rc"
	fi
done
run "$OOMLENS" diff "$TMP"
check "a directory: exit 2" test "$rc" -eq 2
run "$OOMLENS" diff /dev/zero
check "/dev/zero: exit 2" test "$rc" -eq 2
run "$OOMLENS" diff /nonexistent.json
check "a missing file: exit 2" test "$rc" -eq 2
run "$OOMLENS" diff
check "no snapshot: exit 2" test "$rc" -eq 2
run "$OOMLENS" diff a b c
check "three snapshots: exit 2" test "$rc" -eq 2
run "$OOMLENS" snapshot extra
check "snapshot with an argument: exit 2" test "$rc" -eq 2

# live
run "$OOMLENS" snapshot
# the snapshot is this shell's child: it lists this shell ($$), not itself
check "live snapshot: exit 0, leaves itself out" eval \
	'[ "$rc" -eq 0 ] && jq_true --argjson me $$ "(.processes | any(.pid == \$me)) and ([.processes[] | select(.ppid == \$me and .comm == \"oomlens\")] == [])" <<<"$out"'
printf '%s\n' "$out" > "$TMP/live.json"
run "$OOMLENS" diff "$TMP/live.json"
check "live: diff against now exits 0 or 1, never 2" eval '[ "$rc" -le 1 ] && grep -q "^[0-9]* changes\{0,1\}; [0-9]* processes then" <<<"$out"' 
