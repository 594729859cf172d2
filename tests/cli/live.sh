#!/usr/bin/env bash
# oomlens list on the live system while it changes under it, and as a user
# who cannot read everything.
. "$(dirname "$0")/lib.sh"

# Processes born and dying during the scan: every run must exit 0, print
# nothing on stderr, and give valid JSON whose rows are whole.
churn() {
	local end=$((SECONDS + 6))
	while [ $SECONDS -lt $end ]; do
		for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true & done
		wait
	done
}
churn &
churner=$!
fails=0 runs=0
while kill -0 $churner 2>/dev/null; do
	runs=$((runs + 1))
	"$OOMLENS" list -J -o +PPID,UID,CMDLINE,ANON,FILE,SHMEM,PGTABLES,BADNESS,CGROUP,KILLABLE \
		>"$TMP/churn.json" 2>"$TMP/churn.err" || fails=$((fails + 1))
	[ -s "$TMP/churn.err" ] && fails=$((fails + 1))
	jq -e '.processes | all(.pid > 0)' "$TMP/churn.json" >/dev/null || fails=$((fails + 1))
	"$OOMLENS" list -r -o +CMDLINE >/dev/null 2>>"$TMP/churn.err" || fails=$((fails + 1))
done
wait $churner
if [ $fails -eq 0 ] && [ $runs -gt 0 ]; then
	ok "list during process churn: $runs runs, all exit 0, no stderr, valid JSON"
else
	err=$(cat "$TMP/churn.err") not_ok "list during process churn" "$fails failures in $runs runs"
fi

# As an unprivileged user: what cannot be read is unknown, never a crash.
if command -v runuser >/dev/null && [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	cp "$OOMLENS" "$TMP/oomlens" && chmod 755 "$TMP" "$TMP/oomlens"
	run runuser -u nobody -- "$TMP/oomlens" list -J -k -o +CMDLINE,CGROUP,PGTABLES
	check "as nobody: exit 0 and valid JSON" eval '[ "$rc" -eq 0 ] && jq -e ".processes | length > 0" <<<"$out" >/dev/null'
	run runuser -u nobody -- "$TMP/oomlens" list
	check "as nobody: the table prints" test "$rc" -eq 0
else
	skip "list as an unprivileged user" "needs root, runuser and the user nobody"
fi
