// Publisher link actor: local topic → exchange, with confirms, mandatory and re-publish.

#include <chrono>
#include <deque>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/bus.hpp"
#include "actors/core/instrument.hpp"
#include "actors/core/node_context.hpp"
#include "bridge/amqp/impl/connection.hpp"
#include "bridge/amqp/impl/importers.hpp"
#include "bridge/amqp/impl/reconnect.hpp"
#include "bridge/amqp/impl/redeclare.hpp"
#include "bridge/amqp/link.hpp"
#include "bridge/amqp/link_metrics.hpp"
#include "bridge/amqp/wire.hpp"
#include "net/redact.hpp"
#include "schemas/atoms.hpp"
#include "net/url.hpp"

namespace tradewind::amqp {

namespace {

using clock_type = std::chrono::steady_clock;

/// Everything the publisher thread owns.
class publisher {
public:
  publisher(caf::blocking_actor* self, link_settings settings, publisher_spec spec,
            std::shared_ptr<importer_registry> importers, std::shared_ptr<node_context> ctx)
    : self_(self), settings_(std::move(settings)), spec_(std::move(spec)), importers_(std::move(importers)),
      ctx_(std::move(ctx)), metrics_(*ctx_->metrics, publisher_name(spec_.id), spec_.exchange),
      probe_(probe_of(*ctx_, publisher_name(spec_.id))), name_(publisher_name(spec_.id)),
      link_(name_, "publisher " + name_, settings_.amqp, *ctx_, topic_group(self_->system(), topic::alerts),
            &metrics_.connection()) {
    pub_.id = spec_.id;
    pub_.exchange = spec_.exchange;
    pub_.route = &spec_.route;
    pub_.types = topology::info(spec_.id).types;
    epoch_ = ctx_->wall_clock_ms();
  }

  void run() {
    ctx_->log->info("event=amqp_publisher_started node={} topic={} exchange={} url={}", settings_.node,
                    topic_name(spec_.id), spec_.exchange, tradewind::redact_url(settings_.amqp.url));
    while (running_) {
      take_messages(mailbox_wait_ms());
      if (!running_)
        break;
      if (!conn_.is_open() && !connect())
        continue;
      publish_pending();
      read_confirms();
      answer_flushes();
    }
    ctx_->log->info("event=amqp_publisher_stopped topic={} pending={} unconfirmed={}", topic_name(spec_.id),
                    pending_.size(), inflight_.size());
  }

private:
  template <class T>
  void on_local(const T& x) {
    handling_timer timed{probe_, self_};
    last_message_ = clock_type::now();
    // Imported by a consumer of this node: it came from the broker, do not send it back.
    if (auto sender = self_->current_sender(); sender && importers_->contains(caf::actor_cast<caf::actor_addr>(sender)))
      return;
    std::string trace = settings_.node + "-" + std::to_string(epoch_) + "-" + std::to_string(++trace_seq_);
    pending_.push_back(make_outgoing(json::any_message{x}, pub_, settings_.node, std::move(trace), ctx_->wall_clock_ms()));
  }

  /// How long to wait for local messages: not at all with messages to send; briefly while
  /// confirms are due (a persistent message's confirm waits for the broker's disk, a new
  /// message should not); like an idle publisher when disconnected (spinning until the next
  /// attempt would starve the broker it waits for).
  int mailbox_wait_ms() const {
    if (!conn_.is_open())
      return 50;
    if (!pending_.empty())
      return 0;
    return inflight_.empty() ? 50 : 1;
  }

