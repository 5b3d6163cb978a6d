#include "bridge/rest/rest_bridge.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <set>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/instrument.hpp"
#include "actors/core/metrics_registry.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/core/unexpected.hpp"
#include "bridge/metrics/node_metrics.hpp"
#include "bridge/rest/api.hpp"
#include "bridge/rest/api_keys.hpp"
#include "bridge/rest/audit_log.hpp"
#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/dashboard.hpp"
#include "bridge/rest/server.hpp"
#include "bridge/rest/store_reader.hpp"
#include "schemas/json/codec.hpp"

namespace tradewind {

namespace {

using publish_atom = caf::atom_constant<caf::atom("publish")>;
using steady = std::chrono::steady_clock;

/// Wall time each recent bar reached the bridge, to measure bar → first order report.
class tick_to_order_tracker {
public:
  void on_bar(const std::string& symbol, int64_t event_ms) {
    auto& q = seen_[symbol];
    q.emplace_back(event_ms, steady::now());
    if (q.size() > 256)
      q.pop_front();
  }

  /// Seconds since the bar the order was created at, for the first report of each order.
  std::optional<double> on_order(const order& o) {
    if (!reported_.insert(o.client_order_id).second)
      return std::nullopt;
    if (reported_.size() > 100'000)
      reported_.clear();
    auto it = seen_.find(o.symbol);
    if (it == seen_.end())
      return std::nullopt;
    for (auto e = it->second.rbegin(); e != it->second.rend(); ++e)
      if (e->first == o.created_ts_ms)
        return std::chrono::duration<double>(steady::now() - e->second).count();
    return std::nullopt;
  }

private:
  std::map<std::string, std::deque<std::pair<int64_t, steady::time_point>>> seen_;
  std::set<std::string> reported_;
};

struct bridge_actor_state {
  std::shared_ptr<node_context> ctx;
  std::shared_ptr<rest::bridge_state> model;
  std::shared_ptr<metrics::node_metrics> metrics;
  std::unique_ptr<rest::http_server> server; // destroyed (stopped) with the actor's state
  caf::group control;
  caf::group orders;
  tick_to_order_tracker latency;
};

using bridge_actor = caf::stateful_actor<bridge_actor_state>;

/// Queues the envelope of `msg` for stream clients of `topic`; encodes only when someone listens.
template <class T>
void stream(bridge_actor* self, rest::stream_topic topic, const T& msg) {
  auto& srv = self->state.server;
  if (!srv || srv->stream_clients() == 0)
    return;
  srv->publish(topic, std::make_shared<const std::string>(json::to_envelope(msg)));
}

void publish_states(bridge_actor* self, const std::vector<rest::scope_state>& changed) {
  for (const auto& s : changed)
    self->state.metrics->set_trading_state(s.scope, s.scope_id, s.state);
}

int64_t wall(bridge_actor* self) {
  return self->state.ctx->wall_clock_ms();
}

void start_server(bridge_actor* self, const bridge_config& cfg, const node_config& node) {
  auto& st = self->state;
  rest::api_deps deps;
  deps.cfg = node;
  deps.cfg.bridge = cfg;
  deps.state = st.model;
  deps.metrics = st.metrics;
  deps.keys = std::make_shared<rest::key_ring>(cfg.keys_file);
  auto metrics = st.metrics;
  deps.store = std::make_shared<rest::store_reader>(node.store, [metrics](bool ok, double s) { metrics->on_store_read(ok, s); });
  // The states a restarted risk gate restores: shown (and exported) from the start.
  if (deps.store->shareable()) {
    auto states = deps.store->trading_states();
    if (!states)
      st.ctx->log->warn("event=bridge_trading_states_unread error=\"{}\"", states.error());
    else if (!states.value().empty())
      for (const auto& s : st.model->restore(states.value()))
        st.metrics->set_trading_state(s.scope, s.scope_id, s.state);
  }
  deps.audit = std::make_shared<rest::audit_log>(cfg.audit_log, deps.store);
  if (!deps.audit->is_open())
    st.ctx->log->error("event=bridge_audit_unavailable path=\"{}\"", cfg.audit_log);
  // Weak: the HTTP threads must not keep a stopped bridge alive.
  caf::actor_addr addr = self->address();
  auto to_self = [addr](auto msg) {
    if (auto handle = caf::actor_cast<caf::actor>(addr))
      caf::anon_send(handle, publish_atom::value, std::move(msg));
  };
  deps.publish_control = to_self;
  deps.publish_intent = to_self;
  deps.publish_cancel = to_self;
  deps.publish_limits = to_self;
  deps.publish_strategy = to_self;
  deps.wall_clock_ms = st.ctx->wall_clock_ms;
  deps.dashboard_html = rest::dashboard_html();
  deps.log = st.ctx->log;
  auto handler = std::make_shared<rest::api>(std::move(deps));
  rest::server_options opts;
  opts.address = cfg.listen_address;
  opts.port = static_cast<uint16_t>(cfg.port);
  opts.max_body_bytes = cfg.max_body_bytes;
  opts.request_timeout_ms = cfg.request_timeout_ms;
  opts.ws_queue_limit = static_cast<size_t>(cfg.ws_queue_limit);
  opts.max_connections = cfg.max_connections;
  opts.tls_cert_file = cfg.tls.cert_file;
  opts.tls_key_file = cfg.tls.key_file;
  opts.tls_min_version = cfg.tls.min_version;
  opts.log = st.ctx->log;
  auto server = std::make_unique<rest::http_server>(opts, handler, st.metrics);
  if (auto err = server->start()) {
    st.ctx->log->error("event=bridge_unavailable reason=\"{}\"", *err);
    self->send(topic_group(self->system(), topic::alerts),
               alert{severity::critical, "bridge_unavailable", "rest_bridge", "REST bridge not started: " + *err,
                     wall(self)});
    return;
  }
  st.ctx->log->info("event=bridge_listening address={} port={} keys_file_set={} tls={}", cfg.listen_address,
                    server->port(), !cfg.keys_file.empty(), cfg.tls.enabled());
  st.server = std::move(server);
}

caf::behavior bridge_behavior(bridge_actor* self, bridge_config cfg, node_config node,
                              std::shared_ptr<node_context> ctx) {
  auto& st = self->state;
  st.ctx = ctx;
  st.model = std::make_shared<rest::bridge_state>(node.risk);
  st.metrics = std::make_shared<metrics::node_metrics>(node.node_name, ctx->metrics);
  for (const auto& s : node.strategies)
    st.metrics->set_trading_state(scope_kind::strategy, s.id, trading_state::active);
  st.control = topic_group(self->system(), topic::control);
  st.orders = topic_group(self->system(), topic::orders);
  log_and_drop_unexpected(self, "rest_bridge", ctx);
  start_server(self, cfg, node);
  using rest::stream_topic;
  return instrument(self, *ctx, "rest_bridge", {
    // -- market_data --------------------------------------------------------------------------
    [=](const bar& b) {
      self->state.model->on_bar(b);
      self->state.latency.on_bar(b.symbol, b.open_time_ms);
      self->state.metrics->on_bridge_event("market_data");
      stream(self, stream_topic::ticks, b);
    },
    [=](const trade_tick& t) {
      self->state.model->on_tick(t);
      self->state.latency.on_bar(t.symbol, t.ts_ms);
      self->state.metrics->on_bridge_event("market_data");
      stream(self, stream_topic::ticks, t);
    },
    [=](const watermark& wm) {
      self->state.model->on_watermark(wm, wall(self));
      self->state.metrics->on_watermark(wm);
    },
    // -- signals / orders ---------------------------------------------------------------------
    [=](const signal& s) {
      self->state.metrics->on_bridge_event("signals");
      stream(self, stream_topic::signals, s);
    },
    [=](const risk_decision& d) {
      self->state.model->on_decision(d);
      self->state.metrics->on_decision(d);
      self->state.metrics->on_bridge_event("orders");
      stream(self, stream_topic::orders, d);
    },
    [=](const order_intent&) {
      // Approved intents (orders) and manual intents (control): the order reports that follow
      // carry the same information.
      self->state.metrics->on_bridge_event("orders");
    },
    [=](const cancel_request&) { self->state.metrics->on_bridge_event("orders"); },
    // -- executions / account -----------------------------------------------------------------
    [=](const order& o) {
      auto& st = self->state;
      st.model->on_order(o);
      st.metrics->on_order(o);
      if (auto latency = st.latency.on_order(o))
        st.metrics->observe_tick_to_order(*latency);
      st.metrics->on_bridge_event("executions");
      stream(self, stream_topic::orders, o);
    },
    [=](const fill& f) {
      self->state.model->on_fill(f);
      self->state.metrics->on_fill(f);
      self->state.metrics->on_bridge_event("executions");
      stream(self, stream_topic::fills, f);
    },
    [=](const position_update& p) {
      self->state.model->on_position(p);
      self->state.metrics->on_bridge_event("account");
      stream(self, stream_topic::positions, p);
    },
    [=](const account_snapshot& s) {
      self->state.model->on_snapshot(s);
      self->state.metrics->on_snapshot(s);
      self->state.metrics->on_bridge_event("account");
      stream(self, stream_topic::positions, s);
    },
    // -- alerts / control ---------------------------------------------------------------------
    [=](const alert& a) {
      self->state.model->on_alert(a);
      self->state.metrics->on_alert(a);
      self->state.metrics->on_bridge_event("alerts");
      stream(self, stream_topic::alerts, a);
      if (a.code == "trading_state_changed" || a.code.rfind("breaker_", 0) == 0)
        stream(self, stream_topic::risk_state, a);
    },
    [=](const control_command& c) {
      // What the command did is for the risk gate to say (trading_state_changed below).
      self->state.metrics->on_bridge_event("control");
      stream(self, stream_topic::risk_state, c);
    },
    [=](const trading_state_changed& c) {
      publish_states(self, self->state.model->on_state(c));
      self->state.metrics->on_bridge_event("control");
      stream(self, stream_topic::risk_state, c);
    },
    [=](const risk_limits_update&) { self->state.metrics->on_bridge_event("control"); },
    [=](const risk_limits_report& r) {
      self->state.model->on_risk_limits(r);
      self->state.metrics->on_bridge_event("control");
      stream(self, stream_topic::risk_state, r);
    },
    [=](const strategy_update&) { self->state.metrics->on_bridge_event("control"); },
    [=](const strategy_report& r) {
      self->state.model->on_strategy(r);
      self->state.metrics->on_bridge_event("control");
    },
    // -- requests from the HTTP threads -------------------------------------------------------
    [=](publish_atom, const control_command& c) {
      self->state.ctx->log->info("event=api_control action={} scope={} scope_id={} by={}", to_string(c.action),
                                 to_string(c.scope), c.scope_id, c.issued_by);
      self->send(self->state.control, c);
    },
    [=](publish_atom, const order_intent& in) {
      self->state.ctx->log->info("event=api_order cid={} symbol={} side={} qty={}", in.client_order_id, in.symbol,
                                 to_string(in.order_side), in.qty.to_string());
      self->send(self->state.control, in);
    },
    [=](publish_atom, const risk_limits_update& u) {
      self->state.ctx->log->info("event=api_risk_limits update_id=\"{}\" by={}", u.update_id, u.issued_by);
      self->send(self->state.control, u);
    },
    [=](publish_atom, const strategy_update& u) {
      self->state.ctx->log->info("event=api_strategy_update update_id=\"{}\" strategy={} by={}", u.update_id,
                                 u.strategy_id, u.issued_by);
      self->send(self->state.control, u);
    },
    [=](publish_atom, const cancel_request& c) {
      self->state.ctx->log->info("event=api_cancel cid={}", c.client_order_id);
      self->send(self->state.orders, c);
    },
  });
}

} // namespace

caf::actor spawn_rest_bridge(caf::actor_system& sys, const bridge_config& cfg, const node_config& node,
                             std::shared_ptr<node_context> ctx) {
  return sys.spawn_in_groups({topic_group(sys, topic::market_data), topic_group(sys, topic::signals),
                              topic_group(sys, topic::orders), topic_group(sys, topic::executions),
                              topic_group(sys, topic::account), topic_group(sys, topic::alerts),
                              topic_group(sys, topic::control)},
                             bridge_behavior, cfg, node, std::move(ctx));
}

} // namespace tradewind
