#pragma once
// Webhook worker actor: delivers alert bodies to one HTTP endpoint, one at a time, with
// retries and exponential back-off. Detached, so its blocking HTTP calls never run on the
// cooperative scheduler.

#include <memory>

#include "caf/fwd.hpp"

#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Spawns a worker linked to `parent` (the notifier). Protocol: a request carrying a
/// `std::string` JSON body is answered with `(bool delivered, int32_t attempts)` once the
/// body was delivered (2xx) or given up (non-retryable status, or max_retries exhausted).
/// Send the next body only after the previous answer: the queue lives in the parent.
caf::actor spawn_webhook_worker(caf::local_actor* parent, const webhook_config& cfg,
                                std::shared_ptr<node_context> ctx);

} // namespace tradewind
