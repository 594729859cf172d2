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
	jq_true '.processes | length > 0 and all(.pid > 0)' "$TMP/churn.json" || fails=$((fails + 1))
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
	check "as nobody: exit 0 and valid JSON" eval '[ "$rc" -eq 0 ] && jq_true ".processes | length > 0" <<<"$out"'
	run runuser -u nobody -- "$TMP/oomlens" list
	check "as nobody: the table prints" test "$rc" -eq 0
else
	skip "list as an unprivileged user" "needs root, runuser and the user nobody"
fi

# /proc mounted with hidepid=2 (a new proc instance, in a private mount
# namespace), read by an unprivileged user: they see only their own
# processes; everything still works, with unknown fields rather than errors.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v runuser >/dev/null &&
   unshare -m sh -c "mkdir -p '$TMP/hp/proc' && mount -t proc -o hidepid=2 proc '$TMP/hp/proc'" 2>/dev/null; then
	mkdir -p "$TMP/hp/proc" && ln -s /etc "$TMP/hp/etc" && chmod 755 "$TMP" "$TMP/hp"
	hp() {
		unshare -m sh -c 'mount -t proc -o hidepid=2 proc "$1/proc" && shift && exec runuser -u nobody -- "$@"' \
			sh "$TMP/hp" "$TMP/oomlens" --sysroot "$TMP/hp" "$@"
	}
	run hp list -J -k -o +CMDLINE,CGROUP
	check "hidepid=2 as nobody: list exits 0 and shows only nobody's own processes" eval \
		'[ "$rc" -eq 0 ] && jq_true "(.processes | length) >= 1 and all(.processes[]; .comm == \"oomlens\")" <<<"$out"'
	check "hidepid=2 as nobody: a note says other users' processes may be hidden" eval \
		'[[ "$err" == *"hidepid=2"*"may be hidden"* ]]'
	run hp explain --all -J
	check "hidepid=2 as nobody: explain --all exits 0, valid JSON, the note" eval \
		'[ "$rc" -eq 0 ] && jq_true ".processes | length >= 1" <<<"$out" && [[ "$err" == *"hidepid=2"* ]]'
	run hp snapshot
	check "hidepid=2 as nobody: snapshot exits 0" eval '[ "$rc" -eq 0 ] && jq_true ".processes | length >= 1" <<<"$out"'
	run hp audit --no-log -J
	check "hidepid=2 as nobody: audit is incomplete (exit 2), says why, processes_hidden in its JSON" eval \
		'[ "$rc" -eq 2 ] && jq_true ".summary.processes_hidden == true" <<<"$out" && [[ "$err" == *"incomplete"*"hidepid=2"* ]]'
else
	skip "hidepid=2" "needs root, unshare, runuser and a mountable proc"
fi
if [ "$(id -u)" = 0 ] && [ "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)" = 1 ] && command -v runuser >/dev/null; then
	run runuser -u nobody -- "$TMP/oomlens" log
	check "log as nobody with kernel.dmesg_restrict=1: exit 2, one line naming dmesg_restrict" eval \
		'[ "$rc" -eq 2 ] && [ "$(grep -c "" <<<"$err")" -eq 1 ] && [[ "$err" == *dmesg_restrict* ]]'
else
	skip "log under dmesg_restrict" "needs root, runuser and kernel.dmesg_restrict=1"
fi

# The legacy oom_adj on the running kernel: computed from oom_score_adj as
# oom_adj_read() does (oomlens-kernel(7), LEGACY oom_adj), checked against
# the kernel's own /proc/PID/oom_adj.  Raising oom_score_adj needs no
# privilege; 941/942 and 999 are where the 5.14 cap shows.
pids=() adjs=(0 1 58 500 941 942 999 1000)
for a in "${adjs[@]}"; do
	sleep 60 &
	pids+=($!)
	echo "$a" >"/proc/$!/oom_score_adj"
done
plist=$(IFS=,; echo "${pids[*]}")
run "$OOMLENS" list -r -n -p "$plist" -o PID,OOMADJ
want=$(for p in "${pids[@]}"; do echo "$p $(tr -d ' \n' <"/proc/$p/oom_adj")"; done | sort -n)
got=$(awk '{print $1, $2}' <<<"$out" | sort -n)
check "list: OOMADJ equals the kernel's /proc/PID/oom_adj for oom_score_adj ${adjs[*]}" \
	eval '[ "$rc" -eq 0 ] && [ -n "$got" ] && [ "$got" = "$want" ]'
run "$OOMLENS" explain -J "${pids[@]}"
got=$(jq -r '.processes[] | "\(.pid) \(.oom_adj)"' <<<"$out" | sort -n)
check "explain -J: oom_adj equals the kernel's for the same processes" eval '[ "$got" = "$want" ]'
run "$OOMLENS" snapshot
got=$(jq -r --arg p " ${pids[*]} " '.processes[] | .pid as $x | select($p | contains(" \($x) ")) | "\(.pid) \(.oom_adj)"' <<<"$out" | sort -n)
check "snapshot: oom_adj equals the kernel's for the same processes" eval '[ "$got" = "$want" ]'
kill "${pids[@]}" 2>/dev/null
wait "${pids[@]}" 2>/dev/null || :
