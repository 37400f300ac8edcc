# Module load fails cleanly at every forced failure point, and bad input is refused.
rmmod vmainfo
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
sync; echo 3 > /proc/sys/vm/drop_caches
slab0=$(meminfo Slab)
for n in 1 2 3 4 5 6; do
	clean() {
		insmod /vmainfo/vmainfo.ko fail_at=$n 2> /tmp/ins.err && { echo "insmod succeeded"; return 1; }
		[ ! -e /proc/vmainfo ] || { echo "/proc/vmainfo left behind"; return 1; }
		[ ! -e /sys/kernel/debug/vmainfo ] || { echo "debugfs dir left behind"; return 1; }
		! lsmod | grep -q '^vmainfo' || { echo "module still loaded"; return 1; }
		grep -q 'vmainfo' /sys/kernel/tracing/events/sched/sched_process_fork/../../../available_events 2>/dev/null && true
		insmod /vmainfo/vmainfo.ko || { echo "a normal insmod after it failed"; return 1; }
		sh -c 'grep -q "^pid: " /proc/vmainfo/self' || { echo "module not working after it"; return 1; }
		rmmod vmainfo
	}
	t "fault point $n: insmod fails ($(cat /tmp/ins.err 2>/dev/null | sed 's/.*: //' | head -c 60)), nothing left, a normal load works" clean
done
sync; echo 3 > /proc/sys/vm/drop_caches
slab1=$(meminfo Slab)
echo "# Slab $slab0 -> $slab1 kB over the fault-point loads"
t "fault points leak nothing (Slab within 256 kB)" test $((slab1 - slab0)) -lt 256
insmod /vmainfo/vmainfo.ko

# A generated corpus of bad writes to every writable debugfs file.
badwrites() {
	for f in query pagemap counters; do
		F=/sys/kernel/debug/vmainfo/$f
		for s in "" " " "abc" "-1" "0" "-2147483648" "2147483648" "99999999999999999999" "1x" \
			 "0x10" "1 2" "1 2 3 4" "1 0x1000 0x1000" "1 -1 5" "1 0x1000 abc" \
			 "$(head -c 200 /dev/zero | tr '\0' 9)" "$(printf '1\n2')" "1	0x0	0x1000"; do
			out=$(vmicheck write $F "$s" OK 2>&1)
			case "$out" in
			""|*"EINVAL, want OK"*|*"ERANGE, want OK"*|*"ESRCH, want OK"*|*"ENODATA, want OK"*) ;;
			*) echo "$f '$s': $out"; return 1 ;;
			esac
		done
	done
}
t "bad writes: a corpus of garbage to query, pagemap, counters gives EINVAL/ERANGE/ESRCH/ENODATA or is a valid selection" badwrites
isolation() {
	exec 3<>/sys/kernel/debug/vmainfo/query 4<>/sys/kernel/debug/vmainfo/query
	echo 1 >&3
	echo garbage >&4 2>/dev/null
	a=$(head -n 1 <&3); b=$(cat <&4)
	exec 3>&- 4>&-
	[ "$a" = "pid: 1" ] || { echo "fd 3 read '$a'"; return 1; }
	[ -z "$b" ] || { echo "fd 4 (no valid selection) read '$b'"; return 1; }
}
t "bad writes: a failed selection on one open file leaves another's intact and itself empty" isolation
concurrent() {
	for i in 1 2 3 4; do ( j=0; while [ $j -lt 50 ]; do vmicheck sel /sys/kernel/debug/vmainfo/pagemap "1 0x0 0x$j\000" > /dev/null 2>&1; j=$((j + 1)); done ) & done
	wait
}
t "bad writes: concurrent selections on the page map" concurrent
# The confused deputy: debugfs opened up for a moment so uid 65534 can open
# query (0666); root then writes into that descriptor.
mount -o remount,mode=0755 /sys/kernel/debug
t "a query file opened by an unprivileged user and handed to root selects with the opener's rights (EACCES)" vmicheck deputy
mount -o remount,mode=0700 /sys/kernel/debug
cliargs() {
	for a in "" "-" "--" "-1" "0" "abc" "99999999999" "1 2" "--json" "pages" "pages 1 zz" "pages 1 5-1" \
		 "layout 1" "counters" "watch" "watch abc" "--file" "--file /nonexistent" "heap -5" "$(head -c 5000 /dev/zero | tr '\0' a)"; do
		vmainfo $a > /dev/null 2>&1; rc=$?
		[ $rc -lt 128 ] || { echo "vmainfo $a: crashed (exit $rc)"; return 1; }
		[ $rc != 0 ] || case "$a" in "--json"|"pages"|"counters") ;; *) echo "vmainfo $a: exit 0"; return 1 ;; esac
	done
}
t "bad CLI arguments: every one is refused with a documented status, none crashes" cliargs
