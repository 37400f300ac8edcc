# The guest test suite: every t-*.sh in order, with dmesg checked after each.
. /vmainfo/tests/lib.sh
echo "TAP version 13"
cd /vmainfo/tests
dmesg -c > /dev/null
for f in t-*.sh; do
	echo "# $f"
	# A test file that dies half-way (shell error) must not pass silently.
	( . ./$f; exit 0 ) || not_ok "$f ran to its end (it aborted)"
	dmesg_clean "$f"
	live_check "$f"
done
echo "1..$(cat $TAPN_FILE)"
