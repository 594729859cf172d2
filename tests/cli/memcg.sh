#!/usr/bin/env bash
# A real memcg OOM: in a small cgroup-v1 memory cgroup (100 MiB), the order
# in which `explain` ranks the processes within the cgroup is the order in
# which the kernel kills them when the group runs out of memory.  Only this
# test's own processes live there; the cgroup is removed afterwards.  Never
# a global OOM: the limit is far below the machine's memory.
. "$(dirname "$0")/lib.sh"
memcg_v1_setup "oomlens-test-$$" "$((100 << 20))" "memcg kill order"

# start PROGRAM ARGS... inside the cgroup; its pid in $last
start_in_cg() {
	local out=$1
	shift
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$cg" "$@" >"$out" &
	last=$!
	pids+=("$last")
}
start_in_cg "$TMP/a" "$HOG" -a 30 -n cg-a30
a=$last
start_in_cg "$TMP/b" "$HOG" -a 10 -A 600 -n cg-b10-adj600
b=$last
start_in_cg "$TMP/c" "$HOG" -a 40 -n cg-c40
c=$last
for _ in $(seq 100); do
	[ "$(cat "$TMP/a" "$TMP/b" "$TMP/c" | grep -c ready)" -eq 3 ] && break
	sleep 0.1
done

run "$OOMLENS" explain -J "$a" "$b" "$c"
check "explain finds the cgroup and its 100 MiB limit" test \
	"$(jq -c '[.processes[].memcg | .path == "/oomlens-test-'$$'" and .limit_bytes == 104857600] | all' <<<"$out")" = true
predicted=$(jq -r '.processes | sort_by(.memcg.rank) | map(.pid) | join(" ")' <<<"$out")
check "explain ranks the three within the cgroup (1, 2, 3)" test \
	"$(jq -c '[.processes[].memcg.rank] | sort' <<<"$out")" = '[1,2,3]'

# one model: list and watch see the same cgroup ranks as explain
ranks=$(jq -c '[.processes[] | [.pid, .memcg.rank]] | sort' <<<"$out")
run "$OOMLENS" list -J -o PID,MEMCG,MCG-RANK,MCG-SHARE -p "$a,$b,$c"
check "list: MEMCG is the test's cgroup, MCG-RANK as explain ranks them" eval \
	'[ "$(jq -c "[.processes[] | [.pid, .memcg_rank]] | sort" <<<"$out")" = "$ranks" ] &&
	 jq_true "length > 0 and all(.processes[]; .memcg == \"/oomlens-test-'$$'\" and .memcg_share_percent > 0)" <<<"$out"'
run "$OOMLENS" watch --jsonl -c 1 "$a" "$b" "$c"
check "watch: the memcg view, with explain's ranks" test \
	"$(jq -sc '[.[] | [.pid, .memcg.rank]] | sort' <<<"$out")" = "$ranks"

# follow the kernel log while it happens: each event as soon as it is complete
"$OOMLENS" log -f --jsonl --since "@$(date +%s)" >"$TMP/follow" 2>"$TMP/follow.err" &
follower=$!
pids+=("$follower")

# watch them while it happens: it must say the OOM killer took them
"$OOMLENS" watch --jsonl -i 0.2 "$a" "$b" "$c" >"$TMP/watch" 2>"$TMP/watch.err" &
watcher=$!
pids+=("$watcher")
sleep 0.5

# Now run the group out of memory: a fourth process grows by 1 MiB steps.
# the kernel log by sequence number: line counts lie once the ring buffer is full
kmsg() { dd if=/dev/kmsg iflag=nonblock bs=16384 2>/dev/null; }
seq_before=$(kmsg | tail -n 1 | cut -d, -f2)
start_in_cg "$TMP/d" "$HOG" -g 40 -d 20 -n cg-grower
for _ in $(seq 150); do
	grep -q done "$TMP/d" && break
	kill -0 "$last" 2>/dev/null || break
	sleep 0.1
done
sleep 0.5
killed=$(kmsg | awk -F, -v s="${seq_before:-0}" '$2 > s' |
	sed -n 's/.*Memory cgroup out of memory: Killed process \([0-9]*\) .*/\1/p' |
	grep -xE "$a|$b|$c|$last" | tr '\n' ' ')
