# Module load fails cleanly at every forced failure point, and bad input is refused.
rmmod vmainfo
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
sync; echo 3 > /proc/sys/vm/drop_caches
slab0=$(meminfo Slab)
# Which failure point init asked about, and what vmi_should_fail() answered:
# a kprobe and a kretprobe on it, set before the module is loaded.
T=/sys/kernel/tracing
# The first argument's register: the probe is set before the module is
# loaded, when $arg1 (function-entry only) cannot be checked and is refused.
A1=%di
[ "$(uname -m)" = aarch64 ] && A1=%x0
kp_on() {
	echo "p:vmifail/ask vmainfo:vmi_should_fail point=$A1:s32" > $T/kprobe_events &&
	echo 'r:vmifail/ans vmainfo:vmi_should_fail ret=$retval:u8' >> $T/kprobe_events &&
	echo 1 > $T/events/vmifail/enable
}
kp_off() { echo 0 > $T/events/vmifail/enable; echo > $T/kprobe_events; }
# What the trace shows: "3=0 4=0 5=1" (point asked = answer), in order, for
# the init points 1-6 (the run-time points 7-10 are asked at every open and
# entry made, also by init's scan of the processes, and answer 0 here).
asked() { grep -o 'point=[0-9-]*\|ret=[0-9]*' $T/trace | sed 's/.*=//' | paste -sd' ' | awk '{ o = ""; for (i = 1; i < NF; i += 2) if ($i <= 6) o = o (o == "" ? "" : " ") $i "=" $(i + 1); print o }'; }
if kp_on 2> /tmp/kp.err; then ok "kprobes on vmi_should_fail() set before the module is loaded"; else not_ok "kprobes on vmi_should_fail()"; diag < /tmp/kp.err; fi
# The errno of each point (busybox insmod names ENOENT "unknown symbol in module, or unknown parameter").
want_err() { [ $1 = 3 ] && echo "unknown symbol in module, or unknown parameter" || echo "Cannot allocate memory"; }
tpmsg() { dmesg | grep -c 'vmainfo: tracepoint sched_process_free not found'; }
for n in 1 2 3 4 5 6; do
	clean() {
		echo > $T/trace
		m0=$(tpmsg)
		insmod /vmainfo/vmainfo.ko fail_at=$n 2> /tmp/ins.err && { echo "insmod succeeded"; return 1; }
		grep -q ": $(want_err $n)\$" /tmp/ins.err || { echo "insmod: '$(cat /tmp/ins.err)', want '$(want_err $n)'"; return 1; }
		a=$(asked)
		# busybox insmod tries finit_module(), then init_module(): init
		# runs once or twice.  Each run asks every point once, in the same
		# order, hears 0 until it asks point n, hears 1 and fails there.
		echo "$a" | awk -v n=$n '{ run = ""; first = ""; runs = 0
			for (i = 1; i <= NF; i++) { split($i, x, "="); run = run " " $i
				if (seen[x[1]]++) exit 1
				if (x[2] != 0) { if (x[1] != n || x[2] != 1) exit 1
					if (runs++ && run != first) exit 1
					if (runs == 1) first = run
					run = ""; split("", seen) } }
			exit !(runs >= 1 && run == "") }' ||
			{ echo "init asked (point=answer): '$a', want each init to end at $n=1"; return 1; }
		runs=$(echo "$a" | grep -o '=1' | wc -l)
		[ $n != 3 ] || [ $(tpmsg) = $((m0 + runs)) ] ||
			{ echo "not $runs new 'tracepoint sched_process_free not found' in dmesg"; return 1; }
		[ ! -e /proc/vmainfo ] || { echo "/proc/vmainfo left behind"; return 1; }
		[ ! -e /sys/kernel/debug/vmainfo ] || { echo "debugfs dir left behind"; return 1; }
		! lsmod | grep -q '^vmainfo' || { echo "module still loaded"; return 1; }
		insmod /vmainfo/vmainfo.ko || { echo "a normal insmod after it failed"; return 1; }
		sh -c 'grep -q "^pid: " /proc/vmainfo/self' || { echo "module not working after it"; return 1; }
		rmmod vmainfo
		echo "asked $a"
	}
	t "fault point $n: insmod fails with '$(want_err $n)' at point $n, nothing left, a normal load works" clean
done
# The parameter reaches the module: a point that does not exist (11) loads normally
# and shows in sysfs; a value that is not a number is refused (EINVAL).
param() {
	echo > $T/trace
	insmod /vmainfo/vmainfo.ko fail_at=11 || { echo "fail_at=11 did not load"; return 1; }
	v=$(cat /sys/module/vmainfo/parameters/fail_at); a=$(asked)
	rmmod vmainfo
	[ "$v" = 11 ] || { echo "parameters/fail_at is '$v'"; return 1; }
	[ -n "$a" ] && [ "$a" = "$(echo "$a" | sed 's/=1/=X/g')" ] || { echo "init asked '$a'"; return 1; }
	insmod /vmainfo/vmainfo.ko fail_at=x 2> /tmp/ins.err && { rmmod vmainfo; echo "fail_at=x loaded"; return 1; }
	grep -q ': Invalid argument$' /tmp/ins.err || { echo "fail_at=x: $(cat /tmp/ins.err)"; return 1; }
}
t "fault points: fail_at=11 (no such point) loads (every point answered 0), fail_at=x is EINVAL" param
kp_off
sync; echo 3 > /proc/sys/vm/drop_caches
slab1=$(meminfo Slab)
echo "# Slab $slab0 -> $slab1 kB over the fault-point loads"
t "fault points leak nothing (Slab within 256 kB)" test $((slab1 - slab0)) -lt 256
insmod /vmainfo/vmainfo.ko

