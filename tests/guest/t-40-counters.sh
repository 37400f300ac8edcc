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
# The exact sum against an independent count: smaps_rollup walks the page
# tables of the stopped process (Anonymous: anon pages mapped; Rss - Anonymous:
# file and shmem pages; Swap: swap entries).
rollup() { awk -v k="$1:" '$1 == k { print $2 }' /proc/$P/smaps_rollup; }
sum_ok() {
	a=$(col $1 sum 3); f=$(col $1 sum 2); sw=$(col $1 sum 4); sh=$(col $1 sum 5)
	ra=$(rollup Anonymous); rr=$(rollup Rss); rs=$(rollup Swap)
	[ $((a * 4)) = "$ra" ] || { echo "sum anon $a pages, smaps_rollup Anonymous $ra kB"; return 1; }
	[ $(( (f + sh) * 4 )) = $((rr - ra)) ] || { echo "sum file+shmem $f+$sh pages, smaps_rollup Rss - Anonymous $((rr - ra)) kB"; return 1; }
	[ $((sw * 4)) = "$rs" ] || { echo "sum swap $sw pages, smaps_rollup Swap $rs kB"; return 1; }
}
t "counters: the sum row equals smaps_rollup (Anonymous, Rss - Anonymous, Swap) of the stopped process" sum_ok /tmp/c0.txt
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
	C0=$(col /tmp/c0.txt central 3); C1=$(col /tmp/c1.txt central 3)
	# 6.1 (mm/memory.c): each fault first counts an event and, past 64
	# events (TASK_RSS_EVENTS_THRESH), sync_mm_rss() folds the whole cache
	# into the atomic; then the fault adds to the cache.  K < 64 faults fold
	# at most once: either no fold (atomic unchanged, cache D0 + K) or one
	# fold before fault j + 1 (atomic + D0 + j, cache K - j, 0 <= j <= K).
	t "counters: $K pages touched: cache $D0 -> $D1, atomic $C0 -> $C1: no fold, or one fold of the whole cache" \
		sh -c "[ $C1 = $C0 -a $D1 = $((D0 + K)) ] || [ $D1 -ge 0 -a $D1 -le $K -a $C1 = $((C0 + D0 + K - D1)) ]"
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
# vmas row: sum central cpu0 cpu1 ...; a read pinned to one CPU adds to that
# CPU's delta (and the central count, when it folds), to no other CPU's.
vmas_row() { awk '$1 == "vmas"' $ST; }
W=/tmp/wl-st.out
wl_start $W shapes
P=$WLPID
v0=$(stat_of vmas); c0=$(stat_of chunks)
cat /proc/vmainfo/$P > /dev/null
v1=$(stat_of vmas); c1=$(stat_of chunks)
N=$(grep -v -c ' \[vsyscall\]$' /proc/$P/maps)	# the gate area is not walked
t "stats: one read adds exactly the process's $N VMAs to 'vmas' ($v0 -> $v1)" test $((v1 - v0)) = $N
t "stats: one read adds chunks" test $c1 -gt $c0
pinned() {	# CPU: a read pinned to CPU adds the N VMAs there
	r0=$(vmas_row); taskset -c $1 cat /proc/vmainfo/$P > /dev/null; r1=$(vmas_row)
	echo "before: $r0"; echo "after:  $r1"
	echo "$r0 $r1" | awk -v c=$1 -v n=$N '{ k = NF / 2; s = 0
		for (i = 3; i <= k; i++) { d = $(k + i) - $i
			if (i == 3 || i == 4 + c) s += d; else if (d != 0) exit 1 }
		exit !(s == n && $(k + 2) - $2 == n) }'
}
t "stats: a read pinned to CPU 1 adds the $N VMAs to central + cpu1, nothing to other CPUs" pinned 1
t "stats: a read pinned to CPU 0 adds the $N VMAs to central + cpu0, nothing to other CPUs" pinned 0
wl_end $P
e0=$(stat_of err_esrch)
vmicheck write /sys/kernel/debug/vmainfo/query 3999999 ESRCH
t "stats: a failed select counts in err_esrch" test $(stat_of err_esrch) -gt $e0

