#pragma once
// What the bridge knows about the running node: the latest account snapshot and positions,
// recent bars per symbol, a mirror of the trading states, and bounded histories of orders,
// fills, decisions and alerts. Written by the bridge actor, read by the HTTP threads.
// Pure logic (no CAF, no Beast).

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "actors/risk/trading_states.hpp"
#include "config/node_config.hpp"
#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind::rest {

/// Bounds of the in-memory histories.
struct state_limits {
  size_t bars_per_symbol = 500;
  size_t orders = 5'000;
  size_t fills = 5'000;
  size_t decisions = 2'000;
  size_t alerts = 1'000;
  size_t equity_points = 2'000;
};

/// Trading state of one scope as the bridge mirrors it.
struct scope_state {
  scope_kind scope = scope_kind::node;
  std::string scope_id;
  trading_state state = trading_state::active;
};

/// Pipeline progress as seen through watermarks (0 = none yet).
struct pipeline_progress {
  int64_t market_ms = 0;
  int64_t account_ms = 0;
  int64_t risk_ms = 0;
  int64_t executor_ms = 0;
  bool market_ended = false;
  int64_t last_event_wall_ms = 0; ///< wall time the bridge last received anything
};

/// One point of the equity curve.
struct equity_point {
  int64_t ts_ms = 0;
  fixed equity;
};

/// Thread-safe: every method locks one mutex; readers get copies.
class bridge_state {
public:
  bridge_state(risk_config risk, state_limits limits = {});

  // -- writers (the bridge actor) --------------------------------------------------------
  void on_bar(const bar& b);
  void on_tick(const trade_tick& t);
  void on_order(const order& o);
  void on_fill(const fill& f);
  void on_decision(const risk_decision& d);
  void on_position(const position_update& p);
  /// Also runs the breaker mirror; returns the scopes whose state changed.
  std::vector<scope_state> on_snapshot(const account_snapshot& s);
  void on_alert(const alert& a);
  /// Applies a control command to the trading-state mirror; returns the changed scopes.
  std::vector<scope_state> on_control(const control_command& c);
  void on_watermark(const watermark& wm, int64_t wall_ms);
  void touch(int64_t wall_ms);

  // -- readers (HTTP threads) ------------------------------------------------------------
  std::optional<account_snapshot> snapshot() const;
  /// Latest position per symbol (from updates and snapshots), by symbol.
  std::vector<position_update> positions() const;
  /// Latest state of every remembered order, oldest created first.
  std::vector<order> orders() const;
  std::optional<order> find_order(const std::string& client_order_id) const;
  std::vector<fill> fills() const;
  std::vector<risk_decision> decisions() const;
  std::optional<risk_decision> find_decision(const std::string& client_order_id) const;
  std::vector<alert> alerts() const;
  /// Recent bars of `symbol`, oldest first.
  std::vector<bar> bars(const std::string& symbol) const;
  std::vector<std::string> symbols() const;
  std::vector<equity_point> equity_curve() const;
  /// Node state first, then every strategy/symbol scope a command has named.
  std::vector<scope_state> trading() const;
  /// The state that applies to orders of `strategy_id` on `symbol` (most restrictive scope).
  trading_state effective(const std::string& strategy_id, const std::string& symbol) const;
  pipeline_progress progress() const;

private:
  std::vector<scope_state> scopes_locked() const;
  std::vector<scope_state> changed_since(const std::vector<scope_state>& before) const;

  risk_config risk_;
  state_limits limits_;
  mutable std::mutex mtx_;
  risk::trading_states states_;
  std::set<std::pair<scope_kind, std::string>> named_scopes_;
  std::optional<account_snapshot> snapshot_;
  std::map<std::string, position_update> positions_;
  std::map<std::string, std::deque<bar>> bars_;
  std::map<std::string, order> orders_;        ///< by client order id
  std::deque<std::string> order_ids_;           ///< arrival order of first report, for eviction
  std::deque<fill> fills_;
  std::deque<risk_decision> decisions_;
  std::deque<alert> alerts_;
  std::deque<equity_point> equity_;
  pipeline_progress progress_;
};

/// Simple moving average over `window` closes: one value per input, nullopt until the
/// window is full. `window` must be >= 1.
std::vector<std::optional<fixed>> simple_moving_average(const std::vector<fixed>& values, size_t window);

} // namespace tradewind::rest
