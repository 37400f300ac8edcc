#!/bin/bash
# make check: host unit tests, then the guest suite on every guest kernel and,
# beside it, the Debian packages (tests/pkg/check-pkg.sh).
# Ends with the line "N passed, N failed, N skipped"; exits 0 only when nothing
# failed.  A skip is an "ok ... # SKIP reason" line: counted and listed apart.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
guest_only=0
[ "${1:-}" = --guest-only ] && { guest_only=1; shift; }
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || { echo "check.sh: no guest kernels (make deps)"; exit 2; }
log=$(mktemp -d "${TMPDIR:-/tmp}/vmainfo-check.XXXXXX")
trap 'rm -rf "$log"' EXIT
start=$(date +%s)
# timed FILE CMD...: run CMD, then write its wall time in seconds to FILE
timed() {
	local f=$1 t0 rc
	shift
	t0=$(date +%s)
	"$@"
	rc=$?
	echo $(( $(date +%s) - t0 )) > "$f"
	return $rc
}

if [ $guest_only = 0 ]; then
	echo "== host unit tests"
	"$top/tests/unit/run.sh" 2>&1 | tee "$log/unit.txt"
	rc=${PIPESTATUS[0]}
	# Unit tests that failed without saying which test failed still fail.
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$log/unit.txt"; then
		echo "not ok - host unit tests (tests/unit/run.sh exit $rc)" | tee -a "$log/unit.txt"
	fi
fi
# The guests run in parallel (each QEMU is one TCG thread); their TAP is
# printed in order once each has finished.
i=0
for k in "${kernels[@]}"; do
	i=$((i + 1))
	# Paging depth: the 6.1 guest runs with 4-level paging (no5lvl), the
	# 6.12 and sid's 7.x guests with 5-level (-cpu max has LA57), the arm64
	# guest with 52-bit VA (LPA2, 5 levels; -cpu max has it).  The x86
	# vsyscall gate area: 6.1 boots with vsyscall=xonly (the default of
	# Ubuntu, Fedora and defconfig kernels), 7.x with vsyscall=emulate, 6.12
	# with Debian's default, none.
	append=""
	depth[$i]="5-level paging"
	case $k in
	6.1.*) append="no5lvl vsyscall=xonly"; depth[$i]="4-level paging, vsyscall=xonly" ;;
	7.*-amd64) append="vsyscall=emulate"; depth[$i]="5-level paging, vsyscall=emulate" ;;
	*-arm64) depth[$i]="52-bit VA, LPA2, 5 levels" ;;
	esac
	GUEST_APPEND="$append" GUEST_LOG="$log/console-$i.txt" \
		timed "$log/time-$i" "$top/tests/run-guest.sh" "$k" > "$log/guest-$i.txt" 2>&1 &
	pids[$i]=$!
done
# --- Extra guests beside those above (make check's debug kernel, make
# check-debug's stress run): CHECK_EXTRA="KVER ... KVER@stress".  KVER runs
# the suite, only the tests matching CHECK_EXTRA_TESTS (comma-separated globs)
# if that is set; KVER@stress runs tests/guest/stress.sh for STRESS_SECS.
# An arm64 guest also runs with 48-bit VA (a CPU without LPA2, QEMU's
# lpa2=off: 4 levels), the proc and page-map tests (KVER@va48;
# CHECK_ARM64_VA48=0 leaves it out).
VA48_TESTS="t-10-*,t-20-*,t-30-*,t-32-*,t-33-*"
extras=${CHECK_EXTRA:-}
if [ "${CHECK_ARM64_VA48:-1}" != 0 ]; then
	for k in "${kernels[@]}"; do
		case $k in *-arm64) extras="$extras $k@va48" ;; esac
	done
fi
x=0
for e in $extras; do
	x=$((x + 1))
	k=${e%@stress}
	if [ "${e%@va48}" != "$e" ]; then
		GUEST_LPA2=off GUEST_ENV="${GUEST_ENV:-} VMAINFO_TESTS=$VA48_TESTS" \
			GUEST_LOG="$log/console-x$x.txt" \
			timed "$log/time-x$x" "$top/tests/run-guest.sh" "${e%@va48}" > "$log/guest-x$x.txt" 2>&1 &
	elif [ "$k" = "$e" ]; then
		GUEST_ENV="${GUEST_ENV:-} ${CHECK_EXTRA_TESTS:+VMAINFO_TESTS=$CHECK_EXTRA_TESTS}" \
			GUEST_LOG="$log/console-x$x.txt" \
			timed "$log/time-x$x" "$top/tests/run-guest.sh" "$k" > "$log/guest-x$x.txt" 2>&1 &
	else
		GUEST_ENV="${GUEST_ENV:-} STRESS_SECS=${STRESS_SECS:-60}" GUEST_LOG="$log/console-x$x.txt" \
			timed "$log/time-x$x" "$top/tests/run-guest.sh" --timeout $((${STRESS_SECS:-60} + 600)) \
			--script "$top/tests/guest/stress.sh" "$k" > "$log/guest-x$x.txt" 2>&1 &
	fi
	xpids[$x]=$!
