#!/usr/bin/env bash
# README command 1: install what is missing, build, and run a single paper-trading node on
# the bundled sample data (embedded SQLite store, no broker or database server needed).
# Usage: scripts/demo.sh [CONFIG]   (default config/examples/paper.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --runtime-only
scripts/build.sh tradewind
exec build/tradewind run --config "${1:-config/examples/paper.yaml}"
