# Lock holds of the VMA text (issue 18): inside one VMA's page-table walk the
# lock is given up between PMD entries when a writer waits, and on kernels
# that export per-VMA locks (7.2) VMA lines are read under their VMA's lock.
stat_of() { awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/debug/vmainfo/stats; }
per_vma=0
case $(uname -r) in 6.*) ;; *) per_vma=1 ;; esac
# arm64 under TCG is several times slower: fewer reads and one latency round
# (each round builds the 16 GiB target again for each of six readers)
READS=30 ROUNDS=3
[ "$(uname -m)" = aarch64 ] && READS=10 ROUNDS=1

# 1. A 16 GiB VMA (8192 pages, one per 2 MiB) that never changes, and a
# writer thread-less loop of mmap()+munmap() beside it: every read, however
# often it gave up the lock inside the big VMA, counts exactly its pages.
W=/tmp/wl-bigrw.out
wl_start $W bigrw
P=$WLPID
BIG=$(val $W big); N=$(val $W pages)
t "bigrw, stopped: the 16 GiB VMA has its $N pages present" vmicheck cnt $P $BIG present $N
y0=$(stat_of vma_yields); l0=$(stat_of vma_locks)
kill -CONT $P
reads() {
	for i in $(seq 1 ${1}); do
		vmicheck cnt $P $BIG present $N > /tmp/cnt.out 2>&1 || { diag < /tmp/cnt.out; return 1; }
	done
}
t "bigrw, writing: $READS reads each count exactly $N present pages" reads $READS
y1=$(stat_of vma_yields); l1=$(stat_of vma_locks)
echo "# vma_yields $y0 -> $y1, vma_locks $l0 -> $l1"
if [ $per_vma = 1 ]; then
	# the writer needs the mmap lock only: under the big VMA's own lock
	# nothing of ours is in its way
	t "bigrw: VMA lines were read under per-VMA locks ($((l1 - l0)))" test $l1 -gt $l0
else
	t "bigrw, writing: the mmap lock was given up inside the big VMA for the writer ($((y1 - y0)) times)" \
		test $y1 -gt $y0
	t "bigrw: no per-VMA locks on $(uname -r) (lock_vma_under_rcu is not exported)" test $l1 = $l0
fi
wl_end $P

# 2. The same VMA split and merged (mprotect() of 2 MiB slices) while read:
# lines stay whole and addresses never go backwards.
wl_start $W bigrw churn
P=$WLPID
y0=$(stat_of vma_yields)
kill -CONT $P
t "bigrw churn: 40 reads while the big VMA splits and merges: ends rise, lines parse" \
	vmicheck order /proc/vmainfo/$P 40 merges
y1=$(stat_of vma_yields)
# mprotect() of the VMA being walked waits for our lock (the mmap lock, or
# on 7.2 the VMA's own): it was given up
t "bigrw churn: the lock was given up inside a VMA for a writer ($((y1 - y0)) times)" test $y1 -gt $y0
wl_end $P

# 3. The target's mmap()+munmap() latency while each reader reads it in a
# loop (at least 1000 pairs a reader, 3 rounds, medians of p99): no worse
# than under smaps (which holds the lock for a whole VMA before 6.17), and
# with per-VMA locks no worse than under maps.  Margins for the emulator.
if [ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ]; then
	skip "lock holds: target latency under our reader vs smaps and maps" \
		"debug kernel: KASAN and lockdep set the pace"
elif ! smoke_skip "lock holds: target latency under our reader vs smaps and maps"; then
	taskset 2 vmibench impact 2 $ROUNDS big > /tmp/impact.txt
	sed 's/^/# /' /tmp/impact.txt
	p99() { awk -v k="impact_$1_us" '$1 == k { print $3 }' /tmp/impact.txt; }
	us=$(p99 vmainfo_proc); sm=$(p99 smaps); mp=$(p99 maps)
	t "target's p99 latency under /proc/vmainfo (${us} us) <= 1.5x under smaps (${sm} us) + 2 ms" \
		test "$us" -le $((sm * 3 / 2 + 2000))
	if [ $per_vma = 1 ]; then
		t "per-VMA locks: target's p99 under /proc/vmainfo (${us} us) <= 2x under maps (${mp} us) + 2 ms" \
			test "$us" -le $((mp * 2 + 2000))
	fi
fi