killed=${killed% }
echo "# predicted order: $predicted; the kernel killed: ${killed:-nothing}"
if [ -z "$killed" ]; then
	not_ok "the group ran out of memory and the kernel killed" "no kill in the kernel log"
else
	n=$(wc -w <<<"$killed")
	want=$(cut -d' ' -f1-"$n" <<<"$predicted")
	check "the kernel killed in the predicted order ($want)" test "$killed" = "$want"
fi

kill -INT "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
rc=$?
# exit 3 when the OOM killer took a watched process (oomlens-watch(1) EXIT STATUS)
if [ -n "$killed" ]; then
	check "watch stopped on SIGINT with status 3: the OOM killer took a watched process" test "$rc" -eq 3
else
	check "watch stopped cleanly on SIGINT" test "$rc" -eq 0
fi
for p in $killed; do
	check "watch: $p was killed by the OOM killer in a memory cgroup" test \
		"$(jq -c --argjson p "$p" 'select(.pid == $p and .event != null) | [.event, .constraint]' "$TMP/watch")" = '["oom_kill","memcg"]'
done
# A victim may be sampled between the kill and its exit: its memory already
# reaped (oom_score 0) or gone (no badness, no rank).  So: every process has
# good samples, a survivor only good ones, a victim good ones and then only
# dying ones, never good again after the first dying one.
watch_ok=$(jq -s --arg killed "$killed" --argjson pids "[$a,$b,$c]" '
	def good: .rank != null and .rank > 0 and .badness != null and .badness > 0 and .oom_score > 0;
	($killed | split(" ") | map(select(. != "") | tonumber)) as $k |
	map(select(.event == null)) as $s |
	all($pids[]; . as $p | [$s[] | select(.pid == $p) | good] as $g |
	    ($g | length) > 0 and $g[0] and
	    (if ($k | index([$p])) != null then ($g | sort | reverse) == $g else all($g[]; .) end))
	' "$TMP/watch")
check "watch: samples have rank, badness and oom_score (victims only until the kill)" test "$watch_ok" = true

# the same kills, read back from the kernel's ring buffer by oomlens log
run "$OOMLENS" log -J
for p in $killed; do
	ev=$(jq -c --argjson p "$p" '[.events[] | select(.victim.pid == $p)] | last' <<<"$out")
	check "log: the kill of $p is a memcg event in /oomlens-test-$$" test \
		"$(jq -c '[.kind, .oom_memcg.path]' <<<"$ev")" = "[\"memcg\",\"/oomlens-test-$$\"]"
	check "log: the logged task table explains the kernel's choice of $p" test \
		"$(jq -c '.prediction.agrees' <<<"$ev")" = true
done

# the kernel's own counter for the group (memory.oom_control oom_kill) against the kills found
run "$OOMLENS" log --summary -J
nkilled=$(wc -w <<<"$killed")
check "log --summary: the group's oom_kill counter ($nkilled) matches the kills found, none lost" test \
	"$(jq -c --arg p "/oomlens-test-$$" '.summary.kernel_counters.cgroups[] | select(.path == $p) | [.oom_kill, .found, .lost]' <<<"$out")" = "[$nkilled,$nkilled,0]"
check "log --summary: /proc/vmstat oom_kill is at least the kills found" eval \
	'jq_true ".summary.kernel_counters | .vmstat_oom_kill >= .found and .lost == .vmstat_oom_kill - .found" <<<"$out"'
run "$OOMLENS" log --summary
check "log --summary text: the group's counter, all here" eval \
	'grep -q "^  /oomlens-test-$$: $nkilled kills\{0,1\} counted (memory.oom_control oom_kill): all are here" <<<"$out"'

sleep 1.5	# an event is finished once the log has been idle for a second
kill -INT "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
frc=$?
check "log --follow: exits 0 on SIGINT, nothing on stderr" eval '[ "$frc" -eq 0 ] && [ ! -s "$TMP/follow.err" ]'
check "log --follow --since now: exactly this test's kills, as they happened" test \
	"$(jq -r '.victim.pid' "$TMP/follow" | tr '\n' ' ' | sed 's/ $//')" = "$killed"