  /// Takes what is in the mailbox; waits up to `wait_ms` for the first message.
  void take_messages(int wait_ms) {
    bool got = true;
    for (int n = 0; got && running_ && n < 1000; ++n) {
      got = false;
      auto wait = std::chrono::milliseconds(n == 0 ? wait_ms : 0);
      self_->receive(
        [&](const trade_tick& x) { got = true; on_local(x); },
        [&](const bar& x) { got = true; on_local(x); },
        [&](const signal& x) { got = true; on_local(x); },
        [&](const order_intent& x) { got = true; on_local(x); },
        [&](const risk_decision& x) { got = true; on_local(x); },
        [&](const order& x) { got = true; on_local(x); },
        [&](const fill& x) { got = true; on_local(x); },
        [&](const cancel_request& x) { got = true; on_local(x); },
        [&](const position_update& x) { got = true; on_local(x); },
        [&](const account_snapshot& x) { got = true; on_local(x); },
        [&](const alert& x) { got = true; on_local(x); },
        [&](const control_command& x) { got = true; on_local(x); },
        [&](const heartbeat& x) { got = true; on_local(x); },
        [&](const watermark& x) { got = true; on_local(x); },
        [&](const risk_limits_update& x) { got = true; on_local(x); },
        [&](const risk_limits_report& x) { got = true; on_local(x); },
        [&](const strategy_update& x) { got = true; on_local(x); },
        [&](const strategy_report& x) { got = true; on_local(x); },
        [&](const trading_state_changed& x) { got = true; on_local(x); },
        [&](flush_atom) {
          got = true;
          flushes_.push_back(self_->make_response_promise());
          flush_requested_at_ = clock_type::now();
        },
        [&](caf::exit_msg& em) {
          running_ = false;
          self_->fail_state(em.reason);
        },
        caf::after(wait) >> [] {});
    }
  }

