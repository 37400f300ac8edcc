# make stress: everything at once for STRESS_SECS (60 s in make check).
S=${STRESS_SECS:-60}
[ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ] && { . ./kmemleak.sh; kml_begin; }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
sync; echo 3 > /proc/sys/vm/drop_caches
slab0=$(meminfo Slab); vm0=$(meminfo VmallocUsed)
storm $S 4 > /tmp/storm.out &
ST=$!
workload churn > /dev/null &
CH=$!
vmainfo watch $CH > /tmp/watch.out 2>&1 &
WA=$!
stressread $S > /tmp/r1.out 2>&1 &
R1=$!
stressread $S > /tmp/r2.out 2>&1 &
R2=$!
# insmod/rmmod cycles under it all; rmmod may find a debugfs file open (EAGAIN:
# documented).  rmmod runs holding stressread's unload lock, so no debugfs open
# lands in the kernel's own unload window (see stressread.c).
end=$(( $(cut -d. -f1 /proc/uptime) + S ))
cyc=0; busy=0
while [ $(cut -d. -f1 /proc/uptime) -lt $end ]; do
	if stressread -x rmmod vmainfo 2>/dev/null; then
		sleep 0.2
		insmod /vmainfo/vmainfo.ko || { echo "# insmod failed"; break; }
		cyc=$((cyc + 1))
	else
		busy=$((busy + 1))
	fi
	sleep 0.5
done
wait $R1; r1=$?
wait $R2; r2=$?
wait $ST
kill -INT $WA; wait $WA; wa=$?
wl_end $CH
lsmod | grep -q '^vmainfo' || insmod /vmainfo/vmainfo.ko
echo "# stress: $(cat /tmp/storm.out), reload cycles=$cyc (rmmod busy $busy), readers: $(cat /tmp/r1.out | tail -n1) | $(cat /tmp/r2.out | tail -n1)"
readers_ok() {
	[ $r1 = 0 ] && [ $r2 = 0 ] && return 0
	echo "readers' exit: $r1, $r2"
	grep undocumented /tmp/r1.out /tmp/r2.out | grep -v 'reads=' | head -10
	return 1
}
t "stress: every reader got data or a documented errno" readers_ok
t "stress: the module was reloaded under load ($cyc cycles)" test $cyc -gt 0
if [ -e /sys/kernel/btf/vmlinux ]; then
t "stress: vmainfo watch survived and ended cleanly on SIGINT" sh -c "[ $wa = 0 ] && grep -q '^--- summary ---' /tmp/watch.out"
else
	skip "stress: vmainfo watch" "this kernel has no BTF, which watch needs"
fi
# No entries left for dead processes, none missing for live ones.  Entries
# follow forks and exits within milliseconds, and the shell's own short-lived
# helpers (the ls below) come and go meanwhile, so a mismatch counts only if
# it is still there a second later.
mismatches() {
	for e in $(ls /proc/vmainfo); do
		case $e in *[!0-9]*) continue ;; esac	# self, query, share: no entries
		[ -d /proc/$e ] || echo "stale $e"
	done
	for p in $(ls /proc | grep '^[0-9][0-9]*$'); do
		[ -e /proc/vmainfo/$p ] || echo "missing $p"
	done
}
stale_wait() {
	mismatches > /tmp/mm1
	sleep 1
	bad=0
	while read kind n; do
		case $kind in
		stale) [ -e /proc/vmainfo/$n ] && [ ! -d /proc/$n ] && { echo "entry $n has no process"; bad=1; } ;;
		missing) [ -d /proc/$n ] && [ ! -e /proc/vmainfo/$n ] && { echo "process $n has no entry"; bad=1; } ;;
		esac
	done < /tmp/mm1
	return $bad
}
t "stress: no entry for a dead process, none missing for a live one" stale_wait
rmmod vmainfo
sync; echo 3 > /proc/sys/vm/drop_caches; sleep 1
slab1=$(meminfo Slab); vm1=$(meminfo VmallocUsed)
insmod /vmainfo/vmainfo.ko
echo "# Slab $slab0 -> $slab1 kB, VmallocUsed $vm0 -> $vm1 kB (module unloaded at the end)"
if [ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ]; then
	skip "stress: Slab back within 1 MiB" "debug kernel: KASAN's quarantine holds freed objects, kmemleak decides"
	kml_check "the stress run's reload cycles"
else
t "stress: Slab back within 1 MiB of its baseline" test $((slab1 - slab0)) -lt 1024
fi
t "stress: vmalloc back within 1 MiB of its baseline" test $((vm1 - vm0)) -lt 1024
