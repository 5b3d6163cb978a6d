#pragma once
// Notifier actor: routes alerts by severity to channels (log, HTTP webhooks).

#include <memory>

#include "caf/fwd.hpp"

#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Subscribes to alerts. Webhook delivery (JSON POST, retries with exponential back-off)
/// runs off the cooperative scheduler so a slow endpoint never blocks other actors.
caf::actor spawn_notifier(caf::actor_system& sys, const notifier_config& cfg,
                          std::shared_ptr<node_context> ctx);

} // namespace tradewind
