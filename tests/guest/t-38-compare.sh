# The compare view of /proc/vmainfo/share (write "PID1 PID2"): per VMA of the
# first process, the pages both map on the same frame (shared), on different
# frames (copied), and the pages only one maps, against /proc/PID/pagemap of
# both (frame numbers, read as root) page by page and /proc/kpageflags for the
# zero page.  Workload (sharecheck cwl): a parent and a child after fork,
# before and after the child writes known pages; a THP shared, then split by
# the child's write; MAP_SHARED regions; a private file mapping.  Then the
# access rule for both processes, the errors, and a 16 GiB VMA compared (many
# buffers' worth of runs) while a writer waits for the lock.
stat_of() { awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/debug/vmainfo/stats; }
pc() { sharecheck pcol $1 $2 $3 $4; }	# P1 P2 ADDR|rollup COLUMN: its value (pages)
# pall NAME P1 P2 ADDR SHARED COPIED ONLY_FIRST ONLY_SECOND ZERO: the whole line
pall() {
	_want="$5 $6 $7 $8 $9"
	_v=$(for c in shared copied only_first only_second zero; do pc $2 $3 $4 $c; done 2>&1 | paste -sd' ')
	if [ "$_v" = "$_want" ]; then ok "$1 ($_want)"; else not_ok "$1 (got $_v, want $_want)"; fi
}

W=/tmp/wl-compare.out
cp "$(command -v sharecheck)" /tmp/cmpwl
/tmp/cmpwl cwl /tmp/compare.file > $W &
P=$!
wait_stopped $P
C=$(val $W child)
if [ -n "$C" ] && wait_stopped $C; then
	ok "compare: parent $P and child $C stopped after fork"
else
	not_ok "compare: workload started ($(cat $W))"
fi
A=$(val $W anon); Z=$(val $W zero); SA=$(val $W shanon); SO=$(val $W shonly)
F=$(val $W fpriv); L=$(val $W late); T=$(val $W thp)
THP_ON=0
grep -q '\[always\]\|\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null && THP_ON=1

# what the file looks like
{ exec 3<>/proc/vmainfo/share; echo "$P $C" >&3; cat <&3; exec 3<&-; } 2>&1 |
	sed -n '1,10p;$p' | DIAG_LINES=12 diag
for ph in forked written; do
	t "compare ($ph): every line of $P vs $C equals both pagemaps, page by page" \
		sharecheck pair $P $C
	t "compare ($ph): every line of $C vs $P equals both pagemaps, page by page" \
		sharecheck pair $C $P
	#                                              shared copied only1 only2 zero
	pall "compare ($ph): MAP_SHARED anonymous, always shared" $P $C $SA 12 0 0 0 0
	pall "compare ($ph): MAP_SHARED the child never touched: only the parent" $P $C $SO 0 0 6 0 0
	pall "compare ($ph): pages only read: the zero page in both" $P $C $Z 0 0 0 0 16
	if [ $ph = forked ]; then
		pall "compare (forked): 64 anonymous pages, all shared" $P $C $A 64 0 0 0 0
		t "cli share $P $C (forked): the 64 pages are 256K shared, 0B copied" \
			sh -c "cli_line() { vmainfo --no-color share $P $C | grep '^0*${A#0x} '; }; cli_line | awk '\$5 == \"256K\" && \$6 == \"0B\" { f = 1 } END { exit !f }'"
		pall "compare (forked): private file mapping, the page cache in both" $P $C $F 8 0 0 0 0
		pall "compare (forked): untouched region: nothing" $P $C $L 0 0 0 0 0
		pall "compare (forked): a THP, all 512 pages shared" $P $C $T 512 0 0 0 0
		if [ $THP_ON = 1 ]; then
			want_thp() { [ "$(sharecheck col $1 $T anon_huge)" = "$2" ]; }
			t "compare (forked): ... PMD-mapped in both (anon_huge 2048 kB)" \
				eval "want_thp $P 2048 && want_thp $C 2048"
		else
			skip_unless_missing "THP" "compare (forked): THP PMD-mapped" "THP is off"
		fi
		kill -CONT $P $C
		wait_stopped $P && wait_stopped $C
	else
		pall "compare (written): the child wrote 24 pages: copied 24, shared 40" $P $C $A 40 24 0 0 0
		t "cli share $P $C (written): 160K shared, 96K copied; --json has 40 and 24" \
			sh -c "vmainfo --no-color share $P $C | grep '^0*${A#0x} ' | awk '\$5 == \"160K\" && \$6 == \"96K\" { f = 1 } END { exit !f }' && vmainfo --json share $P $C | grep -q '\"start\":\"$A\",[^}]*\"shared\":40,\"copied\":24'"
		pall "compare (written): ... and 2 of the file's: copied 2, shared 6" $P $C $F 6 2 0 0 0
		pall "compare (written): 4 pages only the child wrote: only_second" $P $C $L 0 0 0 4 0
		pall "compare (written): ... only_first from the child's side" $C $P $L 0 0 4 0 0
		pall "compare (written): the THP split by one write: copied 1, shared 511" $P $C $T 511 1 0 0 0
		if [ $THP_ON = 1 ]; then
			t "compare (written): ... the child's PMD split, the parent's not" \
				eval "want_thp $C 0 && want_thp $P 2048"
		else
			skip_unless_missing "THP" "compare (written): THP split" "THP is off"
		fi
		# the rollup: those 27 and the child's own writes (stack, libc data)
		_c=$(pc $P $C rollup copied)
		t "compare (written): the rollup has the 27 copies and more ($_c)" test "$_c" -ge 27
	fi
