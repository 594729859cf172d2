#!/usr/bin/env bash
# Hostile sysroots: a copied tree comes from a broken or compromised machine
# and is read as root.  Each tree here is a copy of tests/fixtures/root-6.18
# edited at test time (every edit is written next to its check): FIFOs and a
# device in every file oomlens reads, links that lead out of the tree,
# missing per-process files, PID entries that are no process, hard-linked
# giant command lines, a unit file with a very long line, sizes that would
# wrap.  Each run has a time limit (a hang fails) and, outside sanitizer and
# valgrind runs, an address-space limit; each check asserts the exact note
# or error, the rows that must stay, and that nothing from outside the tree
# appears.
. "$(dirname "$0")/lib.sh"
ROOT=$FIXTURES/root-6.18
PIDS=$(ls -d "$ROOT"/proc/[0-9]* | sed 's|.*/||' | sort -n | jq -sc .)

# a marker outside every tree: in a file, and in oomlens's own environment
OUT=$TMP/outside
mkdir -p "$OUT"
MARK=OOMLENS-MARKER-OUTSIDE-7f3a
printf '%s\n' "$MARK" > "$OUT/secret"
printf '[Service]\nOOMScoreAdjust=-1000\n# %s\n' "$MARK" > "$OUT/evil.service"
export OOMLENS_TEST_MARK=$MARK

# run_t [STDIN-FILE] -- CMD...: run with a 10 s limit and, where it is
# meaningful, 768 MiB of address space; sets $out, $err, $rc
limit_v=786432
if [ -n "${VALGRIND_LOGS:-}" ] || [ "${SANITIZED:-}" = 1 ]; then
	limit_v=unlimited	# ASan and valgrind reserve far more address space
fi
T() {
	local in=/dev/null
	if [ "$1" != -- ]; then in=$1; shift; fi
	shift
	( ulimit -v "$limit_v" && timeout 10 "$OOMLENS" "$@" ) <"$in" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}
# a fresh copy of the fixture
fresh() { rm -rf "$TMP/t" && cp -a "$ROOT" "$TMP/t"; }
no_mark() { ! grep -qF "$MARK" <<<"$out$err"; }
has_err() { [[ "$err" == *"$1"* ]]; }

# --- FIFOs: never opened for reading, so never a hang
fresh
rm "$TMP/t/proc/meminfo"; mkfifo "$TMP/t/proc/meminfo"
T -- --sysroot "$TMP/t" list
check "FIFO proc/meminfo: exit 1 at once, and a note naming it" eval \
	'[ "$rc" -eq 1 ] && has_err "note: sysroot: proc/meminfo: a FIFO, not a regular file: skipped"'

fresh
for f in status cmdline cgroup; do rm "$TMP/t/proc/5658/$f"; mkfifo "$TMP/t/proc/5658/$f"; done
T -- --sysroot "$TMP/t" list -k -J -o PID,COMM,RSS,CGROUP,CMDLINE,ADJ
check "FIFO status, cmdline, cgroup of 5658: every process listed, 5658 included" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq -c "[.processes[].pid] | sort" <<<"$out")" = "$PIDS" ]'
check "... 5658's name (from stat), its memory, cgroup and cmdline unknown, its adj known" test \
	"$(jq -c '.processes[] | select(.pid == 5658) | [.comm, .rss, .cgroup, .cmdline, .oom_score_adj]' <<<"$out")" = \
	'["worker-anon",null,null,null,300]'
for f in status cmdline cgroup; do
	check "... a note for proc/5658/$f" has_err "note: sysroot: proc/5658/$f: a FIFO, not a regular file: skipped"
done

fresh
rm "$TMP/t/etc/passwd"; mkfifo "$TMP/t/etc/passwd"
T -- --sysroot "$TMP/t" list -o PID,USER -p 1
check "FIFO etc/passwd: users shown by number, with a note" eval \
	'[ "$rc" -eq 0 ] && grep -qE "^ +1 +0\$" <<<"$out" && has_err "note: sysroot: etc/passwd: a FIFO, not a regular file: skipped"'

