#!/usr/bin/env bash
# Hostile input, part two: a pid namespace's init, cgroups thousands of
# levels deep, an empty /proc, a hidden /proc, snapshots with duplicate keys
# or nested JSON, snapshots that must load again, snapshot -o onto a link,
# and log -J on storms.  Every input is built here at test time.  Each run
# has a time limit (a hang fails) and, outside sanitizer and valgrind runs,
# an address-space limit; each check asserts the exact result.
. "$(dirname "$0")/lib.sh"
ROOT=$FIXTURES/root-6.18

limit_v=786432	# 768 MiB of address space
if [ -n "${VALGRIND_LOGS:-}" ] || [ "${SANITIZED:-}" = 1 ]; then
	limit_v=unlimited	# ASan and valgrind reserve far more address space
fi
# T [-t SECONDS] [STDIN-FILE] -- CMD...: run oomlens under the limits;
# sets $out, $err, $rc
T() {
	local in=/dev/null secs=20
	if [ "$1" = -t ]; then secs=$2; shift 2; fi
	if [ "$1" != -- ]; then in=$1; shift; fi
	shift
	( ulimit -v "$limit_v" && timeout "$secs" "$OOMLENS" "$@" ) <"$in" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}
fresh() { rm -rf "$TMP/t" && cp -a "$ROOT" "$TMP/t"; }
has_err() { [[ "$err" == *"$1"* ]]; }

# --- a pid namespace's init is killable; only the global init is exempt
fresh
mkdir "$TMP/t/proc/1/ns"
ln -s 'pid:[4026532178]' "$TMP/t/proc/1/ns/pid"	# as readlink shows it inside unshare -p
T -- --sysroot "$TMP/t" explain -J 1
check "tree whose pid 1 is in another pid namespace: pid 1 has a badness and a rank" \
	jq_true '.processes[0] | .killable == true and .badness != null and .rank != null' <<<"$out"
ln -sf 'pid:[4026531836]' "$TMP/t/proc/1/ns/pid"	# the initial namespace
T -- --sysroot "$TMP/t" explain -J 1
check "... in the initial pid namespace: the global init, never killed" \
	jq_true '.processes[0] | .killable == false and .unkillable_reason == "init is never killed"' <<<"$out"

if ! command -v unshare >/dev/null; then
	skip "live pid namespace: pid 1 ranked as the kernel ranks it" "no unshare"
elif ! unshare -fp --mount-proc true 2>/dev/null; then
	skip "live pid namespace: pid 1 ranked as the kernel ranks it" "unshare -p not permitted"
else
	# pid 1 is the shell: read the kernel's score, then ask oomlens, inside
	unshare -fp --mount-proc sh -c 'cat /proc/1/oom_score; ulimit -v '"$limit_v"'
		timeout 20 "$0" explain -J 1 >"$1/ex.json"; timeout 20 "$0" list -J >"$1/ls.json"' \
		"$OOMLENS" "$TMP" >"$TMP/score" 2>"$TMP/err"
	kscore=$(cat "$TMP/score"); out=$(cat "$TMP/ex.json"); err=$(cat "$TMP/err")
	check "live pid namespace: explain gives pid 1 a badness and the kernel's oom_score ($kscore)" \
		jq_true --argjson k "$kscore" '.processes[0] | .pid == 1 and .killable == true and
			.badness != null and .oom_score == $k and .computed_oom_score == $k' <<<"$out"
	out=$(cat "$TMP/ls.json")
	check "... list gives it a share" \
		jq_true '[.processes[] | select(.pid == 1) | .share_percent != null] == [true]' <<<"$out"
fi

