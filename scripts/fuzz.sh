#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang++-15, ASan + UBSan) into build-fuzz/ and runs each
# for a bounded time on its committed seed corpus, two at a time. Any crash, leak, sanitizer
# report or timeout fails the run; the reproducer is kept in build-fuzz/artifacts/.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 60 s, every target)
# A longer hunt: scripts/fuzz.sh 600 fuzz_json_envelope   (new inputs go to build-fuzz/corpus/)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_EACH=${1:-60}
shift || true
BUILD=${TRADEWIND_FUZZ_BUILD_DIR:-build-fuzz}
CXX_FUZZ=${CXX_FUZZ:-clang++-15}

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$CXX_FUZZ" \
  -DTRADEWIND_FUZZ=ON -DTRADEWIND_BUILD_TESTS=OFF -DTRADEWIND_BUILD_BENCH=OFF >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
fi
cmake --build "$BUILD" -j "${JOBS:-$(nproc)}" --target "${targets[@]}"

mkdir -p "$BUILD/artifacts" "$BUILD/logs"
run_one() {
  local t=$1 work="$BUILD/corpus/$1"
  if ! ls "$ROOT/fuzz/corpus/$t"/* >/dev/null 2>&1; then
    echo "fuzz: $t has no committed seeds in fuzz/corpus/$t (git keeps no empty folder)" >&2
    return 1
  fi
  mkdir -p "$work"
  # The committed seeds stay read-only input; what the run finds goes to build-fuzz/corpus/.
  if "$BUILD/fuzz/$t" "$work" "$ROOT/fuzz/corpus/$t" -max_total_time="$SECONDS_EACH" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t-" \
      >"$BUILD/logs/$t.log" 2>&1; then
    echo "fuzz: $t ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$BUILD/logs/$t.log" | grep -o '[0-9]*$') runs in ${SECONDS_EACH} s)"
  else
    echo "fuzz: $t FAILED — reproducer in $BUILD/artifacts/, log $BUILD/logs/$t.log:" >&2
    tail -40 "$BUILD/logs/$t.log" >&2
    return 1
  fi
}
export -f run_one
export BUILD ROOT SECONDS_EACH
printf '%s\n' "${targets[@]}" | xargs -P "${FUZZ_JOBS:-2}" -I{} bash -c 'run_one {}'
