# Access decisions, each against the kernel's own: for every reader and
# target, `runas -c PID` opens and reads /proc/PID/maps (the oracle) and the
# module's files with the same credentials, and prints
#   maps=R vmainfo=R pquery=R dquery=R ppfn=R dpfn=R
# (R: OK, EMPTY, an errno name, or PID=N when the text names another pid).
[ -d /proc/vmainfo ] || insmod /vmainfo/vmainfo.ko

field() { echo " $1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }

# same OUT WANT: the oracle says WANT (the scenario is what it claims), and
# /proc/vmainfo/PID, the proc query and (when reachable) the debugfs query
# say the same.  With NOQ=1 only the entry is compared (the queries do not
# take the own-mm shortcut, see security.rst).
same() {
	_m=$(field "$1" maps)
	[ "$_m" = "$2" ] || { echo "oracle maps=$_m, expected $2: $1"; return 1; }
	[ "$(field "$1" vmainfo)" = "$_m" ] || { echo "entry differs: $1"; return 1; }
	[ "${NOQ:-0}" = 1 ] && return 0
	[ "$(field "$1" pquery)" = "$_m" ] || { echo "proc query differs: $1"; return 1; }
	_d=$(field "$1" dquery)
	[ "$_d" = - ] || [ "$_d" = "$_m" ] || { echo "debugfs query differs: $1"; return 1; }
}

# acc NAME WANT READER...: READER (a command prefix) probes $TGT.
acc() {
	_n=$1; _w=$2; shift 2
	_o=$("$@" runas -c $TGT 2>&1)
	echo "# $_n: $_o"
	t "$_n" same "$_o" "$_w"
}

# tgt PATTERN CMD...: start a target, wait until its status matches PATTERN
# (an egrep over the joined status lines) and its entry exists.
tgt() {
	_p=$1; shift
	"$@" > /dev/null 2>&1 &
	TGT=$!
	_i=0
	while [ $_i -lt 200 ]; do
		if tr '\n\t' '  ' < /proc/$TGT/status 2>/dev/null | grep -Eq "$_p"; then
			wait_entry $TGT && return 0
		fi
		sleep 0.05; _i=$((_i + 1))
	done
	echo "# target $* did not reach '$_p'"; tr '\t' ' ' < /proc/$TGT/status 2>/dev/null | diag
	return 1
}
tgt_end() { kill -KILL $TGT 2>/dev/null; wait $TGT 2>/dev/null; true; }

U="runas 1000 1000"
CAP_NET_RAW=13; CAP_SYS_PTRACE=19; CAP_SYS_ADMIN=21; CAP_PERFMON=38
# mm_access() grants a read to perfmon_capable() (CAP_PERFMON or CAP_SYS_ADMIN)
# whom ptrace_may_access() refused, from 6.15 on (kernel/fork.c may_access_mm).
PERFMON=EACCES
kver_ge 6.15 && PERFMON=OK

# ---- the capability rule (cap_ptrace_access_check) ----

# (a) the same uid, but the target holds a capability the reader lacks.
tgt "Name: sleep .*Uid: 1000 1000 1000 .*CapAmb: 0+2000 " runas -a $CAP_NET_RAW 1000 1000 sleep 600
acc "(a) uid 1000 vs uid 1000 holding ambient CAP_NET_RAW: EACCES" EACCES $U
acc "(a) a reader holding CAP_NET_RAW too: allowed" OK runas -a $CAP_NET_RAW 1000 1000
acc "CAP_SYS_PTRACE holder (uid 1000) reads it" OK runas -a $CAP_SYS_PTRACE 1000 1000
tgt_end

# (b) uid 0 with a reduced capability set, no user namespace, reading pid 1.
TGT=1
acc "(b) root without capabilities reading pid 1: EACCES" EACCES runas -b none 0 0
acc "(b) root with only CAP_SYS_ADMIN reading pid 1: $PERFMON" $PERFMON runas -b $CAP_SYS_ADMIN 0 0
acc "(b) root with only CAP_PERFMON reading pid 1: $PERFMON" $PERFMON runas -b $CAP_PERFMON 0 0
acc "uid 1000 with CAP_PERFMON reading pid 1: $PERFMON" $PERFMON runas -a $CAP_PERFMON 1000 1000
acc "root with only CAP_SYS_PTRACE reading pid 1: allowed" OK runas -b $CAP_SYS_PTRACE 0 0
acc "uid 1000 with CAP_SYS_PTRACE reading pid 1: allowed" OK runas -a $CAP_SYS_PTRACE 1000 1000
acc "full root reading pid 1: allowed" OK env

# (c) root of its own user namespace (kuid 1000) reading a plain uid 1000 process.
tgt "Name: sleep .*Uid: 1000 1000 1000 .*CapPrm: 0+ " $U sleep 600
acc "same uid, no capabilities on either side: allowed" OK $U
if $U unshare -r true 2> /dev/null; then
	acc "(c) user-namespace root (kuid 1000) vs plain uid 1000: EACCES" EACCES $U unshare -r
	tgt_end
	# The other way: the owner of a user namespace may read inside it (cap_capable()).
	tgt "Name: sleep .*Uid: 1000 1000 1000 " $U unshare -r sleep 600
	acc "uid 1000 reading a process in a user namespace it owns: allowed" OK $U
else
	skip "(c) user-namespace root" "unprivileged user namespaces are disabled"
	skip "owner of a user namespace" "unprivileged user namespaces are disabled"
fi
tgt_end

# ---- the uid and dumpable rules (__ptrace_may_access) ----

tgt "Uid: 1000 1000 0 .*CapPrm: 0+ " runas -b none -s 0 -D 1 1000 1000 -
acc "target with saved uid 0 (real, effective 1000), dumpable: EACCES" EACCES $U
acc "root reads it" OK env
tgt_end
tgt "Uid: 1000 1000 1000 .*CapPrm: 0+ " runas -b none -s 1000 -D 1 1000 1000 -
acc "the same target with saved uid 1000: allowed" OK $U
tgt_end

tgt "Uid: 1000 1000 1000 " runas -D 0 1000 1000 -
acc "same uid, target not dumpable (PR_SET_DUMPABLE 0): EACCES" EACCES $U
acc "root (CAP_SYS_PTRACE) reads a non-dumpable process" OK env
tgt_end

cp /vmainfo/bin/runas /tmp/suid-runas && chmod 4755 /tmp/suid-runas
tgt "Uid: 1000 0 0 " $U /tmp/suid-runas -P
acc "uid 1000 vs its own set-user-ID-root process: EACCES" EACCES $U
acc "root reads the set-user-ID process" OK env
tgt_end
rm -f /tmp/suid-runas

# mm_access(): a vfork() child shares its parent's mm and may read it, even
# when the parent is not dumpable (the queries refuse: no own-mm shortcut).
o=$($U runas -v 2>&1); echo "# vfork child on its parent: $o"
NOQ=1 t "vfork child reads its non-dumpable parent (own mm)" same "$o" OK
t "... the queries refuse it (EACCES, documented)" test "$(field "$o" pquery)" = EACCES

# ---- frame numbers (pfn) ----
tgt "Name: sleep " runas -b none 0 0 sleep 600
o=$(runas -b none 0 0 runas -c $TGT 2>&1); echo "# root without CAP_SYS_ADMIN: $o"
t "root without capabilities: pagemap hides PFNs, pfn is EPERM" \
	test "$(field "$o" ppfn) $(field "$o" dpfn)" = "NO EPERM"
o=$(runas -c $TGT 2>&1); echo "# full root: $o"
t "full root: pagemap shows PFNs, pfn is allowed" test "$(field "$o" ppfn) $(field "$o" dpfn)" = "YES OK"
tgt_end
if mount -o remount,mode=0755 /sys/kernel/debug 2> /dev/null; then
	tgt "Name: sleep .*Uid: 1000 1000 1000 " $U sleep 600
	o=$($U runas -c $TGT 2>&1); echo "# uid 1000, debugfs mode 0755: $o"
	t "uid 1000: query works on its own process, pfn is EPERM, pagemap hides PFNs" \
		test "$(field "$o" dquery) $(field "$o" ppfn) $(field "$o" dpfn)" = "OK NO EPERM"
	tgt_end
	mount -o remount,mode=0700 /sys/kernel/debug
else
	skip "uid 1000: pfn is EPERM" "debugfs cannot be remounted with mode=0755"
fi

# ---- hidepid (a second procfs mount with its own options) ----
mkdir -p /tmp/proc2
tgt "Name: sleep .*Uid: 1000 1000 1000 " $U sleep 600
me=$TGT
for opt in invisible noaccess ptraceable "invisible,gid=1000"; do
	mount -t proc -o hidepid=$opt proc /tmp/proc2 || { not_ok "mount proc hidepid=$opt"; continue; }
	case $opt in invisible|ptraceable) w=ENOENT ;; noaccess) w=EPERM ;; *) w=EACCES ;; esac
	o=$($U runas -c 1 /tmp/proc2 2>&1); echo "# hidepid=$opt, uid 1000 on pid 1: $o"
	t "hidepid=$opt: uid 1000 on root's pid 1 is $w, as /proc/1/maps" same "$o" $w
	o=$($U runas -c $me /tmp/proc2 2>&1)
	t "hidepid=$opt: uid 1000 on its own process is allowed" same "$o" OK
	umount /tmp/proc2
