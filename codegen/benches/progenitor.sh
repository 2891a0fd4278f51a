#!/usr/bin/env bash
# oint against progenitor on the same methods, in one run (issue 13's comparisons):
#   1. generation, as a whole process: oint-codegen writing all its outputs (Rust, docs pages,
#      OpenAPI) against cargo-progenitor writing its client crate, from the same methods;
#   2. lines of generated client code per operation (doc comments and blank lines not counted);
#   3. rebuild of the generated crate after a touch of its source (oint: also after a spec edit,
#      when build.rs regenerates), paired: one of each in turn, median of RUNS;
#   4. a one-line consumer's cold build (crates compiled, wall time), one after the other.
#
#   bash codegen/benches/progenitor.sh          # METHODS=1000 RUNS=3 by default
#
# The methods are a synthetic spec (oint_codegen::synthetic, shaped like Bitrix24's); progenitor
# reads the OpenAPI document oint-codegen writes for it. cargo-progenitor is installed under
# target/compare/tools the first time (minutes); everything else lives under target/compare.
# Prints a markdown table (BENCHMARKS.md keeps one) and leaves the raw numbers in
# target/compare/results.tsv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/target/compare"
methods="${METHODS:-1000}"
runs="${RUNS:-3}"
progenitor_version="0.15.1"
mkdir -p "$work"
cd "$root"

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b - a}'; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }
code_lines() { grep -cvE '^\s*(///|//!|//|$)' "$@"; }
quietly() { "$@" > "$work/step.log" 2>&1 || { cat "$work/step.log" >&2; exit 1; }; }

echo "== tools" >&2
quietly cargo build --release -p oint-codegen --features synthetic --bin oint-codegen \
    --example synthetic_spec
generator="$root/target/release/oint-codegen"
synthetic_spec="$root/target/release/examples/synthetic_spec"
progenitor="$work/tools/bin/cargo-progenitor"
# (cargo-progenitor's `--version` is the version of the crate it writes: the install record
# tells which version is installed.)
if ! grep -qs "cargo-progenitor $progenitor_version " "$work/tools/.crates.toml"; then
    quietly cargo install cargo-progenitor --version "$progenitor_version" --locked \
        --root "$work/tools"
fi

echo "== the same $methods methods for both" >&2
rm -rf "$work/spec" "$work/gen-oint" "$work/gen-progenitor"
"$synthetic_spec" "$methods" "$work/spec" 2> /dev/null
"$generator" openapi --spec "$work/spec" --out "$work/synthetic.json" > /dev/null

echo "== 1. generation, whole process" >&2
gen_oint=()
gen_progenitor=()
for _ in $(seq "$runs"); do
    rm -rf "$work/gen-oint" "$work/gen-progenitor"
    start=$(now)
    quietly "$generator" generate --spec "$work/spec" --root "$work/gen-oint"
    gen_oint+=("$(seconds "$start" "$(now)")")
    start=$(now)
    "$progenitor" progenitor -i "$work/synthetic.json" -o "$work/gen-progenitor" \
        -n synthetic-progenitor -v 0.1.0 > "$work/step.log" 2>&1 ||
        { cat "$work/step.log" >&2; exit 1; }
    gen_progenitor+=("$(seconds "$start" "$(now)")")
done
t_gen_oint=$(printf '%s\n' "${gen_oint[@]}" | median)
t_gen_progenitor=$(printf '%s\n' "${gen_progenitor[@]}" | median)

echo "== 2. lines per operation" >&2
oint_client="$work/gen-oint/generated/src/generated/synthetic_client.rs"
progenitor_lib="$work/gen-progenitor/src/lib.rs"
functions=$(grep -c "Pending<'_," "$oint_client")
[ "$functions" -eq "$methods" ] || { echo "$oint_client has $functions methods" >&2; exit 1; }
operations=$(grep -c '"operationId"' "$work/synthetic.json")
[ "$operations" -eq "$methods" ] || { echo "the document has $operations operations" >&2; exit 1; }
lines_oint=$(code_lines "$oint_client")
lines_progenitor=$(code_lines "$progenitor_lib")

echo "== 3. the crates, built once" >&2
# oint: a copy of the workspace with the synthetic spec in place of spec/ (its own target).
ws="$work/ws"
rm -rf "$ws" && mkdir -p "$ws"
cp Cargo.toml Cargo.lock "$ws/"
tar -C "$root" --exclude=generated/site --exclude=generated/docs --exclude=generated/openapi \
    -cf - codegen runtime generated emulator tests | tar -C "$ws" -xf -
cp -r "$work/spec" "$ws/spec"
rm -rf "$ws/generated/src/generated"
cp -r "$work/gen-oint/generated/src/generated" "$ws/generated/src/generated"
export CARGO_TARGET_DIR="$work/target-oint"
(cd "$ws" && quietly cargo build -p oint --lib --no-default-features --features regenerate)
# A workspace of its own (it lies under this repository's).
printf '\n[workspace]\n' >> "$work/gen-progenitor/Cargo.toml"
(cd "$work/gen-progenitor" && CARGO_TARGET_DIR="$work/target-progenitor" \
    quietly cargo build --lib)

