#!/usr/bin/env bash
# oomlens explain: the arithmetic on the fixture (values computed here from
# the fixture's files), errors, and the proof against the live kernel: every
# quiescent process's computed oom_score equals the kernel's.
. "$(dirname "$0")/lib.sh"
ROOT=$FIXTURES/root-6.18
E() { "$OOMLENS" --sysroot "$ROOT" explain "$@"; }
: "${HOG:=$TESTS_DIR/helpers/hog}"

totalpages=$(awk '/^MemTotal:/ {m=$2} /^SwapTotal:/ {s=$2} END {print int(m/4) + int(s/4)}' "$ROOT/proc/meminfo")

# --- fixture: JSON terms against the files
run E -J 5660
check "explain -J on the fixture: exit 0, valid JSON" eval '[ "$rc" -eq 0 ] && jq_true ".processes | length == 1" <<<"$out"'
j=$out
st=$ROOT/proc/5660/status
kb() { awk -v k="$1:" '$1 == k {print $2}' "$st"; }
check "terms: anon/file/shmem/pgtables bytes are the status lines" test \
	"$(jq -c '.processes[0].terms | [.anon_bytes, .file_bytes, .shmem_bytes, .swap_bytes, .pgtables_bytes]' <<<"$j")" = \
	"[$(($(kb RssAnon) * 1024)),$(($(kb RssFile) * 1024)),$(($(kb RssShmem) * 1024)),$(($(kb VmSwap) * 1024)),$(($(kb VmPTE) * 1024))]"
rss=$(oom_rss_pages "$ROOT/proc/5660" "$(cat "$ROOT/proc/sys/kernel/osrelease")")
check "terms: rss is what the kernel reads, stat's rss on 6.16+ ($rss pages)" test \
	"$(jq -c '.processes[0].terms | [.rss_pages, .rss_source]' <<<"$j")" = "[$rss,\"stat rss\"]"
check "totalpages is MemTotal + SwapTotal in pages ($totalpages)" test "$(jq '.system.total_pages' <<<"$j")" = "$totalpages"
check "adj_unit_pages is totalpages / 1000, integer division" test "$(jq '.processes[0].terms.adj_unit_pages' <<<"$j")" = $((totalpages / 1000))
adj=$(cat "$ROOT/proc/5660/oom_score_adj")
usage=$(( rss + $(kb VmSwap) / 4 + $(kb VmPTE) / 4 ))
check "badness = usage + adj x (totalpages / 1000)" test "$(jq '.processes[0].badness' <<<"$j")" = $((usage + adj * (totalpages / 1000)))
check "base badness (adj 0) is the usage alone" test "$(jq '.processes[0].base_badness' <<<"$j")" = $usage
check "computed oom_score equals the kernel's, 'match'" test \
	"$(jq -c '.processes[0] | [.computed_oom_score, .agreement]' <<<"$j")" = "[$(cat "$ROOT/proc/5660/oom_score"),\"match\"]"

run E -J --all
check "explain --all -J: every fixture process, each with pid, oom_score, computed_oom_score, badness, total_pages, rank" eval \
	'[ "$(jq ".processes | length" <<<"$out")" -eq "$(ls -d "$ROOT"/proc/[0-9]* | wc -l)" ] &&
	 jq_true ".processes | all(has(\"pid\") and has(\"oom_score\") and has(\"computed_oom_score\") and has(\"badness\") and has(\"total_pages\") and has(\"rank\") and has(\"terms\"))" <<<"$out"'
nproc=$(ls -d "$ROOT"/proc/[0-9]* | wc -l)
nkill=$(grep -l '^VmSize:' "$ROOT"/proc/[0-9]*/status | grep -vc '/proc/1/')	# memory of its own, not init
check "explain --all: every process's computed oom_score ($nproc) matches the kernel's" eval \
	'jq_true "[.processes[] | select(.computed_oom_score != null)] | length == $nproc and all(.computed_oom_score == .oom_score)" <<<"$out"'
