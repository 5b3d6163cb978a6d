#include "actors/notifiers/webhook_worker.hpp"

#include <chrono>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/node_context.hpp"
#include "actors/notifiers/webhook.hpp"
#include "net/http_client.hpp"
#include "net/redact.hpp"
#include "schemas/atoms.hpp"

namespace tradewind {

namespace {

/// Lives inside one webhook worker actor.
struct webhook_worker_state {
  static const char* name;
  webhook_config cfg;
  std::string shown_url;              ///< redact_url(cfg.url): the only form that is logged
  std::vector<std::string> secrets;   ///< of the url and the header values, scrubbed from errors
  std::shared_ptr<node_context> ctx;
  std::string body;          ///< being delivered
  int attempts = 0;          ///< attempts made for `body`
  caf::response_promise done; ///< answered when `body` is delivered or given up
};
const char* webhook_worker_state::name = "webhook_worker";

using worker_ptr = caf::stateful_actor<webhook_worker_state>*;

void finish(worker_ptr self, bool delivered) {
  auto& st = self->state;
  st.done.deliver(delivered, static_cast<int32_t>(st.attempts));
  st.body.clear();
}

/// One blocking POST; schedules the next attempt through the mailbox (not a sleep), so an
/// exit message is still handled between attempts.
void attempt(worker_ptr self) {
  auto& st = self->state;
  ++st.attempts;
  http::request req;
  req.url = st.cfg.url;
  req.headers = st.cfg.headers; // values never logged
  req.content_type = "application/json";
  req.body = st.body;
  req.timeout_ms = st.cfg.timeout_ms;
  auto r = http::send(req);
  auto what = r.received() ? "status=" + std::to_string(r.status)
                           : "error=\"" + scrub(r.error, st.secrets) + "\"";
  switch (classify(r)) {
    case attempt_outcome::delivered:
      st.ctx->log->debug("event=webhook_delivered url={} attempts={}", st.shown_url, st.attempts);
      return finish(self, true);
    case attempt_outcome::give_up:
      st.ctx->log->error("event=webhook_rejected url={} attempts={} {}", st.shown_url, st.attempts,
                         what);
      return finish(self, false);
    case attempt_outcome::retry:
      break;
  }
  if (st.attempts > st.cfg.max_retries) {
    st.ctx->log->error("event=webhook_gave_up url={} attempts={} {}", st.shown_url, st.attempts,
                       what);
    return finish(self, false);
  }
  auto delay = webhook_backoff_ms(st.cfg, st.attempts);
  st.ctx->log->warn("event=webhook_attempt_failed url={} attempt={} {} retry_in_ms={}",
                    st.shown_url, st.attempts, what, delay);
  self->delayed_send(self, std::chrono::milliseconds{delay}, retry_atom::value);
}

caf::behavior webhook_worker(worker_ptr self, webhook_config cfg,
                             std::shared_ptr<node_context> ctx) {
  self->state.cfg = std::move(cfg);
  self->state.shown_url = redact_url(self->state.cfg.url);
  self->state.secrets = secrets_in(self->state.cfg.url);
  for (const auto& h : self->state.cfg.headers)
    self->state.secrets.push_back(h.second);
  self->state.ctx = std::move(ctx);
  return {
    [self](std::string& body) -> caf::result<bool, int32_t> {
      auto& st = self->state;
      st.body = std::move(body);
      st.attempts = 0;
      st.done = self->make_response_promise();
      attempt(self);
      return st.done;
    },
    [self](retry_atom) {
      if (!self->state.body.empty())
        attempt(self);
    },
  };
}

} // namespace

caf::actor spawn_webhook_worker(caf::local_actor* parent, const webhook_config& cfg,
                                std::shared_ptr<node_context> ctx) {
  return parent->spawn<caf::detached + caf::linked>(webhook_worker, cfg, std::move(ctx));
}

} // namespace tradewind
