#include "actors/strategies/strategy.hpp"

#include <algorithm>
#include <map>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/instrument.hpp"
#include "actors/core/unexpected.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/strategies/ma_crossover.hpp"
#include "config/validate.hpp"
#include "schemas/json/codec.hpp"
#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

namespace {

struct strategy_state {
  strategy_config cfg;
  std::shared_ptr<carry_over<strategy_config>> carried;
  std::shared_ptr<node_context> ctx;
  caf::group signals;
  caf::group control;
  caf::group alerts;
  std::map<std::string, ma_crossover> per_symbol;
  uint64_t signals_emitted = 0;
  static inline const char* name = "strategy";

  bool wants(const std::string& symbol) const {
    return cfg.symbols.empty() ||
           std::find(cfg.symbols.begin(), cfg.symbols.end(), symbol) != cfg.symbols.end();
  }

  ma_crossover& logic_for(const std::string& symbol) {
    auto it = per_symbol.find(symbol);
    if (it == per_symbol.end())
      it = per_symbol.emplace(symbol, ma_crossover{cfg, symbol}).first;
    return it->second;
  }
};

using strategy_actor = caf::stateful_actor<strategy_state>;

void raise(strategy_actor* self, severity level, std::string code, std::string message);

void on_price(strategy_actor* self, const std::string& symbol, fixed price, int64_t ts_ms) {
  auto& st = self->state;
  if (!st.wants(symbol))
    return;
  auto out = st.logic_for(symbol).on_price(price, ts_ms);
  if (!out.unsized.empty()) // a signal sized from a wrapped number could point the wrong way
    raise(self, severity::warning, "signal_unsizable", "strategy " + st.cfg.id + ": " + out.unsized);
  if (auto& sig = out.sig) {
    ++st.signals_emitted;
    st.ctx->log->debug("event=signal strategy={} symbol={} ts={} direction={} target={}", st.cfg.id,
                       symbol, ts_ms, sig->direction, sig->target_qty.to_string());
    self->send(st.signals, std::move(*sig));
  }
}

strategy_report report(strategy_actor* self, std::string update_id) {
  const auto& st = self->state;
  strategy_report r;
  r.node = st.ctx->node_name;
  r.strategy_id = st.cfg.id;
  r.update_id = std::move(update_id);
  r.params = params_of(st.cfg);
  r.ts_ms = st.ctx->wall_clock_ms();
  return r;
}

void raise(strategy_actor* self, severity level, std::string code, std::string message) {
  auto& st = self->state;
  st.ctx->log->warn("event={} strategy={} detail=\"{}\"", code, st.cfg.id, message);
  self->send(st.alerts, alert{level, std::move(code), "strategy:" + st.cfg.id, std::move(message),
                              st.ctx->wall_clock_ms()});
}

void on_update(strategy_actor* self, const strategy_update& u) {
  auto& st = self->state;
  if (u.strategy_id != st.cfg.id)
    return;
  auto by = u.issued_by.empty() ? std::string{} : " by " + u.issued_by;
  auto r = report(self, u.update_id);
  auto errors = validate_strategy_params(u.params, "");
  if (!errors.empty()) {
    for (const auto& e : errors)
      r.error += (r.error.empty() ? "" : "; ") + e.message();
    r.accepted = false;
    raise(self, severity::warning, "strategy_params_rejected",
          "strategy " + st.cfg.id + " update " + u.update_id + by + " rejected: " + r.error);
  } else {
    auto changes = json::describe_changes(params_of(st.cfg), u.params);
    st.cfg = with_params(st.cfg, u.params);
    for (auto& [symbol, logic] : st.per_symbol)
      logic.update(u.params);
    st.carried->set(st.cfg);
    r.params = u.params;
    if (!changes.empty())
      raise(self, severity::info, "strategy_params_changed",
            "strategy " + st.cfg.id + " parameters changed" + by
              + (u.reason.empty() ? std::string{} : " (" + u.reason + ")") + ": " + changes);
  }
  self->send(st.control, std::move(r));
}

caf::behavior strategy_behavior(strategy_actor* self, std::shared_ptr<carry_over<strategy_config>> cfg,
                                std::shared_ptr<node_context> ctx) {
  self->state.cfg = cfg->get();
  self->state.carried = std::move(cfg);
  self->state.ctx = std::move(ctx);
  log_and_drop_unexpected(self, "strategy", self->state.ctx);
  auto& sys = self->system();
  self->state.signals = topic_group(sys, topic::signals);
  self->state.control = topic_group(sys, topic::control);
  self->state.alerts = topic_group(sys, topic::alerts);
  self->send(self->state.control, report(self, ""));
  return instrument(self, *self->state.ctx, "strategy:" + self->state.cfg.id, {
    [=](const bar& b) { on_price(self, b.symbol, b.close, b.open_time_ms); },
    [=](const trade_tick& t) { on_price(self, t.symbol, t.price, t.ts_ms); },
    [=](const watermark& wm) {
      self->send(self->state.signals,
                 watermark{"strategy:" + self->state.cfg.id, wm.ts_ms, wm.end_of_stream});
      if (wm.end_of_stream)
        self->state.ctx->log->info("event=strategy_done strategy={} signals={}", self->state.cfg.id,
                                   self->state.signals_emitted);
    },
    [=](const strategy_update& u) { on_update(self, u); },
    // The rest of the control topic is for the risk gate and the bridge.
    [](const control_command&) {},
    [](const order_intent&) {},
    [](const risk_limits_update&) {},
    [](const risk_limits_report&) {},
    [](const trading_state_changed&) {},
    [](const strategy_report&) {},
  });
}

} // namespace

caf::actor spawn_strategy(caf::actor_system& sys, std::shared_ptr<carry_over<strategy_config>> cfg,
                          std::shared_ptr<node_context> ctx) {
  // Joining at spawn (not in the behavior) so no market event published meanwhile is missed.
  return sys.spawn_in_groups({topic_group(sys, topic::market_data), topic_group(sys, topic::control)},
                             strategy_behavior, std::move(cfg), std::move(ctx));
}

} // namespace tradewind
