#!/bin/bash
# Build (once) vmainfo's debug guest kernel: Debian's linux-source-6.12 with
# x86_64_defconfig + kernel/configs/kvm_guest.config + tests/debug-kernel.config
# (KASAN, lockdep, DEBUG_VM, PAGE_TABLE_CHECK, kmemleak, KFENCE, PREEMPT, ...).
#
#   scripts/debug-kernel.sh            build if needed, print the release
#
# The build lives in $VMAINFO_CACHE/debug-<recipe hash>/ (a private copy of the
# source tarball and an O= object tree); the recipe is this script, the config
# fragment and the linux-source-6.12 package version, so changing any of them
# builds a new kernel and nothing else does.  The result is laid out like the
# Debian guest kernels that scripts/deps.sh unpacks:
#   $VMAINFO_CACHE/<release>/vmlinuz
#   $VMAINFO_CACHE/<release>/lib/modules/<release>/...   (zram, zsmalloc, ...)
#   $VMAINFO_CACHE/<release>/build -> the object tree     (the Makefile's kdir)
# and the release is written to build/debug-kernel.list.  The build log is
# $VMAINFO_CACHE/debug-<hash>/build.log.  Heavy steps run under nice, -j2.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
CACHE=${VMAINFO_CACHE:-/var/cache/vmainfo}
PKG=linux-source-6.12
TARBALL=/usr/src/$PKG.tar.xz
FRAG=$top/tests/debug-kernel.config
JOBS=${DEBUG_KERNEL_JOBS:-2}
NICE=${DEBUG_KERNEL_NICE:-10}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
log() { echo "debug-kernel: $*" >&2; }

if ! dpkg-query -W -f='${Status}\n' $PKG 2>/dev/null | grep -q '^install ok installed$'; then
	log "installing $PKG"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$PKG dwarves >/dev/null
fi
srcver=$(dpkg-query -W -f='${Version}' $PKG)
# The recipe's hash: this script and the fragment without comments and blank
# lines (editing a comment does not cost a 15-30 minute rebuild), and the
# source package's version.
recipe() { grep -v -E '^[[:space:]]*(#|$)' "$1"; }
hash=$( { recipe "$0"; recipe "$FRAG"; echo "$PKG $srcver"; } | sha256sum | cut -c1-12)
dir=$CACHE/debug-$hash
mkdir -p build

# Another make (check and check-debug in parallel) may be building: wait.
as_root mkdir -p "$CACHE"
exec 9> "$CACHE/.debug-kernel.lock"
flock 9

done_ok() {
	[ -f "$dir/.complete" ] || return 1
	rel=$(cat "$dir/release")
	[ -f "$CACHE/$rel/.complete" ] && [ "$(cat "$CACHE/$rel/.recipe" 2>/dev/null)" = "$hash" ]
}
if done_ok; then
	echo "$rel" > build/debug-kernel.list
	echo "$rel"
	exit 0
fi

start=$(date +%s)
log "building the debug kernel (recipe $hash, $PKG $srcver) in $dir; log: $dir/build.log"
rm -rf "$dir"
mkdir -p "$dir/src" "$dir/obj"
# A private copy of the source: the shared /usr/src tree is never touched.
nice -n "$NICE" tar -xJf "$TARBALL" -C "$dir/src" --strip-components=1
src=$dir/src obj=$dir/obj
mk() { nice -n "$NICE" make -C "$src" O="$obj" "$@"; }
{
	mk x86_64_defconfig
	(cd "$src" && scripts/kconfig/merge_config.sh -m -O "$obj" "$obj/.config" \
		kernel/configs/kvm_guest.config "$FRAG")
	mk olddefconfig
} >> "$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log" >&2; exit 1; }

# Every line of the fragment must have survived olddefconfig: a dependency
# we missed turns an option off silently.  (kvm_guest.config is shared by all
# architectures: its CONFIG_S390_GUEST cannot hold on x86, so it is not checked.)
bad=0
while read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$obj/.config" || {
			log "requested $line, got: $(grep -E "^(# )?${line%%=*}[= ]" "$obj/.config" || echo 'absent')"
			bad=1
		} ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -qE "^$opt=" "$obj/.config"; then
			log "requested '$line', got: $(grep -E "^$opt=" "$obj/.config")"
			bad=1
		fi ;;
	esac
done < "$FRAG"
[ $bad = 0 ] || { log "the config does not hold what tests/debug-kernel.config asks for"; exit 1; }
log "config verified ($(grep -c '^CONFIG_' "$FRAG") options of the fragment)"

mk -j"$JOBS" bzImage modules >> "$dir/build.log" 2>&1 || {
	tail -n 40 "$dir/build.log" >&2; log "build failed"; exit 1; }
rel=$(make -s --no-print-directory -C "$src" O="$obj" kernelrelease)
case $rel in *-vmainfo-debug) ;; *) log "unexpected release '$rel'"; exit 1 ;; esac

out=$CACHE/$rel
as_root rm -rf "$out"
as_root mkdir -p "$out"
mk INSTALL_MOD_PATH="$out" modules_install >> "$dir/build.log" 2>&1 || {
	tail -n 20 "$dir/build.log" >&2; exit 1; }
cp "$obj/arch/x86/boot/bzImage" "$out/vmlinuz"
cp "$obj/.config" "$out/config"
# The kbuild tree for external modules (make KVER=$rel): the full build has
# done modules_prepare and written Module.symvers.
ln -sfn "$obj" "$out/build"
echo "$hash" > "$out/.recipe"
touch "$out/.complete"
echo "$rel" > "$dir/release"
secs=$(( $(date +%s) - start ))
echo "$secs" > "$dir/build-seconds"
touch "$dir/.complete"
# Builds of older recipes are of no use any more.
for d in "$CACHE"/debug-*; do
	[ "$d" = "$dir" ] || rm -rf "$d"
done
log "built $rel in $((secs / 60)) min $((secs % 60)) s"
echo "$rel" > build/debug-kernel.list
echo "$rel"
