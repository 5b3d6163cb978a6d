#include "actors/strategies/ma_crossover.hpp"

namespace tradewind {

ma_crossover::ma_crossover(const strategy_config& cfg, std::string symbol)
  : cfg_(cfg), symbol_(std::move(symbol)), fast_(cfg.fast), slow_(cfg.slow) {
}

int ma_crossover::side_now() const {
  if (!slow_.ready() || !fast_.ready())
    return 0;
  auto f = fast_.value();
  auto s = slow_.value();
  return f > s ? 1 : (f < s ? -1 : 0);
}

void ma_crossover::update(const strategy_params& p) {
  bool windows = p.fast != cfg_.fast || p.slow != cfg_.slow;
  cfg_ = with_params(cfg_, p);
  if (!windows)
    return;
  auto history = slow_.prices();
  fast_ = moving_average{p.fast};
  slow_ = moving_average{p.slow};
  for (auto price : history) {
    fast_.add(price);
    slow_.add(price);
  }
  last_side_ = side_now();
}

std::optional<signal> ma_crossover::on_price(fixed price, int64_t ts_ms) {
  fast_.add(price);
  slow_.add(price);
  int side = side_now();
  if (side == 0 || side == last_side_)
    return std::nullopt;
  auto f = fast_.value();
  auto s = slow_.value();
  bool crossed = last_side_ != 0;
  last_side_ = side;
  if (!crossed)
    return std::nullopt;
  int direction = side > 0 ? 1 : (cfg_.allow_short ? -1 : 0);
  signal sig;
  sig.strategy_id = cfg_.id;
  sig.symbol = symbol_;
  sig.ts_ms = ts_ms;
  sig.seq = ++seq_;
  sig.direction = direction;
  sig.target_qty = target_qty(direction, price);
  sig.reference_price = price;
  sig.reason = std::string(side > 0 ? "ma_cross_up" : "ma_cross_down") + " fast=" + f.to_string() +
               " slow=" + s.to_string();
  return sig;
}

fixed ma_crossover::target_qty(int direction, fixed price) const {
  if (direction == 0 || price <= fixed{})
    return fixed{};
  auto qty = cfg_.order_notional / price;
  if (cfg_.qty_step.raw > 0)
    qty = fixed::from_raw(qty.raw / cfg_.qty_step.raw * cfg_.qty_step.raw);
  return direction > 0 ? qty : -qty;
}

} // namespace tradewind
