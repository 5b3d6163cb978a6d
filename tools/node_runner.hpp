#pragma once
// Wires one node's actors under a supervisor and runs it until the replay ends or the
// process receives SIGINT/SIGTERM.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/fwd.hpp"

#include "actors/core/run_summary.hpp"
#include "actors/core/supervisor.hpp"
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
  /// Polled every 100 ms when signals are not handled: true stops the node as a signal would.
  std::function<bool()> stop_requested;
};

struct run_result {
  run_summary summary;
  bool interrupted = false;   ///< stopped by a signal before the replay ended
  bool store_flushed = false; ///< every record reached the store before shutdown (true when the node runs no store)
  bool links_flushed = true;  ///< every message for other nodes was confirmed by the broker (topology runs)
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

/// One node of a topology (`tradewind run --node`): which of the config's actors run here,
/// what links them to the other nodes, and when this node's part of the run is over.
/// Built by tools/cluster_node.hpp plan_node(); without a plan every actor runs.
struct node_plan {
  bool collector = false;
  bool risk = false;
  bool executor = false;
  bool portfolio = false;
  bool notifier = false;
  bool store = false;
  std::vector<std::string> strategies;  ///< ids of cfg.strategies that run here
  std::vector<std::string> risk_inputs; ///< the risk gate's strategy watermark inputs (may be "<id>@<node>")
  std::vector<child_spec> links;        ///< link children (AMQP consumers, publishers), started before the collector
  std::vector<std::string> flush_links; ///< link children answering flush_atom; flushed before shutdown
  /// end_of_stream watermark sources that end this node's run ("market", "strategy:<id>",
  /// "risk", "executor", "account"): the outputs of its actors and the inputs it must drain.
  std::vector<std::string> completion_sources;
};

/// Runs the node described by `cfg` to completion (finite replay) or until a signal.
run_result run_node(const node_config& cfg, std::shared_ptr<node_context> ctx, run_hooks hooks = {});

/// Runs the part `plan` of the node described by `cfg` (one node of a topology).
run_result run_node(const node_config& cfg, std::shared_ptr<node_context> ctx, const node_plan& plan,
                    run_hooks hooks = {});

} // namespace tradewind
