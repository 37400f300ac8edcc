#!/bin/bash
# make deb: the Debian packages, built with dpkg-buildpackage from debian/:
#   build/deb/vmainfo-dkms_<version>_all.deb   module sources + dkms.conf
#                                              under /usr/src/vmainfo-<version>
#   build/deb/vmainfo_<version>_<arch>.deb     CLI, man page, bash completion
#   build/deb/vmainfo_<version>_arm64.deb      the same for arm64, cross-built
#                                              (when build/kernels.list has an
#                                              arm64 kernel; static CLI, see
#                                              debian/rules)
# <version> is the VERSION file's; debian/changelog is written from it here.
# The build runs in a copy of the sources (build/deb/src/vmainfo-<version>),
# so the checkout and its build/ are left alone.  Installs the build
# dependencies (debian/control) first when some are missing; needs root then.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
v=$(cat VERSION)
out=$top/build/deb
src=$out/src/vmainfo-$v
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

rm -rf "$out/src"
mkdir -p "$src"
tar -c VERSION Kbuild Makefile README.md dkms.conf Documentation module userspace debian |
	tar -x -C "$src"
# The changelog's date: the last commit's, so that a rebuild is the same.
date=$(git log -1 --format=%aD 2>/dev/null || date -R)
cat > "$src/debian/changelog" <<END
vmainfo ($v) unstable; urgency=medium

  * vmainfo $v (the VERSION file), packaged by make deb.

 -- vmainfo developers <dev@vmainfo.invalid>  $date
END

if ! (cd "$src" && dpkg-checkbuilddeps) >/dev/null 2>&1; then
	echo "deb: installing the build dependencies"
	bd() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
		build-dep -y -qq --no-install-recommends "$src" > /dev/null 2> >(grep -v '^debconf:' >&2); }
	bd || { as_root apt-get -o DPkg::Lock::Timeout=600 update -qq && bd; }
fi

rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
log=$out/build.log
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) > "$log" 2>&1; then
	tail -n 40 "$log" >&2
	echo "deb: dpkg-buildpackage failed (whole log: $log)" >&2
	exit 1
fi
# arm64: the CLI package only (-B), cross (the cross profile: the host's
# libbpf-dev etc. are not the target's; the sysroot's static ones are).
host=$(dpkg --print-architecture)
if [ "$host" != arm64 ] && grep -q -- '-arm64$' build/kernels.list 2>/dev/null; then
	if ! (cd "$src" && CC=aarch64-linux-gnu-gcc DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}" \
		dpkg-buildpackage -us -uc -B -aarm64 -Pcross,nocheck) > "$out/build-arm64.log" 2>&1; then
		tail -n 40 "$out/build-arm64.log" >&2
		echo "deb: dpkg-buildpackage -aarm64 failed (whole log: $out/build-arm64.log)" >&2
		exit 1
	fi
fi
mv "$out"/src/*.deb "$out"/src/*.changes "$out"/src/*.buildinfo "$out"/
echo "deb: $(cd "$out" && ls ./*.deb | sed 's|^\./||' | tr '\n' ' ')(in build/deb)"
