#!/usr/bin/env bash
# oomlens log: every real log in tests/fixtures/oomlogs against its INDEX.tsv
# (victims, kinds, and a re-ranking that agrees or names its cause), one
# event re-wrapped in every wrapper users paste, and bad input.
. "$(dirname "$0")/lib.sh"
LOGS=$FIXTURES/oomlogs

# --- every real log: every victim right, in order
while IFS=$'\t' read -r file src kv wrap kind events victims dump notes; do
	[ "$file" = file ] && continue
	run "$OOMLENS" log -J "$LOGS/$file"
	if [ "$rc" -ne 0 ] || ! jq_true '.events | type == "array"' <<<"$out"; then
		not_ok "$file: parses ($kv, $wrap)" "exit $rc"
		continue
	fi
	got=$(jq -r '[.events[] | select(.killer == "kernel") | .victims[] | "\(.pid):\(.comm)"] | join(",")' <<<"$out")
	[ -n "$got" ] || got="(none)"
	if [ "$got" = "$victims" ]; then
		ok "$file: every victim right ($kv, $wrap, $kind)"
	else
		not_ok "$file: every victim right" "want $victims" "got  $got"
	fi
	kinds=$(jq -r '[.events[] | select(.victim != null or .outcome == "no_victim") | .kind] | unique | join(",")' <<<"$out")
	if [ "$kinds" = "$kind" ]; then ok "$file: kind $kinds"; else not_ok "$file: kind" "want $kind, got $kinds"; fi
	# the index's kind is the kernel's own where the log names it: the
	# oom-kill line's constraint= (oomlens-kernel(7), TOTALPAGES)
	c=$(grep -o 'constraint=CONSTRAINT_[A-Z_]*' "$LOGS/$file" | sort -u)
	case "$c" in
	constraint=CONSTRAINT_NONE) want=global ;;
	constraint=CONSTRAINT_MEMCG) want=memcg ;;
	constraint=CONSTRAINT_CPUSET) want=cpuset ;;
	constraint=CONSTRAINT_MEMORY_POLICY) want=mempolicy ;;
	*) want= ;;	# none logged, or a patched kernel's own name (025)
	esac
	if [ -n "$want" ]; then
		check "$file: INDEX.tsv's kind is the logged ${c#constraint=}" test "$kind" = "$want"
	fi
	# with a task table, the re-ranking agrees or says why not
	if [ "$dump" = yes ]; then
		bad=$(jq -r '.events[] | select(.prediction != null and .prediction.agrees == false and (.prediction.cause == null or .prediction.cause == "unexplained")) | .victim.pid' <<<"$out")
		n=$(jq '[.events[] | select(.prediction != null)] | length' <<<"$out")
		if [ -z "$bad" ] && [ "$n" -gt 0 ]; then
			ok "$file: $n re-ranking(s), each agreeing or naming its cause"
		elif [ "$file" = 027.log ] && [ -z "$bad" ]; then
			ok "$file: the patched kernel's choice is not a stock kernel's, and it says so"
		else
			not_ok "$file: re-ranking agrees or names its cause" "unexplained for victim(s): ${bad:-no prediction}"
		fi
	fi
done < "$LOGS/INDEX.tsv"

# the notes of INDEX.tsv, one by one
run "$OOMLENS" log -J "$LOGS/027.log"
check "027: a stock re-ranking disagrees with the patched kernel, and names the patch" eval \
	'jq_true ".events[0].prediction | .agrees == false and (.cause | test(\"patched\"))" <<<"$out"'
run "$OOMLENS" log -J "$LOGS/030.log"
check "030: vm.oom_kill_allocating_task is the cause" eval \
	'jq_true ".events[0].prediction.cause | test(\"oom_kill_allocating_task\")" <<<"$out"'
# Mem-Info's "free:" (pages): a line of its own, and inside a \x0a-joined /dev/kmsg record
for f in 002 004 018; do
	want=$(grep -o '\(^\|x0a\) *free:[0-9]*' "$LOGS/$f.log" | head -n 1 | sed 's/.*free://')
	run "$OOMLENS" log -J "$LOGS/$f.log"
	check "$f: memory.free_pages is Mem-Info's free: ($want)" test "$(jq '.events[0].memory.free_pages' <<<"$out")" = "$want"
done
run "$OOMLENS" log -J "$LOGS/028.log"
check "028: no victim, outcome no_victim, victim null" test "$(jq -c '.events[0] | [.outcome, .victim]' <<<"$out")" = '["no_victim",null]'
run "$OOMLENS" log -J "$LOGS/010.log"
check "010: memory.oom.group: one event, six kills, the group's cgroup" test \
	"$(jq -c '[(.events | length), (.events[0].victims | length), (.events[0].oom_group.path | test("cri-containerd"))]' <<<"$out")" = '[1,6,true]'
check "010: the pod is decoded (besteffort QoS, pod uid with dashes)" test \
	"$(jq -r '.events[0].task_memcg | "\(.qos) \(.pod_uid)"' <<<"$out")" = "besteffort a5d8fdd1-1369-469e-8a7d-2c1047529435"
check "010: systemd and containerd lines quoting the kill are not kills" test "$(jq '.events | length' <<<"$out")" = 1
run "$OOMLENS" log -J "$LOGS/025.log"
check "025: a memcg limit of PAGE_COUNTER_MAX (9007199254740988kB) is null, a 0 kB swap limit is 0" test \
	"$(jq -c '.events[0].memcg | [.limit_bytes, .swap_limit_bytes, .usage_bytes]' <<<"$out")" = "[null,0,$((42240 * 1024))]"
run "$OOMLENS" log -J "$LOGS/009.log"
check "009: memory in bytes, memory+swap's unlimited limit null" test \
	"$(jq -c '.events[0].memcg | [.usage_bytes, .limit_bytes, .memsw_limit_bytes]' <<<"$out")" = "[$((233472 * 1024)),$((233472 * 1024)),null]"
