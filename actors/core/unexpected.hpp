#pragma once
// Robust defaults for every Tradewind actor: a message nobody handles, or an error reply to
// a fire-and-forget publish, is logged and dropped instead of killing the actor.

#include <memory>

#include "caf/fwd.hpp"

namespace tradewind {

struct node_context;

/// Installs a default handler (log at warn, drop) and an error handler (log at warn) on `self`.
void log_and_drop_unexpected(caf::scheduled_actor* self, const char* actor_name,
                             std::shared_ptr<node_context> ctx);

} // namespace tradewind

namespace tradewind {

/// For subscribers that deliberately ignore part of a topic: unhandled messages are dropped
/// without a reply (caf::drop would send an error back to the publisher). Error messages are
/// logged at warn, as with log_and_drop_unexpected.
void drop_unhandled_silently(caf::scheduled_actor* self, const char* actor_name,
                             std::shared_ptr<node_context> ctx);

} // namespace tradewind
