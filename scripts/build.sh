#!/usr/bin/env bash
# Configures and builds Tradewind into build/ (Release, ccache when present).
# Usage: scripts/build.sh [TARGET...]   (no target = everything, tests and benchmarks included)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${TRADEWIND_BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
if [ $# -eq 0 ]; then
  cmake --build "$BUILD_DIR" -j "$JOBS"
else
  for t in "$@"; do cmake --build "$BUILD_DIR" -j "$JOBS" --target "$t"; done
fi
