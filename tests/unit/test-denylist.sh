#!/bin/bash
# The kernel log checker (tests/check-dmesg.sh with tests/denylist.txt) against
# report texts in the kernels' own formats (tests/unit/fixtures/dmesg):
#  - every splat-*.txt is caught;
#  - the reports that the generic "BUG: "/"WARNING: " lines would also catch
#    have their own pattern in the deny-list, and it catches its report;
#  - every deny-list pattern catches at least one fixture (none is dead);
#  - clean.txt and the real boot logs clean-*.txt (every level, /dev/kmsg)
#    pass.
# Exits non-zero on any failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
chk=$here/../check-dmesg.sh
list=$here/../denylist.txt
fx=$here/fixtures/dmesg
fail=0
res() {	# OK? TEXT
	if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi
}
for f in "$fx"/splat-*.txt; do
	n=$(basename "$f" .txt)
	if "$chk" "$f" > /dev/null; then res 0 "denylist catches $n"; else res 1 "denylist catches $n"; fi
done
# fixture | the deny-list line that must be there and catch it
while IFS='|' read -r n p; do
	[ -n "$n" ] || continue
	if ! grep -q -x -F -- "$p" "$list"; then
		res 0 "denylist has '$p' (for $n)"
	elif ! grep -q -E -a -- "$p" "$fx/$n.txt"; then
		res 0 "denylist line '$p' catches $n"
	else
		res 1 "denylist line '$p' catches $n"
	fi
done <<'TABLE'
splat-kmemleak|kmemleak: [0-9]+ new suspected memory leaks
splat-rcu-exp-stall|INFO: rcu_(sched|preempt|bh) detected expedited stalls
splat-rcu-exp-stall-sched|INFO: rcu_(sched|preempt|bh) detected expedited stalls
splat-rcu-tasks-stall|INFO: rcu_tasks.* detected stalls
splat-rcu-tasks-trace-stall|INFO: rcu_tasks.* detected stalls
splat-lockdep-circular|possible circular locking dependency
splat-lockdep-inconsistent|inconsistent lock state
splat-lockdep-rcu|suspicious RCU usage
splat-lockdep-recursive|possible recursive locking
splat-sleeping|BUG: sleeping function called from invalid context
splat-kasan|KASAN: 
splat-bad-page|BUG: Bad page
splat-kernel-bug|kernel BUG
splat-kmemleak-object|unreferenced object 0x
splat-slub-6.12|Poison overwritten
splat-slub-6.1|BUG [^ :]+ \((Not tainted|Tainted: )
TABLE
dead=""
while IFS= read -r p; do
	cat "$fx"/splat-*.txt | grep -q -E -a -- "$p" || dead="$dead '$p'"
done < <(grep -v -e '^#' -e '^$' "$list")
if [ -z "$dead" ]; then res 1 "every denylist pattern catches a fixture"; else res 0 "every denylist pattern catches a fixture (not:$dead)"; fi
for f in "$fx"/clean*.txt; do
	n=$(basename "$f" .txt)
	if "$chk" "$f" > /dev/null; then
		res 1 "denylist passes the clean guest log $n"
	else
		res 0 "denylist passes the clean guest log $n"
		"$chk" "$f" | sed 's/^/# /'
	fi
done
exit $fail