fresh
mkdir -p "$TMP/t/etc/systemd/system/b.service.d" "$TMP/t/etc/oomlens" "$TMP/t/var/log"
mkfifo "$TMP/t/etc/systemd/system/a.service" "$TMP/t/etc/systemd/system/b.service.d/x.conf"
printf '[Service]\nExecStart=/bin/true\n' > "$TMP/t/etc/systemd/system/b.service"
T -- --sysroot "$TMP/t" audit --no-log
check "FIFO unit file and drop-in: audit ends, incomplete: exit 2, not a clean 0 findings" eval \
	'[ "$rc" -eq 2 ] && has_err "the audit is incomplete: 2 unit files could not be read"'
check "... a note for each" eval \
	'has_err "note: sysroot: etc/systemd/system/a.service: a FIFO, not a regular file: skipped" &&
	 has_err "note: sysroot: etc/systemd/system/b.service.d/x.conf: a FIFO, not a regular file: skipped"'
mkfifo "$TMP/t/etc/oomlens/audit.conf"
T -- --sysroot "$TMP/t" audit --no-log
check "FIFO etc/oomlens/audit.conf: exit 2 at once, with a note" eval \
	'[ "$rc" -eq 2 ] && has_err "note: sysroot: etc/oomlens/audit.conf: a FIFO, not a regular file: skipped"'

fresh
mkdir -p "$TMP/t/var/log"; mkfifo "$TMP/t/var/log/kern.log"
T -- --sysroot "$TMP/t" log
check "FIFO var/log/kern.log: log exits 2 at once, with a note" eval \
	'[ "$rc" -eq 2 ] && has_err "note: sysroot: var/log/kern.log: a FIFO, not a regular file: skipped"'
T -- --sysroot "$TMP/t" audit
check "... audit: its log rules skipped, a note, no hang" eval \
	'[ "$rc" -le 1 ] && has_err "note: sysroot: var/log/kern.log: a FIFO, not a regular file: skipped"'

# --- a device: refused before it is opened (/dev/zero would never end)
fresh
rm "$TMP/t/proc/5659/status"; mknod "$TMP/t/proc/5659/status" c 1 5
mkdir -p "$TMP/t/var/log"; mknod "$TMP/t/var/log/kern.log" c 1 5
T -- --sysroot "$TMP/t" list -k -J -o PID,RSS
check "a character device as proc/5659/status: 5659 listed, its memory unknown, a note" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq -c ".processes[] | select(.pid == 5659) | .rss" <<<"$out")" = null ] &&
	 has_err "note: sysroot: proc/5659/status: a character device, not a regular file: skipped"'
T -- --sysroot "$TMP/t" log
check "a character device as var/log/kern.log: exit 2, a note" eval \
	'[ "$rc" -eq 2 ] && has_err "note: sysroot: var/log/kern.log: a character device, not a regular file: skipped"'

# --- links out of the tree: resolved inside it, so they find nothing
fresh
ln -sf "$OUT/secret" "$TMP/t/proc/5658/cmdline"				# absolute
ln -sf "../../../../../../../../../../../../$OUT/secret" "$TMP/t/proc/5659/cmdline"	# relative
ln -sf /proc/self/environ "$TMP/t/proc/5660/cmdline"			# oomlens's environment
ln -sf /proc/self/fd/0 "$TMP/t/proc/5661/status"			# stdin, a pipe
ln -sf "$OUT/secret" "$TMP/t/etc/passwd"
T <(echo) -- --sysroot "$TMP/t" list -k -J -o PID,USER,RSS,CMDLINE
check "links out of the tree: exit 0, every process listed" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq -c "[.processes[].pid] | sort" <<<"$out")" = "$PIDS" ]'
check "... nothing from outside (file or environment) in the output" no_mark
check "... the escaping cmdlines unknown" test \
	"$(jq -c '[.processes[] | select(.pid == 5658 or .pid == 5659 or .pid == 5660) | .cmdline]' <<<"$out")" = '[null,null,null]'
check "... status linked to /proc/self/fd/0: no hang, 5661's memory unknown" test \
	"$(jq -c '.processes[] | select(.pid == 5661) | .rss' <<<"$out")" = null
