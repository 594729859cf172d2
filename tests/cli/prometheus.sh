#!/usr/bin/env bash
# Prometheus, checked by Prometheus's own tools: promtool check metrics on
# every textfile oomlens writes (audit and log, on the fixture tree, every
# real kernel log in tests/fixtures/oomlogs and the live system); promtool
# check rules and test rules on contrib/prometheus.  The kill counts are
# compared with tests/fixtures/oomlogs/INDEX.tsv, whose victims and kinds were
# read off the logs by hand when they were collected.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$TESTS_DIR/.." && pwd)
RULES=$REPO/contrib/prometheus
ROOT=$FIXTURES/root-6.18
LOGS=$FIXTURES/oomlogs

# --- log --format: the usage, which needs no promtool
run "$OOMLENS" log --format html "$LOGS/013.log"
check "log --format html without -o: exit 2, one line and the hint" eval \
	'[ "$rc" -eq 2 ] && [ -z "$out" ] && [[ "$err" == *"--format html writes a file: name it with -o"* ]] && [ "$(grep -c "" <<<"$err")" -eq 2 ]'
for bad in "-J --format prometheus" "--jsonl --format json" "--format prometheus --follow" \
	   "--format prometheus --summary" "-o $TMP/x.prom" "--format prometheus --max-series 0" "--format xml"; do
	run "$OOMLENS" log $bad "$LOGS/013.log"
	check "log $bad: exit 2, nothing on stdout, no file" eval '[ "$rc" -eq 2 ] && [ -z "$out" ] && [ ! -e "$TMP/x.prom" ]'
done
run "$OOMLENS" log --format jsonl "$LOGS/013.log"
jl=$out
run "$OOMLENS" log --jsonl "$LOGS/013.log"
check "log --format jsonl is --jsonl" eval '[ "$rc" -eq 0 ] && [ "$out" = "$jl" ] && [ "$(grep -c "" <<<"$out")" -eq 2 ]'
run "$OOMLENS" log -J --format json "$LOGS/013.log"
check "log -J --format json: the same format twice is fine" jq_true '.events | length == 2' <<<"$out"

if ! command -v promtool >/dev/null; then
	skip "promtool" "promtool is missing (Debian: apt-get install prometheus)"
	exit 0
fi

# metrics_ok DESC: $out passes promtool check metrics, which says nothing
metrics_ok() {
	local lint
	lint=$(printf '%s\n' "$out" | promtool check metrics 2>&1)
	if [ $? -eq 0 ] && [ -z "$lint" ]; then ok "$1"; else not_ok "$1" "promtool: $lint"; fi
}
# sum NAME [LABEL-MATCH]: the sum of a family's samples in $out
sum() {
	awk -v n="$1" -v m="${2-}" '$1 ~ "^" n "([{]|$)" && index($1, m) { s += $NF } END { print s + 0 }' <<<"$out"
}

# --- the rules
run promtool check rules "$RULES/oomlens.rules.yml"
check "promtool check rules: the rules file" eval '[ "$rc" -eq 0 ] && grep -q "SUCCESS: 7 rules found" <<<"$out"'
run sh -c "cd '$RULES' && promtool test rules oomlens.rules.test.yml"
check "promtool test rules: every alert fires where it should and nowhere else" eval '[ "$rc" -eq 0 ] && grep -q SUCCESS <<<"$out"'
for a in $(awk '/- alert:/ {print $3}' "$RULES/oomlens.rules.yml"); do
	check "alert $a has a unit test" grep -q "alertname: $a\$" "$RULES/oomlens.rules.test.yml"
done

# --- audit
A() { "$OOMLENS" --sysroot "$ROOT" audit --format prometheus "$@"; }
run A --no-log
metrics_ok "audit on the fixture tree: promtool check metrics is silent"
check "audit: no gauge named like a counter (the old oomlens_audit_findings_total)" eval \
	'! grep -q "_total" <<<"$out"'
check "audit: success 1 and the run's time, as their own families" eval \
	'grep -qx "oomlens_audit_success 1" <<<"$out" && grep -q "^# TYPE oomlens_audit_last_run_timestamp_seconds gauge" <<<"$out" &&
	 t=$(awk "/^oomlens_audit_last_run_timestamp_seconds / {print \$2}" <<<"$out") && [ $(( $(date +%s) - t )) -lt 60 ]'
echo stale > "$TMP/audit.prom"
run "$OOMLENS" --sysroot "$ROOT" audit --format prometheus --log /nonexistent -o "$TMP/audit.prom"
out=$(cat "$TMP/audit.prom")
metrics_ok "audit that cannot read its log: the -o textfile still passes promtool"
check "... exit 2, and the file says success 0, with no findings to mislead" eval \
	'[ "$rc" -eq 2 ] && grep -qx "oomlens_audit_success 0" <<<"$out" && ! grep -q "^oomlens_audit_findings" <<<"$out"'

