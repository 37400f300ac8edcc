# make stress: the stress test alone, STRESS_SECS long.
. /vmainfo/tests/lib.sh
echo "TAP version 13"
insmod /vmainfo/vmainfo.ko
cd /vmainfo/tests
announce_files t-80-stress.sh
run_file t-80-stress.sh
kmsg_clean stress
plan
