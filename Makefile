# vmainfo: the one entry point.  See README.md.  'make help' lists the targets:
# each is documented by a "## target: text" line above its rule (more lines
# starting with "##   " continue the text).
.DELETE_ON_ERROR:
SHELL := /bin/bash

BUILD   := build
KLIST   := $(BUILD)/kernels.list
GUEST_KERNELS = $(shell cat $(KLIST) 2>/dev/null)
RUNNING := $(shell uname -r)

ifneq ($(KVER),)
KERNELS := $(KVER)
else ifneq ($(wildcard /lib/modules/$(RUNNING)/build/Makefile),)
KERNELS := $(RUNNING)
else
KERNELS = $(GUEST_KERNELS)
endif

# scripts/kbuild.sh finds each release's kbuild tree (a sid chroot for sid's kernel).
MODULE_SRCS := Kbuild $(wildcard module/*.c module/*.h)
# One version for module, CLI, man page and packages.
VERSION := $(shell cat VERSION)

# Our builds fail on a warning; a user's or DKMS's kbuild run does not (Kbuild).
WERROR  ?= 1
CC      ?= cc
CFLAGS  ?= -O2 -g
USER_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Imodule -Iuserspace \
	       -DVMAINFO_VERSION='"$(VERSION)"' $(CPPFLAGS) $(CFLAGS)

CLI_SRCS := userspace/main.c userspace/parse.c userspace/render.c userspace/json.c \
	    userspace/util.c userspace/pagemap.c userspace/share.c userspace/watch.c
CLI_HDRS := $(wildcard userspace/*.h) module/vmainfo_abi.h $(BUILD)/bpf/watch.skel.h VERSION
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Iuserspace -I/usr/include/$(shell uname -m)-linux-gnu
LIBS_HOST   := -lbpf -lelf -lz
LIBS_STATIC := -l:libbpf.a -l:libelf.a -l:libz.a -l:libzstd.a
PROGS    := $(patsubst tests/progs/%.c,%,$(wildcard tests/progs/*.c))

.PHONY: all module userspace deps check unit guest-check demo shell bench profile stress clean help \
	check-debug debug-kernel ko-one print-user-cflags print-unit-srcs \
	install uninstall modules_install modules_uninstall install-dkms-src deb

## all: module (running kernel if its headers exist, else the guest kernels) and
##   the CLI and test programs; KVER=R: the module for kernel release R only
all: module userspace

## help: this list
help:
	@sed -n -e 's/^## \([a-z_-]*\): \(.*\)/  make \1\t\2/p' -e 's/^##   /                      /p' $(MAKEFILE_LIST) | \
		expand -t 22

$(KLIST):
	@scripts/deps.sh

## deps: install what is missing (Debian 12, as root), write build/kernels.list
deps:
	@scripts/deps.sh

# Targets that run right after deps.sh read $(KLIST) in the shell: make expands
# a whole recipe before running it, so $(GUEST_KERNELS) would still be empty.

# One output directory per kernel release: build/<release>/vmainfo.ko.  The
# sources are linked in, so Kbuild's objects never land in module/.
# scripts/kbuild.sh runs Kbuild for the release (in the sid chroot for sid's).
## module: the module only, for each kernel in KERNELS (KVER=R: release R);
##   WERROR=0 builds it without -Werror
module: $(if $(KVER),,$(if $(wildcard /lib/modules/$(RUNNING)/build/Makefile),,$(KLIST)))
	@set -e; for k in $(KERNELS); do $(MAKE) --no-print-directory ko-one K=$$k; done

## ko-one: the module for one kernel release K=R
ko-one:
	@out=$(BUILD)/$(K); mkdir -p $$out/module; \
	ln -sfn $(CURDIR)/Kbuild $$out/Kbuild; ln -sfn $(CURDIR)/VERSION $$out/VERSION; \
	for f in module/*.c module/*.h; do ln -sfn $(CURDIR)/$$f $$out/$$f; done; \
	scripts/kbuild.sh $(K) $(CURDIR)/$$out VMAINFO_WERROR=$(if $(filter 1 y,$(WERROR)),y) \
		$(if $(filter %-arm64,$(K)),$(ARM64_KBUILD)) modules >$$out/build.log 2>&1 || \
		{ cat $$out/build.log >&2; exit 1; }; \
	echo "  built $$out/vmainfo.ko"

# Host CLI (dynamic) and the static binaries the guests run; for an arm64
# guest kernel in the list, the same cross-built into build/guest-arm64.
## userspace: the host CLI and the static CLI and test programs for the guests
##   (and build/guest-arm64 when an arm64 guest kernel is listed)
userspace: $(BUILD)/host/vmainfo $(BUILD)/guest/vmainfo $(PROGS:%=$(BUILD)/guest/%) \
	$(if $(filter %-arm64,$(GUEST_KERNELS)),userspace-arm64)

# vmainfo watch: the BPF object, embedded through its skeleton.
$(BUILD)/bpf/watch.bpf.o: userspace/watch.bpf.c userspace/watch.h
	@mkdir -p $(@D)
	clang $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bpf/watch.skel.h: $(BUILD)/bpf/watch.bpf.o
	bpftool gen skeleton $< name watch_bpf > $@

$(BUILD)/host/vmainfo: $(CLI_SRCS) $(CLI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -I$(BUILD)/bpf $(LDFLAGS) -o $@ $(CLI_SRCS) $(LIBS_HOST)

$(BUILD)/guest/vmainfo: $(CLI_SRCS) $(CLI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -I$(BUILD)/bpf -static -o $@ $(CLI_SRCS) $(LIBS_STATIC)

$(BUILD)/guest/%: tests/progs/%.c tests/progs/*.h userspace/parse.c userspace/util.c userspace/pagemap.c $(wildcard userspace/*.h) module/vmainfo_abi.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -Itests/progs -static -pthread -o $@ $< userspace/parse.c userspace/util.c userspace/pagemap.c

# arm64: the module with the arm64 headers (the headers' own Makefile sets
# the cross compiler too; said here so nothing depends on that), userspace
# with bookworm's cross gcc against static arm64 libraries unpacked from the
# archive's .debs by scripts/deps.sh into $(ARM64_SYSROOT) (no dpkg
# multiarch: the host's package state stays as it is).  The BPF object is
# the same source for the arm64 target (pt_regs, the fault probe).
ARM64_KBUILD  := ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
VMAINFO_CACHE ?= /var/cache/vmainfo
ARM64_SYSROOT ?= $(VMAINFO_CACHE)/arm64-sysroot
ARM64_CC      := aarch64-linux-gnu-gcc
ARM64_CFLAGS  := $(USER_CFLAGS) -isystem $(ARM64_SYSROOT)/usr/include
ARM64_LIBS    := -L$(ARM64_SYSROOT)/usr/lib/aarch64-linux-gnu $(LIBS_STATIC)
BPF_CFLAGS_ARM64 := -g -O2 -target bpf -D__TARGET_ARCH_arm64 -Iuserspace -I/usr/aarch64-linux-gnu/include

.PHONY: userspace-arm64
## userspace-arm64: the static CLI and test programs for the arm64 guest
userspace-arm64: $(BUILD)/guest-arm64/vmainfo $(PROGS:%=$(BUILD)/guest-arm64/%)

$(BUILD)/bpf-arm64/watch.bpf.o: userspace/watch.bpf.c userspace/watch.h
	@mkdir -p $(@D)
	clang $(BPF_CFLAGS_ARM64) -c $< -o $@

$(BUILD)/bpf-arm64/watch.skel.h: $(BUILD)/bpf-arm64/watch.bpf.o
	bpftool gen skeleton $< name watch_bpf > $@

$(BUILD)/guest-arm64/vmainfo: $(CLI_SRCS) $(filter-out $(BUILD)/bpf/%,$(CLI_HDRS)) $(BUILD)/bpf-arm64/watch.skel.h
	@mkdir -p $(@D)
	$(ARM64_CC) $(ARM64_CFLAGS) -I$(BUILD)/bpf-arm64 -static -o $@ $(CLI_SRCS) $(ARM64_LIBS)

$(BUILD)/guest-arm64/%: tests/progs/%.c tests/progs/*.h userspace/parse.c userspace/util.c userspace/pagemap.c $(wildcard userspace/*.h) module/vmainfo_abi.h
	@mkdir -p $(@D)
	$(ARM64_CC) $(ARM64_CFLAGS) -Itests/progs -static -pthread -o $@ $< userspace/parse.c userspace/util.c userspace/pagemap.c

## unit: host unit tests (the CLI's parser, fuzzed; TAP and deny-list checks)
# The unit tests' build: the CLI's flags and parser (tests/unit/test-parse.sh).
UNIT_SRCS := userspace/parse.c userspace/util.c userspace/json.c userspace/pagemap.c
## print-user-cflags: the CLI's compiler flags (for tests/unit/test-parse.sh)
print-user-cflags:
	@echo '$(USER_CFLAGS)'
## print-unit-srcs: the CLI sources the unit tests build
print-unit-srcs:
	@echo '$(UNIT_SRCS)'

unit: $(BUILD)/host/vmainfo
	@tests/unit/run.sh

# The debug kernel (scripts/debug-kernel.sh, release in $(DLIST)) runs beside
# the two Debian guests in make check, with the tests in CHECK_DEBUG_TESTS
# (comma-separated globs; empty: all of them).  DEBUG_KERNEL=0 leaves it out.
DLIST := $(BUILD)/debug-kernel.list
DEBUG_KERNEL ?= 1
CHECK_DEBUG_TESTS ?= t-10-*,t-22-*,t-25-*,t-26-*,t-30-*,t-35-*,t-80-*

## check: host unit tests, then guest tests on every guest kernel, and the
##   walker/table/access/stress tests on the debug kernel (DEBUG_KERNEL=0: not)
check:
	@scripts/deps.sh $(if $(filter 0,$(DEBUG_KERNEL)),,--debug-kernel)
	@$(MAKE) --no-print-directory all
	@$(if $(filter 0,$(DEBUG_KERNEL)),true,$(MAKE) --no-print-directory module KVER=$$(cat $(DLIST)))
	@CHECK_EXTRA="$(if $(filter 0,$(DEBUG_KERNEL)),,$$(cat $(DLIST)))" CHECK_EXTRA_TESTS="$(CHECK_DEBUG_TESTS)" \
		tests/check.sh $$(cat $(KLIST))

## debug-kernel: build the debug kernel only (scripts/debug-kernel.sh)
debug-kernel:
	@scripts/debug-kernel.sh

# Everything on the debug kernel: the suite and, beside it, the stress run
# (DURATION=seconds, default 60); kmemleak judges the load/unload cycles.
## check-debug: the whole guest suite and the stress run on the debug kernel
##   (KASAN, lockdep, kmemleak, ...; built once, cached)
check-debug:
	@scripts/deps.sh --debug-kernel
	@$(MAKE) --no-print-directory userspace
	@$(MAKE) --no-print-directory module KVER=$$(cat $(DLIST))
	@k=$$(cat $(DLIST)); STRESS_SECS=$${DURATION:-60} CHECK_EXTRA="$$k@stress" \
		tests/check.sh --guest-only $$k

## guest-check: the guest tests on every guest kernel, no host unit tests
guest-check: all
	@tests/check.sh --guest-only $$(cat $(KLIST))

## demo: boot a guest, load the module, show a demo process
demo:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@tests/run-guest.sh --script tests/guest/demo.sh $(or $(KVER),$$(grep -v -- "-arm64$$" $(KLIST) | tail -n1))

## bench: benchmark against maps/smaps/pagemap/PAGEMAP_SCAN, every guest (RUNS=n)
bench:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@set -e; for k in $(or $(KVER),$$(cat $(KLIST))); do \
		GUEST_MEM=3072 GUEST_ENV="BENCH_RUNS=$${RUNS:-5}" tests/run-guest.sh \
			--script tests/guest/bench.sh $$k | tee $(BUILD)/bench-$$k.txt; \
		sed -n 's/^# //p' $(BUILD)/bench-$$k.txt | sed -n '/^###/,$$p' > $(BUILD)/bench-$$k.md; \
	done; echo "reports: $(BUILD)/bench-*.md"

## profile: perf profiles of the big reads in the guests (READS=n HOT=n)
profile:
	@scripts/deps.sh
	@command -v perf > /dev/null || apt-get install -y -q linux-perf > /dev/null
	@$(MAKE) --no-print-directory all
	@set -e; for k in $(or $(KVER),$$(cat $(KLIST))); do \
		GUEST_PERF=1 GUEST_MEM=3072 GUEST_ENV="PROFILE_READS=$${READS:-10} PROFILE_HOT=$${HOT:-0}" \
			tests/run-guest.sh --script tests/guest/profile.sh $$k | \
			tee $(BUILD)/profile-$$k.txt; \
	done; echo "profiles: $(BUILD)/profile-*.txt"

## stress: the stress run alone (DURATION=seconds, default 60)
stress:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@set -e; for k in $$(cat $(KLIST)); do \
		GUEST_ENV="STRESS_SECS=$${DURATION:-60}" tests/run-guest.sh \
			--timeout $$(( $${DURATION:-60} + 600 )) --script tests/guest/stress.sh $$k; \
	done

## shell: interactive guest with the module loaded (KVER=... to pick)
shell:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@tests/run-guest.sh --interactive $(or $(KVER),$$(grep -v -- "-arm64$$" $(KLIST) | tail -n1))

# --- Installing (README "On a real machine"; packages: make deb, debian/)
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL     ?= install
# the CLI make install installs (debian/rules: the static arm64 one, cross)
INSTALL_CLI ?= $(BUILD)/host/vmainfo
MOD_DIR      = $(DESTDIR)/lib/modules/$(1)/updates

# The man page, with the version from VERSION.
$(BUILD)/man/vmainfo.1: Documentation/vmainfo.1.rst VERSION
	@mkdir -p $(@D)
	sed 's/^:Version: .*/:Version: $(VERSION)/' $< | rst2man --exit-status=2 > $@.tmp
	mv $@.tmp $@

## install: CLI, man page, bash completion under PREFIX (/usr/local); DESTDIR too
install: $(INSTALL_CLI) $(BUILD)/man/vmainfo.1
	$(INSTALL) -D -m 755 $(INSTALL_CLI) $(DESTDIR)$(BINDIR)/vmainfo
	$(INSTALL) -D -m 644 $(BUILD)/man/vmainfo.1 $(DESTDIR)$(MANDIR)/man1/vmainfo.1
	$(INSTALL) -D -m 644 userspace/vmainfo.bash-completion $(DESTDIR)$(BASHCOMPDIR)/vmainfo

## uninstall: remove what make install installed (same PREFIX, DESTDIR)
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vmainfo $(DESTDIR)$(MANDIR)/man1/vmainfo.1 \
	      $(DESTDIR)$(BASHCOMPDIR)/vmainfo

# Like a kernel's modules_install: updates/ wins over the kernel's own tree.
# depmod runs for the live tree only (not with DESTDIR).
## modules_install: the module for KERNELS (KVER=R) into
##   /lib/modules/<release>/updates (DESTDIR too), then depmod
modules_install: module
	@set -e; for k in $(KERNELS); do \
		$(INSTALL) -D -m 644 $(BUILD)/$$k/vmainfo.ko $(call MOD_DIR,$$k)/vmainfo.ko; \
		echo "  installed $(call MOD_DIR,$$k)/vmainfo.ko"; \
		[ -n "$(DESTDIR)" ] || [ ! -f /lib/modules/$$k/modules.order ] || depmod -a $$k; \
	done

## modules_uninstall: remove what modules_install installed
modules_uninstall:
	@set -e; for k in $(KERNELS); do \
		rm -f $(call MOD_DIR,$$k)/vmainfo.ko; \
		rmdir --ignore-fail-on-non-empty $(call MOD_DIR,$$k) 2>/dev/null || true; \
		[ -n "$(DESTDIR)" ] || [ ! -f /lib/modules/$$k/modules.order ] || depmod -a $$k; \
	done

# The DKMS source tree /usr/src/vmainfo-<version> (package vmainfo-dkms; dh_dkms
# adds dkms.conf there).  By hand: make install-dkms-src, then
# install -m 644 dkms.conf /usr/src/vmainfo-$(VERSION)/ with #MODULE_VERSION#
# replaced, and dkms install vmainfo/$(VERSION).
DKMS_SRC := Kbuild VERSION $(wildcard module/*.c module/*.h)
## install-dkms-src: the DKMS source tree /usr/src/vmainfo-<version> (DESTDIR too)
install-dkms-src:
	@set -e; for f in $(DKMS_SRC); do \
		$(INSTALL) -D -m 644 $$f $(DESTDIR)/usr/src/vmainfo-$(VERSION)/$$f; done

# Debian packages (scripts/deb.sh): build/deb/vmainfo-dkms_<v>_all.deb and
# vmainfo_<v>_<arch>.deb, built from a copy of the sources in build/deb/src.
## deb: Debian packages vmainfo-dkms and vmainfo in build/deb/ (scripts/deb.sh)
deb:
	@scripts/deb.sh

## clean: remove build/
clean:
	rm -rf $(BUILD)
