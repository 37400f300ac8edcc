# Loading and unloading: files appear and go, 20 cycles leak nothing.
# On the debug kernel kmemleak watches every cycle of this file (kmemleak.sh):
# there 8 cycles and no warm-up pass (kmemleak, not a Slab difference,
# decides; a cycle under KASAN and TCG takes some 13 s).
[ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ] && { . ./kmemleak.sh; kml_begin; }
t "insmod vmainfo.ko" insmod /vmainfo/vmainfo.ko
t "/proc/vmainfo/self and /proc/vmainfo/1 exist" test -r /proc/vmainfo/self -a -r /proc/vmainfo/1
t "debugfs query file exists" test -e /sys/kernel/debug/vmainfo/query
t "rmmod vmainfo" rmmod vmainfo
t "/proc/vmainfo is gone after rmmod" test ! -e /proc/vmainfo

meminfo() { sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo; }
# Each cycle opens every kind of view (the /proc text, debugfs query, page
# map, counters), then, before rmmod, the module's live-object counters must
# say: no view, selection or run buffer left, one entry per live process.
NCYC=20
[ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ] && NCYC=8
cycles() {
	i=0
	while [ $i -lt $NCYC ]; do
		insmod /vmainfo/vmainfo.ko || return 1
		cat /proc/vmainfo/self > /dev/null || return 1
		vmicheck query 1 > /dev/null || return 1
		vmicheck sel /sys/kernel/debug/vmainfo/pagemap 1 > /dev/null || return 1
		vmicheck sel /sys/kernel/debug/vmainfo/counters 1 > /dev/null || return 1
		live_settled || { echo "cycle $i: $LIVE_WHY"; rmmod vmainfo; return 1; }
		rmmod vmainfo || return 1
		i=$((i + 1))
	done
}
dmesg -c > /dev/null
[ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ] || cycles	# warm caches once
echo 3 > /proc/sys/vm/drop_caches
slab0=$(meminfo Slab)
t "$NCYC insmod/read/rmmod cycles, no live object left before each rmmod" cycles
echo 3 > /proc/sys/vm/drop_caches
slab1=$(meminfo Slab)
echo "# Slab ${slab0} -> ${slab1} kB"
# Module exit reports any live object it still counts ("leaked N live X").
leaks=$(dmesg | grep 'vmainfo: leaked')
t "every unload found no live object left (module exit's own count)" test -z "$leaks"
[ -z "$leaks" ] || echo "$leaks" | diag
if [ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ]; then
	skip "Slab after $NCYC cycles" "debug kernel: KASAN's quarantine holds freed objects, kmemleak decides"
	kml_check "the insmod/read/rmmod cycles"
else
# The counters see the module's own objects; Slab still bounds what they
# cannot see (the kernel's proc entries, pid and mm references we hold).
t "Slab after 20 cycles within 256 kB of before" test $((slab1 - slab0)) -lt 256
fi
insmod /vmainfo/vmainfo.ko
