# Page-table present bits: the debugfs page map and per-VMA counts against /proc/PID/pagemap.
swap_on() {
	for m in zsmalloc lz4_compress lz4hc_compress lzo lzo-rle zram; do
		[ -f /lib/modules/$m.ko ] && insmod /lib/modules/$m.ko 2>/dev/null
	done
	[ -e /sys/block/zram0 ] || return 1
	echo 64M > /sys/block/zram0/disksize && mkswap /dev/zram0 > /dev/null && swapon /dev/zram0
}
if swap_on; then SWAP=1; ok "zram swap on (from the image's zram.ko)"; else SWAP=0; not_ok "zram swap on"; fi

W=/tmp/wl-pages.out
wl_start $W pages
P=$WLPID
t "pages: every page of every VMA matches pagemap (present, swap) and per-VMA sums" vmicheck pagemap $P
# The per-VMA sums above include these, which share PTE tables.
small_vmas() {	# PID START: VMAs in [START, START + 1024 pages) per /proc/PID/maps
	awk -v s="$2" 'function h(x,  i, v) { v = 0; x = tolower(x); sub(/^0x/, "", x)
			for (i = 1; i <= length(x); i++) v = v * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1
			return v }
		BEGIN { lo = h(s); hi = lo + 1024 * 4096 }
		{ split($1, a, "-"); if (h(a[1]) >= lo && h(a[2]) <= hi) n++ } END { print n + 0 }' /proc/$1/maps
}
t "pages: 300+ VMAs of 1-3 pages, with holes, share the PTE tables of one 4 MiB region" \
	test "$(small_vmas $P $(val $W small))" -ge 300
t "pages: every other page touched: 128 of 256 present" vmicheck cnt $P $(val $W alt) present 128
# (i*i + 3i) mod 7 < 3 holds for 147 of i in 0..511
t "pages: irregular pattern: 147 of 512 present" vmicheck cnt $P $(val $W irr) present 147
t "pages: 64 GiB NORESERVE, one page per 2 MiB: 32768 present" vmicheck cnt $P $(val $W sparse) present 32768
t "pages: MADV_HUGEPAGE 4 MiB region: huge count equals smaps AnonHugePages" vmicheck thp $P $(val $W thp)
t "pages: MADV_DONTNEED of 32 of 64 pages leaves 32 present" vmicheck cnt $P $(val $W dontneed) present 32
t "pages: header equals status, VmPTE = tables by level + THP deposits" vmicheck status $P
t "pages: mlock()ed 16 pages are present" vmicheck cnt $P $(val $W mlock) present 16
t "pages: file mapping, every 3rd of 64 pages read: 22 present" vmicheck cnt $P $(val $W file) present 22
wl_next $P
if [ $SWAP = 1 ] && [ "$(val $W pageout)" = 0 ]; then
	t "pages: after MADV_PAGEOUT, pages are swapped" sh -c "! vmicheck cnt $P $(val $W out) swap 0"
	t "pages: with swapped pages, every page matches pagemap" vmicheck pagemap $P
	t "pages: swap_ents equals status VmSwap" vmicheck status $P
else
	skip_unless_missing "swap zram MADV_PAGEOUT" "pages: swapped pages" "no swap or MADV_PAGEOUT failed ($(val $W pageout))"
fi
wl_next $P
C=$(val $W child)
wait_stopped $C; wait_entry $C
t "fork: COW child's pages match pagemap before it writes" vmicheck pagemap $C
t "fork: COW child has 128 present pages in the alternating region" vmicheck cnt $C $(val $W alt) present 128
kill -CONT $C; wait_stopped $C
t "fork: after the child writes, its pages match pagemap" vmicheck pagemap $C
t "fork: after the child writes, all 256 pages are present in the child" vmicheck cnt $C $(val $W alt) present 256
t "fork: the parent still matches pagemap" vmicheck pagemap $P
kill -KILL $C
wl_end $P

# Bad selections get a clear errno.
PM=/sys/kernel/debug/vmainfo/pagemap
t "page map: garbage is EINVAL" vmicheck write $PM "hello" EINVAL
t "page map: empty write is EINVAL" vmicheck write $PM "" EINVAL
t "page map: start >= end is EINVAL" vmicheck write $PM "1 0x2000 0x1000" EINVAL
t "page map: overflowing address is ERANGE" vmicheck write $PM "1 0x1000 0x1ffffffffffffffffff" ERANGE
t "page map: end beyond user space is EINVAL" vmicheck write $PM "1 0x1000 0xffffffffffff0000" EINVAL
t "page map: two numbers is EINVAL" vmicheck write $PM "1 0x1000" EINVAL
t "page map: dead pid is ESRCH" vmicheck write $PM "3999999" ESRCH
t "page map: kernel thread is ENODATA" vmicheck write $PM "2" ENODATA
t "page map: a valid range is accepted" vmicheck write $PM "1 0x0 0x7ffffffff000" OK
t "page map: 'pfn' after a range is accepted for root" vmicheck write $PM "1 0x0 0x7ffffffff000 pfn" OK
t "page map: frame numbers only when asked for" sh -c "vmicheck sel $PM 1 | grep -q 'pfn:' && exit 1; vmicheck sel $PM '1 pfn' | grep -q ' pfn:0x'"

# Readers hammer a process that reshapes itself.
W=/tmp/wl-churn.out
workload churn > $W &
C=$!
wait_entry $C
# Each round: the text, the query text and a page map checked line by line
# (complete, well formed, runs contiguous and never going back).
hammer() {
	end=$(( $(cut -d. -f1 /proc/uptime) + ${HAMMER_SECS:-30} ))
	n=0
	while [ $(cut -d. -f1 /proc/uptime) -lt $end ]; do
		cat /proc/vmainfo/$C > /dev/null || return 1
		vmicheck query $C > /dev/null || return 1
		out=$(vmicheck pmorder $C 1) || { echo "$out"; return 1; }
		n=$((n + 1))
	done
	echo "rounds=$n"
}
yields() { awk '$1 == "yields" { print $2 }' /sys/kernel/debug/vmainfo/stats; }
y0=$(yields)
hammer > /tmp/h1.out 2>&1 &
H1=$!
hammer > /tmp/h2.out 2>&1
r2=$?
wait $H1; r1=$?
t "30 s of readers against a churning target: no failures ($(cat /tmp/h1.out /tmp/h2.out | tr '\n' ' ')yields=$(( $(yields) - y0 )))" test $r1 = 0 -a $r2 = 0
t "the churning target is alive and running" sh -c "kill -0 $C && ! grep -q '^State:.*(stopped\|disk sleep)' /proc/$C/status"
wl_end $C