done
TGT=$me; tgt_end

# ---- pid namespaces ----
sleep 600 & host=$!
wait_entry $host
ns_root() {
	unshare --pid --fork --mount-proc sh -c '
		o=$(runas -c 1); echo "# in the pid namespace, pid 1: $o"
		case "$o" in "maps=OK vmainfo=ENOENT pquery=OK dquery=OK "*) ;; *) echo "pid 1: $o"; exit 1 ;; esac
		case "$(runas -c '$host')" in "maps=ENOENT vmainfo=ENOENT pquery=ESRCH "*) ;;
			*) echo "host pid: $(runas -c '$host')"; exit 1 ;; esac
		vmainfo raw $$ | grep -q "^pid: 1$" || { echo "vmainfo \$\$:"; vmainfo raw $$ | head -3; exit 1; }
		vmainfo raw self | grep -q "^comm: vmainfo$" || { echo "vmainfo self:"; vmainfo raw self | head -3; exit 1; }
		while read k v; do [ "$k" = pid: ] && break; done < /proc/vmainfo/self
		[ "$v" = $$ ] || { echo "/proc/vmainfo/self says pid $v, not $$"; exit 1; }
		# Every listed name either opens as the process /proc/<n> shows, or is ENOENT.
		for n in $(ls /proc/vmainfo); do
			case $n in *[!0-9]*) continue ;; esac
			if v=$(cat /proc/vmainfo/$n 2> /tmp/err); then
				echo "$v" | grep -q "^pid: $n$" &&
				[ "$(echo "$v" | sed -n "s/^comm: //p")" = "$(cat /proc/$n/comm)" ] ||
					{ echo "entry $n opened as another process"; exit 1; }
			else
				grep -q "No such file" /tmp/err || { echo "entry $n: $(cat /tmp/err)"; exit 1; }
			fi
		done
		exit 0'
}
t "pid namespace (root): entries of other numbers are ENOENT; \$\$, self and the queries resolve in the namespace" ns_root
if runas 1000 1000 unshare -r --pid --fork --mount-proc true 2> /dev/null; then
	ns_user() {
		runas 1000 1000 unshare -r --pid --fork --mount-proc sh -c '
			o=$(runas -c 1); echo "# userns root, pid 1: $o"
			case "$o" in "maps=OK vmainfo=ENOENT pquery=OK dquery=- "*) ;; *) echo "pid 1: $o"; exit 1 ;; esac
			vmainfo raw $$ | grep -q "^pid: 1$" || { echo "vmainfo \$\$:"; vmainfo raw $$ 2>&1 | head -3; exit 1; }
			vmainfo raw self | grep -q "^comm: vmainfo$" || exit 1
			cat /proc/vmainfo/'$host' 2>&1 | grep -q "No such file" || { echo "host entry opens"; exit 1; }
			exit 0'
	}
	t "pid namespace (user-namespace root): \$\$ and self resolve in the namespace, host entries are ENOENT" ns_user
else
	skip "pid namespace as a user-namespace root" "unprivileged user namespaces are disabled"
fi
kill $host; wait $host 2>/dev/null
true
