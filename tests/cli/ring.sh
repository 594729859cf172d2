#!/usr/bin/env bash
# The post-mortem ring: contrib/oomlens-snapshot-ring writes gzip'd
# snapshots atomically and prunes them by count; diff reads gzip'd
# snapshots and --before TIME picks the last one written before TIME.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$TESTS_DIR/.." && pwd)
ROOT=$FIXTURES/root-6.18
R=$TMP/ring
mkdir -p "$R"
"$OOMLENS" --sysroot "$ROOT" snapshot -o "$TMP/s.json"

# three snapshots of the ring, named as the ring names them; the middle one
# shows pid 5658 with oom_score_adj 1000, so a diff tells which was taken
gzip -c "$TMP/s.json" >"$R/snapshot-20261202T080000Z.json.gz"
jq -c '(.processes[] | select(.pid == 5658) | .oom_score_adj) |= 1000' "$TMP/s.json" |
	gzip -c >"$R/snapshot-20261202T080500Z.json.gz"
gzip -c "$TMP/s.json" >"$R/snapshot-20261202T081000Z.json.gz"
: >"$R/notes.txt"

run "$OOMLENS" --sysroot "$ROOT" diff "$R/snapshot-20261202T080000Z.json.gz" "$TMP/s.json"
check "diff reads a gzip'd snapshot: no change" eval '[ "$rc" -eq 0 ] && grep -q "^0 changes" <<<"$out"'
run "$OOMLENS" --sysroot "$ROOT" diff --before 2026-12-02T08:07:00Z "$R" "$TMP/s.json"
check "--before (RFC 3339, Z): the 08:05 snapshot" eval \
	'[ "$rc" -eq 1 ] && grep -q "^before: .*snapshot-20261202T080500Z.json.gz$" <<<"$out"'
run "$OOMLENS" --sysroot "$ROOT" diff --before 2026-12-02T09:10:00.123456+01:00 "$R" "$TMP/s.json"
check "--before with a fraction and an offset: 08:10 is not before 08:10" eval \
	'grep -q "^before: .*snapshot-20261202T080500Z.json.gz$" <<<"$out"'
run "$OOMLENS" --sysroot "$ROOT" diff -J --before @1796200400 "$R" "$TMP/s.json"
check "--before @EPOCH (08:33:20), JSON: the newest, no change" eval \
	'[ "$rc" -eq 0 ] && jq_true ".summary.changes == 0" <<<"$out"'
run "$OOMLENS" --sysroot "$ROOT" diff --before 2026-12-02T07:00:00Z "$R"
check "--before earlier than every snapshot: one line, exit 2" eval \
	'[ "$rc" -eq 2 ] && grep -q "no snapshot in .* was written before that time" <<<"$err" && [ "$(wc -l <<<"$err")" -eq 1 ]'
run "$OOMLENS" diff --before yesterday "$R"
check "--before with a bad time: usage error" eval '[ "$rc" -eq 2 ] && grep -q "invalid time" <<<"$err"'
head -c 200 "$R/snapshot-20261202T080000Z.json.gz" >"$TMP/cut.json.gz"
run "$OOMLENS" --sysroot "$ROOT" diff "$TMP/cut.json.gz" "$TMP/s.json"
check "a cut gzip'd snapshot: an error, not a diff" eval '[ "$rc" -eq 2 ] && [ -n "$err" ]'

# the ring script: atomic, gzip'd, pruned to KEEP by count
W=$TMP/oomlens-at-root
printf '#!/bin/sh\nexec "%s" --sysroot "%s" "$@"\n' "$OOMLENS" "$ROOT" >"$W"
chmod +x "$W"
N=$TMP/ring2
mkdir -p "$N"
for s in 20261201T000000Z 20261201T000500Z 20261201T001000Z; do cp "$R/snapshot-20261202T080000Z.json.gz" "$N/snapshot-$s.json.gz"; done
run env OOMLENS="$W" sh "$REPO/contrib/oomlens-snapshot-ring" "$N" 2 100000
check "ring: exit 0" test "$rc" -eq 0
check "ring: pruned to the 2 newest, the new one kept" eval \
	'[ "$(ls "$N" | wc -l)" -eq 2 ] && [ -e "$N/snapshot-20261201T001000Z.json.gz" ] && ! ls -A "$N" | grep -q "^\."'
new=$(ls "$N" | sort | tail -n 1)
check "ring: the new snapshot is gzip'd JSON" eval 'gzip -dc "$N/$new" | jq_true ".processes | length > 0"'

# --fail-on: only the chosen change types make the exit status 1
run "$OOMLENS" --sysroot "$ROOT" diff --fail-on became_unkillable "$R/snapshot-20261202T080500Z.json.gz" "$TMP/s.json"
check "--fail-on became_unkillable: an adj change alone exits 0, still reported" eval \
	'[ "$rc" -eq 0 ] && grep -q "oom_score_adj" <<<"$out"'
run "$OOMLENS" --sysroot "$ROOT" diff --fail-on became_unkillable,adj_changed "$R/snapshot-20261202T080500Z.json.gz" "$TMP/s.json"
check "--fail-on with adj_changed: exit 1" test "$rc" -eq 1
run "$OOMLENS" diff --fail-on nonsense "$TMP/s.json" "$TMP/s.json"
check "--fail-on with an unknown type: usage error" eval '[ "$rc" -eq 2 ] && grep -q "invalid change types" <<<"$err"'
