#!/bin/bash
# The CLI's parser: fixtures (parse_test.c), then a bounded libFuzzer run.
# Both under ASan and UBSan with -fno-sanitize-recover=all: undefined
# behaviour aborts like a memory error, and a program that aborts or exits
# non-zero is a failure even if the TAP it printed so far was all "ok".
# Exits non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/unit
mkdir -p "$out"
# The CLI's own flags and parser sources, from the Makefile (one definition).
cd "$top" || exit 1
src=$(make -s --no-print-directory print-unit-srcs)
flags="$(make -s --no-print-directory print-user-cflags CFLAGS=-g)"
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fail=0
# The sanitizer's report from a log: its first lines, else the log's tail.
report() {
	{ grep -m1 -A14 -E 'ERROR: (AddressSanitizer|libFuzzer)|runtime error:' "$1" || tail -n 15 "$1"; } |
		sed 's/^/# /'
}
# shellcheck disable=SC2086
if ! cc $flags $san -o "$out/parse_test" "$top/tests/unit/parse_test.c" $src; then
	echo "not ok - parser: unit tests build"; exit 1
fi
# Every header key module/header.c prints (parse_test.c checks them against the ABI table).
keys=$(grep -o 'VMAINFO_HDR_[a-z][a-z0-9_]*' "$top/module/header.c" | sed 's/^VMAINFO_HDR_//')
# shellcheck disable=SC2086
"$out/parse_test" $keys 2> "$out/parse_test.err"
rc=$?
# Its stderr holds the CLI's own diagnostics for the bad inputs it is fed;
# a sanitizer report there fails it even if the exit status were 0.
if [ $rc = 0 ] && ! grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$out/parse_test.err"; then
	echo "ok - parser: parse_test ran to its end (exit 0, no sanitizer report)"
else
	echo "not ok - parser: parse_test ran to its end (exit $rc, stderr below)"
	report "$out/parse_test.err"
	fail=1
fi
if ! clang $flags -O1 -fsanitize=fuzzer $san -o "$out/fuzz_parse" \
	"$top/tests/unit/fuzz_parse.c" $src 2> "$out/fuzz-build.log"; then
	echo "not ok - parser: fuzzer builds"; sed 's/^/# /' "$out/fuzz-build.log" | head; exit 1
fi
corpus=$out/fuzz-corpus
mkdir -p "$corpus"
cp "$top"/tests/unit/fixtures/parse/* "$corpus/" 2>/dev/null
secs=${FUZZ_SECS:-30}
if "$out/fuzz_parse" -max_total_time="$secs" -max_len=4096 -timeout=5 \
	-artifact_prefix="$out/" "$corpus" \
	> "$out/fuzz.log" 2>&1; then
	echo "ok - parser: ${secs}s of libFuzzer found no crash ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/fuzz.log" | tail -1; grep -o '#[0-9]*.*DONE' "$out/fuzz.log" | tail -1))"
else
	echo "not ok - parser: libFuzzer found a crash"; report "$out/fuzz.log"
	fail=1
fi
exit $fail
