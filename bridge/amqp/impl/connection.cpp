#include "bridge/amqp/impl/connection.hpp"

namespace tradewind::amqp::impl {

std::string connection::publish(const outgoing& m, const std::map<std::string, std::string>& extra) {
  using topology::impl::bytes_of;
  topology::impl::field_table headers; // points into `m` and `extra` until the call returns
  headers.add(header::message_type, m.type);
  headers.add(header::schema_version, static_cast<int64_t>(m.schema_version));
  headers.add(header::origin_node, m.origin_node);
  headers.add(header::trace_id, m.trace_id);
  headers.add(header::sent_at_ms, m.sent_at_ms);
  for (const auto& [k, v] : extra)
    headers.add(k.c_str(), v);
  amqp_basic_properties_t props{};
  props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_HEADERS_FLAG
                 | AMQP_BASIC_MESSAGE_ID_FLAG | AMQP_BASIC_TIMESTAMP_FLAG | AMQP_BASIC_TYPE_FLAG;
  props.content_type = amqp_cstring_bytes(m.content_type);
  props.delivery_mode = m.persistent ? 2 : 1;
  props.headers = headers.table();
  props.message_id = bytes_of(m.message_id);
  props.timestamp = static_cast<uint64_t>(m.sent_at_ms / 1000);
  props.type = bytes_of(m.type);
  return amqp_connection::publish(m.exchange, m.routing_key, true, props, bytes_of(m.body));
}

} // namespace tradewind::amqp::impl
