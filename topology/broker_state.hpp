#pragma once
// The broker objects a topology stands for (exchanges, queues, bindings with their RabbitMQ
// arguments), in the shape the management API reports them. Export, plan and apply all
// start from desired_state(); the management client reads the actual one.

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "topology/model.hpp"

namespace tradewind::topology {

/// One argument value; other JSON values read from the broker are kept as their JSON text.
using arg_value = std::variant<std::string, int64_t, bool>;
/// Arguments by name (x-queue-type, x-delivery-limit, …).
using arg_table = std::map<std::string, arg_value>;

/// `"text"` for strings, the number or true/false otherwise.
std::string to_text(const arg_value& v);

struct exchange_state {
  std::string name;
  std::string type; ///< direct|topic|fanout|headers|x-consistent-hash
  bool durable = true;
  bool auto_delete = false;
  bool internal = false;
  arg_table arguments;
};

struct queue_state {
  std::string name;
  bool durable = true;
  bool auto_delete = false;
  arg_table arguments;
};

/// An exchange → queue binding (bindings between exchanges are not used).
struct binding_state {
  std::string exchange;
  std::string queue;
  std::string routing_key;
  arg_table arguments;

  bool operator==(const binding_state& o) const {
    return exchange == o.exchange && queue == o.queue && routing_key == o.routing_key && arguments == o.arguments;
  }
};

/// Everything declared in one vhost.
struct broker_state {
  std::string vhost;
  std::vector<exchange_state> exchanges;
  std::vector<queue_state> queues;
  std::vector<binding_state> bindings;
};

/// The queue arguments of `q`: x-queue-type (quorum and stream; classic is the default and is
/// left out, as the broker reports a classic queue declared without it), x-dead-letter-exchange,
/// x-dead-letter-routing-key, x-max-length, x-delivery-limit, x-message-ttl — each only when
/// set; a stream gets x-max-age and x-max-length-bytes only.
arg_table queue_arguments(const queue_decl& q);

/// What `m` declares, in file order. A binding to an x-consistent-hash exchange uses its
/// weight as routing key, as the plugin expects.
broker_state desired_state(const model& m);

} // namespace tradewind::topology
