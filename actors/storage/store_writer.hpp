#pragma once
// Store writer actor: persists orders, fills, positions, equity snapshots, risk decisions
// and alerts through the store interface, in batched transactions, off the cooperative
// scheduler (detached).

#include <memory>

#include "caf/fwd.hpp"

#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Subscribes to orders (risk_decision), executions (order, fill), account
/// (account_snapshot, position_update) and alerts. Commits every `batch_size` records or
/// `flush_interval_ms`; answers flush_atom with ok_atom after committing everything received.
caf::actor spawn_store_writer(caf::actor_system& sys, const store_config& cfg,
                              std::shared_ptr<node_context> ctx);

} // namespace tradewind
