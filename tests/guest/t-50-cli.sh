# The vmainfo CLI: JSON against the kernel's files, text views by structure, error paths.
W=/tmp/wl-cli.out
wl_start $W pages
P=$WLPID
vmainfo --json $P > /tmp/cli.json
t "cli: --json agrees with maps, stat and pagemap (pages workload)" vmicheck json $P /tmp/cli.json
vmainfo --no-color $P > /tmp/cli0.txt
t "cli: density strips agree with pagemap (pages workload: partly present VMAs)" \
	vmicheck density $P /tmp/cli0.txt
wl_end $P
W=/tmp/wl-cli2.out
wl_start $W shapes
P=$WLPID
vmainfo --json $P > /tmp/cli2.json
t "cli: --json agrees with maps, stat and pagemap (shapes: spaces, (deleted))" vmicheck json $P /tmp/cli2.json
vmainfo --no-color $P > /tmp/cli.txt
t "cli: density strips agree with pagemap (shapes workload)" vmicheck density $P /tmp/cli.txt
vmainfo --json share $P > /tmp/share.json
t "cli share: --json rollup equals smaps_rollup; a VMA per maps line, with kind and path" \
	vmicheck sharejson $P /tmp/share.json
vmainfo --no-color share $P > /tmp/share.txt
t "cli share: a summary line and a total line" \
	sh -c "grep -q '^workload (pid $P)  RSS .* PSS .* USS ' /tmp/share.txt && grep -q '^total ' /tmp/share.txt"
t "cli share: non-root on its own process works" runas 65534 65534 vmainfo --no-color share self
N=$(wc -l < /proc/$P/maps)
t "cli: summary line names comm, VSZ, RSS, VMA count and heap" \
	grep -q "^workload (pid $P)  VSZ .* RSS .* $N VMAs  heap 0x" /tmp/cli.txt
t "cli: one table line per VMA (plus gap lines)" \
	test $(grep -c '^[0-9a-f]\{12,16\} [0-9a-f]\{12,16\} ' /tmp/cli.txt) = $N
t "cli: large gaps are shown collapsed with their size" grep -q 'unmapped gap' /tmp/cli.txt
t "cli: the main stack is marked" grep -q ' stack .*\[stack\]$' /tmp/cli.txt
t "cli: no colour escapes with --no-color" sh -c "! grep -q \"\$(printf '\\033')\" /tmp/cli.txt"
NO_COLOR=1 vmainfo $P > /tmp/cli3.txt
t "cli: no colour escapes with NO_COLOR" sh -c "! grep -q \"\$(printf '\\033')\" /tmp/cli3.txt"
vmainfo raw $P > /tmp/raw.txt
t "cli: raw view: VMA lines byte for byte as maps, header as stat and status" \
	sh -c "vmicheck maps $P /tmp/raw.txt && vmicheck stat $P /tmp/raw.txt && vmicheck status $P /tmp/raw.txt"
cat /proc/vmainfo/$P > /tmp/saved.txt
t "cli: --file reads a saved text" sh -c "vmainfo --no-color -f /tmp/saved.txt | grep -q '^workload (pid $P)'"
t "cli: pages view of one page" sh -c "vmainfo pages $P $(val $W split) | grep -q 'present'"
wl_end $P

W=/tmp/wl-cli3.out
wl_start $W heap
P=$WLPID
vmainfo --no-color heap $P > /tmp/heap.txt
cat /tmp/heap.txt | head -20 | diag
BIG=$(val $W big)
t "cli heap: shows the brk range from the module" grep -q "^brk heap: $(sed -n 's/^start_brk: //p' /proc/vmainfo/$P)-$(val $W brk) " /tmp/heap.txt
vma_of() { while IFS=' -' read s e rest; do
	[ $((0x$s)) -le $(($2)) ] && [ $(($2)) -lt $((0x$e)) ] && { printf '%012x' $((0x$s)); return; }
done < /proc/$1/maps; }
t "cli heap: lists the 1 MiB malloc as an mmap-served allocation" grep -q "^  $(vma_of $P $BIG)-" /tmp/heap.txt
t "cli heap: a page-level map of the heap" grep -q '^    [0-9a-f]\{12\} [#.Hs]\+$' /tmp/heap.txt
vmainfo --json counters $P > /tmp/cnt.json
t "cli counters: --json is valid and has rows" sh -c "vmicheck jsonok /tmp/cnt.json rows"
vmainfo --json pages $P > /tmp/pages.json
t "cli pages: --json is valid" sh -c "vmicheck jsonok /tmp/pages.json vmas"
vmainfo --json layout > /tmp/layout.json
t "cli layout: --json is valid" sh -c "vmicheck jsonok /tmp/layout.json rows"
wl_end $P

