# percpu_counter state of a process, the module's own statistics, the kernel layout.
CNT=/sys/kernel/debug/vmainfo/counters
col() { awk -v r="$2" -v c="$3" '$1 == r { print $c }' "$1"; }	# FILE ROW COLUMN
# columns: row file anon swap shmem
W=/tmp/wl-pcpu.out
wl_start $W pcpu
P=$WLPID
vmicheck sel $CNT $P > /tmp/c0.txt
MODEL=$(sed -n 's/^model: //p' /tmp/c0.txt)
echo "# model $MODEL"; sed 's/^/# /' /tmp/c0.txt
kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" /proc/$P/status; }
# /proc/PID/status shows the exact sums on 6.2+ (percpu_counter_sum) but only
# the atomics, without the threads' caches, on 6.1.
[ "$MODEL" = percpu_counter ] && ROW=sum || ROW=central
t "counters: the $ROW row equals /proc/PID/status (RssFile RssAnon VmSwap RssShmem)" \
	test "$(col /tmp/c0.txt $ROW 2) $(col /tmp/c0.txt $ROW 3) $(col /tmp/c0.txt $ROW 4) $(col /tmp/c0.txt $ROW 5)" = \
	     "$(( $(kb RssFile) / 4 )) $(( $(kb RssAnon) / 4 )) $(( $(kb VmSwap) / 4 )) $(( $(kb RssShmem) / 4 ))"
