#!/usr/bin/env bash
# Installs every Debian package Tradewind needs to build, run and test. Idempotent.
# Usage: scripts/setup.sh [--runtime-only]   (needs root or sudo)
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config ccache git
  libcaf-dev librabbitmq-dev libpqxx-dev libpq-dev libboost-system-dev libboost-dev
  nlohmann-json3-dev prometheus-cpp-dev libcivetweb-dev zlib1g-dev libcurl4-openssl-dev
  libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev libsqlite3-dev libssl-dev
  libgtest-dev libgmock-dev
)
# What the test command needs beyond the build: services, tools, the browser, clang + libFuzzer.
service_pkgs=(rabbitmq-server postgresql curl python3 prometheus wrk chromium clang-15 libfuzzer-15-dev)

want=("${build_pkgs[@]}")
[ "${1:-}" = "--runtime-only" ] || want+=("${service_pkgs[@]}")
# The dashboard browser test needs npm (scripts/test.sh runs `npm ci` for playwright-core); a
# node.js from elsewhere (e.g. NodeSource) brings its own npm, and Debian's would conflict with it.
[ "${1:-}" = "--runtime-only" ] || command -v npm >/dev/null || want+=(npm)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#want[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d stops Debian's maintainer scripts from trying to start rabbitmq/postgres services
# (there is no systemd here; the test scripts start private instances themselves).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
