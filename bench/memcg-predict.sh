#!/usr/bin/env bash
# memcg-predict.sh -- how often does oomlens name the process that the kernel
# kills in a real memory cgroup OOM?  Measured against a prediction fed by
# /proc/PID/status, in the same run.
#
#   bench/memcg-predict.sh [-n ROUNDS] [-l MiB] [-s SEED] [-F] [-k DIR] [-v]
#
#   -n ROUNDS  memory cgroup OOM kills to run (default 30)
#   -l MiB     the cgroup's memory limit (default 128; 32 to 256)
#   -s SEED    seed of the random mixes (default: from the clock; printed,
#              so that a run can be repeated)
#   -F         no file-backed memory in the mixes (the kernel reclaims
#              mapped file pages before it kills: see below)
#   -k DIR     keep each round's data in DIR/round-N: the mix, explain's
#              JSON, the status reads, the kernel log of the round and
#              oomlens log's JSON of it
#   -v         print every round's members
#   -h         this help
#
# Each round makes a cgroup-v1 memory cgroup with memory.limit_in_bytes and
# memory.memsw.limit_in_bytes of the limit, and starts in it, one after the
# other (each joins the cgroup before the next starts, so the kernel's
# cgroup walk finds them oldest first), 2 to 6 processes of
# tests/helpers/hog: anonymous, shared (memfd), file-mapped, mixed or
# page-table-heavy memory of random sizes, with random oom_score_adj (0 to
# 1000: lowering it needs CAP_SYS_RESOURCE).  A round's mix is one of:
#   random     sizes and oom_score_adj at random
#   twins      two identical processes at the top (same kind, size, adj)
#   adj-twins  a smaller process whose oom_score_adj makes up the
#              difference to the largest, to within a point's worth of pages
# The members take at most 60% of the limit.  Then it asks
# `oomlens explain -J` for each member's rank in the cgroup and reads each
# member's /proc/PID/status, and starts a grower (hog -w) that writes into an
# unmapped memfd, charged to the cgroup but in no process's rss (its own is
# a few hundred pages, so it is hardly ever a contender), until the cgroup
# runs out of memory.  The victim is
# the first "Memory cgroup out of memory: Killed process N" in /dev/kmsg
# that names one of the round's processes.  Then every process of the round
# is killed and the cgroup removed.
#
# Two predictions are scored against the kernel's victim:
#   oomlens    rank 1 in `oomlens explain -J`'s .memcg (on 6.2 .. 6.19 the
#              rss of /proc/PID/stat, the fast per-CPU counter read that
#              oom_badness() makes), near_tie as explain marks it
#   status     computed here: RssAnon + RssFile + RssShmem + VmSwap + VmPTE
#              of /proc/PID/status in pages, + oom_score_adj x (totalpages /
#              1000) as oom_badness() rounds it; equal ones go to the
#              younger (the 5.3+ rule: the last found wins); near tie when
#              the lead is under explain's counter slack
# A miss flagged as a near tie may be the counters' doing (oomlens-kernel(7),
# COUNTERS); a miss not flagged would be a model bug: for each, the round's
# members are printed with what explain, status and the kernel's task table
# (read by `oomlens log -J`) said.  Each round's line also says by how many
# pages ("moved") the rss of a member in the kernel's task table, printed at
# the kill, differs from the rss explain read before the grower started: the
# kernel reclaims before it kills, and mapped file pages are reclaimable
# (with -F the mixes hold none, and nothing should move).  "table" is
# whether that table, as oomlens log -J reads it, ranks the victim first.
# A round whose kill was not one of the members (the grower, or nobody
# within 8 s) is void and not scored.
#
# Needs root, a writable cgroup-v1 memory controller at
# /sys/fs/cgroup/memory, a readable /dev/kmsg, jq and cc (hog is compiled
# from tests/helpers/hog.c unless $HOG names one).  Never a global OOM: the
# limit is at most 256 MiB and the script refuses to start unless the
# machine has at least 8 times the limit available.  The binary is $OOMLENS,
# or ./oomlens at the repository root.
#
# Exit status: 0 when it ran (whatever the hit rate), 1 when it could not
# (a failure, or too little memory), 2 on a usage error, 77 when this host
# cannot run it (no writable cgroup-v1 memory controller, the kernel log
# unreadable, not root): `make bench` skips it then.

