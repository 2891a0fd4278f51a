#!/usr/bin/env bash
# Fuzzes the spec loader, the CLI's value parsers and the client's answer decoding with
# libFuzzer, on the stable toolchain: libfuzzer-sys links libFuzzer, and rustc's own stable
# flags (-C passes=sancov-module, -C llvm-args=-sanitizer-coverage-*) give it coverage.
#
#   bash fuzz/run.sh [SECONDS]   each target for SECONDS (default 20); CI runs 15
#
# The corpus grows in target/fuzz/corpus/<target> (seeded from the real spec, the docs'
# command lines and the recorded answers); a finding is written to fuzz/artifacts/<target>/
# and fails the run. To replay one: target/fuzz/<host>/release/<target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds=${1:-20}
host=$(rustc -vV | sed -n 's/^host: //p')
export CARGO_TARGET_DIR="$PWD/../target/fuzz"
# Build scripts and proc macros are built for the host without these flags (--target).
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
cargo build --quiet --locked --release --target "$host" --bins

seeds="$CARGO_TARGET_DIR/seeds"
rm -rf "$seeds"
python3 seeds.py "$seeds"
status=0
for target in spec_loader cli_values answer; do
    corpus="$CARGO_TARGET_DIR/corpus/$target"
    mkdir -p "$corpus" "artifacts/$target"
    log="$CARGO_TARGET_DIR/$target.log"
    if ! "$CARGO_TARGET_DIR/$host/release/$target" "$corpus" "$seeds/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="artifacts/$target/" -print_final_stats=1 >"$log" 2>&1; then
        status=1
        echo "fuzz $target: FOUND a failure; see $log and fuzz/artifacts/$target/" >&2
        grep -E "panicked|ERROR|SUMMARY" "$log" | head -20 >&2 || true
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    echo "fuzz $target: ${runs:-?} executions in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs"
done
rmdir artifacts/* artifacts 2>/dev/null || true
exit $status