check "ranks are 1..n over the $nkill killable processes, in badness order" eval \
	'jq_true "[.processes[] | select(.rank != null)] | sort_by(.rank) | map(.rank) == [range(1; $nkill + 1)] and (map(.badness) | . == (sort | reverse))" <<<"$out"'
check "unkillable: init and the zombie, with the reason in words" test \
	"$(jq -c '[.processes[] | select(.killable == false) | .unkillable_reason] | sort' <<<"$out")" = \
	'["init is never killed","kernel thread","no memory of its own (zombie or exiting)"]'

# --- a process that changes between reads: ranked once, listed once
# In a copy, 5659's oom_score_adj reads 1000 first (badness far above
# everyone's, and oom_score 668 then disagrees) and 0 on the re-read, which
# matches oom_score: the re-read replaces the first read.  A sysroot's files
# must be regular files (a FIFO is refused), so a fanotify permission event
# holds the scan's open(2) of the file while a file holding 0 is renamed
# over it: the scan reads the 1000 it opened, the re-read opens the new file.
CH=$TMP/changing
cp -a "$ROOT" "$CH"
printf '1000\n' > "$CH/proc/5659/oom_score_adj"
feed() {
	python3 -c '
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.fanotify_mark.argtypes = [ctypes.c_int, ctypes.c_uint, ctypes.c_uint64, ctypes.c_int, ctypes.c_char_p]
fan = libc.fanotify_init(0x4, os.O_RDONLY)          # FAN_CLASS_CONTENT
if fan < 0 or libc.fanotify_mark(fan, 1, 0x10000, -100, sys.argv[1].encode()) < 0:
	print("no fanotify", flush=True)                # FAN_MARK_ADD, FAN_OPEN_PERM
	sys.exit(1)
print("ready", flush=True)
ev = os.read(fan, 4096)
fd = struct.unpack_from("=IBBHQii", ev)[5]
with open(sys.argv[1] + ".new", "w") as f:
	f.write("0\n")
os.rename(sys.argv[1] + ".new", sys.argv[1])
os.write(fan, struct.pack("=iI", fd, 1))            # FAN_ALLOW
' "$1"
}
changing=no
if command -v python3 >/dev/null; then
	feed "$CH/proc/5659/oom_score_adj" > "$TMP/feeder.out" 2>&1 &
	feeder=$!
	for _ in $(seq 200); do grep -q . "$TMP/feeder.out" 2>/dev/null && break; sleep 0.01; done
	if grep -q ready "$TMP/feeder.out"; then
		changing=yes
		run timeout 20 "$OOMLENS" --sysroot "$CH" explain -J --all
	fi
	kill "$feeder" 2>/dev/null
	wait "$feeder" 2>/dev/null
fi
if [ "$changing" = yes ]; then
	check "a process changed between reads: explain --all lists every process exactly once" eval \
		'[ "$rc" -eq 0 ] && [ "$(jq -c "[.processes[].pid] | sort" <<<"$out")" = \
		   "$(ls -d "$ROOT"/proc/[0-9]* | sed "s|.*/||" | sort -n | jq -sc .)" ]'
	check "... with the re-read values (agreement changed_between_reads, adj 0)" test \
		"$(jq -c '.processes[] | select(.pid == 5659) | [.agreement, .oom_score_adj, .computed_oom_score]' <<<"$out")" = \
		'["changed_between_reads",0,668]'
	check "... and ranks 1..n, each once, in badness order" eval \
		'[ "$(jq -c "[.processes[] | select(.rank != null) | .rank] | sort" <<<"$out")" = \
		   "$(jq -c "[range(1; .system.killable_processes + 1)]" <<<"$out")" ] &&
		 [ "$(jq -c "[.processes[] | select(.rank != null)] | sort_by(.rank) | map(.badness) | . == (sort | reverse)" <<<"$out")" = true ]'
else
	skip "a process changed between reads" "no python3 with fanotify permission events"
fi

