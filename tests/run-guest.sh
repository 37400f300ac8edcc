#!/bin/bash
# Boot a QEMU (TCG) guest on a Debian kernel with vmainfo.ko and the static
# test programs in its initramfs, run a guest script, and judge the result.
#
#   tests/run-guest.sh [--script FILE] [--interactive] [--timeout S] KVER
#
# The guest has two serial ports: ttyS0 is the kernel console, ttyS1 carries
# the guest script's output (TAP), then the whole kernel log read from
# /dev/kmsg and the taint (tests/guest/init).  Prints the guest's TAP lines,
# then "ok/not ok" lines of its own: the script ran to its end, its plan and
# test files are complete (tests/check-tap.sh), the kernel log (console and
# /dev/kmsg) against tests/denylist.txt, the taint; exits non-zero on any
# failure.  Every run works in its own temporary directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${VMAINFO_CACHE:-/var/cache/vmainfo}
script=$top/tests/guest/run-tests.sh
interactive=0
# The guest's time limit: GUEST_TIMEOUT or --timeout S; unset, 3300 s, and
# 5000 s for an arm64 guest and the debug kernel, the slowest under TCG (a
# CI run of 4456 s on a slow host: the debug guest took 4231 s, the arm64
# guest passed 3300 s with three test files to go).  The limit is there so
# that a hung guest is reported as such within CI's 90 minutes.
timeout=${GUEST_TIMEOUT:-}
mem=${GUEST_MEM:-3584}	# 1 GiB of it: the hugetlb page below
smp=${GUEST_SMP:-2}
extra_append=${GUEST_APPEND:-}
while [ $# -gt 1 ]; do
	case $1 in
	--script) script=$(realpath "$2"); shift 2 ;;
	--interactive) interactive=1; shift ;;
	--timeout) timeout=$2; shift 2 ;;
	*) echo "run-guest.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
kver=${1:?usage: run-guest.sh [--script FILE] [--interactive] KVER}
kimg=$CACHE/$kver
# The debug kernel (scripts/debug-kernel.sh): KASAN, lockdep and kmemleak make
# it three or more times slower under TCG; its tests see VMAINFO_DEBUG_KERNEL=1.
# 4-level paging: with 5-level, 6.12's KASAN reports a false "wild-memory-access"
# when an interrupt comes while identify_cpu() has cleared the boot CPU's
# feature bits (LA57 off: the shadow of the 5-level direct map looks invalid).
# A limit given for the debug kernel (make stress's) is taken four times.
case $kver in
*-vmainfo-debug) timeout=$(( ${timeout:-1250} * 4 )) ;;
*-arm64) timeout=${timeout:-5000} ;;
*) timeout=${timeout:-3300} ;;
esac
case $kver in *-vmainfo-debug)
	# KASAN's shadow takes an eighth of memory: 1 GiB more, so the boot-time
	# 1 GiB hugetlb page still finds a free, aligned GiB
	[ "$mem" -lt 3584 ] || mem=$((mem + 1024))
	extra_append="no5lvl $extra_append"
	GUEST_ENV="${GUEST_ENV:-} VMAINFO_DEBUG_KERNEL=1" ;;
esac
# The guest's architecture, from its release: *-arm64 runs under
# qemu-system-aarch64 with the cross-built programs (build/guest-arm64) and
# arm64 busybox and libc from the archive ($CACHE/arm64-sysroot, deps.sh).
arch=x86_64
guestbin=$top/build/guest
case $kver in *-arm64)
	arch=arm64
	guestbin=$top/build/guest-arm64
	sysroot=${ARM64_SYSROOT:-$CACHE/arm64-sysroot}
	[ -x "$sysroot/bin/busybox" ] || { echo "run-guest.sh: no arm64 busybox in $sysroot (make deps)" >&2; exit 2; }
	[ -x "$guestbin/vmainfo" ] || { echo "run-guest.sh: $guestbin missing (make userspace)" >&2; exit 2; } ;;
