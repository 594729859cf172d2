#!/usr/bin/env bash
# Benchmark (not a test): oomlens log --summary against grep -c 'Killed process'
# on the same large log, in the same run, interleaved.
#   bench/log-vs-grep.sh [-s MiB] [-r runs]     (default 512 MiB, 3 runs)
# Two logs of real kernel text.  Typical: the logs of tests/fixtures/oomlogs
# (OOM events of every era and wrapper) spread through unrelated real kernel
# lines taken from them (about one event per 500 KiB), repeated to the size
# asked; goal: oomlens within 1.5x grep's wall time.  Storm: the fixture logs
# back to back (an event with its task table every few KiB), a quarter of
# the size; goal: within 8x.  Prints the time ratios and peak RSS.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib.sh"
OOMLENS=${OOMLENS:-$repo/oomlens}
size=512 runs=3
while getopts s:r: o; do
	case $o in
	s) size=$OPTARG ;;
	r) runs=$OPTARG ;;
	*) echo "usage: $0 [-s MiB] [-r runs]" >&2; exit 2 ;;
	esac
done
work=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-logbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/runstat" "$here/runstat.c"

# the noise: real kernel lines that are no part of an OOM event (what the
# fixture logs hold before their first event), about 500 KiB of them between
# two events; each block holds every fixture log once, so 20 events of every
# era and wrapper per 10 MiB
for f in "$repo"/tests/fixtures/oomlogs/*.log; do
	awk '/oom|Killed|Tasks state|Mem-Info|Call Trace|cpuset|Out of/ {exit} {print}' "$f"
done > "$work/noise"
for _ in $(seq 50); do cat "$work/noise"; done > "$work/filler"
for f in "$repo"/tests/fixtures/oomlogs/*.log; do
	cat "$work/filler" "$f"
done > "$work/block"
block=$(stat -c %s "$work/block")
n=$(( size * 1048576 / block + 1 ))
for _ in $(seq "$n"); do cat "$work/block"; done > "$work/big.log"
bytes=$(stat -c %s "$work/big.log")
echo "log: $((bytes / 1048576)) MiB, $(wc -l < "$work/big.log") lines, $(grep -c 'Killed process' "$work/big.log") 'Killed process' lines"


# race LABEL FILE GOAL: grep and oomlens on FILE, interleaved, and whether
# oomlens's median wall time is within GOAL times grep's (peak RSS < 16 MiB)
race() {
	local label=$1 file=$2 goal=$3 w m s g o bytes tg=() to=() rg=() ro=()
	bytes=$(stat -c %s "$file")
	cat "$file" > /dev/null	# in the page cache for both
	for _ in $(seq "$runs"); do
		# GNU grep stops at the first match when its output is /dev/null (as
		# runstat makes it): give both a real file to write to
		read -r w m _ _ s < <("$work/runstat" sh -c 'exec grep -c "Killed process" "$1" > "$2"' sh "$file" "$work/out")
		tg+=("$w"); rg+=("$m")
		read -r w m _ _ s < <("$work/runstat" sh -c 'exec "$1" log --summary "$2" > "$3"' sh "$OOMLENS" "$file" "$work/out")
		[ "$s" = 0 ] || { echo "oomlens log exited $s" >&2; exit 1; }
		to+=("$w"); ro+=("$m")
	done
	g=$(median "${tg[@]}") o=$(median "${to[@]}")
	awk -v l="$label" -v g="$g" -v o="$o" -v b="$bytes" -v goal="$goal" \
	    -v rg="$(median "${rg[@]}")" -v ro="$(median "${ro[@]}")" 'BEGIN {
		printf "%s: grep -c \"Killed process\"  median %8.1f ms  %7.1f MiB/s  peak %6d kB\n", l, g / 1e6, b / 1048576 / (g / 1e9), rg
		printf "%s: oomlens log --summary     median %8.1f ms  %7.1f MiB/s  peak %6d kB\n", l, o / 1e6, b / 1048576 / (o / 1e9), ro
		printf "%s: oomlens takes %.2fx grep'"'"'s time (goal <= %.1fx); peak RSS %d kB (goal < 16384 kB): %s\n",
			l, o / g, goal, ro, (o / g <= goal && ro < 16384) ? "PASS" : "FAIL"
	}'
}

race typical "$work/big.log" 1.5

# An OOM storm: nothing but OOM events, each with its task table, one every
# few KiB (the fixture logs back to back), a quarter of the size
for f in "$repo"/tests/fixtures/oomlogs/*.log; do cat "$f"; done > "$work/events"
n=$(( size * 262144 / $(stat -c %s "$work/events") + 1 ))
for _ in $(seq "$n"); do cat "$work/events"; done > "$work/storm.log"
echo "storm: $(($(stat -c %s "$work/storm.log") / 1048576)) MiB, $(grep -c 'Killed process' "$work/storm.log") 'Killed process' lines, an event every $(( $(stat -c %s "$work/storm.log") / 1024 / ($(grep -c 'Killed process' "$work/storm.log") + 1) )) KiB"
race storm "$work/storm.log" 8
