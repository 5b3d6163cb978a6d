#include "actors/executors/order_book.hpp"

#include <algorithm>
#include <utility>

namespace tradewind {

namespace {

using i128 = __int128;

/// Why an intent cannot become a working order; empty when it can.
std::string validate(const order_intent& in) {
  if (in.client_order_id.empty())
    return "missing client_order_id";
  if (in.symbol.empty())
    return "missing symbol";
  if (in.qty <= fixed{})
    return "qty must be positive, got " + in.qty.to_string();
  if (in.type == order_type::limit && in.limit_price <= fixed{})
    return "limit order needs a positive limit_price, got " + in.limit_price.to_string();
  return {};
}

} // namespace

market_event to_market_event(const bar& b) {
  return market_event{b.symbol, b.open_time_ms, b.open, b.high, b.low, b.close, b.volume};
}

market_event to_market_event(const trade_tick& t) {
  return market_event{t.symbol, t.ts_ms, t.price, t.price, t.price, t.price, t.qty};
}

order_book::order_book(executor_config cfg) : cfg_(std::move(cfg)) {}

std::vector<execution_event> order_book::accept(const order_intent& intent, int64_t now_ts_ms) {
  if (!intent.client_order_id.empty() && !seen_ids_.insert(intent.client_order_id).second)
    return {}; // duplicate: the first intent with this id already made (or failed) the order
  auto o = order_from_intent(intent, now_ts_ms);
  if (auto why = validate(intent); !why.empty()) {
    o.status = order_status::rejected;
    o.reject_reason = std::move(why);
    return {o};
  }
  o.status = order_status::accepted;
  working_.push_back(working_order{o, intent.ts_ms, 0, 0});
  return {o};
}

bool order_book::fill_price(const working_order& w, const market_event& ev, fixed& price) const {
  const auto& o = w.state;
  const bool buy = o.order_side == side::buy;
  if (o.type == order_type::market) {
    auto slip = ev.open.bps(cfg_.slippage_bps);
    price = buy ? ev.open + slip : ev.open - slip;
    return price > fixed{};
  }
  if (buy && ev.low <= o.limit_price) {
    price = std::min(ev.open, o.limit_price);
    return true;
  }
  if (!buy && ev.high >= o.limit_price) {
    price = std::max(ev.open, o.limit_price);
    return true;
  }
  return false;
}

fixed order_book::participation_cap(fixed volume) const {
  if (volume <= fixed{} || cfg_.max_participation_pct <= fixed{})
    return fixed{};
  // Rounded down: the cap is a limit, never exceeded by rounding.
  i128 num = static_cast<i128>(volume.raw) * cfg_.max_participation_pct.raw;
  i128 den = static_cast<i128>(100) * fixed::scale;
  return fixed::from_raw(static_cast<int64_t>(num / den));
}

fill order_book::make_fill(working_order& w, fixed price, fixed qty, int64_t ts_ms) {
  auto& o = w.state;
  ++w.fills;
  w.notional_raw2 += static_cast<i128>(price.raw) * qty.raw;
  o.filled_qty += qty;
  o.avg_fill_price = fixed::from_raw(fixed::round_div(w.notional_raw2, o.filled_qty.raw));
  o.status = o.filled_qty >= o.qty ? order_status::filled : order_status::partially_filled;
  o.updated_ts_ms = ts_ms;

  fill f;
  f.fill_id = o.client_order_id + "-" + std::to_string(w.fills);
  f.client_order_id = o.client_order_id;
  f.strategy_id = o.strategy_id;
  f.symbol = o.symbol;
  f.order_side = o.order_side;
  f.price = price;
  f.qty = qty;
  f.fee = (price * qty).bps(cfg_.fee_bps);
  f.ts_ms = ts_ms;
  return f;
}

std::vector<execution_event> order_book::on_market(const market_event& ev) {
  std::vector<execution_event> out;
  const auto cap = participation_cap(ev.volume);
  if (cap.is_zero())
    return out;
  for (auto& w : working_) {
    if (w.state.symbol != ev.symbol || w.intent_ts_ms >= ev.ts_ms)
      continue;
    fixed price;
    if (!fill_price(w, ev, price))
      continue;
    auto qty = std::min(w.state.qty - w.state.filled_qty, cap);
    out.emplace_back(make_fill(w, price, qty, ev.ts_ms));
    out.emplace_back(w.state);
  }
  working_.erase(std::remove_if(working_.begin(), working_.end(),
                                [](const working_order& w) { return is_terminal(w.state.status); }),
                 working_.end());
  return out;
}

std::vector<execution_event> order_book::cancel(const std::string& client_order_id,
                                                int64_t ts_ms) {
  std::vector<execution_event> out;
  auto keep = std::vector<working_order>{};
  keep.reserve(working_.size());
  for (auto& w : working_) {
    if (client_order_id.empty() || w.state.client_order_id == client_order_id) {
      w.state.status = order_status::cancelled;
      w.state.updated_ts_ms = ts_ms;
      out.emplace_back(w.state);
    } else {
      keep.push_back(std::move(w));
    }
  }
  working_ = std::move(keep);
  return out;
}

const order* order_book::find_working(const std::string& client_order_id) const {
  for (const auto& w : working_)
    if (w.state.client_order_id == client_order_id)
      return &w.state;
  return nullptr;
}

} // namespace tradewind