done
# --- end of the extra guests' start
# --- The Debian packages (tests/pkg/check-pkg.sh) on the host, beside the
# guests: niced, its own two guests boot one after the other.  PKG_CHECK=0
# leaves it out (it installs and purges packages: for CI hosts).
if [ $guest_only = 0 ] && [ "${PKG_CHECK:-1}" != 0 ]; then
	timed "$log/time-pkg" nice -n 10 "$top/tests/pkg/check-pkg.sh" "${kernels[@]}" \
		> "$log/pkg.txt" 2>&1 &
	pkgpid=$!
fi
i=0
for k in "${kernels[@]}"; do
	i=$((i + 1))
	wait "${pids[$i]}"
	rc=$?
	# A guest run that failed without saying which test failed still fails.
	if [ $rc != 0 ] && ! grep -q '^not ok' "$log/guest-$i.txt"; then
		echo "not ok - $k: guest run failed (exit $rc)" >> "$log/guest-$i.txt"
	fi
	echo "== guest $k (${depth[$i]}; $(cat "$log/time-$i" 2>/dev/null)s)"
	cat "$log/guest-$i.txt"
	if [ -n "${VMAINFO_KEEP_LOGS:-}" ] && [ -f "$log/console-$i.txt" ]; then
		cp "$log/console-$i.txt" "$VMAINFO_KEEP_LOGS-$k.txt"
	fi
done
# --- The extra guests' results, counted with the others (guest-x*.txt)
x=0
for e in $extras; do
	x=$((x + 1))
	wait "${xpids[$x]}"
	rc=$?
	if [ $rc != 0 ] && ! grep -q '^not ok' "$log/guest-x$x.txt"; then
		echo "not ok - $e: guest run failed (exit $rc)" >> "$log/guest-x$x.txt"
	fi
	sub=""
	case $e in
	*@stress) ;;
	*@va48) sub=" (48-bit VA: CPU without LPA2, 4 levels; tests $VA48_TESTS)" ;;
	*) sub=${CHECK_EXTRA_TESTS:+ (tests $CHECK_EXTRA_TESTS)} ;;
	esac
	echo "== guest $e$sub ($(cat "$log/time-x$x" 2>/dev/null)s)"
	cat "$log/guest-x$x.txt"
	if [ -n "${VMAINFO_KEEP_LOGS:-}" ] && [ -f "$log/console-x$x.txt" ]; then
		cp "$log/console-x$x.txt" "$VMAINFO_KEEP_LOGS-$e.txt"
	fi
done
# --- end of the extra guests
if [ -n "${pkgpid:-}" ]; then
	wait "$pkgpid"
	rc=$?
	if [ $rc != 0 ] && ! grep -q '^not ok' "$log/pkg.txt"; then
		echo "not ok - pkg: tests/pkg/check-pkg.sh failed (exit $rc)" >> "$log/pkg.txt"
	fi
	echo "== Debian packages (tests/pkg/check-pkg.sh; $(cat "$log/time-pkg" 2>/dev/null)s)"
	cat "$log/pkg.txt"
fi
all=$(cat "$log"/unit.txt "$log"/guest-*.txt "$log"/pkg.txt 2>/dev/null)
skip_re='^ok .*#[[:space:]]*[Ss][Kk][Ii][Pp]([[:space:]]|$)'
failed=$(grep -E -c '^not ok( |$)' <<< "$all")
skipped=$(grep -E -c "$skip_re" <<< "$all")
passed=$(grep -E '^ok( |$)' <<< "$all" | grep -E -v -c "$skip_re")
echo "== $(( $(date +%s) - start ))s"
if [ "$skipped" -gt 0 ]; then
	echo "Skipped:"
	grep -E "$skip_re" <<< "$all"
fi
if [ "$failed" -gt 0 ]; then
	# Each failure with the diagnostics right after it (at most 12 lines):
	# the summary is what a CI log's tail keeps.
	echo "Failed:"
	awk '/^not ok( |$)/ { print; d = 12; next }
	     d > 0 && /^#/ { print "    " $0; d--; next }
	     { d = 0 }' <<< "$all"
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
	echo "no test ran"
	failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
