#include "bridge/amqp/membership.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

#include <unistd.h>

#include "caf/all.hpp"
#include <spdlog/spdlog.h>

#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "bridge/amqp/impl/connection.hpp"
#include "bridge/amqp/impl/reconnect.hpp"
#include "bridge/amqp/impl/redeclare.hpp"
#include "bridge/amqp/wire.hpp"
#include "schemas/json/codec.hpp"
#include "topology/amqp_admin.hpp"
#include "net/url.hpp"

namespace tradewind::amqp {

namespace {

using clock_type = std::chrono::steady_clock;

/// A private queue name: unique per process and listener.
std::string private_queue(const std::string& who) {
  static std::atomic<int> counter{0};
  return "tw.membership." + who + "." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

/// One connection that listens to heartbeats on a private queue (and publishes its own).
/// The queue is auto-delete (gone when the consumer goes) and expires after 60 s unused
/// (gone even when the process died before consuming).
class heartbeat_channel {
public:
  std::string open(const std::string& url, const std::string& vhost, const std::string& exchange,
                   const std::string& who, int heartbeat_s) {
    queue_ = private_queue(who);
    std::string err;
    auto admin = topology::amqp_admin::connect(url, vhost, err);
    if (!admin)
      return err;
    topology::queue_state q{queue_, false, true, {{"x-expires", int64_t{60'000}}}};
    if (err = admin->declare(q); !err.empty())
      return err;
    if (err = admin->bind({exchange, queue_, std::string(heartbeat_key_prefix) + "*", {}}); !err.empty())
      return err;
    if (err = conn_.open({url, vhost, heartbeat_s, 10'000}); !err.empty())
      return err;
    if (err = conn_.set_prefetch(100); !err.empty())
      return err;
    return conn_.start_consuming(queue_, queue_);
  }

  /// Waits up to timeout_ms for one heartbeat. Sets `closed` when the connection failed.
  std::optional<heartbeat> next(int timeout_ms, std::string& closed) {
    impl::delivery d;
    impl::frame_event ev;
    if (!conn_.consume(timeout_ms, d, ev)) {
      if (ev.kind == impl::frame_event::closed)
        closed = ev.text.empty() ? "connection closed" : ev.text;
      return std::nullopt;
    }
    auto err = conn_.ack(d.delivery_tag);
    if (!err.empty())
      closed = err;
    auto decoded = json::from_envelope_as<heartbeat>(d.body);
    if (!decoded)
      return std::nullopt; // not ours to dead-letter: a private listener just skips it
    return decoded.value();
  }

  std::string publish(const std::string& exchange, const std::string& node, const heartbeat& hb) {
    outgoing m;
    m.exchange = exchange;
    m.routing_key = heartbeat_key_prefix + node;
    m.body = json::to_envelope(hb);
    m.message_id = "heartbeat:" + node + ":" + std::to_string(hb.seq);
    m.type = "heartbeat";
    m.schema_version = heartbeat::schema_version;
    m.origin_node = node;
    m.trace_id = m.message_id;
    m.sent_at_ms = hb.ts_ms;
    return conn_.publish(m);
  }

  bool is_open() const { return conn_.is_open(); }
  /// host:port vhost "v" (for messages).
  const std::string& where() const { return conn_.where(); }
  void close() { conn_.close(); }

private:
  std::string queue_;
  impl::connection conn_;
};

class membership {
public:
  membership(caf::blocking_actor* self, link_settings settings, membership_settings ms,
             std::shared_ptr<node_context> ctx)
    : self_(self), settings_(std::move(settings)), ms_(std::move(ms)), ctx_(std::move(ctx)),
      link_(membership_name, "membership", settings_.amqp, *ctx_, topic_group(self_->system(), topic::alerts),
            nullptr) {}

  void run() {
    ctx_->log->info("event=membership_started node={} exchange={} interval_ms={}", settings_.node, ms_.exchange,
                    ms_.interval.count());
    while (running_) {
      if (!chan_.is_open() && link_.due())
        connect();
      if (chan_.is_open()) {
        beat_if_due();
        listen(50);
      }
      if (chan_.is_open())
        expire(); // while this node hears nobody, nobody is lost
      take_messages(chan_.is_open() ? 0 : 50);
    }
    chan_.close();
    ctx_->log->info("event=membership_stopped node={}", settings_.node);
  }

private:
  void connect() {
    std::string err = redeclare(settings_);
    if (err.empty())
      err = chan_.open(settings_.amqp.url, settings_.vhost, ms_.exchange, settings_.node, settings_.amqp.heartbeat_s);
    if (!err.empty()) {
      chan_.close();
      link_.failed(err);
      return;
    }
    link_.connected(chan_.where());
    table_.refresh_all(ctx_->wall_clock_ms());
    next_beat_ = clock_type::now(); // announce ourselves at once
  }

  void lost_connection(const std::string& why) {
    link_.lost(why);
    chan_.close();
  }

  void beat_if_due() {
    if (clock_type::now() < next_beat_)
      return;
    next_beat_ = clock_type::now() + ms_.interval;
    heartbeat hb{settings_.node, ++seq_, ctx_->wall_clock_ms(), ms_.actors, trading_state::active};
    if (auto err = chan_.publish(ms_.exchange, settings_.node, hb); !err.empty())
      lost_connection(err);
  }

  void listen(int timeout_ms) {
    std::string closed;
    for (int n = 0; n < 100 && chan_.is_open(); ++n) {
      auto hb = chan_.next(n == 0 ? timeout_ms : 0, closed);
      if (!closed.empty()) {
        lost_connection(closed);
        return;
      }
      if (!hb)
        return;
      if (table_.update(*hb, ctx_->wall_clock_ms()))
        ctx_->log->info("event=node_joined node={} seen_by={} actors={}", hb->node, settings_.node, hb->actors.size());
    }
  }

  void expire() {
    auto stale_ms = ms_.interval.count() * ms_.stale_after_intervals;
    for (const auto& node : table_.expire(ctx_->wall_clock_ms(), stale_ms)) {
      raise(severity::warning, "node_lost",
            "node " + node + " sent no heartbeat for " + std::to_string(stale_ms) + " ms");
      if (ms_.on_node_lost && ms_.on_node_lost(node, table_.members()))
        raise(severity::warning, "node_adopted",
              "node " + settings_.node + " now runs the role of lost node " + node + " (replaying its streams)");
    }
  }

  void take_messages(int wait_ms) {
    bool got = true;
    for (int n = 0; got && running_ && n < 100; ++n) {
      got = false;
      self_->receive(
        [&](caf::get_atom) -> std::string {
          got = true;
          return format_members(table_.members(), {}, ctx_->wall_clock_ms());
        },
        [&](caf::exit_msg& em) {
          running_ = false;
          self_->fail_state(em.reason);
        },
        caf::after(std::chrono::milliseconds(n == 0 ? wait_ms : 0)) >> [] {});
    }
  }

  void raise(severity level, const std::string& code, const std::string& text) { link_.raise(level, code, text); }

  caf::blocking_actor* self_;
  link_settings settings_;
  membership_settings ms_;
  std::shared_ptr<node_context> ctx_;
  impl::reconnector link_; ///< back-off, outage alerts
  heartbeat_channel chan_;
  membership_table table_;
  uint64_t seq_ = 0;
  bool running_ = true;
  clock_type::time_point next_beat_{};
};

void membership_main(caf::blocking_actor* self, link_settings settings, membership_settings ms,
                     std::shared_ptr<node_context> ctx) {
  membership m{self, std::move(settings), std::move(ms), std::move(ctx)};
  m.run();
}

} // namespace

caf::actor spawn_membership(caf::actor_system& sys, link_settings settings, membership_settings ms,
                            std::shared_ptr<node_context> ctx) {
  return sys.spawn<caf::detached>(membership_main, std::move(settings), std::move(ms), std::move(ctx));
}

listen_result listen_heartbeats(const std::string& amqp_url, const std::string& vhost, const std::string& exchange,
                                std::chrono::milliseconds duration) {
  listen_result out;
  heartbeat_channel chan;
  if (auto err = chan.open(amqp_url, vhost, exchange, "cli", 10); !err.empty()) {
    out.error = err;
    return out;
  }
  membership_table table;
  auto deadline = clock_type::now() + duration;
  while (clock_type::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
    std::string closed;
    auto hb = chan.next(static_cast<int>(std::clamp<int64_t>(left, 1, 200)), closed);
    if (!closed.empty()) {
      out.error = closed;
      break;
    }
    if (hb) {
      auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
      table.update(*hb, now_ms);
    }
  }
  chan.close();
  out.members = table.members();
  return out;
}

} // namespace tradewind::amqp
