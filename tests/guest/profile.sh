# make profile: where the time of a full read goes, ours and the kernel's,
# sampled with perf (cpu-clock, all CPUs) in the guest.  Flat profiles of the
# kernel symbols, hottest first.
. /vmainfo/tests/lib.sh
N=${PROFILE_READS:-10}
insmod /vmainfo/vmainfo.ko 2>/dev/null
export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu
echo "TAP version 13"
if ! perf --version > /dev/null 2>&1; then
	not_ok "perf runs in the guest"
	echo "1..$(cat $TAPN_FILE)"
	exit 0
fi
prof() {	# WORKLOAD-NAME READER PID
	echo "# ==== $1: $N x $2 ===="
	perf record -q -e cpu-clock -F 10000 -a -o /tmp/perf.data -- \
		vmibench read $2 $3 $N > /dev/null 2>&1
	perf report -i /tmp/perf.data --stdio --no-children --sort sym -n \
		--percent-limit 0.7 2>/dev/null | grep -v '^# [^S]' | grep -v '^#$' | grep -v '^$' | head -n 40 |
		sed 's/^/# /'
	# the hottest instructions of our own functions, for objdump on the host
	perf script -i /tmp/perf.data -F ip,sym,symoff 2>/dev/null | grep -o 'vmi_[a-z0-9_]*+0x[0-9a-f]*' |
		sort | uniq -c | sort -rn | head -n ${PROFILE_HOT:-0} | sed 's/^/# hot /'
}
one() {	# NAME READERS -- WORKLOAD-ARGS...
	name=$1 readers=$2; shift 3
	workload "$@" > /tmp/w.out &
	p=$!
	wait_stopped $p && wait_entry $p || { not_ok "$name workload started"; return; }
	for r in $readers; do prof $name $r $p; done
	kill -9 $p; wait $p 2>/dev/null
	ok "profiled $name: $readers"
}
one many "vmainfo_proc maps smaps" -- many 60000
one sparse "vmainfo_pagemap pagemap_scan vmainfo_proc" -- bench sparse
echo "1..$(cat $TAPN_FILE)"
