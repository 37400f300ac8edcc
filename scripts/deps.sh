#!/bin/bash
# Install everything vmainfo needs on a Debian 12 host: idempotent, quick when all is there.
#   - build tools, QEMU, busybox, cpio, clang, libbpf, bpftool, static libs
#   - the newest Debian 6.1 and 6.12 cloud kernels: kbuild headers via apt-get, the image
#     (vmlinuz + modules) unpacked under $VMAINFO_CACHE/<release> for the QEMU guests.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${VMAINFO_CACHE:-/var/cache/vmainfo}
PKGS="build-essential make gcc bc flex bison libelf-dev pkg-config xz-utils zstd
      qemu-system-x86 busybox-static cpio clang llvm libbpf-dev bpftool
      zlib1g-dev libzstd-dev kmod libclang-rt-14-dev"

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
	as_root apt-get update -qq
	updated=1
}

# shellcheck disable=SC2086
miss=$(missing_pkgs $PKGS)
if [ -n "$miss" ]; then
	echo "deps: installing $(echo $miss)"
	apt_update_once
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $miss >/dev/null
fi

if ! kernels=$(scripts/kernels.sh 2>/dev/null); then
	apt_update_once
	kernels=$(scripts/kernels.sh)
fi

for kver in $kernels; do
	miss=$(missing_pkgs "linux-headers-$kver")
	if [ -n "$miss" ]; then
		echo "deps: installing $miss"
		apt_update_once
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $miss >/dev/null
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
