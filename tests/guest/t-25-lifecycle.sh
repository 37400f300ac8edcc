# Process lifecycle: zombies, thread ids, an exited leader, pid reuse with a file
# open, and a reader killed in the middle of a long read.
t "zombie: /proc/PID/stat says Z and maps is empty; our open and debugfs selects give ESRCH; reaped: ENOENT" \
	vmicheck cov-zombie
t "thread id: /proc/TID exists, /proc/vmainfo/TID is ENOENT, debugfs select ESRCH; exited leader: ESRCH as maps is empty" \
	vmicheck cov-thread
t "pid reuse: an open file of the old process never shows the new one (EIO), a new open does" \
	vmicheck cov-reuse

W=/tmp/wl-many-kill.out
wl_start $W many 60000
P=$WLPID
t "a reader of a 60,000-VMA text killed (SIGKILL) mid-read is gone within 1 s" \
	vmicheck cov-killread /proc/vmainfo/$P
t "a debugfs query reader of the same, killed mid-read, is gone within 1 s" \
	vmicheck cov-killread /sys/kernel/debug/vmainfo/query $P
t "a debugfs page-map reader (pfn) of the same, killed mid-read, is gone within 1 s" \
	vmicheck cov-killread /sys/kernel/debug/vmainfo/pagemap "$P pfn"
t "after the killed readers, the text still equals maps" vmicheck maps $P
wl_end $P
