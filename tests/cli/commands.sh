#!/usr/bin/env bash
# Walk the command table: every command's --help and a bad option, so that a
# new command is checked without anyone remembering to add it.
. "$(dirname "$0")/lib.sh"

run "$OOMLENS" --help
expect_rc "oomlens --help exits 0" 0
cmds=$(printf '%s\n' "$out" | awk '/^Commands:/ {c=1; next} /^$/ {c=0} c && /^  [a-z]/ {print $1}' | grep -vx help)
# the table in main.c has one entry per cmd/cmd-NAME.c: --help must list them all
files=$(cd "$TESTS_DIR/../cmd" && ls cmd-*.c | sed 's/^cmd-\(.*\)\.c$/\1/' | sort)
check "oomlens --help lists every command of cmd/ ($(echo $files))" test "$(sort <<<"$cmds")" = "$files"

for c in $cmds; do
	run "$OOMLENS" "$c" --help
	help=$out
	if [ "$rc" -eq 0 ] && [ -n "$out" ] && [ -z "$err" ]; then
		ok "oomlens $c --help: exit 0, help on stdout only"
	else
		not_ok "oomlens $c --help: exit 0, help on stdout only" "exit $rc"
	fi
	case $out in
	"Usage:"*"oomlens $c"*"For more details see oomlens-$c(1)"*) ok "oomlens $c --help has Usage and the man page" ;;
	*) not_ok "oomlens $c --help has Usage and the man page" ;;
	esac
	run "$OOMLENS" help "$c"
	check "oomlens help $c is oomlens $c --help" eval '[ "$rc" -eq 0 ] && [ -n "$out" ] && [ "$out" = "$help" ]'
	run "$OOMLENS" "$c" --no-such-option
	lines=$(printf '%s' "$err" | grep -c '')
	if [ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$lines" -eq 2 ] &&
	   printf '%s\n' "$err" | tail -n 1 | grep -qx "Try 'oomlens $c --help' for more information."; then
		ok "oomlens $c --no-such-option: exit 2, nothing on stdout, error + one hint line"
	else
		not_ok "oomlens $c --no-such-option: exit 2, nothing on stdout, error + one hint line" "exit $rc, $lines stderr lines"
	fi
	run "$OOMLENS" "$c" --version
	check "oomlens $c --version" eval '[ "$rc" -eq 0 ] && [[ "$out" == "oomlens "[0-9]* ]]'
done

run "$OOMLENS" --version
check "oomlens --version prints the version" eval '[ "$rc" -eq 0 ] && [[ "$out" == "oomlens "[0-9]* ]]'
run "$OOMLENS"
check "no command: exit 2, hint on stderr" eval '[ "$rc" -eq 2 ] && [ -z "$out" ] && [[ "$err" == *"Try "?"oomlens --help"* ]]'
run "$OOMLENS" lis
check "command names match exactly: 'lis' is not 'list'" eval '[ "$rc" -eq 2 ] && [[ "$err" == *"not an oomlens command"* ]]'
run "$OOMLENS" help no-such-command
expect_rc "help for an unknown command exits 2" 2
run "$OOMLENS" --sysroot
expect_rc "--sysroot without a directory exits 2" 2
run "$OOMLENS" --sysroot /nonexistent list
check "--sysroot to a missing directory: exit 1, one error line" eval '[ "$rc" -eq 1 ] && [ -z "$out" ] && [[ "$err" == *"cannot open sysroot"* ]]'
