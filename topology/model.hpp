#pragma once
// The typed topology model: which nodes run which actors, and the exchanges, queues, bindings
// and routes that link them over RabbitMQ. topology/loader.hpp fills it from YAML,
// topology/validate.hpp checks it, and the AMQP link asks links_for_node() what to publish
// and consume. Format and rules: topology/examples/README.md.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/topics.hpp"

namespace tradewind::topology {

/// The kinds of actor a node can run (actors/*).
enum class actor_kind : uint8_t {
  collector, ///< market data source: publishes market_data, consumes account (back-pressure)
  strategy,  ///< consumes market_data and control (strategy_update), publishes signals
  risk,      ///< consumes signals, account, control; publishes orders
  executor,  ///< consumes market_data, orders; publishes executions
  portfolio, ///< consumes market_data, executions; publishes account
  notifier,  ///< consumes alerts
  store,     ///< consumes orders, executions, account, alerts
};

/// RabbitMQ exchange types.
enum class exchange_type : uint8_t {
  direct,          ///< routing key equals binding key
  topic,           ///< binding keys with `*` (one word) and `#` (zero or more words)
  fanout,          ///< every bound queue gets every message
  headers,         ///< matched on headers (declarable; not usable by routes)
  consistent_hash, ///< `x-consistent-hash` (plugin rabbitmq_consistent_hash_exchange; not usable by routes)
};

/// RabbitMQ queue types.
enum class queue_type : uint8_t {
  classic, ///< default queue type
  quorum,  ///< replicated (Raft); needs delivery_limit when consumed
  stream,  ///< append-only log (RabbitMQ 3.9+): read from an offset, kept after consumption;
           ///< a strategy node's queue, so a node taking over its role can replay it
};

/// How the link encodes a message body: the schemas/json envelope as JSON text
/// (application/json, readable by any AMQP client) or the same document as MessagePack
/// (application/msgpack, compact). Consumers read both, by content type.
enum class wire_encoding : uint8_t {
  json,
  msgpack,
};

/// Every message type of schemas/ by its wire name (schemas/json/codec.hpp type_name()).
enum class message_type : uint8_t {
  bar,              ///< market_data
  trade_tick,       ///< market_data
  signal,           ///< signals
  order_intent,     ///< orders (approved), control (manual)
  risk_decision,    ///< orders
  order,            ///< executions
  fill,             ///< executions
  cancel_request,   ///< orders
  position_update,  ///< account
  account_snapshot, ///< account
  alert,            ///< alerts
  control_command,  ///< control
  heartbeat,        ///< node membership (not carried by any topic yet)
  watermark,        ///< every topic but alerts and control
  risk_limits_update, ///< control
  risk_limits_report, ///< control
  strategy_update,  ///< control
  strategy_report,  ///< control
  trading_state_changed, ///< control
};

inline constexpr std::array<message_type, 19> all_message_types{
  message_type::bar,          message_type::trade_tick,      message_type::signal,
  message_type::order_intent, message_type::risk_decision,   message_type::order,
  message_type::fill,         message_type::cancel_request,  message_type::position_update,
  message_type::account_snapshot, message_type::alert,       message_type::control_command,
  message_type::heartbeat,    message_type::watermark,       message_type::risk_limits_update,
  message_type::risk_limits_report, message_type::strategy_update, message_type::strategy_report,
  message_type::trading_state_changed};

inline constexpr std::array<actor_kind, 7> all_actor_kinds{
  actor_kind::collector, actor_kind::strategy, actor_kind::risk,  actor_kind::executor,
  actor_kind::portfolio, actor_kind::notifier, actor_kind::store};

std::string_view to_string(actor_kind x);
std::string_view to_string(exchange_type x); ///< "x-consistent-hash" for consistent_hash
std::string_view to_string(queue_type x);
std::string_view to_string(wire_encoding x);
std::string_view to_string(message_type x);

std::optional<actor_kind> parse_actor_kind(std::string_view text);
std::optional<exchange_type> parse_exchange_type(std::string_view text);
std::optional<queue_type> parse_queue_type(std::string_view text);
std::optional<wire_encoding> parse_wire_encoding(std::string_view text);
std::optional<message_type> parse_message_type(std::string_view text);
std::optional<topic> parse_topic(std::string_view text);

/// True for the types that carry a `symbol` field (routed to one shard); the others
/// (watermark, account_snapshot, cancel_request, alert, control_command, heartbeat and the
/// risk-limit and strategy updates and reports) go to
/// every shard through the route's broadcast key.
bool has_symbol(message_type t);

/// What the actors say about one topic (mirrors schemas/topics.hpp and actors/*).
struct topic_info {
  topic id;
  std::vector<message_type> types;      ///< what travels on it
  std::vector<actor_kind> publishers;   ///< actor kinds that publish it
  bool every_node_publishes = false;    ///< alerts (any actor), control (supervisors, operators)
  std::vector<actor_kind> consumers;    ///< actor kinds that subscribe to it
};

/// The catalogue entry of `t`.
const topic_info& info(topic t);

/// `nodes[].actors[]`: one actor (or, for strategies, a set of strategy instances).
struct actor_decl {
  actor_kind kind = actor_kind::collector; ///< kind: required
  std::string config;                      ///< config: node config YAML (config/node_config.hpp); defaults to the node's
  std::vector<std::string> strategies;     ///< strategies: strategy ids (strategies[].id of the config); strategy actors only
};

/// `nodes[]`: one `tradewind` process.
struct node_decl {
  std::string name;                ///< name: required, unique, [a-z0-9_-]+
  std::string config;              ///< config: default node config for its actors; relative to the topology file
  std::vector<actor_decl> actors;  ///< actors: at least one
};

/// `exchanges[]`.
struct exchange_decl {
  std::string name;                       ///< name: required, unique; not starting with "amq."
  exchange_type type = exchange_type::topic; ///< type: direct|topic|fanout|headers|x-consistent-hash
  bool durable = true;                    ///< durable
  bool auto_delete = false;               ///< auto_delete
};

/// `queues[]`.
struct queue_decl {
  std::string name;                       ///< name: required, unique; not starting with "amq."
  queue_type type = queue_type::classic;  ///< type: classic|quorum|stream
  bool durable = true;                    ///< durable: quorum queues must be durable
  std::string node;                       ///< node: the node that consumes it; empty for taps and dead-letter queues
  std::optional<topic> consumed_topic;    ///< topic: which of the node's topics it feeds; required with node
  std::string dead_letter_exchange;       ///< dead_letter_exchange: required when it receives messages from another node
  std::string dead_letter_routing_key;    ///< dead_letter_routing_key: optional; default keeps the message's key
  std::optional<int64_t> max_length;      ///< max_length: messages, > 0
  std::optional<int64_t> delivery_limit;  ///< delivery_limit: quorum only, > 0; required for consumed quorum queues
  std::optional<int64_t> message_ttl_ms;  ///< message_ttl_ms: >= 0; not for streams
  std::string max_age;                    ///< max_age: stream retention, e.g. "7D", "12h" (N followed by Y|M|D|h|m|s)
  std::optional<int64_t> max_length_bytes; ///< max_length_bytes: stream retention by size, > 0
};

/// `bindings[]`: exchange → queue.
struct binding_decl {
  std::string exchange;                   ///< exchange: required
  std::string queue;                      ///< queue: required
  std::string routing_key;                ///< routing_key: binding key (`*`/`#` on topic exchanges)
  std::optional<int64_t> weight;          ///< weight: x-consistent-hash exchanges only (instead of routing_key)
};

/// `routes[]`: how one topic travels between nodes. The unit is the topic, not the message
/// type, because watermarks must stay in order with the data they cover (one exchange, one
/// publisher channel, one queue per consumer keeps that order).
struct route_decl {
  topic id = topic::market_data;          ///< topic: required, one of schemas/topics.hpp
  std::string exchange;                   ///< exchange: required; a direct, topic or fanout exchange
  std::string routing_key;                ///< routing_key: pattern; placeholders {type}, {node}, {shard}
  int shards = 0;                         ///< shards: symbol shards for {shard}, [1, 1024]; 0 = not sharded
  wire_encoding encoding = wire_encoding::json; ///< encoding: json|msgpack, how publishers encode the envelope
};

/// A whole topology file.
struct model {
  int version = 1;                        ///< version: 1
  std::string vhost = "/";                ///< vhost: where everything is declared
  std::vector<exchange_decl> exchanges;
  std::vector<queue_decl> queues;
  std::vector<binding_decl> bindings;
  std::vector<route_decl> routes;
  std::vector<node_decl> nodes;
  std::string base_dir;                   ///< directory of the file; config paths resolve against it (not in YAML)

