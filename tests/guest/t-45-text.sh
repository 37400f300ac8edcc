# The text against maps, smaps, stat and status for layouts known by
# construction: kinds, VmFlags, heap layouts, mmap_base, VmHWM, P4D tables,
# a dynamically linked program, a file on ext4, and the kernel layout.
# maps_overlap PID LO HI: the maps lines overlapping [LO, HI), as "start-end" per line
maps_overlap() {
	awk -v lo=$2 -v hi=$3 'function h(x,  i, v) { v = 0; x = tolower(x)
			for (i = 1; i <= length(x); i++) v = v * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1
			return v }
		{ split($1, r, "-"); if (h(r[1]) < hi + 0 && h(r[2]) > lo + 0) print $1 }' /proc/$1/maps
}
hexnum() { printf '%d' $1; }

W=/tmp/wl-text.out
wl_start $W text
P=$WLPID
t "text: VMA lines equal maps" vmicheck maps $P
# smaps of 6.1 has no mnemonic for VM_LOCKONFAULT and prints "??" ("lf" came
# in 6.2): the flags column must follow the running kernel's table.
t "text: flags equal smaps VmFlags" vmicheck flags $P
SD=$(sed 's/.*) //' /proc/$P/stat | cut -d' ' -f43)
t "kinds: the VMA at stat's start_data is data" vmicheck kind $P $SD data
t "kinds: an initialised global is in a data VMA" vmicheck kind $P $(val $W data) data
BSS=$(hexnum $(val $W bss))
BL=$(maps_overlap $P $BSS $((BSS + 1)))
t "kinds: a static array beyond the file's pages is bss, an anonymous unnamed maps VMA ($BL)" sh -c \
	"vmicheck kind $P $BSS bss && grep -q '^0*$BL rw-p 00000000 00:00 0 *\$' /proc/$P/maps"
t "kinds: maps [vdso], [vvar] and [stack] are vdso, vvar and stack" vmicheck cov-kinds $P
t "kinds: AT_SYSINFO_EHDR is in the vdso VMA" vmicheck kind $P $(val $W vdso) vdso
# arm64 (the guest has MTE and BTI): PROT_MTE gives "mt", PROT_BTI "bt"
ARCHF=
[ "$(uname -m)" = aarch64 ] && ARCHF="mt bt"
for f in lo hg nh nr dc dd wf rr sr lf gd sh $ARCHF; do
	# 6.1's smaps names VM_LOCKONFAULT "??"
	n=$f; case $f:$KREL in lf:6.1.*) n='??' ;; esac
	t "flags: $f set by construction, as '$n' in our column and in smaps" vmicheck cov-hasflag $P $(val $W flag_$f) "$n"
done
if [ "$(val $W mg_err)" = 0 ]; then
	t "flags: mg (MADV_MERGEABLE), in our column and in smaps" vmicheck cov-hasflag $P $(val $W flag_mg) mg
else
	# a skip only where the kernel has no KSM (the debug kernel); else a failure
	skip_unless_missing KSM "flags: mg (MADV_MERGEABLE)" "MADV_MERGEABLE failed ($(val $W mg_err))"
fi
# MADV_GUARD_INSTALL (6.13+) marks the VMA VM_MAYBE_GUARD, which smaps names
# "gu" on 7.x (not on 6.12); "text: flags equal smaps VmFlags" compares it too.
if kver_ge 7.0; then
	t "flags: gu (MADV_GUARD_INSTALL, err $(val $W gu_err)), in our column and in smaps" \
		vmicheck cov-hasflag $P $(val $W flag_gu) gu
fi
wl_next $P
SB=$(sed 's/.*) //' /proc/$P/stat | cut -d' ' -f45)
t "heap empty: start_brk (stat field 47) moved to brk: heap_layout empty, 0 VMAs, 0 bytes" sh -c \
	"[ $SB = $(($(val $W brk))) ] && vmicheck hdr $P heap_layout empty && vmicheck hdr $P heap_vmas 0 && vmicheck hdr $P heap_size '0 bytes'"