check "009: a task row names its comm, its sizes in *_pages" test \
	"$(jq -c '.events[0].tasks[0] | keys_unsorted' <<<"$out")" = \
	'["pid","uid","tgid","total_vm_pages","rss_pages","swap_pages","oom_score_adj","comm","comm_text","badness"]'
check "009: 'Kill process' names a thread, 'Killed process' the tgid; both kept" test \
	"$(jq -c '.events[0] | [.selected.pid, .victim.pid, .prediction.agrees]' <<<"$out")" = '[26074,24518,true]'
run "$OOMLENS" log -J "$LOGS/004.log"
check "004: kmsg records with \\x0a-escaped Mem-Info, 4.0-4.14 table, reaper" test \
	"$(jq -c '.events[0] | [.kernel, (.tasks | length > 0), .victim.reaped, .memory.page_size]' <<<"$out")" = '["4.8.0-gentoo",true,true,4096]'
run "$OOMLENS" log -J "$LOGS/021.log"
check "021: dmesg -T has no zone: time null, the stamp as logged in time_raw" test \
	"$(jq -c '.events[0] | [.time, .time_epoch, .time_raw]' <<<"$out")" = '[null,null,"[dim. 19 avril 18:03:30 2026]"]'
check "021: time_inferred is where the event was placed: the stamp in the local zone (date(1) converts it)" test \
	"$(jq -c '.events[0] | [.time_inferred, .time_inferred_epoch]' <<<"$out")" = \
	"[\"$(date -u -d @"$(date -d '2026-04-19 18:03:30' +%s)" +%FT%TZ)\",$(date -d '2026-04-19 18:03:30' +%s)]"
run "$OOMLENS" log "$LOGS/021.log"
check "021: localised dmesg -T stamps are read (text, local time)" eval '[[ "$out" == "2026-04-19 18:03:30 "* ]]'
run "$OOMLENS" log -J "$LOGS/019.log"
check "019: RHEL 6 'Killed process N, UID N, (name)'" test "$(jq -c '.events[0].victim | [.pid, .uid, .comm]' <<<"$out")" = '[24894,55120,"big_mm"]'
check "019: the cut second event is reported, partial, with no victim" test "$(jq -c '.events[1] | [.partial, .victim]' <<<"$out")" = '[true,null]'
run "$OOMLENS" log -J "$LOGS/039.log"
check "039: pre-2.6.36 'kill process ... or a child' and vsz:" test "$(jq -c '.events[0] | [.selected.pid, .victim.pid, .victim.total_vm]' <<<"$out")" = "[20273,1917,$((467184 * 1024))]"

# --- the summary a person reads first
run "$OOMLENS" log "$LOGS/008.log"
check "008: the victim's rss split: 9.5G of file pages, 366.7M anon, its share of RAM" eval \
	'[[ "$out" == *"kwin_x11[18006] (rss 9.9G: anon 366.7M, file 9.5G, shmem 40K, 62.0% of RAM"* ]]'
check "008: RAM and swap totals and what was free" eval '[[ "$out" == *"  memory: RAM "*"; swap 2G, free "* ]]'
run "$OOMLENS" log "$LOGS/044.log"
check "044: the kernel's score next to oomlens's (memory+swap headroom counted)" eval \
	'[[ "$out" == *"score: the kernel logged 1003, oomlens computes 1003"* ]]'
run "$OOMLENS" log -J "$LOGS/044.log"
check "044: a memcg OOM's target_cgroup, total_pages with its note" test \
	"$(jq -c '[.events[] | [.target_cgroup.path[0:15], .prediction.total_pages, .prediction.score, (.prediction.total_pages_note != null)]]' <<<"$out")" = \
	'[["/docker/2e088fe",10240,1046,true],["/docker/6c6fcab",153600,1003,false]]'
# the first group with no swap headroom (memory+swap limit = limit): the total swap, which a
# memcg OOM never logs, is not needed: totalpages is the limit, 5120 pages, exact
sed 's/^memory+swap: usage 40940kB, limit 40960kB/memory+swap: usage 20480kB, limit 20480kB/' \
	"$LOGS/044.log" > "$TMP/044-noswap.log"
run "$OOMLENS" log -J "$TMP/044-noswap.log"
check "memcg, memory+swap limit = limit: total_pages 5120, exact, no note" test \
	"$(jq -c '.events[0].prediction | [.total_pages, .total_pages_estimated, .total_pages_note]' <<<"$out")" = \
	'[5120,false,null]'
# swap not accounted to memory cgroups (swapaccount=0): still needed, and said, in JSON and text
sed 's/^memory+swap: usage 40940kB, limit 40960kB/memory+swap: usage 0kB, limit 9007199254740988kB/' \
	"$LOGS/044.log" > "$TMP/044-noacct.log"
run "$OOMLENS" log -J "$TMP/044-noacct.log"
check "memcg, swap not accounted: total_pages estimated, the note says why" \
	jq_true '.events[0].prediction | .total_pages_estimated and (.total_pages_note | test("not accounted"))' <<<"$out"
run "$OOMLENS" log "$TMP/044-noacct.log"
check "... and the text says it too" eval '[[ "$out" == *"swap is not accounted to memory cgroups"* ]]'
run "$OOMLENS" log "$LOGS/002.log"
check "002: the hex gfp mask decoded, the zone under its min watermark" eval \
	'[[ "$out" == *"0x201da = GFP_HIGHUSER_MOVABLE|__GFP_COLD"*"under the min watermark: node 0 Normal"* ]]'

