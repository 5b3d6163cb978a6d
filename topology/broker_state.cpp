#include "topology/broker_state.hpp"

#include "topology/names.hpp"

namespace tradewind::topology {

std::string to_text(const arg_value& v) {
  if (auto s = std::get_if<std::string>(&v))
    return "\"" + *s + "\"";
  if (auto i = std::get_if<int64_t>(&v))
    return std::to_string(*i);
  return std::get<bool>(v) ? "true" : "false";
}

arg_table queue_arguments(const queue_decl& q) {
  arg_table args;
  if (q.type == queue_type::stream) {
    // A stream takes none of the dead-letter or length arguments (the broker refuses the
    // declaration); its dead_letter_exchange is where the consumer re-publishes poison messages.
    args[queue_args::queue_type] = std::string("stream");
    if (!q.max_age.empty())
      args[queue_args::max_age] = q.max_age;
    if (q.max_length_bytes)
      args[queue_args::max_length_bytes] = *q.max_length_bytes;
    return args;
  }
  if (q.type == queue_type::quorum)
    args[queue_args::queue_type] = std::string("quorum");
  if (!q.dead_letter_exchange.empty())
    args[queue_args::dead_letter_exchange] = q.dead_letter_exchange;
  if (!q.dead_letter_routing_key.empty())
    args[queue_args::dead_letter_routing_key] = q.dead_letter_routing_key;
  if (q.max_length)
    args[queue_args::max_length] = *q.max_length;
  if (q.delivery_limit)
    args[queue_args::delivery_limit] = *q.delivery_limit;
  if (q.message_ttl_ms)
    args[queue_args::message_ttl] = *q.message_ttl_ms;
  return args;
}

broker_state desired_state(const model& m) {
  broker_state s;
  s.vhost = m.vhost;
  for (const auto& e : m.exchanges)
    s.exchanges.push_back({e.name, std::string(to_string(e.type)), e.durable, e.auto_delete, false, {}});
  for (const auto& q : m.queues)
    s.queues.push_back({q.name, q.durable, false, queue_arguments(q)});
  for (const auto& b : m.bindings) {
    std::string key = b.weight ? std::to_string(*b.weight) : b.routing_key;
    s.bindings.push_back({b.exchange, b.queue, key, {}});
  }
  return s;
}

} // namespace tradewind::topology
