#!/bin/bash
# Build an external module for one guest kernel release:
#   scripts/kbuild.sh RELEASE DIR [TARGET...]    make -C <kbuild of RELEASE> M=DIR TARGET
# (default TARGET: modules).  DIR is an absolute path.  The kbuild tree is the
# host's (/lib/modules/R/build, /usr/src/linux-headers-R, $VMAINFO_CACHE/R/build),
# or, for Debian sid's kernel, the sid chroot $VMAINFO_CACHE/sid-chroot-R that
# scripts/deps.sh builds: its headers need sid's gcc and glibc.  There the build
# runs in a private mount namespace (unshare) with DIR's top-level project
# directory bind-mounted at the same path and /proc mounted (objtool reads it),
# so every mount goes away with the build, on every path.
set -euo pipefail
rel=${1:?usage: kbuild.sh RELEASE DIR [TARGET...]}
dir=${2:?usage: kbuild.sh RELEASE DIR [TARGET...]}
shift 2
[ $# -gt 0 ] || set -- modules
case $dir in /*) ;; *) echo "kbuild.sh: DIR must be absolute: $dir" >&2; exit 2 ;; esac
CACHE=${VMAINFO_CACHE:-/var/cache/vmainfo}

for kd in /lib/modules/$rel/build /usr/src/linux-headers-$rel "$CACHE/$rel/build"; do
	if [ -f "$kd/Makefile" ]; then
		exec make --no-print-directory -C "$kd" M="$dir" "$@"
	fi
done

root=$CACHE/sid-chroot-$rel
if [ -f "$root/.complete" ] && [ -f "$root/usr/src/linux-headers-$rel/Makefile" ]; then
	# The project directory (DIR's sources link into it): vmainfo's top.
	top=$(cd "$(dirname "$0")/.." && pwd)
	case $dir in "$top"/*) ;; *) top=$dir ;; esac
	if [ "$(id -u)" != 0 ]; then
		echo "kbuild.sh: building for $rel needs root (chroot)" >&2
		exit 1
	fi
	# shellcheck disable=SC2016
	exec unshare --mount --propagation private -- sh -euc '
		root=$1 top=$2 kd=$3 dir=$4; shift 4
		mkdir -p "$root$top"
		mount --bind "$top" "$root$top"
		mount -t proc proc "$root/proc"
		exec chroot "$root" make --no-print-directory -C "$kd" M="$dir" "$@"
	' kbuild "$root" "$top" "/usr/src/linux-headers-$rel" "$dir" "$@"
fi
echo "kbuild.sh: no kbuild headers for $rel: run 'make deps'" >&2
exit 1
