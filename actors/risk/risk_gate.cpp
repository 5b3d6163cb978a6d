#include "actors/risk/risk_gate.hpp"

#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "caf/all.hpp"

#include "actors/core/unexpected.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/risk/risk_engine.hpp"
#include "schemas/control.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

namespace {

/// State of one risk-gate actor: the engine (all rules) and where to publish.
struct risk_gate_state {
  std::optional<risk::risk_engine> engine;
  std::shared_ptr<node_context> ctx;
  caf::group orders;
  caf::group alerts;
  static const char* name;
};

const char* risk_gate_state::name = "risk_gate";

using risk_gate_actor = caf::stateful_actor<risk_gate_state>;

void log_decision(node_context& ctx, const risk_decision& d) {
  if (d.approved)
    ctx.log->debug("event=order_approved cid={} strategy={} symbol={} ts={}", d.client_order_id,
                   d.strategy_id, d.symbol, d.ts_ms);
  else
    ctx.log->debug("event=order_denied cid={} strategy={} symbol={} ts={} reason={} detail=\"{}\"",
                   d.client_order_id, d.strategy_id, d.symbol, d.ts_ms, to_string(d.reason),
                   d.detail);
}

/// Publishes `out` in order: orders-topic messages, then alerts; logs along the way.
void publish(risk_gate_actor* self, risk::gate_output&& out) {
  auto& st = self->state;
  for (auto& w : out.warnings)
    st.ctx->log->warn("event=risk_warning detail=\"{}\"", w);
  for (auto& msg : out.orders) {
    if (auto d = std::get_if<risk_decision>(&msg))
      log_decision(*st.ctx, *d);
    else if (auto c = std::get_if<cancel_request>(&msg))
      st.ctx->log->warn("event=cancel_requested cid=\"{}\" reason=\"{}\"", c->client_order_id,
                        c->reason);
    std::visit([&](auto& x) { self->send(st.orders, std::move(x)); }, msg);
  }
  for (auto& a : out.alerts) {
    st.ctx->log->warn("event={} level={} detail=\"{}\"", a.code, to_string(a.level), a.message);
    self->send(st.alerts, std::move(a));
  }
}

caf::behavior risk_gate(risk_gate_actor* self, risk_config cfg,
                        std::vector<std::string> strategy_ids, std::shared_ptr<node_context> ctx) {
  auto& st = self->state;
  st.engine.emplace(std::move(cfg), strategy_ids, ctx->wall_clock_ms);
  st.ctx = std::move(ctx);
  log_and_drop_unexpected(self, "risk", st.ctx);
  st.orders = topic_group(self->system(), topic::orders);
  st.alerts = topic_group(self->system(), topic::alerts);
  return {
    [=](const signal& s) { publish(self, self->state.engine->on_signal(s)); },
    [=](const watermark& wm) { publish(self, self->state.engine->on_watermark(wm)); },
    [=](const account_snapshot& snap) { publish(self, self->state.engine->on_snapshot(snap)); },
    [=](const position_update&) {
      // The snapshot that follows carries every position; nothing to do per update.
    },
    [=](const control_command& cmd) {
      self->state.ctx->log->warn("event=control_command action={} scope={} scope_id={} by={}",
                                 to_string(cmd.action), to_string(cmd.scope), cmd.scope_id,
                                 cmd.issued_by);
      publish(self, self->state.engine->on_control(cmd));
    },
    [=](const order_intent& manual) {
      publish(self, self->state.engine->on_manual_intent(manual));
    },
  };
}

} // namespace

caf::actor spawn_risk_gate(caf::actor_system& sys, const risk_config& cfg,
                           std::vector<std::string> strategy_ids,
                           std::shared_ptr<node_context> ctx) {
  // spawn_in_groups joins before spawn returns, so nothing published after this call is
  // missed (a join inside the behavior would only happen once the actor first runs).
  return sys.spawn_in_groups({topic_group(sys, topic::signals), topic_group(sys, topic::account),
                              topic_group(sys, topic::control)},
                             risk_gate, cfg, std::move(strategy_ids), std::move(ctx));
}

} // namespace tradewind