if ! smoke_skip "cli: 60k VMAs: the default view and --json within 2.5x of cat"; then
	# 60,000 VMAs, every page present: the CLI's whole run (it reads the
	# module's text itself) against cat of the same file.  The default view
	# needs no page map here (no VMA is partly present).  Three rounds, the
	# fastest of each (the host's load, beside the other guests of make
	# check, only ever adds time).  Issue 18's goal is 2x; the CLI that reads
	# the text a VMA at a time measures 1.5-1.7x (cat 88 ms, --json 133 ms,
	# default 145 ms on 6.12), the one that held it whole 3.3x: 2.5x leaves
	# room for TCG's noise and fails the old one.
	W=/tmp/wl-cli4.out
	wl_start $W many 60000
	P=$WLPID
	ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
	min() { [ -z "$1" ] || [ "$2" -lt "$1" ] && echo "$2" || echo "$1"; }
	rd=""; cli=""; js=""
	for i in 1 2 3; do
		a=$(ms); cat /proc/vmainfo/$P > /dev/null
		b=$(ms); vmainfo --no-color $P > /dev/null; c=$(ms)
		vmainfo --json $P > /dev/null; d=$(ms)
		rd=$(min "$rd" $((b - a))); cli=$(min "$cli" $((c - b))); js=$(min "$js" $((d - c)))
	done
	echo "# 60k VMAs, fastest of 3: cat $rd ms, vmainfo $cli ms, vmainfo --json $js ms"
	t "cli: 60k VMAs: the default view within 2.5x of cat ($cli ms vs $rd ms, fastest of 3)" \
		test $((cli * 2)) -le $((rd * 5))
	t "cli: 60k VMAs: --json within 2.5x of cat ($js ms vs $rd ms, fastest of 3)" \
		test $((js * 2)) -le $((rd * 5))
	wl_end $P
fi

# Error paths: one clear line and a documented exit status each.
code() { "$@" > /tmp/err.out 2>&1; echo $?; }
t "cli: bad pid 'abc' is a usage error (2)" test $(code vmainfo abc) = 2
t "cli: missing pid is exit 4 with 'no such process'" sh -c "[ \$(vmainfo 3999999 > /tmp/e 2>&1; echo \$?) = 4 ] && grep -q 'no such process' /tmp/e"
t "cli: kernel thread is exit 6" test $(code vmainfo 2) = 6
t "cli: non-root on root's process is exit 5" sh -c "[ \$(runas 65534 65534 vmainfo 1 > /tmp/e 2>&1; echo \$?) = 5 ] && grep -q 'permission denied' /tmp/e"
t "cli: non-root on its own process works" runas 65534 65534 vmainfo --no-color self
t "cli: bad range is a usage error" test $(code vmainfo pages 1 zz-yy) = 2
t "cli: --help shows examples, exit 0" sh -c "vmainfo --help | grep -q Examples"
t "cli: --version names the module format" sh -c "vmainfo --version | grep -q 'format 1'"
t "cli: unknown option is a usage error" test $(code vmainfo --bogus 1) = 2
rmmod vmainfo
t "cli: module not loaded is exit 3 and names insmod" sh -c "[ \$(vmainfo 1 > /tmp/e 2>&1; echo \$?) = 3 ] && grep -q insmod /tmp/e"
insmod /vmainfo/vmainfo.ko