# A corpus of bad (and good) writes to query, pagemap and counters, each with
# the errno Documentation/proc-vmainfo.rst gives for that file (OK: accepted).
# The input is a printf format (real bytes: \000 is a NUL, \t a tab); pid 1 is
# init, 2 kthreadd; TS is TASK_SIZE_MAX.
TS=$(sed -n 's/^task_size: //p' /proc/vmainfo/1)
badwrites() {
	pad=$(head -c 94 /dev/zero | tr '\0' ' ')
	n=0
	while IFS='|' read -r in q pm c; do
		[ -n "$q" ] || continue
		for x in "query $q" "pagemap $pm" "counters $c"; do
			set -- $x
			printf "$in" | vmicheck writeb /sys/kernel/debug/vmainfo/$1 $2 > /tmp/bw.out ||
				{ echo "$1 '$in':"; cat /tmp/bw.out; return 1; }
			n=$((n + 1))
		done
	done <<EOF
|EINVAL|EINVAL|EINVAL
 |EINVAL|EINVAL|EINVAL
\n|EINVAL|EINVAL|EINVAL
\000|EINVAL|EINVAL|EINVAL
abc|EINVAL|EINVAL|EINVAL
-1|EINVAL|EINVAL|EINVAL
0|EINVAL|EINVAL|EINVAL
-2147483648|EINVAL|EINVAL|EINVAL
2147483647|ESRCH|ESRCH|ESRCH
2147483648|ERANGE|ERANGE|ERANGE
99999999999999999999|ERANGE|ERANGE|ERANGE
1x|EINVAL|EINVAL|EINVAL
0x10|EINVAL|EINVAL|EINVAL
1|OK|OK|OK
1\n|OK|OK|OK
 1 \t\n|OK|OK|OK
2|OK|ENODATA|ENODATA
1 2|EINVAL|EINVAL|EINVAL
1\n2|EINVAL|EINVAL|EINVAL
1 2 3 4|EINVAL|EINVAL|EINVAL
1 0x1000 0x1000|EINVAL|EINVAL|EINVAL
1 0x2000 0x1000|EINVAL|EINVAL|EINVAL
1 -1 5|EINVAL|EINVAL|EINVAL
1 0x1000 abc|EINVAL|EINVAL|EINVAL
1\t0x0\t0x1000|EINVAL|OK|EINVAL
1 010 020|EINVAL|OK|EINVAL
1 0x1000 0x10000000000000000|EINVAL|ERANGE|EINVAL
1 0 $TS|EINVAL|OK|EINVAL
1 0 $(printf 0x%x $((TS + 1)))|EINVAL|EINVAL|EINVAL
1 pfn|EINVAL|OK|EINVAL
1 0x0 0x1000 pfn|EINVAL|OK|EINVAL
pfn|EINVAL|EINVAL|EINVAL
1 pfn pfn|EINVAL|EINVAL|EINVAL
1 0x0 0x1000 pfn pfn|EINVAL|EINVAL|EINVAL
1$pad|OK|OK|OK
1$pad |EINVAL|EINVAL|EINVAL
$(head -c 200 /dev/zero | tr '\0' 9)|EINVAL|EINVAL|EINVAL
1\000|EINVAL|EINVAL|EINVAL
1\0002|EINVAL|EINVAL|EINVAL
1 0x0 0x1000\000|EINVAL|EINVAL|EINVAL
EOF
	echo "$n writes, each with its documented result"
}
t "bad writes: a corpus of inputs to query, pagemap, counters gives exactly the documented errno each" badwrites
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
	pids=
	for i in 1 2 3 4; do
		( j=1; while [ $j -le 50 ]; do
			printf "1 0x%x000 0x%x000" $j $((j + i)) | vmicheck writeb /sys/kernel/debug/vmainfo/pagemap OK || exit 1
			printf "1 0x%x000 0x%x000" $((j + i)) $j | vmicheck writeb /sys/kernel/debug/vmainfo/pagemap EINVAL || exit 1
			printf "1 0x%x000 0x%x000\000" $j $((j + i)) | vmicheck writeb /sys/kernel/debug/vmainfo/pagemap EINVAL || exit 1
			j=$((j + 1))
		done ) > /tmp/conc.$i 2>&1 &
		pids="$pids $!"
	done
	r=0
	for p in $pids; do wait $p || r=1; done
	[ $r = 0 ] || cat /tmp/conc.*
	return $r
}
t "bad writes: 4 writers, 600 selections on the page map (good, START >= END, a NUL), each OK or EINVAL as documented" concurrent
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
