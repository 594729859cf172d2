#!/usr/bin/env bash
# The man pages and the shell completions against the binary's own help: every
# command of 'oomlens --help', every option of each command's --help and every
# column of 'oomlens list -H' must be in the pages and in all three completions,
# so that a new option or column cannot be forgotten there.  Then mandoc -Tlint,
# the zsh and fish syntax, and the bash and fish completions run for real.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$TESTS_DIR/.." && pwd)
MAN=$REPO/man
BASHC=$REPO/completions/oomlens.bash
ZSHC=$REPO/completions/_oomlens
FISHC=$REPO/completions/oomlens.fish

# has_word FILE WORD: WORD in FILE, not as part of a longer option or name
has_word() {
	grep -Eq -- "(^|[^A-Za-z0-9_-])$2([^A-Za-z0-9_-]|\$)" "$1"
}

# options_of HELP-TEXT: "-X --long" or "--long" per option of the Options: section
options_of() {
	printf '%s\n' "$1" | awk '
		/^Options:/ { o = 1; next }
		/^$/ { o = 0 }
		o && match($0, /^ *(-[A-Za-z0-9], )?--[a-z0-9][a-z0-9-]*/) {
			s = substr($0, RSTART, RLENGTH)
			sub(/^ */, "", s); sub(/,/, "", s)
			print s
		}'
}

# descriptions_of HELP-TEXT: "--long<TAB>description" per option, the wrapped
# continuation lines joined
descriptions_of() {
	printf '%s\n' "$1" | awk '
		function flush() { if (opt != "") print opt "\t" desc; opt = "" }
		/^Options:/ { o = 1; next }
		/^$/ { flush(); o = 0 }
		!o { next }
		/^ *-/ {
			flush()
			match($0, /--[a-z0-9][a-z0-9-]*/)
			opt = substr($0, RSTART, RLENGTH)
			desc = $0
			sub(/^ *(-[A-Za-z0-9], )?--[a-z0-9-]+( <[^>]*>|\[=<[^>]*>\])? +/, "", desc)
			next
		}
		{ line = $0; sub(/^ +/, "", line); desc = desc " " line }
		END { flush() }'
}

run "$OOMLENS" --help
expect_rc "oomlens --help exits 0" 0
main_help=$out
out= err=	# what not_ok shows is only a run's own output
cmds=$(printf '%s\n' "$main_help" | awk '/^Commands:/ {c=1; next} /^$/ {c=0} c && /^  [a-z]/ {print $1}')
check "oomlens --help lists commands, help among them" eval '[ -n "$cmds" ] && printf "%s\n" "$cmds" | grep -qx help'

# --- the commands: in oomlens(1), in every completion, each with its page
for c in $cmds; do
	check "command $c is in oomlens(1)'s command list" grep -Eq "^\\.It Cm $c( |\$)" "$MAN/oomlens.1"
	check "command $c is in the bash completion" has_word "$BASHC" "$c"
	check "command $c is in the zsh completion" grep -Eq "['\"]$c:" "$ZSHC"
	check "command $c is in the fish completion" grep -Eq -- "-a $c -d " "$FISHC"
	[ "$c" = help ] && continue
	check "command $c has a man page, and oomlens(1) refers to it" \
		eval '[ -f "$MAN/oomlens-$c.1" ] && grep -q "^\\.Xr oomlens-$c 1" "$MAN/oomlens.1"'
done

# --- the options of oomlens and of each command
for c in "" $cmds; do
	[ "$c" = help ] && continue
	if [ -z "$c" ]; then
		name=oomlens page=$MAN/oomlens.1 help=$main_help
	else
		name="oomlens $c" page=$MAN/oomlens-$c.1
		run "$OOMLENS" "$c" --help
		help=$out
		out= err=
	fi
	opts=$(options_of "$help")
	if [ -z "$opts" ]; then
		not_ok "$name --help lists options"
		continue
	fi
	while read -r short long; do
		if [ -z "$long" ]; then
			long=$short short=
		fi
		item="^\\.It Fl -${long#--}( |\$)"
		[ -n "$short" ] && item="^\\.It Fl ${short#-} , Fl -${long#--}( |\$)"
		check "$name ${short:+$short, }$long: an item in $(basename "$page")" grep -Eq -- "$item" "$page"
		check "$name $long: in the bash completion" has_word "$BASHC" "$long"
		check "$name $long: in the zsh completion" has_word "$ZSHC" "$long"
		check "$name $long: in the fish completion" grep -Eq -- "-l ${long#--}( |\$)" "$FISHC"
	done <<<"$opts"
	# an option line options_of cannot read (a short option alone) would escape every check
	lines=$(printf '%s\n' "$help" | awk '/^Options:/ {o = 1; next} /^$/ {o = 0} o && /^ *-/' | grep -c '')
	check "$name --help: each of its $lines option lines has a long option" test "$(grep -c '' <<<"$opts")" -eq "$lines"
	# the completions describe each option in the words of --help
	while IFS=$'\t' read -r long desc; do
		check "$name $long: zsh describes it as --help does" grep -qF -- "[$desc]" "$ZSHC"
		check "$name $long: fish describes it as --help does" grep -qF -- "$desc" "$FISHC"
	done < <(descriptions_of "$help")
