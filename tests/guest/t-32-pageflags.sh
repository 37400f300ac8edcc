# Page-map flags, clipping, huge entries and run order, against /proc/PID/pagemap,
# /proc/kpageflags, smaps and layouts known by construction (workload pflags/huge).
W=/tmp/wl-pflags.out
wl_start $W pflags /tmp/pflags-file
P=$WLPID
pf() { vmicheck cov-pflags $P "$@"; }
# Soft-dirty bits exist only with CONFIG_MEM_SOFT_DIRTY (x86; not arm64,
# where pagemap's bit 55 is never set and clear_refs=4 changes nothing).
if feature_known soft-dirty; then
	t "pflags: written anon pages are present dirty,young,write,softdirty, exclusive" \
		pf $(val $W wr) 16 present dirty,young,write,softdirty,excl zero
else
	t "pflags: written anon pages are present dirty,young,write, exclusive, never softdirty (no soft-dirty bits here)" \
		pf $(val $W wr) 16 present dirty,young,write,excl zero,softdirty
fi
t "pflags: read-only touched anon pages map the zero page (kpageflags), not write or dirty" \
	pf $(val $W rd) 16 present zero write,dirty,excl
t "pflags: a read MAP_PRIVATE file page is present, not write, dirty or zero" \
	pf $(val $W ro) 8 present - write,dirty,zero
t "pflags: every page of the process agrees with pagemap (present, swap)" vmicheck pagemap $P
t "clip: START/END inside and across VMAs, unaligned: runs cover exactly the range" \
	vmicheck cov-clip $P
echo 4 > /proc/$P/clear_refs
wl_next $P
SD=$(val $W sd)
if feature_known soft-dirty; then
	t "soft-dirty: after clear_refs=4, written pages are softdirty,write (pagemap bit 55 set)" \
		pf $SD 8 present softdirty,write,dirty -
	t "soft-dirty: after clear_refs=4, pages only read are neither softdirty nor write (bit 55 clear)" \
		pf $((SD + 8 * 4096)) 8 present dirty softdirty,write
	t "soft-dirty: the written pages of before are no longer softdirty or write" \
		pf $(val $W wr) 16 present dirty softdirty,write
else
	skip_unless_missing soft-dirty "soft-dirty: clear_refs=4 and pagemap bit 55" \
		"no soft-dirty tracking on this kernel"
fi
echo 1 > /proc/$P/clear_refs
wl_next $P
YG=$(val $W yg)
t "young: after clear_refs=1, pages read again are young" pf $YG 8 present young -
t "young: after clear_refs=1, pages not touched are not young" pf $((YG + 8 * 4096)) 8 present - young
wl_next $P
C=$(val $W child)
wait_stopped $C
COW=$(val $W cow)
t "COW: after fork the parent's pages are neither write nor exclusive" pf $COW 16 present - write,excl
vmicheck cov-pflags $C $COW 16 present - write,excl > /tmp/cow.out 2>&1; r=$?
t "COW: the child's pages are neither write nor exclusive" sh -c "cat /tmp/cow.out; exit $r"
kill -CONT $C; wait_stopped $C
t "COW: after the child writes, its copies are write,dirty and exclusive" \
	vmicheck cov-pflags $C $COW 16 present write,dirty,excl -
t "COW: the parent's pages stay read-only after the child copied them (exclusive now)" \
	pf $COW 16 present excl write
kill -KILL $C
wl_end $P

# Huge entries: hugetlb 2 MiB and 1 GiB, the huge zero page, a THP; PROT_NONE.
echo 2 > /proc/sys/vm/nr_hugepages
G1=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
# The guest reserves one 1 GiB page at boot (run-guest.sh, hugepages=1); t-33
# needs it after us, so it is left as found.
G1_BOOT=$(cat $G1 2>/dev/null || echo 0)
[ "$G1_BOOT" -ge 1 ] || echo 1 > $G1 2>/dev/null
W=/tmp/wl-huge.out
wl_start $W huge
P=$WLPID
HT=$(val $W hugetlb)
if [ "$HT" != "(nil)" ]; then
	t "hugetlb 2 MiB: 1024 pages in huge runs, frames as pagemap" pf $HT 1024 huge write,dirty -
	t "hugetlb 2 MiB: huge column 1024 = smaps *_Hugetlb 4096 kB" vmicheck cov-hugetlb $P $HT 1024
