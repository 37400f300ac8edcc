# The guest test suite: every t-*.sh in order, with dmesg checked after each.
. /vmainfo/tests/lib.sh
echo "TAP version 13"
cd /vmainfo/tests
dmesg -c > /dev/null
for f in t-*.sh; do
	echo "# $f"
	( . ./$f )
	dmesg_clean "$f"
done
echo "1..$(cat $TAPN_FILE)"
