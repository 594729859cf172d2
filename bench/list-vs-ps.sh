#!/usr/bin/env bash
# list-vs-ps.sh -- benchmark `oomlens list` against `ps` with many processes alive.
#
#   bench/list-vs-ps.sh [-n N] [-r RUNS] [-v] [-x COMMAND]
#
#   -n N      idle processes to spawn (default 10000)
#   -r RUNS   timed runs of each command (default 5)
#   -v        print every run, not only the medians
#   -x CMD    instead of timing, run CMD (with bash -c) while the N processes
#             are alive, then clean up; for profiling, e.g.
#             -x 'strace -c -f ./oomlens list >/dev/null'
#
# Spawns N idle processes (bench/idle.c: one small C program that fork()s N
# children which only pause(); copy-on-write keeps them to ~100 kB each,
# nearly all of it the kernel's own per-task structures), waits until
# all of them are in /proc, then times, interleaved (A B C D, B C D A, ...)
# so that the noise of a shared machine falls on every command alike:
#
#   1. ps -eo pid,oom,oomadj,rss,comm          (procps)
#   2. oomlens list                            (default columns)
#   3. oomlens list -o <every memory column>
#   4. bench/floor.c: openat() + read of oom_score, oom_score_adj and status
#      for every /proc/PID, the "plain C loop" floor
#   5. oomlens list -J -o <every memory column>
#   6. oomlens explain --all, and 7. with -J
#   8. oomlens snapshot (its JSON to stdout)
#   9. oomlens audit --no-log, and 10. with -J
#
# each with stdout on /dev/null, through bench/runstat.c (fork, exec, wait4:
# wall time on CLOCK_MONOTONIC and ru_maxrss, the peak resident set). The
# helpers are compiled with cc into a temporary directory at run time.
#
# It reports each command's median wall time, its ratio to ps's median and its
# peak RSS (and, in parentheses, median user and sys time and the median of
# the per-round ratios to ps, which cancels drift between rounds), and whether
# the goals hold: oomlens list with every memory column in at most 0.50x ps's
# time, with a peak RSS no larger than ps's; every command's JSON with a peak
# RSS within 1.5x its text output's (snapshot, which has none, against
# list's); and each oomlens command within 0.6x ps's time.  It exits 0
# when the benchmark ran (whatever the verdict), 1 when it could not run
# (limits, memory, a command failing), 130/143 when interrupted.
#
# The binary is $OOMLENS, or ./oomlens at the repository root (a copy of it is
# timed, so that a rebuild meanwhile does not disturb the runs).
# Every spawned process is killed on exit, Ctrl-C or error, and the script
# checks that none remain.

set -u
set -o pipefail

N=10000
RUNS=5
VERBOSE=0
EXEC=
GOAL_RATIO=0.50

usage() {
	sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
}

while getopts ":n:r:vx:h" opt; do
	case $opt in
	n) N=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	v) VERBOSE=1 ;;
	x) EXEC=$OPTARG ;;
	h) usage; exit 0 ;;
	:) echo "list-vs-ps: -$OPTARG needs a value" >&2; exit 2 ;;
	*) echo "list-vs-ps: unknown option -$OPTARG (try -h)" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || { echo "list-vs-ps: unexpected argument: $1" >&2; exit 2; }
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || { echo "list-vs-ps: -n wants a positive integer" >&2; exit 2; }
[[ $RUNS =~ ^[0-9]+$ && $RUNS -ge 1 ]] || { echo "list-vs-ps: -r wants a positive integer" >&2; exit 2; }

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OOMLENS=${OOMLENS:-$ROOT/oomlens}
case $OOMLENS in /*) ;; *) OOMLENS=$ROOT/$OOMLENS ;; esac

die() {
	echo "list-vs-ps: $*" >&2
	exit 1
}

# --------------------------------------------------------------- cleanup --
TMP=
IDLE_PID=

# count the processes (zombies included) whose process group is $1
# shellcheck disable=SC2317  # called from cleanup, from the EXIT trap
count_group() {
	awk -v pg="$1" '{ sub(/.*\) /, ""); if ($3 == pg) n++ } END { print n + 0 }' \
		/proc/[0-9]*/stat 2>/dev/null
}

