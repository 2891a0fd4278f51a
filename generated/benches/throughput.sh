#!/usr/bin/env bash
# Throughput at Bitrix24's limits, side by side: oint (Rust API and CLI), fast-bitrix24 and
# the official b24pysdk (both from PyPI, in a virtualenv under target/bench-venv), each against
# a fresh emulator (release build) with Bitrix24's default limits (50 at once, 2 a second):
#   read   every lead of a portal holding $LEADS (default 100,000)
#   create $CREATE leads (default 1,000)
# For each: the wall time, the HTTP requests the emulator received, its 503 answers, and the
# items read or created. Prints a markdown table (BENCHMARKS.md has one).
#
#   bash generated/benches/throughput.sh          # RUNS=1 LEADS=100000 CREATE=1000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
leads="${LEADS:-100000}"
create="${CREATE:-1000}"
runs="${RUNS:-1}"
work="$root/target/throughput"
mkdir -p "$work"

cargo build --quiet --release -p oint --bin oint --example throughput
cargo build --quiet --release -p oint-emulator --bin oint-emulator
bin="${CARGO_TARGET_DIR:-$root/target}/release"
venv="$root/target/bench-venv"
if ! "$venv/bin/python" -c 'import fast_bitrix24, b24pysdk' 2>/dev/null; then
    echo "installing fast-bitrix24 1.8.14 and b24pysdk 1.3.2 into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check fast-bitrix24==1.8.14 b24pysdk==1.3.2
fi
python="$venv/bin/python"
peers="$root/generated/benches/peers"

# Starts an emulator holding $1 leads; sets $emulator (pid), $webhook and $base.
start_emulator() {
    "$bin/oint-emulator" --port 0 --leads "$1" > "$work/emulator.log" 2>&1 &
    emulator=$!
    for _ in $(seq 200); do
        webhook=$(sed -n 's/^webhook of user [0-9]*: //p' "$work/emulator.log")
        [ -n "$webhook" ] && break
        sleep 0.05
    done
    [ -n "$webhook" ] || { cat "$work/emulator.log" >&2; exit 1; }
    base="${webhook%%/rest/*}"
}

stats() {
    "$python" -c 'import json, sys, urllib.request
s = json.load(urllib.request.urlopen(sys.argv[1] + "/_emulator/stats"))
print(s["requests"], s["503"])' "$base"
}

now() { date +%s.%N; }

# run LABEL TASK LEADS FUNCTION: one measured run of FUNCTION (which uses $webhook and prints
# "... N leads ...") against a fresh emulator holding LEADS leads.
run() {
    local label="$1" task="$2" holding="$3" function="$4"
    start_emulator "$holding"
    local t0 t1 output items requests refused
    t0=$(now)
    output=$("$function" 2>&1) || { echo "$label $task failed: $output" >&2; kill "$emulator"; exit 1; }
    t1=$(now)
    # The count includes the stats request itself.
    read -r requests refused < <(stats)
    kill "$emulator"; wait "$emulator" 2>/dev/null || true
    items=$(printf '%s\n' "$output" | sed -n 's/.* \([0-9][0-9]*\) leads.*/\1/p' | tail -1)
    printf '| %s | %s | %.2f s | %s | %s | %s |\n' "$label" "$task" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" "$((requests - 1))" "$refused" "$items"
}

oint_api_read() { "$bin/examples/throughput" "$webhook" read; }
oint_api_create() { "$bin/examples/throughput" "$webhook" create "$create"; }
oint_cli_read() {
    "$bin/oint" bitrix24 GetLeadsList --url "$webhook" --all --out "$work/leads.json"
    "$python" -c 'import json, sys; print("read", len(json.load(open(sys.argv[1]))), "leads")' "$work/leads.json"
}
fast_read() { "$python" "$peers/fast_bitrix24_peer.py" "$webhook" 0 read; }
fast_create() { "$python" "$peers/fast_bitrix24_peer.py" "$webhook" "$create" create; }
sdk_read_fast() { "$python" "$peers/b24pysdk_peer.py" "$webhook" 0 read; }
sdk_read_list() { "$python" "$peers/b24pysdk_peer.py" "$webhook" 0 read-list; }
sdk_create() { "$python" "$peers/b24pysdk_peer.py" "$webhook" "$create" create; }

echo "| client | task | wall time | HTTP requests | 503 answers | items |"
echo "|-|-|-|-|-|-|"
for _ in $(seq "$runs"); do
    run "oint (Rust API)" "read $leads" "$leads" oint_api_read
    run "oint (CLI, --all)" "read $leads" "$leads" oint_cli_read
    run "fast-bitrix24 (get_all)" "read $leads" "$leads" fast_read
    run "b24pysdk (as_list_fast)" "read $leads" "$leads" sdk_read_fast
    run "b24pysdk (as_list)" "read $leads" "$leads" sdk_read_list
    run "oint (Rust API, batch)" "create $create" 0 oint_api_create
    run "fast-bitrix24 (call)" "create $create" 0 fast_create
    run "b24pysdk (call_batches)" "create $create" 0 sdk_create
done
