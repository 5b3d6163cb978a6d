#include "actors/executors/order_book.hpp"

#include <algorithm>
#include <utility>

namespace tradewind {

namespace {

using i128 = __int128;

/// Why an intent cannot become a working order; empty when it can.
std::string validate(const order_intent& in, int64_t fee_bps) {
  if (in.client_order_id.empty())
    return "missing client_order_id";
  if (in.symbol.empty())
    return "missing symbol";
  if (in.qty <= fixed{})
    return "qty must be positive, got " + in.qty.to_string();
  if (in.type == order_type::limit && in.limit_price <= fixed{})
    return "limit order needs a positive limit_price, got " + in.limit_price.to_string();
  if (in.type == order_type::limit) {
    auto fee = (in.qty * in.limit_price).bps(fee_bps);
    if (!fee)
      return "notional qty " + in.qty.to_string() + " × limit_price "
             + in.limit_price.to_string() + " (or its fee) does not fit: " + fee.error_text();
  }
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
  if (auto why = validate(intent, cfg_.fee_bps); !why.empty()) {
    o.status = order_status::rejected;
    o.reject_reason = std::move(why);
    return {o};
  }
  o.status = order_status::accepted;
  working_.push_back(working_order{o, intent.ts_ms, 0, 0});
  return {o};
}

std::optional<fixed_result> order_book::fill_price(const working_order& w,
                                                   const market_event& ev) const {
  const auto& o = w.state;
  const bool buy = o.order_side == side::buy;
  if (o.type == order_type::market) {
    auto slip = ev.open.bps(cfg_.slippage_bps);
    auto price = buy ? ev.open + slip : ev.open - slip;
    if (price && *price <= fixed{})
      return std::nullopt;
    return price;
  }
  if (buy && ev.low <= o.limit_price)
    return fixed_result{std::min(ev.open, o.limit_price)};
  if (!buy && ev.high >= o.limit_price)
    return fixed_result{std::max(ev.open, o.limit_price)};
  return std::nullopt;
}

fixed order_book::participation_cap(fixed volume) const {
  if (volume <= fixed{} || cfg_.max_participation_pct <= fixed{})
    return fixed{};
  // Rounded down: the cap is a limit, never exceeded by rounding. It fits: pct <= 100.
  i128 num = static_cast<i128>(volume.raw) * cfg_.max_participation_pct.raw;
  i128 den = static_cast<i128>(100) * fixed::scale;
  auto cap = fixed::from_ratio(num, den, fixed::rounding::toward_zero);
  return cap ? *cap : volume;
}

std::variant<fill, std::string> order_book::make_fill(working_order& w, fixed price, fixed qty,
                                                      int64_t ts_ms) {
  auto& o = w.state;
  auto notional = price * qty;
  auto fee = notional.bps(cfg_.fee_bps);
  auto filled = o.filled_qty + qty;
  i128 notional_raw2 = 0; // Σ price.raw × qty.raw, each product < 2^126
  bool sum_overflows =
    __builtin_add_overflow(w.notional_raw2, static_cast<i128>(price.raw) * qty.raw, &notional_raw2);
  auto avg = !filled || sum_overflows ? fixed_result{fixed_error::overflow}
                                      : fixed::from_ratio(notional_raw2, filled->raw);
  if (!fee || !avg)
    return "fill of " + qty.to_string() + " at " + price.to_string() + " does not fit (notional "
           + notional.to_string() + ", fee " + fee.to_string() + ", average price "
           + avg.to_string() + ")";
  ++w.fills;
  w.notional_raw2 = notional_raw2;
  o.filled_qty = *filled;
  o.avg_fill_price = *avg;
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
  f.fee = *fee;
  f.ts_ms = ts_ms;
  return f;
}

namespace {

/// Ends `o` as rejected with `why`: a fill that cannot be represented is never booked.
void reject_working(order& o, std::string why, int64_t ts_ms) {
  o.status = order_status::rejected;
  o.reject_reason = std::move(why);
  o.updated_ts_ms = ts_ms;
}

} // namespace

std::vector<execution_event> order_book::on_market(const market_event& ev) {
  std::vector<execution_event> out;
  const auto cap = participation_cap(ev.volume);
  if (cap.is_zero())
    return out;
  for (auto& w : working_) {
    if (w.state.symbol != ev.symbol || w.intent_ts_ms >= ev.ts_ms)
      continue;
    auto price = fill_price(w, ev);
    if (!price)
      continue;
    // remaining = qty - filled_qty >= 0 for a working order, so it fits.
    auto qty = std::min(*(w.state.qty - w.state.filled_qty), cap);
    auto made = price->ok() ? make_fill(w, **price, qty, ev.ts_ms)
                            : std::variant<fill, std::string>{
                                "fill price " + ev.open.to_string() + " with slippage "
                                + std::to_string(cfg_.slippage_bps) + " bps does not fit"};
    if (auto* f = std::get_if<fill>(&made))
      out.emplace_back(std::move(*f));
    else
      reject_working(w.state, std::get<std::string>(std::move(made)), ev.ts_ms);
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
