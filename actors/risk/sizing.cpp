#include "actors/risk/sizing.hpp"

#include <algorithm>

namespace tradewind::risk {

fixed signed_qty(side s, fixed qty) {
  return s == side::buy ? qty : -qty;
}

fixed open_remaining(const order& o) {
  auto remaining = std::max(o.qty - o.filled_qty, fixed{});
  return signed_qty(o.order_side, remaining);
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

fixed open_net_of(const std::vector<order>& open, const std::string& symbol) {
  fixed net;
  for (auto& o : open)
    if (o.symbol == symbol)
      net += open_remaining(o);
  return net;
}

fixed strategy_position_of(const account_snapshot& snap, const std::string& strategy_id,
                           const std::string& symbol) {
  for (auto& p : snap.strategy_positions)
    if (p.strategy_id == strategy_id && p.symbol == symbol)
      return p.qty;
  return {};
}

fixed strategy_open_net_of(const std::vector<order>& open, const std::string& strategy_id,
                           const std::string& symbol) {
  fixed net;
  for (auto& o : open)
    if (o.symbol == symbol && o.strategy_id == strategy_id)
      net += open_remaining(o);
  return net;
}

bool reduces_exposure(fixed current, fixed delta) {
  if (current.is_zero() || delta.is_zero())
    return false;
  bool opposite = (current > fixed{}) != (delta > fixed{});
  return opposite && delta.abs() <= current.abs();
}

std::string client_order_id_for(const signal& s) {
  return s.strategy_id + "-" + s.symbol + "-" + std::to_string(s.seq);
}

std::optional<order_intent> size_signal(const signal& s, fixed position, fixed open_net) {
  auto exposure = position + open_net;
  auto delta = s.target_qty - exposure;
  if (delta.is_zero())
    return std::nullopt;
  order_intent intent;
  intent.client_order_id = client_order_id_for(s);
  intent.strategy_id = s.strategy_id;
  intent.symbol = s.symbol;
  intent.order_side = delta > fixed{} ? side::buy : side::sell;
  intent.type = order_type::market;
  intent.qty = delta.abs();
  intent.reduce_only = reduces_exposure(exposure, delta);
  intent.ts_ms = s.ts_ms;
  return intent;
}

} // namespace tradewind::risk