  const node_decl* find_node(std::string_view name) const;
  const exchange_decl* find_exchange(std::string_view name) const;
  const queue_decl* find_queue(std::string_view name) const;
  const route_decl* find_route(topic t) const;
};

/// True when `node` runs an actor of kind `k`.
bool runs(const node_decl& node, actor_kind k);
/// Topics that actors of `node` publish (alerts and control: every node with an actor).
std::vector<topic> topics_published_by(const node_decl& node);
/// Topics that actors of `node` subscribe to.
std::vector<topic> topics_consumed_by(const node_decl& node);
/// Names of the nodes that publish `t`.
std::vector<std::string> publishers_of(const model& m, topic t);

/// One topic a node must send over the broker (someone elsewhere consumes it).
struct publication {
  topic id;
  std::vector<message_type> types;
  std::string exchange;             ///< broker name of the route's exchange
  const route_decl* route = nullptr; ///< build keys with topology/names.hpp routing_key()
};

/// One queue a node consumes, and the local topic its messages are delivered to.
struct subscription {
  topic id;
  std::string queue;                ///< broker name of the queue
  std::vector<std::string> from_nodes; ///< the other nodes publishing this topic
};

/// Everything the AMQP link of one node needs.
struct node_links {
  std::string node;
  std::vector<publication> publishes;
  std::vector<subscription> consumes;
};

/// The publications and subscriptions of node `name` in a valid model (validate first).
/// A topic is published when a route carries it and some queue not consumed by this node
/// (another node's queue or a tap) is bound so that it can receive it. Messages the node
/// receives from its own publications must be dropped by origin (they were delivered
/// in-process); the link compares the origin-node header.
node_links links_for_node(const model& m, std::string_view name);

/// The strategy watermark inputs the risk gate on node `risk_node` waits for, in node order:
/// a strategy id running on `risk_node` itself as it is ("btc-ma"), one running on another
/// node qualified with that node ("btc-ma@strategy-1") — its watermarks cross the broker
/// with that source (bridge/amqp/wire.hpp qualify_source), so a strategy id sharded over
/// several nodes is waited for on each of them.
std::vector<std::string> strategy_watermark_inputs(const model& m, std::string_view risk_node);

} // namespace tradewind::topology
