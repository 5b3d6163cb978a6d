#include "actors/portfolio/ledger.hpp"

#include <algorithm>

namespace tradewind {

namespace {

using i128 = __int128;

constexpr int64_t ms_per_day = 86'400'000;

/// Half away from zero, like fixed's own products.
int64_t round_div(i128 num, i128 den) {
  i128 q = num / den;
  i128 r = num % den;
  if (2 * (r < 0 ? -r : r) >= (den < 0 ? -den : den))
    q += ((num < 0) != (den < 0)) ? -1 : 1;
  return static_cast<int64_t>(q);
}

int64_t floor_div(int64_t a, int64_t b) {
  auto q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// Volume-weighted average of an existing holding and an added quantity (both positive).
fixed weighted_avg(fixed qty_a, fixed price_a, fixed qty_b, fixed price_b) {
  i128 num =
    static_cast<i128>(qty_a.raw) * price_a.raw + static_cast<i128>(qty_b.raw) * price_b.raw;
  return fixed::from_raw(round_div(num, static_cast<i128>(qty_a.raw) + qty_b.raw));
}

} // namespace

ledger::ledger(fixed initial_cash) : cash_(initial_cash) {}

void ledger::apply_fill(const fill& f) {
  const bool buy = f.order_side == side::buy;
  const auto notional = f.price * f.qty;
  cash_ += buy ? -(notional + f.fee) : notional - f.fee;
  fees_paid_ += f.fee;

  auto& share = strategy_qty_[{f.strategy_id, f.symbol}];
  share += f.order_side == side::buy ? f.qty : -f.qty;
  auto& p = positions_[f.symbol];
  if (!p.marked)
    p.last = f.price;
  changed_.insert(f.symbol);

  const auto signed_qty = buy ? f.qty : -f.qty;
  const bool same_direction = p.qty.is_zero() || (p.qty > fixed{}) == buy;
  if (same_direction) {
    p.avg_entry = weighted_avg(p.qty.abs(), p.avg_entry, f.qty, f.price);
    p.qty += signed_qty;
    return;
  }
  // Reducing, closing or flipping: realize PnL on the closed part at the fill price.
  const auto closed = std::min(p.qty.abs(), f.qty);
  const auto per_unit = p.qty > fixed{} ? f.price - p.avg_entry : p.avg_entry - f.price;
  p.realized += per_unit * closed;
  p.qty += signed_qty;
  if (p.qty.is_zero())
    p.avg_entry = fixed{};
  else if (f.qty > closed) // flipped: the remainder opens a new position at the fill price
    p.avg_entry = f.price;
}

void ledger::apply_order(const order& o) {
  auto it = std::find_if(open_orders_.begin(), open_orders_.end(), [&](const order& x) {
    return x.client_order_id == o.client_order_id;
  });
  if (is_terminal(o.status)) {
    if (it != open_orders_.end())
      open_orders_.erase(it);
  } else if (it != open_orders_.end()) {
    *it = o;
  } else {
    open_orders_.push_back(o);
  }
}

void ledger::mark(const std::string& symbol, fixed price, int64_t) {
  auto& p = positions_[symbol];
  p.last = price;
  p.marked = true;
}

position_update ledger::to_update(const std::string& symbol, const position_state& p,
                                  int64_t ts_ms) {
  position_update u;
  u.symbol = symbol;
  u.qty = p.qty;
  u.avg_entry_price = p.avg_entry;
  u.last_price = p.last;
  u.realized_pnl = p.realized;
  u.unrealized_pnl = p.qty.is_zero() ? fixed{} : (p.last - p.avg_entry) * p.qty;
  u.ts_ms = ts_ms;
  return u;
}

std::vector<position_update> ledger::take_changed_positions(int64_t ts_ms) {
  std::vector<position_update> out;
  for (const auto& symbol : changed_)
    out.push_back(to_update(symbol, positions_.at(symbol), ts_ms));
  changed_.clear();
  return out;
}

position_update ledger::position(const std::string& symbol, int64_t ts_ms) const {
  auto it = positions_.find(symbol);
  return it == positions_.end() ? to_update(symbol, position_state{}, ts_ms)
                                : to_update(symbol, it->second, ts_ms);
}

fixed ledger::equity() const {
  auto eq = cash_;
  for (const auto& [symbol, p] : positions_)
    eq += p.qty * p.last;
  return eq;
}

account_snapshot ledger::snapshot(int64_t ts_ms) {
  account_snapshot s;
  s.ts_ms = ts_ms;
  s.cash = cash_;
  s.equity = equity();
  s.fees_paid = fees_paid_;
  for (const auto& [symbol, p] : positions_) {
    s.positions.push_back(to_update(symbol, p, ts_ms));
    s.realized_pnl += s.positions.back().realized_pnl;
    s.unrealized_pnl += s.positions.back().unrealized_pnl;
  }
  s.open_orders = open_orders_;
  for (const auto& [key, qty] : strategy_qty_)
    if (!qty.is_zero())
      s.strategy_positions.push_back({key.first, key.second, qty});

  high_water_mark_ = high_water_mark_ ? std::max(*high_water_mark_, s.equity) : s.equity;
  s.high_water_mark = *high_water_mark_;
  if (s.high_water_mark > fixed{}) // (hwm − equity) × 100 is exact; one rounding in the division
    s.drawdown_pct = ((s.high_water_mark - s.equity) * fixed::from_int(100)) / s.high_water_mark;

  const auto day = floor_div(ts_ms, ms_per_day);
  if (!day_ || *day_ != day) {
    day_ = day;
    day_start_equity_ = s.equity;
  }
  s.day_start_equity = day_start_equity_;
  return s;
}

} // namespace tradewind
