#pragma once
// Wires one node's actors under a supervisor and runs it until the replay ends or the
// process receives SIGINT/SIGTERM.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/fwd.hpp"

#include "actors/core/run_summary.hpp"
#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Test and benchmark hooks; all optional.
struct run_hooks {
  /// Called on the caller's thread before any node actor exists (spawn observers here so
  /// they see the first market event). The actors it returns are stopped with the node.
  std::function<std::vector<caf::actor>(caf::actor_system&)> before_start;
  /// Called on the caller's thread once the supervisor is spawned.
  std::function<void(caf::actor_system&, const caf::actor& supervisor)> on_started;
  /// Wait for SIGINT/SIGTERM as well as for the end of the replay.
  bool handle_signals = true;
};

struct run_result {
  run_summary summary;
  bool interrupted = false;   ///< stopped by a signal before the replay ended
  bool store_flushed = false; ///< every record reached the store before shutdown
};

/// Names of the supervised children, as used with `(get_atom, name)` on the supervisor.
namespace child_names {
inline constexpr const char* collector = "collector";
inline constexpr const char* risk = "risk";
inline constexpr const char* executor = "executor";
inline constexpr const char* portfolio = "portfolio";
inline constexpr const char* notifier = "notifier";
inline constexpr const char* store = "store";
/// Strategies are named "strategy:<id>".
std::string strategy(const std::string& id);
} // namespace child_names

/// Runs the node described by `cfg` to completion (finite replay) or until a signal.
run_result run_node(const node_config& cfg, std::shared_ptr<node_context> ctx, run_hooks hooks = {});

} // namespace tradewind
