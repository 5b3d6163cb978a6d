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

crossover_outcome ma_crossover::on_price(fixed price, int64_t ts_ms) {
  fast_.add(price);
  slow_.add(price);
  int side = side_now();
  if (side == 0 || side == last_side_)
    return {};
  auto f = fast_.value();
  auto s = slow_.value();
  bool crossed = last_side_ != 0;
  last_side_ = side;
  if (!crossed)
    return {};
  int direction = side > 0 ? 1 : (cfg_.allow_short ? -1 : 0);
  auto target = target_qty(direction, price);
  if (!target)
    return {std::nullopt, std::string(side > 0 ? "ma_cross_up" : "ma_cross_down") + " on "
                            + symbol_ + " at price " + price.to_string()
                            + ": target order_notional " + cfg_.order_notional.to_string()
                            + " / price " + target.error_text() + "; no signal"};
  signal sig;
  sig.strategy_id = cfg_.id;
  sig.symbol = symbol_;
  sig.ts_ms = ts_ms;
  sig.seq = ++seq_;
  sig.direction = direction;
  sig.target_qty = *target;
  sig.reference_price = price;
  sig.reason = std::string(side > 0 ? "ma_cross_up" : "ma_cross_down") + " fast=" + f.to_string() +
               " slow=" + s.to_string();
  return {std::move(sig), {}};
}

fixed_result ma_crossover::target_qty(int direction, fixed price) const {
  if (direction == 0 || price <= fixed{})
    return fixed{};
  auto exact = cfg_.order_notional / price;
  if (!exact)
    return exact;
  auto qty = *exact; // >= 0: order_notional and price are both positive
  if (cfg_.qty_step.raw > 0) // rounding down to the lot keeps 0 <= qty, so the sign holds
    qty = fixed::from_raw(qty.raw / cfg_.qty_step.raw * cfg_.qty_step.raw);
  return direction > 0 ? fixed_result{qty} : -qty;
}

} // namespace tradewind
