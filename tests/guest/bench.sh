# make bench (and, with BENCH_RUNS=1, the smoke in make check): vmainfo against
# the kernel's own interfaces, same guest, same run.  Prints a markdown report.
. /vmainfo/tests/lib.sh
RUNS=${BENCH_RUNS:-5}
KFULL=$(uname -r)
OUT=/tmp/bench.md
insmod /vmainfo/vmainfo.ko 2>/dev/null
# The readers run on CPU 1, the memory sampler (and impact's target) on CPU 0:
# with both vCPUs on one TCG thread, a reader that moves between them, or
# shares one, is timed at a speed that changes from run to run.
PIN= PIN0=
if [ "$(nproc)" -gt 1 ]; then PIN="taskset 2" PIN0=1; fi
mem() { awk '$1 == "Slab:" || $1 == "VmallocUsed:" { s += $2 } END { print s }' /proc/meminfo; }

run_one() {	# NAME WORKLOAD-ARGS...
	name=$1; shift
	workload "$@" > /tmp/bw.out &
	p=$!
	wait_stopped $p && wait_entry $p || { echo "# $name: workload did not start"; return 1; }
	# timed runs first, alone: a sampler forking awk every 10 ms took a
	# large share of the one TCG thread and made the timings swing
	$PIN vmibench $p $RUNS > /tmp/b-$name.txt
	# symbolizer-style lookups of 10,000 addresses (the 60k-VMA process)
	[ "$name" != many ] || $PIN vmibench lookups $p 10000 $RUNS >> /tmp/b-$name.txt
	# then our two reads once more, untimed, with the memory sampler
	base=$(mem); peak=$base
	( while :; do m=$(mem); [ $m -gt $peak ] && { peak=$m; echo $peak > /tmp/peak; }; sleep 0.01; done ) &
	sampler=$!
	[ -z "$PIN0" ] || taskset -p 1 $sampler > /dev/null
	$PIN vmibench read vmainfo_proc $p 1 > /dev/null
	$PIN vmibench read vmainfo_pagemap $p 1 > /dev/null
	kill $sampler; wait $sampler 2>/dev/null
	pk=$(cat /tmp/peak 2>/dev/null || echo $base); rm -f /tmp/peak
	echo "mem_kb $((pk - base))" >> /tmp/b-$name.txt
	kill -9 $p; wait $p 2>/dev/null
}
shell_one() {
	sh -c 'kill -STOP $$; :' &
	p=$!
	wait_stopped $p && wait_entry $p
	$PIN vmibench $p $RUNS > /tmp/b-shell.txt
	echo "mem_kb 0" >> /tmp/b-shell.txt
	kill -9 $p; wait $p 2>/dev/null
}
echo "TAP version 13"
run_one sparse bench sparse
run_one dense bench dense
run_one many many 60000
run_one thp bench thp
shell_one
# The target's mmap+munmap latency under each reader, as a distribution
# (at least 1000 pairs a reader and round): a tiny target, and one with a
# 16 GiB VMA (a page every 2 MiB: 8192 PTE tables to walk).
$PIN vmibench impact ${BENCH_IMPACT_SECS:-3} $RUNS > /tmp/b-impact.txt
$PIN vmibench impact ${BENCH_IMPACT_SECS:-3} $RUNS big > /tmp/b-impactbig.txt

