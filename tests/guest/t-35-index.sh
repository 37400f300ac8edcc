# The VMA index of the batch ioctl (VMAINFO_BATCH_INDEX, module/index.c,
# issue 18), on the test's own process (pmq index): built, then changed
# between calls by mprotect() (a split), munmap(), mmap() into the hole and
# mremap() of a file mapping, each call's answers = the kernel's single
# PROCMAP_QUERY (ours before 6.11) and the layout as built, and answered from
# the index (6.12, 7.x; never on 6.1); an index that did not pay for itself
# is not rebuilt at once (the tree answers) but after a quarter of the VMAs'
# count of answers; a query file's index answers only for the process
# selected, and ESRCH once it exited; a thread splitting and merging a VMA
# while the index is asked (a stable VMA's answer never changes).  Run on the
# debug kernel too (KASAN, lockdep): the index is read without the target's
# locks.  t-34-query.sh checks its answers for every flag set and array.
dmesg -c > /dev/null
_out=$(pmq index /proc/vmainfo/self /proc/vmainfo/query 2>&1); _rc=$?
if [ $_rc = 0 ]; then
	ok "query batch, the VMA index: changes, a query file's processes, a changing VMA"
	echo "$_out" | grep '^# '
else
	not_ok "query batch, the VMA index: changes, a query file's processes, a changing VMA (exit $_rc)"
	echo "$_out" | diag
fi
dmesg_clean "the VMA index"
