# bash completion for oomlens(1)                            -*- shell-script -*-
# Installed as .../bash-completion/completions/oomlens.  Everything is
# hard-coded here (nothing runs oomlens): keep it in step with the help texts.

# The commands of 'oomlens --help' and the columns of 'oomlens list -H'.
_oomlens_commands='list explain log snapshot diff audit watch help'
_oomlens_list_columns='PID PPID UID USER COMM CMDLINE SCORE ADJ OOMADJ RSS ANON
	FILE SHMEM SWAP PGTABLES BADNESS SHARE CGROUP UNIT KILLABLE STATE RANK TIE MEMCG
	MCG-RANK MCG-SHARE NAMESPACE POD CONTAINER QOS'

# _oomlens_words WORD...: the WORDs that start with $cur, as COMPREPLY
_oomlens_words()
{
	local IFS=$' \t\n'
	COMPREPLY=($(compgen -W "$*" -- "$cur"))
}

# _oomlens_columns MULTI: column names, case-insensitively, offered in
# upper case; MULTI=1 for a comma-separated list that may start with '+'.
_oomlens_columns()
{
	local head= word=$cur col lc
	if [[ $1 == 1 ]]; then
		head=${cur%"${cur##*,}"}	# up to and including the last comma
		word=${cur##*,}
		if [[ -z $head && $word == +* ]]; then
			head=+
			word=${word#+}
		fi
	fi
	lc=${word,,}
	COMPREPLY=()
	for col in $_oomlens_list_columns; do
		[[ ${col,,} == "$lc"* ]] && COMPREPLY+=("$head$col")
	done
}

# _oomlens_pids ROOT: the process IDs of ROOT/proc
_oomlens_pids()
{
	local d pids=()
	for d in "$1"/proc/[0-9]*; do
		[[ -d $d ]] && pids+=("${d##*/}")
	done
	# a list: complete the last element of "1,2,3"
	local head=${cur%"${cur##*,}"}
	local IFS=$' \t\n'
	COMPREPLY=($(compgen -P "$head" -W "${pids[*]}" -- "${cur##*,}"))
}

# _oomlens_users ROOT: user names from ROOT/etc/passwd, or the system's
_oomlens_users()
{
	local head=${cur%"${cur##*,}"} names
	if [[ -n $1 ]]; then
		names=$(cut -d: -f1 "$1/etc/passwd" 2>/dev/null)
	else
		names=$(compgen -u)
	fi
	local IFS=$' \t\n'
	COMPREPLY=($(compgen -P "$head" -W "$names" -- "${cur##*,}"))
}

# _oomlens_cgroups ROOT: cgroup paths, from ROOT/sys/fs/cgroup
_oomlens_cgroups()
{
	local base=$1/sys/fs/cgroup d want=$cur
	[[ -d $base/memory ]] && base=$base/memory	# cgroup v1
	[[ $want == /* ]] || want=/$want
	COMPREPLY=()
	for d in "$base${want%/*}"/*/; do
		[[ -d $d ]] || continue
		d=${d%/}
		d=${d#"$base"}
		[[ $d == "$want"* ]] && COMPREPLY+=("$d")
	done
	# a cgroup may have children: let the user go on with '/'
	if [[ ${#COMPREPLY[@]} -eq 1 ]]; then
		compopt -o nospace 2>/dev/null
	fi
	return 0
}

_oomlens()
{
	local cur prev words cword split
	_init_completion -s || return

	local i cmd= root= sysroot=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--sysroot)
			((i++))
			sysroot=${words[i]}
			;;
		--sysroot=*)
			sysroot=${words[i]#--sysroot=}
			;;
		--color=*) ;;
		-*) ;;
		*)
			cmd=${words[i]}
			break
			;;
		esac
	done
	# the tree the command will read, for pids, users and cgroups
	root=${sysroot/#\~/$HOME}

	if [[ -z $cmd ]]; then
		case $prev in
		--sysroot)
			_filedir -d
			return
			;;
		--color)
			$split && _oomlens_words auto always never
			$split && return
			;;
		esac
		$split && return
		if [[ $cur == -* ]]; then
			_oomlens_words --sysroot --color -h --help -V --version
		else
			_oomlens_words $_oomlens_commands
		fi
		return
	fi

	case $cmd in
	help)
		((cword == i + 1)) && _oomlens_words ${_oomlens_commands% help}
		return
		;;
	list)
		case $prev in
		-o | --output)
			_oomlens_columns 1
			return
			;;
		-s | --sort)
			_oomlens_columns 0
			return
			;;
		-p | --pid)
			_oomlens_pids "${root:-}"
			return
			;;
		-u | --user)
			_oomlens_users "$root"
			return
			;;
		-c | --cgroup)
			_oomlens_cgroups "$root"
			return
			;;
		-m | --min-score | -t | --top)
			return
			;;
		esac
		$split && return
		_oomlens_words -o --output -H --list-columns -J --json -r --raw \
			-n --noheadings -b --bytes -s --sort --reverse -p --pid \
			-u --user -c --cgroup -m --min-score -t --top \
			-k --kernel-threads -h --help -V --version
		return
		;;
	explain)
		case $prev in
		--adj | --rss | --kernel)
			return
			;;
		esac
		$split && return
		if [[ $cur == -* ]]; then
			_oomlens_words -a --all -J --json --adj --rss --kernel \
				--history -h --help -V --version
		else
			_oomlens_pids "${root:-}"
		fi
		return
		;;
	log)
		case $prev in
		-b | --boot)
			_oomlens_words 0 -1 -2 1
			return
			;;
		--directory)
			_filedir -d
			return
			;;
		--file)
			_filedir journal
			return
			;;
		--format)
			_oomlens_words text json jsonl prometheus html
			return
			;;
		-o | --output)
			_filedir
			return
			;;
		--since | --until | -t | --top | --kernel | --max-series)
			return
			;;
		esac
		$split && return
		if [[ $cur == -* ]]; then
			_oomlens_words -J --json --jsonl --format --max-series \
				-o --output -q --quiet -s --summary -f --follow \
				--journal -b --boot --directory --file --since --until -t --top \
				--kernel --fail-if-found -h --help -V --version
		else
			_filedir
		fi
		return
		;;
	snapshot)
		case $prev in
		-o | --output)
			_filedir
			return
			;;
		esac
		$split && return
		_oomlens_words -o --output -h --help -V --version
		return
		;;
	diff)
		case $prev in
		--threshold | -t | --top | --before)
			return
			;;
		--fail-on)
			_oomlens_words first_in_line became_unkillable became_killable adj_changed \
				appeared left score_changed rank_changed sysctl_changed totalpages_changed
			return
			;;
		esac
		$split && return
		if [[ $cur == -* ]]; then
			_oomlens_words -J --json --threshold -t --top -q --quiet --fail-on --before \
				-h --help -V --version
		else
			_filedir
		fi
		return
		;;
	audit)
		case $prev in
		--format)
			_oomlens_words text json prometheus
			return
			;;
		--fail-on)
			_oomlens_words info warning error never
			return
			;;
		-c | --config | --log | -o | --output)
			_filedir
			return
			;;
		esac
		$split && return
		_oomlens_words -J --json --format --fail-on -c --config \
			--show-config --log --no-log -o --output -q --quiet \
			-h --help -V --version
		return
		;;
	watch)
		case $prev in
		-i | --interval | -c | --count)
			return
			;;
		esac
		$split && return
		if [[ $cur == -* ]]; then
			_oomlens_words -i --interval -c --count --jsonl -h --help \
				-V --version
		else
			# watch samples the live system only
			_oomlens_pids ""
		fi
		return
		;;
	esac
} &&
	complete -F _oomlens oomlens

# ex: filetype=sh
