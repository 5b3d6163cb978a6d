#include "actors/core/instrument.hpp"

#include <chrono>

#include "caf/all.hpp"

#include "actors/core/actor_metrics.hpp"
#include "actors/core/metrics_registry.hpp"
#include "actors/core/node_context.hpp"

namespace tradewind {

namespace {

int64_t now_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

/// Delegates every call to the actor's own behavior; counts the messages that matched, and
/// times one in actor_probe::sample_every of them with the mailbox depth at its start. Runs on
/// the actor's thread, the only reader of its mailbox, so asking the mailbox its size is
/// allowed there (it moves newly arrived messages into the actor's queue, as CAF does at
/// every scheduling round).
class instrumented_behavior final : public caf::detail::behavior_impl {
public:
  instrumented_behavior(caf::scheduled_actor* self, actor_probe& probe, caf::behavior inner)
    : behavior_impl(inner.timeout()), self_(self), probe_(probe), inner_(inner.as_behavior_impl()) {}

  caf::match_case::result invoke(caf::detail::invoke_result_visitor& f, caf::type_erased_tuple& xs) override {
    bool sampled = probe_.next_is_sampled();
    size_t depth = 0;
    int64_t start = 0;
    if (sampled) {
      depth = self_->mailbox().size();
      start = now_ns();
    }
    auto result = inner_->invoke(f, xs);
    if (result == caf::match_case::match) {
      if (sampled)
        probe_.record_sample(now_ns() - start, depth);
      probe_.count();
      if (self_->mailbox().empty())
        probe_.mailbox_drained();
    }
    return result;
  }

  caf::match_case::result invoke_empty(caf::detail::invoke_result_visitor& f) override {
    return inner_->invoke_empty(f);
  }

  void handle_timeout() override { inner_->handle_timeout(); }

private:
  caf::scheduled_actor* self_;
  actor_probe& probe_;
  caf::behavior::impl_ptr inner_;
};

} // namespace

actor_probe& probe_of(const node_context& ctx, const std::string& actor) {
  return ctx.metrics->actors().probe(actor);
}

caf::behavior instrument(caf::scheduled_actor* self, const node_context& ctx, const std::string& actor,
                         caf::behavior bhvr) {
  if (!bhvr)
    return bhvr;
  caf::behavior::impl_ptr wrapped = caf::make_counted<instrumented_behavior>(self, probe_of(ctx, actor), std::move(bhvr));
  return caf::behavior{std::move(wrapped)};
}

handling_timer::handling_timer(actor_probe& probe, caf::blocking_actor* self)
  : probe_(probe), self_(self), sampled_(probe.next_is_sampled()) {
  if (sampled_) {
    depth_ = self->mailbox().size();
    start_ns_ = now_ns();
  }
}

handling_timer::~handling_timer() {
  if (sampled_)
    probe_.record_sample(now_ns() - start_ns_, depth_);
  probe_.count();
  if (self_->mailbox().empty())
    probe_.mailbox_drained();
}

} // namespace tradewind
