#!/usr/bin/env bash
# Fuzzes every domain parser (fuzz/fuzz_targets: NIR, SIRET, e-mail, opening hours, dates, …) for SECONDS each
# (default 10) with cargo-fuzz and libFuzzer; fails on the first crash, whose input is left in fuzz/artifacts/.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
case "$seconds" in '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac
scripts/ensure-tools.sh fuzz
source scripts/env.sh
export CARGO_INCREMENTAL=0
# cargo-fuzz passes nightly-only flags (-Zsanitizer, -Cpasses=sancov…); the stable toolchain accepts them this way.
export RUSTC_BOOTSTRAP=1
# No sanitizer: the domain forbids unsafe code, so AddressSanitizer would find nothing and only slow the build.
# Debug assertions on, so that an arithmetic overflow is a crash too. 16 codegen units instead of cargo-fuzz's 1:
# the app crate (UI included) then builds in a fraction of the time, for slightly slower runs.
fuzz_flags=(--sanitizer none --debug-assertions --codegen-units 16)

echo "==> Building the fuzz targets"
cargo fuzz build "${fuzz_flags[@]}"
log=$(mktemp /tmp/ep-fuzz.XXXXXX)
trap 'rm -f "$log"' EXIT
for target in $(cargo fuzz list); do
  mkdir -p "fuzz/corpus/$target"
  seeds=()
  [ ! -d "fuzz/seeds/$target" ] || seeds=("fuzz/seeds/$target")
  # The first folder gathers the inputs found (kept between runs, ignored by git); the seeds are only read.
  if ! cargo fuzz run "${fuzz_flags[@]}" "$target" "fuzz/corpus/$target" "${seeds[@]+"${seeds[@]}"}" -- \
      -max_total_time="$seconds" -timeout=5 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz target $target crashed: the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "==> $target: ${runs:-?} inputs in ${seconds}s, no crash"
done
echo "==> Every fuzz target ran ${seconds}s without a crash"
