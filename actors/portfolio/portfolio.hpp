#pragma once
// Portfolio actor: cash, positions, PnL, equity, high-water mark and drawdown.

#include <memory>

#include "caf/fwd.hpp"

#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Subscribes to market_data (prices) and executions (fills, orders). Once both the market
/// and the executor watermarks passed T it publishes on account: position_update for
/// positions that changed, one account_snapshot as of T, then watermark{"account", T}.
caf::actor spawn_portfolio(caf::actor_system& sys, const portfolio_config& cfg,
                           std::shared_ptr<node_context> ctx);

} // namespace tradewind
