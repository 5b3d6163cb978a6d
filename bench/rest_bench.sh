#!/usr/bin/env bash
# REST API under load (wrk, Debian package): requests/s and latency p50/p99 of
# GET /api/v1/positions and POST /api/v1/orders, next to a baseline measured in the same run
# (GET /api/v1/live: routing, no auth, no work) and their ratios to it. Prints one JSON line.
#
# Usage: bench/rest_bench.sh [--url http://127.0.0.1:8080 --token TOKEN] [--duration S]
#                            [--connections N] [--threads N]
# Without --url it starts its own node (build/tradewind, or $TW_BINARY) with the bridge on
# an endless synthetic feed, a trade-scope key and rate limits out of the way. With --url,
# the token needs the trade scope and the node's rate limit must allow the load (429s are
# counted in non_2xx_3xx). Every POST is a real manual order through the risk gate.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
URL="" TOKEN="" DURATION=10 CONNECTIONS=16 THREADS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --url) URL=$2; shift 2 ;;
    --token) TOKEN=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "rest_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "rest_bench: wrk not found (Debian package wrk; scripts/setup.sh installs it)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/tw-rest-bench.XXXXXX)
NODE_PID=""
cleanup() {
  if [ -n "$NODE_PID" ]; then kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "$URL" ]; then
  BIN=${TW_BINARY:-$ROOT/build/tradewind}
  [ -x "$BIN" ] || { echo "rest_bench: $BIN not built (scripts/build.sh tradewind)" >&2; exit 2; }
  TOKEN=$("$BIN" apikey create --scope trade --name rest-bench --keys-file "$WORK/keys.json" | sed -n 's/^token: //p')
  cat > "$WORK/node.yaml" <<YAML
node:
  name: rest-bench
collector:
  mode: synthetic
  speed: 20
  synthetic:
    symbols: [SYNTHUSDT]
    seed: 7
    interval_ms: 1000
    bars: 0
    start_time_ms: $(($(date +%s) * 1000))
strategies:
  - id: s1
    fast: 2
    slow: 5
    order_notional: 2000
    qty_step: 0.001
store:
  url: sqlite:$WORK/store.db
bridge:
  enabled: true
  port: 0
  keys_file: $WORK/keys.json
  audit_log: $WORK/audit.jsonl
  rate_limit_per_s: 100000000
  burst: 100000000
YAML
  "$BIN" run -c "$WORK/node.yaml" > "$WORK/node.log" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 1 300); do
    PORT=$(sed -n 's/.*event=bridge_listening address=[^ ]* port=\([0-9]*\).*/\1/p' "$WORK/node.log" | head -1)
    [ -n "$PORT" ] && break
    kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/node.log" >&2; exit 1; }
    sleep 0.2
  done
  [ -n "${PORT:-}" ] || { echo "rest_bench: node did not start; log:" >&2; cat "$WORK/node.log" >&2; exit 1; }
  URL="http://127.0.0.1:$PORT"
fi

# run NAME METHOD PATH [BODY]: one wrk run; its JSON figures go to $WORK/NAME.json.
run() {
  local name=$1 method=$2 path=$3 body=${4:-}
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s -s "$ROOT/bench/rest_bench.lua" \
    "$URL$path" -- "$method" "$TOKEN" "$body" | grep '^{"requests"' > "$WORK/$name.json"
}

wrk -t 1 -c 4 -d 2s "$URL/api/v1/live" > /dev/null # warm-up: connections, caches
run baseline GET /api/v1/live
run positions GET /api/v1/positions
run orders POST /api/v1/orders '{"symbol":"SYNTHUSDT","side":"buy","qty":"0.001"}'
curl -fsS -o /dev/null "$URL/api/v1/live" || { echo "rest_bench: the node no longer answers after the load" >&2; exit 1; }

python3 - "$WORK" "$DURATION" "$CONNECTIONS" "$THREADS" "$URL" <<'PY'
import json, sys
work, duration, connections, threads, url = sys.argv[1:]
def figures(name, route):
    r = json.load(open(f"{work}/{name}.json"))
    rps = r["requests"] / (r["duration_us"] / 1e6)
    return {"route": route, "requests": r["requests"], "req_per_s": round(rps, 1),
            "p50_ms": r["p50_us"] / 1000, "p99_ms": r["p99_us"] / 1000, "mean_ms": round(r["mean_us"] / 1000, 3),
            "non_2xx_3xx": r["non_2xx_3xx"], "socket_errors": r["socket_errors"]}
base = figures("baseline", "GET /api/v1/live")
out = {"bench": "rest_api", "tool": "wrk", "url": url, "duration_s": int(duration),
       "connections": int(connections), "threads": int(threads), "baseline": base}
for name, route in (("positions", "GET /api/v1/positions"), ("orders", "POST /api/v1/orders")):
    f = figures(name, route)
    f["req_per_s_vs_baseline"] = round(f["req_per_s"] / base["req_per_s"], 3) if base["req_per_s"] else None
    f["p99_vs_baseline"] = round(f["p99_ms"] / base["p99_ms"], 2) if base["p99_ms"] else None
    out[name] = f
print(json.dumps(out))
PY
