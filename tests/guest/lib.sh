# Helpers for guest tests (busybox ash).  TAP output, kselftest style.
TAPN_FILE=/tmp/.tapn
[ -f $TAPN_FILE ] || echo 0 > $TAPN_FILE
KREL=$(uname -r | cut -d- -f1)
[ "${VMAINFO_DEBUG_KERNEL:-}" = 1 ] && KREL=$KREL-debug

_tapn() { n=$(($(cat $TAPN_FILE) + 1)); echo $n > $TAPN_FILE; echo $n; }
ok() { echo "ok $(_tapn) - [$KREL] $*"; }
not_ok() { echo "not ok $(_tapn) - [$KREL] $*"; }
skip() { echo "ok $(_tapn) - [$KREL] $1 # SKIP $2"; }
diag() { sed 's/^/# /' | head -n ${DIAG_LINES:-40}; }

# t NAME CMD [ARGS]: ok when CMD exits 0, else not ok with its output.
t() {
	_name=$1; shift
	_out=$("$@" 2>&1); _rc=$?
	if [ $_rc = 0 ]; then ok "$_name"; else not_ok "$_name (exit $_rc)"; echo "$_out" | diag; fi
	return $_rc
}

# The dmesg deny-list, applied to the kernel log since the last call.
dmesg_clean() {
	_pat=$(grep -v -e '^#' -e '^$' /vmainfo/tests/denylist.txt | paste -sd'|')
	_bad=$(dmesg | grep -E -a -- "$_pat")
	dmesg -c > /dev/null
	if [ -z "$_bad" ]; then ok "dmesg clean after $1"; else not_ok "dmesg clean after $1"; echo "$_bad" | diag; fi
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
