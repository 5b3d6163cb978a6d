#pragma once
// Risk gate actor: turns signals into order intents, runs the pre-trade checks and owns
// the trading state (ACTIVE / REDUCING / HALTED) and the breakers.

#include <memory>
#include <string>
#include <vector>

#include "caf/fwd.hpp"

#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Subscribes to signals, account and control. Decides buffered signals / manual intents
/// with event time <= W once W = min(watermark of every strategy in `strategy_ids`,
/// account watermark) — so every decision sees the account exactly as of its event time.
/// Publishes on orders: risk_decision for every intent, the approved order_intent,
/// cancel_request when the kill switch fires, then watermark{"risk", W}.
/// Breakers and state changes raise alerts.
caf::actor spawn_risk_gate(caf::actor_system& sys, const risk_config& cfg,
                           std::vector<std::string> strategy_ids, std::shared_ptr<node_context> ctx);

} // namespace tradewind
