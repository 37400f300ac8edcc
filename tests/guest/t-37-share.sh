# The share view (/proc/vmainfo/share): every column that stands for an smaps
# key, per VMA and in the rollup, against /proc/PID/smaps and smaps_rollup of
# the same stopped process, exactly; anon_excl, anon_cow and zero against
# /proc/PID/pagemap's bit 56 page by page.  Workload (sharecheck wl): a parent
# and two children after fork, before and after the children write; shared
# anonymous and shared file mappings mapped by the three; the zero page and
# the huge zero page; a THP shared after fork, then split by a child's write;
# zram swap; MADV_FREE; mlock.
if grep -q zram0 /proc/swaps 2>/dev/null; then
	SWAP=1
else
	for m in zsmalloc lz4_compress lz4hc_compress lzo lzo-rle zram; do
		[ -f /lib/modules/$m.ko ] && insmod /lib/modules/$m.ko 2>/dev/null
	done
	SWAP=0
	[ -e /sys/block/zram0 ] && echo 64M > /sys/block/zram0/disksize 2>/dev/null &&
		mkswap /dev/zram0 > /dev/null && swapon /dev/zram0 && SWAP=1
fi

kb() { sharecheck col $1 $2 $3; }	# PID ADDR|rollup COLUMN: its value (kB)
# want NAME PID ADDR COLUMN KB
want() {
	_v=$(kb $2 $3 $4 2>&1)
	if [ "$_v" = "$5" ]; then ok "$1 ($4 $5 kB)"; else not_ok "$1 ($4: $_v kB, want $5)"; fi
}

W=/tmp/wl-share.out
# The workload runs from a copy: the checker's own text pages, mapped while
# it reads, would otherwise change the PSS of the workload's text.
cp "$(command -v sharecheck)" /tmp/sharewl
/tmp/sharewl wl /tmp/share.file > $W &
P=$!
wait_stopped $P
C1=$(val $W c1); C2=$(val $W c2)
if [ -n "$C1" ] && wait_stopped $C1 && wait_stopped $C2; then
	ok "share: parent $P and children $C1, $C2 stopped after fork"
else
	not_ok "share: workload started ($(cat $W))"
fi
A=$(val $W anon); Z=$(val $W zero); SA=$(val $W shanon); SF=$(val $W shfile)
T=$(val $W thp); TZ=$(val $W thpzero); L=$(val $W locked); LZ=$(val $W lazy); S=$(val $W swapped)
SO=$(val $W solo); SL=$(val $W sololk); ST=$(val $W solothp)
THP_ON=0
grep -q '\[always\]\|\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null && THP_ON=1

# what the file looks like (the parent's, after fork)
{ echo $P > /tmp/share.sel; exec 3<>/proc/vmainfo/share; cat /tmp/share.sel >&3; cat <&3; exec 3<&-; } 2>&1 |
	sed -n '1,10p;$p' | DIAG_LINES=12 diag
