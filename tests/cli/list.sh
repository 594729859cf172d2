#!/usr/bin/env bash
# oomlens list: against the fixture sysroot copied from a 6.18 kernel (every
# expected value is computed here from the fixture's own files, not typed
# in), edited copies of it for what a live kernel here cannot show, and the
# live system.
. "$(dirname "$0")/lib.sh"
ROOT=$FIXTURES/root-6.18
L() { "$OOMLENS" --sysroot "$ROOT" list "$@"; }

# --- the model, independently: badness and oom_score per pid from the files
totalpages=$(awk '/^MemTotal:/ {m=$2} /^SwapTotal:/ {s=$2} END {print int(m/4) + int(s/4)}' "$ROOT/proc/meminfo")
expected() {	# pid -> "badness oom_score" for a killable process
	local d=$ROOT/proc/$1
	awk -v tp="$totalpages" -v adj="$(cat "$d/oom_score_adj")" \
	    -v rss="$(oom_rss_pages "$d" "$(cat "$ROOT/proc/sys/kernel/osrelease")")" '
		BEGIN { pages = rss }
		/^VmSwap:|^VmPTE:/ { pages += int($2 / 4) }
		END {
			b = pages + adj * int(tp / 1000)
			printf "%d %d\n", b, int((1000 + int(b * 1000 / tp)) * 2 / 3)
		}' "$d/status"
}

