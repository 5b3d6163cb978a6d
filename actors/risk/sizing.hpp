#pragma once
// Signal → order intent sizing, and the exposure arithmetic the pre-trade checks share.
// Pure functions: no CAF, all quantities in `fixed`.

#include <optional>
#include <string>
#include <vector>

#include "schemas/fixed.hpp"
#include "schemas/trading.hpp"

namespace tradewind::risk {

/// Signed quantity of an order side: +qty for buy, -qty for sell.
fixed_result signed_qty(side s, fixed qty);

/// Quantity of `o` still working (qty - filled_qty, never negative), signed by its side.
fixed_result open_remaining(const order& o);

/// Signed position of `symbol` in `snap`; zero when the symbol is absent.
fixed position_of(const account_snapshot& snap, const std::string& symbol);

/// Last price of `symbol` in `snap`; nullopt when absent or not positive.
std::optional<fixed> last_price_of(const account_snapshot& snap, const std::string& symbol);

/// Net signed remaining quantity of the orders in `open` for `symbol` (an error when the
/// sum does not fit).
fixed_result open_net_of(const std::vector<order>& open, const std::string& symbol);

/// The strategy's own share of `symbol` (sum of its signed fills); signals size against it.
fixed strategy_position_of(const account_snapshot& snap, const std::string& strategy_id,
                           const std::string& symbol);

/// Signed remaining quantity of the strategy's open orders in `symbol`.
fixed_result strategy_open_net_of(const std::vector<order>& open, const std::string& strategy_id,
                           const std::string& symbol);

/// True iff moving exposure from `current` by `delta` strictly shrinks |exposure| without
/// crossing zero (landing exactly on zero counts as reducing).
bool reduces_exposure(fixed current, fixed delta);

/// The client order id of the intent sized from `s`: "<strategy_id>-<symbol>-<seq>".
std::string client_order_id_for(const signal& s);

/// What sizing one signal gives: an intent, nothing to do, or why it cannot be sized.
struct sized_signal {
  std::optional<order_intent> intent; ///< set when an order is needed
  std::string error;                  ///< non-empty when the exposure arithmetic overflowed
};

/// Sizes `s` against the current exposure (`position` + `open_net`, both signed):
/// delta = target_qty - exposure. No intent when delta is zero, otherwise a market
/// intent for |delta| on the side of delta's sign, stamped with the signal's event time;
/// reduce_only is set when the intent strictly reduces |exposure| without flipping it.
/// When exposure or delta does not fit (or open_net is already an error) there is no intent
/// and `error` says why: an order sized from a wrapped delta could point the wrong way.
sized_signal size_signal(const signal& s, fixed position, fixed_result open_net);

} // namespace tradewind::risk
