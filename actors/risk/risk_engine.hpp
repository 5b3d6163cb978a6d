#pragma once
// The risk gate's logic as a plain object: inputs in, messages to publish out. The actor in
// risk_gate.cpp only forwards messages to it and publishes what it returns, so every rule
// (sizing, checks, trading states, breakers, watermark ordering) is testable without CAF.

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <variant>
#include <vector>

#include "actors/risk/checks.hpp"
#include "actors/risk/decision_queue.hpp"
#include "actors/risk/trading_states.hpp"
#include "actors/storage/store.hpp"
#include "config/node_config.hpp"
#include "schemas/control.hpp"
#include "schemas/trading.hpp"

namespace tradewind::risk {

/// One message for the orders topic.
using order_flow_msg = std::variant<risk_decision, order_intent, cancel_request, watermark>;

/// What one input produced, each list in publish order.
struct gate_output {
  std::vector<order_flow_msg> orders;  ///< for the orders topic
  std::vector<alert> alerts;           ///< for the alerts topic
  std::vector<risk_limits_report> reports; ///< for the control topic (`node` left to the actor)
  /// Scopes whose state (as trading_states::statuses() shows it) this input changed, for the
  /// control topic (`node` left to the actor): what the REST bridge shows.
  std::vector<trading_state_changed> changes;
  std::vector<std::string> warnings;   ///< for the log at warn: ignored commands, late inputs
  /// Trading states this input changed (the kill switch and breaker latches): committed with
  /// the approvals of `orders` in one transaction (store::write_outbox) before any of this
  /// output is published.
  std::vector<trading_state_record> states;
};

/// Owns the trading states, the decision queue and the order book view of the risk gate.
/// Lives inside the risk-gate actor (one instance per node); not thread-safe.
class risk_engine {
public:
  /// Source name of the gate's own watermark and alerts.
  static constexpr const char* source = "risk";

  /// `wall_clock_ms` stamps alerts (event time is used everywhere else).
  risk_engine(risk_config cfg, const std::vector<std::string>& strategy_ids,
              std::function<int64_t()> wall_clock_ms);

  /// Buffers a strategy signal until W >= its ts.
  gate_output on_signal(signal s);

  /// Buffers a manual order intent (topic control) until W >= its ts; it is checked as is.
  gate_output on_manual_intent(order_intent intent);

  /// Advances W; decides what became ready and publishes watermark{"risk", W} when W moved.
  gate_output on_watermark(const watermark& wm);

  /// Keeps the snapshot for later decisions, reconciles pending approvals and runs the
  /// breakers (drawdown trip → cancel_request{""} + critical alert).
  gate_output on_snapshot(account_snapshot snap);

  /// Applies an operator command at once; halt also cancels the scope's open orders.
  gate_output on_control(const control_command& cmd);

  /// Checks the update's limits with the config rules (config/validate.hpp) and, when they
  /// hold, applies them at once: every decision taken afterwards uses them — signals and manual
  /// intents already queued included — and the breakers use them from the next snapshot on.
  /// Like on_control, it acts in arrival order, not event time. Answers with a report; a change
  /// raises the info alert risk_limits_changed, a rejection the warning risk_limits_rejected.
  /// A longer rate window counts only the approvals still remembered (those inside the old one).
  gate_output on_limits_update(const risk_limits_update& update);

  /// Restores the trading states stored before a restart (store::list_trading_states); call
  /// it before the first input. Each record takes effect once the event time passes its
  /// since_ts_ms: before deciding an input with a later ts, before the breakers run on a
  /// later snapshot, and at once on an operator command. On a live feed that is the first
  /// input; a feed replayed from the start re-decides its history as it was first decided
  /// (and re-derives breaker trips from the same snapshots) and finds the restored state
  /// where it changed. A scope the restored state newly halts has its open orders
  /// cancelled, as the original halt did. Raises `trading_state_restored` for every scope
  /// not active (critical when halted, warning otherwise), and announces the restored states
  /// (trading_state_changed) at once and again when each takes effect.
  gate_output restore(std::vector<trading_state_record> records);

  /// Restored records not yet in effect (see restore).
  size_t restoring() const { return restored_.size(); }

  /// The limits in force.
  const risk_config& limits() const { return cfg_; }

  /// A report of the limits in force for `update_id` (empty: the start-up announcement).
  risk_limits_report report(std::string update_id) const;

  const trading_states& states() const { return states_; }

  /// Last W published, or decision_queue::no_watermark.
  int64_t published_watermark() const { return published_; }

  /// Approved orders not yet reported by a snapshot.
  const std::vector<order>& pending_orders() const { return pending_; }

  /// Buffered signals and manual intents.
  size_t queued() const { return queue_.size(); }

private:
  void advance(gate_output& out);
  void decide(queued_input& in, gate_output& out);
  void decide_intent(const order_intent& intent, gate_output& out);
  check_context context_for(const order_intent& intent);
  std::vector<order> open_orders() const;
  void cancel_scope(const control_command& cmd, const std::string& reason, gate_output& out);
  int64_t event_now(int64_t fallback) const;
  void fold_restored(int64_t ts, gate_output& out);
  void record_changes(const std::map<std::string, scope_latch>& before, int64_t since_ts,
                      const std::string& detail, gate_output& out) const;
  /// Puts a trading_state_changed in `out` for every scope whose status differs from `before`;
  /// a scope that became active names `lifted_by` as its cause.
  void announce(const std::map<scope_key, scope_status>& before, int64_t ts, state_cause lifted_by,
                const std::string& detail, gate_output& out) const;
  alert make_alert(severity level, std::string code, std::string message) const;

  risk_config cfg_;
  std::function<int64_t()> wall_clock_ms_;
  decision_queue queue_;
  trading_states states_;
  std::optional<account_snapshot> snapshot_;   ///< latest received
  std::vector<order> pending_;                 ///< approved, not yet in a snapshot
  std::unordered_set<std::string> decided_;    ///< client order ids with a decision
  std::deque<int64_t> approvals_;              ///< event times of recent approvals
  int64_t published_ = decision_queue::no_watermark;
  bool ended_ = false;                         ///< end_of_stream watermark published
  std::deque<trading_state_record> restored_;  ///< by since_ts_ms; not in effect yet
  int64_t restored_until_ = decision_queue::no_watermark; ///< latest since_ts_ms put in effect
};

} // namespace tradewind::risk
