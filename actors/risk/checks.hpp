#pragma once
// Pre-trade checks of the risk gate. Pure logic: no CAF, money in `fixed`.
//
// Checks run in this order and the first failure wins:
//   1. invalid_order   qty <= 0, limit order without a price, market order with a price;
//                      later also any pre-trade amount that does not fit `fixed`
//                      (exposure, notional, position notional): an amount that would wrap
//                      could pass every limit, so it is refused, never compared
//   2. trading_halted  node, strategy or symbol scope HALTED (incl. the drawdown breaker)
//   3. duplicate_order the client order id was already decided
//   4. reduce_only     scope REDUCING (or daily-loss breaker) and the order does not
//                      strictly reduce |exposure|
//   5. no_market_data  no last price for the symbol
//   6. price_collar    limit orders: |limit - last| / last > price_collar_bps
//   7. max_notional    qty × price > max_order_notional (price = limit, else last)
//   8. max_position    exposure-increasing orders: |exposure + signed qty| × last
//                      > max_position_pct % of equity
//   9. max_open_orders exposure-increasing orders: open orders >= max_open_orders
//  10. rate_limited    approved orders in the last rate_window_ms of event time
//                      >= max_orders_per_window
// Halted comes before duplicate so a halted gate answers "halted" whatever it is sent;
// cheap, data-free checks come before the ones that need a market price.

#include <optional>

#include "actors/risk/trading_states.hpp"
#include "config/node_config.hpp"
#include "schemas/trading.hpp"

namespace tradewind::risk {

/// Everything the checks need besides the intent, gathered by the caller.
struct check_context {
  scope_verdict state;            ///< effective trading state for the intent's scopes
  bool duplicate = false;         ///< client order id already decided
  std::optional<fixed> last_price; ///< last price of the symbol; nullopt = no market data
  fixed position;                 ///< signed position in the symbol
  fixed_result open_net = fixed{}; ///< signed remaining qty of open (and pending) orders in the symbol
  int open_orders = 0;            ///< open orders on the node, pending approvals included
  fixed equity;                   ///< account equity
  int approved_in_window = 0;     ///< approvals with ts in (intent ts - rate_window_ms, intent ts]
};

/// Runs the checks above on `intent`. The decision carries the intent's ids and event
/// time; denials carry a reason code and a detail with the numbers, e.g.
/// "notional 12000.5 > max_order_notional 10000".
risk_decision check_intent(const order_intent& intent, const check_context& ctx,
                           const risk_config& cfg);

} // namespace tradewind::risk
