#pragma once
// Strategy actor: runs one strategy instance over market_data and publishes signals.

#include <memory>

#include "caf/fwd.hpp"

#include "actors/core/carry_over.hpp"
#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Subscribes to market_data and control; publishes `signal`s and forwards each market
/// watermark as watermark{"strategy:<id>", T} on the signals topic after handling every event
/// <= T. Starts with the parameters in `cfg` and announces them (strategy_report on control).
/// A strategy_update for its id is checked with the config rules and applied in arrival
/// order, from the next market event it handles (ma_crossover::update says what happens to the
/// indicators); it is reported, raises the info alert strategy_params_changed when a parameter
/// changed (warning strategy_params_rejected when invalid), and is written back to `cfg`, so a
/// restarted instance keeps it.
caf::actor spawn_strategy(caf::actor_system& sys, std::shared_ptr<carry_over<strategy_config>> cfg,
                          std::shared_ptr<node_context> ctx);

} // namespace tradewind
