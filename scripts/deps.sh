#!/bin/bash
# Install everything vmainfo needs on a Debian 12 host: idempotent, quick when all is there.
#   - build tools, QEMU, busybox, cpio, clang, libbpf, bpftool, static libs
#   - the newest Debian 6.1 and 6.12 cloud kernels: kbuild headers via apt-get, the image
#     (vmlinuz + modules) unpacked under $VMAINFO_CACHE/<release> for the QEMU guests.
#   - the newest Debian sid cloud kernel (7.x, the third line of kernels.list): see
#     deps_sid below.
#   - arm64: the cross compiler, qemu-system-arm, the arm64 6.12 cloud kernel and its
#     headers (with the host's amd64 linux-kbuild), a sysroot of arm64 static libraries.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${VMAINFO_CACHE:-/var/cache/vmainfo}
PKGS="build-essential make gcc bc flex bison libelf-dev pkg-config xz-utils zstd
      qemu-system-x86 busybox-static cpio clang llvm libbpf-dev bpftool
      zlib1g-dev libzstd-dev kmod libclang-rt-14-dev mmdebstrap"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			echo "$p"
	done
}

updated=0
apt_update_once() {
	[ $updated = 1 ] && return
	as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
	updated=1
}

# shellcheck disable=SC2086
miss=$(missing_pkgs $PKGS)
if [ -n "$miss" ]; then
	echo "deps: installing $(echo $miss)"
	apt_update_once
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $miss >/dev/null
fi

# --- arm64 (the arm64 6.12 guest): its own apt configuration, cross tools,
# the guest kernel and headers, and a sysroot of arm64 libraries and programs.
# The archive's arm64 lists live in $CACHE/apt-arm64 (the host's sources,
# architecture arm64, its own lists and status), so apt-get download and
# apt-cache see arm64 packages without dpkg multiarch: nothing of the host's
# package state changes, and no other apt user pays for arm64 lists.
A64=$CACHE/apt-arm64
export ARM64_APT_CONFIG=$A64/apt.conf
ARM64_PKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
# static libraries for the CLI and test programs, busybox and a dynamically
# linked program (sleep, ld.so, libc) for the guest
ARM64_SYSROOT_DEBS="libbpf-dev libbpf1 libelf-dev libelf1 zlib1g-dev zlib1g libzstd-dev libzstd1
		    busybox-static coreutils libc6"
