#!/bin/sh
# Runs each libFuzzer target of `make fuzz` for a bounded time over a working
# copy of its committed seed corpus (new inputs land in build-fuzz/corpus/,
# never in the source tree); a crash leaves crash-* in build-fuzz/ and fails.
#   scripts/run-fuzzers.sh BUILD_DIR SECONDS
set -eu
build=${1:-build-fuzz}
seconds=${2:-10}
src=$(cd "$(dirname "$0")/.." && pwd)
for target in crm_intake kiosk_replies; do
    work="$build/corpus/$target"
    mkdir -p "$work"
    echo "fuzz_$target: $seconds s"
    ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build/bin/fuzz_$target" -max_total_time="$seconds" -max_len=70000 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$build/" -print_final_stats=1 "$work" "$src/tests/fuzz/corpus/$target"
done
