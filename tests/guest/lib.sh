# Helpers for guest tests (busybox ash).  TAP output, kselftest style.
# The TAP counter; a script run inside a test (t-70 runs bench.sh) gets its own.
TAPN_FILE=${TAPN_FILE:-/tmp/.tapn}
[ -f $TAPN_FILE ] || echo 0 > $TAPN_FILE
KREL=$(uname -r | cut -d- -f1)
# The kernel log, every level, as /dev/kmsg records: init starts a reader
# before the guest script and it appends to KMSG_LOG until power-off.
KMSG_LOG=/vmainfo/log/kmsg
KMSG_PID=/vmainfo/log/kmsg.pid
KMSG_POS=/vmainfo/log/kmsg.checked	# lines of KMSG_LOG already checked
[ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ] && KREL=$KREL-debug

_tapn() { n=$(($(cat $TAPN_FILE) + 1)); echo $n > $TAPN_FILE; echo $n; }
ok() { echo "ok $(_tapn) - [$KREL] $*"; }
not_ok() { echo "not ok $(_tapn) - [$KREL] $*"; }
# skip NAME REASON: a test that cannot run here.  Tests use skip_unless_missing,
# which refuses to skip when the kernel is known to have what the test needs.
skip() { echo "ok $(_tapn) - [$KREL] $1 # SKIP $2"; }
diag() { sed 's/^/# /' | head -n ${DIAG_LINES:-40}; }
plan() { echo "1..$(cat $TAPN_FILE)"; }

# t NAME CMD [ARGS]: ok when CMD exits 0, else not ok with its output.
# VMAINFO_TIMES=1: each test's time too ("# time S: NAME").
t() {
	_name=$1; shift
	[ -n "${VMAINFO_TIMES:-}" ] && _t0=$(cut -d' ' -f1 /proc/uptime)
	_out=$("$@" 2>&1); _rc=$?
	if [ $_rc = 0 ]; then ok "$_name"; else not_ok "$_name (exit $_rc)"; echo "$_out" | diag; fi
	[ -n "${VMAINFO_TIMES:-}" ] && echo "# time $(awk -v a=$_t0 -v b=$(cut -d' ' -f1 /proc/uptime) 'BEGIN { print b - a }'): $_name"
	return $_rc
}

# Features tests may need, and whether this kernel is known to have them: by
# the release that introduced them, or by the kernel's own config (copied
# into the guest by run-guest.sh).  0: known present; 1: not known; 2: a
# name missing from this table (a test bug).
kver_ge() {	# MAJOR.MINOR: the guest kernel is at least that
	_a=${KREL%%.*}; _b=${KREL#*.}; _b=${_b%%.*}
	[ "$_a" -gt "${1%%.*}" ] || { [ "$_a" -eq "${1%%.*}" ] && [ "$_b" -ge "${1#*.}" ]; }
}
kconfig() {	# CONFIG_X: =y or =m in the guest kernel's config (unknown config: assume yes)
	[ -f /vmainfo/kconfig ] || return 0
	grep -q "^$1=[ym]$" /vmainfo/kconfig
}
feature_known() {
	case $1 in
	MADV_PAGEOUT) kver_ge 5.4 ;;
	MADV_COLLAPSE) kver_ge 6.1 && kconfig CONFIG_TRANSPARENT_HUGEPAGE ;;
	PAGEMAP_SCAN) kver_ge 6.7 ;;
	PROCMAP_QUERY) kver_ge 6.11 ;;
	THP) kconfig CONFIG_TRANSPARENT_HUGEPAGE ;;
	soft-dirty) kconfig CONFIG_MEM_SOFT_DIRTY ;;	# none on arm64
	cont-hugetlb) [ "$(uname -m)" = aarch64 ] && kconfig CONFIG_HUGETLB_PAGE ;;	# 64K, 32M
	contpte) [ "$(uname -m)" = aarch64 ] && kconfig CONFIG_ARM64_CONTPTE ;;
	hugetlb) kconfig CONFIG_HUGETLBFS ;;
	userfaultfd) kconfig CONFIG_USERFAULTFD ;;
	swap) kconfig CONFIG_SWAP ;;
	zram) kconfig CONFIG_ZRAM ;;
	kfence) kconfig CONFIG_KFENCE ;;
	kmemleak) kconfig CONFIG_DEBUG_KMEMLEAK ;;
	bpf) kconfig CONFIG_BPF_SYSCALL ;;
	KSM) kconfig CONFIG_KSM ;;
	overlay) kconfig CONFIG_OVERLAY_FS ;;
	*) return 2 ;;
	esac
}

# skip_unless_missing "FEATURE..." NAME REASON: skip NAME for REASON, but only
# when at least one of the FEATUREs it needs is not known on this kernel;
# otherwise the skip hides a failure and is reported as one.
skip_unless_missing() {
	for _f in $1; do
		feature_known "$_f"
		case $? in
		1) skip "$2" "$3 ($_f is not known on $KREL)"; return 0 ;;
		2) not_ok "$2 (skipped: $3; unknown feature $_f: add it to feature_known in lib.sh)"; return 1 ;;
		esac
	done
	not_ok "$2 (skipped: $3; but this kernel has $1)"
	return 1
}

