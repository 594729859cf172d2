# fish completion for oomlens(1).  Everything is hard-coded here (nothing
# runs oomlens): keep the descriptions those of the help texts.

# The columns of 'oomlens list -H', with their descriptions.
function __fish_oomlens_list_columns
    printf '%s\n' \
        PID\t'process ID' \
        PPID\t'parent process ID' \
        UID\t'real user ID' \
        USER\t'real user name' \
        COMM\t'command name (escaped)' \
        CMDLINE\t'full command line (escaped)' \
        SCORE\t"the kernel's /proc/PID/oom_score" \
        ADJ\t'oom_score_adj, -1000..1000' \
        OOMADJ\t'legacy oom_adj, -17..15' \
        RSS\t'resident memory: anon + file + shmem' \
        ANON\t'resident anonymous memory' \
        FILE\t'resident file-backed memory' \
        SHMEM\t'resident shared memory (tmpfs, shm)' \
        SWAP\t'swapped-out memory' \
        PGTABLES\t'page tables' \
        BADNESS\t"the kernel's OOM points, in pages" \
        SHARE\t'badness as a percentage of RAM + swap' \
        CGROUP\t'memory cgroup path' \
        UNIT\t'systemd unit, container or pod of the cgroup' \
        KILLABLE\t'whether the OOM killer may pick it (yes), or why not (no:REASON)' \
        STATE\t'process state (R, S, D, Z, ...)' \
        RANK\t'place in line for a global OOM kill (1: first)' \
        TIE\t"a neighbour in line is within the kernel counters' slack" \
        MEMCG\t'the memory cgroup whose limit it meets first' \
        MCG-RANK\t'place in line for an OOM kill in that memory cgroup' \
        MCG-SHARE\t"badness as a percentage of that memory cgroup's limit + swap" \
        NAMESPACE\t'Kubernetes namespace of the pod' \
        POD\t'Kubernetes pod name' \
        CONTAINER\t'Kubernetes container name' \
        QOS\t'Kubernetes QoS class: guaranteed, burstable or besteffort'
end

# The command word, skipping the global options; fails if there is none yet.
function __fish_oomlens_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case --sysroot
                set skip 1
            case '-*'
            case '*'
                echo $t
                return 0
        end
    end
    return 1
end

function __fish_oomlens_needs_command
    not __fish_oomlens_command >/dev/null
end

function __fish_oomlens_using -a cmd
    set -l c (__fish_oomlens_command)
    and test "$c" = "$cmd"
end

# The --sysroot given before the command, if any.
function __fish_oomlens_sysroot
    set -l tokens (commandline -opc)
    set -l i (contains -i -- --sysroot $tokens)
    and set -q tokens[(math $i + 1)]
    and echo $tokens[(math $i + 1)]
    and return
    string replace -rf -- '^--sysroot=' '' $tokens
end

# The current token without "--opt=" and up to its last comma: what a
# completion of one element of a comma-separated list goes after.
function __fish_oomlens_list_head
    set -l tok (commandline -ct | string replace -r -- '^--[^=]*=' '')
    string match -r -- '^.*,' $tok
    or string match -r -- '^\+' $tok
end

# Column names; "list": a comma-separated list that may start with '+'.
# oomlens takes them in any case; they are offered in upper case.
function __fish_oomlens_columns -a mode
    set -l head
    test "$mode" = list
    and set head (__fish_oomlens_list_head)
    for c in (__fish_oomlens_list_columns)
        echo "$head$c"
    end
end

