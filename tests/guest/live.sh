# The module's live-object counters (debugfs stats, "live NAME: N" lines).
# Sourced by lib.sh.  Only shell builtins between the reads, so that no
# process of ours is born or dies while the table and /proc are compared.
VMI_STATS=/sys/kernel/debug/vmainfo/stats
_LIVE_FIFO=/tmp/.live_fifo

# live_read: sets LV_entries LV_views LV_selections LV_buffers (empty if absent).
live_read() {
	LV_entries=; LV_views=; LV_selections=; LV_buffers=
	[ -r $VMI_STATS ] || return 1
	while read -r _a _b _c; do
		[ "$_a" = live ] || continue
		case "$_b" in
		entries:) LV_entries=$_c ;;
		views:) LV_views=$_c ;;
		selections:) LV_selections=$_c ;;
		buffers:) LV_buffers=$_c ;;
		esac
	done < $VMI_STATS
	[ -n "$LV_entries" ] && [ -n "$LV_views" ] && [ -n "$LV_selections" ] && [ -n "$LV_buffers" ]
}

# stat_get NAME: the "sum" column of statistic NAME, in STAT_VAL.
stat_get() {
	STAT_VAL=
	while read -r _a _b _c; do
		[ "$_a" = "$1" ] && { STAT_VAL=$_b; break; }
	done < $VMI_STATS
	[ -n "$STAT_VAL" ]
}

# Thread-group leaders alive now (/proc lists only those), in LEADERS.
live_leaders() {
	LEADERS=0
	for _d in /proc/[0-9]*; do
		[ -d "$_d" ] && LEADERS=$((LEADERS + 1))
	done
}

# A pause that forks nothing (a read with a timeout on a FIFO nobody writes).
live_nap() {
	[ -p $_LIVE_FIFO ] || mkfifo $_LIVE_FIFO
	read -t "$1" _x <> $_LIVE_FIFO
}

# live_settled: true when views, selections and buffers are 0 and the entries
# equal the live thread-group leaders, counted before and after (retries for
# up to ~2 s while the worker catches up).  LIVE_WHY says what was seen.
live_settled() {
	_i=0
	while [ $_i -lt 20 ]; do
		live_leaders; _l0=$LEADERS
		live_read || { LIVE_WHY="no live counters in $VMI_STATS"; return 1; }
		live_leaders
		LIVE_WHY="entries $LV_entries (leaders $_l0/$LEADERS) views $LV_views selections $LV_selections buffers $LV_buffers"
		[ "$LV_views" = 0 ] && [ "$LV_selections" = 0 ] && [ "$LV_buffers" = 0 ] &&
			[ "$_l0" = "$LEADERS" ] && [ "$LV_entries" = "$LEADERS" ] && return 0
		live_nap 0.1
		_i=$((_i + 1))
	done
	return 1
}

# live_check NAME: after a test file that left no vmainfo file open.  Says
# nothing when the module is not loaded (its exit reports leaks in dmesg).
live_check() {
	[ -r $VMI_STATS ] || return 0
	if live_settled; then
		ok "live objects after $1: none left, entries = leaders ($LV_entries)"
	else
		not_ok "live objects after $1: $LIVE_WHY"
		{ ls /proc/vmainfo | grep '^[0-9][0-9]*$' | sort -n > /tmp/.live_e
		  ls -d /proc/[0-9]* | sed 's|/proc/||' | sort -n > /tmp/.live_p
		  diff /tmp/.live_p /tmp/.live_e; } 2>&1 | diag
	fi
}