# --- text: readable, with the formula filled in
run E 5658
check "text: the /proc formula with the numbers" eval 'grep -q "oom_score  = (1000 + badness x 1000 / totalpages) x 2 / 3" <<<"$out" && grep -q "kernel says $(cat "$ROOT/proc/5658/oom_score"): match" <<<"$out"'
check "text: totalpages from MemTotal and SwapTotal" eval 'grep -q "totalpages = MemTotal .* kB + SwapTotal .* kB.* = $totalpages" <<<"$out"'
check "text: its rank and who is ahead" eval 'grep -q "rank: .* of .* killable processes" <<<"$out" && grep -q "just ahead:" <<<"$out"'
run E 1
check "text: init is never killed" eval 'grep -q "never killed by the OOM killer: init is never killed" <<<"$out"'
run E 5661
check "text: a hostile name is escaped" eval '! grep -q "$(printf "\033")" <<<"$out" && grep -qF "ev\\x1b[31mil\\x09tab" <<<"$out"'

# --- the terms as one bar under the arithmetic
# bar_of TEXT: the cells between the brackets of the "terms" line
bar_of() { sed -n 's/^  terms      \[\(.*\)\]$/\1/p' <<<"$1"; }
# key_of TEXT LABEL: the pages the legend gives LABEL
key_of() { awk -v l="$2" 'p { n = index($0, " " l " "); if (n) { s = substr($0, n + length(l) + 2); split(s, a, " "); print a[1] } exit } /^  terms / { p = 1 }' <<<"$1"; }
j=$("$OOMLENS" --sysroot "$ROOT" explain -J 5660)
usage=$(jq '.processes[0].base_badness' <<<"$j")
adjp=$(( $(jq '.processes[0].badness' <<<"$j") - usage ))
run env LC_ALL=C COLUMNS=80 "$OOMLENS" --sysroot "$ROOT" explain 5660
bar=$(bar_of "$out")
check "C locale: the bar is 60 ASCII cells on 80 columns, no escape in a pipe" eval \
	'[ "${#bar}" -eq 60 ] && [[ $bar =~ ^[#=%^+]+$ ]] && ! grep -q $'"'"'\e'"'"' <<<"$out"'
want=$(( (adjp * 60 + (usage + adjp) / 2) / (usage + adjp) ))
plus=$(tr -cd + <<<"$bar" | wc -c)
# each of the four small memory parts keeps a cell of its own
check "C locale: oom_score_adj's cells are its share of the bar ($adjp of $((usage + adjp)) pages: $want of 60 less up to 4, got $plus)" \
	eval '[ "$plus" -ge $((want - 4)) ] && [ "$plus" -le "$want" ]'
j=$("$OOMLENS" --sysroot "$ROOT" explain -J 5659)
fpages=$(( $(jq '.processes[0].terms.file_bytes' <<<"$j") / 4096 ))
u59=$(jq '.processes[0].badness' <<<"$j")
want=$(( (fpages * 60 + u59 / 2) / u59 ))
run env LC_ALL=C COLUMNS=80 "$OOMLENS" --sysroot "$ROOT" explain 5659
got=$(bar_of "$out" | tr -cd = | wc -c)
check "C locale: file's cells are its share of 5659's bar ($fpages of $u59 pages: $want of 60, got $got)" \
	eval '[ "$got" -ge $((want - 3)) ] && [ "$got" -le $((want + 1)) ]'
run env LC_ALL=C COLUMNS=80 "$OOMLENS" --sysroot "$ROOT" explain 5660
sum=$(( $(key_of "$out" anon) + $(key_of "$out" file) + $(key_of "$out" shmem) + $(key_of "$out" tables) ))
check "the legend's oom_score_adj is badness - usage ($adjp pages), anon + file + shmem + page tables the usage ($usage)" eval \
	'[ "$(key_of "$out" oom_score_adj)" = "$adjp" ] && [ "$sum" -eq "$usage" ]'
