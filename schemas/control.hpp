#pragma once
// Control-plane messages: alerts, operator commands, trading-state changes, live risk-limit and strategy-parameter
// updates with their reports, heartbeats and event-time watermarks.

#include <cstdint>
#include <string>
#include <vector>

#include "schemas/enums.hpp"
#include "schemas/fixed.hpp"

namespace tradewind {

/// Something an operator should know about; routed by severity to notifier channels.
struct alert {
  static constexpr int schema_version = 1;
  severity level = severity::info;
  std::string code;      ///< stable machine name: "breaker_tripped", "actor_restarted", …
  std::string source;    ///< actor or component that raised it
  std::string message;   ///< one line for humans
  int64_t ts_ms = 0;     ///< wall-clock time it was raised
};

/// Operator command that switches the trading state of a scope.
struct control_command {
  static constexpr int schema_version = 1;
  control_action action = control_action::halt;
  scope_kind scope = scope_kind::node;
  std::string scope_id;  ///< strategy id or symbol; empty for node scope
  std::string reason;
  std::string issued_by; ///< operator, API key id or component
  int64_t ts_ms = 0;
};

/// The risk gate's pre-trade limits; the node config's `risk.*` section (config/node_config.hpp
/// risk_config) and the payload of risk_limits_update / risk_limits_report. Percentages are in
/// percent (50 = 50 %). Rules: config/validate.hpp validate_risk_limits().
struct risk_limits {
  fixed max_position_pct = fixed::from_int<50>();      ///< |position| × price / equity, (0, 100]
  fixed max_order_notional = fixed::from_int<10'000>(); ///< qty × price per order, > 0
  int32_t max_open_orders = 10;                      ///< >= 1
  int64_t price_collar_bps = 500;                    ///< limit vs last trade, > 0
  int32_t max_orders_per_window = 30;                ///< approved orders per window, >= 1
  int64_t rate_window_ms = 60'000;                   ///< event-time window, > 0
  fixed daily_loss_limit_pct = fixed::from_int<5>();   ///< loss vs day start equity → REDUCING, (0, 100]
  fixed max_drawdown_pct = fixed::from_int<20>();      ///< drawdown from high-water mark → HALTED, (0, 100]
};

/// Operator change of the risk limits (topic control): the complete limit set to apply — the
/// REST API merges a request onto the limits in force. The risk gate checks it with the config
/// rules and applies it at once, in arrival order like a control_command: every decision it
/// takes afterwards uses the new limits. It answers with a risk_limits_report.
struct risk_limits_update {
  static constexpr int schema_version = 1;
  std::string update_id; ///< unique; echoed by the report
  risk_limits limits;
  std::string reason;
  std::string issued_by; ///< operator, API key id or component
  int64_t ts_ms = 0;     ///< wall clock
};

/// The limits a risk gate applies (topic control): published when the gate starts (update_id
/// empty) and in answer to every risk_limits_update. What the REST bridge shows.
struct risk_limits_report {
  static constexpr int schema_version = 1;
  std::string node;      ///< node of the risk gate
  std::string update_id; ///< the update answered; empty for the start-up announcement
  bool accepted = true;  ///< false: the update broke a rule and `limits` did not change
  std::string error;     ///< why it was rejected ("max_open_orders: must be >= 1, got 0"); empty if accepted
  risk_limits limits;    ///< in force after this report
  int64_t ts_ms = 0;     ///< wall clock
};

/// The tunable parameters of one moving-average crossover strategy (`strategies[]` keys of the
/// same names, config/node_config.hpp). Rules: config/validate.hpp validate_strategy_params().
struct strategy_params {
  int32_t fast = 10;                            ///< fast window in bars, >= 1
  int32_t slow = 30;                            ///< slow window in bars, > fast
  fixed order_notional = fixed::from_int<1000>(); ///< target position size in quote currency, > 0
  fixed qty_step = fixed::from_raw(1000);       ///< lot size the target is rounded down to, > 0
  bool allow_short = false;                     ///< cross-down goes short instead of flat
};

/// Operator change of a strategy's parameters (topic control), applied by every running
/// instance of `strategy_id` in arrival order, from the next market event it handles
/// (actors/strategies/strategy.hpp says what happens to the indicators). Each instance answers
/// with a strategy_report.
struct strategy_update {
  static constexpr int schema_version = 1;
  std::string update_id; ///< unique; echoed by the reports
  std::string strategy_id;
  strategy_params params;
  std::string reason;
  std::string issued_by; ///< operator, API key id or component
  int64_t ts_ms = 0;     ///< wall clock
};

/// The parameters a strategy instance runs with (topic control): published when it starts
/// (update_id empty) and in answer to every strategy_update for its id.
struct strategy_report {
  static constexpr int schema_version = 1;
  std::string node;      ///< node of the strategy instance
  std::string strategy_id;
  std::string update_id; ///< the update answered; empty for the start-up announcement
  bool accepted = true;  ///< false: the update broke a rule and `params` did not change
  std::string error;     ///< why it was rejected; empty if accepted
  strategy_params params; ///< in force after this report
  int64_t ts_ms = 0;     ///< wall clock
};

/// The trading state a risk gate put one scope in (topic control): published whenever the
/// state of a scope changes — an operator command, a breaker trip or reset, a state restored
/// from the store at start — so the REST bridge (also on another node, over AMQP) shows what
/// the gate enforces instead of re-deriving it. For the node scope, `state` is the node as
/// orders see it: the node's own state, or REDUCING while the daily-loss breaker holds it.
struct trading_state_changed {
  static constexpr int schema_version = 1;
  std::string node;      ///< node of the risk gate
  scope_kind scope = scope_kind::node;
  std::string scope_id;  ///< strategy id or symbol; empty for node scope
  trading_state state = trading_state::active; ///< in force from now on
  state_cause cause = state_cause::operator_command; ///< what switched it (for active: what lifted it)
  int64_t ts_ms = 0;     ///< event time the state holds from
  std::string detail;    ///< one line for humans: the command, the breaker's numbers, "restored …"
};

/// Liveness of a node, published periodically.
struct heartbeat {
  static constexpr int schema_version = 1;
  std::string node;
  uint64_t seq = 0;
  int64_t ts_ms = 0;
  std::vector<std::string> actors;
  trading_state state = trading_state::active;
};

/// Event-time progress marker: its sender has emitted everything with event time <= ts_ms.
/// Watermarks are what make a run deterministic: each stage waits for its inputs'
/// watermarks instead of relying on message arrival order across actors.
struct watermark {
  static constexpr int schema_version = 1;
  std::string source;    ///< "market", "strategy:<id>", "account", "risk"
  int64_t ts_ms = 0;
  bool end_of_stream = false; ///< the source will emit nothing more
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, alert& x) {
  return f(caf_type_name("alert"), x.level, x.code, x.source, x.message, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, control_command& x) {
  return f(caf_type_name("control_command"), x.action, x.scope, x.scope_id, x.reason, x.issued_by,
           x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, risk_limits& x) {
  return f(caf_type_name("risk_limits"), x.max_position_pct, x.max_order_notional, x.max_open_orders,
           x.price_collar_bps, x.max_orders_per_window, x.rate_window_ms, x.daily_loss_limit_pct,
           x.max_drawdown_pct);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, risk_limits_update& x) {
  return f(caf_type_name("risk_limits_update"), x.update_id, x.limits, x.reason, x.issued_by, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trading_state_changed& x) {
  return f(caf_type_name("trading_state_changed"), x.node, x.scope, x.scope_id, x.state, x.cause, x.ts_ms,
           x.detail);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, risk_limits_report& x) {
  return f(caf_type_name("risk_limits_report"), x.node, x.update_id, x.accepted, x.error, x.limits,
           x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, strategy_params& x) {
  return f(caf_type_name("strategy_params"), x.fast, x.slow, x.order_notional, x.qty_step,
           x.allow_short);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, strategy_update& x) {
  return f(caf_type_name("strategy_update"), x.update_id, x.strategy_id, x.params, x.reason,
           x.issued_by, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, strategy_report& x) {
  return f(caf_type_name("strategy_report"), x.node, x.strategy_id, x.update_id, x.accepted, x.error,
           x.params, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, heartbeat& x) {
  return f(caf_type_name("heartbeat"), x.node, x.seq, x.ts_ms, x.actors, x.state);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, watermark& x) {
  return f(caf_type_name("watermark"), x.source, x.ts_ms, x.end_of_stream);
}

} // namespace tradewind
