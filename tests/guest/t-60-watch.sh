# vmainfo watch: the known malloc/brk/mmap sequence, in order, from the first instruction.
if [ ! -e /sys/kernel/btf/vmlinux ]; then
	skip "vmainfo watch" "this kernel has no BTF (/sys/kernel/btf/vmlinux), which watch's CO-RE program needs"
	return 0
fi
workload churn > /dev/null &
NOISE=$!
vmainfo watch --json -- workload trace /tmp/facts > /tmp/trace.json 2> /tmp/trace.err
rc=$?
cat /tmp/trace.err | diag
t "watch -- CMD: exits 0 when the command ends" test $rc = 0
t "watch: the sequence (brk growth, 1 MiB mmap, its munmap, trim, sbrk +/-64 KiB) in order, only the traced process, events before main()" \
	vmicheck trace /tmp/trace.json /tmp/facts
t "watch: no events were lost" grep -q '"lost_events":0' /tmp/trace.json
vmainfo watch -- workload trace /tmp/facts2 > /tmp/trace.txt 2>&1
t "watch text: says what calls meant" sh -c "grep -q 'heap grew by' /tmp/trace.txt && grep -q 'new private anonymous mapping of 1' /tmp/trace.txt && grep -q 'mapping removed' /tmp/trace.txt && grep -q 'heap shrank by 65536 bytes' /tmp/trace.txt"
t "watch text: summary with counts, heap high-water mark and mmap histogram" \
	sh -c "grep -q '^--- summary ---' /tmp/trace.txt && grep -q '^heap: .*high-water mark' /tmp/trace.txt && grep -q '^mmap sizes:' /tmp/trace.txt"
vmainfo watch --faults -- workload trace /tmp/facts3 > /tmp/trace3.txt 2>&1
t "watch --faults: counts first-touch faults, the heap among them" grep -q 'pages  heap (brk)' /tmp/trace3.txt
# Attach to a running process and stop with SIGINT.
vmainfo watch $NOISE > /tmp/w.txt 2>&1 &
W=$!
sleep 3
kill -INT $W
wait $W
rc=$?
t "watch PID: SIGINT ends it cleanly (exit $rc) with a summary" sh -c "[ $rc = 0 ] && grep -q '^--- summary ---' /tmp/w.txt && grep -q 'mmap  *[1-9]' /tmp/w.txt"
wl_end $NOISE
t "watch: non-root is refused with exit 5" sh -c "runas 65534 65534 vmainfo watch 1 > /tmp/e 2>&1; [ \$? = 5 ] && grep -q 'needs root' /tmp/e"
t "watch: missing pid is exit 4" sh -c "vmainfo watch 3999999 > /dev/null 2>&1; [ \$? = 4 ]"
t "watch -- CMD: exits as CMD did (false: 1)" sh -c "vmainfo watch -- false > /dev/null 2>&1; [ \$? = 1 ]"
t "watch -- CMD: a command that cannot run gives 127" sh -c "vmainfo watch -- /nonexistent > /dev/null 2>&1; [ \$? = 127 ]"
