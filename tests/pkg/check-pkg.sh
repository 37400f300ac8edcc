#!/bin/bash
# The Debian packages, for real, on this host (a throwaway CI machine; root):
# make deb and lintian; both packages installed with apt (dkms from Debian);
# DKMS built vmainfo.ko for every guest kernel whose headers are installed;
# a kernel's headers installed afterwards get a module from the kernel's
# header_postinst.d hook, and lose it when that kernel goes; a kernel whose
# headers live in a Debian sid chroot (scripts/deps.sh) gets dkms and the
# package installed in a copy of that chroot; an arm64 kernel (headers in
# $VMAINFO_CACHE/<release>/build, scripts/deps.sh) gets its module from the
# host's dkms cross-building it (dkms -a aarch64) and the arm64 CLI package
# (cross-built, static); each guest boots with the module DKMS built and the
# packaged CLI and runs the load, /proc and CLI tests; dpkg --purge leaves
# no file behind.
#
#   tests/pkg/check-pkg.sh KVER...      (the guest kernels, build/kernels.list)
#
# Prints TAP lines "ok - pkg: ..." / "not ok - pkg: ...", the guests' own TAP,
# and its time; exits non-zero on any failure.  Packages of vmainfo installed
# before are purged.  PKG_GUESTS=0: no guest boots.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export DEBIAN_FRONTEND=noninteractive
kernels=("$@")
v=$(cat VERSION)
arch=$(dpkg --print-architecture)
apt=(apt-get -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends)
start=$(date +%s)
fail=0
ok() { echo "ok - pkg: $*"; }
not_ok() { echo "not ok - pkg: $*"; fail=1; }
check() {	# NAME CMD...: ok when CMD succeeds; its output as comments when not
	local name=$1 out; shift
	if out=$("$@" 2>&1); then ok "$name"; return 0; fi
	not_ok "$name"
	sed 's/^/# /' <<< "$out" | tail -n 30
	return 1
}
comment() { sed 's/^/# /'; }
if [ "$(id -u)" != 0 ]; then
	echo "ok - pkg: the packages' check # SKIP needs root (installs packages)"
	exit 0
fi
for c in dkms lintian; do
	command -v $c > /dev/null || "${apt[@]}" install $c > /dev/null 2>&1 ||
		{ apt-get -o DPkg::Lock::Timeout=600 update -qq; "${apt[@]}" install $c > /dev/null; }
done
leftover_headers=""
CACHE=${VMAINFO_CACHE:-/var/cache/vmainfo}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/vmainfo-pkg.XXXXXX")
cleanup() {
	dpkg --purge vmainfo vmainfo-dkms > /dev/null 2>&1
	arm64_modules_dir_clean
	[ -z "$leftover_headers" ] || "${apt[@]}" purge "$leftover_headers" > /dev/null 2>&1
	rm -rf "$work"
}
# the arm64 kernels' /lib/modules/<release> on this host: dkms's and
# depmod's only (no package owns it); gone with the module
arm64_kernels=()
for k in "${kernels[@]}"; do
	case $k in *-arm64) [ "$arch" = arm64 ] || arm64_kernels+=("$k") ;; esac
done
arm64_modules_dir_clean() {
	local k
	for k in "${arm64_kernels[@]}"; do
		[ -d "/lib/modules/$k" ] && [ -z "$(find "/lib/modules/$k" -name 'vmainfo.ko*')" ] &&
			! dpkg -S "/lib/modules/$k" > /dev/null 2>&1 && rm -rf "/lib/modules/${k:?}"
	done
	return 0
}
trap cleanup EXIT
dpkg --purge vmainfo vmainfo-dkms > /dev/null 2>&1

