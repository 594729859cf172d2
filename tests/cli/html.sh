#!/usr/bin/env bash
# log --format html: the report as a browser draws it.  Headless chromium
# loads each report and dumps the DOM its script built; the DOM is read by
# tests/helpers/dom2json and compared with what `log -J` prints for the
# same log (jq), never with numbers copied from our own output.
. "$(dirname "$0")/lib.sh"
DOM2JSON=$TESTS_DIR/helpers/dom2json
LOGS=$FIXTURES/oomlogs
ART=$TESTS_DIR/tmp/artefacts

# --- without a browser: the file itself
run "$OOMLENS" log --format html "$LOGS/010.log"
check "--format html without -o: exit 2, nothing written" eval '[ "$rc" -eq 2 ] && [ -z "$out" ] && [[ "$err" == *"-o"* ]]'
for bad in "--follow" "--summary"; do
	run "$OOMLENS" log --format html -o "$TMP/x.html" $bad "$LOGS/010.log"
	check "--format html $bad: exit 2, no file" eval '[ "$rc" -eq 2 ] && [ ! -e "$TMP/x.html" ]'
done
echo old > "$TMP/keep.html"
run "$OOMLENS" log --format html -o "$TMP/keep.html" "$TMP/no-such.log"
check "unreadable input: exit 2, the previous report left as it was" eval \
	'[ "$rc" -eq 2 ] && [ "$(cat "$TMP/keep.html")" = old ]'
run "$OOMLENS" log --format html -o /dev/null "$LOGS/010.log"
check "-o a device: refused, exit 1" eval '[ "$rc" -eq 1 ] && [[ "$err" == *"not a regular file"* ]]'

