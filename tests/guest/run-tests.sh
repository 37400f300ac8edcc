# The guest test suite: every t-*.sh in order, each in a subshell, with the
# kernel log (all of it, from init's /dev/kmsg reader) checked after each.
# lib.sh's run_file brackets each file with begin/end lines that the host
# checks against the list announced here.
. /vmainfo/tests/lib.sh
echo "TAP version 13"
cd /vmainfo/tests
# VMAINFO_TESTS: comma-separated globs, a subset to run (the debug guest of make check)
in_subset() {
	[ -z "${VMAINFO_TESTS:-}" ] && return 0
	for _g in $(echo "$VMAINFO_TESTS" | tr , ' '); do case $1 in $_g) return 0 ;; esac; done
	return 1
}
files=$(for f in t-*.sh; do in_subset $f && echo $f; done)
announce_files $files
for f in $files; do
	run_file "$f"
	kmsg_clean "$f"
	live_check "$f"
done
plan
