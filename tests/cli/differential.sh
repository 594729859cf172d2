#!/usr/bin/env bash
# Differential test: one model, many views.  For trees that
# tests/helpers/mktree builds as kernels 3.2 .. 6.1 show /proc (each with the
# oom_score that kernel's proc_oom_score() prints), every command that reports
# a process's badness, rank, oom_score or share must report the same value,
# and that value must be the kernel's: the badness of the release's era, the
# rank by the release's tie rule and root bonus.  audit reports the
# unkillable processes (no badness, no rank) and their share of memory.
#
# The oracle, in differential.awk beside this file, is the only second copy
# of the kernel's arithmetic in the tree (oomlens-kernel(7) describes it).  It
# reads the trees' own files, and it is checked first against the oom_score
# each tree holds.  RELEASES="..." runs other releases (2.6.36 and later).
. "$(dirname "$0")/lib.sh"
JUDGE=$TESTS_DIR/cli/differential.awk
MKTREE=$TESTS_DIR/helpers/mktree
read -r -a RELEASES <<<"${RELEASES:-3.2.0-4-amd64 3.10.108 4.4.0-210-generic 4.19.0-27-amd64 5.4.0-216-generic 5.15.0-139-generic 6.1.0-34-amd64}"
mkdir -p "$TESTS_DIR/tmp"
TREES=$(mktemp -d "$TESTS_DIR/tmp/differential.XXXXXX")
trap 'rm -rf "$TMP" "$TREES"' EXIT

# --- what each command says, one TSV line per process:
#     pid badness rank oom_score share killable computed ("null": not said)
view_list() {
	# list has no rank column: its rank is the order of the killable rows
	"$OOMLENS" --sysroot "$1" list -k -J -o PID,SCORE,BADNESS,SHARE,KILLABLE |
	jq -r '.processes as $p | [$p[] | select(.killable == true) | .pid] as $ord
		| $p[] | .pid as $x
		| [.pid, .badness, (if .killable == true then ($ord | index([$x])) + 1 else null end),
		   .oom_score, .share_percent, .killable, null] | map(tostring) | join("\t")'
}
view_explain() {
	"$OOMLENS" --sysroot "$1" explain --all -J |
	jq -r '.processes[] | [.pid, .badness, .rank, .oom_score, null, .killable,
		.computed_oom_score] | map(tostring) | join("\t")'
}
view_snapshot() {
	"$OOMLENS" --sysroot "$1" snapshot |
	jq -r '.processes[] | [.pid, .badness, .rank, .oom_score, null, .killable, null]
		| map(tostring) | join("\t")'
}
view_watch() {
	# one sample of every process (a zombie gets an exit event, not a sample)
	local pids=("$1"/proc/[0-9]*)
	"$OOMLENS" --sysroot "$1" watch -c 1 -i 0.01 --jsonl "${pids[@]##*/}" |
	jq -r 'select(has("event") | not) | [.pid, .badness, .rank, .oom_score, .share_percent,
		(.rank != null), null] | map(tostring) | join("\t")'
}
view_audit() {
	# the unkillable processes, their badness and rank (none), and their share of memory
	"$OOMLENS" --sysroot "$1" audit -J |
	jq -r '.findings[] | select(.rule == "unkillable-process" or .rule == "inherited-unkillable")
		| [.pid, .evidence.badness, .evidence.rank, null, .evidence.share_percent, false, null]
		| map(tostring) | join("\t")'
}

python3 "$MKTREE" -m "$TREES" "${RELEASES[@]}" 2>"$TMP/err"
for rel in "${RELEASES[@]}"; do
	t=$TREES/$rel
	if [ ! -e "$t/proc/sys/kernel/osrelease" ]; then
		out='' err=$(cat "$TMP/err") not_ok "$rel: mktree builds the tree"
		continue
	fi
	ok "$rel: mktree builds the tree"
	mm=${rel%%-*}; maj=${mm%%.*}; min=${mm#*.}; min=${min%%.*}

	: >"$TMP/views"
	: >"$TMP/errors"
	for cmd in list explain snapshot watch audit; do
		"view_$cmd" "$t" 2>"$TMP/err" >"$TMP/view"
		while IFS= read -r l; do
			printf '%s\t%s\n' "$cmd" "$l"
		done <"$TMP/view" >>"$TMP/views"
		if [ ! -s "$TMP/view" ]; then
			mapfile -t e <"$TMP/err"
			e=("${e[@]//$'\t'/ }")
			(IFS=$'\037'; printf '%s\t%s\n' "$cmd" "${e[*]:-no output}") >>"$TMP/errors"
		fi
	done

	files=()
	for d in "$t"/proc/[0-9]*; do
		files+=("$d/status" "$d/stat" "$d/oom_score_adj" "$d/oom_score")
	done
	if ! awk -v ver=$((maj * 1000 + min)) -v rel="$rel" -f "$JUDGE" \
		"$t/proc/meminfo" "${files[@]}" "$TMP/views" "$TMP/errors" >"$TMP/verdicts" 2>"$TMP/err" ||
	   [ ! -s "$TMP/verdicts" ]; then
		out='' err=$(cat "$TMP/err") not_ok "$rel: the judge (differential.awk) runs"
		continue
	fi
	while IFS=$'\t' read -r st what evidence; do
		if [ "$st" = ok ]; then
			ok "$what"
		else
			IFS=$'\037' read -r -a ev <<<"$evidence"
			out='' err='' not_ok "$what" "${ev[@]}"
		fi
	done <"$TMP/verdicts"
done