set -u
set -o pipefail

ROUNDS=30
LIMIT_MIB=128
SEED=
KEEP=
VERBOSE=0
MEMCG=/sys/fs/cgroup/memory
ME=memcg-predict

usage() {
	sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
}

NOFILE=0
while getopts ":n:l:s:Fk:vh" opt; do
	case $opt in
	n) ROUNDS=$OPTARG ;;
	l) LIMIT_MIB=$OPTARG ;;
	s) SEED=$OPTARG ;;
	F) NOFILE=1 ;;
	k) KEEP=$OPTARG ;;
	v) VERBOSE=1 ;;
	h) usage; exit 0 ;;
	:) echo "$ME: -$OPTARG needs a value" >&2; exit 2 ;;
	*) echo "$ME: unknown option -$OPTARG (try -h)" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || { echo "$ME: unexpected argument: $1" >&2; exit 2; }
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -ge 1 ]] || { echo "$ME: -n wants a positive integer" >&2; exit 2; }
[[ $LIMIT_MIB =~ ^[0-9]+$ && $LIMIT_MIB -ge 32 && $LIMIT_MIB -le 256 ]] ||
	{ echo "$ME: -l wants a limit of 32 to 256 MiB" >&2; exit 2; }
[[ -z $SEED || $SEED =~ ^[0-9]+$ ]] || { echo "$ME: -s wants a non-negative integer" >&2; exit 2; }

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OOMLENS=${OOMLENS:-$ROOT/oomlens}
case $OOMLENS in /*) ;; *) OOMLENS=$ROOT/$OOMLENS ;; esac

die() {
	echo "$ME: $*" >&2
	exit 1
}
skip() {
	echo "$ME: skipped: $*" >&2
	exit 77
}

# --------------------------------------------------------------- cleanup --
TMP=
CG=
PIDS=()
KFD=

# SIGKILL the round's processes, reap them, remove its cgroup
# shellcheck disable=SC2317  # called from the EXIT trap too
end_round() {
	local i p left
	((${#PIDS[@]})) && kill -KILL "${PIDS[@]}" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		left=0
		for p in "${PIDS[@]}"; do
			[[ -e /proc/$p ]] && left=1
		done
		((left)) || break
		sleep 0.05
	done
	if ((left)); then
		echo "$ME: ERROR: processes of the round remain: ${PIDS[*]}" >&2
		return 1
	fi
	PIDS=()
	[[ -n $CG ]] || return 0
	# a victim's memory is reaped after it exits: the cgroup empties soon
	for ((i = 0; i < 100; i++)); do
		[[ -d $CG ]] || break
		rmdir "$CG" 2>/dev/null && break
		sleep 0.1
	done
	if [[ -d $CG ]]; then
		echo "$ME: ERROR: cannot remove $CG" >&2
		return 1
	fi
	CG=
}

# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	end_round || rc=1
	[[ -n $KFD ]] && exec {KFD}<&-
	[[ -n $TMP ]] && rm -rf -- "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- checks --
((EUID == 0)) || skip "needs root (to create a memory cgroup)"
[[ -e $MEMCG/memory.limit_in_bytes && -w $MEMCG ]] ||
	skip "no writable cgroup-v1 memory controller at $MEMCG (cgroup v2-only host?)"
[[ -e $MEMCG/memory.memsw.limit_in_bytes ]] ||
	skip "no memory.memsw.limit_in_bytes at $MEMCG (swap accounting off): the cgroup's swap could not be bounded"
{ exec {KFD}</dev/kmsg; } 2>/dev/null || { KFD=; skip "cannot read the kernel log (/dev/kmsg)"; }
[[ -x $OOMLENS ]] || die "no oomlens binary at $OOMLENS (run make, or set OOMLENS)"
command -v jq >/dev/null || die "no jq (apt-get install jq)"

LIMIT=$((LIMIT_MIB << 20))
AVAIL_KB=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
((AVAIL_KB >= 8 * (LIMIT >> 10))) ||
	die "only $((AVAIL_KB >> 10)) MiB available, less than 8 x the $LIMIT_MIB MiB limit; not risking it"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/memcg-predict.XXXXXX") || die "mktemp failed"
if [[ -n ${HOG:-} ]]; then
	[[ -x $HOG ]] || die "HOG=$HOG is not executable"
else
	command -v cc >/dev/null || die "no C compiler 'cc' (apt-get install build-essential)"
	cc -std=gnu11 -D_GNU_SOURCE -O2 -o "$TMP/hog" "$ROOT/tests/helpers/hog.c" || die "cannot compile tests/helpers/hog.c"
	HOG=$TMP/hog
fi
if [[ -n $KEEP ]]; then
	mkdir -p -- "$KEEP" || die "cannot create $KEEP"
fi

PAGE=$(getconf PAGESIZE)
PAGE_KB=$((PAGE / 1024))
NCPU=$(getconf _NPROCESSORS_ONLN)
KERNEL=$(uname -r)
# mem_cgroup_get_max() on v1: the limit, plus swap room up to memsw's limit,
# none here (memsw = the limit)
TOTALPAGES=$((LIMIT / PAGE))
UNIT=$((TOTALPAGES / 1000))		# one point of oom_score_adj, in pages
[[ -n $SEED ]] || SEED=$(($(date +%s%N) / 1000 % 1000000))
RANDOM=$SEED

# the kernel log from the fd opened above, as dmesg lines, appended to $1
kmsg_read() {
	dd iflag=nonblock bs=16384 <&"$KFD" 2>/dev/null |
		awk -F';' '/^[0-9]+,[0-9]+,[0-9]+,/ {
			split($1, h, ","); t = $0; sub(/^[^;]*;/, "", t)
			printf "[%5d.%06d] %s\n", int(h[3] / 1000000), h[3] % 1000000, t }' >>"$1"
}
kmsg_read /dev/null	# what is already there is not ours

# ------------------------------------------------------------------ mixes --
# R = a random integer in [$1, $2]
rnd() {
	R=$(($1 + RANDOM % ($2 - $1 + 1)))
}

# random oom_score_adj: half 0, most of the rest up to 500, a few higher
rnd_adj() {
	rnd 0 19
	if ((R < 10)); then
		R=0
	elif ((R < 18)); then
		rnd 1 500
	else
		rnd 501 1000
	fi
}

KINDS=(anon anon anon shmem file mixed pgtables)
((NOFILE)) && KINDS=(anon anon anon shmem shmem mixed pgtables)
# members of the round: kind, MiB, oom_score_adj
M_KIND=() M_SIZE=() M_ADJ=()
add() {
	M_KIND+=("$1") M_SIZE+=("$2") M_ADJ+=("$3")
}
# hog's options for member $1 of round $2; sets ARGS and NAME
hog_args() {
	local k=${M_KIND[$1]} s=${M_SIZE[$1]} a=${M_ADJ[$1]} x y
	case $k in
	anon) ARGS=(-a "$s") ;;
	shmem) ARGS=(-s "$s") ;;
	file) ARGS=(-f "$s") ;;
	mixed)	# a third each of anon, shmem and file (-F: half anon, half shmem)
		x=$((s / 3)) y=$((s / 3))
		((NOFILE)) && x=$((s / 2)) y=0
		ARGS=(-a $((s - x - y)) -s "$x")
		((y)) && ARGS+=(-f "$y") ;;
	pgtables)	# half page tables, half the pages that need them
		ARGS=(-p $((s / 2)) -a $((s - 2 * (s / 2)))) ;;
	esac
	((a)) && ARGS+=(-A "$a")
	NAME="p$2m$1${k:0:1}$s"
	((a)) && NAME+="+$a"
	ARGS+=(-n "$NAME")
}

# a random kind for a process of $1 MiB (page tables want 2 MiB or more)
rnd_kind() {
	rnd 0 $((${#KINDS[@]} - 1))
	KIND=${KINDS[R]}
	[[ $KIND == pgtables && $1 -lt 2 ]] && KIND=anon
	[[ $KIND == mixed && $1 -lt 3 ]] && KIND=anon
}

# shuffle the members: the order they start in, oldest first
shuffle() {
	local i j t
	for ((i = ${#M_KIND[@]} - 1; i > 0; i--)); do
		rnd 0 "$i"; j=$R
		t=${M_KIND[i]} M_KIND[i]=${M_KIND[j]} M_KIND[j]=$t
		t=${M_SIZE[i]} M_SIZE[i]=${M_SIZE[j]} M_SIZE[j]=$t
		t=${M_ADJ[i]} M_ADJ[i]=${M_ADJ[j]} M_ADJ[j]=$t
	done
}

# the round's mix into M_*; its type in MIX
make_mix() {
	local budget=$((LIMIT_MIB * 60 / 100)) n i s a t sb adjb
	M_KIND=() M_SIZE=() M_ADJ=()
	rnd 0 19
	if ((R < 8)); then
		MIX=random
		rnd 2 6; n=$R
		for ((i = 0; i < n && budget >= 1; i++)); do
			rnd 1 $((budget * 2 / (n - i + 1) > 1 ? budget * 2 / (n - i + 1) : 1)); s=$R
			rnd_kind "$s"; rnd_adj
			add "$KIND" "$s" "$R"
			budget=$((budget - s))
		done
	elif ((R < 15)); then
		MIX=twins
		rnd 3 $((budget / 3)); t=$R
		rnd_kind "$t"; rnd 0 1
		if ((R)); then a=0; else rnd 1 300; a=$R; fi
		add "$KIND" "$t" "$a"
		add "$KIND" "$t" "$a"
		budget=$((budget - 2 * t))
		rnd 0 3; n=$R
		for ((i = 0; i < n && budget >= 1 && t > 1; i++)); do
			rnd 1 $((t - 1 < budget ? t - 1 : budget)); s=$R
			rnd_kind "$s"; rnd 0 "$a"
			add "$KIND" "$s" "$R"
			budget=$((budget - s))
		done
	else
		MIX="adj-twins"
		rnd 6 $((budget / 2)); t=$R
		rnd 0 1
		if ((R)); then a=0; else rnd 1 100; a=$R; fi
		rnd_kind "$t"; add "$KIND" "$t" "$a"
		rnd 1 $((t - 1 < budget - t ? t - 1 : budget - t)); sb=$R
		# the points that make up (t - sb) MiB, rounded to the nearest
		adjb=$((((t - sb) << 20) / PAGE))
		adjb=$(((2 * adjb + UNIT) / (2 * UNIT) + a))
		((adjb > 1000)) && adjb=1000
		rnd_kind "$sb"
		add "$KIND" "$sb" "$adjb"
		budget=$((budget - t - sb))
		rnd 0 3; n=$R
		for ((i = 0; i < n && budget >= 1 && sb > 1; i++)); do
			rnd 1 $((sb - 1 < budget ? sb - 1 : budget)); s=$R
			rnd_kind "$s"
			add "$KIND" "$s" 0
			budget=$((budget - s))
		done
	fi
	shuffle
}

# ------------------------------------------------------------------ round --
# start "$@" in the round's cgroup, its output in $1; its pid in LAST
start_in_cg() {
	local out=$1
	shift
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$CG" "$@" >"$out" 2>&1 </dev/null &
	LAST=$!
	PIDS+=("$LAST")
	# no "Killed" notice from bash when they die; bash still reaps them
	disown "$LAST"
}

# wait until the output file $1 says ready; 1 if process $2 dies first or
# 10 s pass
wait_ready() {
	local i
	for ((i = 0; i < 200; i++)); do
		grep -q '^ready' "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# "pid adj starttime pages" of process $1, pages = RssAnon + RssFile +
# RssShmem + VmSwap + VmPTE of its status
status_line() {
	local stat rest f pages adj
	read -r stat <"/proc/$1/stat" || return 1
	rest=${stat##*) }
	read -r -a f <<<"$rest"
	read -r adj <"/proc/$1/oom_score_adj" || return 1
	pages=$(awk -v kb="$PAGE_KB" '/^(RssAnon|RssFile|RssShmem|VmSwap|VmPTE):/ { s += $2 }
		END { print int(s / kb) }' "/proc/$1/status") || return 1
	echo "$1 $adj ${f[19]} $pages"
}

# the status-fed prediction from the lines of status_line on stdin:
# "pid lead" of the first in line (lead -1 when alone)
status_predict() {
	awk -v unit="$UNIT" '{ b = $4 + $2 * unit; print b, $3, $1 }' |
		sort -k1,1nr -k2,2nr -k3,3nr |
		awk 'NR == 1 { p = $3; b = $1 } NR == 2 { l = b - $1 } END { print p, (NR > 1 ? l : -1) }'
}

# run round $1: its data in $RD; sets VICTIM (empty when void, then WHY)
run_round() {
	local r=$1 i n t0 pidre
	RD=$TMP/round-$r
	mkdir -p "$RD"
	VICTIM='' WHY='' MPIDS=()
	make_mix
	CG=$MEMCG/oomlens-predict-$$-$r
	mkdir "$CG" || die "cannot create $CG"
	echo "$LIMIT" >"$CG/memory.limit_in_bytes" || die "cannot set $CG/memory.limit_in_bytes"
	echo "$LIMIT" >"$CG/memory.memsw.limit_in_bytes" || die "cannot set $CG/memory.memsw.limit_in_bytes"
	[[ $(<"$CG/memory.memsw.limit_in_bytes") == "$LIMIT" ]] || die "$CG: the memsw limit did not take"
	n=${#M_KIND[@]}
	for ((i = 0; i < n; i++)); do
		hog_args "$i" "$r"
		start_in_cg "$RD/m$i.out" "$HOG" "${ARGS[@]}"
		MPIDS+=("$LAST")
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$LAST" "$NAME" "${M_KIND[i]}" "${M_SIZE[i]}" "${M_ADJ[i]}" "${ARGS[*]}" >>"$RD/mix"
		# one by one: the cgroup walk finds them in the order they joined
		wait_ready "$RD/m$i.out" "$LAST" || { WHY="$NAME did not start: $(head -c 200 "$RD/m$i.out")"; end_round; return 0; }
	done
	"$OOMLENS" explain -J "${MPIDS[@]}" >"$RD/explain.json" 2>"$RD/explain.err" ||
		die "oomlens explain -J failed: $(head -c 300 "$RD/explain.err")"
	for i in "${MPIDS[@]}"; do
		status_line "$i" || die "cannot read /proc/$i"
	done >"$RD/status"
	kmsg_read "$RD/kmsg"
	start_in_cg "$RD/grower.out" "$HOG" -w $((2 * LIMIT_MIB)) -d 5 -n "p${r}grower"
	GPID=$LAST
	pidre="${MPIDS[*]} $GPID"
	pidre=${pidre// /|}
	t0=$SECONDS
	while ((SECONDS - t0 < 8)); do
		kmsg_read "$RD/kmsg"
		VICTIM=$(sed -n 's/.*Memory cgroup out of memory: Killed process \([0-9]*\) .*/\1/p' "$RD/kmsg" |
			grep -m 1 -xE "$pidre")
		[[ -n $VICTIM ]] && break
		sleep 0.05
	done
	kill -KILL "$GPID" 2>/dev/null	# no second kill for this round
	sleep 0.1
	kmsg_read "$RD/kmsg"
	end_round || exit 1
	if [[ -z $VICTIM ]]; then
		WHY="no kill of the round's processes within 8 s"
	elif [[ $VICTIM == "$GPID" ]]; then
		WHY="the kernel killed the grower"
		VICTIM=
	fi
	return 0
}

