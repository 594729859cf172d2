#!/usr/bin/awk -f
# A dmesg log ("[SECONDS] MESSAGE" lines) as systemd's journal export format
# (systemd.journal-fields(7), "Journal Export Format"): one kernel-transport
# entry per line, for systemd-journal-remote to write a real journal file.
# Variables: boot (a 32-digit boot ID), host, base (the boot's realtime, usec).
match($0, /^\[ *[0-9]+\.[0-9]+\] ?/) {
	stamp = substr($0, 2, RLENGTH - 2)
	sub(/\] ?$/, "", stamp)
	msg = substr($0, RLENGTH + 1)
	split(stamp, p, ".")
	usec = p[1] * 1000000 + substr(p[2] "000000", 1, 6)
	printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n", base + usec, usec
	printf "_BOOT_ID=%s\n_HOSTNAME=%s\n_TRANSPORT=kernel\nSYSLOG_IDENTIFIER=kernel\n", boot, host
	printf "PRIORITY=4\nSYSLOG_FACILITY=0\nMESSAGE=%s\n\n", msg
}
