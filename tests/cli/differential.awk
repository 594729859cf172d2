# The judge of tests/cli/differential.sh, for one tree: the oracle (the
# kernel's arithmetic, as oomlens-kernel(7) gives it), then every check.
#
#   awk -v ver=MAJOR*1000+MINOR -v rel=RELEASE -f differential.awk \
#       TREE/proc/meminfo TREE/proc/PID/{status,stat,oom_score_adj,oom_score}... \
#       VIEWS ERRORS
#
# VIEWS: "view pid badness rank oom_score share killable computed" per line,
# what each command said ("null" where it says nothing); audit's lines carry
# its share_percent as the share.  ERRORS: "view message" for a command that
# printed nothing.  Prints one "ok<TAB>what" or "not ok<TAB>what<TAB>evidence"
# per check, the evidence's lines separated by \037.

BEGIN { FS = "\t"; SEP = "\037"; nviews = split("list explain snapshot watch", VIEW, " ") }

FNR == 1 { n = split(FILENAME, part, "/"); pid = part[n - 1]; f = part[n] }

# --- the tree's files ---------------------------------------------------------
f == "meminfo" && $0 ~ /^MemTotal:/ { split($0, w, " "); ram = w[2] / 4 }	# 4 KiB pages (x86_64)
f == "meminfo" && $0 ~ /^SwapTotal:/ { split($0, w, " "); swp = w[2] / 4 }
f == "status" { pids[pid] = 1; split($2, w, " ") }
f == "status" && $1 == "Name:" { comm[pid] = $2 }
f == "status" && $1 == "VmSize:" { mm[pid] = 1 }
f == "status" && $1 == "VmRSS:" { vmrss[pid] = w[1] / 4 }
f == "status" && $1 ~ /^Rss(Anon|File|Shmem):$/ { split3[pid] += w[1] / 4; has3[pid] = 1 }
f == "status" && $1 == "VmSwap:" { swap[pid] = w[1] / 4 }
# page tables: VmPMD shows only where 4.0 .. 4.14 counted nr_pmds beside nr_ptes
f == "status" && ($1 == "VmPTE:" || $1 == "VmPMD:") { pt[pid] += w[1] / 4 }
# CAP_SYS_ADMIN is bit 21: bit 1 of the sixth hex digit from the right
f == "status" && $1 == "CapEff:" {
	admin[pid] = int((index("0123456789abcdef", substr($2, length($2) - 5, 1)) - 1) / 2) % 2
}
f == "stat" { s = $0; sub(/^.*\) /, "", s); split(s, w, " "); kthread[pid] = int(w[7] / 2097152) % 2; start[pid] = w[20] }
f == "oom_score_adj" { adj[pid] = $1 + 0 }
f == "oom_score" { kscore[pid] = $1 }

# --- what the commands said ----------------------------------------------------
FILENAME == ARGV[ARGC - 2] {
	seen[$1] = 1
	got[$1, $2, "badness"] = $3; got[$1, $2, "rank"] = $4; got[$1, $2, "oom_score"] = $5
	got[$1, $2, "share"] = $6; got[$1, $2, "killable"] = $7; got[$1, $2, "computed"] = $8
	reported[$1, $2] = 1
	next
}
FILENAME == ARGV[ARGC - 1] { failed[$1] = failed[$1] (failed[$1] == "" ? "" : SEP) $2; next }

function sorted(a, ks,   n, k, i, j, t) {	# keys of a in numeric order
	n = 0
	for (k in a) ks[++n] = k
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && ks[j - 1] + 0 > ks[j] + 0; j--) { t = ks[j]; ks[j] = ks[j - 1]; ks[j - 1] = t }
	return n
}

