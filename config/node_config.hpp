#pragma once
// Typed configuration of one Tradewind node. Every field documents its YAML key, meaning
// and default; config/loader.hpp fills and validates these structs.

#include <cstdint>
#include <string>
#include <vector>

#include "schemas/control.hpp"
#include "schemas/enums.hpp"
#include "schemas/fixed.hpp"

namespace tradewind {

/// `log.*`
struct log_config {
  std::string level = "info";  ///< log.level: trace|debug|info|warn|error
  std::string format = "text"; ///< log.format: text|json (one JSON object per line)
};

/// Input file format of a replay feed.
enum class feed_format : uint8_t {
  candles, ///< open_time_ms,open,high,low,close,volume
  trades,  ///< timestamp_ms,trade_id,side,price,amount
};

/// `collector.feeds[]`: one CSV file replayed as one symbol.
struct feed_config {
  std::string symbol;                    ///< symbol: required, e.g. BTCUSDT
  std::string path;                      ///< path: required; relative paths resolve against the config file
  feed_format format = feed_format::candles; ///< format: candles|trades
};

/// `collector.synthetic`: seeded random walk for demos.
struct synthetic_config {
  std::vector<std::string> symbols{"SYNTHUSDT"}; ///< symbols
  uint64_t seed = 42;                  ///< seed: same seed → same prices
  fixed start_price = fixed::from_int<100>(); ///< start_price: > 0
  fixed volatility_bps = fixed::from_int<20>(); ///< volatility_bps: per-bar std-dev, (0, 1000]
  int64_t interval_ms = 60'000;        ///< interval_ms: bar length, > 0
  uint64_t bars = 2'000;               ///< bars: bars per symbol; 0 = endless
  int64_t start_time_ms = 1'672'531'200'000; ///< start_time_ms: first bar's open time
};

/// `collector.*`
struct collector_config {
  std::string mode = "replay";         ///< mode: replay|synthetic
  std::vector<feed_config> feeds;      ///< feeds: required when mode = replay
  synthetic_config synthetic;          ///< synthetic: used when mode = synthetic
  fixed speed;                         ///< speed: 0 = full speed; 1 = real time; 60 = 60× real time
  uint64_t max_ahead = 4096;           ///< max_ahead: events emitted beyond the account watermark before pausing
};

/// `strategies[]`: one moving-average crossover instance. The inherited strategy_params
/// (schemas/control.hpp) are the keys a running node may change through strategy_update:
/// fast (>= 1, default 10), slow (> fast, default 30), order_notional (> 0, default 1000),
/// qty_step (> 0, default 0.00001), allow_short (default false).
struct strategy_config : strategy_params {
  std::string id;                      ///< id: required, unique, [a-z0-9_-]+
  std::string type = "ma_crossover";   ///< type: ma_crossover
  std::vector<std::string> symbols;    ///< symbols: empty = every symbol of the feed
  bool enabled = true;                 ///< enabled
};

/// The parameters of `s` a running node may change (strategy_update).
inline strategy_params params_of(const strategy_config& s) {
  return static_cast<const strategy_params&>(s);
}

/// `s` with its tunable parameters replaced by `p`.
inline strategy_config with_params(strategy_config s, const strategy_params& p) {
  static_cast<strategy_params&>(s) = p;
  return s;
}

/// `risk.*`: pre-trade limits — the same struct the risk gate applies and the REST API changes
/// at run time (schemas/control.hpp risk_limits documents each key, its default and rule):
/// max_position_pct, max_order_notional, max_open_orders, price_collar_bps,
/// max_orders_per_window, rate_window_ms, daily_loss_limit_pct, max_drawdown_pct.
using risk_config = risk_limits;

/// `executor.*`: paper fill model.
struct executor_config {
  int64_t fee_bps = 10;                ///< fee_bps: fee on notional, [0, 1000]
  int64_t slippage_bps = 5;            ///< slippage_bps: adverse price move on market orders, [0, 1000]
  fixed max_participation_pct = fixed::from_int<100>(); ///< max_participation_pct: share of a bar's volume one order may take, (0, 100]
};

/// `portfolio.*`
struct portfolio_config {
  fixed initial_cash = fixed::from_int<100'000>(); ///< initial_cash: quote currency, > 0
  std::string quote_currency = "USDT";           ///< quote_currency
};

/// `notifier.webhooks[]`: JSON POST of each alert.
struct webhook_config {
  std::string url;                     ///< url: required, http://host[:port]/path
  severity min_severity = severity::warning; ///< min_severity: info|warning|critical
  int max_retries = 3;                 ///< max_retries: [0, 10]
  int64_t initial_backoff_ms = 200;    ///< initial_backoff_ms: doubles on every retry, > 0
  int64_t timeout_ms = 2'000;          ///< timeout_ms: per attempt, > 0
  /// headers: extra request headers (name → value, e.g. Authorization), in file order.
  /// Their values are secrets: never logged, never shown in a config error.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// `notifier.*`
struct notifier_config {
  severity log_min_severity = severity::info; ///< log_min_severity: alerts at or above go to the log
  std::vector<webhook_config> webhooks;       ///< webhooks
};

/// `store.*`
struct store_config {
  /// url: sqlite:PATH (relative to the working directory; created and migrated on start) or
  /// postgresql://user:pass@host[:port]/db[?params] (migrate with `tradewind db migrate`).
  /// Never printed with its password.
  std::string url = "sqlite:tradewind.db";
  int batch_size = 500;                ///< batch_size: records per transaction, >= 1
  int64_t flush_interval_ms = 200;     ///< flush_interval_ms: max time a record waits, > 0
  int pool_size = 4;                   ///< pool_size: PostgreSQL connections at most, >= 1 (ignored for SQLite)
  int64_t connect_timeout_ms = 5'000;  ///< connect_timeout_ms: per PostgreSQL connection attempt, > 0 (whole seconds are used, rounded up)
  /// max_pending_records: when the store writer holds more uncommitted records than this (the
  /// store is down or too slow), it alerts `store_backlog` and halts trading on the node
  /// (control_command halt); records are never dropped. >= 1
  int64_t max_pending_records = 20'000;
};

/// `supervisor.*`
struct supervisor_config {
  int max_restarts = 5;                ///< max_restarts: per child within window_ms before escalation, >= 1
  int64_t window_ms = 60'000;          ///< window_ms: > 0
  int64_t initial_backoff_ms = 50;     ///< initial_backoff_ms: first restart delay, doubles each time, > 0
  int64_t max_backoff_ms = 5'000;      ///< max_backoff_ms: >= initial_backoff_ms
};

/// `bridge.tls.*`: HTTPS and WSS on the bridge port instead of plain HTTP. Both files are
/// checked at load (readable PEM, the key matches the certificate); their contents are never logged.
struct bridge_tls_config {
  std::string cert_file;            ///< cert_file: PEM certificate chain, leaf first; relative to the config file; empty = plain HTTP
  std::string key_file;             ///< key_file: unencrypted PEM private key of the leaf certificate; required with cert_file
  std::string min_version = "1.2";  ///< min_version: oldest TLS version accepted, 1.2|1.3