# --- one event in every wrapper
body=$TMP/body
sed -n 's/^.*kernel: \[ *[0-9.]*\] //p' "$LOGS/008.log" > "$body"
want_victim=18006:kwin_x11
rows=$(grep -c '^\[ *[0-9]*\] ' "$body")
i=0
awk '{printf "[%12.6f] %s\n", 106464.88 + NR / 1e6, $0}' "$body" > "$TMP/w.dmesg"
awk '{printf "[Sat Dec  8 01:56:31 2025] %s\n", $0}' "$body" > "$TMP/w.dmesgT"
awk '{printf "Dec  8 01:56:31 scottubuntu kernel: %s\n", $0}' "$body" > "$TMP/w.syslog"
awk '{printf "Dec 08 01:56:31.%06d scottubuntu kernel: %s\n", NR, $0}' "$body" > "$TMP/w.precise"
awk '{printf "2025-12-08T01:56:31+0100 scottubuntu kernel: %s\n", $0}' "$body" > "$TMP/w.iso"
awk '{printf "[%12.6f] scottubuntu kernel: %s\n", 106464.88 + NR / 1e6, $0}' "$body" > "$TMP/w.mono"
awk '{printf "<4>1 2025-12-08T01:56:31.%06dZ scottubuntu kernel - - - %s\n", NR, $0}' "$body" > "$TMP/w.rfc5424"
awk '{printf "4,%d,%d,-;%s\n", 1000 + NR, 106464880000 + NR, $0}' "$body" > "$TMP/w.kmsg"
cp "$body" "$TMP/w.bare"
gzip -c "$TMP/w.syslog" > "$TMP/w.gz"
# interleaved: another program quoting the kernel, and a second host's copy
awk '{printf "Dec  8 01:56:31 scottubuntu kernel: %s\nDec  8 01:56:31 scottubuntu systemd[1]: app.service: Killed process 1 (fake) total-vm:1kB\n", $0}' "$body" > "$TMP/w.noise"
for f in dmesg dmesgT syslog precise iso mono rfc5424 kmsg bare gz noise; do
	run "$OOMLENS" log -J "$TMP/w.$f"
	got=$(jq -r '[.events[] | .victims[] | "\(.pid):\(.comm)"] | join(",")' <<<"$out" 2>/dev/null)
	ag=$(jq -c '[.events[] | .prediction.agrees, (.tasks | length)]' <<<"$out" 2>/dev/null)
	if [ "$got" = "$want_victim" ] && [ "$ag" = "[true,$rows]" ]; then
		ok "wrapper $f: the victim, all $rows table rows, and the re-ranking"
	else
		not_ok "wrapper $f" "victims '$got', [agrees,rows] $ag, want [true,$rows]"
	fi
done
run "$OOMLENS" log -J - < "$TMP/w.syslog"
check "standard input ('-')" test "$(jq -r '.events[0].victim.comm' <<<"$out")" = kwin_x11
paste -d '\n' "$TMP/w.syslog" <(sed 's/scottubuntu/otherhost/' "$TMP/w.syslog") > "$TMP/w.hosts"
run "$OOMLENS" log -J "$TMP/w.hosts"
check "two hosts interleaved in one file: two events, one per host, both whole" test \
	"$(jq -c '[.events[] | [.host, .victim.pid, (.tasks | length), .prediction.agrees]] | sort' <<<"$out")" = \
	"[[\"otherhost\",18006,$rows,true],[\"scottubuntu\",18006,$rows,true]]"
run "$OOMLENS" log -J "$TMP/w.iso"
check "the iso wrapper's zone is honoured: time in UTC, its epoch, the stamp as logged" test \
	"$(jq -c '.events[0] | [.time, .time_epoch, .time_raw]' <<<"$out")" = \
	"[\"2025-12-08T00:56:31Z\",$(date -u -d 2025-12-08T00:56:31Z +%s),\"2025-12-08T01:56:31+0100\"]"
check "jq's fromdateiso8601 reads the time" test "$(jq '.events[0] | (.time | fromdateiso8601) == .time_epoch' <<<"$out")" = true
check "a stamp with its year and zone: nothing inferred" test "$(jq -c '.events[0] | [.time_inferred, .time_inferred_epoch]' <<<"$out")" = '[null,null]'
run "$OOMLENS" log -J "$TMP/w.rfc5424"
check "RFC 5424 (Z): time to the second, UTC" test "$(jq -r '.events[0].time' <<<"$out")" = 2025-12-08T01:56:31Z
run "$OOMLENS" log -J "$TMP/w.syslog"
check "syslog has no year nor zone: time null, time_raw as logged" test \
	"$(jq -c '.events[0] | [.time, .time_epoch, .time_raw]' <<<"$out")" = '[null,null,"Dec  8 01:56:31"]'

# --- userspace killers
cat > "$TMP/userspace" <<'EOL'
Nov 28 10:00:01 box earlyoom[812]: mem avail:   210 of 15846 MiB ( 1.33%), swap free:    0 of    0 MiB ( 0.00%)
Nov 28 10:00:01 box earlyoom[812]: low memory! at or below SIGTERM limits: mem 10.00%, swap 10.00%
Nov 28 10:00:01 box earlyoom[812]: sending SIGTERM to process 4321 uid 1000 "chromium": oom_score 912, VmRSS 6123 MiB, cmdline "/usr/lib/chromium/chromium"
Nov 28 10:05:00 box systemd-oomd[600]: Killed /user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox.scope due to memory pressure for /user.slice/user-1000.slice/user@1000.service being 81.23% > 50.00% for > 20s with reclaim activity
EOL
run "$OOMLENS" log -J "$TMP/userspace"
check "earlyoom and systemd-oomd kills are events, marked with the killer" test \
	"$(jq -c '[.events[] | [.killer, .victim.pid, .target_cgroup.unit]]' <<<"$out")" = \
	'[["earlyoom",4321,null],["systemd-oomd",null,"app-firefox.scope"]]'

