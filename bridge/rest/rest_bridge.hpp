#pragma once
// The REST bridge actor: subscribes to every topic, keeps the node's latest state for the
// HTTP API, feeds /metrics and the WebSocket stream, and publishes what operators ask for
// (control_command, manual order_intent, risk_limits_update and strategy_update on control,
// cancel_request on orders). Risk limits and strategy parameters are shown as their actors
// report them (risk_limits_report, strategy_report). The HTTP server runs on its own I/O
// threads, owned by this actor.

#include <memory>

#include "caf/fwd.hpp"

#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Spawns the bridge and starts its HTTP server (HTTPS/WSS with cfg.tls) on
/// cfg.listen_address:cfg.port. Logs `event=bridge_listening address=A port=P ... tls=B` once
/// bound (port 0 = ephemeral; tests read P from this line). A bind failure, or TLS files that no
/// longer load, is logged and raised as a critical alert "bridge_unavailable"; the actor then
/// keeps running without a server, so the pipeline is unaffected. `node` supplies strategies,
/// risk limits, symbols and the store URL.
caf::actor spawn_rest_bridge(caf::actor_system& sys, const bridge_config& cfg, const node_config& node,
                             std::shared_ptr<node_context> ctx);

} // namespace tradewind
