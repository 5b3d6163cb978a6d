#include "actors/notifiers/notifier.hpp"

#include <vector>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/instrument.hpp"
#include "actors/core/unexpected.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/notifiers/log_channel.hpp"
#include "actors/notifiers/router.hpp"
#include "actors/notifiers/webhook.hpp"
#include "actors/notifiers/webhook_worker.hpp"
#include "net/redact.hpp"
#include "schemas/atoms.hpp"
#include "schemas/control.hpp"

namespace tradewind {

namespace {

/// One configured webhook: its worker, the bounded queue in front of it, and counters.
struct webhook_slot {
  webhook_config cfg;
  caf::actor worker;
  bounded_queue queue;
  bool busy = false;       ///< the worker holds a body
  uint64_t delivered = 0;
  uint64_t failed = 0;
  uint64_t attempts = 0;
};

/// Lives inside the notifier actor (event-based: it never blocks; delivery runs in the
/// detached webhook workers).
struct notifier_state {
  static const char* name;
  std::shared_ptr<node_context> ctx;
  std::unique_ptr<alert_router> router;
  std::vector<webhook_slot> hooks;
};
const char* notifier_state::name = "notifier";

using notifier_ptr = caf::stateful_actor<notifier_state>*;

/// Hands the oldest queued body to an idle worker.
void dispatch(notifier_ptr self, size_t i) {
  auto& slot = self->state.hooks[i];
  if (slot.busy || slot.queue.empty())
    return;
  slot.busy = true;
  self->request(slot.worker, caf::infinite, slot.queue.pop())
    .then([self, i](bool delivered, int32_t attempts) {
      auto& slot = self->state.hooks[i];
      slot.busy = false;
      slot.attempts += static_cast<uint64_t>(attempts);
      ++(delivered ? slot.delivered : slot.failed);
      dispatch(self, i);
    });
}

void on_alert(notifier_ptr self, const alert& a) {
  auto& st = self->state;
  auto d = st.router->route(a, st.ctx->wall_clock_ms());
  if (d.suppressed)
    return;
  if (d.to_log)
    log_alert(*st.ctx->log, a, d.suppressed_before);
  if (d.webhooks.empty())
    return;
  auto body = webhook_body(a, st.ctx->node_name);
  for (auto i : d.webhooks) {
    auto& slot = st.hooks[i];
    if (slot.queue.push(body))
      st.ctx->log->warn("event=webhook_queue_full url={} dropped_total={}", redact_url(slot.cfg.url),
                        slot.queue.dropped());
    dispatch(self, i);
  }
}

caf::behavior notifier(notifier_ptr self, notifier_config cfg, std::shared_ptr<node_context> ctx) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  log_and_drop_unexpected(self, "notifier", st.ctx);
  for (const auto& w : cfg.webhooks)
    st.hooks.push_back(webhook_slot{w, spawn_webhook_worker(self, w, st.ctx), bounded_queue{}});
  st.router = std::make_unique<alert_router>(std::move(cfg));
  return instrument(self, *st.ctx, "notifier", {
    [self](const alert& a) { on_alert(self, a); },
    // (delivered, failed, dropped, attempts, suppressed), summed over all webhooks.
    [self](stats_atom) {
      auto& st = self->state;
      uint64_t delivered = 0, failed = 0, dropped = 0, attempts = 0;
      for (const auto& h : st.hooks) {
        delivered += h.delivered;
        failed += h.failed;
        dropped += h.queue.dropped();
        attempts += h.attempts;
      }
      return caf::make_result(delivered, failed, dropped, attempts,
                              st.router->suppressed_total());
    },
  });
}

} // namespace

caf::actor spawn_notifier(caf::actor_system& sys, const notifier_config& cfg,
                          std::shared_ptr<node_context> ctx) {
  return sys.spawn_in_group(topic_group(sys, topic::alerts), notifier, cfg, std::move(ctx));
}

} // namespace tradewind