check "... each named in a note" eval \
	'has_err "proc/5658/cmdline: missing" && has_err "proc/5659/cmdline: missing" &&
	 has_err "proc/5660/cmdline: missing" && has_err "proc/5661/status: missing" && has_err "etc/passwd: missing: users are shown by number"'
T -- --sysroot "$TMP/t" snapshot
check "snapshot of the same tree: every process, nothing from outside" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq -c "[.processes[].pid] | sort" <<<"$out")" = "$PIDS" ] && no_mark'

fresh
mkdir -p "$TMP/t/etc/systemd/system" "$TMP/t/lib/systemd/system"
ln -s "../../../../../../../../../../../../$OUT/evil.service" "$TMP/t/etc/systemd/system/evil.service"
ln -s "$OUT/evil.service" "$TMP/t/etc/systemd/system/evil2.service"
printf '[Service]\nOOMScoreAdjust=-1000\n' > "$TMP/t/lib/systemd/system/inside.service"
ln -s /lib/systemd/system/inside.service "$TMP/t/etc/systemd/system/inside.service"
T -- --sysroot "$TMP/t" audit --no-log -J
check "unit links out of the tree (relative, absolute): not read" eval \
	'! jq -e ".findings[] | select(.evidence.unit == \"evil.service\" or .evidence.unit == \"evil2.service\")" <<<"$out" >/dev/null && no_mark'
check "... an absolute link inside the tree still is" test \
	"$(jq -r '.findings[] | select(.evidence.unit == "inside.service") | .evidence.file' <<<"$out")" = /lib/systemd/system/inside.service

rm -rf "$TMP/p"; mkdir -p "$TMP/p"; ln -s /proc "$TMP/p/proc"
T -- --sysroot "$TMP/p" list
check "proc -> /proc: not the live machine: exit 1, one clear error" eval \
	'[ "$rc" -eq 1 ] && [ -z "$out" ] && has_err "cannot open sysroot" && has_err "Too many levels of symbolic links"'

# --- missing per-process files: in a copy nothing exits, fields are unknown
fresh
printf -- '-1000\n' > "$TMP/t/proc/5659/oom_score_adj"
rm "$TMP/t/proc/5659/cgroup" "$TMP/t/proc/5660/oom_adj" "$TMP/t/proc/5661/status" "$TMP/t/proc/5662/cmdline"
T -- --sysroot "$TMP/t" list -k -J -o PID,RSS,CGROUP,OOMADJ,CMDLINE
check "missing cgroup, oom_adj, status, cmdline: every process still listed" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq -c "[.processes[].pid] | sort" <<<"$out")" = "$PIDS" ]'
check "... with those fields unknown" test \
	"$(jq -c '[.processes[] | select(.pid >= 5659 and .pid <= 5662)] | sort_by(.pid) | map([.cgroup, .oom_adj, .rss, .cmdline] | map(. == null))' <<<"$out")" = \
	'[[true,false,false,false],[false,true,false,false],[false,false,true,false],[false,false,false,true]]'
check "... and a note for each" eval \
	'has_err "proc/5659/cgroup: missing: its fields are unknown" && has_err "proc/5660/oom_adj: missing" &&
	 has_err "proc/5661/status: missing" && has_err "proc/5662/cmdline: missing"'
T -- --sysroot "$TMP/t" snapshot
check "snapshot: every process" eval '[ "$rc" -eq 0 ] && [ "$(jq -c "[.processes[].pid] | sort" <<<"$out")" = "$PIDS" ]'
T -- --sysroot "$TMP/t" audit --no-log -J
check "audit: the -1000 process that lost its cgroup file is still a finding" eval \
	'[ "$rc" -eq 1 ] && jq -e ".findings[] | select(.pid == 5659)" <<<"$out" >/dev/null'

# --- PID entries that are no process: skipped with a note, the scan goes on
fresh
echo junk > "$TMP/t/proc/12345"
ln -s 23456 "$TMP/t/proc/23456"
ln -s 99999 "$TMP/t/proc/34567"
T -- --sysroot "$TMP/t" list -k -J -o PID
check "a file, a link loop and a dangling link as PID entries: exit 0, the real processes listed" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq -c "[.processes[].pid] | sort" <<<"$out")" = "$PIDS" ]'
check "... a note for each" eval \
	'has_err "proc/12345: a file, not a directory: skipped" &&
	 has_err "proc/23456: a loop of symbolic links (or a magic link): skipped" &&
	 has_err "proc/34567: a link to nothing: skipped"'

