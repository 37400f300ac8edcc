#!/bin/bash
# The dmesg checker itself: every splat fixture is caught, the clean log passes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
chk=$here/../check-dmesg.sh
fx=$here/fixtures/dmesg
for f in "$fx"/splat-*.txt; do
	n=$(basename "$f" .txt)
	if "$chk" "$f" > /dev/null; then
		echo "not ok - denylist catches $n"
	else
		echo "ok - denylist catches $n"
	fi
done
if "$chk" "$fx/clean.txt" > /dev/null; then
	echo "ok - denylist passes a clean guest log"
else
	echo "not ok - denylist passes a clean guest log"
	"$chk" "$fx/clean.txt" | sed 's/^/# /'
fi
