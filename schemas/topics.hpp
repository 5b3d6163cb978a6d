#pragma once
// The in-process topics actors publish on. This is the one place where their names are
// built; the AMQP link maps the same names to exchanges.

#include <array>
#include <string_view>

namespace tradewind {

/// A publish/subscribe channel between actors. Each topic carries a fixed set of message types.
enum class topic : uint8_t {
  market_data, ///< bar, trade_tick, watermark("market")          collector → strategy, executor, portfolio
  signals,     ///< signal, watermark("strategy:<id>")             strategy → risk
  orders,      ///< order_intent (approved), cancel_request, risk_decision, watermark("risk")
               ///<                                                 risk → executor, store
  executions,  ///< order, fill, watermark("executor")             executor → portfolio, store
  account,     ///< account_snapshot, position_update, watermark("account")  portfolio → risk, store, collector
  alerts,      ///< alert                                          anyone → notifier, store
  control,     ///< control_command, order_intent (manual), risk_limits_update / strategy_update
               ///< (operators → risk / strategy) and their reports (risk, strategy → bridge)
};

inline constexpr std::array<topic, 7> all_topics{topic::market_data, topic::signals, topic::orders,
                                                 topic::executions,  topic::account, topic::alerts,
                                                 topic::control};

/// Stable name of a topic ("market_data", …); also the CAF local group name.
constexpr std::string_view topic_name(topic t) {
  switch (t) {
    case topic::market_data: return "market_data";
    case topic::signals: return "signals";
    case topic::orders: return "orders";
    case topic::executions: return "executions";
    case topic::account: return "account";
    case topic::alerts: return "alerts";
    case topic::control: return "control";
  }
  return "unknown";
}

} // namespace tradewind
