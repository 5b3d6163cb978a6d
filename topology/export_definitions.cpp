#include "topology/export_definitions.hpp"

#include <nlohmann/json.hpp>

namespace tradewind::topology {

namespace {

nlohmann::json to_json(const arg_table& args) {
  auto out = nlohmann::json::object();
  for (const auto& [k, v] : args)
    std::visit([&, key = k](const auto& x) { out[key] = x; }, v);
  return out;
}

} // namespace

std::string export_definitions(const broker_state& s) {
  using nlohmann::json;
  // ordered_json keeps the keys in the order RabbitMQ itself exports them, which reads better.
  nlohmann::ordered_json doc;
  doc["vhosts"] = nlohmann::ordered_json::array({{{"name", s.vhost}}});
  doc["exchanges"] = nlohmann::ordered_json::array();
  for (const auto& e : s.exchanges)
    doc["exchanges"].push_back({{"name", e.name},
                                {"vhost", s.vhost},
                                {"type", e.type},
                                {"durable", e.durable},
                                {"auto_delete", e.auto_delete},
                                {"internal", e.internal},
                                {"arguments", to_json(e.arguments)}});
  doc["queues"] = nlohmann::ordered_json::array();
  for (const auto& q : s.queues)
    doc["queues"].push_back({{"name", q.name},
                             {"vhost", s.vhost},
                             {"durable", q.durable},
                             {"auto_delete", q.auto_delete},
                             {"arguments", to_json(q.arguments)}});
  doc["bindings"] = nlohmann::ordered_json::array();
  for (const auto& b : s.bindings)
    doc["bindings"].push_back({{"source", b.exchange},
                               {"vhost", s.vhost},
                               {"destination", b.queue},
                               {"destination_type", "queue"},
                               {"routing_key", b.routing_key},
                               {"arguments", to_json(b.arguments)}});
  return doc.dump(2) + "\n";
}

} // namespace tradewind::topology