# --- build and lint
t0=$(date +%s)
dkms_deb=build/deb/vmainfo-dkms_${v}_all.deb
cli_deb=build/deb/vmainfo_${v}_$arch.deb
arm64_deb=""
[ ${#arm64_kernels[@]} = 0 ] || arm64_deb=build/deb/vmainfo_${v}_arm64.deb
if scripts/deb.sh > build/deb-make.log 2>&1 && [ -f "$dkms_deb" ] && [ -f "$cli_deb" ] &&
	{ [ -z "$arm64_deb" ] || [ -f "$arm64_deb" ]; }; then
	ok "make deb built $(basename "$dkms_deb") and $(basename "$cli_deb")${arm64_deb:+ and $(basename "$arm64_deb")}"
else
	not_ok "make deb built $(basename "$dkms_deb") and $(basename "$cli_deb")${arm64_deb:+ and $(basename "$arm64_deb")}"
	comment < build/deb-make.log | tail -n 30
	exit 1
fi
for a in $arch ${arm64_deb:+arm64}; do
	lint=$(lintian -I --fail-on error build/deb/vmainfo_${v}_$a.changes 2>&1)
	lrc=$?
	lint=$(grep -v 'running with root privileges' <<< "$lint")
	if [ $lrc = 0 ]; then ok "lintian: no errors ($a)"; else not_ok "lintian: no errors ($a)"; fi
	echo "# lintian ($a): $(grep -c '^E:' <<< "$lint") errors, $(grep -c '^W:' <<< "$lint") warnings, $(grep -c '^I:' <<< "$lint") info"
	[ -z "$lint" ] || comment <<< "$lint"
done
contents() {	# what each package must hold, and the CLI's shared-library Depends
	local c d
	c=$(dpkg-deb -c "$dkms_deb" | awk '{ print $6 }')
	for f in dkms.conf Kbuild VERSION module/main.c module/vmainfo_abi.h; do
		grep -qx "./usr/src/vmainfo-$v/$f" <<< "$c" || { echo "vmainfo-dkms lacks /usr/src/vmainfo-$v/$f"; return 1; }
	done
	c=$(dpkg-deb -c "$cli_deb" | awk '{ print $6 }')
	for f in /usr/bin/vmainfo /usr/share/man/man1/vmainfo.1.gz /usr/share/bash-completion/completions/vmainfo; do
		grep -qx ".$f" <<< "$c" || { echo "vmainfo lacks $f"; return 1; }
	done
	d=$(dpkg-deb -f "$cli_deb" Depends)
	grep -q 'libbpf1' <<< "$d" && grep -q 'libc6' <<< "$d" || { echo "vmainfo Depends: $d"; return 1; }
	d=$(dpkg-deb -f "$dkms_deb" Depends)
	grep -q '^dkms\|, dkms' <<< "$d" || { echo "vmainfo-dkms Depends: $d"; return 1; }
}
check "vmainfo-dkms holds /usr/src/vmainfo-$v with dkms.conf, vmainfo the CLI, man page, completion; Depends from dh_shlibdeps and dh_dkms" contents
# the arm64 CLI package: the same files, an arm64 static CLI, no Depends
arm64_cli=$work/arm64-cli
arm64_contents() {
	local c d f
	c=$(dpkg-deb -c "$arm64_deb" | awk '{ print $6 }')
	for f in /usr/bin/vmainfo /usr/share/man/man1/vmainfo.1.gz /usr/share/bash-completion/completions/vmainfo; do
		grep -qx ".$f" <<< "$c" || { echo "vmainfo (arm64) lacks $f"; return 1; }
	done
	[ "$(dpkg-deb -f "$arm64_deb" Architecture)" = arm64 ] || { echo "Architecture: $(dpkg-deb -f "$arm64_deb" Architecture)"; return 1; }
	d=$(dpkg-deb -f "$arm64_deb" Depends)
	[ -z "$d" ] || { echo "vmainfo (arm64) Depends: $d (a static CLI needs none)"; return 1; }
	dpkg-deb -x "$arm64_deb" "$arm64_cli" || return 1
	f=$(file -b "$arm64_cli/usr/bin/vmainfo")
	grep -q 'ARM aarch64' <<< "$f" && grep -q 'statically linked' <<< "$f" || { echo "usr/bin/vmainfo: $f"; return 1; }
}
[ -z "$arm64_deb" ] ||
	check "vmainfo (arm64) holds the CLI (static, AArch64), man page, completion; no Depends" arm64_contents
# make install / modules_install in a DESTDIR (the built CLI and modules:
# nothing is rebuilt, build/<release>/vmainfo.ko is only read)
destdir() {
	local d k exp got rc=0
	d=$(mktemp -d)
	exp="$d/opt/vm/bin/vmainfo
$d/opt/vm/share/bash-completion/completions/vmainfo
$d/opt/vm/share/man/man1/vmainfo.1"
	make -s install DESTDIR="$d" PREFIX=/opt/vm > /dev/null || rc=1
	for k in "${kernels[@]}"; do
		[ -f "build/$k/vmainfo.ko" ] || continue
		make -s -o module modules_install KVER="$k" DESTDIR="$d" > /dev/null || rc=1
		exp="$exp
$d/lib/modules/$k/updates/vmainfo.ko"
	done
	got=$(find "$d" -type f | sort)
	[ "$got" = "$(sort <<< "$exp")" ] || { echo "installed: $got"; echo "expected: $exp"; rc=1; }
	cmp -s build/host/vmainfo "$d/opt/vm/bin/vmainfo" || { echo "bin/vmainfo is not build/host/vmainfo"; rc=1; }
	make -s uninstall DESTDIR="$d" PREFIX=/opt/vm > /dev/null || rc=1
	for k in "${kernels[@]}"; do make -s modules_uninstall KVER="$k" DESTDIR="$d" > /dev/null || rc=1; done
	got=$(find "$d" -type f)
	[ -z "$got" ] || { echo "left after uninstall: $got"; rc=1; }
	rm -rf "$d"
	return $rc
}
check "make install, modules_install with DESTDIR and PREFIX: CLI, man page, completion, the modules; uninstall removes them" destdir
t_build=$(( $(date +%s) - t0 ))

# --- install: dkms builds for the kernels with headers
t0=$(date +%s)
if "${apt[@]}" install "./$dkms_deb" "./$cli_deb" > build/deb-install.log 2>&1; then
	ok "apt-get install vmainfo-dkms vmainfo"
else
	not_ok "apt-get install vmainfo-dkms vmainfo"
	comment < build/deb-install.log | tail -n 30
	exit 1
fi
dkms status 2>/dev/null | comment
conf() { sed -n "s/^$1=\"\(.*\)\"$/\1/p" "/usr/src/vmainfo-$v/dkms.conf"; }
conf_ok() {
	[ "$(conf PACKAGE_VERSION) $(conf AUTOINSTALL)" = "$v yes" ] ||
		{ echo "PACKAGE_VERSION '$(conf PACKAGE_VERSION)' AUTOINSTALL '$(conf AUTOINSTALL)'"; return 1; }
}
check "dkms.conf: PACKAGE_VERSION $v (VERSION), AUTOINSTALL yes" conf_ok
check "vmainfo --version says $v (VERSION)" sh -c "/usr/bin/vmainfo --version | grep -q '^vmainfo $v '"
# A kernel whose headers are in a sid chroot: its root (a copy), "" for the host.
rootof() { [ -d "$work/sid-$1" ] && echo "$work/sid-$1"; }
inroot() {	# ROOT CMD...: CMD on the host or, with /proc, chrooted into ROOT
	local r=$1; shift
	if [ -z "$r" ]; then "$@"; return; fi
	unshare --mount --propagation private -- sh -euc \
		'r=$1; shift; mount -t proc proc "$r/proc"; exec chroot "$r" env PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"' \
		inroot "$r" "$@"
}
modfile() { ls "$(rootof "$1")"/lib/modules/"$1"/updates/dkms/vmainfo.ko* 2>/dev/null | head -n1; }
ko_arch() {	# KVER: the module's machine is the kernel's
	local f m want="Advanced Micro Devices X86-64"
	f=$(modfile "$1")
	case $1 in *-arm64) want=AArch64 ;; esac
	case $f in *.xz) m=$(xz -dc "$f" | readelf -h /dev/stdin 2>&1) ;; *) m=$(readelf -h "$f" 2>&1) ;; esac
	m=$(sed -n 's/^ *Machine: *//p' <<< "$m")
	[ "$m" = "$want" ] || { echo "$f: machine '$m', not $want"; return 1; }
}
built() {	# KVER: dkms installed a module of this version for KVER
	local f
	inroot "$(rootof "$1")" dkms status -m vmainfo -v "$v" -k "$1" 2>/dev/null | grep -q ': installed' ||
		{ echo "dkms status: $(inroot "$(rootof "$1")" dkms status -m vmainfo -k "$1" 2>&1)"; return 1; }
	f=$(modfile "$1")
	[ -n "$f" ] || { echo "no vmainfo.ko under /lib/modules/$1/updates/dkms"; return 1; }
	[ "$(modinfo -F version "$f")" = "$v" ] || { echo "$f: version $(modinfo -F version "$f")"; return 1; }
	modinfo -F vermagic "$f" | grep -q "^$1 " || { echo "$f: vermagic $(modinfo -F vermagic "$f")"; return 1; }
}
# KVER: a copy of its sid chroot (make, the kernel's headers, sid's gcc) with
# dkms from sid and the package installed by dpkg in there: dkms's postinst
# builds the module for the chroot's kernel, as on a sid machine.
sid_install() {
	local k=$1 r=$work/sid-$1 conf
	cp -a "$CACHE/sid-chroot-$k" "$r"
	mkdir -p "$r/tmp/debs/partial"
	conf=$(scripts/apt-sid.sh --config)
	sid_get() { APT_CONFIG=$conf apt-get -o Dir::State::status="$r/var/lib/dpkg/status" \
		-o Dir::Cache::archives="$r/tmp/debs" -o Debug::NoLocking=1 -y -qq \
		--no-install-recommends --download-only install dkms openssl > /dev/null; }
	sid_get || { scripts/apt-sid.sh apt-get update -qq && sid_get; } || return 1
	rmdir "$r/tmp/debs/partial"
	cp "$dkms_deb" "$r/tmp/debs/"
	inroot "$r" sh -c 'dpkg -i /tmp/debs/*.deb && rm -rf /tmp/debs'
}
guests=()
for k in "${kernels[@]}"; do
	if [ ! -e "/lib/modules/$k/build/include" ] && [ -f "$CACHE/sid-chroot-$k/.complete" ]; then
		if sid_install "$k" > "build/deb-sid-$k.log" 2>&1; then
			ok "sid chroot for $k: dkms and vmainfo-dkms installed with dpkg"
		else
			not_ok "sid chroot for $k: dkms and vmainfo-dkms installed with dpkg"
			comment < "build/deb-sid-$k.log" | tail -n 30
		fi
		check "dkms built and installed vmainfo.ko $v for $k (in its sid chroot, at package install)" \
			built "$k" && guests+=("$k")
		continue
	fi
	case $k in *-arm64) if [ "$arch" != arm64 ] && [ -e "$CACHE/$k/build/include" ]; then
		# dkms.conf cross-builds (dkms sets $arch from -a); the module is
		# installed under this host's /lib/modules/<release>/updates/dkms
		# (dkms installs only for a kernel whose /lib/modules/<release> is)
		mkdir -p "/lib/modules/$k"
		dkms install -m vmainfo -v "$v" -k "$k" -a aarch64 --kernelsourcedir "$CACHE/$k/build" \
			> "build/deb-dkms-$k.log" 2>&1 || comment < "build/deb-dkms-$k.log" | tail -n 30
		check "dkms built and installed vmainfo.ko $v for $k (dkms install -a aarch64, cross)" built "$k" &&
			check "the module for $k is arm64 (readelf: machine AArch64)" ko_arch "$k" && guests+=("$k")
		continue
	fi ;; esac
	if [ ! -e "/lib/modules/$k/build/include" ]; then
		echo "ok - pkg: dkms module for $k # SKIP no headers for $k on this host"
		continue
	fi
	# dkms's postinst builds for every kernel when the running one is not
	# installed (a CI host), for the running and the newest one otherwise
	how="at package install"
	if ! built "$k" > /dev/null; then
		how="by dkms install -k $k"
		dkms install -m vmainfo -v "$v" -k "$k" > "build/deb-dkms-$k.log" 2>&1 ||
			comment < "build/deb-dkms-$k.log" | tail -n 30
	fi
	check "dkms built and installed vmainfo.ko $v for $k ($how)" built "$k" && guests+=("$k")
