# Sourced by the benchmarks in bench/.
# median N...: the middle value of the numbers (the upper one of an even count)
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