run L -J -o PID,BADNESS,SCORE,ADJ,OOMADJ,RSS,ANON,FILE,SHMEM,SWAP,PGTABLES,KILLABLE
expect_rc "list -J on the fixture exits 0" 0
check "list -J is valid JSON with a processes array" eval 'jq_true ".processes | length > 0" <<<"$out"'
json=$out
bad=0 compared=0
for d in "$ROOT"/proc/[0-9]*; do
	pid=${d##*/}
	grep -q '^VmSize:' "$d/status" || continue	# kernel threads, zombies
	[ "$pid" = 1 ] && continue
	compared=$((compared + 1))
	read -r b s < <(expected "$pid")
	got=$(jq -r --argjson p "$pid" '.processes[] | select(.pid == $p) | "\(.badness) \(.oom_score)"' <<<"$json")
	kernel=$(cat "$d/oom_score")
	if [ "$got" != "$b $kernel" ] || [ "$s" != "$kernel" ]; then
		bad=1
		not_ok "pid $pid: badness $b and the kernel's oom_score $kernel" "oomlens: $got, model's score: $s"
	fi
done
[ $bad = 0 ] && check "badness of every killable fixture process ($compared) matches the formula, and the formula gives the kernel's own oom_score" \
	test "$compared" -ge 5

# memory in bytes in JSON, exactly RssAnon + RssFile + RssShmem
want=$(awk '/^RssAnon:|^RssFile:|^RssShmem:/ {s += $2} END {print s * 1024}' "$ROOT/proc/5658/status")
got=$(jq '.processes[] | select(.pid == 5658) | .rss' <<<"$json")
check "JSON rss is bytes: RssAnon+RssFile+RssShmem ($want)" test "$got" = "$want"
got=$(jq -c '.processes[] | select(.pid == 5658) | [.anon, .file, .shmem, .swap, .pgtables] | map(type)' <<<"$json")
check "JSON memory terms are numbers" test "$got" = '["number","number","number","number","number"]'
check "JSON oom_adj is the legacy value read from /proc" test "$(jq '.processes[] | select(.pid == 5660) | .oom_adj' <<<"$json")" = "$(cat "$ROOT/proc/5660/oom_adj")"
check "JSON: schema_version 2.x at the top" eval '[[ "$(jq -r .schema_version <<<"$json")" =~ ^2\.[0-9]+$ ]]'
run L -J -o SHARE -p 5662
check "JSON share_percent: two decimals, as written" eval \
	'grep -q "\"share_percent\":100\.06\$" <<<"$out" && [ "$(jq ".processes[0].share_percent" <<<"$out")" = 100.06 ]'
check "JSON killable is a boolean" test "$(jq '.processes[] | select(.pid == 5658) | .killable' <<<"$json")" = true

# always-present keys even when -o leaves them out
run L -J -o RSS
check "JSON always has pid, comm, oom_score, oom_score_adj, oom_adj" eval \
	'jq_true ".processes | length > 0 and all(has(\"pid\") and has(\"comm\") and has(\"oom_score\") and has(\"oom_score_adj\") and has(\"oom_adj\") and has(\"rss\"))" <<<"$out"'

# --- ranking
nrows=$(grep -lx 'Kthread:	0' "$ROOT"/proc/[0-9]*/status | wc -l)	# every process but kernel threads
rows() { [ "$(grep -c '' <<<"$out")" -eq "$nrows" ]; }
run L -r -n -o PID,BADNESS
first=$(printf '%s\n' "$out" | head -n 1 | awk '{print $1}')
maxpid=$(for d in "$ROOT"/proc/[0-9]*; do p=${d##*/}; grep -q '^VmSize:' "$d/status" && [ "$p" != 1 ] && echo "$(expected "$p" | cut -d' ' -f1) $p"; done | sort -n -r | head -n 1 | cut -d' ' -f2)
check "the first row is the process with the highest badness (pid $maxpid)" test "$first" = "$maxpid"
check "rows are in non-increasing badness order" eval 'rows && printf "%s\n" "$out" | awk "\$2 != \"-\"" | awk "NR > 1 && \$2 > prev {exit 1} {prev = \$2}"'
# init and the zombie, and nothing else, have no badness: the last two rows
n=$(grep -c '' <<<"$out")
check "unkillable rows (init, zombie) come last" test \
	"$(printf '%s\n' "$out" | awk '$2 == "-" {print NR ":" $1}' | tr '\n' ' ')" = "$((n - 1)):1 $n:5910 "
run L -r -n -o PID -t 1
check "--top 1 prints only the worst" test "$out" = "$maxpid"
run L -r -n -o PID -s pid
check "--sort pid sorts ascending" eval 'rows && printf "%s\n" "$out" | sort -n -c'
run L -r -n -o PID -s pid --reverse
check "--sort pid --reverse sorts descending" eval 'rows && printf "%s\n" "$out" | sort -n -r -c'
run L -r -n -o PID,RSS -b -s rss
check "--sort rss puts the largest first" eval 'rows && printf "%s\n" "$out" | awk "{print \$2}" | sort -n -r -c'
run L -s nosuchcol
check "--sort with an unknown column: exit 2" test "$rc" -eq 2

# --- --sort COL, every column, on typed values: each run's JSON values in
# order, as oomlens-list(1) "Sorting" says: numbers largest first, IDs and
# names ascending, unknown (null) last either way, ties by pid (but BADNESS
# and SHARE, which rank as the kernel does).  On the fixture, and on an
# edited copy with what it lacks (hand edits, each said): uids without a name
# in passwd, every process state, and values that cannot be read.
SR=$TMP/sortroot
cp -a "$ROOT" "$SR"
set_status() { sed -i "s/^$2:.*/$2:\t$3/" "$SR/proc/$1/status"; }
set_status 5658 Uid '1000\t1000\t1000\t1000'; set_status 5658 State 'R (running)'	# cloudsdk
set_status 5658 VmSwap '    2048 kB'
set_status 5659 Uid '4242\t4242\t4242\t4242'; set_status 5659 State 'D (disk sleep)'	# no name
set_status 5660 Uid '999\t999\t999\t999'; set_status 5660 State 'T (stopped)'		# no name
set_status 5660 VmSwap '    1024 kB'
set_status 5661 Uid '65534\t65534\t65534\t65534'					# nobody
set_status 5662 Uid '31337\t31337\t31337\t31337'					# no name
printf '0::/system.slice/nginx.service\n' > "$SR/proc/5658/cgroup"
printf '0::/system.slice/ssh.service\n' > "$SR/proc/5662/cgroup"
sed -i '/^Uid:/d; /^State:/d; /^PPid:/d' "$SR/proc/5747/status"	# uid, state, ppid unknown
for f in 2310/oom_score 2310/oom_score_adj 5661/cgroup 5747/stat; do	# unreadable (EISDIR)
	rm "$SR/proc/$f" && mkdir "$SR/proc/$f"
done
# sorted ROOT KEY ORDER TIES: "ok", or the pairs of $out's rows out of ORDER
# (asc or desc) by the JSON value of KEY, nulls last, ties by pid if TIES
sorted() {
	jq -r --arg k "$1" --arg order "$2" --argjson ties "$3" '
		[.processes[] | {pid, v: .[$k]}] as $r
		| [range(1; $r | length) | $r[. - 1] as $a | $r[.] as $b
		   | select(($a.v == null and $b.v != null) or
			    ($a.v != null and $b.v != null and
			     (if $order == "asc" then $a.v > $b.v else $a.v < $b.v end)) or
			    ($ties and $a.v == $b.v and $a.pid > $b.pid))
		   | "\($a.pid):\($a.v | tojson) before \($b.pid):\($b.v | tojson)"]
		| if length == 0 then "ok" else join(", ") end' <<<"$out"
}
run "$OOMLENS" list -H -J
cols=$(jq -r '.columns[] | "\(.name) \(.key)"' <<<"$out")
check "list -H -J names the columns and their JSON keys" test "$(grep -c '' <<<"$cols")" -ge 20
for tree in "$ROOT" "$SR"; do
	all=$("$OOMLENS" --sysroot "$tree" list -J -k -o PID 2>/dev/null | jq -c '[.processes[].pid] | sort')
	while read -r col key; do
		vary=1
		case $col in
		SCORE|ADJ|OOMADJ|RSS|ANON|FILE|SHMEM|SWAP|PGTABLES) order=desc ties=true ;;
		BADNESS|SHARE) order=desc ties=false ;;
		RANK) order=asc ties=false ;;
		PID|PPID|UID|USER|COMM|CMDLINE|CGROUP|UNIT|KILLABLE|STATE) order=asc ties=true ;;
		# (memory cgroup limits and near ties: the edited tree has none)
		TIE|MCG-SHARE) order=desc ties=true vary=0 ;;
		MEMCG|MCG-RANK) order=asc ties=true vary=0 ;;
		# (no pods in these trees: tests/cli/kube.sh has them)
		NAMESPACE|POD|CONTAINER|QOS) order=asc ties=true vary=0 ;;
		*) not_ok "--sort $col: a column this test does not know: add it with its order"; continue ;;
		esac
		for rev in "" --reverse; do
			run "$OOMLENS" --sysroot "$tree" list -J -k -o "PID,$col" -s "$col" $rev
			want=$order
			[ -n "$rev" ] && { [ $order = asc ] && want=desc || want=asc; }
			got=$(sorted "$key" "$want" "$ties")
			if [ "$rc" -eq 0 ] && [ "$got" = ok ] && [ "$(jq -c '[.processes[].pid] | sort' <<<"$out")" = "$all" ]; then
				ok "${tree##*/}: --sort $col${rev:+ $rev}: every row, $want by the JSON $key, unknown last"
			else
				not_ok "${tree##*/}: --sort $col${rev:+ $rev}: every row, $want by the JSON $key, unknown last" "$got"
			fi
		done
		# each column must vary in the edited tree, or its order proves nothing
		[ "$tree" = "$SR" ] && [ $vary = 1 ] && check "${tree##*/}: $col takes at least two values" \
			test "$(jq --arg k "$key" '[.processes[][$k] | select(. != null)] | unique | length' <<<"$out")" -ge 2
	done <<<"$cols"