# Facebook oomd, in the shapes its source writes (no captured log was at hand):
# BaseKillPlugin::tryToKillPids "Killed N: PID(comm) ..." ("[E<errno>]" after a
# failed kill; "Killed N" alone is a running total), and Oomd::logKill's
# "oomd kill: <3 pressures> <cgroup> <size> ..." record in the kernel log
cat > "$TMP/oomd" <<'EOL'
Nov 28 11:00:00 box oomd[812]: Killed 2: 7777(java) 7778(bash)
Nov 28 11:00:00 box oomd[812]: Killed 2
Nov 28 11:00:05 box oomd[812]: Killed 2: 100(a) 101(b)[E3] 102(c d)
EOL
run "$OOMLENS" log -J "$TMP/oomd"
check "oomd: one event per kill line, every pid(comm), a failed kill left out" test \
	"$(jq -c '[.events[] | [.killer, [.victims[] | .pid, .comm]]]' <<<"$out")" = \
	'[["oomd",[7777,"java",7778,"bash"]],["oomd",[100,"a",102,"c d"]]]'
printf '%s\n' '[ 1234.500000] oomd kill: 10.00 60.00 600.00 /workload.slice/app.service 1999 ruleset:[protection against low swap] detectorgroup:[free swap goes below 10 percent] killer:kill_by_swap_usage v2' > "$TMP/oomdk"
run "$OOMLENS" log -J "$TMP/oomdk"
check "oomd kill: in the kernel log: an oomd event for the cgroup" test \
	"$(jq -c '[.events[] | [.killer, .target_cgroup.path, .victim]]' <<<"$out")" = '[["oomd","/workload.slice/app.service",null]]'

# --- options
run "$OOMLENS" log --jsonl "$LOGS/035.log"
check "--jsonl: one event per line" eval '[ "$(grep -c "" <<<"$out")" -eq 3 ] && jq_true -s "length == 3" <<<"$out"'
run "$OOMLENS" log -s -J "$LOGS/014.log"
check "--summary -J: counts per victim" test "$(jq '.summary.victims[] | select(.name == "diff") | .count' <<<"$out")" = \
	"$(grep -c 'Killed process [0-9]* (diff)' "$LOGS/014.log")"
