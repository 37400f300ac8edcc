# One iteration of the benchmark (make bench runs it in full): every number is produced.
rm -f /tmp/.tapn-bench
TAPN_FILE=/tmp/.tapn-bench BENCH_RUNS=1 BENCH_IMPACT_SECS=1 sh /vmainfo/tests/bench.sh | grep -v -e '^TAP version' -e '^1\.\.' | \
	sed -e 's/^ok [0-9]* - \[[^]]*\] /BENCHOK /' -e 's/^not ok [0-9]* - \[[^]]*\] /BENCHFAIL /' > /tmp/smoke.txt
grep '^# ' /tmp/smoke.txt
if grep -q '^BENCHOK' /tmp/smoke.txt; then ok "bench smoke: $(sed -n 's/^BENCHOK //p' /tmp/smoke.txt)"; else not_ok "bench smoke"; grep -v '^# ' /tmp/smoke.txt | diag; fi
