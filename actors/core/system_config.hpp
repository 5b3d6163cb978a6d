#pragma once
// The CAF actor system settings of a Tradewind node, shared by the node runner, tests and
// benchmarks: every message type of schemas/ registered, a bounded scheduler, CAF's own
// logger silent (nodes log through node_context).

#include "caf/actor_system_config.hpp"

namespace tradewind {

class node_system_config : public caf::actor_system_config {
public:
  /// `threads`: scheduler.max-threads (node.threads for a node).
  explicit node_system_config(int threads = 2);
};

} // namespace tradewind
