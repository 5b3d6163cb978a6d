#pragma once
// The metrics the bridge exports at /metrics: order flow, risk, trading state, account,
// HTTP and stream figures, plus process_*, plus the node's own registry (per-actor, store
// and AMQP link figures, defined by their owners: actors/core/metrics_registry.hpp). The
// families below are defined here once; the bridge actor and the HTTP server update them
// (prometheus-cpp metrics are thread-safe).

#include <cstdint>
#include <memory>
#include <string>

#include "schemas/control.hpp"
#include "schemas/enums.hpp"
#include "schemas/trading.hpp"

namespace prometheus {
class Collectable;
class Registry;
} // namespace prometheus

namespace tradewind::metrics {

/// Owns a prometheus registry with every Tradewind metric family. Shared (shared_ptr) by
/// the bridge actor (writer of order-flow figures) and the HTTP threads (HTTP figures,
/// serialization). Every method is thread-safe.
class node_metrics {
public:
  /// `node_families`: the node's registry (node_context::metrics), serialized with these
  /// families; may be null.
  explicit node_metrics(std::string node_name, std::shared_ptr<prometheus::Collectable> node_families = nullptr);
  ~node_metrics();
  node_metrics(const node_metrics&) = delete;
  node_metrics& operator=(const node_metrics&) = delete;

  /// One executor order report: tradewind_orders_total{status}.
  void on_order(const order& o);
  /// tradewind_risk_decisions_total{outcome} and tradewind_risk_denials_total{reason}.
  void on_decision(const risk_decision& d);
  /// tradewind_fills_total and tradewind_filled_notional_total.
  void on_fill(const fill& f);
  /// Account gauges: equity, cash, PnL, fees, high-water mark, drawdown ratio.
  void on_snapshot(const account_snapshot& s);
  /// tradewind_trading_state{scope,scope_id,state}: 1 for the current state, 0 for the others.
  void set_trading_state(scope_kind scope, const std::string& scope_id, trading_state state);
  /// tradewind_tick_to_order_latency_seconds: wall time from the bar reaching the node to
  /// the executor's first report of the order it caused.
  void observe_tick_to_order(double seconds);
  /// tradewind_alerts_total{severity,code}.
  void on_alert(const alert& a);
  /// tradewind_bridge_events_total{topic}: messages the bridge actor received per topic.
  void on_bridge_event(const char* topic);
  /// Event-time progress: tradewind_event_time_seconds{source}, tradewind_end_of_stream{source}
  /// and tradewind_account_lag_seconds.
  void on_watermark(const watermark& wm);

  /// tradewind_http_requests_total{route,method,status} and the duration histogram.
  void on_http_request(const std::string& route, const std::string& method, int status, double seconds);
  /// tradewind_http_rate_limited_total.
  void on_rate_limited();
  /// tradewind_http_auth_failures_total{reason}: requests that failed authentication
  /// (missing_token, invalid_token, address_limited). Nothing else is written for them.
  void on_auth_failure(const char* reason);
  /// tradewind_http_open_connections: connections the bridge holds (HTTP and WebSocket).
  void set_open_connections(int64_t n);
  /// tradewind_http_connections_refused_total{reason}: accepted then refused at once
  /// (at_capacity: bridge.max_connections reached, answered 503; fd_exhausted: out of descriptors).
  void on_connection_refused(const char* reason);
  /// tradewind_http_accept_errors_total{reason}: failed accepts (emfile, enfile, other); the
  /// accept loop backs off after each.
  void on_accept_error(const char* reason);
  /// tradewind_stream_closed_total{reason}: WebSocket streams the bridge closed (key_revoked).
  void on_stream_closed(const char* reason);
  /// tradewind_http_tls_handshake_failures_total{reason}; `reason` is one of a fixed set
  /// (bridge/rest/server.cpp: plain_http, not_tls, protocol_version, bad_certificate, timeout, closed, other).
  void on_tls_handshake_failure(const char* reason);
  /// tradewind_store_reachable (1/0) and tradewind_store_read_duration_seconds.
  void on_store_read(bool ok, double seconds);

  /// tradewind_stream_clients gauge.
  void set_stream_clients(int64_t n);
  /// tradewind_stream_events_sent_total / tradewind_stream_events_dropped_total.
  void on_stream_sent(int64_t n);
  void on_stream_dropped(int64_t n);
  /// tradewind_stream_queue_depth: events waiting over all WebSocket clients.
  void set_stream_queue_depth(int64_t n);

  /// Prometheus text exposition format (0.0.4) of every family, the node's registry and
  /// process_* included.
  std::string serialize() const;

  prometheus::Registry& registry();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tradewind::metrics
