#pragma once
// The one place where broker names are built: routing keys from a route's pattern, symbol
// shards, the broadcast key, consumer tags, and how binding keys match routing keys.
// Exchange and queue names are the ones declared in the topology file, used as they are.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "topology/model.hpp"

namespace tradewind::topology {

/// The placeholders a routing-key pattern may use.
inline constexpr std::string_view placeholder_type = "{type}";   ///< message type wire name
inline constexpr std::string_view placeholder_node = "{node}";   ///< origin node name
inline constexpr std::string_view placeholder_shard = "{shard}"; ///< symbol shard, or "all"

/// The `{shard}` value of messages without a symbol: they go to every shard.
inline constexpr std::string_view broadcast_shard = "all";

/// Placeholders in `pattern` that are not one of the three above ("{symbol}", "{x"); empty
/// when the pattern is fine.
std::vector<std::string> unknown_placeholders(std::string_view pattern);

/// True when `pattern` contains `placeholder`.
bool uses(std::string_view pattern, std::string_view placeholder);

/// Stable shard of `symbol` in [0, shards): FNV-1a (32 bit) of the symbol's bytes modulo
/// `shards`. The same symbol always lands on the same shard, on every host and build.
int shard_of(std::string_view symbol, int shards);

/// The routing key of one message on `route`: `{type}` → type name, `{node}` → origin node,
/// `{shard}` → shard_of(symbol) when the type has a symbol, else "all".
std::string routing_key(const route_decl& route, message_type type, std::string_view origin_node,
                        std::string_view symbol);

/// The routing key with `{shard}` = `shard` ("all" or a number); other placeholders as above.
std::string routing_key_for_shard(const route_decl& route, message_type type, std::string_view origin_node,
                                  std::string_view shard);

/// One routing key a route can produce, and what produces it.
struct route_key {
  std::string key;
  message_type type;
  std::string origin_node;
  int shard = -1; ///< shard number; -1 for the broadcast key or an unsharded route
};

/// Every routing key `route` produces for `types` published by `origin_node`.
std::vector<route_key> route_keys(const route_decl& route, const std::vector<message_type>& types,
                                  std::string_view origin_node);

/// True when a message with `routing_key` published to an exchange of type `type` reaches a
/// queue bound with `binding_key`. Topic: `*` is one word, `#` zero or more words (words are
/// separated by '.'); direct: equality; fanout: always; headers and x-consistent-hash: always
/// (their routing does not depend on the binding key in a way we can check).
bool binding_matches(exchange_type type, std::string_view binding_key, std::string_view routing_key);

/// Consumer tag of node `node` on `queue`: "tradewind.<node>.<queue>".
std::string consumer_tag(std::string_view node, std::string_view queue);

/// RabbitMQ queue argument names used for queue_decl fields.
namespace queue_args {
inline constexpr const char* queue_type = "x-queue-type";
inline constexpr const char* dead_letter_exchange = "x-dead-letter-exchange";
inline constexpr const char* dead_letter_routing_key = "x-dead-letter-routing-key";
inline constexpr const char* max_length = "x-max-length";
inline constexpr const char* delivery_limit = "x-delivery-limit";
inline constexpr const char* message_ttl = "x-message-ttl";
inline constexpr const char* max_age = "x-max-age";
inline constexpr const char* max_length_bytes = "x-max-length-bytes";
} // namespace queue_args

} // namespace tradewind::topology