done
t_install=$(( $(date +%s) - t0 ))

# --- a kernel upgrade: a second kernel's headers after the package.  Debian's
# generic -amd64 flavour of a guest kernel, if its headers need no image.
t0=$(date +%s)
second=""
for k in "${kernels[@]}"; do
	g=${k/-cloud-/-}
	[ "$g" != "$k" ] && [ ! -e "/lib/modules/$g" ] || continue
	deps=$(apt-cache show "linux-headers-$g" 2>/dev/null | sed -n 's/^Depends: //p' | head -n1)
	[ -n "$deps" ] && ! grep -q 'linux-image' <<< "$deps" && { second=$g; break; }
done
if [ -z "$second" ]; then
	echo "ok - pkg: a new kernel's headers get the module # SKIP no installable second kernel's headers"
else
	leftover_headers=linux-headers-$second
	if "${apt[@]}" install "linux-headers-$second" > build/deb-upgrade.log 2>&1; then
		check "new kernel $second: its headers' install built and installed the module (header_postinst.d)" built "$second"
	else
		not_ok "new kernel $second: apt-get install linux-headers-$second"
		comment < build/deb-upgrade.log | tail -n 20
	fi
	# Headers going do not touch dkms; the kernel's own removal runs
	# /etc/kernel/prerm.d/dkms, as here (this kernel has no image installed).
	"${apt[@]}" purge "linux-headers-$second" > /dev/null 2>&1 && leftover_headers=""
	/etc/kernel/prerm.d/dkms "$second" > /dev/null 2>&1
	gone() {
		! dkms status -m vmainfo -k "$second" 2>/dev/null | grep -qF "$second" ||
			{ echo "dkms status: $(dkms status -m vmainfo -k "$second")"; return 1; }
		[ -z "$(find "/lib/modules/$second" -name 'vmainfo.ko*' 2>/dev/null)" ] || { echo "vmainfo.ko left under /lib/modules/$second"; return 1; }
	}
	check "kernel $second removed: dkms removed its module" gone
	# what is left there is depmod's index of that kernel, no package's
	dpkg -S "/lib/modules/$second" > /dev/null 2>&1 || rm -rf "/lib/modules/${second:?}"
