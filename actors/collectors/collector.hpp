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
/// watermark{"market", last, end_of_stream=true}. Back-pressure: it subscribes to account and,
/// before publishing an event with a new event time, waits while `max_ahead` or more published
/// events are later than the latest watermark{"account", T} (a group of equal times is always
/// completed, so its market watermark goes out and the account can catch up).
/// Malformed rows are skipped, counted, logged (the first 20) and reported at the end of the
/// stream as one warning alert "malformed_rows" with the count and the first file:line.
/// With cfg.speed == 0 it publishes in batches of 256 items per self-message; with speed > 0
/// it waits (event-time gap / speed) between distinct event times. On start it skips the
/// first `*cursor` items (a restart resumes where the previous incarnation stopped) and
/// increments the cursor after each publish. After the end-of-stream watermark it idles
/// until stopped. Replies to stats_atom with the cursor value (items published so far).
caf::actor spawn_collector(caf::actor_system &sys, const collector_config &cfg,
                           replay_cursor cursor, std::shared_ptr<node_context> ctx);

} // namespace tradewind
