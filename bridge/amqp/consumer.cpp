// Consumer link actor: queue → local topic, manual acks after the hand-over, dead-lettering
// with a reason, de-duplication by message id.

#include <chrono>
#include <map>

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
#include "net/redact.hpp"
#include "topology/names.hpp"
#include "net/url.hpp"

namespace tradewind::amqp {

namespace {

class consumer {
public:
  consumer(caf::blocking_actor* self, link_settings settings, consumer_spec spec,
           std::shared_ptr<importer_registry> importers, std::shared_ptr<node_context> ctx)
    : self_(self), settings_(std::move(settings)), spec_(std::move(spec)), importers_(std::move(importers)),
      ctx_(std::move(ctx)), metrics_(*ctx_->metrics, consumer_name(spec_.queue), spec_.queue),
      probe_(probe_of(*ctx_, consumer_name(spec_.queue))), name_(consumer_name(spec_.queue)),
      link_(name_, "consumer " + name_, settings_.amqp, *ctx_, topic_group(self_->system(), topic::alerts),
            &metrics_.connection()),
      seen_(static_cast<size_t>(settings_.amqp.dedupe_window)) {
    local_ = topic_group(self_->system(), spec_.id);
  }

  void run() {
    importers_->add(self_->address());
    ctx_->log->info("event=amqp_consumer_started node={} queue={} topic={} url={}", settings_.node, spec_.queue,
                    topic_name(spec_.id), tradewind::redact_url(settings_.amqp.url));
    while (running_) {
      check_mailbox();
      if (!running_)
        break;
      if (!conn_.is_open() && !connect()) {
        idle(50);
        continue;
      }
      impl::delivery d;
      impl::frame_event ev;
      if (conn_.consume(100, d, ev))
        on_delivery(d);
      else
        on_event(ev);
    }
    // Stays registered: messages it imported may still wait in a publisher's mailbox.
    ctx_->log->info("event=amqp_consumer_stopped queue={} delivered={} duplicates={} dead_lettered={}", spec_.queue,
                    delivered_, duplicates_, dead_lettered_);
  }

private:
  void check_mailbox() { idle(0); }

  void idle(int ms) {
    self_->receive(
      [&](caf::exit_msg& em) {
        running_ = false;
        self_->fail_state(em.reason);
      },
      caf::after(std::chrono::milliseconds(ms)) >> [] {});
  }

