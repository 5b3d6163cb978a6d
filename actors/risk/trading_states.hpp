#pragma once
// Trading state (ACTIVE / REDUCING / HALTED) per scope, and the drawdown and daily-loss
// breakers that switch it from account snapshots. Pure logic: no CAF. Lives inside the
// risk-gate actor.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/node_config.hpp"
#include "schemas/control.hpp"
#include "schemas/enums.hpp"
#include "schemas/trading.hpp"

namespace tradewind::risk {

/// The most restrictive state that applies to one order, and which scope imposed it.
struct scope_verdict {
  trading_state state = trading_state::active;
  std::string why; ///< "node halted", "strategy s1 reducing", "daily loss breaker", … ("" if active)
  /// Denial code for orders this state blocks: trading_halted / reduce_only for operator
  /// states, max_drawdown / daily_loss_limit when a breaker set the state.
  deny_reason reason = deny_reason::none;
};

/// What a control command did.
struct control_outcome {
  bool valid = true;        ///< false: command ignored (see error)
  std::string error;        ///< why the command was ignored
  std::string scope_label;  ///< "node", "strategy s1", "symbol BTCUSDT"
  trading_state before = trading_state::active;
  trading_state after = trading_state::active;
  bool changed() const { return valid && before != after; }
};

/// A breaker transition seen on an account snapshot.
struct breaker_event {
  enum kind_t : uint8_t {
    drawdown_tripped,  ///< node HALTED, kill switch fires
    daily_loss_tripped, ///< node reduce-only until the UTC day changes
    daily_loss_reset,  ///< new UTC day: daily-loss restriction lifted
  };
  kind_t kind;
  std::string message; ///< one line with the numbers that triggered it
};

/// What the store keeps of one scope (store::trading_state_record without the times): the
/// kill switch of a scope or a breaker latch.
struct scope_latch {
  trading_state state = trading_state::active;
  std::string cause = "operator"; ///< "operator", "drawdown" (node only) or "daily_loss"
  fixed day_start_equity;         ///< daily_loss only
  int64_t utc_day = 0;            ///< daily_loss only: UTC day number of the trip
  bool operator==(const scope_latch& o) const {
    return state == o.state && cause == o.cause && day_start_equity == o.day_start_equity && utc_day == o.utc_day;
  }
  bool operator!=(const scope_latch& o) const { return !(*this == o); }
};

/// The state one scope is in as the risk gate announces it (trading_state_changed).
struct scope_status {
  trading_state state = trading_state::active;
  state_cause cause = state_cause::operator_command; ///< what imposed `state` (not meaningful when active)
  bool operator==(const scope_status& o) const {
    return state == o.state && (state == trading_state::active || cause == o.cause);
  }
  bool operator!=(const scope_status& o) const { return !(*this == o); }
};

/// A scope as the control messages name it: (node, ""), (strategy, id), (symbol, symbol).
using scope_key = std::pair<scope_kind, std::string>;

/// Trading states of the node, of each strategy and of each symbol, plus breaker latches.
/// Scopes combine by taking the most restrictive state (HALTED > REDUCING > ACTIVE).
class trading_states {
public:
  /// Applies an operator command; resume at node scope also clears the drawdown latch.
  control_outcome apply(const control_command& cmd);

  /// Evaluates both breakers on a snapshot, in this order: drawdown, then daily loss.
  /// Drawdown (drawdown_pct >= max_drawdown_pct) halts the node until an operator resume;
  /// it trips again on the next snapshot if the breach persists. Daily loss
  /// (equity - day_start_equity <= -daily_loss_limit_pct % of day_start_equity) makes the
  /// node reduce-only until the snapshot's UTC day or its day_start_equity changes.
  std::vector<breaker_event> on_snapshot(const account_snapshot& snap, const risk_config& cfg);

  /// The state that applies to an order of `strategy_id` on `symbol`.
  scope_verdict effective(const std::string& strategy_id, const std::string& symbol) const;

  /// The operator/breaker state of one scope alone (scope_id ignored for node).
  trading_state state_of(scope_kind scope, const std::string& scope_id) const;

  /// True while the daily-loss breaker holds the node reduce-only.
  bool daily_loss_active() const { return daily_loss_active_; }

  /// True while the node is halted by the drawdown breaker (not by an operator).
  bool halted_by_drawdown() const { return node_ == trading_state::halted && node_by_breaker_; }

  /// Every scope that is not active, by key: "node", "strategy:<id>", "symbol:<symbol>",
  /// "daily_loss". Comparing two of these tells which scopes a step changed.
  std::map<std::string, scope_latch> latches() const;

  /// The node (always) and every strategy and symbol not active, each with what imposed its
  /// state. The node's state is the one its orders see: its own (operator or drawdown), else
  /// REDUCING while the daily-loss breaker holds. Comparing two of these tells which scopes a
  /// step changed as the bridge shows them.
  std::map<scope_key, scope_status> statuses() const;

  /// Sets the scope `key` (as in latches()) to `latch`, e.g. from the store after a restart.
  /// False (nothing changed) for an unknown key or a cause that does not fit the scope.
  bool restore(const std::string& key, const scope_latch& latch);

private:
  trading_state node_ = trading_state::active;
  bool node_by_breaker_ = false;
  std::map<std::string, trading_state> strategies_; ///< absent = active
  std::map<std::string, trading_state> symbols_;    ///< absent = active
  bool daily_loss_active_ = false;
  int64_t daily_loss_day_ = 0;      ///< UTC day number (ts / 86 400 000) of the trip
  fixed daily_loss_day_start_;      ///< day_start_equity when it tripped
};

/// The state a control action switches its scope to.
trading_state target_state(control_action action);

/// Alert severity of entering `state`: info (active), warning (reducing), critical (halted).
severity severity_of(trading_state state);

} // namespace tradewind::risk