fi
t_upgrade=$(( $(date +%s) - t0 ))

# --- the guests: the module DKMS built and the packaged CLI
t0=$(date +%s)
if [ "${PKG_GUESTS:-1}" = 0 ]; then
	guests=()
	echo "ok - pkg: guests with the packaged module and CLI # SKIP PKG_GUESTS=0"
fi
for k in "${guests[@]}"; do
	append=""
	case $k in 6.1.*) append="no5lvl" ;; esac
	cli=/usr/bin/vmainfo
	case $k in *-arm64) [ "$arch" = arm64 ] || cli=$arm64_cli/usr/bin/vmainfo ;; esac
	echo "# guest $k: $(modfile "$k") and $cli"
	# (run-guest.sh boots once more a guest that died before its script)
	GUEST_KO=$(modfile "$k") GUEST_CLI=$cli GUEST_APPEND="$append" \
		GUEST_ENV="${GUEST_ENV:-} VMAINFO_TESTS=t-10-*,t-20-*,t-50-* VMAINFO_SMOKE=1" \
		tests/run-guest.sh "$k" > "build/deb-guest-$k.log" 2>&1
	rc=$?
	# the guest's lines, marked as this check's
	sed -E 's/^(ok|not ok)( [0-9]+)? - /\1\2 - pkg: /' "build/deb-guest-$k.log"
	if [ $rc != 0 ]; then
		grep -q '^not ok' "build/deb-guest-$k.log" || not_ok "guest $k failed (exit $rc)"
		fail=1
	fi