wl_next $P
HV=$(maps_overlap $P $SB $((SB + 16384)))
t "heap merged: the heap's VMA reaches above brk (a mapping merged into it): merged, 1 VMA, 16384 bytes" sh -c \
	"vmicheck hdr $P heap_layout merged && vmicheck hdr $P heap_vmas 1 && vmicheck hdr $P heap_size '16384 bytes'"
HE=$(printf %d 0x${HV#*-})
t "heap merged: maps has one VMA in the heap, reaching above PAGE_ALIGN(brk) ($HV)" \
	sh -c "[ $(echo $HV | wc -w) = 1 ] && [ $HE -gt $((SB + 16384)) ]"
wl_next $P
HV=$(maps_overlap $P $SB $((SB + 16384)))
t "heap unmapped: no maps VMA in [start_brk, brk) ($HV): heap_layout unmapped, 0 VMAs" sh -c \
	"[ -z '$HV' ] && vmicheck hdr $P heap_layout unmapped && vmicheck hdr $P heap_vmas 0"
# From 6.6 maps names [heap] only a VMA that overlaps [start_brk, brk)
# (vma_is_initial_heap()); 6.1 also names one that only touches it.
t "heap unmapped: VMA lines equal maps" vmicheck maps $P
wl_end $P

# Without randomisation: the heap starts right at the end of the bss; mmap_base is known.
W=/tmp/wl-norand.out
wl_start $W norand bss
P=$WLPID
t "no ASLR: mmap_base is PAGE_ALIGN(TASK_SIZE - gap) ($(val $W want_mmap_base))" vmicheck hdr $P mmap_base $(val $W want_mmap_base)
BSS=$(hexnum $(val $W bss))
SB=$(sed 's/.*) //' /proc/$P/stat | cut -d' ' -f45)
HV=$(maps_overlap $P $SB $((SB + 1)))
HS=$(printf %d 0x${HV%-*})
t "no ASLR: brk() does not extend the bss VMA (it starts below start_brk): single heap VMA at start_brk ($HV)" \
	sh -c "vmicheck hdr $P heap_layout single && vmicheck kind $P $SB heap && [ $HS = $SB ]"
t "no ASLR: the bss VMA ends where the heap starts, and is bss" vmicheck kind $P $BSS bss
# As above: on 6.6+ the bss VMA ending at start_brk is not [heap].
t "no ASLR: VMA lines equal maps, header equals stat" sh -c "vmicheck maps $P && vmicheck stat $P"
wl_end $P

# VmHWM: the peak stays after MADV_DONTNEED and is reset by clear_refs=5.
W=/tmp/wl-hwm.out
wl_start $W hwm
P=$WLPID
t "VmHWM: hiwater_rss equals status VmHWM, at least the 8192 pages touched" vmicheck cov-hwm $P 8192 1000000
echo 5 > /proc/$P/clear_refs
wl_next $P
t "VmHWM: after clear_refs=5 and 1024 pages touched again: equals VmHWM, below 8192" vmicheck cov-hwm $P 1024 8191
wl_end $P

# P4D tables: one per PGD entry in use with 5-level paging, none with 4-level.
W=/tmp/wl-p4d.out
wl_start $W p4d
P=$WLPID
# (arm64: 5 levels with 52-bit VA, said in the boot log; the page at 2^48)
if [ "$(uname -m)" = aarch64 ]; then
	if grep -q 'detected: 52-bit Virtual Addressing (LPA2)' /vmainfo/log/kmsg; then
		t "5-level (52-bit VA): a page at 2^48 was mapped" test "$(val $W high)" = mapped
		t "5-level: p4d_tables 2 (two PGD entries in use), paging_levels 5" sh -c \
			"vmicheck hdr $P p4d_tables 2 && vmicheck hdr $P paging_levels 5"
	else
		t "4-level (48-bit VA): a page at 2^48 is refused" test "$(val $W high)" = refused
		t "4-level: p4d_tables 0 (folded), paging_levels 4" sh -c \
			"vmicheck hdr $P p4d_tables 0 && vmicheck hdr $P paging_levels 4"
	fi
elif grep -q ' la57' /proc/cpuinfo; then
	t "5-level: a page above 2^52 was mapped" test "$(val $W high)" = mapped
	t "5-level: p4d_tables 2 (two PGD entries in use), paging_levels 5" sh -c \
		"vmicheck hdr $P p4d_tables 2 && vmicheck hdr $P paging_levels 5"
else
	t "4-level: a page above 2^47 is refused" test "$(val $W high)" = refused
	t "4-level: p4d_tables 0 (folded), paging_levels 4" sh -c \
		"vmicheck hdr $P p4d_tables 0 && vmicheck hdr $P paging_levels 4"
fi
t "p4d: VmPTE = tables by level, maps equal" sh -c "vmicheck status $P && vmicheck maps $P"
wl_end $P

# A dynamically linked program (the host's, with its ld.so and libc).
DYN=/vmainfo/dyn/sleep
if [ -x $DYN ]; then
	$DYN 60 &
	D=$!
	wait_entry $D
	# Compare only once ld.so is done: sleep is in (clock_)nanosleep(2).
	i=0
	while [ $i -lt 100 ] && ! grep -q -E '^(35|230) ' /proc/$D/syscall 2>/dev/null; do
		sleep 0.05; i=$((i + 1))
	done
	t "dynamic: VMA lines equal maps (ld.so, libc text and data, anonymous bss)" vmicheck maps $D
	t "dynamic: flags equal smaps, header equals stat and status" sh -c \
		"vmicheck flags $D && vmicheck stat $D && vmicheck status $D"
	t "dynamic: libc is mapped, its segments file-private" sh -c \
		"grep -q ' r-xp .*/libc.so.6\$' /proc/$D/maps && vmicheck kind $D 0x\$(awk '/ r-xp .*libc.so.6/ { split(\$1, r, \"-\"); print r[1] }' /proc/$D/maps) file-private"
	t "dynamic: the executable's text is text" vmicheck kind $D $(sed -n 's/^start_code: //p' /proc/vmainfo/$D) text
	t "dynamic: every page matches pagemap" vmicheck pagemap $D
	kill $D; wait $D 2>/dev/null
else
	not_ok "dynamic: no dynamically linked program in the guest ($DYN)"
fi

# A file on ext4 on a virtio disk: device and inode as maps shows them.
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk; do
	[ -f /lib/modules/$m.ko ] && insmod /lib/modules/$m.ko 2>/dev/null
done
i=0; while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
mkdir -p /mnt/ext4
if [ -b /dev/vda ] && mount -t ext4 -o ro /dev/vda /mnt/ext4; then
	W=/tmp/wl-ext4.out
	wl_start $W mapfile /mnt/ext4/data.bin
	P=$WLPID
	t "ext4: VMA lines equal maps (major:minor of the virtio disk, the file's inode)" vmicheck maps $P
	t "ext4: the maps line shows the disk's device and the inode of stat" sh -c \
		"grep -q \" \$(printf '%02x:%02x' 0x\$(stat -c %t /dev/vda) 0x\$(stat -c %T /dev/vda)) \$(stat -c %i /mnt/ext4/data.bin) \" /proc/vmainfo/$P"
	t "ext4: the private and shared mappings are file-private, file-shared" sh -c \
		"vmicheck kind $P $(val $W private) file-private && vmicheck kind $P $(val $W shared) file-shared"
	t "ext4: 16 pages present in each, as pagemap" sh -c \
		"vmicheck cnt $P $(val $W private) present 16 && vmicheck pagemap $P"
	wl_end $P
	umount /mnt/ext4
else
	not_ok "ext4: virtio disk /dev/vda mounted ($(ls /dev/vd* 2>&1))"
fi

# The kernel layout view against kallsyms, modules, kcore and cpuinfo.
t "layout: regions agree with /proc/kallsyms, /proc/modules, /proc/kcore, cpuinfo la57" vmicheck cov-layout
t "layout: 'vmainfo layout' prints the same regions as debugfs" sh -c \
	"vmainfo layout > /tmp/lay.txt && for r in user direct_map vmalloc vmemmap kernel_image modules; do grep -q \"\$(awk -v r=\$r '\$1 == r { print \$2 }' /sys/kernel/debug/vmainfo/layout)\" /tmp/lay.txt || exit 1; done"
