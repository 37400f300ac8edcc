# make stress: the stress test alone, STRESS_SECS long.
. /vmainfo/tests/lib.sh
echo "TAP version 13"
insmod /vmainfo/vmainfo.ko
cd /vmainfo/tests
dmesg -c > /dev/null
( . ./t-80-stress.sh; exit 0 ) || not_ok "t-80-stress.sh ran to its end (it aborted)"
dmesg_clean stress
echo "1..$(cat $TAPN_FILE)"
