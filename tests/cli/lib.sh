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

# jq_true JQ-ARGS...: jq prints exactly "true" (one document, one answer).
# Not "jq -e": jq 1.6 exits 0 on empty input, so a check with -e passes when
# the command under test printed nothing or wrote an empty file.
jq_true() { [ "$(jq "$@" 2>/dev/null)" = true ]; }

expect_rc() {
	local desc=$1 want=$2
	if [ "$rc" -eq "$want" ]; then ok "$desc"; else not_ok "$desc" "exit $rc, wanted $want"; fi
}