done
t_guests=$(( $(date +%s) - t0 ))

# --- purge: nothing left
t0=$(date +%s)
check "dpkg --purge vmainfo vmainfo-dkms" dpkg --purge vmainfo vmainfo-dkms
for k in "${kernels[@]}"; do
	r=$(rootof "$k") || continue
	check "sid chroot for $k: dpkg --purge vmainfo-dkms" inroot "$r" dpkg --purge vmainfo-dkms
	sid_left() {
		local left
		left=$(ls -d "$r"/usr/src/vmainfo-* "$r"/var/lib/dkms/vmainfo 2>/dev/null
			find "$r/lib/modules" -name 'vmainfo.ko*' 2>/dev/null)
		[ -z "$left" ] || { echo "left behind: $left"; return 1; }
	}
	check "sid chroot for $k purged: no /usr/src/vmainfo-*, /var/lib/dkms/vmainfo, vmainfo.ko" sid_left
	rm -rf "$r"
done
leftovers() {
	local left
	left=$(ls -d /usr/src/vmainfo-* /var/lib/dkms/vmainfo /usr/bin/vmainfo \
		/usr/share/man/man1/vmainfo.1.gz /usr/share/bash-completion/completions/vmainfo \
		/usr/share/doc/vmainfo /usr/share/doc/vmainfo-dkms 2>/dev/null
		find /lib/modules -name 'vmainfo.ko*' 2>/dev/null
		grep -l vmainfo /lib/modules/*/modules.dep 2>/dev/null)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
	left=$(dpkg-query -W -f='${Package} ${Status}\n' vmainfo vmainfo-dkms 2>/dev/null |
		grep -v ' not-installed$')
	[ -z "$left" ] || { echo "dpkg: $left"; return 1; }
}
check "purged: no /usr/src/vmainfo-*, /var/lib/dkms/vmainfo, vmainfo.ko under /lib/modules, CLI, man page, completion" leftovers
arm64_modules_dir_clean
t_purge=$(( $(date +%s) - t0 ))
echo "# packages: $(( $(date +%s) - start ))s (build+lint ${t_build}s, install+dkms ${t_install}s, kernel upgrade ${t_upgrade}s, guests ${t_guests}s, purge ${t_purge}s)"
exit $fail