apt_arm64() { APT_CONFIG=$ARM64_APT_CONFIG "$@"; }
arm64_setup() {
	# shellcheck disable=SC2086
	miss=$(missing_pkgs $ARM64_PKGS)
	if [ -n "$miss" ]; then
		echo "deps: installing $(echo $miss)"
		apt_update_once
		# shellcheck disable=SC2086
		as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
			install -y -qq --no-install-recommends $miss >/dev/null
	fi
	if [ ! -f "$A64/apt.conf" ]; then
		as_root mkdir -p "$A64/lists/partial" "$A64/cache/archives/partial"
		as_root touch "$A64/status"
		as_root tee "$A64/apt.conf" > /dev/null <<-EOF
		APT::Architecture "arm64";
		APT::Architectures { "arm64"; };
		Dir::Etc::sourcelist "/etc/apt/sources.list";
		Dir::Etc::sourceparts "/etc/apt/sources.list.d";
		Dir::State::Lists "$A64/lists";
		Dir::Cache "$A64/cache";
		Dir::State::status "$A64/status";
		Acquire::Languages "none";
		APT::Sandbox::User "root";
		EOF
	fi
	ls "$A64"/lists/*_Packages > /dev/null 2>&1 || arm64_update
}
arm64_updated=0
arm64_update() {
	[ $arm64_updated = 1 ] && return
	as_root env APT_CONFIG="$ARM64_APT_CONFIG" apt-get update -qq
	arm64_updated=1
}
# download PKG... into the current directory (refreshing the lists once)
arm64_download() {
	apt_arm64 apt-get download -qq "$@" > /dev/null 2>&1 || {
		arm64_update
		apt_arm64 apt-get download -qq "$@"
	}
}
# The guest kernel under $CACHE/<rel>: vmlinuz, boot/config-<rel>, lib/modules
# as for the others, and build/: the arm64 headers package (its helper
# programs are arm64 ones) over the host's amd64 linux-kbuild of the same
# version, whose scripts and tools run here, linked into the unpacked tree.
arm64_kernel() {	# $1 = release
	local rel=$1 dst=$CACHE/$1 tmp kb ver
	ver=${rel%-cloud-arm64}
	kb=linux-kbuild-$ver
	miss=$(missing_pkgs "$kb")
	if [ -n "$miss" ]; then
		echo "deps: installing $miss"
		apt_update_once
		as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
			install -y -qq --no-install-recommends "$kb" >/dev/null
	fi
	[ -f "$dst/.complete" ] && return
	echo "deps: unpacking linux-image-$rel-unsigned and its headers into $dst"
	tmp=$(mktemp -d); chmod 755 "$tmp"
	(cd "$tmp" && arm64_download "linux-image-$rel-unsigned" "linux-headers-$rel" \
		"linux-headers-$ver-common")
	as_root rm -rf "$dst"
	as_root mkdir -p "$dst/hdr/usr/lib"
	as_root dpkg-deb -x "$tmp"/linux-image-*.deb "$dst"
	for d in "$tmp"/linux-headers-*.deb; do as_root dpkg-deb -x "$d" "$dst/hdr"; done
	rm -rf "$tmp"
	# the headers' scripts -> ../../lib/linux-kbuild-<ver>: the host's
	as_root ln -sfn "/usr/lib/$kb" "$dst/hdr/usr/lib/$kb"
	# the headers' Makefile includes the common part by absolute path
	as_root sed -i "s#^include /usr/src/#include $dst/hdr/usr/src/#" \
		"$dst/hdr/usr/src/linux-headers-$rel/Makefile"
	as_root ln -sfn "hdr/usr/src/linux-headers-$rel" "$dst/build"
	as_root cp "$dst/boot/vmlinuz-$rel" "$dst/vmlinuz"
	as_root touch "$dst/.complete"
}
arm64_sysroot() {
	local dst=$CACHE/arm64-sysroot tmp d
	[ -f "$dst/.complete" ] && return
	echo "deps: unpacking arm64 libraries, busybox and libc into $dst"
	tmp=$(mktemp -d); chmod 755 "$tmp"
	# shellcheck disable=SC2086
	(cd "$tmp" && arm64_download $ARM64_SYSROOT_DEBS)
	as_root rm -rf "$dst"
	as_root mkdir -p "$dst"
	for d in "$tmp"/*.deb; do as_root dpkg-deb -x "$d" "$dst"; done
	rm -rf "$tmp"
	as_root touch "$dst/.complete"
}
arm64_setup
# --- end of arm64's setup (its kernel: arm64_kernel below)

if ! kernels=$(scripts/kernels.sh 2>/dev/null); then
	apt_update_once
	scripts/apt-sid.sh apt-get update -qq
	kernels=$(scripts/kernels.sh)
fi

# --- Debian sid's kernel (x86-64).  Its headers need sid's gcc and a kbuild
# linked against glibc 2.38+, so its modules are built in a minimal sid chroot,
# $CACHE/sid-chroot-<rel> (mmdebstrap --variant=essential: make and the
# headers, about 350 MB; scripts/kbuild.sh builds there).  The image is split
# into linux-binary-unsigned (vmlinuz.unsigned), linux-modules and linux-base
# (config), unpacked into $CACHE/<rel>/ laid out as for the Debian 12 kernels:
# vmlinuz, boot/config-<rel>, lib/modules/<rel>.  Both are done once.
# scripts/apt-sid.sh carries sid's own apt configuration (never the host's).
SID_MIRROR=http://deb.debian.org/debian
deps_sid() {	# $1 = release
	local rel=$1 root=$CACHE/sid-chroot-$1 dst=$CACHE/$1 tmp t0
	if [ ! -f "$root/.complete" ]; then
		echo "deps: building the sid chroot $root (make, linux-headers-$rel)"
		t0=$(date +%s)
		as_root rm -rf "$root" "$root.tmp"
		as_root mmdebstrap --quiet --variant=essential --include="make,linux-headers-$rel" \
			--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Languages "none"' \
			sid "$root.tmp" "$SID_MIRROR"
		as_root mv "$root.tmp" "$root"
		as_root touch "$root/.complete"
		echo "deps: sid chroot ready in $(( $(date +%s) - t0 ))s, $(du -sh "$root" | cut -f1)"
	fi
	if [ ! -f "$dst/.complete" ]; then
		echo "deps: unpacking the sid kernel $rel into $dst"
		tmp=$(mktemp -d); chmod 755 "$tmp"
		(cd "$tmp" && "$top/scripts/apt-sid.sh" apt-get download -qq "linux-binary-unsigned-$rel" \
			"linux-modules-$rel" "linux-base-$rel" >/dev/null)
		as_root rm -rf "$dst"
		as_root mkdir -p "$dst/boot"
		for d in "$tmp"/*.deb; do as_root dpkg-deb -x "$d" "$dst"; done
		rm -rf "$tmp"
		as_root ln -sfn usr/lib "$dst/lib"
		as_root cp "$dst/usr/lib/modules/$rel/vmlinuz.unsigned" "$dst/vmlinuz"
		as_root cp "$dst/usr/lib/modules/$rel/config" "$dst/boot/config-$rel"
		as_root touch "$dst/.complete"
	fi
}
top=$PWD
ksid=$(sed -n 3p <<< "$kernels")
# --- end of Debian sid's kernel

for kver in $kernels; do
	case $kver in *-arm64) arm64_kernel "$kver"; arm64_sysroot; continue ;; esac
	if [ "$kver" = "$ksid" ]; then
		deps_sid "$kver"
		continue
	fi
	miss=$(missing_pkgs "linux-headers-$kver")
	if [ -n "$miss" ]; then
		echo "deps: installing $miss"
		apt_update_once
		as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $miss >/dev/null
	fi
	dst=$CACHE/$kver
	if [ ! -f "$dst/.complete" ]; then
		echo "deps: unpacking linux-image-$kver-unsigned into $dst"
		tmp=$(mktemp -d); chmod 755 "$tmp"
		(cd "$tmp" && apt-get download -qq "linux-image-$kver-unsigned" >/dev/null) || {
			apt_update_once
			(cd "$tmp" && apt-get download -qq "linux-image-$kver-unsigned")
		}
		as_root rm -rf "$dst"
		as_root mkdir -p "$dst"
		as_root dpkg-deb -x "$tmp"/linux-image-*.deb "$dst"
		rm -rf "$tmp"
		as_root cp "$dst/boot/vmlinuz-$kver" "$dst/vmlinuz"
		as_root touch "$dst/.complete"
	fi
done
mkdir -p build
echo "$kernels" > build/kernels.list
echo "deps: ok ($(echo $kernels))"
# make check and check-debug: the debug guest kernel, built once (cached).
if [ "${1:-}" = --debug-kernel ]; then
	drel=$(scripts/debug-kernel.sh)
	echo "deps: debug kernel $drel"
fi
