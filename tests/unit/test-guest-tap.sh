#!/bin/bash
# The host's judgement of a guest's output channel (tests/check-tap.sh):
# a complete run passes; a runner that died, a file that stopped early or
# never ran, a short plan, a cut result line, a dead kernel log reader fail.
# Exits non-zero on any failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
chk=$here/../check-tap.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
good() {	# a complete channel, as tests/guest/init writes it
	cat <<'CH'
VMAINFO-TAP-BEGIN
TAP version 13
# vmainfo-files: t-10-a.sh t-20-b.sh
# t-10-a.sh
# vmainfo-begin: t-10-a.sh
ok 1 - [6.1.0] a
# vmainfo-end: t-10-a.sh
ok 2 - [6.1.0] kernel log clean after t-10-a.sh
# t-20-b.sh
# vmainfo-begin: t-20-b.sh
not ok 3 - [6.1.0] b
# vmainfo-end: t-20-b.sh
ok 4 - [6.1.0] kernel log clean after t-20-b.sh
1..4
VMAINFO-TAP-END 0
VMAINFO-KMSG-BEGIN
6,1,0,-;Linux version 6.1.0
VMAINFO-KMSG-END
VMAINFO-TAINT 0
CH
}
case_() {	# NAME WANT(pass|fail) SED-SCRIPT [EXPECTED FILES...]
	n=$1 want=$2 s=$3; shift 3
	good | sed -e "$s" > "$tmp/ch"
	if "$chk" 6.1 "$tmp/ch" "$@" > "$tmp/out"; then got=pass; else got=fail; fi
	if [ $got = "$want" ]; then
		echo "ok - guest channel: $n is a $want"
		grep "^not ok" "$tmp/out" | sed "s/^/#   /"
	else
		echo "not ok - guest channel: $n is a $want (check-tap.sh says $got)"
		sed 's/^/# /' "$tmp/out"; fail=1
	fi
}
case_ "complete run" pass ''
case_ "complete run with the suite's file list" pass '' t-10-a.sh t-20-b.sh
case_ "a suite file not announced (missing t-*.sh)" fail '' t-10-a.sh t-15-c.sh t-20-b.sh
case_ "runner killed (no end marker from the script, exit 137)" fail '/^# vmainfo-end: t-20-b.sh/,/^1\.\./d; s/^VMAINFO-TAP-END 0/VMAINFO-TAP-END 137/'
case_ "guest died (no end marker at all)" fail '/^# vmainfo-end: t-20-b.sh/,$d'
case_ "a file that exited early (no end line)" fail '/^# vmainfo-end: t-10-a.sh/d'
case_ "an announced file that never began" fail 's/^# vmainfo-files: .*/& t-30-c.sh/'
case_ "a short plan" fail 's/^1\.\.4$/1..3/'
case_ "no plan" fail '/^1\.\.4$/d'
case_ "two plans" fail 's/^1\.\.4$/1..2\n1..4/'
case_ "a result after the plan" fail 's/^1\.\.4$/&\nok 5 - late/'
case_ "a result line cut by a kernel message" fail 's/^not ok 3 - /not o[   12.3] rcu: x\nk 3 - /'
case_ "results out of order" fail 's/^ok 2 /ok 7 /'
case_ "a dead kernel log reader" fail 's/^VMAINFO-KMSG-BEGIN$/VMAINFO-KMSG-READER-DIED cat: read error: Broken pipe\n&/'
case_ "a kernel log reader that did not catch up" fail 's/^VMAINFO-KMSG-BEGIN$/VMAINFO-KMSG-INCOMPLETE\n&/'
exit $fail
