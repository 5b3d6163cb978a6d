#pragma once
// The AMQP link of one node: publisher actors export the local topics other nodes consume,
// consumer actors import the node's queues into the local topics. Local actors never know a
// peer is remote. Each link actor is a detached (own thread) blocking actor with its own
// rabbitmq-c connection. Design, headers and guarantees: bridge/amqp/README.md.

#include <memory>
#include <string>
#include <vector>

#include "caf/fwd.hpp"

#include "actors/core/supervisor.hpp"
#include "config/node_config.hpp"
#include "topology/broker_state.hpp"
#include "topology/model.hpp"

namespace tradewind {
struct node_context;
}

namespace tradewind::amqp {

class importer_registry;

/// What every link actor of a node shares.
struct link_settings {
  amqp_config amqp;                       ///< url, prefetch, confirms, heartbeats, back-off
  std::string node;                       ///< this node's name (origin_node header)
  std::string vhost;                      ///< from the topology
  topology::broker_state declarations;    ///< declared again on every (re)connect (idempotent)
};

/// One topic a publisher exports.
struct publisher_spec {
  topic id = topic::market_data;
  std::string exchange;
  topology::route_decl route;             ///< routing-key pattern (copied out of the model)
};

/// One queue a consumer imports.
struct consumer_spec {
  topic id = topic::market_data;
  std::string queue;
  std::string dead_letter_exchange;       ///< empty: poison messages are rejected (broker drops them)
  std::string dead_letter_routing_key;    ///< empty: the message's own routing key
  bool stream = false;                    ///< a stream: read from its first offset, resumed after the last handed over
};

/// The publisher and consumer specs of `links` (queue dead-letter settings from `m`).
std::vector<publisher_spec> publishers_of(const topology::node_links& links);
std::vector<consumer_spec> consumers_of(const topology::model& m, const topology::node_links& links);

/// Names of the link children: "amqp-out:<topic>" and "amqp-in:<queue>".
std::string publisher_name(topic t);
std::string consumer_name(const std::string& queue);

/// Publisher: joins local topic `spec.id`, publishes every message produced on this node (not
/// those imported by a consumer of this node) as a persistent-or-not JSON envelope with
/// headers, mandatory, with confirms (window amqp.max_in_flight, awaited every
/// amqp.confirm_batch). Answers `flush_atom` with `ok_atom` once everything received so far
/// is confirmed by the broker.
caf::actor spawn_publisher(caf::actor_system& sys, link_settings settings, publisher_spec spec,
                           std::shared_ptr<importer_registry> importers, std::shared_ptr<node_context> ctx);

/// Consumer: consumes `spec.queue` with manual acks and prefetch amqp.prefetch, hands each
/// decoded message to local topic `spec.id`, then acks it. Undecodable messages are
/// re-published to the dead-letter exchange with header x-tradewind-error, then acked.
caf::actor spawn_consumer(caf::actor_system& sys, link_settings settings, consumer_spec spec,
                          std::shared_ptr<importer_registry> importers, std::shared_ptr<node_context> ctx);

/// The supervisor children of the whole link: consumers first, then publishers.
std::vector<child_spec> link_children(const link_settings& settings, const topology::model& m,
                                      const topology::node_links& links, std::shared_ptr<node_context> ctx);

} // namespace tradewind::amqp
