#include "bridge/metrics/node_metrics.hpp"

#include <array>
#include <mutex>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "bridge/metrics/process_metrics.hpp"

namespace tradewind::metrics {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

namespace {

std::string str(std::string_view s) {
  return std::string{s};
}

/// Latency buckets from 100 µs to 10 s.
prometheus::Histogram::BucketBoundaries latency_buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

} // namespace

struct node_metrics::impl {
  impl(std::string node, std::shared_ptr<prometheus::Collectable> node_families)
    : node_families(std::move(node_families)), registry(std::make_shared<prometheus::Registry>()),
      orders(BuildCounter().Name("tradewind_orders_total")
               .Help("Executor order reports by the status they carry.").Register(*registry)),
      decisions(BuildCounter().Name("tradewind_risk_decisions_total")
                  .Help("Risk decisions by outcome (approved|denied).").Register(*registry)),
      denials(BuildCounter().Name("tradewind_risk_denials_total")
                .Help("Denied order intents by stable reason code.").Register(*registry)),
      fills(BuildCounter().Name("tradewind_fills_total").Help("Fills received.").Register(*registry)),
      filled_notional(BuildCounter().Name("tradewind_filled_notional_total")
                        .Help("Sum of price x qty over fills, in quote currency.").Register(*registry)),
      equity(BuildGauge().Name("tradewind_equity").Help("Account equity in quote currency.").Register(*registry)),
      cash(BuildGauge().Name("tradewind_cash").Help("Account cash in quote currency.").Register(*registry)),
      pnl(BuildGauge().Name("tradewind_pnl").Help("Profit and loss in quote currency by kind (realized|unrealized).")
            .Register(*registry)),
      fees(BuildGauge().Name("tradewind_fees_paid").Help("Fees paid so far in quote currency.").Register(*registry)),
      hwm(BuildGauge().Name("tradewind_equity_high_water_mark").Help("Highest equity seen, quote currency.")
            .Register(*registry)),
      drawdown(BuildGauge().Name("tradewind_drawdown_ratio").Help("Drawdown from the high-water mark (0..1).")
                 .Register(*registry)),
      state(BuildGauge().Name("tradewind_trading_state")
              .Help("Trading state per scope: 1 for the current state (active|reducing|halted), 0 otherwise.")
              .Register(*registry)),
      tick_to_order(BuildHistogram().Name("tradewind_tick_to_order_latency_seconds")
                      .Help("Wall time from a bar reaching the node to the first report of the order it caused.")
                      .Register(*registry)),
      alerts(BuildCounter().Name("tradewind_alerts_total").Help("Alerts raised by severity and code.").Register(*registry)),
      events(BuildCounter().Name("tradewind_bridge_events_total").Help("Messages the bridge received per topic.")
               .Register(*registry)),
      event_time(BuildGauge().Name("tradewind_event_time_seconds")
                   .Help("Latest watermark per source (market|account|risk|executor), Unix seconds of event time.")
                   .Register(*registry)),
      end_of_stream(BuildGauge().Name("tradewind_end_of_stream")
                      .Help("1 once a source (market|strategy|risk|executor|account) announced end of stream, else 0.")
                      .Register(*registry)),
      account_lag(BuildGauge().Name("tradewind_account_lag_seconds")
                    .Help("Event-time distance between the market and account watermarks (pipeline backlog).")
                    .Register(*registry)),
      http_requests(BuildCounter().Name("tradewind_http_requests_total")
                      .Help("HTTP requests by route pattern, method and status.").Register(*registry)),
      http_duration(BuildHistogram().Name("tradewind_http_request_duration_seconds")
                      .Help("HTTP request handling time by route pattern and method.").Register(*registry)),
      rate_limited(BuildCounter().Name("tradewind_http_rate_limited_total")
                     .Help("Requests answered 429 by the per-key rate limit.").Register(*registry)
                     .Add({})),
      auth_failures(BuildCounter().Name("tradewind_http_auth_failures_total")
                      .Help("Requests that failed authentication, by reason; they write nothing else.")
                      .Register(*registry)),
      open_connections(BuildGauge().Name("tradewind_http_open_connections")
                         .Help("Connections the bridge holds (HTTP and WebSocket).").Register(*registry).Add({})),
      connections_refused(BuildCounter().Name("tradewind_http_connections_refused_total")
                            .Help("Connections accepted and refused at once, by reason.").Register(*registry)),
      accept_errors(BuildCounter().Name("tradewind_http_accept_errors_total")
                      .Help("Failed accepts by reason; the accept loop backs off after each.")
                      .Register(*registry)),
      stream_closed(BuildCounter().Name("tradewind_stream_closed_total")
                      .Help("WebSocket streams the bridge closed, by reason.").Register(*registry)),
      tls_failures(BuildCounter().Name("tradewind_http_tls_handshake_failures_total")
                     .Help("TLS handshakes the bridge refused or lost, by reason.").Register(*registry)),
      store_reachable(BuildGauge().Name("tradewind_store_reachable")
                        .Help("1 when the last store read succeeded, 0 otherwise.").Register(*registry).Add({})),
      store_read(BuildHistogram().Name("tradewind_store_read_duration_seconds")
                   .Help("Duration of the bridge's store reads.").Register(*registry)
                   .Add({}, latency_buckets())),
      stream_clients(BuildGauge().Name("tradewind_stream_clients").Help("Connected WebSocket clients.")
                       .Register(*registry).Add({})),
      stream_sent(BuildCounter().Name("tradewind_stream_events_sent_total")
                    .Help("Events queued to WebSocket clients.").Register(*registry).Add({})),
      stream_dropped(BuildCounter().Name("tradewind_stream_events_dropped_total")
                       .Help("Events dropped (oldest first) because a WebSocket client was too slow.")
                       .Register(*registry).Add({})),
      stream_depth(BuildGauge().Name("tradewind_stream_queue_depth")
                     .Help("Events waiting to be written over all WebSocket clients.").Register(*registry).Add({})),
      node_name(std::move(node)) {
    auto& info = BuildGauge().Name("tradewind_node_info").Help("Constant 1, labelled with the node name.")
                   .Register(*registry);
    info.Add({{"node", node_name}}).Set(1);
    tick_to_order_h = &tick_to_order.Add({}, latency_buckets());
  }

