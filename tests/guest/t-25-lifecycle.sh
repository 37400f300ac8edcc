# Process lifecycle: zombies, thread ids, an exited leader, pid reuse with a file
# open, and a reader killed in the middle of a long read.
t "zombie: /proc/PID/stat says Z and maps is empty; our open and debugfs selects give ESRCH; reaped: ENOENT" \
	vmicheck cov-zombie
t "thread id: /proc/TID exists, /proc/vmainfo/TID is ENOENT, debugfs select ESRCH; exited leader: ESRCH as maps is empty" \
	vmicheck cov-thread
t "pid reuse: an open file of the old process never shows the new one (EIO), a new open does" \
	vmicheck cov-reuse

# A text of 60,000 VMAs (15,000 on the debug kernel, where making and
# unmapping 60,000 took five minutes; a read of 15,000 still takes seconds
# there) read in a loop, the reader killed 100 ms into it.
NV=60000
[ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ] && NV=15000
W=/tmp/wl-many-kill.out
wl_start $W many $NV
P=$WLPID
t "a reader of a $NV-VMA text killed (SIGKILL) mid-read is gone within 1 s" \
	vmicheck cov-killread /proc/vmainfo/$P
t "a debugfs query reader of the same, killed mid-read, is gone within 1 s" \
	vmicheck cov-killread /sys/kernel/debug/vmainfo/query $P
t "a debugfs page-map reader (pfn) of the same, killed mid-read, is gone within 1 s" \
	vmicheck cov-killread /sys/kernel/debug/vmainfo/pagemap "$P pfn"
t "after the killed readers, the text still equals maps" vmicheck maps $P
wl_end $P