# name of pid $1 in round dir $2
name_of() {
	awk -F'\t' -v p="$1" '$1 == p { print $2 }' "$2/mix"
}

# the kernel's task table of the kill of $1, as oomlens log -J read it from
# the round's log: "pid rss swapents badness" lines
table_of() {
	jq -r --argjson v "$1" '[.events[] | select(.victim.pid == $v)][0] // {} | .tasks // [] | .[] |
		[.pid, .rss, .swapents, .badness] | @tsv' "$RD/log.json"
}

# the most pages by which a member's rss in the kernel's task table differs
# from the stat rss explain read before the grower started
rss_moved() {
	local pid rss
	while IFS=$'\t' read -r pid rss _; do
		echo "$pid $rss"
	done < <(jq -r '.processes[] | [.pid, .terms.rss_pages] | @tsv' "$RD/explain.json") |
	awk 'FNR == NR { s[$1] = $2; next }
	     ($1 in s) { d = $2 - s[$1]; if (d < 0) d = -d; if (d > m) m = d }
	     END { print m + 0 }' - "$RD/table"
}

# the members as explain, status and the kernel's task table saw them
diagnose() {
	local r=$1 v=$2 pid adj rss pgt bad rank near sp tr tb
	echo "  round $r: the kernel killed $v; what each source saw (pages):"
	printf '    %-7s %-16s %5s | %7s %7s %7s %4s %5s | %7s %7s | %7s %7s\n' pid name adj \
		"stat" pgtab badness rank near "status" badness table badness
	while IFS=$'\t' read -r pid adj rss pgt bad rank near; do
		read -r _ _ _ sp < <(grep "^$pid " "$RD/status")
		read -r _ tr _ tb < <(grep -P "^$pid\t" "$RD/table" || echo "- - - -")
		printf '    %-7s %-16s %5s | %7s %7s %7s %4s %5s | %7s %7s | %7s %7s%s\n' "$pid" \
			"$(name_of "$pid" "$RD")" "$adj" "$rss" "$pgt" "$bad" "$rank" "$near" \
			"$sp" $((sp + adj * UNIT)) "$tr" "$tb" "$([[ $pid == "$v" ]] && echo '  <- killed')"
	done < <(jq -r '.processes[] | [.pid, .oom_score_adj, .terms.rss_pages, .terms.pgtables_pages,
		.memcg.badness, .memcg.rank, .memcg.near_tie] | @tsv' "$RD/explain.json")
}