done

# --- the columns of list
run "$OOMLENS" list -H
expect_rc "oomlens list -H exits 0" 0
columns=$(printf '%s\n' "$out" | awk 'NR > 1 && NF {print $1}')
list_h=$out
out= err=
check "oomlens list -H lists columns" test -n "$columns"
while read -r col coldesc; do
	# the line after ".It Cm COL" starts with the -H description
	got=$(awk -v c=".It Cm $col" '$0 == c {getline; print; exit}' "$MAN/oomlens-list.1")
	check "column $col: in oomlens-list(1) with the description of -H" \
		eval '[ -n "$got" ] && [[ "$got" == "$coldesc"* ]]'
	check "column $col: in the bash completion" has_word "$BASHC" "$col"
	check "column $col: in the zsh completion, described as -H does" grep -qF -- "$col:$coldesc" "$ZSHC"
	check "column $col: in the fish completion, described as -H does" \
		grep -qF -e "$col\\t'$coldesc'" -e "$col\\t\"$coldesc\"" "$FISHC"
done < <(printf '%s\n' "$list_h" | awk 'NR > 1 && NF {n = $1; sub(/^ *[A-Z][A-Z-]* +/, ""); print n, $0}')
check "oomlens-list(1) names the default columns" grep -q "PID,USER,SCORE,ADJ,SHARE,RSS,SWAP,UNIT,COMM" "$MAN/oomlens-list.1"

