#pragma once
// Collector actor: replays CSV candles/trades (merged by event time across feeds) or
// generates a synthetic random walk, and publishes them on the market_data topic.

#include <atomic>
#include <cstdint>
#include <memory>

#include "caf/fwd.hpp"

#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Survives collector restarts: how many market_data messages (events + watermarks) were
/// already published, so a restarted collector resumes instead of replaying twice.
using replay_cursor = std::shared_ptr<std::atomic<uint64_t>>;

/// Publishes on market_data: bar / trade_tick events in event-time order, a
/// watermark{"market", T} each time event time moves past T, and finally
/// watermark{"market", last, end_of_stream=true}. Pauses while it is more than
/// `max_ahead` events ahead of the account watermark (subscribes to account).
/// Malformed rows are skipped, counted and reported as a warning alert with file:line.
caf::actor spawn_collector(caf::actor_system& sys, const collector_config& cfg, replay_cursor cursor,
                           std::shared_ptr<node_context> ctx);

} // namespace tradewind
