#include "schemas/enums.hpp"

#include <array>
#include <utility>

namespace tradewind {

namespace {

template <class Enum, size_t N>
using names = std::array<std::pair<Enum, std::string_view>, N>;

constexpr names<side, 2> side_names{{{side::buy, "buy"}, {side::sell, "sell"}}};
constexpr names<order_type, 2> type_names{{{order_type::market, "market"}, {order_type::limit, "limit"}}};
constexpr names<order_status, 6> status_names{{{order_status::new_order, "new"},
                                               {order_status::accepted, "accepted"},
                                               {order_status::partially_filled, "partially_filled"},
                                               {order_status::filled, "filled"},
                                               {order_status::cancelled, "cancelled"},
                                               {order_status::rejected, "rejected"}}};
constexpr names<deny_reason, 13> reason_names{{{deny_reason::none, "none"},
                                               {deny_reason::trading_halted, "trading_halted"},
                                               {deny_reason::reduce_only, "reduce_only"},
                                               {deny_reason::max_position, "max_position"},
                                               {deny_reason::max_notional, "max_notional"},
                                               {deny_reason::max_open_orders, "max_open_orders"},
                                               {deny_reason::price_collar, "price_collar"},
                                               {deny_reason::rate_limited, "rate_limited"},
                                               {deny_reason::daily_loss_limit, "daily_loss_limit"},
                                               {deny_reason::max_drawdown, "max_drawdown"},
                                               {deny_reason::invalid_order, "invalid_order"},
                                               {deny_reason::no_market_data, "no_market_data"},
                                               {deny_reason::duplicate_order, "duplicate_order"}}};
constexpr names<trading_state, 3> state_names{{{trading_state::active, "active"},
                                               {trading_state::reducing, "reducing"},
                                               {trading_state::halted, "halted"}}};
constexpr names<control_action, 3> action_names{{{control_action::halt, "halt"},
                                                 {control_action::reduce_only, "reduce_only"},
                                                 {control_action::resume, "resume"}}};
constexpr names<scope_kind, 3> scope_names{{{scope_kind::node, "node"},
                                            {scope_kind::strategy, "strategy"},
                                            {scope_kind::symbol, "symbol"}}};
constexpr names<state_cause, 3> cause_names{{{state_cause::operator_command, "operator"},
                                             {state_cause::drawdown, "drawdown"},
                                             {state_cause::daily_loss, "daily_loss"}}};
constexpr names<severity, 3> severity_names{{{severity::info, "info"},
                                             {severity::warning, "warning"},
                                             {severity::critical, "critical"}}};

template <class Enum, size_t N>
std::string_view name_of(const names<Enum, N>& table, Enum e) {
  for (auto& [value, name] : table)
    if (value == e)
      return name;
  return "unknown";
}

template <class Enum, size_t N>
std::optional<Enum> parse(const names<Enum, N>& table, std::string_view s) {
  for (auto& [value, name] : table)
    if (name == s)
      return value;
  return std::nullopt;
}

} // namespace

std::string_view to_string(side x) { return name_of(side_names, x); }
std::string_view to_string(order_type x) { return name_of(type_names, x); }
std::string_view to_string(order_status x) { return name_of(status_names, x); }
std::string_view to_string(deny_reason x) { return name_of(reason_names, x); }
std::string_view to_string(trading_state x) { return name_of(state_names, x); }
std::string_view to_string(control_action x) { return name_of(action_names, x); }
std::string_view to_string(scope_kind x) { return name_of(scope_names, x); }
std::string_view to_string(state_cause x) { return name_of(cause_names, x); }
std::string_view to_string(severity x) { return name_of(severity_names, x); }

template <> std::optional<side> enum_from_string(std::string_view s) { return parse(side_names, s); }
template <> std::optional<order_type> enum_from_string(std::string_view s) { return parse(type_names, s); }
template <> std::optional<order_status> enum_from_string(std::string_view s) { return parse(status_names, s); }
template <> std::optional<deny_reason> enum_from_string(std::string_view s) { return parse(reason_names, s); }
template <> std::optional<trading_state> enum_from_string(std::string_view s) { return parse(state_names, s); }
template <> std::optional<control_action> enum_from_string(std::string_view s) { return parse(action_names, s); }
template <> std::optional<scope_kind> enum_from_string(std::string_view s) { return parse(scope_names, s); }
template <> std::optional<state_cause> enum_from_string(std::string_view s) { return parse(cause_names, s); }
template <> std::optional<severity> enum_from_string(std::string_view s) { return parse(severity_names, s); }

} // namespace tradewind