run env LC_ALL=C.UTF-8 COLUMNS=80 "$OOMLENS" --sysroot "$ROOT" explain 5660
ubar=$(bar_of "$out")
check "UTF-8: the same bar in block characters" eval \
	'[ "$(sed "s/#/█/g; s/=/▓/g; s/%/▒/g; s/+/▞/g; s/\\^/▚/g" <<<"$bar")" = "$ubar" ] && ! grep -q $'"'"'\e'"'"' <<<"$out"'
run env LC_ALL=C.UTF-8 COLUMNS=80 NO_COLOR=1 "$OOMLENS" --sysroot "$ROOT" --color=always explain 5660
check "--color=always: SGR escapes in a pipe, even with NO_COLOR" grep -q $'\e\\[3[0-9]m█' <<<"$out"
run env LC_ALL=C "$OOMLENS" --sysroot "$ROOT" --color=always explain -J 5660
check "--color=always: JSON stays plain" eval '[ "$rc" -eq 0 ] && ! grep -q $'"'"'\e'"'"' <<<"$out"'
# a negative oom_score_adj takes pages off the end of the bar
NEG=$TMP/neg-root
cp -a "$ROOT" "$NEG"
echo -1 > "$NEG/proc/5660/oom_score_adj"
off=$(( totalpages / 1000 ))
run env LC_ALL=C COLUMNS=80 "$OOMLENS" --sysroot "$NEG" explain 5660
bar=$(bar_of "$out")
check "oom_score_adj -1: the legend says it takes $off pages off, the bar ends in '-'" eval \
	'[ "$(key_of "$out" oom_score_adj)" = "$off" ] && [[ $bar =~ ^[#=%]+-+$ ]]'

# --- what-if
run E -J 5658 --adj 0
check "--adj 0: what-if badness is the base badness" test "$(jq '.processes[0] | .what_if.badness == .base_badness and .base_badness > 0' <<<"$out")" = true
run E -J 5659 --adj 1000
check "--adj 1000 makes it first in line" test "$(jq '.processes[0].what_if.rank' <<<"$out")" = 1
run E -J 5658 --adj -1000
check "--adj -1000: never killed (badness null, score 0)" test "$(jq -c '.processes[0].what_if | [.badness, .oom_score]' <<<"$out")" = '[null,0]'
run E --adj 500 1 2 5910
check "--adj on init, a kernel thread and a zombie: the real reason, not adj -1000" eval \
	'[ "$(grep -A1 "what if" <<<"$out" | grep "never killed:" | sed "s/^ *//")" = "$(printf "%s\n" \
		"never killed: init is never killed" "never killed: kernel thread" \
		"never killed: no memory of its own (zombie or exiting)")" ]'
run E -J --adj 500 1 2 5910
check "--adj -J on init, a kernel thread and a zombie: what_if.unkillable_reason" test \
	"$(jq -c '[.processes[].what_if | [.killable, .unkillable_reason]]' <<<"$out")" = \
	'[[false,"init is never killed"],[false,"kernel thread"],[false,"no memory of its own (zombie or exiting)"]]'
run E -J 5658 --adj -1000
check "--adj -1000 -J: what_if.unkillable_reason names the adj" test \
	"$(jq -r '.processes[0].what_if.unkillable_reason' <<<"$out")" = "oom_score_adj is -1000 (OOM killing disabled)"
run E -J 5659 --rss 1G --adj 0
want=$(( 1024 * 1024 * 1024 / 4096 + $(awk '$1 == "VmSwap:" {s += $2 / 4} $1 == "VmPTE:" {s += int($2 / 4)} END {print s}' "$ROOT/proc/5659/status") ))
check "--rss 1G: badness is 262144 pages + swap + page tables ($want)" test "$(jq '.processes[0].what_if.badness' <<<"$out")" = "$want"
run E 5658 --adj 1001
check "--adj out of range: exit 2" test "$rc" -eq 2
run E 5658 --rss lots
check "--rss malformed: exit 2" test "$rc" -eq 2
run E -J 5659 --rss 9223372036854775808
check "--rss beyond a signed 64-bit byte count: usage error, exit 2" eval \
	'[ "$rc" -eq 2 ] && [ -z "$out" ] && [[ "$err" == *"size too large"* ]]'
