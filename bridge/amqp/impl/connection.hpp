#pragma once
// The broker connection of the link actors: topology's rabbitmq-c wrapper
// (topology/impl/amqp_connection.hpp) plus the link's message format (wire.hpp: properties
// and headers of an outgoing message). Internal to bridge/amqp. One connection belongs to one
// thread (rabbitmq-c is not thread-safe).

#include <map>
#include <string>

#include "bridge/amqp/wire.hpp"
#include "topology/impl/amqp_connection.hpp"

namespace tradewind::amqp::impl {

using topology::impl::connection_options;
using topology::impl::delivery;
using topology::impl::frame_event;

class connection : public topology::impl::amqp_connection {
public:
  using amqp_connection::publish;

  /// basic.publish of `m` with mandatory = true and every header of wire.hpp; returns an
  /// error text (the connection is then dead) or empty. `extra` headers are appended.
  std::string publish(const outgoing& m, const std::map<std::string, std::string>& extra = {});
};

} // namespace tradewind::amqp::impl
