#pragma once
// Test-only: an actor that records everything published on the node's topics, so tests
// can check invariants independently of the actors that produced the messages.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "caf/fwd.hpp"

#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind::test {

struct recording {
  std::vector<bar> bars;
  std::vector<trade_tick> ticks;
  std::vector<risk_decision> decisions;
  std::vector<order_intent> approved;
  std::vector<order> order_updates;
  std::vector<fill> fills;
  std::map<int64_t, account_snapshot> snapshots; ///< by event time
  std::vector<alert> alerts;
  std::vector<cancel_request> cancels;
};

/// Shared between the observer actor and the test thread; read it after the run ended.
struct observer_log {
  std::mutex mtx;
  recording rec;
  /// Called (observer thread) after each market event with the count so far.
  std::function<void(size_t)> on_market_event;
};

caf::actor spawn_observer(caf::actor_system& sys, std::shared_ptr<observer_log> log);

} // namespace tradewind::test
