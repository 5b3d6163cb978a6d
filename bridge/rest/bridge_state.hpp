#pragma once
// What the bridge knows about the running node: the latest account snapshot and positions,
// recent bars per symbol, the trading states the risk gate announces (trading_state_changed),
// the risk limits and strategy parameters their actors report, and bounded histories of
// orders, fills, decisions and alerts. Written by the bridge actor, read by the HTTP threads.
// Pure logic (no CAF, no Beast).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "actors/storage/store.hpp"
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

/// Trading state of one scope as the risk gate last announced it.
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

/// How the actor that applied an update answered (risk_limits_report, strategy_report).
struct update_outcome {
  bool accepted = false;
  std::string error; ///< why it was rejected; empty if accepted
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
  void on_snapshot(const account_snapshot& s);
  void on_alert(const alert& a);
  /// Keeps what the risk gate announced for the message's scope (the last word wins); returns
  /// the scope if its state changed.
  std::vector<scope_state> on_state(const trading_state_changed& c);
  /// Takes the states stored before a restart (store::list_trading_states) until the risk gate
  /// announces others; returns the scopes that changed. As the gate shows them, a stored
  /// daily-loss latch makes an otherwise active node REDUCING.
  std::vector<scope_state> restore(const std::vector<trading_state_record>& records);
  void on_watermark(const watermark& wm, int64_t wall_ms);
  void touch(int64_t wall_ms);
  /// A risk gate's report: accepted limits become the ones shown; the outcome is kept for
  /// wait_for_update().
  void on_risk_limits(const risk_limits_report& r);
  /// A strategy instance's report: accepted parameters become the ones shown for its id.
  void on_strategy(const strategy_report& r);

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
  /// Node state first (active until announced), then every strategy/symbol scope the risk gate
  /// or the store has named, by kind and id.
  std::vector<scope_state> trading() const;
  pipeline_progress progress() const;
  /// The limits the risk gate last reported (the configured ones until it does).
  risk_config current_limits() const;
  /// The parameters strategy `id` last reported; nullopt before its first report.
  std::optional<strategy_params> reported_params(const std::string& id) const;
  /// Waits up to `timeout` for the first report answering `update_id` (one that arrived
  /// before the call counts too); nullopt on timeout. The last 256 outcomes are remembered.
  std::optional<update_outcome> wait_for_update(const std::string& update_id,
                                                std::chrono::milliseconds timeout) const;

private:
  void record_outcome_locked(const std::string& update_id, bool accepted, const std::string& error);
  std::vector<scope_state> scopes_locked() const;
  /// Sets one scope; returns it if its state changed.
  std::vector<scope_state> set_locked(scope_kind scope, const std::string& scope_id, trading_state state);

  risk_config risk_;
  state_limits limits_;
  mutable std::mutex mtx_;
  mutable std::condition_variable reported_; ///< signalled on every update outcome
  std::map<std::string, update_outcome> outcomes_; ///< by update id
  std::deque<std::string> outcome_ids_;        ///< arrival order, for eviction
  std::map<std::string, strategy_params> strategy_params_; ///< last accepted report per id
  /// Last announced (or restored) state per scope; the node's is absent until announced.
  std::map<std::pair<scope_kind, std::string>, trading_state> states_;
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

} // namespace tradewind::rest