# score predictor $1 (o or s): first in line $2, near tie $3 (true/false),
# lead $4; the kernel killed $VICTIM, members' rss moved $MOVED pages.
# Sets CELL.
score() {
	local m=$1 p=$2 near=$3 lead=$4 res tag=
	if [[ $p == "$VICTIM" ]]; then
		N[${m}_hit]=$((N[${m}_hit] + 1))
		res="hit "
	else
		N[${m}_miss]=$((N[${m}_miss] + 1))
		res=MISS
		((MOVED > SLACK)) && N[${m}_moved]=$((N[${m}_moved] + 1))
		if [[ $near == true ]]; then
			N[${m}_near]=$((N[${m}_near] + 1))
		else
			N[${m}_flat]=$((N[${m}_flat] + 1))
			FLAT[$m]+=" $r"
			DIAG=1
		fi
	fi
	[[ $near == true ]] && tag=" near"
	[[ $p != "$VICTIM" ]] && tag+=" ($p)"
	CELL=$(printf '%s lead %5s%s' "$res" "$lead" "$tag")
}

# ------------------------------------------------------------------- main --
SLACK=
# hits, misses, misses flagged as near ties, misses not flagged and of those
# the ones where the kernel's table shows members' rss moved, of the
# oomlens (o) and status-fed (s) predictions; void rounds; the kernel's
# table agreeing with its own choice
declare -A N=()
for k in o_hit o_miss o_near o_flat o_moved s_hit s_miss s_near s_flat s_moved void table table_n; do
	N[$k]=0