  std::shared_ptr<prometheus::Collectable> node_families;
  std::shared_ptr<prometheus::Registry> registry;
  prometheus::Family<prometheus::Counter>& orders;
  prometheus::Family<prometheus::Counter>& decisions;
  prometheus::Family<prometheus::Counter>& denials;
  prometheus::Family<prometheus::Counter>& fills;
  prometheus::Family<prometheus::Counter>& filled_notional;
  prometheus::Family<prometheus::Gauge>& equity;
  prometheus::Family<prometheus::Gauge>& cash;
  prometheus::Family<prometheus::Gauge>& pnl;
  prometheus::Family<prometheus::Gauge>& fees;
  prometheus::Family<prometheus::Gauge>& hwm;
  prometheus::Family<prometheus::Gauge>& drawdown;
  prometheus::Family<prometheus::Gauge>& state;
  prometheus::Family<prometheus::Histogram>& tick_to_order;
  prometheus::Histogram* tick_to_order_h = nullptr;
  prometheus::Family<prometheus::Counter>& alerts;
  prometheus::Family<prometheus::Counter>& events;
  prometheus::Family<prometheus::Gauge>& event_time;
  prometheus::Family<prometheus::Gauge>& end_of_stream;
  prometheus::Family<prometheus::Gauge>& account_lag;
  prometheus::Family<prometheus::Counter>& http_requests;
  prometheus::Family<prometheus::Histogram>& http_duration;
  prometheus::Counter& rate_limited;
  prometheus::Family<prometheus::Counter>& auth_failures;
  prometheus::Gauge& open_connections;
  prometheus::Family<prometheus::Counter>& connections_refused;
  prometheus::Family<prometheus::Counter>& accept_errors;
  prometheus::Family<prometheus::Counter>& stream_closed;
  prometheus::Family<prometheus::Counter>& tls_failures;
  prometheus::Gauge& store_reachable;
  prometheus::Histogram& store_read;
  prometheus::Gauge& stream_clients;
  prometheus::Counter& stream_sent;
  prometheus::Counter& stream_dropped;
  prometheus::Gauge& stream_depth;
  std::string node_name;
  process_collector process;
  std::mutex watermark_mtx;
  int64_t market_ms = 0;
  int64_t account_ms = 0;
};

node_metrics::node_metrics(std::string node_name, std::shared_ptr<prometheus::Collectable> node_families)
  : impl_(std::make_unique<impl>(std::move(node_name), std::move(node_families))) {
  // Pre-create the zero series so dashboards and `rate()` see them from the first scrape.
  for (auto s : {order_status::new_order, order_status::accepted, order_status::partially_filled,
                 order_status::filled, order_status::cancelled, order_status::rejected})
    impl_->orders.Add({{"status", str(to_string(s))}});
  impl_->decisions.Add({{"outcome", "approved"}});
  impl_->decisions.Add({{"outcome", "denied"}});
  impl_->fills.Add({});
  impl_->filled_notional.Add({});
  // Alert rules use increase() on these; a series born at 1 would show no increase.
  for (const char* code : {"breaker_tripped", "store_commit_failed", "store_open_failed"})
    impl_->alerts.Add({{"severity", str(to_string(severity::critical))}, {"code", code}});
  impl_->alerts.Add({{"severity", str(to_string(severity::warning))}, {"code", "breaker_tripped"}});
  set_trading_state(scope_kind::node, "", trading_state::active);
}

node_metrics::~node_metrics() = default;

prometheus::Registry& node_metrics::registry() {
  return *impl_->registry;
}

void node_metrics::on_order(const order& o) {
  impl_->orders.Add({{"status", str(to_string(o.status))}}).Increment();
}

void node_metrics::on_decision(const risk_decision& d) {
  impl_->decisions.Add({{"outcome", d.approved ? "approved" : "denied"}}).Increment();
  if (!d.approved)
    impl_->denials.Add({{"reason", str(to_string(d.reason))}}).Increment();
}

void node_metrics::on_fill(const fill& f) {
  impl_->fills.Add({}).Increment();
  impl_->filled_notional.Add({}).Increment(f.price.to_double() * f.qty.to_double());
}

void node_metrics::on_snapshot(const account_snapshot& s) {
  impl_->equity.Add({}).Set(s.equity.to_double());
  impl_->cash.Add({}).Set(s.cash.to_double());
  impl_->pnl.Add({{"kind", "realized"}}).Set(s.realized_pnl.to_double());
  impl_->pnl.Add({{"kind", "unrealized"}}).Set(s.unrealized_pnl.to_double());
  impl_->fees.Add({}).Set(s.fees_paid.to_double());
  impl_->hwm.Add({}).Set(s.high_water_mark.to_double());
  impl_->drawdown.Add({}).Set(s.drawdown_pct.to_double() / 100.0);
}

void node_metrics::set_trading_state(scope_kind scope, const std::string& scope_id, trading_state st) {
  for (auto s : {trading_state::active, trading_state::reducing, trading_state::halted})
    impl_->state
      .Add({{"scope", str(to_string(scope))}, {"scope_id", scope_id}, {"state", str(to_string(s))}})
      .Set(s == st ? 1 : 0);
}

void node_metrics::observe_tick_to_order(double seconds) {
  impl_->tick_to_order_h->Observe(seconds);
}

void node_metrics::on_alert(const alert& a) {
  impl_->alerts.Add({{"severity", str(to_string(a.level))}, {"code", a.code}}).Increment();
}

void node_metrics::on_bridge_event(const char* topic) {
  impl_->events.Add({{"topic", topic}}).Increment();
}

void node_metrics::on_watermark(const watermark& wm) {
  // Sources are a small fixed set; "strategy:<id>" is folded into "strategy".
  auto source = wm.source.rfind("strategy:", 0) == 0 ? std::string{"strategy"} : wm.source;
  impl_->event_time.Add({{"source", source}}).Set(static_cast<double>(wm.ts_ms) / 1000.0);
  // Lets "pipeline stalled" alerts tell a finished replay from a stuck feed.
  impl_->end_of_stream.Add({{"source", source}}).Set(wm.end_of_stream ? 1 : 0);
  std::lock_guard<std::mutex> guard{impl_->watermark_mtx};
  if (wm.source == "market")
    impl_->market_ms = wm.ts_ms;
  else if (wm.source == "account")
    impl_->account_ms = wm.ts_ms;
  else
    return;
  if (impl_->market_ms != 0 && impl_->account_ms != 0)
    impl_->account_lag.Add({}).Set(static_cast<double>(impl_->market_ms - impl_->account_ms) / 1000.0);
}

void node_metrics::on_http_request(const std::string& route, const std::string& method, int status,
                                   double seconds) {
  impl_->http_requests.Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}})
    .Increment();
  impl_->http_duration.Add({{"route", route}, {"method", method}}, latency_buckets()).Observe(seconds);
}

