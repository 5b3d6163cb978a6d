#pragma once
// One-for-one supervisor: monitors its children, restarts a failed one with exponential
// back-off, and escalates (node HALTED + critical alert) when a child fails too often.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/fwd.hpp"

#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// How to (re)start one child. `start` must return a fresh actor each time it is called;
/// state that must survive a restart (e.g. a replay cursor) is captured by the closure.
struct child_spec {
  std::string name;
  std::function<caf::actor(caf::actor_system&)> start;
};

/// Spawns the supervisor and, synchronously, every child in `children` order.
/// Answers `(caf::get_atom, std::string name)` with the child's current handle (an invalid
/// handle while it waits for a restart). Raises alerts "actor_restarted" (warning) and
/// "supervisor_escalated" (critical); on escalation it also publishes
/// control_command{halt, node} on the control topic and stops restarting that child.
/// A child that exits normally is not restarted. Exiting the supervisor stops all children.
caf::actor spawn_supervisor(caf::actor_system& sys, const supervisor_config& cfg,
                            std::vector<child_spec> children, std::shared_ptr<node_context> ctx);

/// Pure restart policy: back-off and whether the restart budget is exhausted.
class restart_policy {
public:
  explicit restart_policy(const supervisor_config& cfg) : cfg_(cfg) {}
  /// Records a failure at wall time `now_ms`; returns false when the child has failed more
  /// than max_restarts times within window_ms (escalate instead of restarting).
  bool on_failure(int64_t now_ms);
  /// Delay before the next restart: initial × 2^(failures in window − 1), capped.
  int64_t backoff_ms() const;
  int failures_in_window() const { return static_cast<int>(failures_.size()); }

private:
  supervisor_config cfg_;
  std::vector<int64_t> failures_;
};

} // namespace tradewind