done
declare -A FLAT=([o]='' [s]='')	# rounds with a miss not flagged as a near tie

echo "$ME: $ROUNDS rounds, limit $LIMIT_MIB MiB ($TOTALPAGES pages, one adj point $UNIT pages), seed $SEED"
echo "kernel $KERNEL, $NCPU CPUs, oomlens $OOMLENS"
echo "command: bench/memcg-predict.sh -n $ROUNDS -l $LIMIT_MIB -s $SEED$( ((NOFILE)) && echo ' -F')"
echo
printf '%5s %-9s %1s  %-26s  %-30s  %-30s  %5s  %s\n' round mix n "killed" "oomlens (stat rss)" "status-fed" moved table
for ((r = 1; r <= ROUNDS; r++)); do
	run_round "$r"
	if [[ -z $VICTIM ]]; then
		N[void]=$((N[void] + 1))
		printf '%5d %-9s %1d  void: %s\n' "$r" "$MIX" "${#M_KIND[@]}" "$WHY"
		continue
	fi
	cgpath=/oomlens-predict-$$-$r
	# explain's answer: rank 1 in the cgroup, its near_tie, its lead
	SLACK=$(jq -r '.system.counter_slack_pages' "$RD/explain.json")
	read -r opid onear olead < <(jq -r --arg cg "$cgpath" '
		[.processes[] | select(.memcg.path == $cg and .memcg.rank != null)] | sort_by(.memcg.rank) as $p |
		"\($p[0].pid) \($p[0].memcg.near_tie) \(if ($p | length) > 1
			then $p[0].memcg.badness - $p[1].memcg.badness else -1 end)"' "$RD/explain.json")
	[[ $opid =~ ^[0-9]+$ && $SLACK =~ ^[0-9]+$ ]] || die "round $r: explain ranks none of the members in $cgpath"
	read -r spid slead < <(status_predict <"$RD/status")
	snear=false
	((slead >= 0 && slead < SLACK)) && snear=true
	# the kernel's own table of this kill, as oomlens log reads it
	"$OOMLENS" log -J --kernel "$KERNEL" "$RD/kmsg" >"$RD/log.json" 2>"$RD/log.err" ||
		die "oomlens log -J failed on round $r's kernel log: $(head -c 300 "$RD/log.err")"
	table_of "$VICTIM" >"$RD/table"
	MOVED=$(rss_moved)
	tagree=$(jq -r --argjson v "$VICTIM" '[.events[] | select(.victim.pid == $v)][0].prediction.agrees // "?"' "$RD/log.json")
	N[table_n]=$((N[table_n] + 1))
	[[ $tagree == true ]] && N[table]=$((N[table] + 1))
	DIAG=$VERBOSE
	score o "$opid" "$onear" "$olead"; ocell=$CELL
	score s "$spid" "$snear" "$slead"; scell=$CELL
	printf '%5d %-9s %1d  %-7s %-18s  %-30s  %-30s  %5s  %s\n' "$r" "$MIX" "${#M_KIND[@]}" "$VICTIM" \
		"$(name_of "$VICTIM" "$RD")" "$ocell" "$scell" "$MOVED" "$tagree"
	((DIAG)) && diagnose "$r" "$VICTIM"
	if [[ -n $KEEP ]]; then
		rm -rf -- "$KEEP/round-$r"
		cp -r -- "$RD" "$KEEP/round-$r"
	fi
	rm -rf -- "$RD"