done
kill -KILL $P $C 2>/dev/null; wait $P 2>/dev/null
rm -f /tmp/compare.file /tmp/cmpwl

# Access: each process passes the check of the other files, or nothing.
runas 1000 1000 sleep 600 &
A1=$!
runas 1000 1000 sleep 600 &
A2=$!
runas 1001 1001 sleep 600 &
B=$!
wait_entry $A1 && wait_entry $A2 && wait_entry $B
S=/proc/vmainfo/share
t "compare: uid 1000 compares two of its processes" runas 1000 1000 vmicheck write $S "$A1 $A2" OK
t "compare: ... and reads it (rollup shared)" runas 1000 1000 sharecheck pcol $A1 $A2 rollup shared
t "compare: uid 1000 may not compare with uid 1001's process (EACCES)" \
	runas 1000 1000 vmicheck write $S "$A1 $B" EACCES
t "compare: ... nor with it first (EACCES)" runas 1000 1000 vmicheck write $S "$B $A1" EACCES
t "compare: root compares them" vmicheck write $S "$A1 $B" OK
t "compare: a pid that does not exist is ESRCH" vmicheck write $S "$A1 4194000" ESRCH
t "compare: ... first too" vmicheck write $S "4194000 $A1" ESRCH
t "compare: a kernel thread has no pages (ENODATA)" vmicheck write $S "$A1 2" ENODATA
t "compare: three pids are EINVAL" vmicheck write $S "$A1 $A2 $A1" EINVAL
t "compare: garbage is EINVAL" vmicheck write $S "$A1 x" EINVAL
t "compare: a negative pid is EINVAL" vmicheck write $S "$A1 -5" EINVAL
t "compare: blanks only are EINVAL" vmicheck write $S "  " EINVAL
t "compare: debugfs share takes the pair too" vmicheck write /sys/kernel/debug/vmainfo/share "$A1 $A2" OK
kill $A1 $A2 $B; wait $A1 $A2 $B 2>/dev/null

# A 16 GiB VMA with 8192 pages in 8192 PTE tables (more runs than one
# buffer holds) compared with itself, exactly, while a writer loops on the
# mmap lock: the lock is given up inside the VMA for it.
W=/tmp/wl-bigrw.out
wl_start $W bigrw
P=$WLPID
BIG=$(val $W big); N=$(val $W pages)
pall "compare: a 16 GiB VMA with itself, stopped" $P $P $BIG $N 0 0 0 0
y0=$(stat_of vma_yields)
kill -CONT $P
reads() {
	for i in 1 2 3 4 5; do
		_v=$(pc $P $P $BIG shared) && [ "$_v" = $N ] || { echo "shared $_v, want $N"; return 1; }
	done
}
t "compare: 5 reads of the 16 GiB VMA with a writer running: shared $N each" reads
y1=$(stat_of vma_yields)
t "compare: the mmap lock was given up inside the VMA for the writer ($((y1 - y0)) times)" \
	test $y1 -gt $y0
wl_end $P
true
