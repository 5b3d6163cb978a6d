#pragma once
// What applying a topology would do to a broker: each declared exchange, queue and binding
// is to be created, already there (unchanged), or in conflict — RabbitMQ cannot change an
// exchange's type or a queue's arguments in place, so those must be resolved by hand
// (delete and re-declare, or change the file). Objects on the broker that the topology does
// not declare are left alone and not listed.

#include <cstddef>
#include <string>
#include <vector>

#include "topology/broker_state.hpp"

namespace tradewind::topology {

enum class change_kind : uint8_t {
  create,    ///< not on the broker: apply declares it
  unchanged, ///< on the broker with the same properties
  conflict,  ///< on the broker with other properties: apply refuses
};

enum class object_kind : uint8_t { exchange, queue, binding };

std::string_view to_string(change_kind x);
std::string_view to_string(object_kind x);

/// One line of a plan.
struct plan_item {
  change_kind change;
  object_kind object;
  std::string name;   ///< exchange or queue name; `exchange -> queue [key]` for a binding
  std::string detail; ///< what differs, for conflicts: `x-delivery-limit is 3 on the broker, 5 in the topology`
};

struct plan {
  std::string vhost;
  std::vector<plan_item> items; ///< exchanges, then queues, then bindings, in topology order

  size_t count(change_kind c) const;
  size_t count(change_kind c, object_kind o) const;
  bool has_conflicts() const { return count(change_kind::conflict) > 0; }
};

/// Compares what the topology wants with what the broker has.
plan make_plan(const broker_state& desired, const broker_state& actual);

/// `binding_name(b)`: `exchange -> queue [routing_key]`.
std::string binding_name(const binding_state& b);

/// One line per item (`  create     queue q`, `  conflict   queue q: …`) and a summary line
/// `N to create, M unchanged, K conflicts`.
std::string format_plan(const plan& p);

} // namespace tradewind::topology
