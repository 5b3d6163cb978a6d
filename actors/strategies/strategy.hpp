#pragma once
// Strategy actor: runs one strategy instance over market_data and publishes signals.

#include <memory>

#include "caf/fwd.hpp"

#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Subscribes to market_data; publishes `signal`s and forwards each market watermark as
/// watermark{"strategy:<id>", T} on the signals topic after handling every event <= T.
caf::actor spawn_strategy(caf::actor_system& sys, const strategy_config& cfg,
                          std::shared_ptr<node_context> ctx);

} // namespace tradewind
