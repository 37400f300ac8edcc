#!/bin/bash
# Host unit tests: every tests/unit/test-*.sh, TAP lines out.
set -uo pipefail
cd "$(dirname "$0")"
rc=0
for t in test-*.sh; do
	./"$t" || rc=1
done
exit $rc
