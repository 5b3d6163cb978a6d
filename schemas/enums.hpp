#pragma once
// Enumerations shared by several message families, with their stable text names
// (used in JSON, logs, metrics labels and the database).

#include <cstdint>
#include <optional>
#include <string_view>

#include "caf/meta/type_name.hpp"

namespace tradewind {

inline auto caf_type_name(const char* n) { return caf::meta::type_name(n); }

/// Order or trade side.
enum class side : uint8_t {
  buy,  ///< bids / increases a long position
  sell, ///< offers / decreases a long position
};

/// Order type.
enum class order_type : uint8_t {
  market, ///< fills at the next market price
  limit,  ///< fills only at the limit price or better
};

/// Order lifecycle, owned by the executor.
enum class order_status : uint8_t {
  new_order,        ///< created, not yet acknowledged by the venue
  accepted,         ///< resting at the venue
  partially_filled, ///< some quantity filled, the rest still working
  filled,           ///< completely filled (terminal)
  cancelled,        ///< cancelled with quantity left (terminal)
  rejected,         ///< refused by the venue (terminal)
};

/// Why the risk gate denied an order intent; `none` on approval.
enum class deny_reason : uint8_t {
  none,                ///< approved
  trading_halted,      ///< trading state is HALTED for this scope
  reduce_only,         ///< state is REDUCING and the order would grow exposure
  max_position,        ///< resulting position exceeds max_position_pct of equity
  max_notional,        ///< order notional exceeds max_order_notional
  max_open_orders,     ///< too many open orders
  price_collar,        ///< limit price too far from the last trade
  rate_limited,        ///< order-rate throttle exceeded
  daily_loss_limit,    ///< today's loss reached daily_loss_limit
  max_drawdown,        ///< drawdown breaker tripped
  invalid_order,       ///< zero quantity, missing price, unknown symbol…
  no_market_data,      ///< no last price for the symbol yet
  duplicate_order,     ///< client order id already seen
};

/// Trading state of a scope, switched by control commands and breakers.
enum class trading_state : uint8_t {
  active,   ///< all orders allowed (subject to limits)
  reducing, ///< only exposure-reducing orders
  halted,   ///< no orders; open orders are cancelled
};

/// Operator control verbs.
enum class control_action : uint8_t {
  halt,        ///< kill switch: HALTED + cancel every open order
  reduce_only, ///< REDUCING
  resume,      ///< ACTIVE
};

/// What a control command applies to.
enum class scope_kind : uint8_t {
  node,     ///< the whole node
  strategy, ///< one strategy id
  symbol,   ///< one symbol
};

/// What put a scope in its trading state (trading_state_changed::cause; the store's
/// trading_state_record::cause carries the same names).
enum class state_cause : uint8_t {
  operator_command, ///< "operator": a control command (halt, reduce_only, resume)
  drawdown,         ///< "drawdown": the drawdown breaker halted the node
  daily_loss,       ///< "daily_loss": the daily-loss breaker made the node reduce-only, or its reset
};

/// Alert severity, used for routing to notifier channels.
enum class severity : uint8_t {
  info,
  warning,
  critical,
};

std::string_view to_string(side);
std::string_view to_string(order_type);
std::string_view to_string(order_status);
std::string_view to_string(deny_reason);
std::string_view to_string(trading_state);
std::string_view to_string(control_action);
std::string_view to_string(scope_kind);
std::string_view to_string(state_cause);
std::string_view to_string(severity);

/// Parses the text names above; nullopt for an unknown name.
template <class Enum>
std::optional<Enum> enum_from_string(std::string_view);

inline bool is_terminal(order_status s) {
  return s == order_status::filled || s == order_status::cancelled || s == order_status::rejected;
}

} // namespace tradewind
