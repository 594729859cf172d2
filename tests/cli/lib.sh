# Helpers for the CLI tests: TAP-style output read by tests/run-tests.sh.
# Each check prints "ok N - what" or "not ok N - what" with the evidence.
set -u
: "${OOMLENS:?OOMLENS must name the binary under test}"
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FIXTURES=$TESTS_DIR/fixtures
TMP=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
_n=0

# run CMD...: sets $out, $err, $rc
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

ok() { _n=$((_n + 1)); echo "ok $_n - $1"; }
skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }
not_ok() {
	_n=$((_n + 1))
	echo "not ok $_n - $1"
	shift
	for l in "$@"; do printf '#   %s\n' "$l"; done
	[ -n "${out-}" ] && printf '#   stdout: %s\n' "$(printf '%s' "$out" | head -c 2000)"
	[ -n "${err-}" ] && printf '#   stderr: %s\n' "$(printf '%s' "$err" | head -c 2000)"
	return 0
}

# check DESC CONDITION-COMMAND...
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*"; fi
}

# JSONSCHEMA_PY: a python3 that has the jsonschema module (Debian:
# python3-jsonschema), looked for once; empty where there is none
jsonschema_python() {
	local p
	if [ -z "${JSONSCHEMA_PY+set}" ]; then
		JSONSCHEMA_PY=
		for p in /usr/bin/python3 python3; do
			if command -v "$p" >/dev/null && "$p" -c 'import jsonschema' 2>/dev/null; then
				JSONSCHEMA_PY=$p
				break
			fi
		done
	fi
	[ -n "$JSONSCHEMA_PY" ]
}

# valid DESC SCHEMA [--lines]: $out (the last run's output) against
# schema/SCHEMA, by tests/helpers/validate-json; skipped without jsonschema
valid() {
	local desc=$1 schema=$2 opt=${3:-} res st
	if ! jsonschema_python; then
		skip "$desc: valid against $schema" "python3 with the jsonschema module is not installed (Debian: python3-jsonschema)"
		return
	fi
	res=$(printf '%s\n' "$out" | "$JSONSCHEMA_PY" "$TESTS_DIR/helpers/validate-json" $opt "$TESTS_DIR/../schema/$schema" 2>&1)
	st=$?
	if [ -n "$out" ] && [ "$st" -eq 0 ]; then
		ok "$desc: valid against $schema"
	else
		not_ok "$desc: valid against $schema" "exit $rc, validator exit $st" "$res"
	fi
}

# jq_true JQ-ARGS...: jq prints exactly "true" (one document, one answer).
# Not "jq -e": jq 1.6 exits 0 on empty input, so a check with -e passes when
# the command under test printed nothing or wrote an empty file.
jq_true() { [ "$(jq "$@" 2>/dev/null)" = true ]; }

expect_rc() {
	local desc=$1 want=$2
	if [ "$rc" -eq "$want" ]; then ok "$desc"; else not_ok "$desc" "exit $rc, wanted $want"; fi
}

# Field N (as proc(5) numbers them) of a /proc/PID/stat file; the comm may
# hold spaces and parentheses, so count from after its last ')'.
stat_field() {
	sed 's/.*) //' "$1" | awk -v n="$2" '{ print $(n - 2) }'
}
# Replace field N of a stat file with VALUE, in place.
set_stat_field() {
	local head tail
	head=$(sed 's/\(.*) \).*/\1/' "$1")
	tail=$(sed 's/.*) //' "$1" | awk -v n="$(($2 - 2))" -v v="$3" '{ $n = v; print }')
	printf '%s%s\n' "$head" "$tail" > "$1"
}
# The rss the kernel's OOM killer reads, in pages, for a /proc/PID directory
# of a kernel RELEASE (oomlens-kernel(7), "Counters"): from 6.2 to 6.19 the
# fast read of the per-CPU counters, which stat's rss is (status is exact
# from 6.16); RssAnon + RssFile + RssShmem before 6.2 and from 7.0.
oom_rss_pages() {
	local d=$1 rel=$2 maj min
	IFS=. read -r maj min _ <<<"$rel"
	if [ "$maj" -eq 6 ] && [ "$min" -ge 2 ]; then
		stat_field "$d/stat" 24
	else
		awk '/^RssAnon:|^RssFile:|^RssShmem:/ { p += int($2 / 4) } END { print p + 0 }' "$d/status"
	fi
}

# memcg_v1_setup NAME LIMIT-BYTES WHAT: a cgroup-v1 memory cgroup $cg
# (/sys/fs/cgroup/memory/NAME) limited to LIMIT-BYTES, swap included, with
# the OOM killer on, for the memcg tests.  A trap on EXIT kills every pid
# the test adds to the array $pids, removes the cgroup (once the kernel has
# let go of it) and $TMP.  Where it cannot run (no writable v1 controller,
# no readable kernel log, no hog helper) it skips WHAT and exits.
memcg_v1_setup() {
	local memcg=/sys/fs/cgroup/memory
	: "${HOG:=$TESTS_DIR/helpers/hog}"
	if [ ! -w "$memcg" ] || [ ! -e "$memcg/memory.limit_in_bytes" ]; then
		skip "$3" "no writable cgroup-v1 memory controller at $memcg (cgroup v2-only host?)"
		exit 0
	fi
	if ! dmesg >/dev/null 2>&1 || [ ! -r /dev/kmsg ]; then
		skip "$3" "the kernel log is not readable"
		exit 0
	fi
	[ -x "$HOG" ] || { skip "$3" "no hog helper"; exit 0; }
	cg=$memcg/$1
	pids=()
	trap _memcg_cleanup EXIT
	mkdir "$cg" || { not_ok "create $cg"; exit 0; }
	echo "$2" > "$cg/memory.limit_in_bytes"
	[ -e "$cg/memory.memsw.limit_in_bytes" ] && echo "$2" > "$cg/memory.memsw.limit_in_bytes" 2>/dev/null
	echo 0 > "$cg/memory.oom_control" 2>/dev/null	# OOM killer on (the default)
}
_memcg_cleanup() {
	[ "${#pids[@]}" -gt 0 ] && kill -9 "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	for _ in $(seq 50); do
		[ -d "$cg" ] || break
		rmdir "$cg" 2>/dev/null && break
		sleep 0.1
	done
	rm -rf "$TMP"
}