  bool connect() {
    if (!link_.due())
      return false;
    impl::connection_options opts{settings_.amqp.url, settings_.vhost, settings_.amqp.heartbeat_s, 10'000};
    std::string err = conn_.open(opts);
    if (err.empty())
      err = conn_.enable_confirms();
    if (err.empty())
      err = redeclare(settings_);
    if (!err.empty()) {
      conn_.close();
      link_.failed(err);
      return false;
    }
    next_tag_ = 1;
    // Unconfirmed messages go out again first, in their original order.
    for (auto it = inflight_.rbegin(); it != inflight_.rend(); ++it)
      pending_.push_front(std::move(it->second));
    if (!inflight_.empty())
      ctx_->log->warn("event=amqp_republish topic={} count={}", topic_name(spec_.id), inflight_.size());
    inflight_.clear();
    link_.connected(conn_.where());
    return true;
  }

  void lost(const std::string& why) {
    link_.lost(why);
    conn_.close();
  }

  void publish_pending() {
    const auto window = static_cast<size_t>(settings_.amqp.max_in_flight);
    int since_poll = 0;
    while (!pending_.empty() && conn_.is_open()) {
      if (inflight_.size() >= window) {
        wait_confirms(inflight_.size() - window + 1);
        continue;
      }
      auto err = conn_.publish(pending_.front());
      if (!err.empty()) {
        lost(err);
        return;
      }
      metrics_.on_published();
      inflight_.emplace_back(next_tag_++, std::move(pending_.front()));
      pending_.pop_front();
      if (++since_poll >= settings_.amqp.confirm_batch) {
        since_poll = 0;
        drain_frames(0);
      }
    }
  }

  /// Blocks until `count` more messages are confirmed (or the connection is lost).
  void wait_confirms(size_t count) {
    size_t target = inflight_.size() > count ? inflight_.size() - count : 0;
    while (conn_.is_open() && inflight_.size() > target)
      handle(conn_.poll(100));
  }

  void read_confirms() {
    if (!conn_.is_open())
      return;
    if (inflight_.size() >= static_cast<size_t>(settings_.amqp.confirm_batch))
      drain_frames(20);
    else
      drain_frames(0); // confirms so far, heartbeats
  }

  void drain_frames(int first_wait_ms) {
    auto ev = conn_.poll(first_wait_ms);
    while (ev.kind != impl::frame_event::none) {
      handle(ev);
      if (!conn_.is_open())
        return;
      ev = conn_.poll(0);
    }
  }

  void handle(const impl::frame_event& ev) {
    switch (ev.kind) {
      case impl::frame_event::ack: confirm(ev.delivery_tag, ev.multiple, false); break;
      case impl::frame_event::nack: confirm(ev.delivery_tag, ev.multiple, true); break;
      case impl::frame_event::returned:
        // Mandatory: no queue is bound for this key. Reported, never dropped silently.
        raise(severity::warning, "amqp_message_returned",
              "publisher " + name_ + ": message " + ev.message_id + " to exchange " + spec_.exchange + " key "
                + ev.routing_key + " was returned: " + ev.text);
        metrics_.on_returned();
        break;
      case impl::frame_event::closed: lost(ev.text); break;
      default: break;
    }
  }

  void confirm(uint64_t tag, bool multiple, bool nacked) {
    std::deque<outgoing> again;
    auto matches = [&](uint64_t t) { return multiple ? t <= tag : t == tag; };
    for (auto it = inflight_.begin(); it != inflight_.end();) {
      if (matches(it->first)) {
        if (nacked)
          again.push_back(std::move(it->second));
        else
          metrics_.on_confirmed(1);
        it = inflight_.erase(it);
      } else if (multiple && it->first > tag) {
        break;
      } else {
        ++it;
      }
    }
    if (!again.empty()) {
      metrics_.on_nacked(again.size());
      raise(severity::warning, "amqp_message_nacked",
            "publisher " + name_ + ": broker nacked " + std::to_string(again.size()) + " message(s); re-publishing");
      for (auto it = again.rbegin(); it != again.rend(); ++it)
        pending_.push_front(std::move(*it));
    }
  }

  void answer_flushes() {
    if (flushes_.empty() || !pending_.empty() || !inflight_.empty())
      return;
    // Wait briefly after the last message: a group publish reaches subscribers one by one.
    auto quiet_since = std::max(last_message_, flush_requested_at_);
    if (clock_type::now() - quiet_since < std::chrono::milliseconds(100))
      return;
    for (auto& rp : flushes_)
      rp.deliver(caf::ok_atom::value);
    flushes_.clear();
  }

  void raise(severity level, const std::string& code, const std::string& text) { link_.raise(level, code, text); }

  caf::blocking_actor* self_;
  link_settings settings_;
  publisher_spec spec_;
  std::shared_ptr<importer_registry> importers_;
  std::shared_ptr<node_context> ctx_;
  publisher_metrics metrics_;
  actor_probe& probe_;
  std::string name_;
  impl::reconnector link_; ///< back-off, outage alerts, connection metrics
  topology::publication pub_;
  impl::connection conn_;
  std::deque<outgoing> pending_;                        ///< not yet sent on this connection
  std::deque<std::pair<uint64_t, outgoing>> inflight_;  ///< sent, waiting for a confirm (by delivery tag)
  uint64_t next_tag_ = 1;
  uint64_t trace_seq_ = 0;
  int64_t epoch_ = 0;
  bool running_ = true;
  clock_type::time_point last_message_{};
  clock_type::time_point flush_requested_at_{};
  std::vector<caf::response_promise> flushes_;
};

void publisher_main(caf::blocking_actor* self, link_settings settings, publisher_spec spec,
                    std::shared_ptr<importer_registry> importers, std::shared_ptr<node_context> ctx) {
  publisher p{self, std::move(settings), std::move(spec), std::move(importers), std::move(ctx)};
  p.run();
}

} // namespace

caf::actor spawn_publisher(caf::actor_system& sys, link_settings settings, publisher_spec spec,
                           std::shared_ptr<importer_registry> importers, std::shared_ptr<node_context> ctx) {
  // Joined before the thread starts, so nothing published after spawn returns is missed.
  auto grp = topic_group(sys, spec.id);
  return sys.spawn_in_groups<caf::detached>({grp}, publisher_main, std::move(settings), std::move(spec),
                                            std::move(importers), std::move(ctx));
}

} // namespace tradewind::amqp
