#pragma once
// Per-actor metrics for CAF 0.17 actors, which have no telemetry of their own. An
// event-based actor's behavior is wrapped so that every message it handles is counted and
// timed and the mailbox depth is sampled; a blocking actor (AMQP link) times its own
// handling with a handling_timer. The figures land in the node's metrics registry
// (node_context::metrics → actor_metrics), under the label `actor`.

#include <cstddef>
#include <cstdint>
#include <string>

#include "caf/fwd.hpp"

namespace tradewind {

struct node_context;
class actor_probe;

/// `bhvr`, counting under label `actor` every message it handles (a handler matched) and
/// timing one in actor_probe::sample_every of them, with the mailbox depth at its start.
/// Messages left to the default handler are not counted. Costs a relaxed atomic add and two
/// loads per message, plus two clock reads and the mailbox size per sampled message.
caf::behavior instrument(caf::scheduled_actor* self, const node_context& ctx, const std::string& actor,
                         caf::behavior bhvr);

/// The probe of `actor` in the node's registry (for blocking actors and handling_timer).
actor_probe& probe_of(const node_context& ctx, const std::string& actor);

/// One message handled by a blocking actor, from construction to destruction: counted, and
/// timed when it falls in the sample, as instrument() does.
class handling_timer {
public:
  handling_timer(actor_probe& probe, caf::blocking_actor* self);
  ~handling_timer();
  handling_timer(const handling_timer&) = delete;
  handling_timer& operator=(const handling_timer&) = delete;

private:
  actor_probe& probe_;
  caf::blocking_actor* self_;
  bool sampled_;
  size_t depth_ = 0;
  int64_t start_ns_ = 0;
};

} // namespace tradewind
