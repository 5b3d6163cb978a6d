#pragma once
// The AMQP link's counters in the node's metrics registry: per exchange for publishers, per
// queue for consumers, per link actor (amqp-out:<topic>, amqp-in:<queue>) for connections.
// A restarted link actor continues the same series.

#include <cstddef>
#include <string>

namespace prometheus {
class Counter;
class Gauge;
} // namespace prometheus

namespace tradewind {
class metrics_registry;
}

namespace tradewind::amqp {

/// Connection figures of one link actor: tradewind_amqp_connected{link} and
/// tradewind_amqp_reconnects_total{link}.
class connection_metrics {
public:
  connection_metrics(metrics_registry& registry, const std::string& link);
  /// Marks the connection up (1) or down (0); up after an outage counts a reconnect.
  void set_connected(bool up, bool after_outage);

private:
  prometheus::Counter& reconnects_;
  prometheus::Gauge& connected_;
};

/// What a publisher counts, labelled with its exchange.
class publisher_metrics {
public:
  publisher_metrics(metrics_registry& registry, const std::string& link, const std::string& exchange);
  /// One basic.publish (re-publishes after a reconnect or nack included).
  void on_published();
  /// Messages the broker confirmed (ack) or refused (nack).
  void on_confirmed(size_t messages);
  void on_nacked(size_t messages);
  /// A mandatory message no queue took (basic.return).
  void on_returned();
  connection_metrics& connection() { return connection_; }

private:
  prometheus::Counter& published_;
  prometheus::Counter& confirmed_;
  prometheus::Counter& nacked_;
  prometheus::Counter& returned_;
  connection_metrics connection_;
};

/// What a consumer counts, labelled with its queue.
class consumer_metrics {
public:
  consumer_metrics(metrics_registry& registry, const std::string& link, const std::string& queue);
  /// A message handed over to the local topic.
  void on_delivered();
  /// A delivery the broker flagged as redelivered.
  void on_redelivered();
  /// A delivery dropped by the de-duplication window.
  void on_duplicate();
  /// A poison message dead-lettered (or rejected).
  void on_dead_lettered();
  connection_metrics& connection() { return connection_; }

private:
  prometheus::Counter& delivered_;
  prometheus::Counter& redelivered_;
  prometheus::Counter& duplicates_;
  prometheus::Counter& dead_lettered_;
  connection_metrics connection_;
};

} // namespace tradewind::amqp