v() { awk -v k="$2" '$1 == k { print $2 }' /tmp/b-$1.txt; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
{
echo "### $KFULL, $(nproc) vCPUs, $RUNS runs each (medians, ms)"
echo
echo "| workload | /proc/vmainfo | vmainfo page map | vmainfo --json | maps | smaps | pagemap | PAGEMAP_SCAN | module mem during reads |"
echo "|---|---|---|---|---|---|---|---|---|"
for w in sparse dense many thp shell; do
	echo "| $w | $(v $w vmainfo_proc) | $(v $w vmainfo_pagemap) | $(v $w vmainfo_cli_json) | $(v $w maps) | $(v $w smaps) | $(v $w pagemap) | $(v $w pagemap_scan) | $(v $w mem_kb) kB |"
done
echo
echo "What memory is whose: the share view (/proc/vmainfo/share, smaps' values per VMA and the rollup) and its rollup view (\"PID rollup\") against smaps and smaps_rollup, same runs (medians, ms):"
echo
echo "| workload | share | smaps | share rollup | smaps_rollup |"
echo "|---|---|---|---|---|"
for w in sparse dense many thp shell; do
	echo "| $w | $(v $w vmainfo_share) | $(v $w smaps) | $(v $w vmainfo_share_rollup) | $(v $w smaps_rollup) |"
done
echo
echo "| target | ratio | goal | result |"
echo "|---|---|---|---|"
goal() {	# NAME VALUE OP LIMIT
	r=$2
	met=$(awk -v r="$r" -v l="$4" -v op="$3" 'BEGIN { if (r == "n/a") print "n/a"; else if ((op == "<=" && r <= l) || (op == ">=" && r >= l)) print "met"; else print "MISSED" }')
	echo "| $1 | $r | $3 $4 | $met |"
}
goal "(c) 60k VMAs: /proc/vmainfo / maps" $(ratio $(v many vmainfo_proc) $(v many maps)) "<=" 1.5
goal "(c) 60k VMAs: smaps / /proc/vmainfo" $(ratio $(v many smaps) $(v many vmainfo_proc)) ">=" 5
case $KFULL in 6.1.*) goal "(c) 60k VMAs: pagemap / /proc/vmainfo (6.1)" $(ratio $(v many pagemap) $(v many vmainfo_proc)) ">=" 20 ;; esac
goal "(a) sparse: page map / PAGEMAP_SCAN" $(ratio $(v sparse vmainfo_pagemap) $(v sparse pagemap_scan)) "<=" 1.0
goal "(a) sparse: pagemap / page map" $(ratio $(v sparse pagemap) $(v sparse vmainfo_pagemap)) ">=" 2
goal "(b) dense: page map / PAGEMAP_SCAN" $(ratio $(v dense vmainfo_pagemap) $(v dense pagemap_scan)) "<=" 1.0
goal "(b) dense: page map / pagemap" $(ratio $(v dense vmainfo_pagemap) $(v dense pagemap)) "<=" 1.0
goal "(d) THP: page map / PAGEMAP_SCAN" $(ratio $(v thp vmainfo_pagemap) $(v thp pagemap_scan)) "<=" 1.0
goal "(d) THP: page map / pagemap" $(ratio $(v thp vmainfo_pagemap) $(v thp pagemap)) "<=" 1.0
goal "(e) 10,000 lookups, 60k VMAs: kernel PROCMAP_QUERY / our batch (VMA index)" $(ratio $(v many lookup_kernel_ms) $(v many lookup_index_ms)) ">=" 5
goal "(f) 60k VMAs: share / smaps" $(ratio $(v many vmainfo_share) $(v many smaps)) "<=" 0.5
goal "(f) dense 512 MiB: share / smaps" $(ratio $(v dense vmainfo_share) $(v dense smaps)) "<=" 0.5
goal "(f) 60k VMAs: share rollup / smaps_rollup" $(ratio $(v many vmainfo_share_rollup) $(v many smaps_rollup)) "<=" 1.0
goal "(f) dense 512 MiB: share rollup / smaps_rollup" $(ratio $(v dense vmainfo_share_rollup) $(v dense smaps_rollup)) "<=" 1.0
# i FILE READER COLUMN: impact's p50 (2), p99 (3), max (4) in us, pairs (5)
i() { awk -v k="impact_$2_us" -v c="$3" '$1 == k { print $c }' /tmp/b-$1.txt; }
goal "target's p99 mmap+munmap latency: under /proc/vmainfo / under smaps" $(ratio $(i impact vmainfo_proc 3) $(i impact smaps 3)) "<=" 1.0
goal "same, 16 GiB VMA target: under /proc/vmainfo / under smaps" $(ratio $(i impactbig vmainfo_proc 3) $(i impactbig smaps 3)) "<=" 1.0
# per-VMA locks (7.2, where lock_vma_under_rcu is exported): as maps
case $KFULL in 6.*) ;; *) goal "same, 16 GiB VMA target, per-VMA locks: under /proc/vmainfo / under maps" $(ratio $(i impactbig vmainfo_proc 3) $(i impactbig maps 3)) "<=" 1.0 ;; esac
echo
echo "10,000 address lookups in the 60k-VMA process (ms, medians of $RUNS rounds): the kernel's PROCMAP_QUERY on /proc/PID/maps $(v many lookup_kernel_ms), ours one ioctl each $(v many lookup_single_ms), ours batched (1024 a call) from the tree $(v many lookup_batch_ms), from the VMA index $(v many lookup_index_ms) (its first round, with the index's build, $(v many lookup_index_first_ms)). Kernel / tree batch: $(ratio $(v many lookup_kernel_ms) $(v many lookup_batch_ms))."
echo
echo "The target's mmap+munmap latency (us; medians over $RUNS rounds of p50, p99, max; pairs in all rounds; own_maps: a reader of its own /proc/self/maps, which never touches the target, the floor of every reader's p99 under the emulator):"
echo
echo "| target | reader | p50 | p99 | max | pairs |"
echo "|---|---|---|---|---|---|"
for f in impact impactbig; do
	for k in none own_maps vmainfo_proc vmainfo_pagemap maps smaps pagemap; do
		echo "| $([ $f = impact ] && echo tiny || echo "16 GiB VMA") | $k | $(i $f $k 2) | $(i $f $k 3) | $(i $f $k 4) | $(i $f $k 5) |"
	done
done
echo
fl() { ratio $(i $1 $2 3) $(i $1 own_maps 3); }
echo "p99 over own_maps' (the floor; about 1 means the reader adds nothing the emulator does not): tiny target: ours $(fl impact vmainfo_proc), maps $(fl impact maps), smaps $(fl impact smaps); 16 GiB VMA target: ours $(fl impactbig vmainfo_proc), maps $(fl impactbig maps), smaps $(fl impactbig smaps)."
} > $OUT
sed 's/^/# /' $OUT
missing=$(grep -c '| |\|  |' $OUT)
for w in sparse dense many thp shell; do
	for k in vmainfo_proc maps vmainfo_share smaps smaps_rollup vmainfo_share_rollup; do
		[ -n "$(v $w $k)" ] || missing=$((missing + 1))
	done
done
for f in impact impactbig; do
	for k in none own_maps vmainfo_proc vmainfo_pagemap maps smaps pagemap; do
		[ -n "$(i $f $k 4)" ] || missing=$((missing + 1))
	done
done
if [ "$missing" = 0 ]; then ok "benchmark ran every reader on every workload ($RUNS run(s))"; else not_ok "benchmark produced every number"; fi
echo "1..$(cat $TAPN_FILE)"
