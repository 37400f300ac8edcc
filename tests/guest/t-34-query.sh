# The ioctls of /proc/vmainfo/<pid>, self and the query files (module/query.c,
# batch.c, issue 18).  On 6.11 and later the kernel's own PROCMAP_QUERY on
# /proc/PID/maps is the oracle: the same queries (every VMA's first, middle
# and last byte, the gaps, past the end, each with the 64 flag sets and with
# names and build IDs; smaller sizes) must get the same answers, field by
# field, and the same errors.  On every kernel, also the model: the answers
# against /proc/PID/smaps and the build IDs that pmq reads itself from the
# ELF files (/proc/PID/map_files), so 6.1 is checked too.  The tail against
# the /proc/vmainfo text of the stopped workload; the batch against single
# queries, and the batch of addresses alone (a VMA found reused for the next)
# against the kernel's single queries.  The workload (pmq wl): a deleted mapped ELF file, a path with a
# space, a newline and " (deleted)" in it, synthetic ELF files at the edges of
# lib/buildid.c's rules, 32-bit ELF, a non-ELF and a short file, MAP_SHARED
# file, memfd and anonymous shared memory, prctl(PR_SET_VMA_ANON_NAME) names
# (where the kernel has CONFIG_ANON_VMA_NAME), a 2 MiB hugetlb page, every
# permission set, [heap], [stack], [vdso], a thread's stack.
# t with pmq's summary ("# N VMAs, N queries") kept when it passes
t() {
	_name=$1; shift
	_out=$("$@" 2>&1); _rc=$?
	if [ $_rc = 0 ]; then ok "$_name"; echo "$_out" | grep '^# '; else not_ok "$_name (exit $_rc)"; echo "$_out" | diag; fi
	return $_rc
}
echo 2 > /proc/sys/vm/nr_hugepages
W=/tmp/wl-pmq.out
pmq wl > $W &
P=$!
if wait_stopped $P && wait_entry $P; then ok "query: workload started"; else not_ok "query: workload started"; fi
pmq wl many > /tmp/wl-pmq-many.out &
M=$!
if wait_stopped $M && wait_entry $M; then ok "query: workload with 1500 one-page VMAs started"; else not_ok "query: workload with 1500 one-page VMAs started"; fi
/vmainfo/dyn/sleep 1000 &
S=$!
wait_entry $S
echo "# workload: $(tr '\n' ' ' < $W)"
if [ "$(val $W hugetlb)" = yes ]; then
	t "query: the workload has a 2 MiB hugetlb VMA (vma_page_size is compared)" \
		grep -q "^KernelPageSize: *2048 kB" /proc/$P/smaps
else
	skip_unless_missing hugetlb "query: a 2 MiB hugetlb VMA" "no 2 MiB page could be mapped" ||
		cat /proc/meminfo | grep -i huge | diag
fi
if [ "$(val $W anon_name)" = 1 ]; then
	t "query: prctl(PR_SET_VMA_ANON_NAME) names are in maps ([anon:...], [anon_shmem:...])" \
		sh -c "grep -q '\[anon:pmq:anon\]' /proc/$P/maps && grep -q '\[anon_shmem:pmq shm\]' /proc/$P/maps"
elif kconfig CONFIG_ANON_VMA_NAME; then
	not_ok "query: prctl(PR_SET_VMA_ANON_NAME) failed where the kernel has CONFIG_ANON_VMA_NAME"
else
	ok "query: no VMA names from prctl() (no CONFIG_ANON_VMA_NAME here; compared where it is)"
fi

if feature_known PROCMAP_QUERY; then
	t "query: workload, /proc/vmainfo/P: every answer = the kernel's PROCMAP_QUERY" \
		pmq cmp $P /proc/vmainfo/$P
	t "query: workload, /proc/vmainfo/query: = the kernel's" pmq cmp $P /proc/vmainfo/query
	t "query: workload, debugfs query: = the kernel's" \
		pmq cmp $P /sys/kernel/debug/vmainfo/query
	t "query: the test itself, /proc/vmainfo/self: = the kernel's" pmq cmp self /proc/vmainfo/self
	t "query: a dynamically linked program (ld.so, libc build IDs): = the kernel's" \
		pmq cmp $S /proc/vmainfo/$S
	t "query: init: = the kernel's" pmq cmp 1 /proc/vmainfo/1
	t "query: errors (ENOENT, EINVAL, E2BIG, ENAMETOOLONG, EFAULT, ESRCH) = the kernel's" \
		pmq err $P /proc/vmainfo/$P kernel
else
	skip_unless_missing PROCMAP_QUERY "query: answers and errors = the kernel's PROCMAP_QUERY" \
		"the kernel has no PROCMAP_QUERY (6.11+); the model checks below stand in"
	t "query: errors (ENOENT, EINVAL, E2BIG, ENAMETOOLONG, EFAULT, ESRCH)" \
		pmq err $P /proc/vmainfo/$P
fi
t "query: workload: every answer = smaps and the ELF files' build IDs" pmq model $P /proc/vmainfo/$P
t "query: the test itself: = smaps and the ELF files" pmq model self /proc/vmainfo/self
t "query: a dynamically linked program: = smaps and the ELF files" pmq model $S /proc/vmainfo/$S
t "query: 1500 one-page VMAs: = smaps" pmq model $M /sys/kernel/debug/vmainfo/query
t "query tail: kind, vm_flags, present/swap/huge = the text's line; size gates" pmq tail $P
t "query tail: 1500 one-page VMAs" pmq tail $M
t "query batch: iteration and addresses = single queries, resumed in small calls" \
	pmq batch $P /proc/vmainfo/$P
t "query batch: 1500 one-page VMAs (the scan limit of a hold)" pmq batch $M /proc/vmainfo/query
# addresses alone are answered in the caller's order, a VMA found reused for
# the next addresses it answers (batch.c): arrays in order, descending,
# shuffled, with duplicates, gaps, past the last VMA and ~0, the 64 flag sets,
# record sizes; each record = the kernel's single query (ours before 6.11,
# itself checked above), in the caller's order
t "query batch, addresses alone (VMAs found reused) = the kernel's single queries" \
	pmq sorted $P /proc/vmainfo/$P
t "query batch, addresses alone: 1500 one-page VMAs" pmq sorted $M /proc/vmainfo/query
# (the same arrays with VMAINFO_BATCH_INDEX are answered from the file's VMA
# index on 6.12 and 7.x, which pmq sorted counts; t-35-index.sh: the index as
# its process changes)
wl_end $P
wl_end $M
kill $S; wait $S 2>/dev/null
echo 0 > /proc/sys/vm/nr_hugepages
rm -rf /tmp/pmq-* "/tmp/pmq dir"
