#pragma once
// Paper order book: the order state machine and fill model of the paper executor.
// Pure logic (no CAF): every call returns the order updates and fills it produced, in the
// order the executor publishes them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <optional>
#include <variant>
#include <vector>

#include "config/node_config.hpp"
#include "schemas/fixed.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

/// A market print the fill model can match against: a bar, or a trade tick seen as a bar
/// with open = high = low = close = price and volume = qty.
struct market_event {
  std::string symbol;
  int64_t ts_ms = 0; ///< bar open time or trade time
  fixed open;
  fixed high;
  fixed low;
  fixed close;
  fixed volume;
};

market_event to_market_event(const bar& b);
market_event to_market_event(const trade_tick& t);

/// One output of the book: an order state change or a fill.
using execution_event = std::variant<order, fill>;

/// Order state machine and fill model; lives inside the paper executor actor, which is the
/// single owner of order state.
///
/// Lifecycle: accept() publishes one update with status `accepted` (no separate `new_order`
/// update: a paper venue acknowledges synchronously) or one `rejected` update. Fills move an
/// order to `partially_filled` / `filled`; cancel() moves it to `cancelled`.
///
/// Fill model, per working order of the event's symbol whose intent time is strictly before
/// the event time, in acceptance order:
/// - market: price = open × (1 ± slippage_bps / 10000), buy pays more, sell receives less,
///   rounded half away from zero to 8 digits;
/// - limit buy: fills when low <= limit at min(open, limit); limit sell: when high >= limit
///   at max(open, limit); no slippage;
/// - qty = min(remaining, volume × max_participation_pct / 100), the cap rounded DOWN to
///   8 digits so an order never takes more than its share; a zero cap means no fill;
/// - fee = round(round(price × qty) × fee_bps / 10000): the fee is charged on the same
///   rounded notional the portfolio books;
/// - avg_fill_price = Σ price×qty / Σ qty, computed exactly and rounded once.
/// Each fill is followed by the order update it caused.
/// A fill whose price, notional, fee or average does not fit `fixed` is not made: the order
/// goes to `rejected` with the reason instead (the executor alerts on rejections), because a
/// fill with a wrapped notional would book a wrong cash amount downstream.
class order_book {
public:
  explicit order_book(executor_config cfg);

  /// Accepts an approved intent at event time `now_ts_ms` (created/updated time of the
  /// order). Returns the `accepted` update, a `rejected` update (qty <= 0, limit order
  /// without a positive price, empty id or symbol, a limit notional or fee that does not
  /// fit `fixed`), or nothing when the client order id was
  /// seen before in any state: a repeated intent never makes a second order.
  std::vector<execution_event> accept(const order_intent& intent, int64_t now_ts_ms);

  /// Matches every eligible working order against one market event (see class comment).
  /// Returns, per order that traded, its fill followed by its updated order.
  std::vector<execution_event> on_market(const market_event& ev);

  /// Cancels the working order `client_order_id`, or every working order when it is empty,
  /// at time `ts_ms`. Unknown or terminal orders are left alone. Returns the `cancelled`
  /// updates in acceptance order.
  std::vector<execution_event> cancel(const std::string& client_order_id, int64_t ts_ms);

  /// The working (non-terminal) order with this id, or nullptr.
  const order* find_working(const std::string& client_order_id) const;
  /// Number of working orders.
  std::size_t working_count() const { return working_.size(); }

private:
  struct working_order {
    order state;
    int64_t intent_ts_ms = 0;    ///< fills only on events strictly after this time
    __int128 notional_raw2 = 0;  ///< Σ price.raw × qty.raw (scale²), for the exact VWAP
    uint32_t fills = 0;          ///< number of fills so far (fill id suffix)
  };

  /// The fill price on `ev`, nullopt when the order does not trade; an error when the
  /// slipped price does not fit.
  std::optional<fixed_result> fill_price(const working_order& w, const market_event& ev) const;
  fixed participation_cap(fixed volume) const;
  /// The fill of `qty` at `price`, or why it does not fit (then `w` is unchanged).
  std::variant<fill, std::string> make_fill(working_order& w, fixed price, fixed qty,
                                            int64_t ts_ms);

  executor_config cfg_;
  std::unordered_set<std::string> seen_ids_; ///< every client order id ever accepted or rejected
  std::vector<working_order> working_;       ///< non-terminal orders in acceptance order
};

} // namespace tradewind
