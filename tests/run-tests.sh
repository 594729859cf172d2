#!/usr/bin/env bash
# Run every test: the cmocka unit binaries given as arguments, then each
# tests/cli/*.sh script (TAP-style "ok"/"not ok" lines).  Ends with one
# "N passed, N failed, N skipped" line and exits 1 if anything failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${OOMLENS:=$here/../oomlens}"
export OOMLENS
passed=0 failed=0 skipped=0
failures=()

for bin in "$@"; do
	out=$("$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	s=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		failed=$((failed + 1))
		failures+=("$bin (exit $rc)")
	elif [ "$f" -ne 0 ]; then
		failures+=("$bin")
	fi
done

for t in "$here"/cli/*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	# ONLY="a b": run just those CLI scripts
	if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then
		continue
	fi
	echo "# $name"
	out=$(bash "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed "s/^/  /"
	p=$(printf '%s\n' "$out" | grep -c '^ok .*# SKIP' || true)
	skipped=$((skipped + p))
	p=$(printf '%s\n' "$out" | grep '^ok ' | grep -vc '# SKIP' || true)
	passed=$((passed + p))
	f=$(printf '%s\n' "$out" | grep -c '^not ok ' || true)
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failures+=("$name")
	elif [ "$rc" -ne 0 ]; then
		failed=$((failed + 1))
		failures+=("$name (exit $rc)")
	fi
done

echo
for f in "${failures[@]+"${failures[@]}"}"; do
	echo "FAILED: $f"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
