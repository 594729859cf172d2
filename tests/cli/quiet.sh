#!/usr/bin/env bash
# --quiet (audit, log, diff), for cron: the notes on stderr go, the report and
# the errors stay.  Each note is first shown to appear without --quiet.
. "$(dirname "$0")/lib.sh"
ROOT=$FIXTURES/root-6.18
LOGS=$FIXTURES/oomlogs

# audit: the fixture tree has no kernel log, which is a note
run "$OOMLENS" --sysroot "$ROOT" audit
plain=$out
check "audit without --quiet: the note 'no kernel log to read'" eval '[ "$rc" -eq 0 ] && [[ "$err" == *"note: no kernel log to read"* ]]'
for q in -q --quiet; do
	run "$OOMLENS" --sysroot "$ROOT" audit $q
	check "audit $q: nothing on stderr, the same report, exit 0" eval '[ "$rc" -eq 0 ] && [ -z "$err" ] && [ "$out" = "$plain" ]'
done
run "$OOMLENS" --sysroot "$ROOT" audit --quiet --log /nonexistent
check "audit --quiet: an error is still said, exit 2" eval '[ "$rc" -eq 2 ] && [[ "$err" == *"cannot read '"'"'/nonexistent'"'"'"* ]]'

# log: boot-relative stamps that --since cannot place are a note
run "$OOMLENS" log --since 2000-01-01 "$LOGS/003.log"
check "log without --quiet: the note on the undated event" eval '[[ "$err" == *"note: 1 event without an absolute time"* ]]'
run "$OOMLENS" log --quiet --since 2000-01-01 "$LOGS/003.log"
check "log --quiet: nothing on stderr, the report, exit 0" eval '[ "$rc" -eq 0 ] && [ -z "$err" ] && [ "$out" = "no OOM events" ]'
run "$OOMLENS" log -q /nonexistent
check "log --quiet: an error is still said, exit 2" eval '[ "$rc" -eq 2 ] && [[ "$err" == *"cannot open"* ]]'

# diff: a sysroot file skipped (a FIFO) is a note
cp -a "$ROOT" "$TMP/r"
rm "$TMP/r/proc/5658/oom_score_adj" && mkfifo "$TMP/r/proc/5658/oom_score_adj"
"$OOMLENS" --sysroot "$ROOT" snapshot -o "$TMP/s.json"
run "$OOMLENS" --sysroot "$TMP/r" diff "$TMP/s.json"
plain=$out prc=$rc
check "diff without --quiet: the note on the skipped FIFO" eval '[[ "$err" == *"note: sysroot: proc/5658/oom_score_adj: a FIFO"* ]]'
run "$OOMLENS" --sysroot "$TMP/r" diff --quiet "$TMP/s.json"
check "diff --quiet: nothing on stderr, the same changes and exit status" eval '[ -z "$err" ] && [ "$out" = "$plain" ] && [ "$rc" -eq "$prc" ]'
