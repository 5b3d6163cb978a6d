#include "actors/risk/sizing.hpp"

#include <algorithm>

namespace tradewind::risk {

fixed_result signed_qty(side s, fixed qty) {
  return s == side::buy ? fixed_result{qty} : -qty;
}

fixed_result open_remaining(const order& o) {
  auto remaining = o.qty - o.filled_qty;
  if (!remaining)
    return remaining;
  return signed_qty(o.order_side, std::max(*remaining, fixed{}));
}

fixed position_of(const account_snapshot& snap, const std::string& symbol) {
  for (auto& p : snap.positions)
    if (p.symbol == symbol)
      return p.qty;
  return fixed{};
}

std::optional<fixed> last_price_of(const account_snapshot& snap, const std::string& symbol) {
  for (auto& p : snap.positions)
    if (p.symbol == symbol && p.last_price > fixed{})
      return p.last_price;
  return std::nullopt;
}

fixed_result open_net_of(const std::vector<order>& open, const std::string& symbol) {
  fixed_result net = fixed{};
  for (auto& o : open)
    if (o.symbol == symbol)
      net = net + open_remaining(o);
  return net;
}

fixed strategy_position_of(const account_snapshot& snap, const std::string& strategy_id,
                           const std::string& symbol) {
  for (auto& p : snap.strategy_positions)
    if (p.strategy_id == strategy_id && p.symbol == symbol)
      return p.qty;
  return {};
}

fixed_result strategy_open_net_of(const std::vector<order>& open, const std::string& strategy_id,
                                  const std::string& symbol) {
  fixed_result net = fixed{};
  for (auto& o : open)
    if (o.symbol == symbol && o.strategy_id == strategy_id)
      net = net + open_remaining(o);
  return net;
}

bool reduces_exposure(fixed current, fixed delta) {
  if (current.is_zero() || delta.is_zero())
    return false;
  if ((current > fixed{}) == (delta > fixed{}))
    return false;
  // Opposite signs: |delta| <= |current| ⇔ current + delta lands on current's side (or 0).
  // That needs no abs(), so INT64_MIN is no special case, and the sum cannot overflow.
  auto after = *(current + delta);
  return current > fixed{} ? after >= fixed{} : after <= fixed{};
}

std::string client_order_id_for(const signal& s) {
  return s.strategy_id + "-" + s.symbol + "-" + std::to_string(s.seq);
}

sized_signal size_signal(const signal& s, fixed position, fixed_result open_net) {
  auto exposure = position + open_net;
  auto delta_r = s.target_qty - exposure;
  auto qty = delta_r.abs();
  if (!qty)
    return {std::nullopt, "cannot size signal " + client_order_id_for(s) + ": target "
                            + s.target_qty.to_string() + " - exposure (position "
                            + position.to_string() + " + open orders "
                            + open_net.to_string()
                            + ") overflows"};
  auto delta = *delta_r;
  if (delta.is_zero())
    return {};
  order_intent intent;
  intent.client_order_id = client_order_id_for(s);
  intent.strategy_id = s.strategy_id;
  intent.symbol = s.symbol;
  intent.order_side = delta > fixed{} ? side::buy : side::sell;
  intent.type = order_type::market;
  intent.qty = *qty;
  intent.reduce_only = reduces_exposure(*exposure, delta);
  intent.ts_ms = s.ts_ms;
  return {std::move(intent), {}};
}

} // namespace tradewind::risk
