#!/usr/bin/env bash
# Churn: processes born and dying for $CHURN_SECONDS (30) while oomlens runs
# in a loop: list, explain --all, snapshot, and list -p / explain with pids
# of churning processes seen a moment before, some of which have exited
# since.  The helper asks for $CHURN_RATE (1000) births a second; a busy
# machine gives fewer, and the test takes what it gets.
# What is checked is oomlens, not the machine's speed:
#  - every run completes, exits as documented, and gives valid JSON;
#  - stderr holds nothing but the "no such process: PID" of a pid named
#    with -p or to explain (and only then does explain exit 1);
#  - no process that does not churn (this shell, three sleepers) is ever
#    missing;
#  - no row mixes two processes: each churn child names itself "ch<pid>";
#  - each pid named is either shown or said to be gone, never both or neither.
# The last two need churn to have reached oomlens: when no run saw a churning
# process, or every pid named was still there, they are skipped, saying so.
. "$(dirname "$0")/lib.sh"
CHURN=$TESTS_DIR/helpers/churn
[ -x "$CHURN" ] || { skip "churn" "no churn helper"; exit 0; }
: "${CHURN_SECONDS:=30}" "${CHURN_RATE:=1000}"

sleepers=()
for _ in 1 2 3; do sleep 100000 & sleepers+=($!); done
"$CHURN" "$CHURN_RATE" "$CHURN_SECONDS" > "$TMP/born" &
churner=$!
trap 'kill $churner "${sleepers[@]}" 2>/dev/null; rm -rf "$TMP"' EXIT
# this shell and the sleepers outlive every run (the helper may end during one)
stable=$(printf '%s\n' $$ "${sleepers[@]}" | jq -sc .)

LIST="list -J -o PID,PPID,UID,COMM,CMDLINE,SCORE,ADJ,OOMADJ,RSS,ANON,SWAP,PGTABLES,BADNESS,CGROUP,KILLABLE"
# one run's facts, five words ("-" for none): rows that mix two processes,
# churn rows, up to 20 of their pids, the non-churning processes missing, and
# which of the named pids are shown
facts='[.processes[].pid] as $p
	| [.processes[] | select((.comm // "") | test("^ch[0-9]+$"))] as $ch
	| [([$ch[] | select((.comm[2:] | tonumber) != .pid)] | length),
	   ($ch | length),
	   ($ch | map(.pid) | .[:20] | join(",")),
	   ([$stable[] | select(. as $s | $p | index([$s]) | not)] | join(",")),
	   ([$named[] | select(. as $s | $p | index([$s]))] | join(","))]
	| map(tostring | if . == "" then "-" else . end) | join(" ")'
runs=0 fails=0 mixed=0 seen=0 lost=0 named_runs=0 gone=0 split_bad=0
churn_pids=
while :; do	# at least one round, however short the churn
	named=$(printf '%s\n' $$ "${sleepers[@]}" ${churn_pids//,/ } | jq -sc .)
	pidlist=$(jq -r 'join(",")' <<<"$named")
	for cmd in "$LIST" "explain --all -J" "snapshot" "list -J -o PID,COMM -p $pidlist" \
		   "explain -J ${pidlist//,/ }"; do
		# shellcheck disable=SC2086
		timeout 60 "$OOMLENS" $cmd > "$TMP/out.json" 2> "$TMP/err"
		rc=$?
		runs=$((runs + 1))
		case $cmd in
		*"-p "*|"explain -J "[0-9]*) is_named=1 ;;
		*) is_named=0 ;;
		esac
		noted=$(sed -n 's/^oomlens: \(note: \)\{0,1\}no such process: \([0-9]*\)$/\2/p' "$TMP/err" | sort -n | tr '\n' ' ')
		other=$(grep -v '^oomlens: \(note: \)\{0,1\}no such process: [0-9]*$' "$TMP/err" | head -c 300)
		want_rc=0
		[[ $cmd == "explain -J "[0-9]* ]] && [ -n "$noted" ] && want_rc=1
		if [ "$rc" -ne "$want_rc" ] || [ -n "$other" ] || { [ "$is_named" = 0 ] && [ -n "$noted" ]; }; then
			fails=$((fails + 1))
			echo "# $cmd: exit $rc (wanted $want_rc), stderr: $(head -c 300 "$TMP/err")"
		fi
		line=$(jq -r --argjson stable "$stable" --argjson named "$named" "$facts" "$TMP/out.json" 2>/dev/null)
		if [ -z "$line" ]; then
			fails=$((fails + 1))
			echo "# $cmd: no valid JSON document"
			continue
		fi
		read -r m c pids missing shown <<<"$line"
		mixed=$((mixed + m)) seen=$((seen + c))
		[ "$cmd" = "$LIST" ] && [ "$pids" != - ] && churn_pids=$pids
		if [ "$missing" != - ]; then
			lost=$((lost + 1))
			echo "# $cmd: non-churning processes missing: $missing"
		fi
		[ "$is_named" = 1 ] || continue
		# every named pid shown or said gone, not both; nothing else said gone
		named_runs=$((named_runs + 1))
		for p in ${pidlist//,/ }; do
			s=0 n=0
			[[ ",$shown," == *",$p,"* ]] && s=1
			[[ " $noted" == *" $p "* ]] && n=1
			[ "$s" = 0 ] && gone=$((gone + 1))	# not shown: it had exited
			if [ "$s" = "$n" ]; then
				split_bad=$((split_bad + 1))
				echo "# $cmd: pid $p shown $s, said gone $n"
			fi
		done
		for p in $noted; do
			if [[ ",$pidlist," != *",$p,"* ]]; then
				split_bad=$((split_bad + 1))
				echo "# $cmd: pid $p said gone, but not named"
			fi
		done
	done
	kill -0 "$churner" 2>/dev/null || break
done
wait "$churner"
born=$(cat "$TMP/born")
echo "# ${born:-?} processes born in ${CHURN_SECONDS}s (asked $((CHURN_RATE * CHURN_SECONDS))); $runs runs saw $seen churning rows; $gone named pids had exited"

check "churn: $runs runs of list, explain --all, snapshot, list -p and explain PIDS: exit as documented, valid JSON, stderr only 'no such process' for a named pid" \
	test "$fails" -eq 0
check "churn: no run lost a process that does not churn (this shell, 3 sleepers)" test "$lost" -eq 0
if [ "$seen" -gt 0 ]; then
	check "churn: no row of the $seen churning rows seen mixes two processes" test "$mixed" -eq 0
else
	skip "churn: no row mixes two processes" "no run saw a churning process (${born:-?} born in ${CHURN_SECONDS}s)"
fi
if [ "$gone" -gt 0 ]; then
	check "churn: in $named_runs runs naming pids ($gone not shown), each pid shown or said gone, never both or neither" \
		test "$split_bad" -eq 0
else
	skip "churn: named pids shown or said gone" "every churning pid named was still there (${born:-?} born in ${CHURN_SECONDS}s)"
fi
