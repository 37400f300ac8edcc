# vmainfo: the one entry point.  See README.md.
#
#   make            module (running kernel if its headers exist, else the guest
#                   kernels) and the CLI
#   make KVER=R     module for kernel release R only
#   make deps       install what is missing (Debian 12, as root)
#   make check      host unit tests, then guest tests on both guest kernels,
#                   and the walker/table/access/stress tests on the debug kernel
#   make demo       boot a guest, load the module, show a demo process
#   make shell      interactive guest with the module loaded (KVER=... to pick)
#   make bench      benchmark against maps/smaps/pagemap/PAGEMAP_SCAN, both guests
#   make profile    perf profiles of the big reads in the guests (READS=n HOT=n)
#   make stress     the stress run alone (DURATION=seconds, default 60)
#   make check-debug  the whole guest suite and the stress run on the debug
#                   kernel (KASAN, lockdep, kmemleak, ...; built once, cached)
#   make debug-kernel  build that kernel only (scripts/debug-kernel.sh)
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

VMAINFO_CACHE ?= /var/cache/vmainfo
kdir = $(patsubst %/Makefile,%,$(firstword $(wildcard /lib/modules/$(1)/build/Makefile /usr/src/linux-headers-$(1)/Makefile $(VMAINFO_CACHE)/$(1)/build/Makefile)))
MODULE_SRCS := Kbuild $(wildcard module/*.c module/*.h)

CC      ?= cc
CFLAGS  ?= -O2 -g
USER_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Imodule -Iuserspace $(CFLAGS)

CLI_SRCS := userspace/main.c userspace/parse.c userspace/render.c userspace/json.c \
	    userspace/util.c userspace/pagemap.c userspace/watch.c
CLI_HDRS := $(wildcard userspace/*.h) module/vmainfo_abi.h $(BUILD)/bpf/watch.skel.h
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Iuserspace -I/usr/include/$(shell uname -m)-linux-gnu
LIBS_HOST   := -lbpf -lelf -lz
LIBS_STATIC := -l:libbpf.a -l:libelf.a -l:libz.a -l:libzstd.a
PROGS    := $(patsubst tests/progs/%.c,%,$(wildcard tests/progs/*.c))

.PHONY: all module userspace deps check unit guest-check demo shell bench profile stress clean help \
	check-debug debug-kernel

all: module userspace

help:
	@sed -n '2,16p' Makefile

$(KLIST):
	@scripts/deps.sh

deps:
	@scripts/deps.sh

# Targets that run right after deps.sh read $(KLIST) in the shell: make expands
# a whole recipe before running it, so $(GUEST_KERNELS) would still be empty.

# One output directory per kernel release: build/<release>/vmainfo.ko.  The
# sources are linked in, so Kbuild's objects never land in module/.
module: $(if $(KVER),,$(if $(wildcard /lib/modules/$(RUNNING)/build/Makefile),,$(KLIST)))
	@set -e; for k in $(KERNELS); do $(MAKE) --no-print-directory ko-one K=$$k; done

ko-one:
	@kd="$(call kdir,$(K))"; \
	if [ -z "$$kd" ]; then echo "no kbuild headers for $(K): run 'make deps'" >&2; exit 1; fi; \
	out=$(BUILD)/$(K); mkdir -p $$out/module; \
	ln -sfn $(CURDIR)/Kbuild $$out/Kbuild; \
	for f in module/*.c module/*.h; do ln -sfn $(CURDIR)/$$f $$out/$$f; done; \
	$(MAKE) --no-print-directory -C $$kd M=$(CURDIR)/$$out $(if $(filter %-arm64,$(K)),$(ARM64_KBUILD)) \
		modules >$$out/build.log 2>&1 || \
		{ cat $$out/build.log >&2; exit 1; }; \
	echo "  built $$out/vmainfo.ko"

# Host CLI (dynamic) and the static binaries the guests run; for an arm64
# guest kernel in the list, the same cross-built into build/guest-arm64.
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
	$(CC) $(USER_CFLAGS) -I$(BUILD)/bpf -o $@ $(CLI_SRCS) $(LIBS_HOST)

$(BUILD)/guest/vmainfo: $(CLI_SRCS) $(CLI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -I$(BUILD)/bpf -static -o $@ $(CLI_SRCS) $(LIBS_STATIC)

$(BUILD)/guest/%: tests/progs/%.c tests/progs/*.h userspace/parse.c userspace/util.c userspace/cli.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -Itests/progs -static -pthread -o $@ $< userspace/parse.c userspace/util.c userspace/pagemap.c

# arm64: the module with the arm64 headers (the headers' own Makefile sets
# the cross compiler too; said here so nothing depends on that), userspace
# with bookworm's cross gcc against static arm64 libraries unpacked from the
# archive's .debs by scripts/deps.sh into $(ARM64_SYSROOT) (no dpkg
# multiarch: the host's package state stays as it is).  The BPF object is
# the same source for the arm64 target (pt_regs, the fault probe).
ARM64_KBUILD  := ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
ARM64_SYSROOT ?= $(VMAINFO_CACHE)/arm64-sysroot
ARM64_CC      := aarch64-linux-gnu-gcc
ARM64_CFLAGS  := $(USER_CFLAGS) -isystem $(ARM64_SYSROOT)/usr/include
ARM64_LIBS    := -L$(ARM64_SYSROOT)/usr/lib/aarch64-linux-gnu $(LIBS_STATIC)
BPF_CFLAGS_ARM64 := -g -O2 -target bpf -D__TARGET_ARCH_arm64 -Iuserspace -I/usr/aarch64-linux-gnu/include

.PHONY: userspace-arm64
userspace-arm64: $(BUILD)/guest-arm64/vmainfo $(PROGS:%=$(BUILD)/guest-arm64/%)

$(BUILD)/bpf-arm64/watch.bpf.o: userspace/watch.bpf.c userspace/watch.h
	@mkdir -p $(@D)
	clang $(BPF_CFLAGS_ARM64) -c $< -o $@

$(BUILD)/bpf-arm64/watch.skel.h: $(BUILD)/bpf-arm64/watch.bpf.o
	bpftool gen skeleton $< name watch_bpf > $@

$(BUILD)/guest-arm64/vmainfo: $(CLI_SRCS) $(filter-out $(BUILD)/bpf/%,$(CLI_HDRS)) $(BUILD)/bpf-arm64/watch.skel.h
	@mkdir -p $(@D)
	$(ARM64_CC) $(ARM64_CFLAGS) -I$(BUILD)/bpf-arm64 -static -o $@ $(CLI_SRCS) $(ARM64_LIBS)

$(BUILD)/guest-arm64/%: tests/progs/%.c tests/progs/*.h userspace/parse.c userspace/util.c userspace/cli.h
	@mkdir -p $(@D)
	$(ARM64_CC) $(ARM64_CFLAGS) -Itests/progs -static -pthread -o $@ $< userspace/parse.c userspace/util.c userspace/pagemap.c

unit: $(BUILD)/host/vmainfo
	@tests/unit/run.sh

# The debug kernel (scripts/debug-kernel.sh, release in $(DLIST)) runs beside
# the two Debian guests in make check, with the tests in CHECK_DEBUG_TESTS
# (comma-separated globs; empty: all of them).  DEBUG_KERNEL=0 leaves it out.
DLIST := $(BUILD)/debug-kernel.list
DEBUG_KERNEL ?= 1
CHECK_DEBUG_TESTS ?= t-10-*,t-2*,t-30-*,t-80-*

check:
	@scripts/deps.sh $(if $(filter 0,$(DEBUG_KERNEL)),,--debug-kernel)
	@$(MAKE) --no-print-directory all
	@$(if $(filter 0,$(DEBUG_KERNEL)),true,$(MAKE) --no-print-directory module KVER=$$(cat $(DLIST)))
	@CHECK_EXTRA="$(if $(filter 0,$(DEBUG_KERNEL)),,$$(cat $(DLIST)))" CHECK_EXTRA_TESTS="$(CHECK_DEBUG_TESTS)" \
		tests/check.sh $$(cat $(KLIST))

debug-kernel:
	@scripts/debug-kernel.sh

# Everything on the debug kernel: the suite and, beside it, the stress run
# (DURATION=seconds, default 60); kmemleak judges the load/unload cycles.
check-debug:
	@scripts/deps.sh --debug-kernel
	@$(MAKE) --no-print-directory userspace
	@$(MAKE) --no-print-directory module KVER=$$(cat $(DLIST))
	@k=$$(cat $(DLIST)); STRESS_SECS=$${DURATION:-60} CHECK_EXTRA="$$k@stress" \
		tests/check.sh --guest-only $$k

guest-check: all
	@tests/check.sh --guest-only $$(cat $(KLIST))

demo:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@tests/run-guest.sh --script tests/guest/demo.sh $(or $(KVER),$$(grep -v -- "-arm64$$" $(KLIST) | tail -n1))

bench:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@set -e; for k in $(or $(KVER),$$(cat $(KLIST))); do \
		GUEST_MEM=3072 GUEST_ENV="BENCH_RUNS=$${RUNS:-5}" tests/run-guest.sh \
			--script tests/guest/bench.sh $$k | tee $(BUILD)/bench-$$k.txt; \
		sed -n 's/^# //p' $(BUILD)/bench-$$k.txt | sed -n '/^###/,$$p' > $(BUILD)/bench-$$k.md; \
	done; echo "reports: $(BUILD)/bench-*.md"

profile:
	@scripts/deps.sh
	@command -v perf > /dev/null || apt-get install -y -q linux-perf > /dev/null
	@$(MAKE) --no-print-directory all
	@set -e; for k in $(or $(KVER),$$(cat $(KLIST))); do \
		GUEST_PERF=1 GUEST_MEM=3072 GUEST_ENV="PROFILE_READS=$${READS:-10} PROFILE_HOT=$${HOT:-0}" \
			tests/run-guest.sh --script tests/guest/profile.sh $$k | \
			tee $(BUILD)/profile-$$k.txt; \
	done; echo "profiles: $(BUILD)/profile-*.txt"

stress:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@set -e; for k in $$(cat $(KLIST)); do \
		GUEST_ENV="STRESS_SECS=$${DURATION:-60}" tests/run-guest.sh \
			--timeout $$(( $${DURATION:-60} + 600 )) --script tests/guest/stress.sh $$k; \
	done

shell:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@tests/run-guest.sh --interactive $(or $(KVER),$$(grep -v -- "-arm64$$" $(KLIST) | tail -n1))

clean:
	rm -rf $(BUILD)
