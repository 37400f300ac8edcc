#!/bin/bash
# Host unit tests: every tests/unit/test-*.sh, TAP lines out.  Each must exit
# 0 only when all its tests passed; one that exits non-zero without a "not ok"
# line (a crash, a shell error) gets one here.  Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
rc=0
for t in test-*.sh; do
	out=$(mktemp)
	./"$t" 2>&1 | tee "$out"
	trc=${PIPESTATUS[0]}
	if [ "$trc" != 0 ]; then
		rc=1
		grep -q '^not ok' "$out" || echo "not ok - unit: $t exited $trc without naming a failed test"
	elif grep -q '^not ok' "$out"; then
		rc=1
	fi
	rm -f "$out"
done
exit $rc