run E -J 5659 --rss 16383P
check "--rss 16383P (more than 2^63 bytes): exit 2" test "$rc" -eq 2
run E -J 5659 --rss 9223372036854775807
check "--rss 2^63 - 1: computed, with a note that it is more than RAM + swap" eval \
	'[ "$rc" -eq 0 ] && grep -q "\"rss\":9223372036854775807," <<<"$out" &&
	 [[ "$err" == *"more than RAM + swap"* ]]'
run E -J 5659 --rss 1G
check "--rss 1G on a machine with more: no note" eval '[ "$rc" -eq 0 ] && [ -z "$err" ] && jq_true ".processes[0].what_if.badness > 262144" <<<"$out"'

# --- eras
run E -J 5658 --kernel 4.19
check "--kernel 4.19 uses the 4.17-5.8 era and does not compare with 6.18's oom_score" test \
	"$(jq -c '[.system.era, .processes[0].agreement]' <<<"$out")" = '["4.17-5.8","not_compared"]'
run E -J 5658 --kernel 3.10.0-1160.el7.x86_64
check "--kernel 3.10: CAP_SYS_ADMIN takes 30 off oom_score_adj (root process)" test \
	"$(jq -c '.processes[0].terms | [.oom_score_adj, .effective_adj]' <<<"$out")" = '[300,270]'
st=$ROOT/proc/5658/status
usage=$(( $(oom_rss_pages "$ROOT/proc/5658" 3.14) + $(kb VmSwap) / 4 + $(kb VmPTE) / 4 ))
bonus=$(( usage * 3 / 100 ))
adjp=$(( $(cat "$ROOT/proc/5658/oom_score_adj") * (totalpages / 1000) ))
run E 5658 --kernel 3.14
check "--kernel 3.14: the badness line shows the root bonus (usage - 3% + adj pages)" \
	grep -qF "badness    = $usage - $bonus (root bonus) + $adjp = $((usage - bonus + adjp)) pages" <<<"$out"
run E -J 5658 --kernel 3.14
check "--kernel 3.14 -J: root_bonus_pages is 3% of the usage" test "$(jq '.processes[0].terms.root_bonus_pages' <<<"$out")" = "$bonus"
# 2.6.36-3.4 count points out of 1000: the rank hints are points, pages and an adj.
# 5658: 28139 pages x 1000 / 6170905 = 4 per mille, -30 (root) +300 = 274; 5660
# is just ahead at 771.  771 - 274 = 497 points: at 771 each, 5658 wins the tie
# (same start time, lower pid: found first, and before 5.3 the first wins).
# 4 + 497 = 501 per mille needs ceil(501 x 6170905 / 1000) = 3091624 pages,
# 3063485 more; or oom_score_adj 300 + 497.
run E --kernel 2.6.36 5658
check "--kernel 2.6.36: to pass the one ahead, points, then pages and an adj" \
	grep -qF "to pass it:    497 more points: 3063485 more pages (11.7G), or oom_score_adj 797" <<<"$out"
# 5659: 2 per mille - 30 = -28, clamped to 1; 2310 (older) at 1 wins the tie:
# 2 points needs raw 2, 30 more: 32 per mille = 197469 pages (181666 more), or adj 30.
run E --kernel 2.6.36 5659
check "--kernel 2.6.36: from the clamped badness 1, the raw -28 counts" \
	grep -qF "to pass it:    30 more points: 181666 more pages (709.6M), or oom_score_adj 30" <<<"$out"
check "--kernel 2.6.36: below badness 1 there is no falling back" \
	grep -qF "to fall back:  not possible short of oom_score_adj -1000: badness is never below 1" <<<"$out"