# the same, only those asleep (S): an idle child that has not yet reached
# pause() is still runnable and would steal CPU from the timed commands
count_group_asleep() {
	awk -v pg="$1" '{ sub(/.*\) /, ""); if ($3 == pg && $1 == "S") n++ } END { print n + 0 }' \
		/proc/[0-9]*/stat 2>/dev/null
}

# the state letter of process $1 (R, S, Z...); fails when it is gone
proc_state() {
	local line
	read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	line=${line##*) }
	echo "${line%% *}"
}

# processes in /proc
count_procs() {
	local p=(/proc/[0-9]*)
	echo "${#p[@]}"
}

# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [[ -n $IDLE_PID ]]; then
		local pg=$IDLE_PID i state left
		IDLE_PID=
		# idle.c answers SIGTERM by killing its group and reaping it
		kill -TERM "$pg" 2>/dev/null
		for ((i = 0; i < 300; i++)); do
			state=$(proc_state "$pg") || break
			[[ $state == Z ]] && break
			sleep 0.1
		done
		wait "$pg" 2>/dev/null
		left=$(count_group "$pg")
		if ((left > 0)); then
			echo "list-vs-ps: $left spawned processes left, sending SIGKILL to group $pg" >&2
			kill -KILL -- "-$pg" 2>/dev/null
			for ((i = 0; i < 100; i++)); do
				left=$(count_group "$pg")
				((left == 0)) && break
				sleep 0.1
			done
		fi
		if ((left > 0)); then
			echo "list-vs-ps: ERROR: $left spawned processes remain in group $pg" >&2
			rc=1
		else
			echo "cleanup: all spawned processes gone" >&2
		fi
	fi
	[[ -n $TMP ]] && rm -rf -- "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- checks --
[[ -x $OOMLENS ]] || die "no oomlens binary at $OOMLENS (run make, or set OOMLENS)"
command -v cc >/dev/null || die "no C compiler 'cc' (apt-get install build-essential)"
command -v ps >/dev/null || die "no ps (apt-get install procps)"

PS_ARGS=(-eo 'pid,oom,oomadj,rss,comm')
PS_LABEL="ps -eo pid,oom,oomadj,rss,comm"
if ! ps "${PS_ARGS[@]}" >/dev/null 2>&1 ||
	! ps -o oom=,oomadj= -p $$ 2>/dev/null | grep -Eq '^ *-?[0-9]+ +-?[0-9]+ *$'; then
	echo "note: this ps does not support the oom,oomadj columns; timing ps -eo pid,rss,comm instead" >&2
	PS_ARGS=(-eo 'pid,rss,comm')
	PS_LABEL="ps -eo pid,rss,comm"
fi

# every memory column, with the scores and the badness they make (OOMADJ is no
# memory column: it costs a fifth file per process, see oomlens-list(1))
MEMCOLS=PID,RSS,ANON,FILE,SHMEM,SWAP,PGTABLES,BADNESS,SCORE,ADJ,COMM
"$OOMLENS" list >/dev/null || die "$OOMLENS list failed"
"$OOMLENS" list -o "$MEMCOLS" >/dev/null || die "$OOMLENS list -o $MEMCOLS failed"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/list-vs-ps.XXXXXX") || die "mktemp failed"

# idle children are fork()s of this binary: static, it has fewer mappings
# and so fewer page tables per child
cc -O2 -static -o "$TMP/idle" "$BENCH_DIR/idle.c" 2>/dev/null ||
	cc -O2 -o "$TMP/idle" "$BENCH_DIR/idle.c" || die "cannot compile bench/idle.c"
cc -O2 -o "$TMP/runstat" "$BENCH_DIR/runstat.c" || die "cannot compile bench/runstat.c"
cc -O2 -o "$TMP/floor" "$BENCH_DIR/floor.c" || die "cannot compile bench/floor.c"
# time a private copy: a `make` running meanwhile must not swap the binary
# out from under the runs
cp -- "$OOMLENS" "$TMP/oomlens" || die "cannot copy $OOMLENS"
OOMLENS_SRC=$OOMLENS
OOMLENS=$TMP/oomlens

# --- process limits: pid_max, threads-max, RLIMIT_NPROC, the pids cgroup
MARGIN=1000                     # room left for the rest of the machine
read -r _ _ _ sched _ </proc/loadavg
TASKS=${sched#*/}               # every task (thread) on the machine now
OWN=$(count_procs)
NEED=$((TASKS + N + 1 + MARGIN))
limit_fail() {
	echo "list-vs-ps: cannot spawn $N processes: $*" >&2
	exit 1
}
PID_MAX=$(cat /proc/sys/kernel/pid_max)
# pids below 300 are not reused once the counter wraps
((NEED <= PID_MAX - 300)) ||
	limit_fail "kernel.pid_max is $PID_MAX, $TASKS tasks exist and $MARGIN are kept spare; raise it: sysctl -w kernel.pid_max=$(((NEED + 300) * 2))"
THREADS_MAX=$(cat /proc/sys/kernel/threads-max)
((NEED <= THREADS_MAX)) ||
	limit_fail "kernel.threads-max is $THREADS_MAX, $TASKS tasks exist; raise it: sysctl -w kernel.threads-max=$((NEED * 2))"
NPROC=$(ulimit -u)
if [[ $NPROC != unlimited ]]; then
	if ((EUID == 0)); then
		: # RLIMIT_NPROC does not bind root (the kernel skips it for uid 0)
	else
		MINE=$(ps -L -u "$EUID" --no-headers 2>/dev/null | wc -l)
		((MINE + N + 1 <= NPROC)) ||
			limit_fail "ulimit -u is $NPROC and you already run $MINE tasks; raise it (ulimit -u $((MINE + N + MARGIN))) or run as root"
	fi
fi
# the pids controller, v1 or v2, from our cgroup up to its root
while IFS=: read -r _ ctrls path; do
	base=
	if [[ $ctrls == "" ]]; then
		for b in /sys/fs/cgroup /sys/fs/cgroup/unified; do
			[[ -e $b/cgroup.controllers ]] && { base=$b; break; }
		done
	elif [[ ,$ctrls, == *,pids,* ]]; then
		base=/sys/fs/cgroup/pids
	fi
	[[ -n $base ]] || continue
	d=$base$path
	while [[ $d == "$base"* && -d $d ]]; do
		if [[ -r $d/pids.max ]]; then
			max=$(cat "$d/pids.max")
			cur=$(cat "$d/pids.current" 2>/dev/null || echo 0)
			if [[ $max != max ]] && ((cur + N + 1 + 100 > max)); then
				limit_fail "cgroup $d has pids.max $max and pids.current $cur; raise pids.max or run elsewhere"
			fi
		fi
		[[ $d == "$base" ]] && break
		d=${d%/*}
		[[ -z $d ]] && break
	done
done </proc/self/cgroup

# --- memory: refuse unless the spawn is a small part of what is available.
# A fork()ed idle child of a static binary costs ~80-100 kB, measured (kernel
# stack, task_struct, mm, page tables, a few copied pages); plan on 150 kB.
PER_KB=150
mem_avail_kb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
AVAIL_KB=$(mem_avail_kb)
WANT_KB=$((N * PER_KB))
((WANT_KB * 4 <= AVAIL_KB)) ||
	die "spawning $N processes may take up to $((WANT_KB / 1024)) MiB and only $((AVAIL_KB / 1024)) MiB are available; not risking it (use a smaller -n)"
# our memory cgroup's limit, v1 or v2
while IFS=: read -r _ ctrls path; do
	lim='' use=''
	if [[ $ctrls == "" && -r /sys/fs/cgroup$path/memory.max ]]; then
		lim=$(cat "/sys/fs/cgroup$path/memory.max")
		use=$(cat "/sys/fs/cgroup$path/memory.current")
	elif [[ ,$ctrls, == *,memory,* && -r /sys/fs/cgroup/memory$path/memory.limit_in_bytes ]]; then
		lim=$(cat "/sys/fs/cgroup/memory$path/memory.limit_in_bytes")
		use=$(cat "/sys/fs/cgroup/memory$path/memory.usage_in_bytes")
	fi
	[[ -n $lim && $lim != max ]] || continue
	((lim >= 1 << 60)) && continue
	(((lim - use) / 1024 >= WANT_KB * 2)) ||
		die "memory cgroup $path allows $(((lim - use) >> 20)) MiB more; $N processes may need $((WANT_KB / 1024)) MiB"
done </proc/self/cgroup
# abort the spawn if available memory falls under this
FLOOR_KB=$((AVAIL_KB / 2))

# ----------------------------------------------------------------- spawn --
echo "spawning $N idle processes ($OWN processes already on the machine)..." >&2
MEM0_KB=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { print t - a }' /proc/meminfo)
T0=$SECONDS
"$TMP/idle" "$N" "$TMP/ready" </dev/null &
IDLE_PID=$!
while [[ ! -s $TMP/ready ]]; do
	if ! kill -0 "$IDLE_PID" 2>/dev/null || [[ $(proc_state "$IDLE_PID") == Z ]]; then
		die "the spawner died before all $N processes were up (see its message above)"
	fi
	(($(mem_avail_kb) >= FLOOR_KB)) || die "available memory fell under $((FLOOR_KB / 1024)) MiB while spawning; stopping"
	((SECONDS - T0 < 600)) || die "spawning $N processes took more than 10 minutes; stopping"
	sleep 0.2
done
# wait until every child (and the spawner) is in /proc, and asleep
while :; do
	seen=$(count_group_asleep "$IDLE_PID")
	((seen >= N + 1)) && break
	((SECONDS - T0 < 600)) ||
		die "only $seen of $((N + 1)) spawned processes visible in /proc and asleep after 10 minutes"
	sleep 0.2
done
MEM1_KB=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { print t - a }' /proc/meminfo)
TOTAL=$(count_procs)
echo "up: $((seen - 1)) idle processes + spawner in $((SECONDS - T0)) s, $TOTAL processes in /proc;" \
	"~$(((MEM1_KB - MEM0_KB) / 1024)) MiB used by them (~$(((MEM1_KB - MEM0_KB) / N)) kB each)" >&2

if [[ -n $EXEC ]]; then
	echo "running: $EXEC" >&2
	(cd "$ROOT" && OOMLENS=$OOMLENS bash -c "$EXEC")
	echo "exit status: $?" >&2
	exit 0
fi

# ---------------------------------------------------------------- timing --
LABELS=("$PS_LABEL" "oomlens list (defaults)" "oomlens list (all memory cols)" "C floor (oom_score, adj, status)"
	"oomlens list -J (all memory cols)" "oomlens explain --all" "oomlens explain --all -J"
	"oomlens snapshot" "oomlens audit --no-log" "oomlens audit --no-log -J")
# JSON output against its text output: "json text" label indices
JSON_PAIRS=("4 2" "6 5" "7 2" "9 8")
NCMD=${#LABELS[@]}
run_cmd() {	# $1 = command index; prints "WALL_NS MAXRSS_KB UTIME_US STIME_US STATUS"
	case $1 in
	0) "$TMP/runstat" ps "${PS_ARGS[@]}" ;;
	1) "$TMP/runstat" "$OOMLENS" list ;;
	2) "$TMP/runstat" "$OOMLENS" list -o "$MEMCOLS" ;;
	3) "$TMP/runstat" "$TMP/floor" ;;
	4) "$TMP/runstat" "$OOMLENS" list -J -o "$MEMCOLS" ;;
	5) "$TMP/runstat" "$OOMLENS" explain --all ;;
	6) "$TMP/runstat" "$OOMLENS" explain --all -J ;;
	7) "$TMP/runstat" "$OOMLENS" snapshot ;;
	8) "$TMP/runstat" "$OOMLENS" audit --no-log ;;
	9) "$TMP/runstat" "$OOMLENS" audit --no-log -J ;;
	esac
}
declare -A WALL MAXRSS UT ST
# one untimed round first: page cache, dentries, the binaries' pages
for ((c = 0; c < NCMD; c++)); do
	out=$(run_cmd "$c") || die "runstat failed for ${LABELS[c]}"
	read -r _ _ _ _ status <<<"$out"
	# audit exits 1 on findings: that is its answer, not a failure
	((status == 0 || (c >= 8 && status == 1))) || die "${LABELS[c]} exited with status $status"
done
for ((r = 0; r < RUNS; r++)); do
	for ((k = 0; k < NCMD; k++)); do
		c=$(((r + k) % NCMD))          # rotate the order each round
		out=$(run_cmd "$c") || die "runstat failed for ${LABELS[c]}"
		read -r wall rss ut st status <<<"$out"
		((status == 0 || (c >= 8 && status == 1))) || die "${LABELS[c]} exited with status $status"
		WALL[$c]+="$wall " MAXRSS[$c]+="$rss " UT[$c]+="$ut " ST[$c]+="$st "
		((VERBOSE)) && printf 'run %d  %-34s %9.1f ms  user %7.1f ms  sys %7.1f ms  peak %6d kB\n' \
			$((r + 1)) "${LABELS[c]}" "$(awk -v x="$wall" 'BEGIN { print x / 1e6 }')" \
			"$(awk -v x="$ut" 'BEGIN { print x / 1e3 }')" "$(awk -v x="$st" 'BEGIN { print x / 1e3 }')" "$rss" >&2
	done
done

# --------------------------------------------------------------- report --
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { tr ' ' '\n' | grep . | sort -n | tail -1; }

for ((c = 0; c < NCMD; c++)); do
	MED[c]=$(median <<<"${WALL[$c]}")
	PEAK[c]=$(maxof <<<"${MAXRSS[$c]}")
	MUT[c]=$(median <<<"${UT[$c]}")
	MST[c]=$(median <<<"${ST[$c]}")
	# the median of the per-round ratios: each round's pair ran back to back
	read -r -a a <<<"${WALL[$c]}"
	read -r -a b <<<"${WALL[0]}"
	PAIRED[c]=$(for ((r = 0; r < RUNS; r++)); do
		awk -v x="${a[r]}" -v y="${b[r]}" 'BEGIN { print x / y }'
	done | median)
done

echo
echo "oomlens: $OOMLENS_SRC"
echo "processes: $N (+ the machine's own: $((TOTAL - N)) in /proc while timing), $RUNS runs each, interleaved"
for ((c = 0; c < NCMD; c++)); do
	awk -v l="${LABELS[c]}" -v m="${MED[c]}" -v b="${MED[0]}" -v p="${PEAK[c]}" -v u="${MUT[c]}" -v s="${MST[c]}" -v q="${PAIRED[c]}" \
		'BEGIN { printf "%-34s median %7.1f ms  %5.2fx  peak %7d kB   (user %.1f ms, sys %.1f ms; per-round ratio %.2fx)\n", l, m / 1e6, m / b, p, u / 1e3, s / 1e3, q }'
done
verdict=$(awk -v m="${MED[2]}" -v b="${MED[0]}" -v p="${PEAK[2]}" -v pb="${PEAK[0]}" -v g="$GOAL_RATIO" \
	'BEGIN { print (m / b <= g && p <= pb) ? "PASS" : "FAIL" }')
detail=$(awk -v m="${MED[2]}" -v b="${MED[0]}" -v p="${PEAK[2]}" -v pb="${PEAK[0]}" \
	'BEGIN { printf "%.3fx, %d vs %d kB", m / b, p, pb }')
echo "goal: all-memory-columns <= ${GOAL_RATIO}x ps, peak RSS <= ps: $verdict ($detail)"
for pair in "${JSON_PAIRS[@]}"; do
	read -r j t <<<"$pair"
	awk -v l="${LABELS[j]}" -v lt="${LABELS[t]}" -v pj="${PEAK[j]}" -v pt="${PEAK[t]}" \
		'BEGIN { r = pj / pt; printf "goal: %s peak <= 1.5x that of %s: %s (%.2fx, %d vs %d kB)\n", l, lt, r <= 1.5 ? "PASS" : "FAIL", r, pj, pt }'
done
for ((c = 1; c < NCMD; c++)); do
	[[ $c -eq 3 ]] && continue	# the C floor is no oomlens command
	awk -v l="${LABELS[c]}" -v m="${MED[c]}" -v b="${MED[0]}" \
		'BEGIN { r = m / b; printf "goal: %s <= 0.60x ps: %s (%.2fx)\n", l, r <= 0.6 ? "PASS" : "FAIL", r }'
done
exit 0