done
run "$OOMLENS" --sysroot "$SR" list -r -n -o USER,STATE,PID -s user
check "--sort user: names and the numbers of unnamed uids byte by byte, unknown last" test \
	"$(awk '{print $1}' <<<"$out" | uniq | tr '\n' ' ')" = "31337 4242 999 cloudsdk nobody root - "
run "$OOMLENS" --sysroot "$SR" list -r -n -o STATE,PID -s state --reverse
check "--sort state --reverse: Z T S R D, unknown last" test \
	"$(awk '{print $1}' <<<"$out" | uniq | tr '\n' ' ')" = "Z T S R D - "

# -u by name or number, by the sysroot's passwd, also a uid with no name
uid_pids() {	# the pids of the non-kernel-thread processes of uid $1, from the files
	for d in "$SR"/proc/[0-9]*; do
		awk -v u="$1" '/^Uid:/ {m = $2 == u} /^Kthread:/ {k = $2} END {exit !(m && !k)}' "$d/status" && echo "${d##*/}"
	done | sort -n | tr '\n' ' '
}
for u in root:0 0:0 cloudsdk:1000 4242:4242 root,nobody:"0 65534"; do
	want=$(for i in ${u#*:}; do uid_pids "$i"; done | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')
	run "$OOMLENS" --sysroot "$SR" list -r -n -o PID -u "${u%%:*}"
	check "-u ${u%%:*}: the processes of uid ${u#*:} ($want)" eval \
		'[ "$rc" -eq 0 ] && [ -n "$want" ] && [ "$(sort -n <<<"$out" | tr "\n" " ")" = "$want" ]'
done

# --- filters
run L -r -n -o PID
check "kernel threads are hidden by default" eval 'grep -qx 1 <<<"$out" && ! grep -qx 2 <<<"$out"'
run L -r -n -o PID -k
check "-k shows kernel threads" eval 'grep -qx 2 <<<"$out"'
run L -r -n -o PID -p 5658,5660
check "-p selects exactly those pids" test "$(printf '%s\n' "$out" | sort -n | tr '\n' ' ')" = "5658 5660 "
run L -r -n -o PID -p 2
check "-p shows a kernel thread it names" test "$out" = 2
run L -p 424242
check "-p with no such process: exit 1" eval '[ "$rc" -eq 1 ] && [[ "$err" == *"no such process"* ]]'
run L -p 12x
check "-p with a malformed pid: exit 2" test "$rc" -eq 2
run L -p -5
check "-p with a negative pid: exit 2" test "$rc" -eq 2
run L -r -n -o PID -m 1000
want=$(for d in "$ROOT"/proc/[0-9]*; do [ "$(cat "$d/oom_score")" -ge 1000 ] && echo "${d##*/}"; done | sort -n | tr '\n' ' ')
check "--min-score 1000 keeps oom_score >= 1000 ($want)" test -n "$want" -a "$(printf '%s\n' "$out" | sort -n | tr '\n' ' ')" = "$want"
run L -m abc
check "--min-score with a non-number: exit 2" test "$rc" -eq 2
run L -t 0
check "--top 0: exit 2" test "$rc" -eq 2
run L -u no-such-user-here
check "-u with an unknown user: exit 2" test "$rc" -eq 2
cg=$(sed -n 's/^[0-9]*:memory://p' "$ROOT/proc/5658/cgroup")
run L -r -n -o PID,CGROUP -c "$cg"
want=$(grep -lx "[0-9]*:memory:$cg" "$ROOT"/proc/[0-9]*/cgroup | sed 's|.*/proc/\([0-9]*\)/cgroup|\1|' | sort -n | tr '\n' ' ')
check "-c selects by memory cgroup ($cg): pids $want, no other cgroup" eval \
	'[ -n "$want" ] && [ "$(printf "%s\n" "$out" | awk "{print \$1}" | sort -n | tr "\n" " ")" = "$want" ] &&
	 [ "$(printf "%s\n" "$out" | awk "{print \$2}" | sort -u)" = "$cg" ]'
run L -r -n -o PID -c "${cg%?}"
check "-c matches whole path components only" eval '[ "$rc" -eq 0 ] && [ -z "$out" ]' 
run L -c relative
check "-c without a leading /: exit 2" test "$rc" -eq 2

# --- output formats
run L -o PID,NOSUCH
check "-o with an unknown column: exit 2, names it" eval '[ "$rc" -eq 2 ] && [[ "$err" == *NOSUCH* ]] && [ -z "$out" ]'
run L -o +OOMADJ
check "-o +LIST extends the defaults" eval '[[ "$(head -n 1 <<<"$out")" == *PID*USER*SCORE*COMM*OOMADJ* ]]'
run L -o pid,comm
check "column names are case-insensitive" test "$(head -n 1 <<<"$out" | tr -s ' ')" = " PID COMM"
run L -n -o PID
check "-n drops the heading" eval '[ -n "$out" ] && ! grep -q PID <<<"$out"'
run L -H
check "-H lists every column" eval '[ "$rc" -eq 0 ] && grep -q BADNESS <<<"$out" && grep -q KILLABLE <<<"$out"'
run L -J -r
check "-J with -r: exit 2" test "$rc" -eq 2
run L -r -n -o PID,RSS -p 5658
check "tables use human units" eval '[[ "$out" =~ ^5658\ [0-9.]+M$ ]]'
want=$(awk '/^RssAnon:|^RssFile:|^RssShmem:/ {s += $2} END {print s * 1024}' "$ROOT/proc/5658/status")
run L -r -n -o PID,RSS -p 5658 --bytes
check "--bytes prints exact bytes" test "$out" = "5658 $want"
run L extra-arg
check "an extra argument: exit 2" test "$rc" -eq 2

# --- untrusted names: the fixture's pid 5661 is named ev<ESC>[31mil<TAB>tab
esc=$(printf '\033')
for fmt in "" "-r"; do
	run L $fmt -o PID,COMM,CMDLINE
	check "table ${fmt:-(default)}: no raw ESC or TAB reaches the terminal" eval 'grep -q "^ *5661 " <<<"$out" && ! grep -q "[$esc	]" <<<"$out"'
	check "table ${fmt:-(default)}: the ESC is shown as \\x1b" eval 'grep -qF "ev\\x1b[31mil\\x09tab" <<<"$out"'
done
run L -J -o COMM -p 5661
check "JSON keeps the real name, escaped by JSON" test "$(jq -r '.processes[0].comm' <<<"$out")" = "$(printf 'ev\033[31mil\ttab')"
run L -J -o COMM -p 5662
check "a name with ') (' is read whole" test "$(jq -r '.processes[0].comm' <<<"$out")" = "x) (y"
run L -r -n -o COMM -p 5662
check "raw output escapes the space, as util-linux raw output does" test "$out" = 'x)\x20(y'

# --- edited copies of the fixture
EDIT=$TMP/root
cp -a "$ROOT" "$EDIT"
# hand edit: what the kernel shows for oom_score_adj -1000 (not settable here)
echo -1000 > "$EDIT/proc/5659/oom_score_adj"; echo -17 > "$EDIT/proc/5659/oom_adj"; echo 0 > "$EDIT/proc/5659/oom_score"
# hand edit: an unreadable file (a directory where oom_score was: EISDIR)
rm "$EDIT/proc/5660/oom_score"; mkdir "$EDIT/proc/5660/oom_score"
# hand edit: a process directory with no files (on a live system, one that
# exited mid-scan; in a copied tree nothing exits: its files are missing)
mkdir "$EDIT/proc/31337"
run "$OOMLENS" --sysroot "$EDIT" list -J -o PID,SCORE,BADNESS,KILLABLE,COMM
check "edited tree: exit 0" test "$rc" -eq 0
check "adj -1000: killable false, badness null" test "$(jq -c '.processes[] | select(.pid == 5659) | [.killable, .badness, .oom_score_adj]' <<<"$out")" = '[false,null,-1000]'
check "unreadable oom_score: null, and the rest of the row stays" test "$(jq -c '.processes[] | select(.pid == 5660) | [.oom_score, .comm, (.badness > 0)]' <<<"$out")" = '[null,"shm-user",true]'
check "unreadable file: a note on stderr" eval '[[ "$err" == *"unreadable"* ]]'
check "a copied tree's process with missing files is a row of unknown fields, not dropped" test \
	"$(jq -c '.processes[] | select(.pid == 31337) | [.comm, .oom_score, .badness]' <<<"$out")" = '[null,null,null]'
check "... and a note names each missing file" eval '[[ "$err" == *"sysroot: proc/31337/status: missing: its fields are unknown"* ]]'
run "$OOMLENS" --sysroot "$EDIT" list -r -o PID,SCORE,KILLABLE -p 5659,5660
check "table: unknown as '-', unkillable reason in words" eval 'grep -qx "5660 - yes" <<<"$out" && grep -qx "5659 0 no:adj-1000" <<<"$out"'
rm "$EDIT/proc/meminfo"
run "$OOMLENS" --sysroot "$EDIT" list
check "no meminfo: exit 1 with one error line" eval '[ "$rc" -eq 1 ] && [ -z "$out" ] && [ "$(grep -c "" <<<"$err")" -eq 1 ]'

# --- stdout errors
if [ -w /dev/full ]; then
	"$OOMLENS" --sysroot "$ROOT" list >/dev/full 2>"$TMP/err"; rc=$?
	check "writing to /dev/full: exit 1 and a message" eval '[ "$rc" -eq 1 ] && grep -q "write error" "$TMP/err"'
else
	skip "writing to /dev/full" "no /dev/full"
fi

# --- the live system
run "$OOMLENS" list -J -p $$
check "live: list -p \$\$ finds this shell" eval '[ "$rc" -eq 0 ] && [ "$(jq ".processes[0].pid" <<<"$out")" = $$ ]'
run "$OOMLENS" list
check "live: list exits 0 with rows" eval '[ "$rc" -eq 0 ] && [ "$(grep -c "" <<<"$out")" -gt 1 ]'

# --reverse keeps the unkillable last; -p notes the pids it did not find
run L -r -n -o PID,KILLABLE --reverse
check "--reverse: the least likely victim first, the unkillable still last" eval \
	'[ "$(tail -n 1 <<<"$out" | cut -d" " -f2)" != yes ] && [ "$(head -n 1 <<<"$out" | cut -d" " -f2)" = yes ]'
run L -r -n -o PID -p 5658,424242
check "-p with one missing pid: the rest shown, a note for the missing one, exit 0" eval \
	'[ "$rc" -eq 0 ] && [ "$out" = 5658 ] && [[ "$err" == *"no such process: 424242"* ]]'
run "$OOMLENS" help help
check "oomlens help help: the main usage" eval '[ "$rc" -eq 0 ] && [[ "$out" == Usage:* ]]'

# The scanner holds files open and closes them in batches: with few
# descriptors to spare it must still read every file of every process.
run L -J -o PID,PPID,UID,RSS,SCORE,ADJ,OOMADJ,CGROUP,STATE,CMDLINE
full=$out
check "without a descriptor limit: rows on stdout, nothing on stderr" eval \
	'[ "$rc" -eq 0 ] && [ -z "$err" ] && jq_true ".processes | length > 0" <<<"$full"'
for n in 10 12 20; do
	if [ -n "${VALGRIND_LOGS:-}" ]; then
		# valgrind keeps descriptors of its own below the client's limit
		skip "ulimit -n $n: the same rows and fields as without a limit" "under valgrind"
		continue
	fi
	out=$(ulimit -n "$n" && L -J -o PID,PPID,UID,RSS,SCORE,ADJ,OOMADJ,CGROUP,STATE,CMDLINE 2>&1)
	check "ulimit -n $n: the same rows and fields as without a limit" test -n "$full" -a "$out" = "$full"
done

# user names come from the (copied) passwd file: untrusted like process names
cp -r "$ROOT" "$TMP/pwroot"
sed -i "s/^root:/r$(printf '\xe2\x80\xae')\x1b[31moot:/" "$TMP/pwroot/etc/passwd"
run "$OOMLENS" --sysroot "$TMP/pwroot" list -o PID,USER -p 5658
check "a user name with a bidi override and ESC: both defused in the table" eval \
	'! grep -q $'"'"'\xe2\x80\xae'"'"' <<<"$out" && ! LC_ALL=C grep -q $'"'"'\x1b'"'"' <<<"$out" && grep -q "oot" <<<"$out"'
