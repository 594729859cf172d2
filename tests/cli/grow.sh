#!/usr/bin/env bash
# The classic experiment: a process grows until the OOM killer kills it, and
# watch shows it coming.  In a small cgroup-v1 memory cgroup (64 MiB), a hog
# grows by 1 MiB steps; watch's samples must show a positive growth rate, a
# time to the memcg limit that shrinks, and then the kill.  Never a global
# OOM: the limit is far below the machine's memory.  The cgroup is removed
# afterwards.
. "$(dirname "$0")/lib.sh"
memcg_v1_setup "oomlens-grow-$$" "$((64 << 20))" "watch: a process grows to its memcg limit"

# the grower waits for "go" on its stdin, so that watch sees it from the start
mkfifo "$TMP/go"
sh -c 'echo $$ > "$1/cgroup.procs" && read -r _ < "$2" && exec "$3" -g 200 -d 100 -n grower' \
	sh "$cg" "$TMP/go" "$HOG" >"$TMP/hog" &
hog=$!
pids+=("$hog")
for _ in $(seq 50); do grep -qx "$hog" "$cg/cgroup.procs" 2>/dev/null && break; sleep 0.1; done

"$OOMLENS" watch --jsonl -i 0.25 "$hog" >"$TMP/jsonl" 2>"$TMP/jsonl.err" &
wj=$!
LC_ALL=C.UTF-8 "$OOMLENS" --color=never watch -i 0.25 "$hog" >"$TMP/text" 2>"$TMP/text.err" &
wt=$!
pids+=("$wj" "$wt")
sleep 0.6
echo go > "$TMP/go"
# 1 MiB every 100 ms: the limit in about 7 s
for _ in $(seq 300); do
	kill -0 "$wj" 2>/dev/null || kill -0 "$wt" 2>/dev/null || break
	sleep 0.1
done
kill -INT "$wj" "$wt" 2>/dev/null
wait "$wj" 2>/dev/null
wait "$wt" 2>/dev/null

samples=$(jq -c 'select(.event == null)' "$TMP/jsonl")
growing=$(jq -c 'select(.growth_bytes_per_second != null and .growth_bytes_per_second > 0)' <<<"$samples")
echo "# $(grep -c '' <<<"$samples") samples, $(grep -c . <<<"$growing") growing; etas: $(jq -r '.eta_seconds' <<<"$growing" | tr '\n' ' ')"
check "watch --jsonl: samples show a positive growth rate (at least 4)" test "$(grep -c . <<<"$growing")" -ge 4
# 1 MiB per 100 ms at most: 10 MiB/s (twice that for the jitter of the samples' times)
check "watch --jsonl: the median rate is below the hog's 10 MiB/s" eval \
	'jq_true -s "map(.growth_bytes_per_second) | sort | .[length / 2 | floor] | . > 0 and . < 20971520" <<<"$growing"'
check "watch --jsonl: each growing sample has an ETA to the memcg limit" eval \
	'jq_true -s "length > 0 and all(.[]; .eta_limit == \"memcg\" and .eta_seconds >= 0)" <<<"$growing"'
# it may wobble with the machine's load, but must come down: the last ETA
# below half the first, and most steps down
check "watch --jsonl: the ETA decreases as the process grows" eval \
	'jq_true -s "map(.eta_seconds) | length >= 4 and .[-1] < .[0] / 2 and
		([range(1; length) as \$i | select(.[\$i] <= .[\$i - 1])] | length) >= (length - 1) * 2 / 3" <<<"$growing"'
check "watch --jsonl: the kill is reported (oom_kill, memcg)" test \
	"$(jq -c --argjson p "$hog" 'select(.pid == $p and .event != null) | [.event, .constraint]' "$TMP/jsonl")" = '["oom_kill","memcg"]'
check "watch text: a header, then the ETA in words" eval \
	'[ "$(head -n 1 "$TMP/text" | awk "{print \$1, \$2, \$3}")" = "TIME PID COMM" ] &&
	 grep -Eq "[0-9]+ s to the memcg limit" "$TMP/text"'
check "watch text: a sparkline of badness in block characters, no colour in a file" eval \
	'LC_ALL=C.UTF-8 grep -q "[▁▂▃▄▅▆▇█]\{4,\}" "$TMP/text" && ! grep -q $'"'"'\e'"'"' "$TMP/text"'
check "watch text: the kill is reported" grep -q "grower *killed by the OOM killer (memory cgroup)" "$TMP/text"
{ head -n 1 "$TMP/text"; tail -n 5 "$TMP/text"; } | sed 's/^/# /'

# Outside any limited cgroup the limit is MemAvailable (a global OOM): a hog
# that grows by 20 MiB only, far from it, gets a time to MemAvailable
"$HOG" -g 20 -d 100 -n grower-g >"$TMP/hog-g" &
g=$!
pids+=("$g")
run "$OOMLENS" watch --jsonl -i 0.25 -c 8 "$g"
kill "$g" 2>/dev/null
gs=$(jq -c 'select(.event == null and .growth_bytes_per_second > 0)' <<<"$out")
if [ -z "$gs" ] || jq_true -s 'any(.[]; .memcg != null)' <<<"$gs"; then
	skip "watch: a time to MemAvailable outside a memcg" "the hog did not grow in sight, or this shell is in a limited memory cgroup"
else
	# eta_seconds = MemAvailable / rate: between the MemAvailable before and after, within the jitter
	avail=$(awk '/^MemAvailable:/ {print $2 * 1024}' /proc/meminfo)
	check "watch: outside a memcg, the time to MemAvailable (about MemAvailable / rate)" eval \
		'jq_true -s --argjson a "$avail" "all(.[]; .eta_limit == \"mem_available\" and
			(.eta_seconds * .growth_bytes_per_second) > \$a * 0.8 and (.eta_seconds * .growth_bytes_per_second) < \$a * 1.25)" <<<"$gs"'
fi
[ -n "$(cat "$TMP/jsonl.err" "$TMP/text.err")" ] && echo "# stderr: $(head -c 300 "$TMP/jsonl.err" "$TMP/text.err")"
exit 0
