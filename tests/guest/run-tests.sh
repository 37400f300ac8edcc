# The guest test suite: every t-*.sh in order, with dmesg checked after each.
. /vmainfo/tests/lib.sh
echo "TAP version 13"
cd /vmainfo/tests
dmesg -c > /dev/null
# VMAINFO_TESTS: comma-separated globs, a subset to run (the debug guest of make check)
in_subset() {
	[ -z "${VMAINFO_TESTS:-}" ] && return 0
	for _g in $(echo "$VMAINFO_TESTS" | tr , ' '); do case $1 in $_g) return 0 ;; esac; done
	return 1
}
for f in t-*.sh; do
	in_subset $f || continue
	echo "# $f"
	# A test file that dies half-way (shell error) must not pass silently.
	( . ./$f; exit 0 ) || not_ok "$f ran to its end (it aborted)"
	dmesg_clean "$f"
done
echo "1..$(cat $TAPN_FILE)"
