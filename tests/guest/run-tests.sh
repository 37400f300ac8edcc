# The guest test suite: every t-*.sh in order, each in a subshell, with the
# kernel log (all of it, from init's /dev/kmsg reader) checked after each.
# lib.sh's run_file brackets each file with begin/end lines that the host
# checks against the list announced here.
. /vmainfo/tests/lib.sh
echo "TAP version 13"
cd /vmainfo/tests
files=$(ls t-*.sh)
announce_files $files
for f in $files; do
	run_file "$f"
	kmsg_clean "$f"
	live_check "$f"
done
plan
