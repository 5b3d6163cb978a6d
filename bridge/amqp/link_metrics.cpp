#include "bridge/amqp/link_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "actors/core/metrics_registry.hpp"

namespace tradewind::amqp {

namespace {

prometheus::Counter& counter(metrics_registry& r, const char* name, const char* help, const char* label,
                             const std::string& value) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r.families()).Add({{label, value}});
}

} // namespace

connection_metrics::connection_metrics(metrics_registry& r, const std::string& link)
  : reconnects_(counter(r, "tradewind_amqp_reconnects_total",
                        "Times a link actor connected again after losing (or failing to open) its connection.", "link",
                        link)),
    connected_(prometheus::BuildGauge()
                 .Name("tradewind_amqp_connected")
                 .Help("1 while the link actor's broker connection is open, else 0.")
                 .Register(r.families())
                 .Add({{"link", link}})) {}

void connection_metrics::set_connected(bool up, bool after_outage) {
  connected_.Set(up ? 1 : 0);
  if (up && after_outage)
    reconnects_.Increment();
}

publisher_metrics::publisher_metrics(metrics_registry& r, const std::string& link, const std::string& exchange)
  : published_(counter(r, "tradewind_amqp_published_total",
                       "Messages the link published to an exchange (re-publishes after a reconnect or nack included).",
                       "exchange", exchange)),
    confirmed_(counter(r, "tradewind_amqp_confirmed_total", "Published messages the broker confirmed (ack).",
                       "exchange", exchange)),
    nacked_(counter(r, "tradewind_amqp_nacked_total",
                    "Published messages the broker refused (nack); the link publishes them again.", "exchange",
                    exchange)),
    returned_(counter(r, "tradewind_amqp_returned_total",
                      "Mandatory messages the broker returned because no queue took them (alert amqp_message_returned).",
                      "exchange", exchange)),
    connection_(r, link) {}

consumer_metrics::consumer_metrics(metrics_registry& r, const std::string& link, const std::string& queue)
  : delivered_(counter(r, "tradewind_amqp_delivered_total",
                       "Messages a consumer took from its queue and handed over to the local topic.", "queue", queue)),
    redelivered_(counter(r, "tradewind_amqp_redelivered_total",
                         "Deliveries the broker flagged as redelivered (unacked before a reconnect).", "queue", queue)),
    duplicates_(counter(r, "tradewind_amqp_duplicates_total",
                        "Deliveries dropped because their message id was already handed over.", "queue", queue)),
    dead_lettered_(counter(r, "tradewind_amqp_dead_lettered_total",
                           "Poison messages dead-lettered, or rejected when the queue has no dead-letter exchange "
                           "(alert amqp_dead_letter).",
                           "queue", queue)),
    connection_(r, link) {}

void publisher_metrics::on_published() {
  published_.Increment();
}

void publisher_metrics::on_confirmed(size_t messages) {
  confirmed_.Increment(static_cast<double>(messages));
}

void publisher_metrics::on_nacked(size_t messages) {
  nacked_.Increment(static_cast<double>(messages));
}

void publisher_metrics::on_returned() {
  returned_.Increment();
}

void consumer_metrics::on_delivered() {
  delivered_.Increment();
}

void consumer_metrics::on_redelivered() {
  redelivered_.Increment();
}

void consumer_metrics::on_duplicate() {
  duplicates_.Increment();
}

void consumer_metrics::on_dead_lettered() {
  dead_lettered_.Increment();
}

} // namespace tradewind::amqp
