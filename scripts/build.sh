#!/usr/bin/env bash
# Configures and builds Tradewind into build/ (Release, ccache when present).
# Usage: scripts/build.sh [TARGET...]   (no target = everything, tests and benchmarks included)
# env: TRADEWIND_BUILD_DIR (build), TRADEWIND_CMAKE_ARGS (extra cmake options, e.g. the
# sanitizer build of scripts/test.sh: -DTRADEWIND_SANITIZE=address,undefined), JOBS
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${TRADEWIND_BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
# shellcheck disable=SC2086 # TRADEWIND_CMAKE_ARGS is a list of options
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release ${TRADEWIND_CMAKE_ARGS:-} >/dev/null
if [ $# -eq 0 ]; then
  cmake --build "$BUILD_DIR" -j "$JOBS"
else
  for t in "$@"; do cmake --build "$BUILD_DIR" -j "$JOBS" --target "$t"; done
fi