  bool connect() {
    if (!link_.due())
      return false;
    impl::connection_options opts{settings_.amqp.url, settings_.vhost, settings_.amqp.heartbeat_s, 10'000};
    std::string err = conn_.open(opts);
    if (err.empty())
      err = redeclare(settings_);
    if (err.empty())
      err = conn_.enable_confirms(); // for the dead-letter re-publishes
    if (err.empty())
      err = conn_.set_prefetch(settings_.amqp.prefetch);
    if (err.empty())
      err = conn_.start_consuming(spec_.queue, topology::consumer_tag(settings_.node, spec_.queue),
                                  spec_.stream ? std::optional<int64_t>{next_offset_} : std::nullopt);
    if (!err.empty()) {
      conn_.close();
      link_.failed(err);
      return false;
    }
    next_tag_ = 1;
    dead_letters_.clear(); // their deliveries were not acked: the broker redelivers them
    link_.connected(conn_.where());
    return true;
  }

  void on_delivery(const impl::delivery& d) {
    handling_timer timed{probe_, self_};
    if (d.redelivered)
      metrics_.on_redelivered();
    if (spec_.stream && !track_offset(d))
      return;
    std::string origin = d.header(header::origin_node);
    auto result = inspect_delivery(d.body, origin, settings_.node, spec_.id, seen_, d.content_type());
    std::string err;
    switch (result.what) {
      case verdict::deliver:
        std::visit([&](auto&& x) { self_->send(local_, std::move(x)); }, std::move(*result.message));
        ++delivered_;
        metrics_.on_delivered();
        err = conn_.ack(d.delivery_tag); // only after the hand-over to the local topic
        break;
      case verdict::own_origin: err = conn_.ack(d.delivery_tag); break;
      case verdict::duplicate:
        ++duplicates_;
        metrics_.on_duplicate();
        ctx_->log->info("event=amqp_duplicate_dropped queue={} id={}", spec_.queue, result.id);
        err = conn_.ack(d.delivery_tag);
        break;
      case verdict::dead_letter: err = dead_letter(d, result.reason); break;
    }
    if (!err.empty())
      lost(err);
  }

  /// A stream delivery's offset: the consumer resumes after the last one it took (a stream
  /// keeps what was read, so an offset is the only position there is). An offset already
  /// taken (a reconnect racing its own start offset) is acked and skipped.
  bool track_offset(const impl::delivery& d) {
    auto offset = d.header_int("x-stream-offset");
    if (offset >= 0 && offset < next_offset_) {
      if (auto err = conn_.ack(d.delivery_tag); !err.empty())
        lost(err);
      return false;
    }
    if (offset >= 0)
      next_offset_ = offset + 1;
    return true;
  }

  /// Re-publishes the message to the dead-letter exchange with the reason in a header, and
  /// acks the original once the broker confirmed the copy. RabbitMQ's own dead-lettering
  /// (basic.reject requeue=false) cannot carry a reason, so it is only the fallback.
  std::string dead_letter(const impl::delivery& d, const std::string& reason) {
    ++dead_lettered_;
    metrics_.on_dead_lettered();
    std::string origin = d.header(header::origin_node);
    raise(severity::warning, "amqp_dead_letter",
          "consumer " + name_ + ": message from " + (origin.empty() ? "?" : origin) + " key "
            + d.routing_key + " dead-lettered: " + reason);
    if (spec_.dead_letter_exchange.empty())
      return conn_.reject(d.delivery_tag);
    const std::string& key = spec_.dead_letter_routing_key.empty() ? d.routing_key : spec_.dead_letter_routing_key;
    auto err = conn_.republish(d, spec_.dead_letter_exchange, key,
                               {{header::error, reason}, {header::error_queue, spec_.queue}});
    if (err.empty())
      dead_letters_[next_tag_++] = d.delivery_tag;
    return err;
  }

  void on_event(const impl::frame_event& ev) {
    switch (ev.kind) {
      case impl::frame_event::ack:
      case impl::frame_event::nack: settle(ev); break;
      case impl::frame_event::closed: lost(ev.text); break;
      default: break;
    }
  }

  /// A confirm for dead-letter copies: ack the originals (nack: let the broker dead-letter them).
  void settle(const impl::frame_event& ev) {
    for (auto it = dead_letters_.begin(); it != dead_letters_.end();) {
      if (ev.multiple ? it->first <= ev.delivery_tag : it->first == ev.delivery_tag) {
        auto err = ev.kind == impl::frame_event::ack ? conn_.ack(it->second) : conn_.reject(it->second);
        it = dead_letters_.erase(it);
        if (!err.empty()) {
          lost(err);
          return;
        }
      } else {
        ++it;
      }
    }
  }

  void lost(const std::string& why) {
    link_.lost(why);
    conn_.close();
  }

  void raise(severity level, const std::string& code, const std::string& text) { link_.raise(level, code, text); }

  caf::blocking_actor* self_;
  link_settings settings_;
  consumer_spec spec_;
  std::shared_ptr<importer_registry> importers_;
  std::shared_ptr<node_context> ctx_;
  consumer_metrics metrics_;
  actor_probe& probe_;
  std::string name_;
  impl::reconnector link_; ///< back-off, outage alerts, connection metrics
  caf::group local_;
  impl::connection conn_;
  dedupe_window seen_;                       ///< survives reconnects
  std::map<uint64_t, uint64_t> dead_letters_; ///< publish tag of the copy → delivery tag of the original
  uint64_t next_tag_ = 1;
  int64_t next_offset_ = 0;                   ///< streams: where the next (re)subscription starts
  uint64_t delivered_ = 0;
  uint64_t duplicates_ = 0;
  uint64_t dead_lettered_ = 0;
  bool running_ = true;
};

void consumer_main(caf::blocking_actor* self, link_settings settings, consumer_spec spec,
                   std::shared_ptr<importer_registry> importers, std::shared_ptr<node_context> ctx) {
  consumer c{self, std::move(settings), std::move(spec), std::move(importers), std::move(ctx)};
  c.run();
}

} // namespace

caf::actor spawn_consumer(caf::actor_system& sys, link_settings settings, consumer_spec spec,
                          std::shared_ptr<importer_registry> importers, std::shared_ptr<node_context> ctx) {
  return sys.spawn<caf::detached>(consumer_main, std::move(settings), std::move(spec), std::move(importers),
                                  std::move(ctx));
}

} // namespace tradewind::amqp