# --- log, on every real kernel log
while IFS=$'\t' read -r file _ _ _ kind events victims _; do
	[ "$file" = file ] && continue
	run "$OOMLENS" log --format prometheus "$LOGS/$file"
	metrics_ok "log $file: promtool check metrics is silent"
	nv=$([ "$victims" = "(none)" ] && echo 0 || tr ',' '\n' <<<"$victims" | grep -c .)
	check "log $file: $nv kill(s), the victims INDEX.tsv lists" eval '[ "$(sum oomlens_log_oom_kills_total)" -eq "$nv" ]'
	check "log $file: every kill of kind $kind" eval \
		'! grep "^oomlens_log_oom_kills_total" <<<"$out" | grep -qv "kind=\"$kind\""'
done < "$LOGS/INDEX.tsv"

# the cap: 013.log's two kills are in two cgroups
run "$OOMLENS" log --format prometheus --max-series 1 "$LOGS/013.log"
metrics_ok "log --max-series 1: promtool check metrics is silent"
check "--max-series 1: one cgroup keeps its name, the other is unit=\"other\", the sum kept" eval \
	'[ "$(grep -c "^oomlens_log_oom_kills_total" <<<"$out")" -eq 2 ] && grep -q "unit=\"other\"" <<<"$out" &&
	 [ "$(sum oomlens_log_oom_kills_total)" -eq 2 ]'
run "$OOMLENS" log --format prometheus "$LOGS/013.log"
check "013.log: the decoded unit as the label" grep -q \
	'^oomlens_log_oom_kills_total{killer="kernel",kind="global",unit="wireplumber.service",namespace="",pod="",container=""} 1$' <<<"$out"
# the last event starts "Aug 11 09:18:04": the year is the file's, or the one
# before when that date would come after the file was written
y=$(date -r "$LOGS/013.log" +%Y)
[ "$(TZ=UTC date -d "$y-08-11 09:18:04" +%s)" -gt "$(date -r "$LOGS/013.log" +%s)" ] && y=$((y - 1))
run env TZ=UTC "$OOMLENS" log --format prometheus "$LOGS/013.log"
check "013.log: the last kill's time, Aug 11 09:18:04 of the file's year" grep -qx \
	"oomlens_log_last_oom_kill_timestamp_seconds $(TZ=UTC date -d "$y-08-11 09:18:04" +%s)" <<<"$out"
check "013.log: no task table, so neither kill can be ranked" grep -qx \
	'oomlens_log_oom_kill_predictions_total{result="no_task_table"} 2' <<<"$out"
# INDEX.tsv's notes: 027.log is a patched kernel that ranks by another
# column, 030.log ran with vm.oom_kill_allocating_task: known causes, not
# unexplained; 002.log's victim is the top of its table
for f in 027 030; do
	run "$OOMLENS" log --format prometheus "$LOGS/$f.log"
	check "$f.log: the kill not the model's first, for a known cause" eval \
		'grep -qx "oomlens_log_oom_kill_predictions_total{result=\"known_cause\"} 1" <<<"$out" &&
		 grep -qx "oomlens_log_oom_kill_predictions_total{result=\"unexplained\"} 0" <<<"$out"'
done
run "$OOMLENS" log --format prometheus "$LOGS/002.log"
check "002.log: the kill explained" grep -qx 'oomlens_log_oom_kill_predictions_total{result="explained"} 1' <<<"$out"

# hostile names: a cgroup path with a quote, a backslash and invalid UTF-8
sed 's|task_memcg=/user.slice/user-109.slice/user@109.service/session.slice/wireplumber.service|task_memcg=/a"b\\c\xff|' \
	"$LOGS/013.log" > "$TMP/hostile.log"
run "$OOMLENS" log --format prometheus "$TMP/hostile.log"
metrics_ok "a cgroup path with a quote, a backslash and a bad byte: promtool check metrics is silent"
check "... escaped in the label value" grep -qF 'unit="/a\"b\\c' <<<"$out"

# a log with no event: the families still there, at 0
printf 'Dec  2 08:00:00 host kernel: nothing to see\n' > "$TMP/empty.log"
run "$OOMLENS" log --format prometheus "$TMP/empty.log"
metrics_ok "a log without an OOM: promtool check metrics is silent"
check "... events and predictions at 0, the last kill 0, success 1" eval \
	'grep -qx "oomlens_log_oom_events_total{outcome=\"killed\"} 0" <<<"$out" &&
	 grep -qx "oomlens_log_last_oom_kill_timestamp_seconds 0" <<<"$out" && grep -qx "oomlens_log_success 1" <<<"$out"'

