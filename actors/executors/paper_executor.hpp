#pragma once
// Paper executor actor: the single owner of order state; fills orders from market data.

#include <memory>

#include "caf/fwd.hpp"

#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Subscribes to market_data and orders. Handles a market event with time t only once the
/// risk watermark has reached the last market watermark before t, so every order from a
/// signal earlier than t is known: fills never depend on thread scheduling.
/// Publishes on executions: `order` on every state change, `fill`s, and
/// watermark{"executor", T} after handling market watermark T.
caf::actor spawn_paper_executor(caf::actor_system& sys, const executor_config& cfg,
                                std::shared_ptr<node_context> ctx);

} // namespace tradewind