run E 5658
d=$ROOT/proc/5658
held=$(( $(oom_rss_pages "$d" 6.18) + $(awk '/^VmSwap:|^VmPTE:/ { p += int($2 / 4) } END { print p }' "$d/status") ))
check "5.9+: falling back takes more pages than it holds ($held): only the adj is offered" \
	grep -qF "to fall back:  not by memory alone (it holds $held pages), but oom_score_adj -2" <<<"$out"
run E 5658 --kernel 2.6.32
check "--kernel 2.6.32 explains the old heuristic as history" eval '[ "$rc" -eq 0 ] && grep -q "HISTORY" <<<"$out"'
run E --history
check "--history alone explains the pre-2.6.36 heuristic" eval '[ "$rc" -eq 0 ] && grep -q "total_vm" <<<"$out"'
run E --history -J
# (jq 1.6 -e exits 0 on empty input: compare its answer instead)
check "--history -J: valid JSON, the historical heuristic's steps" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq ".history.historical == true and .history.kernels == \"before 2.6.36\" and
		(.history.steps | map(.term)) == [\"total_vm\", \"children\", \"cpu_time\", \"run_time\", \"nice\", \"capabilities\", \"oom_adj\"]" <<<"$out")" = true ]'
run E --history -J 5658
check "--history -J with a pid: the history beside the process" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq "(.history.steps | length) == 7 and .processes[0].pid == 5658" <<<"$out")" = true ]'
run E 5658 --kernel banana
check "--kernel garbage: exit 2" test "$rc" -eq 2

# --- 4.0 .. 4.14: page tables are VmPTE + VmPMD
# In a copy that says it is 4.9, 5658's status gains "VmPMD: 12 kB" after VmPTE.
PMD=$TMP/pmd
cp -a "$ROOT" "$PMD"
echo 4.9.0-19-amd64 > "$PMD/proc/sys/kernel/osrelease"
sed -i 's/^\(VmPTE:.*\)$/\1\nVmPMD:\t      12 kB/' "$PMD/proc/5658/status"
st=$ROOT/proc/5658/status
u=$(( $(oom_rss_pages "$PMD/proc/5658" 4.9) + $(kb VmSwap) / 4 + $(kb VmPTE) / 4 ))
run "$OOMLENS" --sysroot "$PMD" explain -J 5658
check "4.9: VmPMD's 3 pages count with the page tables" test \
	"$(jq -c '.processes[0].terms | [.pmd_bytes, .pmd_pages, .usage_pages]' <<<"$out")" = "[12288,3,$((u + 3))]"
run "$OOMLENS" --sysroot "$PMD" explain 5658
check "4.9 text: a VmPMD row" grep -Eq "page tables \(VmPMD\) +12 +3$" <<<"$out"
run "$OOMLENS" --sysroot "$PMD" explain -J --kernel 3.16 5658
check "--kernel 3.16 (no nr_pmds yet): VmPMD left out" test \
	"$(jq -c '.processes[0].terms | [.pmd_bytes, .usage_pages]' <<<"$out")" = "[null,$u]"

# --- ties: before 5.3 the first found (the older) wins, from 5.3 the last (the younger)
# In a copy, 5662 (started after 5660) holds exactly 5660's memory and adj.
TIE=$TMP/tie
cp -a "$ROOT" "$TIE"
cp "$ROOT/proc/5660/oom_score_adj" "$TIE/proc/5662/oom_score_adj"
{ grep -Ev '^(RssAnon|RssFile|RssShmem|VmPTE|VmSwap):' "$ROOT/proc/5662/status"
  grep -E '^(RssAnon|RssFile|RssShmem|VmPTE|VmSwap):' "$ROOT/proc/5660/status"; } > "$TIE/proc/5662/status"