run "$OOMLENS" log --format html -o "$TMP/010.html" "$LOGS/010.log"
check "010: exit 0, one file, nothing on stdout" eval '[ "$rc" -eq 0 ] && [ -z "$out" ] && [ -s "$TMP/010.html" ]'
# the data block, gzip in base64, is the document -J prints
data=$(python3 -c 'import base64, gzip, sys; t = open(sys.argv[1]).read(); m = "id=\"data\">"; a = t.index(m) + len(m)
sys.stdout.write(gzip.decompress(base64.b64decode(t[a:t.index("</script>", a)])).decode("utf-8", "surrogateescape"))' "$TMP/010.html")
check "the data block is -J's document, once" eval \
	'[ "$(jq -S . <<<"$data")" = "$("$OOMLENS" log -J "$LOGS/010.log" | jq -S .)" ] && [ "$(grep -c "id=\"data\"" "$TMP/010.html")" -eq 1 ]'
# the CSP's script hash is the inline script's: openssl computes it here
if command -v openssl >/dev/null; then
	script=$(awk '/^<script>/{p=1} p' "$TMP/010.html" | sed '1s/^<script>//' | sed '/^<\/script>$/,$d')
	want=$(printf '%s\n' "$script" | openssl dgst -sha256 -binary | base64 -w0)
	check "the CSP names the inline script's SHA-256 ($want)" grep -qF "script-src 'sha256-$want'" "$TMP/010.html"
else
	skip "the CSP names the inline script's SHA-256" "openssl is not installed"
fi
# a hundred events of 162 tasks each (008.log again and again), and every
# fixture log once (180 events of every era): each report smaller than its log
for _ in $(seq 100); do cat "$LOGS/008.log"; done > "$TMP/100.log"
cat "$LOGS"/*.log > "$TMP/all.log"
for l in 100 all; do
	run "$OOMLENS" log --format html -o "$TMP/$l.html" "$TMP/$l.log"
	size=$(stat -c %s "$TMP/$l.html") logsize=$(stat -c %s "$TMP/$l.log")
	check "$l.log: the report ($size bytes) is smaller than the log ($logsize) and 3 MiB" eval \
		'[ "$rc" -eq 0 ] && [ "$size" -lt "$logsize" ] && [ "$size" -lt 3145728 ]'
done

if ! command -v chromium >/dev/null; then
	skip "the report in a browser" "chromium is not installed (Debian: chromium)"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	skip "the report in a browser" "python3 is not installed"
	exit 0
fi

# browse URL [ARGS...]: the DOM after the page's script ran, on stdout.
# No network: every host name resolves to nothing.  The page inflates its
# data asynchronously: the virtual time budget lets it finish before the dump.
browse() {
	local url=$1
	shift
	rm -rf "$TMP/chromium"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$TMP/chromium" \
		--disable-background-networking --disable-component-update --disable-sync --disable-extensions \
		--host-resolver-rules="MAP * ~NOTFOUND" --enable-logging=stderr --v=1 --virtual-time-budget=60000 \
		"$@" "$url" 2>>"$TMP/chromium.log"
}
dom() { browse "$1" --dump-dom | "$DOM2JSON"; }

# --- 014.log: 156 events, each victim and prediction as -J has them
# (tests/fixtures/oomlogs/014.log is ../shared/oomlogs/014.log)
if [ -r "$LOGS/014.log" ]; then
	"$OOMLENS" log --format html -o "$TMP/014.html" "$LOGS/014.log"
	j=$("$OOMLENS" log -J "$LOGS/014.log")
	d=$(dom "file://$TMP/014.html")
	check "014: as many event sections as -J has events ($(jq '.events | length' <<<"$j"))" \
		test "$(jq '.events | length' <<<"$d")" = "$(jq '.events | length' <<<"$j")"
	check "014: each section's victim and prediction are -J's" test \
		"$(jq -c '[.events[] | [.victim_pid, .predicted_pid]]' <<<"$d")" = \
		"$(jq -c '[.events[] | [(.victim.pid | if . == null then null else tostring end), (.prediction.pid | if . == null then null else tostring end)]]' <<<"$j")"
	check "014: syslog stamps without a year: the timeline in time, by time_inferred (the marks' order is the times' order)" jq_true \
		--argjson t "$(jq -c '[.events[] | .time_inferred_epoch]' <<<"$j")" \
		'.axis == "inferred" and ([.timeline_marks[] | .x] as $x | [range(1; $x | length) | select(($x[.] < $x[. - 1]) != ($t[.] < $t[. - 1]))] | length == 0) and
		 (.timeline_marks[-1].x - .timeline_marks[0].x) > 500' <<<"$d"
	check "014: one timeline mark per event, of its kind" test \
		"$(jq -c '[.timeline_marks[] | .kind]' <<<"$d")" = "$(jq -c '[.events[] | if .killer == "kernel" then .kind else "userspace" end]' <<<"$j")"
	mkdir -p "$ART"
	browse "file://$TMP/014.html" --window-size=1280,4000 --screenshot="$ART/report-014.png" >/dev/null
	browse "about:blank" --window-size=1280,4000 --screenshot="$TMP/blank.png" >/dev/null
	# distinct byte values in the decompressed image: a blank page has a handful
	colours() {
		python3 -c 'import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
i, idat = 8, b""
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8])
    if t == b"IDAT":
        idat += d[i + 8:i + 8 + n]
    i += 12 + n
print(len(set(zlib.decompress(idat))))' "$1"
	}
	c=$(colours "$ART/report-014.png")
	b=$(colours "$TMP/blank.png")
	check "014: the screenshot is not blank ($c byte values, a blank page $b; tests/tmp/artefacts/report-014.png)" \
		eval '[ "$(stat -c %s "$ART/report-014.png")" -gt 50000 ] && [ "$c" -gt $((b + 50)) ]'
else
	skip "014.log in a browser" "no $LOGS/014.log"
fi

# --- folded until opened: all.log's 180 events, 730 tasks
"$OOMLENS" log -J "$TMP/all.log" > "$TMP/all.json"
d=$(dom "file://$TMP/all.html")
check "all: every event drawn; each task table and each event's lines folded, not made" jq_true --slurpfile j "$TMP/all.json" \
	'(.drawn | tonumber) == ($j[0].events | length) and (.events | length) == ($j[0].events | length) and
	 ([.folds[] | select(.class == "tasktable")] | length) == ([$j[0].events[] | select(.tasks)] | length) and
	 ([.folds[] | select(.class == "raw")] | length) == ($j[0].events | length) and
	 ([.folds[] | select(.open)] | length) == 0 and ([.events[].tables[]] | length) == 0 and (.raw | length) == 0' <<<"$d"
d=$(dom "file://$TMP/all.html#tasks")
check "all#tasks: every task table open and made, its rows -J's tasks; the lines still folded" jq_true --slurpfile j "$TMP/all.json" \
	'([.folds[] | select(.class == "tasktable") | .open] | all) and ([.folds[] | select(.class == "raw") | .open] | any | not) and
	 [.events[] | [.tables[].rows[] | .[0]]] == [$j[0].events[] | [.tasks // [] | .[].pid | tostring]]' <<<"$d"
d=$(dom "file://$TMP/all.html#lines")
check "all#lines: every event's lines open, as -J keeps them; the task tables still folded" jq_true --slurpfile j "$TMP/all.json" \
	'([.folds[] | select(.class == "tasktable") | .open] | any | not) and (.raw | length) == ($j[0].events | length)' <<<"$d"

# --- charts and candidates against -J: 008 (global, Mem-Info, swap), 010 (memcg)
"$OOMLENS" log --format html -o "$TMP/mem.html" "$LOGS/008.log" "$LOGS/010.log"
j=$("$OOMLENS" log -J "$LOGS/008.log" "$LOGS/010.log")
d=$(dom "file://$TMP/mem.html#sort=rss")
ev0=$(jq -c '.events[0]' <<<"$j")
check "008: the RAM segments add up to RAM, free and slab are Mem-Info's, in bytes" jq_true --argjson e "$ev0" \
	'.events[0].charts.ram[0] as $r | ($e.memory.page_size // 4096) as $ps |
	 ($r | add) == $e.memory.ram_pages * $ps and $r.free == $e.mem_info.free * $ps and
	 $r.slab == ($e.mem_info.slab_reclaimable + $e.mem_info.slab_unreclaimable) * $ps' <<<"$d"
check "008: swap used and free are -J's" jq_true --argjson e "$ev0" \
	'.events[0].charts.swap[0] | (.free // 0) == $e.memory.free_swap_bytes and .used == $e.memory.total_swap_bytes - $e.memory.free_swap_bytes' <<<"$d"
ev1=$(jq -c '.events[1]' <<<"$j")
check "010: the memcg chart's usage is -J's usage_bytes" jq_true --argjson e "$ev1" \
	'.events[1].charts.memcg[0].used == $e.memcg.usage_bytes' <<<"$d"
check "008, 010: the candidates are -J's ranking, each bar its terms" jq_true --argjson j "$j" \
	'[.events[] | [.candidates[] | [.rank, .pid]]] == [$j.events[] | .tasks as $t | [.prediction.ranking[] | [.rank, $t[.task].pid]]] and
	 [.events[] | .charts.badness[] | add] == [$j.events[] | .prediction.ranking[] | .rss_pages + .swap_pages + .pgtables_pages + ([.adj_pages, 0] | max)]' <<<"$d"
check "#sort=rss: every task table sorted by RSS, largest first, marked so" jq_true \
	'[.events[].tables[] | (.sort == "rss") and ([.cols[] | select(.col == "rss") | .sort] == ["descending"]) and
	  ([.rows[] | .[4] | tonumber] as $v | $v == ($v | sort | reverse))] | length > 0 and all' <<<"$d"
d=$(dom "file://$TMP/mem.html#sort=name")
check "#sort=name: by name" jq_true '[.events[].tables[] | [.rows[] | .[8]] as $v | $v == ($v | sort)] | all' <<<"$d"

# --- the CSP is enforced: a script added to the file does not run
sed 's|<script type="application/json"|<script>document.title="ran"</script>&|' "$TMP/010.html" > "$TMP/injected.html"
browse "file://$TMP/injected.html" --dump-dom > "$TMP/injected.dom"
check "the CSP: a script not the template's does not run, the template's does" eval \
	'grep -q "<title>OOM events" "$TMP/injected.dom" && grep -q "id=\"ev-1\"" "$TMP/injected.dom"'

# --- hostile names: 008.log with its victim, firefox and mount.ntfs renamed
python3 -c 'import sys
d = open(sys.argv[1], "rb").read()
d = d.replace(b"kwin_x11", b"<script>alert(1)</script>").replace(b"firefox", b"\"a\x27b\xe2\x80\xaegnp.exe")
d = d.replace(b"mount.ntfs", b"x\xff\xfe<img src=x>")
open(sys.argv[2], "wb").write(d)' "$LOGS/008.log" "$TMP/hostile.log"
"$OOMLENS" log --format html -o "$TMP/hostile.html" "$TMP/hostile.log"
d=$(dom "file://$TMP/hostile.html#tasks&lines")
text=$("$OOMLENS" log -t 100000 "$TMP/hostile.log")
check "hostile: two scripts, the template's; no img, iframe, object, embed, link, form" jq_true \
	'.scripts == ["application/gzip", ""] and ([.tags.img, .tags.iframe, .tags.object, .tags.embed, .tags.link, .tags.form] | all(. == null))' <<<"$d"
check "hostile: the victim is shown as text output shows it" eval \
	'v=$(jq -r ".events[0].victim" <<<"$d"); [ "$v" = "<script>alert(1)</script>" ] && grep -qF "the kernel killed $v[" <<<"$text"'
for n in '"a'"'"'b\xe2\x80\xaegnp.exe' 'x\xff\xfe<img src=x>'; do
	check "hostile: $n in the task table, as text output writes it" eval \
		'jq -e --arg n "$n" "[.names[] | select(. == \$n)] | length > 0" <<<"$d" >/dev/null && grep -qF -- "$n" <<<"$text"'
done
check "hostile: the log's lines shown escaped as text output escapes names, no U+202E left" jq_true \
	'(.raw | length) == 1 and (.raw[0] | contains("b\\xe2\\x80\\xaegnp.exe") and contains("<script>alert(1)</script>") and (contains("\u202e") | not))' <<<"$d"
check "hostile: every link stays in the page" jq_true '[.links[] | startswith("#")] | all' <<<"$d"
check "the CSP: nothing but the template's script and style, nothing fetched" jq_true \
	'.csp | startswith("default-src '"'none'"'; script-src '"'sha256-"'") and (contains("unsafe") | not) and (contains("connect-src") | not)' <<<"$d"
# (chromium's own background requests, to Google's hosts, are not the page's)
others=$(grep -Eio "(https?|wss?|ftp)://[^/ \"']*" "$TMP/chromium.log" | grep -Eiv "google(apis)?\.com|gvt1\.com|gstatic\.com" | sort -u)
check "no URL but chromium's own in its log of every page loaded" test -z "$others"
