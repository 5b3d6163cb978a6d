#include "bridge/amqp/link.hpp"

#include "caf/all.hpp"

#include "bridge/amqp/impl/importers.hpp"
#include "bridge/amqp/impl/redeclare.hpp"
#include "topology/amqp_admin.hpp"

namespace tradewind::amqp {

std::vector<publisher_spec> publishers_of(const topology::node_links& links) {
  std::vector<publisher_spec> out;
  for (const auto& p : links.publishes)
    out.push_back(publisher_spec{p.id, p.exchange, *p.route});
  return out;
}

std::vector<consumer_spec> consumers_of(const topology::model& m, const topology::node_links& links) {
  std::vector<consumer_spec> out;
  for (const auto& s : links.consumes) {
    consumer_spec c{s.id, s.queue, {}, {}};
    if (const auto* q = m.find_queue(s.queue)) {
      c.dead_letter_exchange = q->dead_letter_exchange;
      c.dead_letter_routing_key = q->dead_letter_routing_key;
      c.stream = q->type == topology::queue_type::stream;
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string publisher_name(topic t) {
  return "amqp-out:" + std::string(topic_name(t));
}

std::string consumer_name(const std::string& queue) {
  return "amqp-in:" + queue;
}

std::string redeclare(const link_settings& settings) {
  if (settings.declarations.exchanges.empty() && settings.declarations.queues.empty())
    return {};
  std::string err;
  auto admin = topology::amqp_admin::connect(settings.amqp.url, settings.vhost, err);
  if (!admin)
    return err;
  return admin->declare_all(settings.declarations);
}

std::vector<child_spec> link_children(const link_settings& settings, const topology::model& m,
                                      const topology::node_links& links, std::shared_ptr<node_context> ctx) {
  auto importers = std::make_shared<importer_registry>();
  std::vector<child_spec> out;
  for (auto& c : consumers_of(m, links))
    out.push_back({consumer_name(c.queue), [settings, c, importers, ctx](caf::actor_system& sys) {
                     return spawn_consumer(sys, settings, c, importers, ctx);
                   }});
  for (auto& p : publishers_of(links))
    out.push_back({publisher_name(p.id), [settings, p, importers, ctx](caf::actor_system& sys) {
                     return spawn_publisher(sys, settings, p, importers, ctx);
                   }});
  return out;
}

} // namespace tradewind::amqp
