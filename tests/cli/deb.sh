#!/usr/bin/env bash
# debian/ builds a binary package (dpkg-buildpackage -us -uc -b), lintian
# finds nothing that an override does not explain, and the package, unpacked
# into a scratch root with dpkg -x, holds a binary that runs, its man pages,
# completions, schemas, units and examples where Debian wants them.
# Built once, in a copy of the tree under tests/tmp: the work tree stays clean.
. "$(dirname "$0")/lib.sh"
repo=$(cd "$TESTS_DIR/.." && pwd)
if ! command -v dpkg-buildpackage >/dev/null || ! command -v dh >/dev/null; then
	skip "debian package" "dpkg-buildpackage or debhelper missing (apt-get install debhelper lintian)"
	exit 0
fi
work=$repo/tests/tmp/deb
rm -rf "$work" && mkdir -p "$work/src"
# the tracked files only, as they are in the work tree: no build products
(cd "$repo" && git ls-files -z --cached --others --exclude-standard 2>/dev/null |
	xargs -0 -r cp --parents -t "$work/src" 2>/dev/null) ||
	(cd "$repo" && tar --exclude=./tests/tmp --exclude='*.o' --exclude=./oomlens -cf - . | tar -xf - -C "$work/src")
run env DEB_BUILD_OPTIONS="parallel=2" bash -c "cd '$work/src' && dpkg-buildpackage -us -uc -b"
check "dpkg-buildpackage -us -uc -b: exit 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || { printf '#   %s\n' "$(tail -n 30 "$TMP/out")"; exit 0; }
deb=$(ls "$work"/oomlens_*.deb 2>/dev/null | head -n 1)
check "one binary package built" test -f "$deb"

if command -v lintian >/dev/null; then
	# --fail-on warning: an error or a warning without an override fails
	run lintian --fail-on error,warning "$deb"
	check "lintian: no error, no warning left unexplained" test "$rc" -eq 0
	check "lintian: no E: or W: line" eval '! grep -q "^[EW]: " "$TMP/out"'
else
	skip "lintian" "lintian missing"
fi

root=$work/root
run dpkg -x "$deb" "$root"
check "dpkg -x: exit 0" test "$rc" -eq 0
for f in usr/bin/oomlens usr/share/man/man1/oomlens.1.gz usr/share/man/man1/oomlens-audit.1.gz \
	 usr/share/man/man5/oomlens-audit.conf.5.gz usr/share/man/man7/oomlens-kernel.7.gz \
	 usr/share/bash-completion/completions/oomlens usr/share/zsh/vendor-completions/_oomlens \
	 usr/share/fish/vendor_completions.d/oomlens.fish usr/share/oomlens/schema/list.schema.json \
	 lib/systemd/system/oomlens-audit.service lib/systemd/system/oomlens-audit.timer \
	 lib/systemd/system/oomlens-snapshot.service lib/systemd/system/oomlens-snapshot.timer \
	 usr/share/doc/oomlens/examples/oomlens-snapshot.cron \
	 usr/share/doc/oomlens/examples/audit.conf usr/share/doc/oomlens/copyright; do
	check "installed: /$f" test -f "$root/$f"
done
check "every man page of man/ installed" test \
	"$(cd "$root/usr/share/man" && ls man*/ | grep -c '\.gz$')" -eq "$(ls "$repo"/man/*.[1-8] | wc -l)"
check "every JSON Schema installed" test \
	"$(ls "$root/usr/share/oomlens/schema" | sort)" = "$(cd "$repo/schema" && ls ./*.schema.json | sed 's|^\./||' | sort)"
check "the units run /usr/bin/oomlens" eval \
	'grep -q "^ExecStart=/usr/bin/oomlens " "$root"/lib/systemd/system/oomlens-audit.service &&
	 ! grep -rq /usr/local "$root"/lib/systemd/system'
check "the snapshot ring: installed executable, the unit runs it" eval \
	'[ -x "$root/usr/libexec/oomlens/oomlens-snapshot-ring" ] &&
	 grep -q "^ExecStart=/usr/libexec/oomlens/oomlens-snapshot-ring " "$root"/lib/systemd/system/oomlens-snapshot.service'
check "nothing enabled: no unit linked into a .wants" test -z "$(find "$root" -name '*.wants')"

run "$root/usr/bin/oomlens" --version
check "the installed binary: --version" eval '[ "$rc" -eq 0 ] && [[ "$out" == "oomlens "* ]]'
run "$root/usr/bin/oomlens" --sysroot "$FIXTURES/root-6.18" list
check "the installed binary: --sysroot root-6.18 list" eval \
	'[ "$rc" -eq 0 ] && grep -q "worker-anon" <<<"$out"'
run "$root/usr/bin/oomlens" audit -c "$root/usr/share/doc/oomlens/examples/audit.conf" --show-config
check "the example audit.conf parses" eval '[ "$rc" -eq 0 ] && grep -q "from .*examples/audit.conf" <<<"$out"'
if command -v man >/dev/null; then
	run env MANPAGER=cat MANWIDTH=80 man -l "$root/usr/share/man/man1/oomlens-list.1.gz"
	check "man -l on the installed oomlens-list(1)" eval '[ "$rc" -eq 0 ] && grep -q "oomlens list" <<<"$out"'
else
	skip "man -l" "man missing"
fi
rm -rf "$work"