esac
# GUEST_KO, GUEST_CLI: another module (e.g. the one DKMS built, .ko.xz or
# .ko.zst too) and another CLI (a dynamic one gets its libraries): the
# packages' check, tests/pkg/check-pkg.sh.
ko=${GUEST_KO:-$top/build/$kver/vmainfo.ko}
[ -f "$kimg/vmlinuz" ] || { echo "run-guest.sh: no guest kernel $kver (make deps)" >&2; exit 2; }
[ -f "$ko" ] || { echo "run-guest.sh: $ko missing (make KVER=$kver)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/vmainfo-guest.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,lib/modules,vmainfo/bin,vmainfo/tests}

# busybox and its applets (not over busybox itself)
if [ $arch = arm64 ]; then
	cp "$sysroot/bin/busybox" "$root/bin/busybox"
else
	cp /bin/busybox "$root/bin/busybox"
fi
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
done
# the module, the test programs, the CLI, the guest scripts
case $ko in
*.xz) xz -dc "$ko" > "$root/vmainfo/vmainfo.ko" ;;
*.zst) zstd -qdc "$ko" > "$root/vmainfo/vmainfo.ko" ;;
*) cp "$ko" "$root/vmainfo/vmainfo.ko" ;;
esac
cp "$guestbin"/* "$root/vmainfo/bin/"
if [ -n "${GUEST_CLI:-}" ]; then
	cp "$GUEST_CLI" "$root/vmainfo/bin/vmainfo"
	for lib in $(ldd "$GUEST_CLI" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
fi
cp -r "$top"/tests/guest/. "$root/vmainfo/tests/"
cp "$top"/tests/denylist.txt "$root/vmainfo/tests/"
cp "$script" "$root/vmainfo/tests/__main.sh"
# kernel modules the tests may load (zram for swap), decompressed
for m in zram zsmalloc lz4_compress lz4hc_compress lzo-rle lzo zstd_compress \
	 virtio virtio_ring virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk \
	 overlay; do
	f=$(find "$kimg/lib/modules/$kver" -name "$m.ko*" 2>/dev/null | head -n1)
	[ -n "$f" ] || continue
	case $f in
	*.xz) xz -dc "$f" > "$root/lib/modules/$m.ko" ;;
	*.zst) zstd -qdc "$f" > "$root/lib/modules/$m.ko" ;;
	*) cp "$f" "$root/lib/modules/$m.ko" ;;
	esac
done
# perf and its libraries, for make profile (GUEST_PERF=1): the host's own.
if [ -n "${GUEST_PERF:-}" ]; then
	perf=$(command -v perf) || { echo "run-guest.sh: no perf on the host (apt-get install linux-perf)" >&2; exit 2; }
	# Debian's /usr/bin/perf may be a wrapper script around perf_<version>
	head -c4 "$perf" | grep -q ELF || perf=$(ls /usr/bin/perf_* | sort -V | tail -n1)
	cp "$perf" "$root/bin/perf"
	for lib in $(ldd "$perf" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
fi
# A dynamically linked program with the host's ld.so and libc (t-45-text.sh).
# (arm64: the archive's arm64 sleep, ld.so and libc, unpacked by deps.sh)
mkdir -p "$root/vmainfo/dyn"
if [ $arch = arm64 ]; then
	cp "$sysroot/bin/sleep" "$root/vmainfo/dyn/sleep"
	mkdir -p "$root/lib/aarch64-linux-gnu"
	cp -L "$sysroot/lib/ld-linux-aarch64.so.1" "$root/lib/ld-linux-aarch64.so.1"
	cp -L "$sysroot/lib/aarch64-linux-gnu/libc.so.6" "$root/lib/aarch64-linux-gnu/libc.so.6"
else
	cp /usr/bin/sleep "$root/vmainfo/dyn/sleep"
	for lib in $(ldd /usr/bin/sleep | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
fi
# An ext4 disk with a 64 KiB file, the guest's /dev/vda (t-45-text.sh).
mkdir -p "$work/ext4"
head -c 65536 /dev/urandom > "$work/ext4/data.bin"
"$(PATH=$PATH:/usr/sbin:/sbin command -v mkfs.ext4)" -q -F -d "$work/ext4" "$work/disk.img" 8M >/dev/null
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/sh" >> "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
echo "nogroup:x:65534:" >> "$root/etc/group"
cp "$top/tests/guest/init" "$root/init"
chmod +x "$root/init"
echo "$interactive" > "$root/vmainfo/interactive"
# The port the guest script's TAP goes to (tests/guest/init).
if [ $arch = arm64 ]; then echo /dev/hvc0; else echo /dev/ttyS1; fi > "$root/vmainfo/channel"
# The kernel's config: tests/guest/lib.sh feature_known reads it.
# (a Debian image has boot/config-<release>; the debug kernel's cache, config)
kconfig=$(ls "$kimg"/boot/config-* "$kimg"/config 2>/dev/null | head -n1 || true)
[ -z "$kconfig" ] || cp "$kconfig" "$root/vmainfo/kconfig"
# Settings for the guest's scripts (e.g. BENCH_RUNS=5 STRESS_SECS=60).
for kv in ${GUEST_ENV:-}; do echo "export $kv"; done > "$root/vmainfo/env"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

console=ttyS0
[ $arch = x86_64 ] || console=ttyAMA0
append="console=$console panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1"
# KFENCE is built into Debian's 6.12 and 7.2: sample often, so a bad access to one of
# our allocations is caught (and, with panic_on_warn, fails the run).
case $kver in 6.12.*|7.*) append="$append kfence.sample_interval=10" ;; esac
# x86: no IO-APIC timer check at boot.  It counts timer ticks over a short
# busy-wait, and a TCG guest sharing the host's cores with the other guests
# of make check can miss them: "Kernel panic - not syncing: IO-APIC + timer
# doesn't work!" (seen with six guests on two cores).  The usual setting for
# virtual machines; the timer itself is not in question.
[ $arch != x86_64 ] || append="$append no_timer_check"
# One 1 GiB hugetlb page for t-33-huge.sh (-cpu max has pdpe1gb under TCG).
# It needs a free, aligned GiB above 4 GiB (q35 puts RAM beyond 2 GiB there):
# 3584 MB has one; smaller guests (bench, profile) go without.
[ "$mem" -lt 3584 ] || append="$append hugepagesz=1G hugepages=1"
# loglevel=5: warnings (lockdep, WARN) reach the console too, so a guest that
# dies of one (panic_on_warn) still shows it; the TAP is on another port.
append="$append quiet loglevel=5 rdinit=/init transparent_hugepage=madvise $extra_append"
# Single-threaded TCG: with multi-threaded TCG a vCPU was seen running a
# stale translation of text_poke_bp()'s temporary int3 after the kernel had
# finished patching a static key/call ("Oops: int3" in
# delayed_put_task_struct when a tracepoint probe was added or removed), an
# emulator artefact that real CPUs cannot show.  One TCG thread runs the
# vCPUs in turn, so code changes are seen by all of them at once.
if [ $arch = arm64 ]; then
	# arm64: the virt machine; -cpu max has LPA2 (52-bit VA), MTE and BTI.  pauth-impdef: QEMU's own
	# pointer-authentication hash, about twice as fast under TCG as the
	# architected QARMA.  mte=on gives the board tag memory, without which
	# QEMU hides MTE (then anonymous mmap()s lack VM_MTE_ALLOWED while brk's
	# VMA has it, and a mapping above the heap never merges into it).
	# Its one PL011 is the console; the TAP channel is
	# a virtio console (hvc0), the disk a virtio-blk PCI device.
	# GUEST_LPA2=off: a CPU without LPA2 (as Graviton 2/3, Ampere Altra),
	# where the same kernel runs 48-bit VA with 4 levels.
	cpu=max,pauth-impdef=on
	[ "${GUEST_LPA2:-on}" = on ] || cpu=$cpu,lpa2=off
	qemu=(qemu-system-aarch64 -machine virt,mte=on -accel "tcg,thread=${GUEST_TCG_THREAD:-single}"
	      -cpu "$cpu" -m "$mem" -smp "$smp"
	      -kernel "$kimg/vmlinuz" -initrd "$work/initrd.gz" -append "$append"
	      -drive "file=$work/disk.img,if=none,format=raw,id=disk0"
	      -device virtio-blk-pci,drive=disk0
	      -no-reboot -nodefaults -display none)
else
	qemu=(qemu-system-x86_64 -machine q35 -accel "tcg,thread=${GUEST_TCG_THREAD:-single}"
	      -cpu max -m "$mem" -smp "$smp"
	      -kernel "$kimg/vmlinuz" -initrd "$work/initrd.gz" -append "$append"
	      -drive "file=$work/disk.img,if=virtio,format=raw"
	      -no-reboot -nodefaults -display none)
fi

if [ "$interactive" = 1 ]; then
	exec "${qemu[@]}" -serial mon:stdio
fi

console=$work/console.log
channel=$work/channel.log
start=$(date +%s)
set +e
if [ $arch = arm64 ]; then
	chanopt=(-device virtio-serial-pci -chardev "file,id=tap,path=$channel"
		 -device virtconsole,chardev=tap)
else
	chanopt=(-serial "file:$channel")
fi
# A guest kernel that dies before init starts the test script (seen under
# TCG beside the other guests: a double fault in security_init() 0.3 s into
# the boot; the IO-APIC timer check before no_timer_check) has not run one
# line of ours: nothing is loaded before the script.  Boot it once more and
# say so; a death after the script began is never retried.
for try in 1 2; do
	rm -f "$console" "$channel"
	timeout --foreground -k 10 "$timeout" "${qemu[@]}" -serial "file:$console" \
		"${chanopt[@]}" </dev/null
	qrc=$?
	[ $try = 1 ] && ! grep -q '^VMAINFO-TAP-BEGIN' "$channel" 2>/dev/null || break
	echo "# the guest died before its test script began (qemu rc $qrc after $(( $(date +%s) - start ))s), booting it once more; its console ended:"
	tr -d '\r' < "$console" 2>/dev/null | grep -E 'panic|Oops|BUG|fault|RIP|pc :' | head -n 6 | sed 's/^/#   /'
	start=$(date +%s)
done
set -e
secs=$(( $(date +%s) - start ))
touch "$console" "$channel"
tr -d '\r' < "$console" > "$work/console.txt"
tr -d '\r' < "$channel" > "$work/channel.txt"
# The guest's own TAP, between markers, and its whole kernel log.
section() {	# FIRST-LINE-REGEX END-LINE-REGEX: the lines between
	awk -v b="$1" -v e="$2" '$0 ~ e && on { exit } on; $0 ~ b { on = 1 }' "$work/channel.txt"
}
section '^VMAINFO-TAP-BEGIN$' '^VMAINFO-TAP-END' > "$work/tap.txt"
section '^VMAINFO-KMSG-BEGIN$' '^VMAINFO-KMSG-END$' |
	sed 's/^[0-9]*,[0-9]*,[0-9]*,[^;]*;//' > "$work/kmsg.txt"
if [ -n "${GUEST_LOG:-}" ]; then
	{ cat "$work/console.txt"; echo "==== the kernel log from /dev/kmsg (every level)"
	  cat "$work/kmsg.txt"; } > "$GUEST_LOG"
fi
cat "$work/tap.txt"

fail=0
# The run is complete: script end, plan, test files, kernel log reader.  The
# suite (run-tests.sh) must have run every tests/guest/t-*.sh.
# With VMAINFO_TESTS (in GUEST_ENV: the debug guest of make check), the subset.
expect=()
if [ "$script" = "$(realpath "$top/tests/guest/run-tests.sh")" ]; then
	subset=$(tr ' ' '\n' <<< "${GUEST_ENV:-}" | sed -n 's/^VMAINFO_TESTS=//p' | tail -n 1)
	IFS=, read -r -a globs <<< "${subset:-*}"
	for f in "$top"/tests/guest/t-*.sh; do
		b=$(basename "$f")
		for g in "${globs[@]}"; do
			# shellcheck disable=SC2053
			if [[ $b == $g ]]; then expect+=("$b"); break; fi
		done
	done
fi
GUEST_SECS=$secs "$top/tests/check-tap.sh" "$kver" "$work/channel.txt" "${expect[@]}" || fail=1
if ! grep -q '^VMAINFO-TAP-END' "$work/channel.txt"; then
	echo "# qemu rc $qrc after ${secs}s; console tail:"
	tail -n 40 "$work/console.txt" | sed 's/^/# /'
fi
# Splats on the console (the kernel prints errors there, even when the guest
# dies) or anywhere in the whole kernel log (warnings reach only that).
if cat "$work/console.txt" "$work/kmsg.txt" | "$top/tests/check-dmesg.sh" > "$work/splats.txt"; then
	echo "ok - $kver: no BUG/WARNING/Oops/lockup/RCU stall/leak report in the guest's kernel log"
else
	echo "not ok - $kver: the guest's kernel log has splats"
	sed 's/^/# /' "$work/splats.txt" | head -n 60
	fail=1
fi
taint=$(sed -n 's/^VMAINFO-TAINT \([0-9]*\)$/\1/p' "$work/channel.txt" | tail -n1)
if [ -n "$taint" ] && [ $((taint & ~(4096 | 8192))) -eq 0 ]; then
	echo "ok - $kver: kernel taint $taint (only out-of-tree/unsigned module bits)"
else
	echo "not ok - $kver: kernel taint '${taint:-unknown}' has bits beyond O and E"
	fail=1
fi
grep -q '^not ok' "$work/tap.txt" && fail=1
exit $fail
