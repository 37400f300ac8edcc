# Kernel lockdown, raised at run time (integrity, then confidentiality).  It
# cannot be lowered again and refuses unsigned modules from then on, so this
# file must run last (the name sorts after every other t-*.sh).
[ -d /proc/vmainfo ] || insmod /vmainfo/vmainfo.ko
L=/sys/kernel/security/lockdown
[ -e $L ] || mount -t securityfs securityfs /sys/kernel/security 2> /dev/null
D=/sys/kernel/debug/vmainfo

field() { echo " $1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }

if [ -w $L ] && echo integrity > $L; then
	t "lockdown is integrity" grep -q '\[integrity\]' $L
	t "integrity: the debugfs query refuses to open (EPERM)" \
		sh -c "sh -c 'exec 3<>$D/query' 2>&1 | grep -q 'not permitted'"
	t "integrity: stats and layout (read-only) still open" sh -c "cat $D/stats > /dev/null && cat $D/layout > /dev/null"
	o=$(runas -c 1); echo "# root on pid 1: $o"
	t "integrity: root reads pid 1 through /proc/vmainfo as through maps" \
		test "$(field "$o" maps) $(field "$o" vmainfo) $(field "$o" pquery) $(field "$o" dquery)" = "OK OK OK -"
	o=$(runas 1000 1000 runas -c 1); echo "# uid 1000 on pid 1: $o"
	t "integrity: uid 1000 on pid 1 is EACCES as through maps" \
		test "$(field "$o" maps) $(field "$o" vmainfo) $(field "$o" pquery)" = "EACCES EACCES EACCES"
	t "integrity: the CLI falls back to /proc/vmainfo/query" sh -c 'vmainfo raw 1 | grep -q "^pid: 1$"'
	t "integrity: the CLI's page map needs debugfs (exit 5)" sh -c 'vmainfo pages 1 > /dev/null 2>&1; [ $? = 5 ]'
	if echo confidentiality > $L; then
		t "confidentiality: layout is refused (EPERM)" sh -c "! cat $D/layout > /dev/null 2> /tmp/e && grep -q 'not permitted' /tmp/e"
		t "confidentiality: /proc/vmainfo/self still reads" grep -q "^pid: " /proc/vmainfo/self
	else
		not_ok "raise lockdown to confidentiality"
	fi
else
	skip "kernel lockdown" "no writable $L (lockdown LSM not built in)"
fi
