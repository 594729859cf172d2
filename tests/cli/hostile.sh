#!/usr/bin/env bash
# Hostile process names and command lines, live: renamed with PR_SET_NAME and
# started with a hostile argv[0].  Text output (table, raw, explain, watch,
# diff) must never carry a control character, a C1 control or a bidi
# override to the terminal; JSON must stay valid.
. "$(dirname "$0")/lib.sh"
: "${HOG:=$TESTS_DIR/helpers/hog}"
[ -x "$HOG" ] || { skip "hostile names" "no hog helper"; exit 0; }

names=(
	$'\e[2J\e[31mred'	# terminal escape: clear screen, red
	$'line1\nline2'		# newline: a fake second row
	$'a\tb\rc'		# tab and carriage return
	$'bad\xff\xfe\xc0'	# invalid UTF-8
	$'\xd1\x95shd'		# "sshd" with a Cyrillic dze: a lookalike
	$'abc\xe2\x80\xaedcba'	# right-to-left override
	$'x\xc2\x9b31my'	# C1 CSI
)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$TMP"' EXIT
for n in "${names[@]}"; do
	bash -c 'exec -a "$1" "$2" -a 1 -n "$1"' sh "$n" "$HOG" > "$TMP/ready.${#pids[@]}" &
	pids+=($!)
done
for _ in $(seq 100); do
	[ "$(cat "$TMP"/ready.* 2>/dev/null | grep -c ready)" -eq ${#pids[@]} ] && break
	sleep 0.05
done
list=$(IFS=,; echo "${pids[*]}")

# bytes that must not reach a terminal: C0 controls but newline, DEL, C1 as
# UTF-8, the bidi overrides and isolates, and bytes that are not UTF-8
unsafe() {
	LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' <<<"$1" && return 0
	! iconv -f UTF-8 -t UTF-8 <<<"$1" >/dev/null 2>&1
}
for variant in "list -o PID,COMM,CMDLINE" "list -r -o PID,COMM,CMDLINE" "list -n -o COMM" "explain"; do
	# shellcheck disable=SC2086
	if [ "$variant" = explain ]; then run "$OOMLENS" explain "${pids[@]}"; else run "$OOMLENS" $variant -p "$list"; fi
	if [ "$rc" -eq 0 ] && ! unsafe "$out" && [ "$(grep -c '' <<<"$out")" -ge ${#pids[@]} ]; then
		ok "$variant: every hostile name escaped, nothing unsafe reaches the terminal"
	else
		not_ok "$variant: nothing unsafe reaches the terminal" "exit $rc"
	fi
done
run "$OOMLENS" list -n -o PID -p "$list"
check "a newline in a name does not make a second row" test "$(grep -c '' <<<"$out")" -eq ${#pids[@]}
run "$OOMLENS" watch -c 1 "${pids[@]}"
# the header, then a line per process
check "watch: escaped" eval '[ "$rc" -eq 0 ] && [ "$(head -n 1 <<<"$out" | cut -c1-4)" = TIME ] &&
	[ "$(tail -n +2 <<<"$out" | grep -c "")" -ge ${#pids[@]} ] && ! unsafe "$out"'

for variant in "list -J -o +CMDLINE" "explain -J" ; do
	# shellcheck disable=SC2086
	if [ "$variant" = "explain -J" ]; then run "$OOMLENS" explain -J "${pids[@]}"; else run "$OOMLENS" $variant -p "$list"; fi
	if [ "$rc" -eq 0 ] && jq_true '.processes | length == '"${#pids[@]}" <<<"$out" && iconv -f UTF-8 -t UTF-8 <<<"$out" >/dev/null 2>&1; then
		ok "$variant: valid JSON, valid UTF-8"
	else
		not_ok "$variant: valid JSON, valid UTF-8" "exit $rc"
	fi
done
run "$OOMLENS" list -J -o COMM -p "${pids[0]}"
check "JSON keeps the real name (json-c escapes it)" test "$(jq -r '.processes[0].comm' <<<"$out")" = "${names[0]:0:15}"
run "$OOMLENS" list -J -o COMM -p "${pids[3]}"
check "JSON: invalid UTF-8 becomes U+FFFD" test "$(jq -r '.processes[0].comm' <<<"$out")" = $'bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'
run "$OOMLENS" list -r -n -o COMM -p "${pids[0]}"
check "raw output shows the ESC as \\x1b" test "$out" = '\x1b[2J\x1b[31mred'

# the lookalike: never shown as a plain "sshd" (tables defuse it to U+FFFD,
# explain and raw escape its bytes); JSON keeps the real name
for variant in "list -n -o COMM" "list -r -n -o COMM" "explain"; do
	# shellcheck disable=SC2086
	if [ "$variant" = explain ]; then run "$OOMLENS" explain "${pids[4]}"; else run "$OOMLENS" $variant -p "${pids[4]}"; fi
	check "$variant: the Cyrillic-dze 'sshd' is marked, not passed off as sshd" eval \
		'[ "$rc" -eq 0 ] && ! grep -q $'"'"'\xd1\x95'"'"' <<<"$out" && { grep -qF -e "\xd1\x95shd" -e "\xef\xbf\xbdshd" <<<"$out" || grep -q $'"'"'\xef\xbf\xbdshd'"'"' <<<"$out"; }'
done
run "$OOMLENS" list -J -o COMM -p "${pids[4]}"
check "JSON keeps the lookalike as it is" test "$(jq -r '.processes[0].comm' <<<"$out")" = $'\xd1\x95shd'

"$OOMLENS" snapshot -o "$TMP/a.json"
check "snapshot: valid JSON with the hostile processes" eval 'jq_true "[.processes[] | select(.pid == ${pids[1]})] | length == 1" "$TMP/a.json"'
jq --argjson p "${pids[0]}" '(.processes[] | select(.pid == $p)) |= (.oom_score_adj = 900)' "$TMP/a.json" > "$TMP/b.json"
run "$OOMLENS" diff "$TMP/a.json" "$TMP/b.json"
check "diff: escaped" eval '[ "$rc" -eq 1 ] && ! unsafe "$out" && grep -qF "\\x1b[2J" <<<"$out"'