# --- oomlens-kernel(7), the kernel's behaviour that the other pages point to
KERNEL7=$MAN/oomlens-kernel.7
# see_also PAGE: the .Xr lines of PAGE's SEE ALSO section
see_also() {
	awk '/^\.Sh / { s = ($0 == ".Sh SEE ALSO"); next } s && /^\.Xr / { print $2, $3 }' "$1"
}
check "man/oomlens-kernel.7 exists" test -f "$KERNEL7"
for page in "$MAN"/*.[1-8]; do
	[ "$page" = "$KERNEL7" ] && continue
	check "$(basename "$page"): SEE ALSO names oomlens-kernel(7)" \
		eval 'see_also "$page" | grep -qx "oomlens-kernel 7"'
done
for xr in "oomlens 1" "oomlens-explain 1" "oomlens-list 1" "oomlens-log 1" "proc 5"; do
	check "oomlens-kernel(7): SEE ALSO names ${xr% *}(${xr#* })" \
		eval 'see_also "$KERNEL7" | grep -qx "$xr"'
done
check "oomlens-kernel(7) has the section MYTHS IN OLDER ARTICLES" \
	grep -qx '.Sh MYTHS IN OLDER ARTICLES' "$KERNEL7"

# --- mandoc
if command -v mandoc >/dev/null; then
	pages=("$MAN"/*.[1-8])
	run mandoc -Tlint -Wwarning "${pages[@]}"
	if [ -z "$out$err" ]; then
		ok "mandoc -Tlint -Wwarning: ${#pages[@]} pages, no message"
	else
		not_ok "mandoc -Tlint -Wwarning: ${#pages[@]} pages, no message"
	fi
else
	skip "mandoc -Tlint -Wwarning on man/" "mandoc is not installed"
fi

# --- zsh and fish syntax
if command -v zsh >/dev/null; then
	run zsh -n "$ZSHC"
	check "zsh -n completions/_oomlens" eval '[ "$rc" -eq 0 ] && [ -z "$err" ]'
	check "completions/_oomlens starts with #compdef oomlens" eval '[ "$(head -n 1 "$ZSHC")" = "#compdef oomlens" ]'
else
	skip "zsh -n completions/_oomlens" "zsh is not installed"
fi
if command -v fish >/dev/null; then
	run fish -n "$FISHC"
	check "fish -n completions/oomlens.fish" eval '[ "$rc" -eq 0 ] && [ -z "$err" ]'
else
	skip "fish -n completions/oomlens.fish" "fish is not installed"
fi

# --- bash completion, for real
ROOT=$FIXTURES/root-6.18
BASH_COMPLETION=/usr/share/bash-completion/bash_completion

# bcomp LINE: what completing at the end of LINE offers, one a line, sorted.
# A child bash, as an interactive one would: bash-completion loaded, the
# words split at blanks and at '=' (COMP_WORDBREAKS), the function that
# 'complete -p oomlens' names called with the command, word and previous word.
bcomp() {
	bash --norc --noprofile -c '
		. "$1" || exit 1
		. "$2" || exit 1
		fn=$(complete -p oomlens 2>/dev/null | sed -n "s/.*-F \([^ ]*\).*/\1/p")
		[ -n "$fn" ] || { echo "no complete -F for oomlens" >&2; exit 1; }
		COMP_LINE=$3 COMP_POINT=${#3} COMP_WORDS=()
		for w in $3; do
			while [[ $w == *=* ]]; do
				[ -n "${w%%=*}" ] && COMP_WORDS+=("${w%%=*}")
				COMP_WORDS+=("=")
				w=${w#*=}
			done
			[ -n "$w" ] && COMP_WORDS+=("$w")
		done
		[[ $3 == *[\ =] ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		"$fn" oomlens "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' bcomp "$BASH_COMPLETION" "$BASHC" "$1" 2>"$TMP/bcomp-err" | sort -u | grep -v '^$'
}

# bcheck DESC LINE PREDICATE: PREDICATE (a bash expression over $got, the
# offers one a line) must hold for what LINE completes to
bcheck() {
	local desc=$1 line=$2 pred=$3
	got=$(bcomp "$line")
	if eval "$pred"; then
		ok "bash: $desc"
	else
		not_ok "bash: $desc" "completing '$line' offered: $(printf '%s' "$got" | tr '\n' ' ')" \
			"stderr: $(head -c 500 "$TMP/bcomp-err")"
	fi
}
offers() { printf '%s\n' "$got" | grep -qxF -- "$1"; }
sorted() { printf '%s\n' "$@" | sort -u | grep -v '^$'; }

if [ ! -r "$BASH_COMPLETION" ]; then
	skip "bash completion runs" "bash-completion is not installed ($BASH_COMPLETION)"
else
	cd "$REPO" || exit 1
	all_cmds=$(sorted $cmds)
	bcheck "'oomlens <TAB>' offers every command of --help" \
		"oomlens " '[ "$got" = "$all_cmds" ]'
	bcheck "'oomlens l<TAB>' offers list and log, nothing else" \
		"oomlens l" '[ "$got" = "$(sorted list log)" ]'
	bcheck "'oomlens -<TAB>' offers the global options, not a command's" \
		"oomlens -" 'offers --sysroot && offers --help && offers --version && ! offers --json'
	bcheck "'oomlens --sysroot DIR l<TAB>' skips the option's argument: list, log" \
		"oomlens --sysroot $ROOT l" '[ "$got" = "$(sorted list log)" ]'
	bcheck "'oomlens --sysroot=DIR l<TAB>' too" \
		"oomlens --sysroot=$ROOT l" '[ "$got" = "$(sorted list log)" ]'
	bcheck "'oomlens --sysroot tests/fix<TAB>' offers directories" \
		"oomlens --sysroot tests/fix" '[ "$got" = tests/fixtures ]'
	bcheck "'oomlens help <TAB>' offers the commands but help" \
		"oomlens help " '[ "$got" = "$(printf "%s\n" "$all_cmds" | grep -vx help)" ]'
	bcheck "'oomlens list --js<TAB>' offers --json only" \
		"oomlens list --js" '[ "$got" = --json ]'
	bcheck "'oomlens list --reverse -k --to<TAB>': options after options" \
		"oomlens list --reverse -k --to" '[ "$got" = --top ]'
	bcheck "'oomlens list -o PID,RS<TAB>' offers PID,RSS only" \
		"oomlens list -o PID,RS" '[ "$got" = PID,RSS ]'
	bcheck "'oomlens list -o pid,rs<TAB>': any case in, upper case out" \
		"oomlens list -o pid,rs" '[ "$got" = pid,RSS ]'
	bcheck "'oomlens list -o +an<TAB>' keeps the + of 'add to the defaults'" \
		"oomlens list -o +an" '[ "$got" = +ANON ]'
	bcheck "'oomlens list --output=PID,S<TAB>' offers PID,S... columns" \
		"oomlens list --output=PID,S" '[ "$got" = "$(sorted PID,SCORE PID,SHMEM PID,SWAP PID,SHARE PID,STATE)" ]'
	bcheck "'oomlens list -o <TAB>' offers exactly the columns of list -H" \
		"oomlens list -o " '[ "$got" = "$(sorted $columns)" ]'
	bcheck "'oomlens list --sort sc<TAB>' offers SCORE" \
		"oomlens list --sort sc" '[ "$got" = SCORE ]'
	bcheck "'oomlens list -s <TAB>' offers exactly the columns of list -H, one at a time" \
		"oomlens list -s " '[ "$got" = "$(sorted $columns)" ]'
	bcheck "'oomlens list -s PID,<TAB>' offers no list: --sort takes one column" \
		"oomlens list -s PID," '[ -z "$got" ]'
	bcheck "'oomlens list -t <TAB>' offers nothing for a number" \
		"oomlens list -t " '[ -z "$got" ]'
	fixture_pids=$(cd "$ROOT/proc" && sorted [0-9]*)
	bcheck "'oomlens --sysroot DIR list -p <TAB>' offers the pids of DIR/proc" \
		"oomlens --sysroot $ROOT list -p " '[ "$got" = "$fixture_pids" ]'
	want=$(printf '%s\n' "$fixture_pids" | grep '^566' | sed 's/^/1,/')
	bcheck "'oomlens --sysroot DIR list -p 1,566<TAB>' completes the last pid of the list" \
		"oomlens --sysroot $ROOT list -p 1,566" '[ -n "$got" ] && [ "$got" = "$want" ]'
	want=$(cut -d: -f1 "$ROOT/etc/passwd" | grep '^r' | sort -u)
	bcheck "'oomlens --sysroot DIR list -u r<TAB>' offers the users of DIR/etc/passwd" \
		"oomlens --sysroot $ROOT list -u r" '[ -n "$got" ] && [ "$got" = "$want" ]'
	bcheck "'oomlens list -u ro<TAB>' offers root" \
		"oomlens list -u ro" 'offers root'
	bcheck "'oomlens audit --fail-on <TAB>' offers the severities" \
		"oomlens audit --fail-on " '[ "$got" = "$(sorted info warning error never)" ]'
	# every command: '--<TAB>' offers exactly the long options of its --help
	for c in $cmds; do
		[ "$c" = help ] && continue
		run "$OOMLENS" "$c" --help
		want=$(options_of "$out" | awk '{print $NF}' | sort -u)
		out= err=
		bcheck "'oomlens $c --<TAB>' offers exactly the long options of oomlens $c --help" \
			"oomlens $c --" '[ "$got" = "$want" ]'
	done
	cd - >/dev/null || exit 1
fi

# --- fish completion, for real
if command -v fish >/dev/null; then
	# fcomp LINE: the candidates fish offers, without descriptions, sorted
	fcomp() {
		fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$FISHC" "$1" 2>&1 |
			cut -f1 | sort -u
	}
	fcheck() {
		local desc=$1 line=$2 pred=$3
		got=$(cd "$REPO" && fcomp "$line")
		if eval "$pred"; then
			ok "fish: $desc"
		else
			not_ok "fish: $desc" "completing '$line' offered: $(printf '%s' "$got" | tr '\n' ' ')"
		fi
	}
	fcheck "'oomlens l<TAB>' offers list and log" "oomlens l" '[ "$got" = "$(sorted list log)" ]'
	fcheck "'oomlens --sysroot DIR <TAB>' offers the commands" \
		"oomlens --sysroot $ROOT " '[ "$got" = "$(sorted $cmds)" ]'
	fcheck "'oomlens list --js<TAB>' offers --json" "oomlens list --js" '[ "$got" = --json ]'
	fcheck "'oomlens list -o PID,RS<TAB>' offers PID,RSS" "oomlens list -o PID,RS" '[ "$got" = PID,RSS ]'
	fcheck "'oomlens list -o +an<TAB>' offers +ANON" "oomlens list -o +an" '[ "$got" = +ANON ]'
	fcheck "'oomlens list -s <TAB>' offers exactly the columns of list -H" \
		"oomlens list -s " '[ "$got" = "$(sorted $columns)" ]'
	fcheck "'oomlens --sysroot DIR list -p <TAB>' offers the pids of DIR/proc" \
		"oomlens --sysroot $ROOT list -p " '[ "$got" = "$(cd "$ROOT/proc" && sorted [0-9]*)" ]'
	for c in $cmds; do
		[ "$c" = help ] && continue
		run "$OOMLENS" "$c" --help
		want=$(options_of "$out" | awk '{print $NF}' | sort -u)
		out= err=
		fcheck "'oomlens $c --<TAB>' offers exactly the long options of oomlens $c --help" \
			"oomlens $c --" '[ "$got" = "$want" ]'
	done
else
	skip "fish completion runs" "fish is not installed"
fi
