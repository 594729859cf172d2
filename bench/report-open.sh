#!/usr/bin/env bash
# Benchmark (not a test): how long the HTML report of a big log takes to
# open in a browser.
#   bench/report-open.sh [-n events] [-r runs]     (default 100 events, 3 runs)
# The log: tests/fixtures/oomlogs/008.log (a global OOM with a task table
# of 162 tasks) again and again.  Headless chromium opens the report; a
# copy of it logs, on the console, when its head starts and when its script
# has drawn the page and the page is laid out: that time goes against the
# goal of one second.  The peer, in the same run: chromium showing the log
# itself as text, whole runs of the browser timed against each other.
# Skips (77) without chromium.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib.sh"
OOMLENS=${OOMLENS:-$repo/oomlens}
events=100 runs=3
while getopts n:r: o; do
	case $o in
	n) events=$OPTARG ;;
	r) runs=$OPTARG ;;
	*) echo "usage: $0 [-n events] [-r runs]" >&2; exit 2 ;;
	esac
done
command -v chromium >/dev/null || { echo "report-open: skipped: chromium is not installed (Debian: chromium)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-reportbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/runstat" "$here/runstat.c"
for _ in $(seq "$events"); do cat "$repo/tests/fixtures/oomlogs/008.log"; done > "$work/big.log"
"$OOMLENS" log --format html -o "$work/report.html" "$work/big.log"
echo "log: $(stat -c %s "$work/big.log") bytes, $events events; report: $(stat -c %s "$work/report.html") bytes"
# the timed copy: the CSP would refuse the two console lines added
python3 - "$work/report.html" "$work/timed.html" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8", errors="surrogateescape").read()
s = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', '<script>console.log("OOMT start")</script>', s, count=1)
i = s.rindex("})();")
s = s[:i] + 'void document.body.offsetHeight; console.log("OOMT drawn");' + s[i:]
open(sys.argv[2], "w", encoding="utf-8", errors="surrogateescape").write(s)
PY
browse() {
	rm -rf "$work/profile"
	chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
		--enable-logging=stderr --v=0 --virtual-time-budget=60000 --dump-dom "file://$1" 2>&1 >/dev/null
}
# ms between the two console lines, from chromium's own log stamps (real time)
inpage() {
	grep OOMT | sed -E 's/^\[[0-9]+:[0-9]+:[0-9]+\/[0-9]{2}([0-9]{2})([0-9]{2})\.([0-9]+):.*OOMT ([a-z]+).*/\4 \1 \2 \3/' |
		awk '{t = $2 * 60 + $3 + ("0." $4)} $1 == "start" {s = t} $1 == "drawn" {printf "%.0f\n", (t - s) * 1000}'
}
# one whole run of the browser on URL, in ns of wall time (runstat)
run() {
	rm -rf "$work/profile"
	"$work/runstat" chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
		--virtual-time-budget=60000 --dump-dom "file://$1" 2>/dev/null | awk '{print $1}'
}
ms=() tr=() tl=()
for _ in $(seq "$runs"); do
	ms+=("$(browse "$work/timed.html" | inpage)")
	tr+=("$(run "$work/report.html")")
	tl+=("$(run "$work/big.log")")
done
m=$(median "${ms[@]}") r=$(median "${tr[@]}") l=$(median "${tl[@]}")
awk -v m="$m" -v r="$r" -v l="$l" -v n="$events" 'BEGIN {
	printf "report of %d events: drawn and laid out %d ms after its head began (median; goal < 1000 ms): %s\n", n, m, m < 1000 ? "PASS" : "FAIL"
	printf "a run of chromium: on the report %.2f s, on the log as text %.2f s: %.2fx\n", r / 1e9, l / 1e9, r / l
}'
