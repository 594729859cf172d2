#!/usr/bin/env bash
# Churn: about 1000 processes a second are born and die for 30 s while list,
# explain --all and snapshot run in a loop.  Every run must exit 0 with no
# error text, and no row may mix two processes: each churn child names
# itself "ch<pid>", so a row whose name's number is not its pid would show it.
. "$(dirname "$0")/lib.sh"
CHURN=$TESTS_DIR/helpers/churn
[ -x "$CHURN" ] || { skip "churn" "no churn helper"; exit 0; }
: "${CHURN_SECONDS:=30}"

"$CHURN" 1000 "$CHURN_SECONDS" > "$TMP/born" &
churner=$!
trap 'kill $churner 2>/dev/null; rm -rf "$TMP"' EXIT
runs=0 fails=0 mixed=0 seen=0
mix='[.processes[] | select(.comm | test("^ch[0-9]+$")) | select((.comm[2:] | tonumber) != .pid)] | length'
count='[.processes[] | select(.comm | test("^ch[0-9]+$"))] | length'
while kill -0 $churner 2>/dev/null; do
	for cmd in "list -J -o PID,PPID,UID,COMM,CMDLINE,SCORE,ADJ,OOMADJ,RSS,ANON,SWAP,PGTABLES,BADNESS,CGROUP,KILLABLE" \
		   "explain --all -J" "snapshot"; do
		# shellcheck disable=SC2086
		"$OOMLENS" $cmd > "$TMP/out.json" 2> "$TMP/err" || { fails=$((fails + 1)); echo "# $cmd: exit $?"; }
		runs=$((runs + 1))
		if [ -s "$TMP/err" ]; then
			fails=$((fails + 1))
			echo "# $cmd: $(head -c 300 "$TMP/err")"
		fi
		m=$(jq "$mix" "$TMP/out.json" 2>/dev/null) || { fails=$((fails + 1)); echo "# $cmd: invalid JSON"; continue; }
		mixed=$((mixed + m))
		seen=$((seen + $(jq "$count" "$TMP/out.json")))
	done
done
wait $churner
born=$(cat "$TMP/born")
echo "# $born processes born in ${CHURN_SECONDS}s; $runs runs saw $seen of them alive"
# the helper asks for 1000 a second; on 2 busy cores (oomlens itself running,
# perhaps sanitized) it gets fewer: churn it must be all the same
check "churn: $born processes born, $((born / CHURN_SECONDS)) a second (asked 1000)" test "$born" -ge $((CHURN_SECONDS * 300))
check "churn: $runs runs of list, explain --all and snapshot, all exit 0 with nothing on stderr" test "$fails" -eq 0
check "churn: the runs saw churning processes ($seen rows)" test "$seen" -gt 0
check "churn: no row mixes two processes" test "$mixed" -eq 0