# and stat's rss, what a 6.16+ kernel reads (oomlens-kernel(7))
set_stat_field "$TIE/proc/5662/stat" 24 "$(stat_field "$ROOT/proc/5660/stat" 24)"
order() { jq -c '[.processes[] | select(.pid == 5660 or .pid == 5662)] | sort_by(.rank) | map([.pid, .badness])' <<<"$out"; }
for k in 6.18 5.3 5.2 4.19; do
	run "$OOMLENS" --sysroot "$TIE" explain -J --all --kernel "$k"
	b=$(jq '.processes[] | select(.pid == 5660) | .badness' <<<"$out")
	case $k in 5.2|4.19) want="[[5660,$b],[5662,$b]]" who="the older";;
		   *) want="[[5662,$b],[5660,$b]]" who="the younger";; esac
	check "tie at badness $b under --kernel $k: $who ranks first" eval '[ "$b" -gt 0 ] && [ "$(order)" = "$want" ]'
done

# --- bad invocations
run E
check "no pid: exit 2" test "$rc" -eq 2
run E 0
check "pid 0: exit 2" test "$rc" -eq 2
run E abc
check "pid 'abc': exit 2" test "$rc" -eq 2
run E --all 5658
check "--all with a pid: exit 2" test "$rc" -eq 2
run E 424242
check "no such process: exit 1, one line" eval '[ "$rc" -eq 1 ] && [[ "$err" == *"no such process: 424242"* ]]'

# --- the live kernel: computed == oom_score for every quiescent process
if [ ! -x "$HOG" ]; then
	skip "fidelity against the live kernel" "no hog helper ($HOG)"
	exit 0
fi
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$TMP"' EXIT
"$HOG" -a 64 -n fid-anon64 > "$TMP/h1" & pids+=($!)
"$HOG" -f 32 -A 250 -n fid-file32 > "$TMP/h2" & pids+=($!)
"$HOG" -s 16 -A 500 -n fid-shm16 > "$TMP/h3" & pids+=($!)
"$HOG" -a 8 -A 1000 -n fid-adj1000 > "$TMP/h4" & pids+=($!)
"$HOG" -a 1 -f 1 -s 1 -A 999 -n fid-mixed > "$TMP/h5" & pids+=($!)
"$HOG" -p 8 -n fid-pgtab8 > "$TMP/h6" & pids+=($!)
"$HOG" -w 8 -d 0 -n fid-write8 > "$TMP/h7" & pids+=($!)
for i in $(seq 100); do
	[ "$(cat "$TMP"/h? 2>/dev/null | grep -c ready)" -eq 7 ] && break
	sleep 0.1
done
sleep 0.5
run "$OOMLENS" explain -J --all
check "live: explain --all -J exits 0" eval '[ "$rc" -eq 0 ] && jq_true ".processes | length > 0" <<<"$out"'
bad=$(jq -r --argjson me $$ '.processes[] | select(.computed_oom_score != null and .computed_oom_score != .oom_score) |
	"\(.pid) \(.comm) kernel \(.oom_score) computed \(.computed_oom_score) (\(.agreement)) terms \(.terms)"' <<<"$out")
ours=$(jq -r '[.processes[] | select(.comm | startswith("fid-")) | select(.agreement == "match")] | length' <<<"$out")
check "live: all 7 test processes (anon, file, shmem, page tables, adj 250..1000) match the kernel exactly" test "$ours" = 7
check "live: hog -p 8 holds 8 MiB of page tables, which explain counts" test \
	"$(jq '.processes[] | select(.comm == "fid-pgtab8") | .terms.pgtables_bytes >= 8388608' <<<"$out")" = true
check "live: hog -w 8 wrote 8 MiB that no rss counts (an unmapped memfd)" eval \
	'grep -q done "$TMP/h7" && jq_true ".processes[] | select(.comm == \"fid-write8\") |
		.terms.shmem_pages == 0 and .terms.anon_pages + .terms.file_pages < 1024" <<<"$out"'
computed=$(jq '[.processes[] | select(.computed_oom_score != null)] | length' <<<"$out")
if [ -z "$bad" ] && [ "${computed:-0}" -ge 7 ]; then
	ok "live: computed_oom_score == oom_score for all $computed processes whose score is computed"
else
	not_ok "live: computed_oom_score == oom_score for every process" "$bad"
fi
