# Huge pages, read-write, PROT_NONE and read-write again: a 1 GiB hugetlb page
# (run-guest.sh boots with hugepagesz=1G hugepages=1), 2 MiB hugetlb pages and
# a THP region.  The VMA line's present/swap/huge and the debugfs page map
# against /proc/PID/pagemap (bit 63 present, bit 62 swap): pagemap counts a
# PROT_NONE huge page as present, at the PUD level as at the PMD level.
echo 2 > /proc/sys/vm/nr_hugepages
H1G=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
n1g=$(cat $H1G 2>/dev/null || echo 0)
t "huge: a 1 GiB hugetlb page is reserved ($n1g)" test "$n1g" -ge 1
t "huge: two 2 MiB hugetlb pages are reserved ($(cat /proc/sys/vm/nr_hugepages))" \
	test "$(cat /proc/sys/vm/nr_hugepages)" -ge 2
W=/tmp/wl-huge.out
if wl_start $W hugeprot; then ok "huge: workload started"; else not_ok "huge: workload started"; fi
P=$WLPID
G=$(val $W hp1g); M=$(val $W hp2m); T=$(val $W thp)
for ph in read-write PROT_NONE read-write-again; do
	t "huge ($ph): every page matches pagemap bits 63/62, VMA sums too" vmicheck pagemap $P
	if [ "$G" != 0x0 ]; then
		t "huge ($ph): 1 GiB hugetlb: 262144 present" vmicheck cnt $P $G present 262144
		t "huge ($ph): 1 GiB hugetlb: 0 swap" vmicheck cnt $P $G swap 0
		t "huge ($ph): 1 GiB hugetlb: 262144 huge" vmicheck cnt $P $G huge 262144
	else
		skip "huge ($ph): 1 GiB hugetlb" "no 1 GiB page could be mapped"
	fi
	if [ "$M" != 0x0 ]; then
		t "huge ($ph): 2 MiB hugetlb: 1024 present" vmicheck cnt $P $M present 1024
		t "huge ($ph): 2 MiB hugetlb: 0 swap" vmicheck cnt $P $M swap 0
		t "huge ($ph): 2 MiB hugetlb: 1024 huge" vmicheck cnt $P $M huge 1024
	else
		skip "huge ($ph): 2 MiB hugetlb" "no 2 MiB pages could be mapped"
	fi
	# smaps counts a PROT_NONE THP on 6.12 only: compare with the read-write count
	if [ $ph = read-write ]; then
		t "huge ($ph): THP: huge pages equal smaps AnonHugePages" vmicheck thp $P $T
		THPN=$(awk -v a=$(printf %x $T) 'index($1, a "-") == 1 { f = 1 }
			f && /^AnonHugePages:/ { print $2 / 4; exit }' /proc/$P/smaps)
	else
		t "huge ($ph): THP: still $THPN huge pages" vmicheck cnt $P $T huge $THPN
	fi
	t "huge ($ph): THP: 0 swap" vmicheck cnt $P $T swap 0
	[ $ph = read-write-again ] || wl_next $P
done
wl_end $P
echo 0 > /proc/sys/vm/nr_hugepages

# arm64's contiguous hugetlb sizes: 64 KiB (16 PTE slots) and 32 MiB (16 PMD
# slots), read from the first slot of each page as pagemap reads them; the
# frames must be pagemap's, the huge column smaps' Private_Hugetlb +
# Shared_Hugetlb.
if feature_known cont-hugetlb; then
	H=/sys/kernel/mm/hugepages
	echo 2 > $H/hugepages-64kB/nr_hugepages
	echo 1 > $H/hugepages-32768kB/nr_hugepages
	t "cont huge: two 64 KiB and one 32 MiB hugetlb page reserved" sh -c \
		"[ \$(cat $H/hugepages-64kB/nr_hugepages) = 2 ] && [ \$(cat $H/hugepages-32768kB/nr_hugepages) = 1 ]"
	W=/tmp/wl-cont.out
	if wl_start $W conthuge; then ok "cont huge: workload started"; else not_ok "cont huge: workload started"; fi
	P=$WLPID
	C64=$(val $W hp64k); C32=$(val $W hp32m)
	t "cont huge: both mapped (64 KiB at $C64, 32 MiB at $C32)" sh -c "[ $C64 != 0x0 ] && [ $C32 != 0x0 ]"
	t "cont huge (written): 64 KiB pages: 32 pages in huge runs, write,dirty, frames as pagemap" \
		vmicheck cov-pflags $P $C64 32 huge write,dirty -
	t "cont huge (written): 32 MiB page: 8192 pages in huge runs, write,dirty, frames as pagemap" \
		vmicheck cov-pflags $P $C32 8192 huge write,dirty -
	for ph in written PROT_NONE; do
		t "cont huge ($ph): every page matches pagemap bits 63/62, VMA sums too" vmicheck pagemap $P
		t "cont huge ($ph): 64 KiB: huge column 32 = smaps *_Hugetlb 128 kB" \
			vmicheck cov-hugetlb $P $C64 32
		t "cont huge ($ph): 32 MiB: huge column 8192 = smaps *_Hugetlb 32768 kB" \
			vmicheck cov-hugetlb $P $C32 8192
		[ $ph = PROT_NONE ] || wl_next $P
	done
	wl_end $P
	echo 0 > $H/hugepages-64kB/nr_hugepages
	echo 0 > $H/hugepages-32768kB/nr_hugepages
else
	skip_unless_missing cont-hugetlb "cont huge: 64 KiB and 32 MiB hugetlb pages" \
		"contiguous hugetlb sizes are arm64's"
fi
