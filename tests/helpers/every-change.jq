# Every change type diff reports, made by editing a snapshot of
# tests/fixtures/root-6.18 (used by tests/cli/snapshot.sh and schema.sh)
(.processes[] | select(.pid == 5659)) |= (.oom_score_adj = -1000 | .oom_adj = -17 | .killable = false | .rank = null) |
(.processes[] | select(.pid == 5661)) |= (.oom_score_adj = 500 | .oom_score = 999) |
(.processes[] | select(.pid == 5660)) |= (.oom_score = 1400 | .rank = 2) |
(.processes[] | select(.pid == 5662)) |= (.rank = 3) |
.processes |= map(select(.pid != 5747)) |
.processes += [{"pid": 7777, "starttime": 123, "comm": "newcomer", "oom_score": 1900, "oom_score_adj": 900, "rank": 1}] |
.sysctl["vm.panic_on_oom"] = 1 | .total_pages += 1000
