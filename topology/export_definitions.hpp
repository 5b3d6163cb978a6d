#pragma once
// RabbitMQ definitions JSON of a topology: the document `rabbitmqctl import_definitions FILE`
// (and the management UI's "Import definitions") accepts. Only the vhost, exchanges, queues
// and bindings are exported: no users, permissions or policies.

#include <string>

#include "topology/broker_state.hpp"

namespace tradewind::topology {

/// Pretty-printed (2-space) definitions JSON of `s`:
/// {"vhosts":[{"name":V}],"exchanges":[…],"queues":[…],"bindings":[…]}, every object with
/// its "vhost". Import creates the vhost when missing.
std::string export_definitions(const broker_state& s);

} // namespace tradewind::topology
