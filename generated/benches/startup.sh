#!/usr/bin/env bash
# Start-up time of the `oint` binary (release build): `oint --help`, the library's help and a
# method's help. With hyperfine when it is installed (Debian: apt-get install -y hyperfine),
# else (or with NO_HYPERFINE=1) 50 runs of each timed by this script. `true` is the floor: what
# starting any process costs here.
#
#   bash generated/benches/startup.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cargo build --quiet --release -p oint --bin oint
oint="${CARGO_TARGET_DIR:-$root/target}/release/oint"
runs="${RUNS:-50}"
commands=("$(command -v true)" "$oint --help" "$oint bitrix24 --help" "$oint bitrix24 DeleteUserFromChat --help")

if [ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine > /dev/null; then
    hyperfine --shell=none --warmup 5 --runs "$runs" "${commands[@]}"
    exit
fi
echo "without hyperfine: $runs runs of each, timed with date" >&2
for command in "${commands[@]}"; do
    read -r -a argv <<< "$command"
    for _ in 1 2 3 4 5; do "${argv[@]}" > /dev/null; done
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "${argv[@]}" > /dev/null
        end=$(date +%s%N)
        echo $(((end - start) / 1000))
    done | sort -n | awk -v c="${command#"$root"/}" '
        {t[NR] = $1; s += $1}
        END {printf "%s: mean %.2f ms, median %.2f ms, min %.2f ms (%d runs)\n",
             c, s / NR / 1000, t[int((NR + 1) / 2)] / 1000, t[1] / 1000, NR}'
done
