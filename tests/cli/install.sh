#!/usr/bin/env bash
# make install / uninstall honour PREFIX and DESTDIR.
. "$(dirname "$0")/lib.sh"
repo=$(cd "$TESTS_DIR/.." && pwd)
command -v make >/dev/null || { skip "make install" "no make"; exit 0; }
# -o oomlens: install the binary under test as it is, never rebuild it
run make -s -C "$repo" -o oomlens install DESTDIR="$TMP/dest" PREFIX=/opt/ol
check "make install DESTDIR PREFIX: exit 0" test "$rc" -eq 0
for f in bin/oomlens share/man/man1/oomlens.1 share/man/man1/oomlens-list.1 share/man/man5/oomlens-audit.conf.5 \
	 share/man/man7/oomlens-kernel.7 \
	 share/bash-completion/completions/oomlens share/zsh/vendor-completions/_oomlens \
	 share/fish/vendor_completions.d/oomlens.fish share/oomlens/schema/common.schema.json \
	 share/oomlens/schema/list.schema.json share/oomlens/schema/log.schema.json; do
	check "installed: /opt/ol/$f" test -f "$TMP/dest/opt/ol/$f"
done
# every page of man/, in the directory of its section, as it is in the tree
for page in "$repo"/man/*.[1-8]; do
	name=$(basename "$page")
	f=share/man/man${name##*.}/$name
	check "installed: /opt/ol/$f, the same as man/$name" cmp -s "$page" "$TMP/dest/opt/ol/$f"
done
check "the installed binary runs" eval '"$TMP/dest/opt/ol/bin/oomlens" --version | grep -q "^oomlens "'
check "every JSON Schema installed" test \
	"$(ls "$TMP/dest/opt/ol/share/oomlens/schema" | sort)" = "$(cd "$repo/schema" && ls ./*.schema.json | sed 's|^\./||' | sort)"
check "nothing outside DESTDIR/PREFIX" test "$(find "$TMP/dest" -mindepth 1 -maxdepth 1)" = "$TMP/dest/opt"
run make -s -C "$repo" uninstall DESTDIR="$TMP/dest" PREFIX=/opt/ol
check "make uninstall: no file left" eval '[ "$rc" -eq 0 ] && [ -z "$(find "$TMP/dest" -type f)" ]'