# --summary: kills over time as a histogram, counted here from the log's own dates
# hist_rows TEXT: "MM-DD COUNT" per non-empty bucket of the histogram (day buckets)
hist_rows() { awk '/^kills per / {h = 1; next} h && /^$/ {exit} h && $3 > 0 {print substr($1, 6), $3}' <<<"$1"; }
want=$(grep 'Killed process' "$LOGS/014.log" | awk '{printf "%s %02d\n", $1, $2}' | uniq -c |
	awk 'BEGIN {split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m); for (i = 1; i <= 12; i++) n[m[i]] = i}
	     {printf "%02d-%s %d\n", n[$2], $3, $1}')
run env TZ=UTC LC_ALL=C.UTF-8 "$OOMLENS" log -s "$LOGS/014.log"
u=$out
check "--summary: 014.log's 156 kills per day, as grep counts them by date" eval \
	'grep -qx "kills per day" <<<"$u" && [ "$(hist_rows "$u")" = "$want" ]'
check "--summary: a bucket for every day of the span, the empty ones too (13 from Mar 10 to 22)" test \
	"$(awk '/^kills per / {h = 1; next} h && /^$/ {exit} h' <<<"$u" | grep -c '')" -eq 13
max=$(awk '{print $2}' <<<"$want" | sort -n | tail -n 1)
check "UTF-8: block bars, the busiest day ($max kills) the longest, no escape in a pipe" eval \
	'[ "$(grep -E " $max █+\$" <<<"$u" | grep -c "")" -eq 1 ] && ! grep -q $'"'"'\e'"'"' <<<"$u"'
run env TZ=UTC LC_ALL=C COLUMNS=92 "$OOMLENS" log -s "$LOGS/014.log"
c=$out
check "C locale: the same counts, '#' bars of 60 cells for the busiest day" eval \
	'[ "$(hist_rows "$c")" = "$want" ] && grep -Eq " $max #{60}\$" <<<"$c" && ! LC_ALL=C grep -q "[^ -~]" <<<"$c"'
# a bar's length is its share of the busiest: 26 of 42 kills is 37 cells of 60
check "C locale: bars in proportion (Mar 11: 26 of 42 kills, 37 of 60 cells)" \
	grep -Eq "^  2026-03-11 Wed +26 #{37}\$" <<<"$c"
run env TZ=UTC LC_ALL=C.UTF-8 "$OOMLENS" --color=always log -s "$LOGS/014.log"
check "--color=always: the bars in SGR colour" grep -q $'\e\\[36m█' <<<"$out"
grep '^Mar 12 ' "$LOGS/014.log" > "$TMP/one-day"
wanth=$(grep 'Killed process' "$TMP/one-day" | cut -c8-9 | uniq -c | awk '{printf "%s %d\n", $2, $1}')
run env TZ=UTC LC_ALL=C "$OOMLENS" log -s "$TMP/one-day"
goth=$(awk '/^kills per / {h = 1; next} h && /^$/ {exit} h && $4 > 0 {print substr($3, 1, 2), $4}' <<<"$out")
check "--summary: a day of kills goes by hour, as grep counts them" eval \
	'grep -qx "kills per hour" <<<"$out" && [ "$goth" = "$wanth" ]'
run "$OOMLENS" log --fail-if-found "$LOGS/043.log"
check "--fail-if-found: exit 1 when an event is found" test "$rc" -eq 1
: > "$TMP/empty"
run "$OOMLENS" log --fail-if-found "$TMP/empty"
check "--fail-if-found: exit 0 on a log without events" eval '[ "$rc" -eq 0 ] && [ "$out" = "no OOM events" ]'
run "$OOMLENS" log -J --since 2026-03-14 --until 2026-03-15 "$LOGS/014.log"
want=$(grep -c '^Mar 14 .*Killed process' "$LOGS/014.log")
check "--since/--until select by date ($want on Mar 14)" test "$(jq '.events | length' <<<"$out")" = "$want"
run "$OOMLENS" log -t 2 "$LOGS/002.log"
check "-t 2: two candidates" test "$(grep -cE '^ +[0-9]+ +[0-9]+ +[0-9]+ ' <<<"$out")" -eq 2
mkdir -p "$TMP/root/var/log" && cp "$LOGS/043.log" "$TMP/root/var/log/kern.log" && mkdir -p "$TMP/root/proc"
run "$OOMLENS" --sysroot "$TMP/root" log -J
check "--sysroot: reads DIR/var/log/kern.log" test "$(jq -r '.events[0].victim.comm' <<<"$out")" = netdata

# --- bad input
run "$OOMLENS" log /nonexistent
check "a missing file: exit 2, one line" eval '[ "$rc" -eq 2 ] && [ "$(grep -c "" <<<"$err")" -eq 1 ]'
run "$OOMLENS" log "$TMP"
check "a directory: exit 2" test "$rc" -eq 2
run "$OOMLENS" log /dev/zero
check "/dev/zero: exit 2 with a message" eval '[ "$rc" -eq 2 ] && [[ "$err" == *device* ]]'
head -c 300000 /dev/urandom > "$TMP/junk"
run "$OOMLENS" log -J "$TMP/junk"
check "binary junk: exit 0, valid JSON" eval '[ "$rc" -eq 0 ] && jq_true ".events | type == \"array\"" <<<"$out"'
printf '%0200000d\n' 0 | tr 0 x > "$TMP/long"
run "$OOMLENS" log "$TMP/long"
check "a 200 kB line: read, no crash" eval '[ "$rc" -eq 0 ] && [ "$out" = "no OOM events" ]'
printf '\037\213garbage' > "$TMP/bad.gz"
run "$OOMLENS" log "$TMP/bad.gz"
check "corrupt gzip: exit 2 and a message" eval '[ "$rc" -eq 2 ] && [ -n "$err" ]'
run "$OOMLENS" log -b -1
check "--boot without --journal: exit 2" test "$rc" -eq 2
run "$OOMLENS" log -J --jsonl
check "--json with --jsonl: exit 2" test "$rc" -eq 2
run "$OOMLENS" log --since "last tuesday"
check "--since garbage: exit 2" test "$rc" -eq 2
run "$OOMLENS" log -f -J
check "--follow with --json: exit 2" test "$rc" -eq 2

# hostile sizes: a million task rows, and a 100 MB line; memory stays bounded
{
	echo "[    1.000000] big invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0"
	echo "[    1.000001] Tasks state (memory values in pages):"
	echo "[    1.000002] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"
	awk 'BEGIN { for (i = 1; i <= 1000000; i++) printf "[    1.000003] [%7d]     0 %7d     1000      %d     4096        0             0 t%d\n", i, i, i % 5000, i }'
	echo "[    1.000004] Out of memory: Killed process 4999 (t4999) total-vm:4000kB, anon-rss:16kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0"
} > "$TMP/million.log"
if [ -n "${VALGRIND_LOGS:-}" ] || [ "${SANITIZED:-}" = 1 ]; then
	skip "bounded memory" "under valgrind or the sanitizers, peak RSS is theirs"
elif ! command -v cc >/dev/null; then
	skip "bounded memory" "no compiler for runstat"
elif ! cc -O2 -o "$TMP/runstat" "$TESTS_DIR/../bench/runstat.c" 2>"$TMP/cc.err"; then
	err=$(cat "$TMP/cc.err") not_ok "bounded memory: bench/runstat.c compiles"
else
	# (the parser's memory; -J builds the whole document, rows and all)
	read -r _ kb _ _ st < <("$TMP/runstat" "$OOMLENS" log "$TMP/million.log")
	check "a million task rows: exit 0 in bounded memory (peak ${kb} kB < 32 MiB)" eval '[ "$st" -eq 0 ] && [ "$kb" -lt 32768 ]'
	head -c 100000000 /dev/zero | tr '\0' a > "$TMP/longline.log"
	read -r _ kb _ _ st < <("$TMP/runstat" "$OOMLENS" log "$TMP/longline.log")
	check "a 100 MB line: exit 0 in bounded memory (peak ${kb} kB < 16 MiB)" eval '[ "$st" -eq 0 ] && [ "$kb" -lt 16384 ]'
fi
run "$OOMLENS" log -J "$TMP/million.log"
check "a million task rows: capped at 100000, and it says so" test \
	"$(jq -c '.events[0] | [(.tasks | length), .tasks_capped, .victim.pid]' <<<"$out")" = '[100000,true,4999]'
run "$OOMLENS" log "$TMP/million.log"
check "text: a note that the table was cut" eval 'grep -q "note: the task table was cut at 100000 rows" <<<"$out"'

# year-less syslog dates: the year of the file's modification time, or the one before
cp "$LOGS/008.log" "$TMP/y.log"
touch -d 2025-12-31 "$TMP/y.log"
run "$OOMLENS" log "$TMP/y.log"
check "syslog date, file written 2025-12-31: the event is in 2025" eval '[[ "$out" == "2025-12-08 "* ]]'
touch -d 2025-12-05 "$TMP/y.log"
run "$OOMLENS" log "$TMP/y.log"
check "syslog date after the file's mtime (2025-12-05): the year before" eval '[[ "$out" == "2024-12-08 "* ]]'
run "$OOMLENS" log --since 2025-01-01 "$TMP/y.log"
check "--since 2025-01-01 leaves out the 2024 event" test "$out" = "no OOM events"
# the log's own last line dates it: an event on Dec 2 14:00, the log running on to
# Dec 4 23:30 (2.4 days), the file written 2026-12-02 11:00: all of it is 2025
sed -E 's/^Dec  [78] [0-9:]{8}/Dec  2 14:00:00/' "$LOGS/008.log" > "$TMP/y2.log"
echo "Dec  4 23:30:00 scottubuntu kernel: [300000.000000] usb 3-2: USB disconnect, device number 2" >> "$TMP/y2.log"
touch -d "2026-12-02 11:00" "$TMP/y2.log"
run "$OOMLENS" log "$TMP/y2.log"
check "a 2.4-day log ending after its file's mtime: 2025, not a date in the future" \
	eval '[[ "$out" == "2025-12-02 14:00:00 "* ]]'
# a paste mixing stamps: an event read with its year (short-iso) comes first; the
# year-less dates after it follow it, Dec -> Jan rolling over into the next year
{ sed -E 's/^Dec  [78] [0-9:]{8}/2023-12-31T23:50:00+00:00/' "$LOGS/008.log"
  sed -E 's/^Dec  [78] [0-9:]{8}/Jan  1 00:10:00/' "$LOGS/008.log"; } > "$TMP/y3.log"
touch -d "2026-06-01" "$TMP/y3.log"
run "$OOMLENS" log "$TMP/y3.log"
check "after an event dated 2023-12-31, 'Jan  1' is 2024, not the mtime's year" \
	eval 'grep -q "^2024-01-01 00:10:00 scottubuntu global OOM" <<<"$out"'

# --since/--until cannot place boot-relative stamps read from a file: said, not silent
run "$OOMLENS" log --since 2000-01-01 "$LOGS/003.log"
check "--since on a raw dmesg file: the undated event left out, with a note" eval \
	'[ "$rc" -eq 0 ] && [[ "$err" == *"1 event without an absolute time"* ]]'

# node lists in the comma-separated oom-kill: line (008.log with its lists widened)
sed 's/nodemask=(null),cpuset=\/,mems_allowed=0,global_oom/nodemask=0-1,3,cpuset=\/,mems_allowed=0,2,global_oom/' \
	"$LOGS/008.log" > "$TMP/nodes.log"
run "$OOMLENS" log -J "$TMP/nodes.log"
check "oom-kill: nodemask=0-1,3 and mems_allowed=0,2 kept whole" test \
	"$(jq -c '.events[0] | [.nodemask, .mems_allowed, .cpuset, .constraint]' <<<"$out")" = '["0-1,3","0,2","/","CONSTRAINT_NONE"]'

# a memcg OOM prints no buddy lines: the page size from the victim's total-vm (kB)
# against its task-table row (pages); 010.log with every kB value scaled as on 64 KiB pages
perl -pe 's/(total-vm|anon-rss|file-rss|shmem-rss):(\d+)kB/"$1:".($2*16)."kB"/ge; s/(usage|limit) (\d+)kB/"$1 ".($2*16)."kB"/ge' \
	"$LOGS/010.log" > "$TMP/64k.log"
run "$OOMLENS" log -J "$TMP/64k.log"
check "64 KiB pages read off the victim; the prediction still agrees" test \
	"$(jq -c '.events[0] | [.memory.page_size, .prediction.agrees]' <<<"$out")" = '[65536,true]'
run "$OOMLENS" log -J "$LOGS/010.log"
check "... and 4 KiB for the original" test "$(jq '.events[0].memory.page_size' <<<"$out")" = 4096

# a truncated gzip is an error, not a quiet partial read
gzip -c "$LOGS/010.log" | head -c 2000 > "$TMP/trunc.gz"
run "$OOMLENS" log "$TMP/trunc.gz"
check "truncated gzip: exit 2, one line" eval '[ "$rc" -eq 2 ] && [ "$(grep -c "" <<<"$err")" -eq 1 ] && [[ "$err" == *truncated* ]]'

# unreadable input is 2, so that --fail-if-found's 1 means events
run "$OOMLENS" --sysroot "$TMP/no-such-root" log --fail-if-found
check "--sysroot that does not exist: exit 2" test "$rc" -eq 2
mkdir -p "$TMP/emptyroot/proc" "$TMP/emptyroot/var/log"
run "$OOMLENS" --sysroot "$TMP/emptyroot" log --fail-if-found
check "a sysroot without a kernel log: exit 2, one line" eval '[ "$rc" -eq 2 ] && [ "$(grep -c "" <<<"$err")" -eq 1 ]'

# the journal: read when there is one, a clear one-line error when there is none
run "$OOMLENS" log -J --journal
if [ "$rc" -eq 0 ]; then
	check "--journal: read the journal" jq_true '.events | type == "array"' <<<"$out"
else
	check "--journal without a journal: exit 2, one line" eval '[ "$rc" -eq 2 ] && [ "$(grep -c "" <<<"$err")" -eq 1 ]'
fi

# inputs the fuzzer found; each once crashed the parser
for f in "$TESTS_DIR"/fuzz/regressions-log/*; do
	run "$OOMLENS" log -J "$f"
	check "fuzz regression $(basename "$f"): exit 0, valid JSON" eval '[ "$rc" -eq 0 ] && jq_true ".events | type == \"array\"" <<<"$out"'
done

# -f FILE follows the name across rotation, as tail -F: the event written
# after mv kern.log kern.log.1, into a new kern.log, is read too
wait_lines() {	# FILE N: up to 15 s for N lines
	for _ in $(seq 150); do
		[ "$(grep -c '' "$1" 2>/dev/null)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
: > "$TMP/rot.log"
"$OOMLENS" log -f --jsonl "$TMP/rot.log" > "$TMP/rot.out" 2> "$TMP/rot.err" &
follower=$!
sleep 0.5
cat "$LOGS/010.log" >> "$TMP/rot.log"
check "-f FILE: an event appended is read" wait_lines "$TMP/rot.out" 1
mv "$TMP/rot.log" "$TMP/rot.log.1"
cat "$LOGS/021.log" > "$TMP/rot.log"
check "-f FILE: after mv FILE FILE.1, the event in the new FILE is read" wait_lines "$TMP/rot.out" 2
: > "$TMP/rot.log"
sleep 1	# as for tail -F, a truncation is seen when the file is found shorter
cat "$LOGS/010.log" >> "$TMP/rot.log"
check "-f FILE: after FILE is truncated, the event written anew is read" wait_lines "$TMP/rot.out" 3
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
check "-f FILE: the three victims in order" test \
	"$(jq -r '.victims[0].comm' "$TMP/rot.out" | tr '\n' ' ')" = "$(
	for f in 010 021 010; do "$OOMLENS" log --jsonl "$LOGS/$f.log" | jq -r '.victims[0].comm'; done | tr '\n' ' ')"

# the journal, in real journal files that systemd-journal-remote writes from
# the export format of two real logs: boot 1 holds 003.log (3.2, 2013), boot 2
# 009.log (2024), as a remote host's journal in a copied tree
JREMOTE=/lib/systemd/systemd-journal-remote
if [ -x "$JREMOTE" ]; then
	J=$TMP/jroot/var/log/journal/remote
	mkdir -p "$J" "$TMP/jroot/proc"
	awk -v boot=0123456789abcdef0123456789abcdef -v host=db1 -v base=1364342400000000 \
		-f "$TESTS_DIR/helpers/dmesg2export.awk" "$LOGS/003.log" > "$TMP/boot1.export"
	awk -v boot=fedcba9876543210fedcba9876543210 -v host=db1 -v base=1704067200000000 \
		-f "$TESTS_DIR/helpers/dmesg2export.awk" "$LOGS/009.log" > "$TMP/boot2.export"
	"$JREMOTE" --output="$J/remote-db1.journal" "$TMP/boot1.export" "$TMP/boot2.export" 2>/dev/null
	victim() { jq -r '.victims[0].pid' <<<"$out" | tr '\n' ' '; }
	run "$OOMLENS" --sysroot "$TMP/jroot" log --journal -b 0 --jsonl
	check "--sysroot --journal -b 0: the journal's own last boot (remote/ searched)" test "$(victim)" = "$(
		"$OOMLENS" log --jsonl "$LOGS/009.log" | jq -r '.victims[0].pid' | tr '\n' ' ')"
	last=$(victim)
	run "$OOMLENS" --sysroot "$TMP/jroot" log --journal -b --jsonl
	check "--journal -b without an argument: the last boot" test "$(victim)" = "$last"
	run "$OOMLENS" --sysroot "$TMP/jroot" log --journal -b -1 --jsonl
	check "--journal -b -1: the boot before" test "$(victim)" = "27085 "
	run "$OOMLENS" --sysroot "$TMP/jroot" log --journal -b 1 --jsonl
	check "--journal -b 1: the first boot" test "$(victim)" = "27085 "
	run "$OOMLENS" --sysroot "$TMP/jroot" log --journal -b 2 --jsonl
	check "--journal -b 2: the second boot" test "$(victim)" = "$last"
	run "$OOMLENS" --sysroot "$TMP/jroot" log --journal -b 0123456789abcdef0123456789abcdef --jsonl
	check "--journal -b ID: that boot" test "$(victim)" = "27085 "
	run "$OOMLENS" --sysroot "$TMP/jroot" log --journal -b 3
	check "--journal -b 3 of 2 boots: exit 2, one line" eval '[ "$rc" -eq 2 ] && [ "$(grep -c "" <<<"$err")" -eq 1 ] && [[ "$err" == *"no such boot"* ]]'
	run "$OOMLENS" log --jsonl --file "$J/remote-db1.journal"
	check "--file: both boots' events" test "$(victim)" = "27085 $last"
	run "$OOMLENS" log --jsonl --directory "$J"
	check "--directory: both boots' events" test "$(victim)" = "27085 $last"
	run "$OOMLENS" log --jsonl --directory "$TMP/emptyroot"
	check "--directory without journal files: exit 2, one line" eval '[ "$rc" -eq 2 ] && [ "$(grep -c "" <<<"$err")" -eq 1 ]'
	# a whole 3.2 event read from the journal is whole, as the same text in a file
	run "$OOMLENS" log -J --file "$J/remote-db1.journal" -b 1
	from_journal=$(jq -c '.events[0] | [.partial, .trigger.pid, .kernel, (.tasks | length), .victims[0].pid]' <<<"$out")
	run "$OOMLENS" log -J "$LOGS/003.log"
	check "a 3.2 event from the journal: whole, as from the file" test \
		"$from_journal" = "$(jq -c '.events[0] | [.partial, .trigger.pid, .kernel, (.tasks | length), .victims[0].pid]' <<<"$out")"
	run "$OOMLENS" log -J --file "$J/remote-db1.journal" -b 1
	check "... with the journal's time and host" jq_true '.events[0] | .time == "2013-05-16T16:33:16Z" and .host == "db1" and .partial == false' <<<"$out"
	# journalctl's own JSON and export formats, piped in: time, host and the boot's seconds
	for fmt in json export; do
		run sh -c 'journalctl --file "$1" -b 1 -o "$2" | "$3" log --jsonl -' sh "$J/remote-db1.journal" "$fmt" "$OOMLENS"
		check "journalctl -o $fmt | oomlens log -: time, host, boot seconds, whole" jq_true \
			'.time == "2013-05-16T16:33:16Z" and .host == "db1" and .boot_seconds == 4379596.347992 and .partial == false and .victims[0].pid == 27085' <<<"$out"
	done
else
	skip "the journal tests" "no $JREMOTE (Debian package systemd-journal-remote)"
fi

# several files make one list: each event names its file
run "$OOMLENS" log -J "$LOGS/003.log" "$LOGS/009.log"
check "two files: each event's source is its file" test \
	"$(jq -r '.events[].source' <<<"$out" | tr '\n' ' ')" = "$LOGS/003.log $LOGS/009.log "
run "$OOMLENS" log --jsonl - < "$LOGS/003.log"
check "standard input: source '-'" test "$(jq -r .source <<<"$out")" = "-"

# --since takes RFC 3339 with an offset and oomlens's own JSON times
# (010.log's syslog stamps rewritten as rsyslog's RFC 3339 ones, at +01:00)
sed -E 's/^May 19 ([0-9:]+) /2024-05-19T\1.000000+01:00 /' "$LOGS/010.log" > "$TMP/iso.log"
run "$OOMLENS" log -J --since 2024-05-19T18:14:43+01:00 "$TMP/iso.log"
check "--since RFC 3339 with an offset, the event's second: kept" jq_true '.events | length == 1' <<<"$out"
run "$OOMLENS" log -J --since "$(jq -r '.events[0].time' <<<"$out")" --until "1h ago" "$TMP/iso.log"
check "--since the event's own JSON time, --until '1h ago': kept" jq_true '.events | length == 1' <<<"$out"
run "$OOMLENS" log -J --since 2024-05-19T17:14:44Z "$TMP/iso.log"
check "--since a second after, in UTC: left out" jq_true '.events | length == 0' <<<"$out"
run "$OOMLENS" log -J --until yesterday --since -36500d "$TMP/iso.log"
check "--until yesterday --since -36500d: kept" jq_true '.events | length == 1' <<<"$out"
run "$OOMLENS" log --since "1h since" "$TMP/iso.log"
check "--since '1h since': exit 2" test "$rc" -eq 2

# a kmsg event's time is the same on every run: the boot time is read once,
# in nanoseconds, and the record's microseconds added to it exactly
run "$OOMLENS" log --jsonl
if [ "$rc" -eq 0 ] && [ -n "$out" ]; then
	# (other kills may come meanwhile: each later run must hold the first's times)
	first=$(jq -r '.time_epoch' <<<"$out" | tail -n 3)
	same=1
	for _ in 1 2 3 4 5; do
		later=$("$OOMLENS" log --jsonl | jq -r '.time_epoch')
		while read -r t; do
			grep -qx -- "$t" <<<"$later" || same=0
		done <<<"$first"
	done
	check "kmsg events: the same times on six runs" test "$same" -eq 1
else
	skip "kmsg events: the same times on six runs" "no OOM event in the ring buffer"
fi

# -J prints each event as it comes: its peak memory does not grow with the
# events, as --jsonl's does not.  300 copies of 008.log's event (162 tasks
# each); held whole before printing, -J needed some 20 times --jsonl's memory.
for _ in $(seq 300); do cat "$LOGS/008.log"; done > "$TMP/many.log"
# peak_rss ARGS...: oomlens's peak resident set in kB (getrusage of the child)
peak_rss() {
	python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$OOMLENS" log "$@" "$TMP/many.log"
}
run "$OOMLENS" log -J "$TMP/many.log"
n=$(jq '.events | length' <<<"$out")
if command -v python3 >/dev/null; then
	rss_j=$(peak_rss -J)
	rss_l=$(peak_rss --jsonl)
	check "-J of 300 events with 162 tasks: all 300 ($n), peak RSS ${rss_j} kB within 1.5x of --jsonl's ${rss_l} kB" \
		eval '[ "$n" = 300 ] && [ "$rss_j" -gt 0 ] && [ $((rss_j * 2)) -le $((rss_l * 3)) ]'
else
	skip "-J peak RSS within 1.5x of --jsonl's" "python3 is not installed"
fi

# "sentences" in JSON are text output's lines, the candidates table left out
same=1
for f in "$LOGS"/*.log; do
	t=$("$OOMLENS" log "$f" 2>/dev/null | grep -v -e '^$' -e '^    ' -e '^  candidates (' -e '^  note: the task table was cut' | sed 's/^ *//')
	j=$("$OOMLENS" log -J "$f" 2>/dev/null | jq -r '.events[].sentences[]')
	[ "$t" = "$j" ] || { same=0; echo "# $f differs"; }
done
check "every fixture log: the JSON sentences are the text output's lines" test "$same" -eq 1

# prediction.ranking: the --top candidates' badness terms add up to their badness (5.9+: no clamp)
run "$OOMLENS" log -J -t 3 "$LOGS/010.log"
check "010: ranking holds the 3 first candidates, rss + swap + page tables + adj = badness" jq_true \
	'.events[0] | .tasks as $t | .prediction.ranking | length == 3 and (map(.rank) == [1,2,3]) and
	 all(.[]; .rss_pages + .swap_pages + .pgtables_pages + .adj_pages == $t[.task].badness)' <<<"$out"

# lines.text: the event's own lines as read; 019.log holds two events
run "$OOMLENS" log -J "$LOGS/019.log"
check "019: each event's lines.text is its lines of the file, from its first" eval \
	'[ "$(jq -r ".events[1].lines.text" <<<"$out" | head -n 1)" = "$(sed -n "$(jq .events[1].lines.first <<<"$out")p" "$LOGS/019.log")" ] &&
	 [ "$(jq -r ".events[0].lines.text" <<<"$out" | grep -c "")" -ge 1 ] &&
	 ! jq -r ".events[0].lines.text" <<<"$out" | grep -qF "$(sed -n "$(jq .events[1].lines.first <<<"$out")p" "$LOGS/019.log")"'
