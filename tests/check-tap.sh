#!/bin/bash
# Judge the completeness of a guest's output channel (the second serial port,
# see tests/guest/init):
#
#   tests/check-tap.sh KVER CHANNEL-FILE [EXPECTED-TEST-FILE...]
#
# Prints "ok/not ok - KVER: ..." lines and exits 1 if any is "not ok":
#  - the guest script ran to its end: "VMAINFO-TAP-END 0" (its exit status);
#  - the plan: exactly one "1..N", after the last result, N results numbered
#    1..N in order (a runner that died, or a cut line, leaves them apart);
#  - the test files: every file the runner announced ("# vmainfo-files:")
#    began and ended ("# vmainfo-begin:/end:", tests/guest/lib.sh run_file),
#    and, when EXPECTED-TEST-FILEs are given, it announced exactly those;
#  - the kernel log: init's /dev/kmsg reader lived to the end and caught up.
# GUEST_SECS, if set, is the guest's run time, for the first line.
set -u
kver=$1 chan=$2; shift 2
fail=0
say() {	# OK? TEXT...
	if [ "$1" = 1 ]; then echo "ok - $kver: ${*:2}"; else echo "not ok - $kver: ${*:2}"; fail=1; fi
}
tap=$(awk '/^VMAINFO-TAP-BEGIN$/ { on = 1; next } /^VMAINFO-TAP-END/ { exit } on' "$chan")

# 1. The script's end, with its exit status.
end=$(grep -E '^VMAINFO-TAP-END( |$)' "$chan" | head -n 1)
rc=${end#VMAINFO-TAP-END }
if [ -z "$end" ]; then
	say 0 "guest script ran to its end (no end marker: the guest died or timed out)"
elif [ "$rc" != 0 ]; then
	say 0 "guest script ran to its end (it exited '$rc')"
else
	say 1 "guest script ran to its end (exit 0${GUEST_SECS:+, ${GUEST_SECS}s})"
fi

# 2. The plan against the results.
results=$(grep -E '^(not )?ok( |$)' <<< "$tap")
nres=$(grep -c . <<< "$results")
plans=$(grep -E '^1\.\.[0-9]+' <<< "$tap")
nplans=$(grep -c . <<< "$plans")
last=$(grep -E '^(not )?ok( |$)|^1\.\.[0-9]+' <<< "$tap" | tail -n 1)
nums=$(sed -E 's/^(not )?ok ([0-9]+).*/\2/;t;s/.*/x/' <<< "$results" | paste -sd' ')
want=$(seq 1 "$nres" 2>/dev/null | paste -sd' ')
if [ "$nplans" != 1 ]; then
	say 0 "one TAP plan (found $nplans: $(paste -sd' ' <<< "$plans"))"
elif [ "$last" != "$plans" ]; then
	say 0 "TAP plan $plans comes after the last result"
elif [ "${plans#1..}" != "$nres" ] || [ "$nres" = 0 ]; then
	say 0 "TAP plan $plans matches the $nres results"
elif [ "$nums" != "$want" ]; then
	say 0 "TAP results are numbered 1..$nres in order (got: $(cut -c1-200 <<< "$nums"))"
else
	say 1 "TAP plan $plans matches the $nres results, numbered in order"
fi

# 3. The test files: announced, begun, ended.
ann=$(grep -E '^# vmainfo-files:' <<< "$tap")
if [ -n "$ann" ] || [ $# -gt 0 ]; then
	files=$(sed 's/^# vmainfo-files: *//' <<< "$ann" | head -n 1)
	bad=""
	if [ $# -gt 0 ] && [ "$files" != "$*" ]; then
		bad="announced '$files' but the suite has '$*'; "
	fi
	[ "$(grep -c . <<< "$ann")" -le 1 ] || bad="${bad}more than one announcement; "
	for f in $files; do
		b=$(grep -n -x -F "# vmainfo-begin: $f" <<< "$tap" | head -n 1 | cut -d: -f1)
		e=$(grep -n -x -F "# vmainfo-end: $f" <<< "$tap" | head -n 1 | cut -d: -f1)
		if [ -z "$b" ]; then bad="$bad$f did not begin; "
		elif [ -z "$e" ] || [ "$e" -lt "$b" ]; then bad="$bad$f did not end; "
		fi
	done
	nf=$(wc -w <<< "$files")
	if [ -z "$files" ]; then
		say 0 "guest announced its test files (none announced)"
	elif [ -n "$bad" ]; then
		say 0 "every test file began and ended: ${bad%; }"
	else
		say 1 "all $nf announced test files began and ended"
	fi
fi

# 4. The kernel log reader.
if grep -q '^VMAINFO-KMSG-READER-DIED' "$chan"; then
	say 0 "the guest's /dev/kmsg reader lived to the end ($(grep '^VMAINFO-KMSG-READER-DIED' "$chan" | head -n 1))"
elif grep -q '^VMAINFO-KMSG-INCOMPLETE' "$chan" || ! grep -q '^VMAINFO-KMSG-END$' "$chan"; then
	say 0 "the guest's whole kernel log was read (the reader did not catch up, or no log)"
else
	n=$(awk '/^VMAINFO-KMSG-BEGIN$/ { on = 1; next } /^VMAINFO-KMSG-END$/ { exit } on' "$chan" | grep -c .)
	say 1 "the guest's whole kernel log was read ($n lines, every level)"
fi
exit $fail