# Median wall time of `cargo build ARGS` in DIR after touching FILE; TARGET is its target dir.
build_after() {
    local dir="$1" target="$2" file="$3"; shift 3
    touch "$file"
    local start
    start=$(now)
    (cd "$dir" && CARGO_TARGET_DIR="$target" quietly cargo build "$@")
    seconds "$start" "$(now)"
}
touch_oint=()
spec_oint=()
touch_progenitor=()
# A spec edit: one method's description changes a word; build.rs regenerates.
method_files=("$ws"/spec/synthetic/methods/*.yaml)
edited="${method_files[0]}"
for i in $(seq "$runs"); do
    touch_oint+=("$(build_after "$ws" "$work/target-oint" "$ws/generated/src/lib.rs" \
        -p oint --lib --no-default-features --features regenerate)")
    touch_progenitor+=("$(build_after "$work/gen-progenitor" "$work/target-progenitor" \
        "$progenitor_lib" --lib)")
    sed -i "s/^description: \"/description: \"Edit $i. /" "$edited"
    spec_oint+=("$(build_after "$ws" "$work/target-oint" "$edited" \
        -p oint --lib --no-default-features --features regenerate)")
done
t_touch_oint=$(printf '%s\n' "${touch_oint[@]}" | median)
t_spec_oint=$(printf '%s\n' "${spec_oint[@]}" | median)
t_touch_progenitor=$(printf '%s\n' "${touch_progenitor[@]}" | median)

echo "== 4. a one-line consumer's cold build" >&2
# Each consumer gets its own empty target directory; the crates are fetched before the clock
# starts, so that only compiling is timed.
consumer() {
    local name="$1" dependency="$2" line="$3" lock="${4:-}"
    local dir="$work/consumer-$name"
    rm -rf "$dir" && mkdir -p "$dir/src"
    # oint's consumer takes the versions oint is tested with; progenitor's resolves its own.
    [ -z "$lock" ] || cp "$lock" "$dir/Cargo.lock"
    printf '[package]\nname = "consumer-%s"\nversion = "0.1.0"\nedition = "2024"\n\n[dependencies]\n%s\n\n[workspace]\n' \
        "$name" "$dependency" > "$dir/Cargo.toml"
    printf 'fn main() {\n    %s\n}\n' "$line" > "$dir/src/main.rs"
    (cd "$dir" && quietly cargo fetch)
    local start
    start=$(now)
    (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build --offline > "$dir/build.log" 2>&1) ||
        { cat "$dir/build.log" >&2; exit 1; }
    printf '%s\t%s\n' "$(seconds "$start" "$(now)")" "$(grep -c ' Compiling ' "$dir/build.log")"
}
read -r t_cold_oint crates_oint < <(consumer oint \
    "oint = { path = \"$ws/generated\", default-features = false }" \
    'println!("{}", oint::synthetic::Client::webhook("https://example.invalid/rest/1/x/").is_ok());' \
    "$root/Cargo.lock")
# progenitor's crate turns reqwest's default features off, TLS among them: its consumer turns
# on the TLS oint's client has (rustls), or it could not call an https API.
read -r t_cold_progenitor crates_progenitor < <(consumer progenitor \
    "synthetic-progenitor = { path = \"$work/gen-progenitor\" }
reqwest = { version = \"0.13\", default-features = false, features = [\"rustls\"] }" \
    'let _client = synthetic_progenitor::Client::new("https://example.invalid/rest"); println!("true");')
unset CARGO_TARGET_DIR

results="$work/results.tsv"
{
    printf 'what\toint\tprogenitor\n'
    printf 'generation_s\t%s\t%s\n' "$t_gen_oint" "$t_gen_progenitor"
    printf 'code_lines\t%s\t%s\n' "$lines_oint" "$lines_progenitor"
    printf 'touch_rebuild_s\t%s\t%s\n' "$t_touch_oint" "$t_touch_progenitor"
    printf 'spec_edit_rebuild_s\t%s\t\n' "$t_spec_oint"
    printf 'consumer_cold_s\t%s\t%s\n' "$t_cold_oint" "$t_cold_progenitor"
    printf 'consumer_crates\t%s\t%s\n' "$crates_oint" "$crates_progenitor"
} > "$results"

python3 - "$results" "$methods" "$runs" "$progenitor_version" <<'PY'
import csv, sys
rows = {r["what"]: r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t")}
n, runs, version = int(sys.argv[2]), sys.argv[3], sys.argv[4]
f = lambda key, side: float(rows[key][side])
ratio = lambda key: f(key, "oint") / f(key, "progenitor")
print(f"{n} synthetic methods; oint against cargo-progenitor {version}; times are medians of {runs} runs.")
print()
print("| | oint | progenitor | oint ÷ progenitor |")
print("|-|-|-|-|")
print(f"| generation, whole process (oint: Rust, docs and OpenAPI; progenitor: its crate) | {f('generation_s','oint'):.2f} s | {f('generation_s','progenitor'):.2f} s | {ratio('generation_s'):.2f} |")
print(f"| generated client code per operation (lines, no comments) | {f('code_lines','oint')/n:.1f} | {f('code_lines','progenitor')/n:.1f} | {ratio('code_lines'):.2f} |")
print(f"| rebuild of the crate after a touch | {f('touch_rebuild_s','oint'):.2f} s | {f('touch_rebuild_s','progenitor'):.2f} s | {ratio('touch_rebuild_s'):.2f} |")
print(f"| oint: rebuild after a spec edit (build.rs regenerates) against progenitor's touch | {f('spec_edit_rebuild_s','oint'):.2f} s | {f('touch_rebuild_s','progenitor'):.2f} s | {f('spec_edit_rebuild_s','oint')/f('touch_rebuild_s','progenitor'):.2f} |")
print(f"| a one-line consumer, cold build | {f('consumer_cold_s','oint'):.1f} s | {f('consumer_cold_s','progenitor'):.1f} s | {ratio('consumer_cold_s'):.2f} |")
print(f"| crates that consumer compiles | {int(f('consumer_crates','oint'))} | {int(f('consumer_crates','progenitor'))} | {ratio('consumer_crates'):.2f} |")
PY
