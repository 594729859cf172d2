#!/usr/bin/env bash
# Bad invocations, table-driven: every command with missing, extra and
# malformed arguments gives exit 2, nothing on stdout, and a one-line error
# followed by at most the "Try ... --help" hint.  Never a crash, never 0.
. "$(dirname "$0")/lib.sh"
ROOT=$FIXTURES/root-6.18
mkdir -p "$TMP/dir"
: > "$TMP/empty"

# each row: command and arguments, separated by '|'
cases=(
	"list|-o"
	"list|-o|NOSUCH"
	"list|-o|"
	"list|-o|PID,,COMM"
	"list|-s|nosuch"
	"list|-p|-1"
	"list|-p|0"
	"list|-p|99999999999999999999"
	"list|-p|1,x"
	"list|-u|"
	"list|-m|1e3"
	"list|-t|-5"
	"list|-t|99999999999999999999999"
	"list|-c|noslash"
	"list|stray"
	"list|-J|-r"
	"explain"
	"explain|-1"
	"explain|99999999999999999999"
	"explain|1|--adj|"
	"explain|1|--adj|-1001"
	"explain|1|--rss|-5"
	"explain|1|--rss|10Q"
	"explain|1|--kernel|x.y"
	"explain|--all|1"
	"watch"
	"watch|-i|-1|1"
	"watch|-c|0|1"
	"watch|abc"
	"log|--top|0"
	"log|--since|tomorrow"
	"log|--until|2026-13-45"
	"log|--kernel|banana"
	"log|-b|0"
	"log|--journal|file"
	"log|/nonexistent"
	"log|$TMP/dir"
	"log|/dev/zero"
	"snapshot|extra"
	"snapshot|-o"
	"diff"
	"diff|a|b|c"
	"diff|$TMP/empty"
	"diff|$TMP/dir"
	"diff|/dev/zero"
	"diff|/nonexistent"
	"diff|--threshold|-1|x"
	"diff|--top|lots|x"
	"audit|stray"
	"audit|--format|yaml"
	"audit|--fail-on|sometimes"
	"audit|-c|/nonexistent"
	"help|nosuch"
	"nosuch"
	"LIST"
)
for row in "${cases[@]}"; do
	IFS='|' read -r -a args <<<"$row"
	run "$OOMLENS" --sysroot "$ROOT" "${args[@]}"
	nlines=$(printf '%s' "$err" | grep -c '')
	hint=$(printf '%s\n' "$err" | tail -n 1)
	if [ "$rc" -eq 2 ] && [ -z "$out" ] && { [ "$nlines" -eq 1 ] || { [ "$nlines" -eq 2 ] && [[ "$hint" == Try* ]]; }; } &&
	   [[ "$err" == oomlens:* ]]; then
		ok "oomlens ${row//|/ }: exit 2, one error line"
	else
		not_ok "oomlens ${row//|/ }: exit 2, one error line" "exit $rc, $nlines stderr lines"
	fi
done

# Arguments are quoted back in errors: escaped, so that the error stays one
# line and cannot drive the terminal (ESC, newline, tab, a bidi override)
hostile=$'x\e[2Jy\nz\t\xe2\x80\xaeq'
hostile_check() {
	local what=$1
	shift
	run "$OOMLENS" --sysroot "$ROOT" "$@"
	check "error quoting a hostile argument ($what): escaped, no control byte" eval \
		'[ "$rc" -ne 0 ] && ! LC_ALL=C grep -q "[[:cntrl:]]" <<<"$err" && ! grep -q $'"'"'\xe2\x80\xae'"'"' <<<"$err" && grep -qF '"'"'\x1b[2Jy\x0az\x09'"'"' <<<"$err"'
}
hostile_check "a command" "$hostile"
hostile_check "list -m" list -m "$hostile"
hostile_check "explain --kernel" explain --kernel "$hostile"
hostile_check "log FILE" log "$hostile"
hostile_check "log --since" log --since "$hostile"
hostile_check "diff FILE" diff "$hostile"
hostile_check "audit -c" audit -c "$hostile"
hostile_check "watch -i" watch -i "$hostile" 1
hostile_check "snapshot -o" snapshot -o "/nonexistent/$hostile"
