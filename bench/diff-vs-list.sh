#!/usr/bin/env bash
# Benchmark (not a test): oomlens diff of two 10000-process snapshots against
# oomlens list on the same processes, in the same run.
#   bench/diff-vs-list.sh [-n N] [-r RUNS]      (default 10000 processes, 5 runs)
# The processes come from bench/list-vs-ps.sh's spawner; the second snapshot
# is the first with changes of every kind made by jq (adj changes, reused
# pids, processes gone and new), so that the diff has real work to do.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OOMLENS=${OOMLENS:-$repo/oomlens}
n=10000 runs=5
while getopts n:r: o; do
	case $o in
	n) n=$OPTARG ;;
	r) runs=$OPTARG ;;
	*) echo "usage: $0 [-n N] [-r RUNS]" >&2; exit 2 ;;
	esac
done
inner=$(mktemp "${TMPDIR:-/tmp}/oomlens-diffbench.XXXXXX")
trap 'rm -f "$inner"' EXIT
cat > "$inner" <<INNER
set -eu
work=\$(mktemp -d)
trap 'rm -rf "\$work"' EXIT
cc -O2 -o "\$work/runstat" "$here/runstat.c"
"$OOMLENS" snapshot -o "\$work/a.json"
jq '.processes |= (to_entries | map(
	if .key % 97 == 0 then .value.oom_score_adj = 500 | .value.oom_score += 300
	elif .key % 89 == 0 then .value.starttime += 1
	else . end) | map(.value) | map(select(.pid % 101 != 7)))
    | .processes += [range(0; 50) | {"pid": (4000000 + .), "starttime": 1, "comm": "new", "oom_score": 1000, "rank": 1}]
    | .sysctl["vm.panic_on_oom"] = 1' "\$work/a.json" > "\$work/b.json"
echo "snapshots: \$(jq '.processes | length' "\$work/a.json") and \$(jq '.processes | length' "\$work/b.json") processes, \$(stat -c %s "\$work/a.json") bytes"
td=() tl=() rd=() rl=()
for r in \$(seq $runs); do
	read -r w m _ _ s < <("\$work/runstat" "$OOMLENS" diff "\$work/a.json" "\$work/b.json")
	[ "\$s" = 1 ] || { echo "diff exited \$s" >&2; exit 1; }
	td+=("\$w"); rd+=("\$m")
	read -r w m _ _ s < <("\$work/runstat" "$OOMLENS" list)
	tl+=("\$w"); rl+=("\$m")
done
med() { printf '%s\n' "\$@" | sort -n | awk '{a[NR]=\$1} END {print a[int((NR+1)/2)]}'; }
d=\$(med "\${td[@]}") l=\$(med "\${tl[@]}")
printf 'oomlens diff (two snapshots)   median %8.1f ms  peak %6d kB\n' "\$(echo "\$d / 1000000" | bc -l)" "\$(med "\${rd[@]}")"
printf 'oomlens list (same processes)  median %8.1f ms  peak %6d kB\n' "\$(echo "\$l / 1000000" | bc -l)" "\$(med "\${rl[@]}")"
awk -v d="\$d" -v l="\$l" 'BEGIN { printf "diff takes %.2fx the time of list; %s a second\n", d / l, (d < 1e9 ? "well under" : "NOT under") }'
INNER
exec "$here/list-vs-ps.sh" -n "$n" -x "bash $inner"