# --- hard-linked giant cmdlines: read once; command lines in all are capped
fresh
head -c $((20 << 20)) /dev/zero | tr '\0' x > "$TMP/t/proc/5658/cmdline"
for i in $(seq 1 20); do
	cp -a "$TMP/t/proc/5659" "$TMP/t/proc/$((7000 + i))"
	ln -f "$TMP/t/proc/5658/cmdline" "$TMP/t/proc/$((7000 + i))/cmdline"
done
T -- --sysroot "$TMP/t" list -k -J -o PID,CMDLINE
check "20 hard links to a 20 MiB cmdline: list ends inside 768 MiB" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq "[.processes[] | select(.cmdline != null and (.cmdline | length) > 1000)] | length" <<<"$out")" -eq 1 ]'
check "... the others' cmdlines unknown, with a note" eval \
	'[ "$(jq "[.processes[] | select((.pid == 5658 or .pid > 7000) and .cmdline == null)] | length" <<<"$out")" -eq 20 ] &&
	 has_err "cmdline: the same file as another process'"'"'s (a hard link): the command line is unknown"'
T -- --sysroot "$TMP/t" snapshot
check "... snapshot too" eval '[ "$rc" -eq 0 ] && [ "$(jq ".processes | length" <<<"$out")" -eq 30 ]'
fresh
for p in 5658 5659 5660 5661 5662; do truncate -s 60M "$TMP/t/proc/$p/cmdline"; done
T -- --sysroot "$TMP/t" list -k -J -o PID,CMDLINE
check "five 60 MiB cmdlines: the fifth past 256 MiB in all is unknown, with a note" eval \
	'[ "$rc" -eq 0 ] && [ "$(jq "[.processes[] | select(.pid >= 5658 and .pid <= 5662 and .cmdline == null)] | length" <<<"$out")" -eq 1 ] &&
	 has_err "past 256 MiB of command lines in all: the command line is unknown"'

# --- a unit file with a 64 MiB line, then a finding: the line is cut, the finding kept
fresh
mkdir -p "$TMP/t/etc/systemd/system"
{ printf '[Service]\nDescription='; head -c $((64 << 20)) /dev/zero | tr '\0' a; printf '\nOOMScoreAdjust=-1000\n'; } \
	> "$TMP/t/etc/systemd/system/long.service"
T -- --sysroot "$TMP/t" audit --no-log -J
check "a unit file with a 64 MiB line: its finding after the line is reported" test \
	"$(jq -c '.findings[] | select(.evidence.unit == "long.service") | .evidence.line' <<<"$out")" = 3
check "... with a note that the line was cut" has_err \
	"note: sysroot: /etc/systemd/system/long.service: line 2 is longer than 1048576 bytes (systemd refuses such a file): cut, and the rest read"

# --- sizes that would wrap when kB become bytes
fresh
sed -i 's/^RssAnon:.*/RssAnon:\t18014398509481984 kB/' "$TMP/t/proc/5658/status"
T -- --sysroot "$TMP/t" list -b -n -o PID,RSS -p 5658
check "RssAnon of 2^54 kB: unknown, not 0 B nor -1024" eval \
	'[ "$rc" -eq 0 ] && grep -qE "^ *5658 +-\$" <<<"$out" &&
	 has_err "note: sysroot: proc/5658/status: a size of more than 1125899906842624 kB: left unknown"'
fresh
sed -i 's/^MemTotal:.*/MemTotal:       18446744073709551615 kB/' "$TMP/t/proc/meminfo"
T -- --sysroot "$TMP/t" explain 5658
check "MemTotal of 2^64-1 kB: refused with a note, not wrapped" eval \
	'[ "$rc" -ne 0 ] && has_err "note: sysroot: proc/meminfo: a size of more than 1125899906842624 kB: not believed"'

T -- list -u 4294967296
check "list -u 4294967296 (2^32): a usage error, not root's processes" eval \
	'[ "$rc" -eq 2 ] && [ -z "$out" ] && has_err "user ID out of range"'
