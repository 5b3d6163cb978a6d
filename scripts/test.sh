#!/usr/bin/env bash
# README command 2: install everything, build, start private RabbitMQ and PostgreSQL
# instances, run the whole test suite, and stop the services again (also on failure).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
scripts/setup.sh
python3 scripts/check_layers.py
# The whole suite runs on the Release build (build/, shared with scripts/demo.sh). A sanitizer
# build is one flag away (TRADEWIND_CMAKE_ARGS=-DTRADEWIND_SANITIZE=address,undefined with
# TRADEWIND_BUILD_DIR=build-asan) but is not part of CI yet: see README, Development.
export TRADEWIND_BUILD_DIR=${TRADEWIND_BUILD_DIR:-build}
export TRADEWIND_CMAKE_ARGS=${TRADEWIND_CMAKE_ARGS:--DTRADEWIND_SANITIZE=}
scripts/build.sh

SERVICES=${TRADEWIND_SERVICES_DIR:-/tmp/tradewind-test-services}
# Below the ephemeral range (32768-60999): while a broker restarts, reconnecting clients could
# otherwise self-connect to its free port and keep it from listening again (EADDRINUSE).
export TW_RMQ_PORT=${TW_RMQ_PORT:-24672} TW_RMQ_MGMT_PORT=${TW_RMQ_MGMT_PORT:-24673}
export TW_PG_PORT=${TW_PG_PORT:-24432}
export TW_TEST_PG_URL="postgresql://tradewind:tradewind@127.0.0.1:${TW_PG_PORT}/tradewind"
export TW_TEST_AMQP_URL="amqp://guest:guest@127.0.0.1:${TW_RMQ_PORT}/"
export TW_TEST_RMQ_MGMT_URL="http://guest:guest@127.0.0.1:${TW_RMQ_MGMT_PORT}"
export TW_TEST_RMQ_CTL="$ROOT/scripts/services/rmqctl.sh $SERVICES/rmq"

# Absolute paths: the EXIT trap runs from build/.
stop_services() {
  RMQ_FAST_STOP=1 "$ROOT/scripts/services/rmq_stop.sh" "$SERVICES/rmq" --purge >/dev/null 2>&1 || true
  "$ROOT/scripts/services/pg_stop.sh" "$SERVICES/pg" --purge >/dev/null 2>&1 || true
}
trap stop_services EXIT
stop_services
PG_PORT=$TW_PG_PORT scripts/services/pg_start.sh "$SERVICES/pg"
RMQ_PORT=$TW_RMQ_PORT RMQ_MGMT_PORT=$TW_RMQ_MGMT_PORT scripts/services/rmq_start.sh "$SERVICES/rmq"

# Browser test dependencies (playwright-core, exact version in tests/dashboard/package-lock.json).
# Without them the dashboard test skips, which fails a CI run (scripts/run_ctest.sh): fail here, early.
if ! (cd tests/dashboard && npm ci --no-audit --no-fund --loglevel=error); then
  echo "test.sh: npm ci in tests/dashboard failed: the dashboard browser test cannot run" >&2
  [ "${CI:-}" = "true" ] && exit 1
fi

(cd "$TRADEWIND_BUILD_DIR" && "$ROOT/scripts/run_ctest.sh" --output-on-failure --timeout 900 -j "${JOBS:-2}" "$@")

# Every parser of outside bytes under libFuzzer for a bounded time (only for the full suite).
if [ $# -eq 0 ]; then
  scripts/fuzz.sh "${FUZZ_SECONDS:-45}"
fi