else
	not_ok "hugetlb 2 MiB: MAP_HUGETLB failed with 2 pages reserved ($(cat /proc/sys/vm/nr_hugepages))"
fi
GIG=$(val $W gig)
if [ "$GIG" != "(nil)" ]; then
	t "hugetlb 1 GiB: 262144 pages in one huge (PUD) run, frames as pagemap" pf $GIG 262144 huge write -
	t "hugetlb 1 GiB: huge column 262144" vmicheck cnt $P $GIG huge 262144
elif [ "$G1_BOOT" -ge 1 ]; then
	not_ok "hugetlb 1 GiB PUD: MAP_HUGETLB|MAP_HUGE_1GB failed with $G1_BOOT page(s) reserved at boot"
else
	skip "hugetlb 1 GiB PUD" "the guest could not allocate a 1 GiB page at run time ($(cat $G1 2>/dev/null))"
fi
HZ=$(val $W hzero)
t "huge zero page: read fault on a MADV_HUGEPAGE 2 MiB: one huge run, kpageflags ZERO|THP, no zero flag" \
	pf $HZ 512 huge hzero zero,write,dirty
t "huge zero page: huge column 512, smaps AnonHugePages 0" sh -c \
	"vmicheck cnt $P $HZ huge 512 && test \$(vmicheck cov-smaps $P $HZ AnonHugePages:) = 0"
TH=$(val $W thp)
t "THP: written MADV_HUGEPAGE 2 MiB is a huge write,dirty run" pf $TH 512 huge write,dirty hzero,zero
t "huge: the whole process agrees with pagemap" vmicheck pagemap $P
wl_next $P
t "PROT_NONE THP: the PMD stays present (pagemap), huge, not write" pf $TH 512 huge - write
[ "$HT" != "(nil)" ] && t "PROT_NONE hugetlb: the PMD stays present (pagemap), huge, not write" \
	pf $HT 512 huge - write
t "PROT_NONE huge: the whole process agrees with pagemap" vmicheck pagemap $P
wl_end $P
echo 0 > /proc/sys/vm/nr_hugepages
[ -f $G1 ] && echo "$G1_BOOT" > $G1

# Runs keep moving forward while the target reshapes itself (one line per chunk).
workload churn > /dev/null &
C=$!
wait_entry $C
t "page map of a churning target, 200 reads of 64-byte read()s: runs never go back" \
	vmicheck cov-pmorder $C 200 64
wl_end $C

# arm64's contiguous PTEs (ARM64_CONTPTE): a 64 KiB folio is mapped by 16
# PTEs with the contiguous bit, and the kernel (ptep_get(), as pagemap and
# smaps read entries) reports the young and dirty bits of the whole block
# on each of them.  After clear_refs=1, reading only the first 4 KiB of
# each of 16 blocks makes all 256 pages young, as smaps' Referenced says.
if feature_known contpte; then
	M=/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled
	m0=$(sed 's/.*\[\(.*\)\].*/\1/' $M)
	echo always > $M
	W=/tmp/wl-contpte.out
	wl_start $W contpte
	P=$WLPID
	CP=$(val $W cont)
	t "contpte: 16 written 64 KiB blocks: 256 pages present, write,dirty, frames as pagemap" \
		pf $CP 256 present write,dirty -
	t "contpte: smaps AnonHugePages 0, Rss of the VMA 1024 kB (whole 64 KiB folios)" sh -c \
		"test \$(vmicheck cov-smaps $P $CP Rss:) = 1024 && test \$(vmicheck cov-smaps $P $CP AnonHugePages:) = 0"
	echo 1 > /proc/$P/clear_refs
	wl_next $P
	t "contpte: after clear_refs=1, no page young, smaps Referenced 0 kB" sh -c \
		"vmicheck cov-pflags $P $CP 256 present - young && test \$(vmicheck cov-smaps $P $CP Referenced:) = 0"
	wl_next $P
	t "contpte: after clear_refs=1 and one read per block, all 256 pages young (the block's bit)" \
		pf $CP 256 present young -
	t "contpte: smaps Referenced is 1024 kB: the kernel sees the whole blocks young too" \
		test "$(vmicheck cov-smaps $P $CP Referenced:)" = 1024
	wl_end $P
	echo "$m0" > $M
else
	skip_unless_missing contpte "contpte: young/dirty of contiguous PTE blocks" \
		"contiguous PTEs are arm64's (ARM64_CONTPTE)"
fi