void node_metrics::on_rate_limited() {
  impl_->rate_limited.Increment();
}

void node_metrics::on_auth_failure(const char* reason) {
  impl_->auth_failures.Add({{"reason", reason}}).Increment();
}

void node_metrics::set_open_connections(int64_t n) {
  impl_->open_connections.Set(static_cast<double>(n));
}

void node_metrics::on_connection_refused(const char* reason) {
  impl_->connections_refused.Add({{"reason", reason}}).Increment();
}

void node_metrics::on_accept_error(const char* reason) {
  impl_->accept_errors.Add({{"reason", reason}}).Increment();
}

void node_metrics::on_stream_closed(const char* reason) {
  impl_->stream_closed.Add({{"reason", reason}}).Increment();
}

void node_metrics::on_tls_handshake_failure(const char* reason) {
  impl_->tls_failures.Add({{"reason", reason}}).Increment();
}

void node_metrics::on_store_read(bool ok, double seconds) {
  impl_->store_reachable.Set(ok ? 1 : 0);
  if (ok)
    impl_->store_read.Observe(seconds);
}

void node_metrics::set_stream_clients(int64_t n) {
  impl_->stream_clients.Set(static_cast<double>(n));
}

void node_metrics::on_stream_sent(int64_t n) {
  impl_->stream_sent.Increment(static_cast<double>(n));
}

void node_metrics::on_stream_dropped(int64_t n) {
  impl_->stream_dropped.Increment(static_cast<double>(n));
}

void node_metrics::set_stream_queue_depth(int64_t n) {
  impl_->stream_depth.Set(static_cast<double>(n));
}

std::string node_metrics::serialize() const {
  auto families = impl_->registry->Collect();
  auto append = [&families](std::vector<prometheus::MetricFamily> more) {
    families.insert(families.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  };
  if (impl_->node_families)
    append(impl_->node_families->Collect());
  append(impl_->process.Collect());
  return prometheus::TextSerializer{}.Serialize(families);
}

} // namespace tradewind::metrics