done

echo
echo "rounds: $ROUNDS ($((ROUNDS - N[void])) scored, ${N[void]} void); near tie: a lead under the counters' slack of ${SLACK:-?} pages"
printf '%-20s %5s %7s %10s %12s %10s\n' predictor hits misses "near tie" "not flagged" "rss moved"
for m in o s; do
	label="oomlens (stat rss)"
	[[ $m == s ]] && label=status-fed
	printf '%-20s %5d %7d %10d %12d %10d\n' "$label" "${N[${m}_hit]}" "${N[${m}_miss]}" \
		"${N[${m}_near]}" "${N[${m}_flat]}" "${N[${m}_moved]}"
done
echo "(misses: near tie = flagged as one, not flagged = would be a model bug; rss moved = misses in"
echo " rounds where the kernel's task table shows a member's rss more than the slack away from what"
echo " explain read: memory reclaimed or grown between the prediction and the kill)"
echo "the kernel's task table (oomlens log -J) ranks its own victim first in ${N[table]} of ${N[table_n]} kills"
[[ -n ${FLAT[o]} ]] && echo "oomlens: misses not flagged as a near tie in rounds${FLAT[o]}"
[[ -n ${FLAT[s]} ]] && echo "status-fed: misses not flagged as a near tie in rounds${FLAT[s]}"
exit 0