# --- cgroups 4096 levels deep (v2): read to the bottom, or said to be cut
# deep LEVELS [LEVEL:FILE=VALUE...]: a chain of directories "a" under $cg
# (perl: a shell's cd slows down with the length of its $PWD)
deep() {
	perl -e 'my ($n, %w) = (shift, map { /^(\d+):(.*)$/ } @ARGV);
		chdir $ENV{cg} or die;
		for my $i (1 .. $n) {
			mkdir "a"; chdir "a" or die "level $i: $!";
			for (grep { $_ } split /;/, ($w{$i} // "")) {
				my ($f, $v) = split /=/; open my $h, ">", $f or die; print $h "$v\n";
			}
		}' "$@"
}
fresh
export cg=$TMP/t/sys/fs/cgroup
mkdir -p "$cg"
echo memory > "$cg/cgroup.controllers"
deep 4096 '1:memory.max=1073741824' '2047:memory.max=104857600;memory.current=1000' \
	'4096:memory.oom.group=1'
p2047=$(printf '/a%.0s' $(seq 1 2047))	# 4094 bytes: the deepest the kernel shows
p4096=$(printf '/a%.0s' $(seq 1 4096))	# 8192 bytes: no kernel shows it
printf '0::%s\n' "$p2047" > "$TMP/t/proc/5658/cgroup"
printf '0::%s\n' "$p4096" > "$TMP/t/proc/5659/cgroup"
T -- --sysroot "$TMP/t" explain -J 5658
check "a cgroup 2047 levels deep: explain finds the tighter limit at the bottom" \
	jq_true --arg p "$p2047" '.processes[0].memcg | .path == $p and .limit_bytes == 104857600' <<<"$out"
T -- --sysroot "$TMP/t" explain -J 5659
check "a cgroup path of 8192 bytes: its memory cgroup unknown, with a note, not a wrong limit" eval \
	'[ "$rc" -eq 0 ] && jq_true ".processes[0].memcg == null" <<<"$out" &&
	 has_err "process 5659: a cgroup path of 8192 bytes, longer than the kernel shows (4095): its memory cgroup is unknown"'
T -- --sysroot "$TMP/t" audit --no-log -J
check "audit walks all 4096 levels: memory.oom.group at the bottom is a finding" \
	jq_true --arg p "$p4096" '[.findings[] | select(.evidence.cgroup == $p) | .evidence.file] == ["memory.oom.group"]' <<<"$out"
rm -rf "$cg/a"
deep 8193 '8193:memory.oom.group=1'
T -- --sysroot "$TMP/t" audit --no-log -J
check "... 8193 levels, past the bound: the bottom not walked, and a note says so" eval \
	'jq_true "[.findings[] | select(.evidence.file == \"memory.oom.group\")] == []" <<<"$out" &&
	 has_err "memory cgroups deeper than 8192 levels: not audited"'

# --- watch with an empty /proc: one clear line, not a silent exit 1
rm -rf "$TMP/e"; mkdir -p "$TMP/e/proc"
T -- --sysroot "$TMP/e" watch -c 1 1
check "watch on an empty proc: exit 1 and one line naming meminfo" eval \
	'[ "$rc" -eq 1 ] && [ -z "$out" ] && [ "$err" = "oomlens: cannot read $TMP/e/proc/meminfo" ]'

# --- audit unprivileged under hidepid=2: incomplete, said in the result and the status.
# A proc of a new pid namespace is its own mount: remounting it hidepid=2
# leaves the machine's /proc alone.
if ! command -v setpriv >/dev/null || ! unshare -fp --mount-proc true 2>/dev/null; then
	skip "audit as nobody under hidepid=2: incomplete, exit 2" "no setpriv, or unshare -p not permitted"
else
	cp "$OOMLENS" "$TMP/oomlens-bin"; chmod 755 "$TMP" "$TMP/oomlens-bin"
	unshare -fp --mount-proc sh -c 'mount -o remount,hidepid=2 /proc || exit 9
		setpriv --reuid=65534 --regid=65534 --clear-groups timeout 20 "$0" audit --no-log -J' \
		"$TMP/oomlens-bin" >"$TMP/out" 2>"$TMP/err"
	rc=$?; out=$(cat "$TMP/out"); err=$(cat "$TMP/err")
	if [ "$rc" -eq 9 ]; then
		skip "audit as nobody under hidepid=2: incomplete, exit 2" "cannot remount proc with hidepid=2"
	else
		check "audit as nobody under hidepid=2: exit 2, the JSON says processes were hidden" eval \
			'[ "$rc" -eq 2 ] && jq_true ".summary.processes_hidden == true" <<<"$out"'
		check "... and one line says the audit is incomplete" has_err \
			"oomlens: the audit is incomplete: /proc is mounted with hidepid=2 and other users' processes are out of sight; run it as root"
	fi
fi
T -- --sysroot "$ROOT" audit --no-log -J
check "audit of a copied tree: processes_hidden false" jq_true '.summary.processes_hidden == false' <<<"$out"

# --- snapshots load again: values no kernel writes are written as null, with a note
# (oomlens-kernel(7): oom_score_adj -1000..1000, oom_adj -17..15; an oom_score
# before 2.6.36 is an unbounded badness, so 200000 is kept)
fresh
echo -5000 > "$TMP/t/proc/5658/oom_score_adj"
echo 99 > "$TMP/t/proc/5658/oom_adj"
echo 200000 > "$TMP/t/proc/5658/oom_score"
T -- --sysroot "$TMP/t" snapshot -o "$TMP/odd.json"
check "snapshot of oom_score_adj -5000, oom_adj 99: both null, oom_score 200000 kept" eval \
	'[ "$rc" -eq 0 ] && jq_true "[.processes[] | select(.pid == 5658) | [.oom_score_adj, .oom_adj, .oom_score]] == [[null, null, 200000]]" "$TMP/odd.json"'
check "... with one note naming the first" has_err \
	"oomlens: note: 2 values outside the range of its field written as null or at the nearest bound; the first: pid 5658: oom_score_adj -5000 is outside -1000..1000: written as null"
T -- diff "$TMP/odd.json" "$TMP/odd.json"
check "... and diff loads it" eval '[ "$rc" -eq 0 ] && [ -z "$err" ]'

# --- diff: duplicate keys refused, many distinct processes matched in O(n log n)
# snap_rows N AWK-ROW: the fixture's snapshot with N process rows
"$OOMLENS" --sysroot "$ROOT" snapshot -o "$TMP/base.json" 2>/dev/null
snap_rows() {
	jq -c 'del(.processes)' "$TMP/base.json" | sed 's/}$/,"processes":[/'
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%s{\"pid\":%d,\"starttime\":%d,\"ppid\":1,\"uid\":0,\"comm\":\"x\",\"oom_score\":0,\"oom_score_adj\":0,\"rss\":%d,\"swap\":0}", i ? "," : "", '"$2"' }'
	echo ']}'
}
snap_rows 200000 '7, 9, 0' > "$TMP/dup.json"
T -t 60 -- diff "$TMP/dup.json" "$TMP/dup.json"
check "200000 rows of one (pid, starttime): refused with one line naming the duplicate" eval \
	'[ "$rc" -eq 2 ] && [ -z "$out" ] &&
	 [ "$err" = "oomlens: '"'"'$TMP/dup.json'"'"' is not a usable snapshot: processes[0] and processes[1]: the same process twice (pid 7, starttime 9)" ]'
snap_rows 100000 'i + 2, i, i * 4096' > "$TMP/big1.json"
snap_rows 100000 'i + 3, i + 1, i * 4096' > "$TMP/big2.json"	# one left (the first), one appeared
T -t 120 -- diff -J "$TMP/big1.json" "$TMP/big2.json"
check "100000 distinct processes on each side: diff completes" eval \
	'[ "$rc" -le 1 ] && jq_true ".summary | .matched == 99999 and .appeared == 1 and .left == 1" <<<"$out"'

# --- diff's memory: the rows as structs, not the text nor a JSON tree.  Two
# snapshots of 100000 processes as the writer lays them out; the peak RSS of
# diff (from getrusage, kB) is held against the size of the two files.  Before
# diff read rows one at a time it took about 5 times their size.
if [ -n "${VALGRIND_LOGS:-}" ] || [ "${SANITIZED:-}" = 1 ]; then
	skip "diff of two 100000-process snapshots: peak RSS below 1.25 times the files" "sanitizer or valgrind run"
else
	"$TESTS_DIR/helpers/mksnapshot" 100000 > "$TMP/rows1.json"
	"$TESTS_DIR/helpers/mksnapshot" 100000 1 > "$TMP/rows2.json"
	peak=$(python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
		"$OOMLENS" diff -q "$TMP/rows1.json" "$TMP/rows2.json")
	files=$(( ($(stat -c %s "$TMP/rows1.json") + $(stat -c %s "$TMP/rows2.json")) / 1024 ))
	check "diff of two 100000-process snapshots: exit 1, peak RSS (${peak#* } kB) below 1.25 times the files ($files kB)" \
		eval '[ "${peak% *}" -eq 1 ] && [ $(( ${peak#* } * 4 )) -lt $(( files * 5 )) ]'
fi

# --- diff on nested JSON: refused by the lexer, before json-c builds anything
{ printf '{"format":"oomlens-snapshot","version":2,"processes":['
  head -c 3300000 /dev/zero | tr '\0' x | sed 's/x/[],/g'; printf '[]]}'; } > "$TMP/nest.json"
T -t 60 -- diff "$TMP/nest.json" "$TMP/nest.json"
check "10 MB of [] as process rows: exit 2, one line, inside the address-space limit" eval \
	'[ "$rc" -eq 2 ] && [ "$err" = "oomlens: '"'"'$TMP/nest.json'"'"' is not a usable snapshot: processes: an array out of place (byte 54)" ]'
{ head -c 5000000 /dev/zero | tr '\0' '['; } > "$TMP/deep.json"
T -t 60 -- diff "$TMP/deep.json" "$TMP/deep.json"
check "5 MB of [ nested: exit 2, not an oomlens snapshot" eval \
	'[ "$rc" -eq 2 ] && has_err "is not a usable snapshot: not an oomlens snapshot"'

# --- snapshot -o onto a link: followed only when the caller owns link and target
mkdir -p "$TMP/w"; chmod 1777 "$TMP/w"
echo theirs > "$TMP/w/victim"; chown 65534:65534 "$TMP/w/victim"
ln -s "$TMP/w/victim" "$TMP/w/mine"			# root's link to nobody's file
T -- --sysroot "$ROOT" snapshot -o "$TMP/w/mine"
check "snapshot -o onto root's link to nobody's file: refused, the file nobody's and unchanged" eval \
	'[ "$rc" -eq 1 ] && [ "$(stat -c %U "$TMP/w/victim")" = nobody ] && [ "$(cat "$TMP/w/victim")" = theirs ] &&
	 has_err "a symbolic link not yours, or to a file not yours (left as it is)"'
echo ours > "$TMP/w/own"; ln -s "$TMP/w/own" "$TMP/w/ownlink"
T -- --sysroot "$ROOT" snapshot -o "$TMP/w/ownlink"
check "... onto root's link to root's file: followed, the link stays" eval \
	'[ "$rc" -eq 0 ] && [ -L "$TMP/w/ownlink" ] && jq_true ".format == \"oomlens-snapshot\"" "$TMP/w/own"'