for ph in forked written; do
	for who in parent c1 c2; do
		case $who in parent) X=$P ;; c1) X=$C1 ;; c2) X=$C2 ;; esac
		t "share ($ph, $who): every VMA line and the rollup equal smaps and smaps_rollup" \
			sharecheck cmp $X
		t "share ($ph, $who): anon_excl, anon_cow + zero equal pagemap bit 56 per VMA" \
			sharecheck excl $X
	done
	# three processes map the shared regions: PSS one third of RSS, in
	# smaps' fixed point: 12 x ((4096 << 12) / 3) >> 12 = 16383 bytes, 15 kB
	want "share ($ph): shared anonymous mapping, PSS a third" $P $SA pss 15
	want "share ($ph): shared file mapping, PSS a third" $P $SF pss 15
	want "share ($ph): shared file mapping is shmem (Pss_Shmem)" $P $SF pss_shmem 15
	want "share ($ph): ... its RSS whole" $C2 $SF rss 48
	want "share ($ph): 16 pages read, never written: the zero page" $P $Z zero 64
	if [ $THP_ON = 1 ] && [ "$(cat /sys/kernel/mm/transparent_hugepage/use_zero_page)" = 1 ]; then
		want "share ($ph): a THP region only read: the huge zero page" $P $TZ zero 2048
		want "share ($ph): the huge zero page is no RSS (as smaps)" $P $TZ rss 0
	else
		skip_unless_missing "THP" "share ($ph): huge zero page" "THP or its zero page is off"
	fi
	# mlock is not inherited, but the locked pages are shared after fork:
	# Locked is their PSS, 32 kB / 3
	want "share ($ph): mlock: Locked in the parent, PSS of pages shared by 3" $P $L locked 10
	want "share ($ph): mlock is not inherited" $C1 $L locked 0
	if [ "$(val $W madv_free)" = 0 ]; then
		want "share ($ph): MADV_FREE before fork: LazyFree" $P $LZ lazyfree 32
	else
		not_ok "share ($ph): MADV_FREE failed ($(val $W madv_free))"
	fi
	# pages mapped once (MADV_DONTFORK): the module counts them a table at a time
	if [ "$(val $W solo_free)" = 0 ]; then
		want "share ($ph): MADV_FREE, 3 of 8 pages written again, mapped once: LazyFree" $P $SO lazyfree 20
		want "share ($ph): ... Private_Dirty 3 pages" $P $SO private_dirty 12
	else
		not_ok "share ($ph): MADV_FREE failed ($(val $W solo_free))"
	fi
	want "share ($ph): mlock, mapped once: Locked" $P $SL locked 16
	want "share ($ph): ... exclusive" $P $SL anon_excl 16
	if [ $THP_ON = 1 ]; then
		want "share ($ph): a THP mapped once: AnonHugePages" $P $ST anon_huge 2048
		want "share ($ph): ... every page exclusive" $P $ST anon_excl 2048
	fi
	if [ $SWAP = 1 ] && [ "$(val $W pageout)" = 0 ]; then
		want "share ($ph): MADV_PAGEOUT before fork: Swap in the parent" $P $S swap 32
		want "share ($ph): ... and in a child (inherited swap entries)" $C2 $S swap 32
	else
		skip_unless_missing "swap zram MADV_PAGEOUT" "share ($ph): swapped pages" \
			"no swap or MADV_PAGEOUT failed ($(val $W pageout))"
	fi
	if [ $ph = forked ]; then
		want "share (forked): all 64 anon pages still shared copy-on-write" $P $A anon_cow 256
		want "share (forked): none exclusive" $P $A anon_excl 0
		want "share (forked): USS of the COW region is 0" $P $A uss 0
		[ $THP_ON = 1 ] && want "share (forked): the THP is shared, PMD-mapped" $C1 $T anon_huge 2048
		for X in $P $C1 $C2; do kill -CONT $X; done
		wait_stopped $P && wait_stopped $C1 && wait_stopped $C2
	else
		want "share (written): child 1 copied 32 pages" $C1 $A anon_excl 128
		want "share (written): child 1 still shares 32" $C1 $A anon_cow 128
		want "share (written): child 2 copied all 64" $C2 $A anon_excl 256
		want "share (written): the parent owns the 32 both copied" $P $A anon_excl 128
		want "share (written): USS of the parent's COW region" $P $A uss 128
	fi
done
kill -KILL $P $C1 $C2 2>/dev/null; wait $P 2>/dev/null
rm -f /tmp/share.file /tmp/sharewl

# Access: the owner reads its own process without root, another user may not.
runas 1000 1000 sleep 600 &
TGT=$!
wait_entry $TGT
t "share: the owner (uid 1000) selects its process" runas 1000 1000 vmicheck write /proc/vmainfo/share $TGT OK
t "share: the owner reads it (rollup rss)" runas 1000 1000 sharecheck col $TGT rollup rss
t "share: another user (uid 1001) is refused" runas 1001 1001 vmicheck write /proc/vmainfo/share $TGT EACCES
t "share: a kernel thread has no pages (ENODATA)" vmicheck write /proc/vmainfo/share 2 ENODATA
t "share: garbage is EINVAL" vmicheck write /proc/vmainfo/share "12x" EINVAL
t "share: the owner selects the rollup view" runas 1000 1000 vmicheck write /proc/vmainfo/share "$TGT rollup" OK
t "share: another user is refused the rollup view" runas 1001 1001 vmicheck write /proc/vmainfo/share "$TGT rollup" EACCES
t "share: rollup before the pid is EINVAL" vmicheck write /proc/vmainfo/share "rollup $TGT" EINVAL
t "share: rollup twice is EINVAL" vmicheck write /proc/vmainfo/share "$TGT rollup rollup" EINVAL
t "share: rollup with two pids is EINVAL" vmicheck write /proc/vmainfo/share "$TGT rollup $TGT" EINVAL
kill $TGT; wait $TGT 2>/dev/null