# --- the oracle --------------------------------------------------------------------
function oracle(   era, total, p, rss, usage, a, b, n, i, j, t, order, last) {
	total = ram + swp
	era = ver < 3005 ? "B" : ver < 3014 ? "C" : ver < 4017 ? "D" : ver < 5009 ? "E" : "F"
	for (p in pids) {
		rss = has3[p] ? split3[p] : vmrss[p]
		# what the OOM killer counts of it: rss + swap + page tables
		memshare[p] = (rss + swap[p] + pt[p]) * 100 / total
		adjmin[p] = adj[p] == -1000
		K[p, "killable"] = "false"; K[p, "badness"] = K[p, "rank"] = K[p, "share"] = "null"
		K[p, "oom_score"] = 0
		if (p == 1 || kthread[p] || !mm[p] || adj[p] == -1000)
			continue	# init, kernel threads, zombies, -1000: never chosen
		usage = rss + swap[p] + pt[p]
		a = adj[p]
		if (era == "B") {				# 2.6.36 .. 3.4: per mille
			b = int(usage * 1000 / total) - (admin[p] ? 30 : 0) + a
			b = b <= 0 ? 1 : b > 1000 ? 1000 : b
			K[p, "oom_score"] = b
			K[p, "share"] = b / 10
		} else {
			if (era == "C" && admin[p]) a -= 30			# 3.5 .. 3.13
			if (era == "D" && admin[p]) usage -= int(usage * 3 / 100)	# 3.14 .. 4.16
			b = usage + a * int(total / 1000)
			if (era != "F" && b <= 0) b = 1				# up to 5.8
			K[p, "oom_score"] = era == "F" ? int((1000 + int(b * 1000 / total)) * 2 / 3) : \
					    int(b * 1000 / total)
			K[p, "share"] = b * 100 / total
		}
		K[p, "badness"] = b
		K[p, "killable"] = "true"
		order[++n] = p
	}
	# rank: badness, then the scan (creation) order: before ~5.3 the first
	# task found wins a tie, from ~5.3 the last
	last = ver >= 5003
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && ahead(order[j], order[j - 1], last); j--) {
			t = order[j]; order[j] = order[j - 1]; order[j - 1] = t
		}
	for (i = 1; i <= n; i++)
		K[order[i], "rank"] = i
}
function ahead(x, y, last) {	# x ranks before y
	if (K[x, "badness"] != K[y, "badness"])
		return K[x, "badness"] > K[y, "badness"]
	if (start[x] != start[y])
		return last ? start[x] + 0 > start[y] + 0 : start[x] + 0 < start[y] + 0
	return last ? x + 0 > y + 0 : x + 0 < y + 0
}

# --- reporting ---------------------------------------------------------------------
function verdict(what, evidence) {
	if (evidence == "")
		printf "ok\t%s: %s\n", rel, what
	else
		printf "not ok\t%s: %s\t%s\n", rel, what, substr(evidence, 2)
}
function differ(col, a, b) {
	if (col != "share" || a == "null" || b == "null")
		return a "" != b ""
	return a - b > 0.0051 || b - a > 0.0051
}
# The three equal workers in the order a rank lookup gives them, "-" if unranked
function workers(v,   s, i, p, r, n, ks, rk) {
	split("901 1203 455", ks, " ")
	for (i = 1; i <= 3; i++) {
		r = v == "" ? K[ks[i], "rank"] : got[v, ks[i], "rank"]
		if (r !~ /^[0-9]+$/)
			return "-"
		rk[r + 0] = ks[i]
	}
	n = sorted(rk, p)
	for (i = 1; i <= n; i++)
		s = s (i > 1 ? " " : "") rk[p[i]]
	return s
}
function rank_in(v, p) { return v == "" ? K[p, "rank"] : got[v, p, "rank"] }
function root_rule(v,   r, u) {	# "" when app-root and app-user are in the era's order
	r = rank_in(v, 801); u = rank_in(v, 800)
	if (r !~ /^[0-9]+$/ || u !~ /^[0-9]+$/ || (ver <= 4016 ? r + 0 < u + 0 : r + 0 > u + 0))
		return SEP (v == "" ? "oracle" : v) ": app-root " r ", app-user " u
	return ""
}

