#!/usr/bin/env bash
# oomlens watch: samples, a process that exits on its own, bad invocations.
# (Kills by the OOM killer are watched in memcg.sh, where one is caused.)
. "$(dirname "$0")/lib.sh"

# The process exits on its own once watch has sampled it three times (or
# after a minute): however slow the machine, the samples come first.
sh -c 'i=0; while [ ! -e "$1" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done' sh "$TMP/go" &
victim=$!
"$OOMLENS" watch --jsonl -i 0.2 "$victim" >"$TMP/watch.out" 2>"$TMP/watch.err" &
watcher=$!
for _ in $(seq 1200); do
	[ "$(jq -c "select(.event == null)" "$TMP/watch.out" 2>/dev/null | wc -l)" -ge 3 ] && break
	sleep 0.05
done
touch "$TMP/go"
wait $watcher
rc=$?
out=$(cat "$TMP/watch.out") err=$(cat "$TMP/watch.err")
check "watch exits 0 when the process is gone" test "$rc" -eq 0
check "watch: at least 3 samples of the process" eval '[ "$(jq -c "select(.event == null and .pid == $victim)" <<<"$out" | wc -l)" -ge 3 ]'
check "watch: samples carry rss, badness, oom_score, rank and share_percent" eval \
	'jq_true -s "map(select(.event == null)) | length > 0 and all(has(\"rss\") and has(\"badness\") and has(\"oom_score\") and has(\"rank\") and has(\"share_percent\"))" <<<"$out"'
check "watch: every line has its schema_version and an RFC 3339 UTC time, its epoch beside it" eval \
	'jq_true -s "length > 0 and all((.schema_version | startswith(\"2.\")) and (.time | fromdateiso8601) == .time_epoch)" <<<"$out"'
check "watch: a process that exits on its own is not an OOM kill" test \
	"$(jq -r 'select(.event != null) | .event' <<<"$out")" = exit
sleep 30 &
s=$!
run "$OOMLENS" watch -c 2 -i 0.1 "$s"
kill $s
check "watch -c 2: a header, two text samples then exit 0" eval '[ "$rc" -eq 0 ] &&
	[ "$(head -n 1 <<<"$out" | awk "{print \$1, \$2, \$3}")" = "TIME PID COMM" ] &&
	[ "$(tail -n +2 <<<"$out" | awk -v p="$s" "\$2 == p" | grep -c "")" -eq 2 ]'
run "$OOMLENS" watch
check "watch without a pid: exit 2" test "$rc" -eq 2
run "$OOMLENS" watch -i 0 $$
check "watch -i 0: exit 2" test "$rc" -eq 2
run "$OOMLENS" watch -i abc $$
check "watch -i abc: exit 2" test "$rc" -eq 2
run "$OOMLENS" watch 424242
check "watch a pid that does not exist: exit 1" eval '[ "$rc" -eq 1 ] && [[ "$err" == *"no such process"* ]]'
run timeout 20 "$OOMLENS" --sysroot "$FIXTURES/root-6.18" watch --jsonl 5658
check "watch with --sysroot: one sample of the copied tree, with the kernel's oom_score" eval \
	'[ "$rc" -eq 0 ] && [ "$(wc -l <<<"$out")" -eq 1 ] &&
	 [ "$(jq -r "[.pid, .oom_score] | @tsv" <<<"$out")" = "5658	$(cat "$FIXTURES/root-6.18/proc/5658/oom_score")" ]'

# A reused pid: a process that now holds the pid of one the OOM killer took
# earlier this boot (its "Killed process" record is in the log), started
# under the same name, exits on its own.  The record predates the watch and
# must not be blamed.  Needs a kill record with a plain name and a free pid,
# and root to steer the next pid through /proc/sys/kernel/ns_last_pid.
reuse() {
	local rec pid comm
	[ -w /proc/sys/kernel/ns_last_pid ] && [ -r /dev/kmsg ] || { echo "no ns_last_pid or /dev/kmsg"; return 1; }
	rec=$(dd if=/dev/kmsg iflag=nonblock bs=16384 2>/dev/null |
		sed -n 's/.*Killed process \([0-9]\{1,\}\) (\([A-Za-z0-9._-]\{1,15\}\)).*/\1 \2/p' |
		while read -r pid comm; do [ -e "/proc/$pid" ] || echo "$pid $comm"; done | tail -n 1)
	[ -n "$rec" ] || { echo "no OOM kill of a now free pid in the kernel log"; return 1; }
	read -r pid comm <<<"$rec"
	ln -s "$(command -v sleep)" "$TMP/$comm"
	for _ in 1 2 3; do
		echo $((pid - 1)) > /proc/sys/kernel/ns_last_pid
		"$TMP/$comm" 0.6 &
		[ "$!" = "$pid" ] && { reused=$pid; reused_comm=$comm; return 0; }
		wait $! 2>/dev/null
	done
	echo "pid $pid was taken by another process"
	return 1
}
reused=
reuse > "$TMP/why"
if [ -n "$reused" ]; then
	run "$OOMLENS" watch --jsonl -i 0.1 "$reused"
	check "watch: pid $reused reused by a new '$reused_comm': an old OOM kill of that pid is not its death" \
		test "$(jq -r 'select(.event != null) | .event' <<<"$out")" = exit
else
	skip "watch: a reused pid is not blamed on an old OOM kill" "$(cat "$TMP/why")"
fi
