SHELL := /bin/bash
# oomlens -- make the Linux OOM killer legible
#
#   make                 build ./oomlens
#   make check           unit tests (cmocka) and CLI tests
#   make check SANITIZE=1  the same under ASan + UBSan
#   make check-valgrind  the CLI tests with oomlens under valgrind memcheck
#   make lint            mandoc -Tlint on the man pages, cppcheck on the code
#   make install / uninstall   honour PREFIX and DESTDIR
#   make bench           the benchmarks in bench/ (as root: 10000 processes, memory cgroups)
#   make fuzz            libFuzzer targets, FUZZ_TIME seconds each (default 60)

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
# the JSON Schemas of every command's JSON output: the stable interface
SCHEMADIR  ?= $(PREFIX)/share/oomlens/schema

CC         ?= cc
PKG_CONFIG ?= pkg-config
PKGS       := json-c smartcols libsystemd zlib

CFLAGS     ?= -O2 -g
WARNINGS   := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes \
              -Wstrict-prototypes -Wno-unused-parameter
ifeq ($(CI),true)
WERROR     ?= 1
endif
ifeq ($(WERROR),1)
WARNINGS   += -Werror
endif
ifeq ($(SANITIZE),1)
SANFLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS)) -lm
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Iinclude -Icmd $(WARNINGS) $(SANFLAGS) $(CPPFLAGS) \
              -DOOMLENS_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SANFLAGS) $(LDFLAGS)

