# make demo: load the module, start a small program, show what vmainfo sees.
echo "TAP version 13"
insmod /vmainfo/vmainfo.ko
. /vmainfo/tests/lib.sh
cd /tmp
echo "# --- starting: workload heap (1000 x malloc(64), one malloc(1 MiB), pages touched)"
workload heap > /tmp/demo.out &
P=$!
wait_stopped $P
wait_entry $P
echo "# --- cat /proc/vmainfo/$P"
cat /proc/vmainfo/$P
echo
echo "# --- vmainfo $P"
vmainfo --no-color $P
echo
echo "# --- vmainfo heap $P"
vmainfo --no-color heap $P
echo
echo "# --- the page map of its heap, with frame numbers (/sys/kernel/debug/vmainfo/pagemap, root)"
B=$(sed -n 's/^start_brk: //p' /proc/vmainfo/$P)
E=$(sed -n 's/^brk: //p' /proc/vmainfo/$P)
exec 3<>/sys/kernel/debug/vmainfo/pagemap
printf '%s %s %s pfn' $P $B $E >&3
cat <&3
exec 3>&-
kill -9 $P
ok "demo ran"
echo "1..$(cat $TAPN_FILE)"
