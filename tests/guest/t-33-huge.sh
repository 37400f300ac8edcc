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