# Process IDs (of the --sysroot tree, if any), as a list.
function __fish_oomlens_pids
    set -l head (__fish_oomlens_list_head | string match -v -- '+')
    set -l root (__fish_oomlens_sysroot)
    if test -n "$root"
        for pid in (string replace -r -- '.*/' '' $root/proc/* | string match -r -- '^[0-9]+$')
            echo "$head$pid"
        end
    else
        for p in (__fish_complete_pids)
            echo "$head$p"
        end
    end
end

# User names (from the --sysroot tree's etc/passwd, if any), as a list.
function __fish_oomlens_users
    set -l head (__fish_oomlens_list_head | string match -v -- '+')
    set -l root (__fish_oomlens_sysroot)
    if test -n "$root"
        string replace -rf -- '^([^:]+):.*' "$head"'$1' <$root/etc/passwd 2>/dev/null
    else
        for u in (__fish_complete_users)
            echo "$head$u"
        end
    end
end

# Memory cgroup paths, as /a/b (cgroup v1: under the memory controller).
function __fish_oomlens_cgroups
    set -l base /sys/fs/cgroup
    test -d $base/memory
    and set base $base/memory
    set -l dir (commandline -ct | string replace -r -- '^--[^=]*=' '' | string replace -r -- '[^/]*$' '')
    string match -q -- '/*' $dir
    or set dir /
    for d in $base$dir*/
        string replace -- $base '' (string trim -r -c / -- $d)
    end
end

complete -c oomlens -f

# global options and the commands
complete -c oomlens -n __fish_oomlens_needs_command -l sysroot -x -a '(__fish_complete_directories)' -d 'read <dir>/proc, <dir>/sys, <dir>/etc and <dir>/var/log instead of the live system'
complete -c oomlens -n __fish_oomlens_needs_command -l color -f -a 'auto always never' -d 'colorize the output (auto, always or never)'
complete -c oomlens -n __fish_oomlens_needs_command -s h -l help -d 'display this help'
complete -c oomlens -n __fish_oomlens_needs_command -s V -l version -d 'display version'
complete -c oomlens -n __fish_oomlens_needs_command -a list -d 'rank processes by how likely the OOM killer is to kill them'
complete -c oomlens -n __fish_oomlens_needs_command -a explain -d "show the kernel's OOM arithmetic for a process, term by term"
complete -c oomlens -n __fish_oomlens_needs_command -a log -d "find OOM events in kernel logs and explain the kernel's choice"
complete -c oomlens -n __fish_oomlens_needs_command -a snapshot -d 'save the OOM-relevant state of the machine as JSON'
complete -c oomlens -n __fish_oomlens_needs_command -a diff -d 'compare two snapshots, or a snapshot with now'
complete -c oomlens -n __fish_oomlens_needs_command -a audit -d 'find misconfigured OOM protection, for cron'
complete -c oomlens -n __fish_oomlens_needs_command -a watch -d 'sample processes until they die, and say whether the OOM killer took them'
complete -c oomlens -n __fish_oomlens_needs_command -a help -d 'show the help of a command'

# help
complete -c oomlens -n '__fish_oomlens_using help' -a list -d 'rank processes by how likely the OOM killer is to kill them'
complete -c oomlens -n '__fish_oomlens_using help' -a explain -d "show the kernel's OOM arithmetic for a process, term by term"
complete -c oomlens -n '__fish_oomlens_using help' -a log -d "find OOM events in kernel logs and explain the kernel's choice"
complete -c oomlens -n '__fish_oomlens_using help' -a snapshot -d 'save the OOM-relevant state of the machine as JSON'
complete -c oomlens -n '__fish_oomlens_using help' -a diff -d 'compare two snapshots, or a snapshot with now'
complete -c oomlens -n '__fish_oomlens_using help' -a audit -d 'find misconfigured OOM protection, for cron'
complete -c oomlens -n '__fish_oomlens_using help' -a watch -d 'sample processes until they die, and say whether the OOM killer took them'

# list
set -l c '__fish_oomlens_using list'
complete -c oomlens -n $c -s o -l output -x -a '(__fish_oomlens_columns list)' -d 'columns to show (+<list> adds to the defaults)'
complete -c oomlens -n $c -s H -l list-columns -d 'list the available columns'
complete -c oomlens -n $c -s J -l json -d 'use JSON output format'
complete -c oomlens -n $c -s r -l raw -d 'use raw output format'
complete -c oomlens -n $c -s n -l noheadings -d "don't print headings"
complete -c oomlens -n $c -s b -l bytes -d 'print sizes in bytes rather than in human units'
complete -c oomlens -n $c -s s -l sort -x -a '(__fish_oomlens_columns)' -d 'sort by <column> (default: badness, worst first)'
complete -c oomlens -n $c -l reverse -d 'reverse the sort order'
complete -c oomlens -n $c -s p -l pid -x -a '(__fish_oomlens_pids)' -d 'only these process IDs'
complete -c oomlens -n $c -s u -l user -x -a '(__fish_oomlens_users)' -d 'only processes of these users (names or IDs)'
complete -c oomlens -n $c -s c -l cgroup -x -a '(__fish_oomlens_cgroups)' -d 'only processes in this cgroup or below it'
complete -c oomlens -n $c -s m -l min-score -x -d 'only processes whose oom_score is at least <n>'
complete -c oomlens -n $c -s t -l top -x -d 'only the first <n> processes after sorting'
complete -c oomlens -n $c -s k -l kernel-threads -d 'include kernel threads'
complete -c oomlens -n $c -s h -l help -d 'display this help'
complete -c oomlens -n $c -s V -l version -d 'display version'

# explain
set c '__fish_oomlens_using explain'
complete -c oomlens -n $c -a '(__fish_oomlens_pids)'
complete -c oomlens -n $c -s a -l all -d 'explain every process'
complete -c oomlens -n $c -s J -l json -d 'use JSON output format'
complete -c oomlens -n $c -l adj -x -d 'what if oom_score_adj were <n> (-1000..1000)'
complete -c oomlens -n $c -l rss -x -d 'what if resident memory were <size> (e.g. 2G)'
complete -c oomlens -n $c -l kernel -x -d 'use the heuristic of this kernel release'
complete -c oomlens -n $c -l history -d 'explain the pre-2.6.36 heuristic older articles teach'
complete -c oomlens -n $c -s h -l help -d 'display this help'
complete -c oomlens -n $c -s V -l version -d 'display version'

# log
set c '__fish_oomlens_using log'
complete -c oomlens -n $c -F
complete -c oomlens -n $c -s J -l json -d 'use JSON output format'
complete -c oomlens -n $c -l jsonl -d 'one JSON event per line'
complete -c oomlens -n $c -l format -x -a 'text json jsonl prometheus html' -d 'text, json, jsonl, prometheus (node_exporter textfile) or html (a report)'
complete -c oomlens -n $c -l max-series -x -d 'prometheus: cgroups with their own series, the rest as unit="other" (default 10)'
complete -c oomlens -n $c -s o -l output -r -F -d 'prometheus or html: write to <file>, atomically'
complete -c oomlens -n $c -s q -l quiet -d 'no notes on stderr, for cron'
complete -c oomlens -n $c -s s -l summary -d 'counts per victim, cgroup and host'
complete -c oomlens -n $c -s f -l follow -d 'keep reading and print each event as it completes'
complete -c oomlens -n $c -l journal -d 'read the kernel messages in the systemd journal'
complete -c oomlens -n $c -s b -l boot -x -a '0 -1 -2 1' -d 'with --journal: this boot (0 last, -1 previous, 1 first)'
complete -c oomlens -n $c -l directory -x -a '(__fish_complete_directories)' -d 'read the journal files in <dir>'
complete -c oomlens -n $c -l file -r -F -d 'read the journal file <file> (repeatable)'
complete -c oomlens -n $c -l since -x -d 'only events at or after <time>'
complete -c oomlens -n $c -l until -x -d 'only events before <time>'
complete -c oomlens -n $c -s t -l top -x -d 'candidates to show per event (default 5)'
complete -c oomlens -n $c -l kernel -x -d 'the kernel release, when the log does not name it'
complete -c oomlens -n $c -l fail-if-found -d 'exit 1 when an event is found (for cron)'
complete -c oomlens -n $c -s h -l help -d 'display this help'
complete -c oomlens -n $c -s V -l version -d 'display version'

# snapshot
set c '__fish_oomlens_using snapshot'
complete -c oomlens -n $c -s o -l output -r -F -d 'write to <file>, atomically (default: standard output)'
complete -c oomlens -n $c -s h -l help -d 'display this help'
complete -c oomlens -n $c -s V -l version -d 'display version'

# diff
set c '__fish_oomlens_using diff'
complete -c oomlens -n $c -F
complete -c oomlens -n $c -s J -l json -d 'use JSON output format'
complete -c oomlens -n $c -l threshold -x -d 'report oom_score changes of at least <n> points (default 50)'
complete -c oomlens -n $c -s t -l top -x -d 'watch the first <n> ranks (default 10)'
complete -c oomlens -n $c -s q -l quiet -d 'no notes on stderr, for cron'
complete -c oomlens -n $c -l fail-on -x -a 'first_in_line became_unkillable became_killable adj_changed appeared left score_changed rank_changed sysctl_changed totalpages_changed' -d 'exit 1 only for these change types (comma-separated; default: any change)'
complete -c oomlens -n $c -l before -x -d '<old> is a directory of snapshots: take the last one written before <time> (RFC 3339 or @EPOCH)'
complete -c oomlens -n $c -s h -l help -d 'display this help'
complete -c oomlens -n $c -s V -l version -d 'display version'

# audit
set c '__fish_oomlens_using audit'
complete -c oomlens -n $c -s J -l json -d 'use JSON output format'
complete -c oomlens -n $c -l format -x -a 'text json prometheus' -d 'text, json or prometheus (node_exporter textfile)'
complete -c oomlens -n $c -l fail-on -x -a 'info warning error never' -d 'exit 1 at this severity or above: info, warning, error or never (default warning)'
complete -c oomlens -n $c -s c -l config -r -F -d 'configuration file (default /etc/oomlens/audit.conf)'
complete -c oomlens -n $c -l show-config -d 'print the configuration in force and exit'
complete -c oomlens -n $c -l log -r -F -d 'the kernel log for the log rules (default: the ring buffer)'
complete -c oomlens -n $c -l no-log -d 'skip the kernel-log rules'
complete -c oomlens -n $c -s o -l output -r -F -d 'write the report to <file>, atomically'
complete -c oomlens -n $c -s q -l quiet -d 'no notes on stderr, for cron'
complete -c oomlens -n $c -s h -l help -d 'display this help'
complete -c oomlens -n $c -s V -l version -d 'display version'

# watch
set c '__fish_oomlens_using watch'
complete -c oomlens -n $c -a '(__fish_complete_pids)'
complete -c oomlens -n $c -s i -l interval -x -d 'time between samples (default 1)'
complete -c oomlens -n $c -s c -l count -x -d 'stop after <n> samples'
complete -c oomlens -n $c -l jsonl -d 'one JSON object per line'
complete -c oomlens -n $c -s h -l help -d 'display this help'
complete -c oomlens -n $c -s V -l version -d 'display version'
