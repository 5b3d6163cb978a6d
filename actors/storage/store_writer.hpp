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
/// A failed commit keeps the records and is retried with back-off (alert store_commit_failed
/// once per outage). More than `max_pending_records` uncommitted records: alert store_backlog
/// and a node-wide control_command halt on the control topic (once per backlog; nothing dropped).
caf::actor spawn_store_writer(caf::actor_system& sys, const store_config& cfg,
                              std::shared_ptr<node_context> ctx);

} // namespace tradewind