LIB_SRCS   := $(wildcard lib/*.c)
CMD_SRCS   := $(wildcard cmd/*.c)
LIB_OBJS   := $(LIB_SRCS:.c=.o)
CMD_OBJS   := $(CMD_SRCS:.c=.o)
LIBA       := lib/liboomlens.a

UNIT_SRCS  := $(wildcard tests/unit/test-*.c)
# test-logscan once more with the byte-at-a-time scan only (no vectors)
UNIT_BINS  := $(UNIT_SRCS:.c=) tests/unit/test-logscan-bytes

MANPAGES   := $(wildcard man/*.1)
MANPAGES5  := $(wildcard man/*.5)
MANPAGES7  := $(wildcard man/*.7)
SCHEMAS    := $(wildcard schema/*.schema.json)

all: oomlens

# Rebuild everything when the flags change (plain <-> SANITIZE=1).
.build-flags: FORCE
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@

%.o: %.c .build-flags $(wildcard include/oomlens/*.h) $(wildcard cmd/*.h)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJS)
	$(AR) rcs $@ $^

oomlens: $(CMD_OBJS) $(LIBA)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJS) $(LIBA) $(PKG_LIBS)

tests/unit/test-%: tests/unit/test-%.c $(LIBA) .build-flags $(wildcard tests/unit/*.h)
	$(CC) $(ALL_CFLAGS) $(shell $(PKG_CONFIG) --cflags cmocka) -o $@ $< $(LIBA) \
		$(ALL_LDFLAGS) $(PKG_LIBS) $(shell $(PKG_CONFIG) --libs cmocka)

# (the anchors come from the parser's table, in $(LIBA); its own logscan.o is not linked)
tests/unit/test-logscan-bytes: tests/unit/test-logscan.c tests/unit/logscan-ref.h lib/logscan.c $(LIBA) .build-flags
	$(CC) $(ALL_CFLAGS) -DOOMLENS_NO_VECTORS $(shell $(PKG_CONFIG) --cflags cmocka) -o $@ \
		tests/unit/test-logscan.c lib/logscan.c $(LIBA) $(ALL_LDFLAGS) $(PKG_LIBS) \
		$(shell $(PKG_CONFIG) --libs cmocka)

# never sanitized: its memory footprint is what the live tests measure
tests/helpers/%: tests/helpers/%.c
	$(CC) -std=gnu11 -D_GNU_SOURCE -O2 $(WARNINGS) -o $@ $<

check: oomlens $(UNIT_BINS) tests/helpers/hog tests/helpers/churn
	@OOMLENS=$(CURDIR)/oomlens HOG=$(CURDIR)/tests/helpers/hog SANITIZED=$(SANITIZE) \
		tests/run-tests.sh $(UNIT_BINS)

# The CLI tests with oomlens under valgrind memcheck (those not bound to
# timing: the live churn, memcg and watch tests are left out).
VALGRIND_TESTS ?= commands list explain log snapshot audit badargs hostile
check-valgrind: oomlens tests/helpers/hog
	@mkdir -p tests/tmp/valgrind && rm -f tests/tmp/valgrind/valgrind.*
	@OOMLENS=$(CURDIR)/tests/valgrind-oomlens VALGRIND_LOGS=$(CURDIR)/tests/tmp/valgrind \
		HOG=$(CURDIR)/tests/helpers/hog ONLY="$(VALGRIND_TESTS)" tests/run-tests.sh

lint:
	mandoc -Tlint -Wwarning $(MANPAGES) $(MANPAGES5) $(MANPAGES7)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr -Iinclude -Icmd --suppress=missingIncludeSystem \
		lib cmd

# libFuzzer targets (clang): make fuzz [FUZZ_TIME=seconds per target]
FUZZ_TIME  ?= 60
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BINS  := $(FUZZ_SRCS:.c=)
FUZZ_FLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 -Iinclude -fsanitize=fuzzer,address,undefined \
              -fno-sanitize-recover=all \
              $(PKG_CFLAGS)

tests/fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(LIB_SRCS) $(wildcard include/oomlens/*.h) $(wildcard tests/unit/*.h)
	clang $(FUZZ_FLAGS) -o $@ $< $(LIB_SRCS) $(PKG_LIBS)

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		name=$$(basename $$f); corpus=tests/tmp/corpus-$$name; mkdir -p $$corpus; \
		echo "fuzz: $$name for $(FUZZ_TIME)s"; \
		$$f -max_total_time=$(FUZZ_TIME) -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
			$$corpus $$(cat tests/fuzz/$$name.seeds) > tests/tmp/$$name.log 2>&1; rc=$$?; \
		grep -E 'DONE|stat::number_of_executed_units|stat::average_exec_per_sec' tests/tmp/$$name.log; \
		if [ $$rc -ne 0 ]; then tail -n 40 tests/tmp/$$name.log; exit 1; fi; \
	done

# memcg-predict.sh exits 77 (and says why) where it cannot run: no writable
# cgroup-v1 memory controller, no kernel log, not root
bench: oomlens
	bench/list-vs-ps.sh
	bench/log-vs-grep.sh
	bench/diff-vs-list.sh
	bench/memcg-predict.sh || [ $$? -eq 77 ]

install: oomlens
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR) \
		$(DESTDIR)$(SCHEMADIR)
	install -m 755 oomlens $(DESTDIR)$(BINDIR)/oomlens
	install -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MANPAGES5) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 $(MANPAGES7) $(DESTDIR)$(MANDIR)/man7/
	install -m 644 completions/oomlens.bash $(DESTDIR)$(BASHCOMPDIR)/oomlens
	install -m 644 completions/_oomlens $(DESTDIR)$(ZSHCOMPDIR)/_oomlens
	install -m 644 completions/oomlens.fish $(DESTDIR)$(FISHCOMPDIR)/oomlens.fish
	install -m 644 $(SCHEMAS) $(DESTDIR)$(SCHEMADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/oomlens
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MANPAGES)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MANPAGES5)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(MANPAGES7)))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/oomlens $(DESTDIR)$(ZSHCOMPDIR)/_oomlens \
		$(DESTDIR)$(FISHCOMPDIR)/oomlens.fish
	rm -f $(addprefix $(DESTDIR)$(SCHEMADIR)/,$(notdir $(SCHEMAS)))
	-rmdir $(DESTDIR)$(SCHEMADIR) $(DESTDIR)$(PREFIX)/share/oomlens 2>/dev/null

clean:
	rm -f oomlens $(LIB_OBJS) $(CMD_OBJS) $(LIBA) $(UNIT_BINS) tests/helpers/hog tests/helpers/churn $(FUZZ_BINS) .build-flags
	rm -rf tests/tmp

.PHONY: all check check-valgrind lint bench fuzz install uninstall clean FORCE