# The kernel layout, cross-checked with what the kernel says itself.
L=/sys/kernel/debug/vmainfo/layout
cat $L | sed 's/^/# /'
lv=$(sed -n 's/^paging_levels: //p' $L)
if [ "$(uname -m)" = aarch64 ]; then
	# arm64, 4K pages: 52-bit VA (LPA2, 5 levels) when the kernel said so
	# at boot, else 48-bit (4 levels); user space is [0, 2^vabits) (TTBR0)
	if grep -q 'detected: 52-bit Virtual Addressing (LPA2)' /vmainfo/log/kmsg; then
		want=5 vab=52 WANT_TS=0x10000000000000
		U_END=0x000fffffffffffff K_START=0xfff0000000000000
	else
		want=4 vab=48 WANT_TS=0x1000000000000
		U_END=0x0000ffffffffffff K_START=0xffff000000000000
	fi
	t "layout: paging levels ($lv) as the boot log says ($vab-bit VA: $want)" test "$lv" = $want
	t "layout: user VA bits and vabits_actual are $vab, VA_BITS 52, page size $(getconf PAGESIZE 2>/dev/null || echo 4096)" sh -c \
		"grep -qx 'user_va_bits: $vab' $L && grep -qx 'vabits_actual: $vab' $L && grep -qx 'va_bits: 52' $L && grep -qx 'page_size: 4096' $L"
	t "layout: TTBR0 is the user half, TTBR1 the kernel half from -2^$vab" sh -c \
		"grep -qx 'ttbr0: 0x0000000000000000-$U_END (user half)' $L &&
		 grep -qx 'ttbr1: $K_START-0xffffffffffffffff (kernel half)' $L"
else
	if grep -q ' la57' /proc/cpuinfo && ! grep -q no5lvl /proc/cmdline; then want=5; else want=4; fi
	t "layout: paging levels ($lv) as the CPU flags and boot parameters say ($want)" test "$lv" = $want
	t "layout: user VA bits match the levels" test "$(sed -n 's/^user_va_bits: //p' $L)" = $([ $want = 5 ] && echo 56 || echo 47)
	WANT_TS=$([ $want = 5 ] && echo 0xfffffffffff000 || echo 0x7ffffffff000)
fi
TS=$(sed -n 's/^task_size: //p' $L)
top=$(awk -F'[- ]' '{ e = $2 } END { print "0x" e }' /proc/1/maps)
t "layout: the highest user address seen ($top) is below task_size ($TS)" \
	sh -c "[ \$(( $top )) -le \$(( $TS )) ]"
workload edge $TS > /tmp/edge.txt
t "layout: the page below task_size can be mapped, task_size itself cannot ($(tr '\n' ' ' < /tmp/edge.txt))" \
	sh -c "grep -q '^below=mapped' /tmp/edge.txt && grep -q '^at=refused' /tmp/edge.txt"
t "layout: task_size is the $want-level user limit ($WANT_TS)" test "$TS" = $WANT_TS
t "layout: pid 1's mm task_size is the $want-level user limit" vmicheck hdr 1 task_size $WANT_TS
# Fixed-width hex strings compare as strings ("x" prefix: never as numbers).
ordered() {
	awk '$2 ~ /^0x/ && $3 ~ /^0x/ && $1 != "user" && $1 != "kernel_text" {
		if (!("x" $2 < "x" $3)) { print $1, "is empty or reversed"; bad = 1 }
		print $2, $3, $1 > "/tmp/regions" }
	END { exit bad }' $L || return 1
	sort /tmp/regions | awk 'prev != "" && ("x" $1 < "x" prev) { print "overlap at", $3; bad = 1 } { prev = $2 } END { exit bad }'
}
t "layout: kernel regions are ordered and do not overlap" ordered
# (arm64: the image lies in vmalloc space)
IMG=kernel_image
[ "$(uname -m)" = aarch64 ] && IMG=vmalloc
t "layout: kernel_text lies inside $IMG" awk -v img=$IMG '$1 == img { a1 = $2; a2 = $3 } $1 == "kernel_text" { b1 = $2; b2 = $3 } END { exit !(b1 >= a1 && b2 <= a2) }' $L
t "layout: non-root is refused" sh -c "! runas 65534 65534 cat $L > /dev/null 2>&1"