# -o: atomically, nothing on stdout; an unreadable log leaves success 0
run "$OOMLENS" log --format prometheus -o "$TMP/log.prom" "$LOGS/013.log"
check "log -o: nothing on stdout, the textfile written" eval '[ "$rc" -eq 0 ] && [ -z "$out" ] && grep -q "^oomlens_log_success 1" "$TMP/log.prom"'
run "$OOMLENS" log --format prometheus -o "$TMP/log.prom" /nonexistent
out=$(cat "$TMP/log.prom")
metrics_ok "log -o of an unreadable log: the textfile passes promtool"
check "... exit 2, and the file says success 0, with no kills" eval \
	'[ "$rc" -eq 2 ] && grep -qx "oomlens_log_success 0" <<<"$out" && ! grep -q oom_kills <<<"$out"'

# --- the live system
run "$OOMLENS" audit --format prometheus --fail-on never
metrics_ok "audit on the live system: promtool check metrics is silent"
run "$OOMLENS" log --format prometheus
if [ "$rc" -eq 0 ]; then
	metrics_ok "log on the live ring buffer: promtool check metrics is silent"
	k=$(awk '$1 == "oom_kill" {print $2}' /proc/vmstat 2>/dev/null)
	if [ -n "$k" ]; then
		# read after oomlens: the kernel may have killed in between, never less
		check "live: oomlens_kernel_oom_kills_total is /proc/vmstat oom_kill" eval \
			'v=$(sum oomlens_kernel_oom_kills_total) && [ "$k" -ge "$v" ] && [ "$k" -le $((v + 50)) ]'
	else
		skip "live: vmstat oom_kill" "this kernel has no oom_kill in /proc/vmstat"
	fi
else
	skip "log on the live ring buffer" "cannot read the kernel log here (exit $rc)"
fi

# --- contrib: the cron entries, run as cron runs them (sh, output = mail),
# with oomlens on the fixture tree and the textfile directory in $TMP
mkdir -p "$TMP/bin" "$TMP/textfile" "$TMP/r"
cp -a "$ROOT/." "$TMP/r"
printf '#!/bin/sh\nexec "%s" --sysroot "%s" "$@"\n' "$OOMLENS" "$TMP/r" > "$TMP/bin/oomlens"
chmod +x "$TMP/bin/oomlens"
cron_cmd() {	# the command of a cron.d file's job, the textfile dir in $TMP
	grep -v '^#' "$REPO/contrib/$1" | grep -E '^[0-9*]' | cut -d' ' -f7- |
		sed "s|/var/lib/prometheus/node-exporter|$TMP/textfile|g"
}
cron_run() { run env PATH="$TMP/bin:$PATH" sh -c "$(cron_cmd "$1")"; }
cron_run oomlens-audit.cron
check "audit cron, clean machine: no mail (no output), the textfile written" eval \
	'[ -z "$out$err" ] && out=$(cat "$TMP/textfile/oomlens.prom") && grep -qx "oomlens_audit_success 1" <<<"$out"'
metrics_ok "audit cron: the textfile passes promtool"
# a warning: worker-anon (5658) made unkillable, as tests/cli/audit.sh does
echo -1000 > "$TMP/r/proc/5658/oom_score_adj"; echo -17 > "$TMP/r/proc/5658/oom_adj"
cron_run oomlens-audit.cron
check "audit cron, a warning (unkillable-process): mailed, the report" eval \
	'grep -q "unkillable-process.*worker-anon\[5658\]" <<<"$out$err" &&
	 grep -qx "oomlens_audit_findings{rule=\"unkillable-process\",severity=\"warning\"} 1" "$TMP/textfile/oomlens.prom"'
mkdir -p "$TMP/r/var/log" && cp "$LOGS/013.log" "$TMP/r/var/log/kern.log"
cron_run oomlens-log.cron
check "log cron: no mail, the textfile with the kernel log's two kills" eval \
	'[ -z "$out$err" ] && out=$(cat "$TMP/textfile/oomlens-log.prom") && [ "$(sum oomlens_log_oom_kills_total)" -eq 2 ]'
metrics_ok "log cron: the textfile passes promtool"
for u in audit log; do
	check "oomlens-$u.service writes the same file as its cron entry, quietly" eval \
		'f=$(grep -o -- "-o [^ ;]*" "$REPO/contrib/oomlens-$u.cron") && grep -q -- "--quiet.*$f\$" "$REPO/contrib/oomlens-$u.service"'
done
