#include "actors/portfolio/ledger.hpp"

#include <algorithm>

namespace tradewind {

namespace {

using i128 = __int128;

constexpr int64_t ms_per_day = 86'400'000;

int64_t floor_div(int64_t a, int64_t b) {
  auto q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// Volume-weighted average of an existing holding and an added quantity (both positive);
/// each product is below 2^126, so the 128-bit sum cannot overflow.
fixed_result weighted_avg(fixed qty_a, fixed price_a, fixed qty_b, fixed price_b) {
  i128 num =
    static_cast<i128>(qty_a.raw) * price_a.raw + static_cast<i128>(qty_b.raw) * price_b.raw;
  return fixed::from_ratio(num, static_cast<i128>(qty_a.raw) + qty_b.raw);
}

/// (hwm − equity) × 100 / hwm with one rounding; hwm > 0.
fixed_result drawdown_pct(fixed hwm, fixed equity) {
  auto diff = hwm - equity;
  if (!diff)
    return diff;
  return fixed::from_ratio(static_cast<i128>(diff->raw) * 100 * fixed::scale, hwm.raw);
}

} // namespace

ledger::ledger(fixed initial_cash) : cash_(initial_cash) {}

std::variant<ledger::booking, std::string> ledger::book(const fill& f) const {
  const bool buy = f.order_side == side::buy;
  const auto notional = f.price * f.qty;
  const auto cash = buy ? cash_ - (notional + f.fee) : cash_ + (notional - f.fee);
  const auto fees = fees_paid_ + f.fee;
  auto share_it = strategy_qty_.find({f.strategy_id, f.symbol});
  const auto signed_qty = buy ? fixed_result{f.qty} : -f.qty;
  const auto share = (share_it == strategy_qty_.end() ? fixed{} : share_it->second) + signed_qty;

  auto pos_it = positions_.find(f.symbol);
  position_state p = pos_it == positions_.end() ? position_state{} : pos_it->second;
  if (!p.marked)
    p.last = f.price;
  const auto held = p.qty.abs();
  const auto qty = p.qty + signed_qty;
  fixed_result avg = p.avg_entry;
  fixed_result realized = p.realized;
  const bool same_direction = p.qty.is_zero() || (p.qty > fixed{}) == buy;
  if (same_direction && held) {
    avg = weighted_avg(*held, p.avg_entry, f.qty, f.price);
  } else if (held && qty) {
    // Reducing, closing or flipping: realize PnL on the closed part at the fill price.
    const auto closed = std::min(*held, f.qty);
    const auto per_unit = p.qty > fixed{} ? f.price - p.avg_entry : p.avg_entry - f.price;
    realized = p.realized + per_unit * closed;
    if (qty->is_zero())
      avg = fixed{};
    else if (f.qty > closed) // flipped: the remainder opens a new position at the fill price
      avg = f.price;
  }
  const std::initializer_list<const fixed_result*> amounts{&cash, &fees,  &share,   &held,
                                                           &qty,  &avg,   &realized};
  for (const fixed_result* r : amounts)
    if (!*r)
      return "fill " + f.fill_id + " (" + f.qty.to_string() + " " + f.symbol + " at "
             + f.price.to_string() + ", fee " + f.fee.to_string() + ") does not fit: cash "
             + cash.to_string() + ", position " + qty.to_string() + ", average "
             + avg.to_string() + ", realized " + realized.to_string();
  p.qty = *qty;
  p.avg_entry = *avg;
  p.realized = *realized;
  return booking{*cash, *fees, *share, p};
}

std::optional<std::string> ledger::apply_fill(const fill& f) {
  auto booked = book(f);
  if (auto* why = std::get_if<std::string>(&booked))
    return std::move(*why);
  auto& b = std::get<booking>(booked);
  // Applied tentatively, kept only if the whole account still fits (see the class comment).
  const auto key = std::make_pair(f.strategy_id, f.symbol);
  auto old_position = positions_.count(f.symbol) ? std::optional{positions_.at(f.symbol)}
                                                 : std::nullopt;
  auto old_share = strategy_qty_.count(key) ? std::optional{strategy_qty_.at(key)} : std::nullopt;
  const auto old_cash = cash_;
  const auto old_fees = fees_paid_;
  cash_ = b.cash;
  fees_paid_ = b.fees_paid;
  strategy_qty_[key] = b.share;
  positions_[f.symbol] = b.position;
  auto valued = compute(0);
  if (auto* why = std::get_if<std::string>(&valued)) {
    cash_ = old_cash;
    fees_paid_ = old_fees;
    if (old_share)
      strategy_qty_[key] = *old_share;
    else
      strategy_qty_.erase(key);
    if (old_position)
      positions_[f.symbol] = *old_position;
    else
      positions_.erase(f.symbol);
    return "fill " + f.fill_id + " leaves an account that does not fit: " + *why;
  }
  changed_.insert(f.symbol);
  return std::nullopt;
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

std::optional<std::string> ledger::mark(const std::string& symbol, fixed price, int64_t) {
  auto it = positions_.find(symbol);
  auto old = it == positions_.end() ? std::nullopt : std::optional{it->second};
  auto& p = positions_[symbol];
  p.last = price;
  p.marked = true;
  auto valued = compute(0);
  auto* why = std::get_if<std::string>(&valued);
  if (!why)
    return std::nullopt;
  if (old)
    p = *old;
  else
    positions_.erase(symbol);
  return "mark " + symbol + " at " + price.to_string() + " leaves an account that does not fit: "
         + *why;
}

position_update ledger::to_update(const std::string& symbol, const position_state& p,
                                  int64_t ts_ms) {
  position_update u;
  u.symbol = symbol;
  u.qty = p.qty;
  u.avg_entry_price = p.avg_entry;
  u.last_price = p.last;
  u.realized_pnl = p.realized;
  // Fits by the ledger's invariant (compute() checked it before the state was kept).
  u.unrealized_pnl = *unrealized(p);
  u.ts_ms = ts_ms;
  return u;
}

fixed_result ledger::unrealized(const position_state& p) {
  return p.qty.is_zero() ? fixed_result{fixed{}} : (p.last - p.avg_entry) * p.qty;
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
  // compute() succeeds by the ledger's invariant; see the class comment.
  return std::get<account_snapshot>(compute(0)).equity;
}

std::variant<account_snapshot, std::string> ledger::compute(int64_t ts_ms) const {
  account_snapshot s;
  s.ts_ms = ts_ms;
  s.cash = cash_;
  s.fees_paid = fees_paid_;
  fixed_result equity = cash_;
  fixed_result realized = fixed{};
  fixed_result unrealized_sum = fixed{};
  for (const auto& [symbol, p] : positions_) {
    auto u = unrealized(p);
    if (!u)
      return "unrealized PnL of " + symbol + ": " + u.error_text();
    equity = equity + p.qty * p.last;
    realized = realized + p.realized;
    unrealized_sum = unrealized_sum + u;
  }
  if (!equity || !realized || !unrealized_sum)
    return "equity " + equity.to_string() + ", realized " + realized.to_string()
           + ", unrealized " + unrealized_sum.to_string();
  s.equity = *equity;
  s.realized_pnl = *realized;
  s.unrealized_pnl = *unrealized_sum;
  s.high_water_mark = high_water_mark_ ? std::max(*high_water_mark_, s.equity) : s.equity;
  if (s.high_water_mark > fixed{}) {
    auto dd = drawdown_pct(s.high_water_mark, s.equity);
    if (!dd)
      return "drawdown_pct from high-water mark " + s.high_water_mark.to_string() + ": "
             + dd.error_text();
    s.drawdown_pct = *dd;
  }
  return s;
}

account_snapshot ledger::snapshot(int64_t ts_ms) {
  // compute() succeeds by the ledger's invariant; see the class comment.
  auto s = std::get<account_snapshot>(compute(ts_ms));
  for (const auto& [symbol, p] : positions_)
    s.positions.push_back(to_update(symbol, p, ts_ms));
  s.open_orders = open_orders_;
  for (const auto& [key, qty] : strategy_qty_)
    if (!qty.is_zero())
      s.strategy_positions.push_back({key.first, key.second, qty});
  high_water_mark_ = s.high_water_mark;

  const auto day = floor_div(ts_ms, ms_per_day);
  if (!day_ || *day_ != day) {
    day_ = day;
    day_start_equity_ = s.equity;
  }
  s.day_start_equity = day_start_equity_;
  return s;
}

} // namespace tradewind
