#!/usr/bin/env bash
# Size and compile cost of the generated crate, for synthetic specs of 50 and 500 methods:
# lines of generated client code per method (generated/src/generated/synthetic_client.rs), and the time to
# rebuild the `oint` crate after a touch, with every dependency prebuilt; then the slope per
# method between the two sizes.
#
#   bash codegen/benches/generated_size.sh            # SIZES="50 500" RUNS=3 by default
#
# A copy of the workspace under target/generated-size/ws takes each synthetic spec in turn in
# place of spec/, with its own target directory target/generated-size/target (the dependencies
# are built there once, then kept). The first run builds them: minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/target/generated-size"
read -r -a sizes <<< "${SIZES:-50 500}"
runs="${RUNS:-3}"
mkdir -p "$work"

cd "$root"
cargo build --quiet -p oint-codegen --features synthetic --example synthetic_spec
synthetic_spec="$root/target/debug/examples/synthetic_spec"
export CARGO_TARGET_DIR="$work/target"

now() { date +%s.%N; }

# Median wall time of `cargo build ARGS` after touching FILE, over $runs runs.
rebuild() {
    local file="$1"; shift
    local times=()
    for _ in $(seq "$runs"); do
        touch "$file"
        local start end
        start=$(now)
        cargo build --quiet "$@" 2> "$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
        end=$(now)
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'
}

results="$work/results.tsv"
printf 'methods\tclient_lines\tclient_code_lines\tcli_lines\trebuild_client_s\trebuild_client_cli_s\trebuild_after_spec_s\n' > "$results"
# One copy of the workspace; each size replaces its spec/. (Copies at other paths would share
# the crate's artifacts in the target directory: cargo hashes a member's path relative to its
# workspace root.)
ws="$work/ws"
rm -rf "$work"/ws*
mkdir -p "$ws"
cp Cargo.toml Cargo.lock "$ws/"
tar -C "$root" --exclude=generated/site --exclude=generated/docs --exclude=generated/openapi \
    -cf - codegen runtime generated emulator tests | tar -C "$ws" -xf -
for n in "${sizes[@]}"; do
    rm -rf "$ws/spec"
    "$synthetic_spec" "$n" "$ws/spec" 2> /dev/null
    cd "$ws"

    # Prebuild both feature sets (the library alone, and with the CLI); `regenerate` writes the
    # synthetic spec's code into src/generated/.
    cargo build --quiet -p oint --lib --no-default-features --features regenerate 2> "$work/build.log" ||
        { cat "$work/build.log" >&2; exit 1; }
    cargo build --quiet -p oint --lib --features regenerate 2> "$work/build.log" ||
        { cat "$work/build.log" >&2; exit 1; }
    out_dir="$ws/generated/src/generated"
    client="$out_dir/synthetic_client.rs"
    # Each API method returns a call not sent yet.
    functions=$(grep -c "Pending<'_," "$client")
    if [ "$functions" -ne "$n" ]; then
        echo "$client has $functions methods, not $n" >&2
        exit 1
    fi
    client_lines=$(wc -l < "$client")
    # Code: not a doc comment, not blank.
    code_lines=$(grep -cvE '^\s*(///|//!|$)' "$client")
    cli_lines=$(wc -l < "$out_dir/cli.rs")

    # The crate alone after a touch of its source: what a user's build pays when oint is
    # rebuilt; with and without the CLI (default feature).
    t_client=$(rebuild "$ws/generated/src/lib.rs" -p oint --lib --no-default-features --features regenerate)
    t_cli=$(rebuild "$ws/generated/src/lib.rs" -p oint --lib --features regenerate)
    # After a spec change: build.rs runs the generator (a debug build), then the crate.
    t_spec=$(rebuild "$ws/spec/synthetic/library.yaml" -p oint --lib --features regenerate)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$client_lines" "$code_lines" "$cli_lines" \
        "$t_client" "$t_cli" "$t_spec" >> "$results"
    cd "$root"
done

python3 - "$results" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| methods | client lines | per method | code lines per method (no doc comments) | CLI lines per method | rebuild, client only (s) | rebuild, client + CLI (s) | rebuild after a spec change (s) |")
print("|-|-|-|-|-|-|-|-|")
for r in rows:
    n = int(r["methods"])
    print(f"| {n} | {r['client_lines']} | {int(r['client_lines'])/n:.1f} | {int(r['client_code_lines'])/n:.1f} | "
          f"{int(r['cli_lines'])/n:.1f} | {r['rebuild_client_s']} | {r['rebuild_client_cli_s']} | {r['rebuild_after_spec_s']} |")
if len(rows) >= 2:
    a, b = rows[0], rows[-1]
    dn = int(b["methods"]) - int(a["methods"])
    slope = lambda key, scale=1: (float(b[key]) - float(a[key])) / dn * scale
    print()
    print(f"Slope per method between {a['methods']} and {b['methods']} methods:")
    print(f"- client: {slope('client_lines'):.1f} lines ({slope('client_code_lines'):.1f} of code), CLI: {slope('cli_lines'):.1f} lines")
    print(f"- rebuild, client only: {slope('rebuild_client_s', 1000):.2f} ms; client + CLI: {slope('rebuild_client_cli_s', 1000):.2f} ms; "
          f"after a spec change: {slope('rebuild_after_spec_s', 1000):.2f} ms")
PY
