#!/usr/bin/env bash
# --color as util-linux: auto (the default, and --color alone) colours a
# terminal only, and not with NO_COLOR set and non-empty or TERM=dumb;
# always colours a pipe too; never does not colour.  Each picture (explain's
# bar, watch's header, log --summary's histogram) follows it.
. "$(dirname "$0")/lib.sh"
ROOT=$FIXTURES/root-6.18
LOG=$FIXTURES/oomlogs/014.log
export LC_ALL=C.UTF-8 TERM=xterm
unset NO_COLOR
sgr() { grep -q $'\e\\[[0-9;]*m' <<<"$1"; }

for cmd in "explain 5660" "watch -c 1 5660" "log -s $LOG"; do
	name=${cmd%% *}
	# shellcheck disable=SC2086
	run "$OOMLENS" --sysroot "$ROOT" $cmd
	check "$name: no colour in a pipe by default" eval '[ "$rc" -eq 0 ] && ! sgr "$out"'
	# shellcheck disable=SC2086
	run "$OOMLENS" --sysroot "$ROOT" --color $cmd
	check "$name --color (auto): no colour in a pipe" eval '[ "$rc" -eq 0 ] && ! sgr "$out"'
	# shellcheck disable=SC2086
	run "$OOMLENS" --sysroot "$ROOT" --color=always $cmd
	check "$name --color=always: SGR escapes in a pipe" eval '[ "$rc" -eq 0 ] && sgr "$out"'
	# shellcheck disable=SC2086
	run env NO_COLOR=1 "$OOMLENS" --sysroot "$ROOT" --color=always $cmd
	check "$name --color=always: colours despite NO_COLOR" sgr "$out"
	# shellcheck disable=SC2086
	run "$OOMLENS" --sysroot "$ROOT" --color=never $cmd
	check "$name --color=never: no escape" eval '[ "$rc" -eq 0 ] && ! sgr "$out"'
done
run "$OOMLENS" --color=sometimes list
check "--color=sometimes: a usage error" eval \
	'[ "$rc" -eq 2 ] && [ "$(head -n 1 <<<"$err")" = "oomlens: unsupported color mode: '"'"'sometimes'"'"'" ]'

# on a terminal: script(1) gives the command a pty
if command -v script >/dev/null; then
	tty_run() { script -qec "$1" /dev/null </dev/null 2>&1; }
	o=$(tty_run "'$OOMLENS' --sysroot '$ROOT' explain 5660")
	check "a terminal: colour by default" sgr "$o"
	o=$(NO_COLOR=1 tty_run "'$OOMLENS' --sysroot '$ROOT' explain 5660")
	check "a terminal with NO_COLOR=1: no colour" eval '! sgr "$o" && grep -q "terms" <<<"$o"'
	o=$(NO_COLOR= tty_run "'$OOMLENS' --sysroot '$ROOT' explain 5660")
	check "a terminal with NO_COLOR set but empty: colour" sgr "$o"
	o=$(TERM=dumb tty_run "'$OOMLENS' --sysroot '$ROOT' explain 5660")
	check "a terminal with TERM=dumb: no colour" eval '! sgr "$o" && grep -q "terms" <<<"$o"'
	o=$(tty_run "'$OOMLENS' --sysroot '$ROOT' --color=never explain 5660")
	check "a terminal with --color=never: no colour" eval '! sgr "$o" && grep -q "terms" <<<"$o"'
	o=$(tty_run "'$OOMLENS' --sysroot '$ROOT' explain -J 5660")
	check "a terminal: JSON is never coloured" eval '! sgr "$o" && grep -q schema_version <<<"$o"'
else
	skip "--color=auto on a terminal" "script(1) is not installed"
fi