# A heap growing by brk() while both views are read: the lock given up
# between lines or VMAs, the heap the read was in grows, and the read goes on
# from where it stopped; its rollup never exceeds the peak RSS (VmHWM).
t "share: a heap growing while read is counted once (rollup rss <= VmHWM)" sharecheck brk

# Lock holds: a 16 GiB VMA (8192 pages, one per PTE table) that never
# changes, beside a loop of mmap()+munmap() that waits for the mmap lock
# (workload bigrw, as t-26-locks.sh): the walk of the big VMA gives the lock
# up for the writer (vma_yields rises) and its line still equals smaps.
stat_of() { awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/debug/vmainfo/stats; }
W=/tmp/wl-bigrw.out
wl_start $W bigrw
P=$WLPID
BIG=$(val $W big)
t "share (bigrw, stopped): the 16 GiB VMA's line equals its smaps" sharecheck vma $P $BIG
y0=$(stat_of vma_yields)
kill -CONT $P
reads() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sharecheck vma $P $BIG > /tmp/vma.out 2>&1 || { cat /tmp/vma.out; return 1; }
	done
}
t "share (bigrw, writer running): 10 reads, the big VMA's line equals smaps each time" reads
y1=$(stat_of vma_yields)
t "share (bigrw): the mmap lock was given up inside the VMA for the writer ($((y1 - y0)) times)" \
	test $y1 -gt $y0
wl_end $P

# KSM: 64 identical pages, MADV_MERGEABLE, merged by ksmd into one KSM page:
# the ksm column (smaps' KSM, which 6.1's smaps lacks) and every other column
# against smaps; anon_cow against pagemap bit 56 (a KSM page is not exclusive).
K=/sys/kernel/mm/ksm
if [ -w $K/run ]; then
	cp "$(command -v sharecheck)" /tmp/ksmwl
	/tmp/ksmwl ksm > /tmp/wl-ksm.out &
	P=$!
	wait_stopped $P
	KR=$(val /tmp/wl-ksm.out ksm)
	ksm0=$(cat $K/run)
	echo 1000 > $K/pages_to_scan; echo 10 > $K/sleep_millisecs; echo 1 > $K/run
	i=0
	while [ "$(cat $K/pages_sharing)" -lt 63 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	if [ "$(val /tmp/wl-ksm.out madv)" = 0 ] && [ "$(cat $K/pages_sharing)" -ge 63 ]; then
		ok "share (KSM): ksmd merged the 64 pages (pages_shared $(cat $K/pages_shared), pages_sharing $(cat $K/pages_sharing))"
		want "share (KSM): the region's 64 pages are KSM" $P $KR ksm 256
		want "share (KSM): ... none exclusive" $P $KR anon_excl 0
		want "share (KSM): ... PSS of one page mapped 64 times" $P $KR pss 4
		t "share (KSM): every VMA line and the rollup equal smaps and smaps_rollup" sharecheck cmp $P
		t "share (KSM): anon_excl, anon_cow + zero equal pagemap bit 56 per VMA" sharecheck excl $P
	else
		not_ok "share (KSM): ksmd did not merge (madvise $(val /tmp/wl-ksm.out madv), pages_sharing $(cat $K/pages_sharing))"
	fi
	echo $ksm0 > $K/run
	kill -KILL $P; wait $P 2>/dev/null
	rm -f /tmp/ksmwl
else
	skip_unless_missing "KSM" "share (KSM): the ksm column against smaps" "no $K/run"
fi
true
