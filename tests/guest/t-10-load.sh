# Loading and unloading: files appear and go, 20 cycles leak nothing.
# On the debug kernel kmemleak watches every cycle of this file (kmemleak.sh).
[ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ] && { . ./kmemleak.sh; kml_begin; }
t "insmod vmainfo.ko" insmod /vmainfo/vmainfo.ko
t "/proc/vmainfo/self and /proc/vmainfo/1 exist" test -r /proc/vmainfo/self -a -r /proc/vmainfo/1
t "debugfs query file exists" test -e /sys/kernel/debug/vmainfo/query
t "rmmod vmainfo" rmmod vmainfo
t "/proc/vmainfo is gone after rmmod" test ! -e /proc/vmainfo

meminfo() { sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo; }
cycles() {
	i=0
	while [ $i -lt 20 ]; do
		insmod /vmainfo/vmainfo.ko || return 1
		cat /proc/vmainfo/self > /dev/null || return 1
		rmmod vmainfo || return 1
		i=$((i + 1))
	done
}
cycles	# warm caches once
echo 3 > /proc/sys/vm/drop_caches
slab0=$(meminfo Slab); free0=$(meminfo MemFree)
t "20 insmod/read/rmmod cycles" cycles
echo 3 > /proc/sys/vm/drop_caches
slab1=$(meminfo Slab); free1=$(meminfo MemFree)
echo "# Slab ${slab0} -> ${slab1} kB, MemFree ${free0} -> ${free1} kB"
if [ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ]; then
	skip "Slab/MemFree after 20 cycles" "debug kernel: KASAN's quarantine holds freed objects, kmemleak decides"
	kml_check "the insmod/read/rmmod cycles"
else
# Slab may wobble by per-cpu caches; a leak of one entry per process per cycle would be > 256 kB.
t "Slab after 20 cycles within 256 kB of before" test $((slab1 - slab0)) -lt 256
# MemFree moves with per-cpu page lists and the page cache; a real leak shows in Slab.
t "MemFree after 20 cycles within 4 MiB of before" test $((free0 - free1)) -lt 4096
fi
insmod /vmainfo/vmainfo.ko
