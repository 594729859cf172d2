#!/usr/bin/env bash
# oomlens watch: samples, a process that exits on its own, bad invocations.
# (Kills by the OOM killer are watched in memcg.sh, where one is caused.)
. "$(dirname "$0")/lib.sh"

sleep 1.2 &
victim=$!
run "$OOMLENS" watch --jsonl -i 0.2 "$victim"
check "watch exits 0 when the process is gone" test "$rc" -eq 0
check "watch: at least 3 samples of the process" eval '[ "$(jq -c "select(.event == null and .pid == $victim)" <<<"$out" | wc -l)" -ge 3 ]'
check "watch: samples carry rss, badness, oom_score, rank and share" eval \
	'jq -s -e "map(select(.event == null)) | length > 0 and all(has(\"rss\") and has(\"badness\") and has(\"oom_score\") and has(\"rank\") and has(\"share\"))" <<<"$out" >/dev/null'
check "watch: a process that exits on its own is not an OOM kill" test \
	"$(jq -r 'select(.event != null) | .event' <<<"$out")" = exit
sleep 30 &
s=$!
run "$OOMLENS" watch -c 2 -i 0.1 "$s"
kill $s
check "watch -c 2: two text samples then exit 0" eval '[ "$rc" -eq 0 ] && [ "$(grep -c "oom_score" <<<"$out")" -eq 2 ]'
run "$OOMLENS" watch
check "watch without a pid: exit 2" test "$rc" -eq 2
run "$OOMLENS" watch -i 0 $$
check "watch -i 0: exit 2" test "$rc" -eq 2
run "$OOMLENS" watch -i abc $$
check "watch -i abc: exit 2" test "$rc" -eq 2
run "$OOMLENS" watch 424242
check "watch a pid that does not exist: exit 1" eval '[ "$rc" -eq 1 ] && [[ "$err" == *"no such process"* ]]'
run "$OOMLENS" --sysroot "$FIXTURES/root-6.18" watch 5658
check "watch with --sysroot: exit 2, it samples the live system" test "$rc" -eq 2