parts_ok() {
	for c in 2 3 4 5; do
		s=$(awk -v c=$c '$1 != "row" && $1 != "sum" && NF == 5 && $1 !~ /:/ { t += $c } END { print t }' $1)
		[ "$s" = "$(col $1 sum $c)" ] || { echo "column $c: central + parts = $s, sum $(col $1 sum $c)"; return 1; }
	done
}
t "counters: central + all pending parts == exact sum, every counter" parts_ok /tmp/c0.txt
if [ "$MODEL" = percpu_counter ]; then
	B=$(sed -n 's/^error_bound: \([0-9]*\).*/\1/p' /tmp/c0.txt)
	bound_ok() {
		for c in 2 3 4 5; do
			d=$(( $(col /tmp/c0.txt central $c) - $(col /tmp/c0.txt sum $c) ))
			[ ${d#-} -le $B ] || { echo "column $c off by $d > $B"; return 1; }
		done
	}
	t "counters: |central - sum| within the documented bound ($B)" bound_ok
	BATCH=$(sed -n 's/^batch: //p' /tmp/c0.txt)
	D0=$(col /tmp/c0.txt cpu1 3)
	K=$((BATCH - 1 - D0))
	[ $K -ge 1 ] || K=1
	echo $K > /tmp/pcpu-k
	wl_next $P
	vmicheck sel $CNT $P > /tmp/c1.txt
	if [ $((D0 + K)) -lt $BATCH ]; then
		t "counters: $K pages touched on CPU 1 show as CPU 1's anon delta ($D0 -> $((D0 + K)))" \
			test "$(col /tmp/c1.txt cpu1 3)" = $((D0 + K))
		t "counters: the central anon count did not move (no fold below batch)" \
			test "$(col /tmp/c1.txt central 3)" = "$(col /tmp/c0.txt central 3)"
	else
		t "counters: crossing the batch folds CPU 1's delta into central" \
			test "$(col /tmp/c1.txt cpu1 3)" = 0
	fi
else
	D0=$(col /tmp/c0.txt tid$P 3)
	K=20
	echo $K > /tmp/pcpu-k
	wl_next $P
	vmicheck sel $CNT $P > /tmp/c1.txt
	D1=$(col /tmp/c1.txt tid$P 3)
	t "counters: $K pages touched show in the thread's cache, or a sync moved them to the atomic ($D0 -> $D1)" \
		sh -c "[ $D1 = $((D0 + K)) ] || [ $(col /tmp/c1.txt central 3) -gt $(col /tmp/c0.txt central 3) ]"
fi
t "counters: the exact anon sum grew by exactly the $K pages touched" \
	test "$(col /tmp/c1.txt sum 3)" = $(( $(col /tmp/c0.txt sum 3) + K ))
t "counters: after touching, the $ROW row still equals status" \
	test "$(col /tmp/c1.txt $ROW 3)" = $(( $(kb RssAnon) / 4 ))
wl_end $P
t "counters: kernel thread is ENODATA" vmicheck write $CNT 2 ENODATA
t "counters: dead pid is ESRCH" vmicheck write $CNT 3999999 ESRCH

# The module's statistics: a full read of a stopped process adds exactly its VMAs.
ST=/sys/kernel/debug/vmainfo/stats
stat_of() { awk -v n="$1" '$1 == n { print $2 }' $ST; }
stats_ok() {
	sum_ok=$(awk 'NR > 3 && NF && $1 != "stat" && $1 != "live" { s = $3; for (i = 4; i <= NF; i++) s += $i; if (s != $2) bad = bad " " $1 } END { print bad }' $ST)
	[ -z "$sum_ok" ] || { echo "central + deltas != sum for:$sum_ok"; cat $ST; return 1; }
}
W=/tmp/wl-st.out
wl_start $W shapes
P=$WLPID
v0=$(stat_of vmas); c0=$(stat_of chunks)
cat /proc/vmainfo/$P > /dev/null
v1=$(stat_of vmas); c1=$(stat_of chunks)
N=$(wc -l < /proc/$P/maps)
t "stats: one read adds exactly the process's $N VMAs to 'vmas' ($v0 -> $v1)" test $((v1 - v0)) = $N
t "stats: one read adds chunks" test $c1 -gt $c0
t "stats: central + per-CPU deltas == sum for every statistic (quiet system)" stats_ok
wl_end $P
e0=$(stat_of err_esrch)
vmicheck write /sys/kernel/debug/vmainfo/query 3999999 ESRCH
t "stats: a failed select counts in err_esrch" test $(stat_of err_esrch) -gt $e0

# The kernel layout, cross-checked with what the kernel says itself.
L=/sys/kernel/debug/vmainfo/layout
cat $L | sed 's/^/# /'
lv=$(sed -n 's/^paging_levels: //p' $L)
if grep -q ' la57' /proc/cpuinfo && ! grep -q no5lvl /proc/cmdline; then want=5; else want=4; fi
t "layout: paging levels ($lv) as the CPU flags and boot parameters say ($want)" test "$lv" = $want
t "layout: user VA bits match the levels" test "$(sed -n 's/^user_va_bits: //p' $L)" = $([ $want = 5 ] && echo 56 || echo 47)
TS=$(sed -n 's/^task_size: //p' $L)
top=$(awk -F'[- ]' '{ e = $2 } END { print "0x" e }' /proc/1/maps)
t "layout: the highest user address seen ($top) is below task_size ($TS)" \
	sh -c "[ \$(( $top )) -le \$(( $TS )) ]"
workload edge $TS > /tmp/edge.txt
t "layout: the page below task_size can be mapped, task_size itself cannot ($(tr '\n' ' ' < /tmp/edge.txt))" \
	sh -c "grep -q '^below=mapped' /tmp/edge.txt && grep -q '^at=refused' /tmp/edge.txt"
t "layout: task_size equals every process's mm task_size" vmicheck hdr 1 task_size $TS
# Fixed-width hex strings compare as strings ("x" prefix: never as numbers).
ordered() {
	awk '$2 ~ /^0x/ && $3 ~ /^0x/ && $1 != "user" && $1 != "kernel_text" {
		if (!("x" $2 < "x" $3)) { print $1, "is empty or reversed"; bad = 1 }
		print $2, $3, $1 > "/tmp/regions" }
	END { exit bad }' $L || return 1
	sort /tmp/regions | awk 'prev != "" && ("x" $1 < "x" prev) { print "overlap at", $3; bad = 1 } { prev = $2 } END { exit bad }'
}
t "layout: kernel regions are ordered and do not overlap" ordered
t "layout: kernel_text lies inside kernel_image" awk '$1 == "kernel_image" { a1 = $2; a2 = $3 } $1 == "kernel_text" { b1 = $2; b2 = $3 } END { exit !(b1 >= a1 && b2 <= a2) }' $L
t "layout: non-root is refused" sh -c "! runas 65534 65534 cat $L > /dev/null 2>&1"