# The kernel log since the last call, against the deny-list.  A marker
# written to /dev/kmsg and then seen in KMSG_LOG proves that every earlier
# message is there too; the lines up to it are checked, each exactly once.
_KMSG_SYNC=/vmainfo/log/kmsg.syncn
kmsg_sync() {	# prints the line number of a fresh marker in KMSG_LOG
	_s=$(( $(cat $_KMSG_SYNC 2>/dev/null || echo 0) + 1 )); echo $_s > $_KMSG_SYNC
	_m="vmainfo-kmsg-sync-$_s."
	echo "<6>$_m" > /dev/kmsg || return 1
	_i=0
	while [ $_i -lt 1200 ]; do
		_l=$(grep -n -F -- ";$_m" $KMSG_LOG 2>/dev/null | tail -n 1 | cut -d: -f1)
		[ -n "$_l" ] && { echo "$_l"; return 0; }
		sleep 0.05; _i=$((_i + 1))
	done
	return 1
}
kmsg_text() { sed 's/^[0-9]*,[0-9]*,[0-9]*,[^;]*;//'; }	# record header off
kmsg_clean() {	# NAME
	_pat=$(grep -v -e '^#' -e '^$' /vmainfo/tests/denylist.txt | paste -sd'|')
	if ! kill -0 "$(cat $KMSG_PID 2>/dev/null)" 2>/dev/null; then
		not_ok "kernel log clean after $1 (the /dev/kmsg reader has died: lines lost)"
		return 1
	fi
	if ! _to=$(kmsg_sync); then
		not_ok "kernel log clean after $1 (the /dev/kmsg reader did not catch up in 60 s)"
		return 1
	fi
	_from=$(cat $KMSG_POS 2>/dev/null || echo 0)
	echo "$_to" > $KMSG_POS
	_bad=$(sed -n "$((_from + 1)),${_to}p" $KMSG_LOG | kmsg_text | grep -E -a -- "$_pat")
	if [ -z "$_bad" ]; then
		ok "kernel log clean after $1 (lines $((_from + 1))-$_to, every level)"
	else
		not_ok "kernel log clean after $1"; echo "$_bad" | diag
	fi
}
dmesg_clean() { kmsg_clean "$@"; }

# The test files a runner runs: it names them first, then brackets each with
# begin/end lines; the host (tests/check-tap.sh) fails the run when a named
# file did not begin or end.  A file ends only when its last line has run: an
# `exit` in it, a shell error or a signal leaves it without its end line.
announce_files() { echo "# vmainfo-files: $*"; }
# smoke_skip NAME: on a smoke run (VMAINFO_SMOKE=1: the packaged module's
# guests, tests/pkg/check-pkg.sh) skip the load or timing section NAME, which
# the main guests run, and succeed; else fail (run the section).
smoke_skip() {
	[ "${VMAINFO_SMOKE:-}" = 1 ] || return 1
	skip "$1" "smoke run of the packaged module: the main guests run it"
}

run_file() {	# FILE
	echo "# $1"
	echo "# vmainfo-begin: $1"
	rm -f /tmp/.vmainfo-ended
	_t0=$(cut -d. -f1 /proc/uptime)
	( . ./$1; echo "$1" > /tmp/.vmainfo-ended )
	_rc=$?
	if [ "$(cat /tmp/.vmainfo-ended 2>/dev/null)" = "$1" ]; then
		echo "# $1 took $(( $(cut -d. -f1 /proc/uptime) - _t0 )) s"
		echo "# vmainfo-end: $1"
	else
		not_ok "$1 ran to its end (it stopped early, exit $_rc)"
	fi
}

state_of() { sed 's/.*) \(.\).*/\1/' /proc/$1/stat 2>/dev/null; }

# Wait until process $1 is stopped (it raises SIGSTOP after each phase).
wait_stopped() {
	_i=0
	while [ $_i -lt 1200 ]; do
		[ "$(state_of $1)" = T ] && return 0
		[ -d /proc/$1 ] || return 1
		sleep 0.05; _i=$((_i + 1))
	done
	return 1
}

# Wait until /proc/vmainfo/$1 shows process $1 (the entry follows a fork
# shortly; until then the number may still name a dead process's entry).
wait_entry() {
	_i=0
	while ! grep -q "^pid: $1$" /proc/vmainfo/$1 2>/dev/null && [ $_i -lt 400 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
	grep -q "^pid: $1$" /proc/vmainfo/$1 2>/dev/null
}

# wl_start OUT SCENARIO [ARGS]: start a workload, wait for its first stop.
wl_start() {
	_out=$1; shift
	workload "$@" > "$_out" &
	WLPID=$!
	wait_stopped $WLPID && wait_entry $WLPID
}
wl_next() { kill -CONT $1; wait_stopped $1; }
wl_end() { kill -KILL $1 2>/dev/null; wait $1 2>/dev/null; true; }
val() { sed -n "s/^$2=//p" "$1" | tail -n 1; }
. /vmainfo/tests/live.sh