END {
	oracle()
	np = sorted(pids, PS)
	WANT_W = ver >= 5003 ? "455 1203 901" : "901 1203 455"
	WHAT = ver <= 4016 ? "behind" : "ahead of"

	# the oracle proves itself on the kernel's numbers; the tree tests what it should
	e = ""
	for (i = 1; i <= np; i++)
		if (K[PS[i], "oom_score"] != kscore[PS[i]])
			e = e SEP "pid " PS[i] ": oom_score " kscore[PS[i]] ", oracle " K[PS[i], "oom_score"]
	verdict("the oracle computes every oom_score the tree holds", e)
	verdict("oracle: the three equal workers rank " WANT_W " (the release's tie rule)",
		workers("") == WANT_W ? "" : SEP "oracle: " workers(""))
	verdict("oracle: app-root (CAP_SYS_ADMIN, 2.4% more memory) ranks " WHAT " app-user", root_rule(""))

	# each command against the oracle
	COLS["list"] = "badness rank oom_score killable share"
	COLS["explain"] = "badness rank oom_score killable computed"
	COLS["snapshot"] = "badness rank oom_score killable"
	COLS["watch"] = "badness rank oom_score share"
	for (k = 1; k <= nviews; k++) {
		v = VIEW[k]
		if (!seen[v]) {
			verdict(v " reports the processes of the tree", SEP failed[v])
			continue
		}
		nc = split(COLS[v], cols, " ")
		for (c = 1; c <= nc; c++) {
			col = cols[c]; kc = col == "computed" ? "oom_score" : col
			e = ""
			for (i = 1; i <= np; i++) {
				p = PS[i]
				if (!((v, p) in reported)) {
					# a zombie has exited: watch samples it no more
					if (!(v == "watch" && !mm[p] && !kthread[p]))
						e = e SEP "pid " p " (" comm[p] "): not reported (the kernel: " K[p, kc] ")"
				} else if (differ(kc, got[v, p, col], K[p, kc]))
					e = e SEP "pid " p " (" comm[p] "): " got[v, p, col] ", the kernel: " K[p, kc]
			}
			verdict(col == "computed" ? v " computes every oom_score as the kernel prints it" : \
				v " gives every process the kernel's " col, e)
		}
		verdict(v " ranks the equal workers " WANT_W " (tie rule)",
			workers(v) == WANT_W ? "" : SEP v ": " workers(v))
		verdict(v " ranks app-root " WHAT " app-user (root bonus)", root_rule(v))
	}

	# the commands against each other, where they report the same thing
	split("badness rank oom_score", agreecols, " ")
	for (c = 1; c <= 3; c++) {
		col = agreecols[c]; e = ""
		for (i = 1; i <= np; i++) {
			p = PS[i]; first = ""; diff = 0; s = ""
			for (k = 1; k <= nviews; k++) {
				v = VIEW[k]
				if (!((v, p) in reported))
					continue
				if (first == "") first = got[v, p, col]
				else if (got[v, p, col] != first) diff = 1
				s = s (s == "" ? "" : ", ") v " " got[v, p, col]
			}
			if (diff)
				e = e SEP "pid " p ": " s
		}
		verdict("the commands that report " col " agree on every process", e)
	}

	# audit reports no badness or rank: what it does report must hold
	want = ""; have = ""; e = ""
	for (i = 1; i <= np; i++) {
		p = PS[i]
		if (adjmin[p] && mm[p] && !kthread[p]) {
			want = want (want == "" ? "" : " ") p
			if (!(("audit", p) in reported))
				e = e SEP "pid " p " (" comm[p] "): no share_percent"
			else if (differ("share", got["audit", p, "share"], sprintf("%.4f", memshare[p])))
				e = e SEP "pid " p " (" comm[p] "): " got["audit", p, "share"] \
				      ", rss + swap + page tables of RAM + swap: " sprintf("%.4f", memshare[p])
		}
		if (("audit", p) in reported)
			have = have (have == "" ? "" : " ") p
	}
	verdict("audit reports exactly the processes with oom_score_adj -1000 (" want ")",
		want != "" && have == want ? "" : SEP "audit: " (have == "" ? "none" : have) \
		(failed["audit"] == "" ? "" : SEP failed["audit"]))
	verdict("audit's share_percent is the process's rss + swap + page tables of RAM + swap", e)
}