  /// True when the bridge serves HTTPS/WSS.
  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
};

/// `bridge.*`: the REST/WebSocket API, `/metrics` and the dashboard (bridge/rest/).
struct bridge_config {
  bool enabled = false;                ///< enabled: start the HTTP server with the node
  std::string listen_address = "127.0.0.1"; ///< listen_address: IPv4/IPv6 literal to bind; loopback by default
  int port = 8080;                     ///< port: [0, 65535]; 0 = ephemeral, the bound port is logged as `event=bridge_listening ... port=N`
  std::string keys_file;               ///< keys_file: API keys (JSON, `tradewind apikey create`); relative to the config file; empty = every /api/v1 call but health is 401
  std::string audit_log = "tradewind-audit.jsonl"; ///< audit_log: JSON lines of every mutating call (relative to the working directory)
  int64_t rate_limit_per_s = 20;       ///< rate_limit_per_s: sustained requests per second per API key, > 0
  int64_t burst = 40;                  ///< burst: token-bucket size per API key, >= 1
  int64_t preauth_rate_limit_per_s = 2; ///< preauth_rate_limit_per_s: failed authentications per second per source address before its failures are answered 429 instead of 401, > 0
  int64_t preauth_burst = 20;          ///< preauth_burst: failed authentications an address may make at once, >= 1
  int64_t max_connections = 256;       ///< max_connections: open HTTP + WebSocket connections; more are answered 503 and closed, [1, 100000]
  int64_t max_body_bytes = 65'536;     ///< max_body_bytes: larger request bodies get 413, > 0
  int64_t request_timeout_ms = 10'000; ///< request_timeout_ms: time to read one request before the connection closes, > 0
  int64_t ws_queue_limit = 1'000;      ///< ws_queue_limit: events buffered per WebSocket client before the oldest is dropped, >= 1
  bridge_tls_config tls;               ///< tls: optional HTTPS/WSS (no plain HTTP on the port then)
};

/// `amqp.*`: the RabbitMQ link of a node started with `tradewind run --node NAME --topology FILE`
/// (bridge/amqp/). Ignored by single-process runs.
struct amqp_config {
  std::string url = "amqp://guest:guest@127.0.0.1:5672/"; ///< url: amqp://user:pass@host:port/ (the vhost comes from the topology; the password is never logged)
  int prefetch = 256;                  ///< prefetch: basic.qos unacknowledged deliveries per consumer, [1, 65535]
  int confirm_batch = 100;             ///< confirm_batch: publisher confirms awaited every N messages, [1, max_in_flight]
  int max_in_flight = 1'000;           ///< max_in_flight: unconfirmed messages before the publisher blocks for confirms, >= 1
  int heartbeat_s = 10;                ///< heartbeat_s: AMQP heartbeat interval, [1, 600] (rabbitmq-c defaults to off)
  int64_t reconnect_initial_ms = 200;  ///< reconnect_initial_ms: first reconnect delay, doubles each failed attempt, > 0
  int64_t reconnect_max_ms = 5'000;    ///< reconnect_max_ms: cap of the reconnect delay, >= reconnect_initial_ms
  int64_t dedupe_window = 100'000;     ///< dedupe_window: message ids remembered per consumer to drop re-published duplicates, >= 1
  int64_t membership_interval_ms = 5'000; ///< membership_interval_ms: a node's heartbeat period on the system exchange, [100, 600000]
  int membership_lost_after = 3;       ///< membership_lost_after: heartbeat periods of silence before a node is lost (node_lost, failover), [2, 100]
  int64_t connect_alert_interval_ms = 30'000; ///< connect_alert_interval_ms: a link actor alerts the first refused connection attempt of an outage, then at most one per interval (0: every attempt), >= 0
};

/// The whole node.
struct node_config {
  std::string node_name = "node-1";    ///< node.name
  int threads = 2;                     ///< node.threads: CAF scheduler workers, [1, 64]
  log_config log;
  collector_config collector;
  std::vector<strategy_config> strategies;
  risk_config risk;
  executor_config executor;
  portfolio_config portfolio;
  notifier_config notifier;
  store_config store;
  supervisor_config supervisor;
  bridge_config bridge;
  amqp_config amqp;
};

} // namespace tradewind
