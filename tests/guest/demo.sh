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
echo
echo "# --- after fork: whose memory is it?  (a parent and two children; 256 KiB"
echo "#     of anonymous memory written before the fork, a THP, shared mappings)"
cp "$(command -v sharecheck)" /tmp/sharewl
/tmp/sharewl wl /tmp/share.file > /tmp/share.out &
P=$!
wait_stopped $P
C1=$(sed -n 's/^c1=//p' /tmp/share.out); C2=$(sed -n 's/^c2=//p' /tmp/share.out)
wait_stopped $C1; wait_stopped $C2
A=$(sed -n 's/^anon=0x//p' /tmp/share.out)
# the summary, the column heads, the 256 KiB region and the total
show() { vmainfo --no-color share $1 | grep -E "^sharewl|^START|^0*$A |^total"; }
echo "# --- vmainfo share $C1   (child 1, nothing written yet: its anonymous pages are the parent's)"
show $C1
echo "# --- child 1 writes half of the 256 KiB and one byte of the THP; child 2 all of it"
kill -CONT $C1 $C2
wait_stopped $C1; wait_stopped $C2
echo "# --- vmainfo share $C1   (copied on write: 128 KiB of it are its own now, USS grew)"
show $C1
echo "# --- vmainfo share $P   (the parent: child 2 copied all 256 KiB, child 1 half)"
show $P
kill -9 $C1 $C2 $P
ok "demo ran"
echo "1..$(cat $TAPN_FILE)"
