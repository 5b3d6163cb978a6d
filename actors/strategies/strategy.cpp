#include "actors/strategies/strategy.hpp"

#include <algorithm>
#include <map>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/unexpected.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/strategies/ma_crossover.hpp"
#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

namespace {

struct strategy_state {
  strategy_config cfg;
  std::shared_ptr<node_context> ctx;
  caf::group signals;
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

void on_price(strategy_actor* self, const std::string& symbol, fixed price, int64_t ts_ms) {
  auto& st = self->state;
  if (!st.wants(symbol))
    return;
  if (auto sig = st.logic_for(symbol).on_price(price, ts_ms)) {
    ++st.signals_emitted;
    st.ctx->log->debug("event=signal strategy={} symbol={} ts={} direction={} target={}", st.cfg.id,
                       symbol, ts_ms, sig->direction, sig->target_qty.to_string());
    self->send(st.signals, std::move(*sig));
  }
}

caf::behavior strategy_behavior(strategy_actor* self, strategy_config cfg,
                                std::shared_ptr<node_context> ctx) {
  self->state.cfg = std::move(cfg);
  self->state.ctx = std::move(ctx);
  log_and_drop_unexpected(self, "strategy", self->state.ctx);
  auto& sys = self->system();
  self->state.signals = topic_group(sys, topic::signals);
  return {
    [=](const bar& b) { on_price(self, b.symbol, b.close, b.open_time_ms); },
    [=](const trade_tick& t) { on_price(self, t.symbol, t.price, t.ts_ms); },
    [=](const watermark& wm) {
      self->send(self->state.signals,
                 watermark{"strategy:" + self->state.cfg.id, wm.ts_ms, wm.end_of_stream});
      if (wm.end_of_stream)
        self->state.ctx->log->info("event=strategy_done strategy={} signals={}", self->state.cfg.id,
                                   self->state.signals_emitted);
    },
  };
}

} // namespace

caf::actor spawn_strategy(caf::actor_system& sys, const strategy_config& cfg,
                          std::shared_ptr<node_context> ctx) {
  // Joining at spawn (not in the behavior) so no market event published meanwhile is missed.
  return sys.spawn_in_groups({topic_group(sys, topic::market_data)}, strategy_behavior, cfg,
                             std::move(ctx));
}

} // namespace tradewind
