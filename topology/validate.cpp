#include "topology/validate.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "topology/names.hpp"

namespace tradewind::topology {

namespace {

std::string in_quotes(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

std::string index_path(std::string_view list, size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

std::string join_words(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty())
      out += sep;
    out += s;
  }
  return out;
}

std::string type_list(topic t) {
  std::vector<std::string> names;
  for (auto mt : info(t).types)
    names.emplace_back(to_string(mt));
  return join_words(names);
}

bool is_broker_name(std::string_view s) {
  return !s.empty() && s.size() <= 255 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == ':';
  });
}

bool is_id(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool contains(const std::vector<topic>& v, topic t) {
  return std::find(v.begin(), v.end(), t) != v.end();
}

/// Checks one model; collects errors in `errors`.
class checker {
public:
  checker(const model& m, const std::set<std::string>& undecodable) : m_(m), bad_(undecodable) {}

  std::vector<topology_error> run() {
    check_names();
    check_nodes();
    // Cross-node checks reason about who runs what: on top of a node or decoding error they
    // would mostly repeat it, so they wait until those are fixed.
    bool nodes_sound = errors_.empty() && bad_.empty();
    check_queues();
    check_bindings();
    check_routes();
    if (nodes_sound)
      check_flows();
    return std::move(errors_);
  }

private:
  void add(std::string path, std::string reason) { errors_.push_back({std::move(path), std::move(reason), 0, 0}); }
  bool ok(const std::string& path) const { return bad_.count(path) == 0; }

  template <class T, class Name>
  void unique_names(const std::vector<T>& items, std::string_view list, std::string_view what, Name name_of,
                    bool broker_name) {
    std::map<std::string, size_t> first;
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string& name = name_of(items[i]);
      std::string path = index_path(list, i) + ".name";
      if (name.empty() || !ok(path))
        continue;
      if (broker_name && !is_broker_name(name))
        add(path, "invalid name " + in_quotes(name) + ": use letters, digits, '.', '_', ':' and '-'");
      else if (broker_name && name.rfind("amq.", 0) == 0)
        add(path, "invalid name " + in_quotes(name) + ": names starting with \"amq.\" are reserved by RabbitMQ");
      else if (!broker_name && !is_id(name))
        add(path, "invalid node name " + in_quotes(name) + ": use a-z, 0-9, '_' and '-'");
      auto [it, inserted] = first.emplace(name, i);
      if (!inserted)
        add(path, "duplicate " + std::string(what) + " name " + in_quotes(name) + " (first at " +
                    index_path(list, it->second) + ")");
    }
  }

  void check_names() {
    unique_names(m_.exchanges, "exchanges", "exchange", [](const exchange_decl& e) -> const std::string& { return e.name; }, true);
    unique_names(m_.queues, "queues", "queue", [](const queue_decl& q) -> const std::string& { return q.name; }, true);
    unique_names(m_.nodes, "nodes", "node", [](const node_decl& n) -> const std::string& { return n.name; }, false);
    if (m_.vhost.empty())
      add("vhost", "must not be empty");
  }

  void check_config_file(const std::string& path, const std::string& file) {
    if (m_.base_dir.empty() || file.empty())
      return;
    std::filesystem::path p(file);
    if (p.is_relative())
      p = std::filesystem::path(m_.base_dir) / p;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec))
      add(path, "config file not found: " + p.lexically_normal().string());
  }

  void check_nodes() {
    if (m_.nodes.empty() && ok("nodes"))
      add("nodes", "at least one node is required");
    std::map<actor_kind, std::string> singleton_at; // risk, executor, portfolio → node
    for (size_t i = 0; i < m_.nodes.size(); ++i) {
      const node_decl& n = m_.nodes[i];
      std::string npath = index_path("nodes", i);
      check_config_file(npath + ".config", n.config);
      if (n.actors.empty() && ok(npath + ".actors"))
        add(npath + ".actors", "a node needs at least one actor");
      std::map<actor_kind, size_t> kinds;
      std::set<std::string> ids;
      for (size_t j = 0; j < n.actors.size(); ++j) {
        const actor_decl& a = n.actors[j];
        std::string apath = npath + ".actors[" + std::to_string(j) + "]";
        if (!ok(apath + ".kind"))
          continue;
        auto [it, inserted] = kinds.emplace(a.kind, j);
        if (!inserted)
          add(apath + ".kind", "duplicate actor kind " + std::string(to_string(a.kind)) + " on node " + in_quotes(n.name) +
                                 " (first at " + npath + ".actors[" + std::to_string(it->second) + "])");
        if (a.config.empty() && n.config.empty())
          add(apath, "no config: set config on the actor or on node " + in_quotes(n.name));
        check_config_file(apath + ".config", a.config);
        if (a.kind == actor_kind::strategy) {
          if (a.strategies.empty() && ok(apath + ".strategies"))
            add(apath + ".strategies", "a strategy actor needs at least one strategy id");
          for (size_t k = 0; k < a.strategies.size(); ++k) {
            const auto& id = a.strategies[k];
            std::string spath = apath + ".strategies[" + std::to_string(k) + "]";
            if (!is_id(id))
              add(spath, "invalid strategy id " + in_quotes(id) + ": use a-z, 0-9, '_' and '-'");
            else if (!ids.insert(id).second)
              add(spath, "duplicate strategy id " + in_quotes(id) + " on node " + in_quotes(n.name));
          }
        } else if (!a.strategies.empty()) {
          add(apath + ".strategies", "strategies applies to strategy actors only");
        }
        if (inserted && (a.kind == actor_kind::risk || a.kind == actor_kind::executor ||
                         a.kind == actor_kind::portfolio)) {
          auto [at, first] = singleton_at.emplace(a.kind, n.name);
          if (!first && at->second != n.name)
            add(apath + ".kind", "actor " + std::string(to_string(a.kind)) + " already runs on node " +
                                   in_quotes(at->second) + "; risk, executor and portfolio run on exactly one node");
        }
      }
    }
  }

  /// Streams keep what they hold until the retention drops it: no per-message limits.
  void check_stream(const std::string& qpath, const queue_decl& q) {
    bool stream = q.type == queue_type::stream;
    if (!stream) {
      if (!q.max_age.empty())
        add(qpath + ".max_age", "max_age applies to stream queues only");
      if (q.max_length_bytes)
        add(qpath + ".max_length_bytes", "max_length_bytes applies to stream queues only");
      return;
    }
    if (!q.durable)
      add(qpath + ".durable", "stream queues must be durable");
    if (q.max_length)
      add(qpath + ".max_length", "streams take max_length_bytes or max_age, not max_length");
    if (q.message_ttl_ms)
      add(qpath + ".message_ttl_ms", "streams take max_age, not message_ttl_ms");
    if (!q.max_age.empty() && !valid_max_age(q.max_age))
      add(qpath + ".max_age", "expected a number followed by Y, M, D, h, m or s (e.g. \"7D\"), got " +
                                in_quotes(q.max_age));
    check_positive(qpath + ".max_length_bytes", q.max_length_bytes, 1);
  }

  static bool valid_max_age(const std::string& s) {
    if (s.size() < 2 || std::string_view("YMDhms").find(s.back()) == std::string_view::npos)
      return false;
    return std::all_of(s.begin(), s.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
  }

  void check_positive(const std::string& path, const std::optional<int64_t>& v, int64_t min) {
    if (v && *v < min)
      add(path, std::string(min == 0 ? "must be >= 0" : "must be > 0") + ", got " + std::to_string(*v));
  }

  void check_queues() {
    std::map<std::pair<std::string, topic>, std::string> consumer_queue;
    for (size_t i = 0; i < m_.queues.size(); ++i) {
      const queue_decl& q = m_.queues[i];
      std::string qpath = index_path("queues", i);
      if (!q.dead_letter_exchange.empty() && !m_.find_exchange(q.dead_letter_exchange))
        add(qpath + ".dead_letter_exchange", "unknown exchange " + in_quotes(q.dead_letter_exchange));
      if (!q.dead_letter_routing_key.empty() && q.dead_letter_exchange.empty())
        add(qpath + ".dead_letter_routing_key", "dead_letter_routing_key needs dead_letter_exchange");
      if (q.type == queue_type::quorum && !q.durable)
        add(qpath + ".durable", "quorum queues must be durable");
      if (q.type != queue_type::quorum && q.delivery_limit && ok(qpath + ".type"))
        add(qpath + ".delivery_limit", "delivery_limit applies to quorum queues only");
      check_stream(qpath, q);
      check_positive(qpath + ".max_length", q.max_length, 1);
      check_positive(qpath + ".delivery_limit", q.delivery_limit, 1);
      check_positive(qpath + ".message_ttl_ms", q.message_ttl_ms, 0);
      bool has_binding = std::any_of(m_.bindings.begin(), m_.bindings.end(),
                                     [&](const binding_decl& b) { return b.queue == q.name; });
      if (!has_binding && !q.name.empty())
        add(qpath, "queue " + in_quotes(q.name) + " has no binding");

      bool topic_ok = ok(qpath + ".topic");
      if (q.node.empty() != !q.consumed_topic) {
        if (topic_ok)
          add(qpath, "node and topic go together: give both or neither");
        continue;
      }
      if (q.node.empty())
        continue;
      const node_decl* n = m_.find_node(q.node);
      if (!n) {
        add(qpath + ".node", "unknown node " + in_quotes(q.node));
        continue;
      }
      topic t = *q.consumed_topic;
      if (!contains(topics_consumed_by(*n), t)) {
        add(qpath + ".topic", "node " + in_quotes(n->name) + " runs no actor that consumes topic " +
                                std::string(topic_name(t)));
        continue;
      }
      auto [it, inserted] = consumer_queue.emplace(std::make_pair(q.node, t), q.name);
      if (!inserted)
        add(qpath, "node " + in_quotes(q.node) + " already consumes topic " + std::string(topic_name(t)) +
                     " from queue " + in_quotes(it->second) + "; one queue per node and topic");
      if (q.type == queue_type::quorum && !q.delivery_limit && ok(qpath + ".delivery_limit"))
        add(qpath, "quorum queue " + in_quotes(q.name) + " is consumed by node " + in_quotes(q.node) +
                     " and needs delivery_limit (RabbitMQ 3.10 has no default: a poison message would be "
                     "redelivered forever)");
      auto remote = remote_publishers(t, q.node);
      if (!remote.empty() && q.dead_letter_exchange.empty())
        add(qpath, "queue " + in_quotes(q.name) + " receives messages from other nodes (" + join_words(remote) +
                     ") and needs dead_letter_exchange");
    }
    // A dead-letter exchange nobody drains loses every dead-lettered message.
    std::set<std::string> reported;
    for (size_t i = 0; i < m_.queues.size(); ++i) {
      const auto& dlx = m_.queues[i].dead_letter_exchange;
      if (dlx.empty() || !m_.find_exchange(dlx) || !reported.insert(dlx).second)
        continue;
      bool drained = std::any_of(m_.bindings.begin(), m_.bindings.end(), [&](const binding_decl& b) {
        return b.exchange == dlx && m_.find_queue(b.queue);
      });
      if (!drained)
        add(index_path("queues", i) + ".dead_letter_exchange",
            "dead-letter exchange " + in_quotes(dlx) + " has no queue bound (dead-lettered messages would be lost)");
    }
  }

  void check_bindings() {
    std::map<std::tuple<std::string, std::string, std::string, int64_t>, size_t> first;
    for (size_t i = 0; i < m_.bindings.size(); ++i) {
      const binding_decl& b = m_.bindings[i];
      std::string bpath = index_path("bindings", i);
      const exchange_decl* e = m_.find_exchange(b.exchange);
      if (!e && !b.exchange.empty())
        add(bpath + ".exchange", "queue " + in_quotes(b.queue) + " is bound to missing exchange " + in_quotes(b.exchange));
      if (!m_.find_queue(b.queue) && !b.queue.empty())
        add(bpath + ".queue", "unknown queue " + in_quotes(b.queue));
      check_positive(bpath + ".weight", b.weight, 1);
      if (e && e->type == exchange_type::consistent_hash) {
        if (!b.weight || !b.routing_key.empty())
          add(bpath, "exchange " + in_quotes(e->name) + " is x-consistent-hash: give weight (a positive integer), "
                     "not routing_key");
      } else if (e && b.weight) {
        add(bpath + ".weight", "weight applies to x-consistent-hash exchanges only");
      }
      auto key = std::make_tuple(b.exchange, b.queue, b.routing_key, b.weight.value_or(-1));
      auto [it, inserted] = first.emplace(key, i);
      if (!inserted)
        add(bpath, "duplicate binding (same as " + index_path("bindings", it->second) + ")");
    }
  }

  void check_routes() {
    std::map<topic, size_t> first;
    for (size_t i = 0; i < m_.routes.size(); ++i) {
      const route_decl& r = m_.routes[i];
      std::string rpath = index_path("routes", i);
      if (!ok(rpath + ".topic"))
        continue;
      auto [it, inserted] = first.emplace(r.id, i);
      if (!inserted)
        add(rpath + ".topic", "duplicate route for topic " + std::string(topic_name(r.id)) + " (first at " +
                                index_path("routes", it->second) + ")");
      const exchange_decl* e = m_.find_exchange(r.exchange);
      if (!e && !r.exchange.empty())
        add(rpath + ".exchange", "unknown exchange " + in_quotes(r.exchange));
      else if (e && (e->type == exchange_type::headers || e->type == exchange_type::consistent_hash))
        add(rpath + ".exchange", "exchange " + in_quotes(e->name) + " has type " + std::string(to_string(e->type)) +
                                   "; routes publish by routing key: use a topic, direct or fanout exchange");
      for (const auto& ph : unknown_placeholders(r.routing_key))
        add(rpath + ".routing_key", "unknown placeholder " + ph + " (use {type}, {node} or {shard})");
      bool has_shard = uses(r.routing_key, placeholder_shard);
      if (r.shards < 0 || r.shards > 1024)
        add(rpath + ".shards", "must be in [0, 1024], got " + std::to_string(r.shards));
      else if (has_shard && r.shards == 0 && ok(rpath + ".shards"))
        add(rpath + ".routing_key", "{shard} needs shards >= 1");
      else if (!has_shard && r.shards > 0)
        add(rpath + ".shards", "shards needs {shard} in routing_key");
      bool consumed = std::any_of(m_.nodes.begin(), m_.nodes.end(),
                                  [&](const node_decl& n) { return contains(topics_consumed_by(n), r.id); });
      if (!consumed && !m_.nodes.empty())
        add(rpath, "nobody consumes topic " + std::string(topic_name(r.id)) + " (" + type_list(r.id) + ")");
    }
  }

  std::vector<std::string> remote_publishers(topic t, const std::string& node) const {
    std::vector<std::string> out;
    for (auto& p : publishers_of(m_, t))
      if (p != node)
        out.push_back(std::move(p));
    return out;
  }

  /// The route of `t` when it is usable for key checks (exchange known, placeholders fine).
  const route_decl* usable_route(topic t) const {
    const route_decl* r = m_.find_route(t);
    if (!r || !unknown_placeholders(r->routing_key).empty())
      return nullptr;
    const exchange_decl* e = m_.find_exchange(r->exchange);
    if (!e || e->type == exchange_type::headers || e->type == exchange_type::consistent_hash)
      return nullptr;
    if (uses(r->routing_key, placeholder_shard) != (r->shards > 0))
      return nullptr;
    return r;
  }

  /// Shards of `route` (0 for an unsharded route) that queue `q` receives from `remote`;
  /// reports the broadcast / unsharded keys it misses. Returns nullopt when it receives nothing.
  std::optional<std::set<int>> received_shards(size_t qi, const route_decl& route,
                                               const std::vector<std::string>& remote) {
    const queue_decl& q = m_.queues[qi];
    const exchange_decl& ex = *m_.find_exchange(route.exchange);
    auto bound = [&](const std::string& key) {
      return std::any_of(m_.bindings.begin(), m_.bindings.end(), [&](const binding_decl& b) {
        return b.queue == q.name && b.exchange == route.exchange && binding_matches(ex.type, b.routing_key, key);
      });
    };
    std::set<int> shards;
    bool matched_any = false;
    std::vector<std::string> missing, all_keys;
    for (const auto& origin : remote) {
      for (const auto& k : route_keys(route, info(route.id).types, origin)) {
        if (std::find(all_keys.begin(), all_keys.end(), k.key) == all_keys.end())
          all_keys.push_back(k.key);
        if (bound(k.key)) {
          matched_any = true;
          if (k.shard >= 0)
            shards.insert(k.shard);
        } else if (k.shard < 0) {
          missing.push_back(in_quotes(k.key) + " (" + std::string(to_string(k.type)) + " from " + origin + ")");
        }
      }
    }
    std::string qpath = index_path("queues", qi);
    if (!matched_any) {
      add(qpath, "queue " + in_quotes(q.name) + " has no binding that matches route " +
                   std::string(topic_name(route.id)) + " (exchange " + in_quotes(route.exchange) + ", keys " +
                   join_words(all_keys) + ")");
      return std::nullopt;
    }
    if (!missing.empty())
      add(qpath, "queue " + in_quotes(q.name) + " misses keys of route " + std::string(topic_name(route.id)) + ": " +
                   join_words(missing));
    if (route.shards == 0)
      return std::set<int>{0};
    if (shards.empty())
      add(qpath, "queue " + in_quotes(q.name) + " receives no shard of route " + std::string(topic_name(route.id)) +
                   " (only the keys of messages without a symbol)");
    return shards;
  }

  void check_flows() {
    // route topic → identity ("strategy X" / kind) → shard → owning nodes
    std::map<topic, std::map<std::string, std::map<int, std::vector<std::string>>>> owners;
    for (size_t i = 0; i < m_.nodes.size(); ++i) {
      const node_decl& n = m_.nodes[i];
      std::string npath = index_path("nodes", i);
      auto consumed = topics_consumed_by(n);
      auto published = topics_published_by(n);
      for (topic t : published) {
        if (info(t).every_node_publishes)
          continue;
        bool anyone = std::any_of(m_.nodes.begin(), m_.nodes.end(),
                                  [&](const node_decl& o) { return contains(topics_consumed_by(o), t); });
        if (!anyone)
          add(npath, "node " + in_quotes(n.name) + " publishes " + type_list(t) + " (topic " +
                       std::string(topic_name(t)) + ") but nobody consumes them");
      }
      for (topic t : consumed) {
        std::set<int> shards;
        auto remote = remote_publishers(t, n.name);
        const route_decl* route = usable_route(t);
        int shard_count = route && route->shards > 0 ? route->shards : 1;
        if (contains(published, t)) {
          for (int s = 0; s < shard_count; ++s)
            shards.insert(s); // its own messages are delivered in-process
        }
        if (remote.empty()) {
          // nothing comes from elsewhere
        } else if (!m_.find_route(t)) {
          add(npath, "node " + in_quotes(n.name) + " consumes topic " + std::string(topic_name(t)) + " (" +
                       type_list(t) + ") from " + join_words(remote) + ", but no route carries it");
          continue;
        } else {
          auto q = std::find_if(m_.queues.begin(), m_.queues.end(), [&](const queue_decl& x) {
            return x.node == n.name && x.consumed_topic == t;
          });
          if (q == m_.queues.end()) {
            add(npath, "node " + in_quotes(n.name) + " consumes topic " + std::string(topic_name(t)) + " from " +
                         join_words(remote) + " but has no queue for it (add a queue with node: " + n.name +
                         ", topic: " + std::string(topic_name(t)) + ")");
            continue;
          }
          if (!route)
            continue;
          auto got = received_shards(static_cast<size_t>(q - m_.queues.begin()), *route, remote);
          if (!got)
            continue;
          shards.insert(got->begin(), got->end());
        }
        if (!route)
          continue;
        for (const auto& a : n.actors) {
          if (std::find(info(t).consumers.begin(), info(t).consumers.end(), a.kind) == info(t).consumers.end())
            continue;
          std::vector<std::string> identities;
          if (a.kind == actor_kind::strategy)
            for (const auto& id : a.strategies)
              identities.push_back("strategy " + id);
          else
            identities.emplace_back(to_string(a.kind));
          for (const auto& who : identities) {
            auto& by_shard = owners[t][who];
            for (int s = 0; s < shard_count; ++s)
              by_shard[s]; // present with no owner yet
            for (int s : shards)
              by_shard[s].push_back(n.name);
          }
        }
      }
    }
    check_ownership(owners);
  }

  void check_ownership(const std::map<topic, std::map<std::string, std::map<int, std::vector<std::string>>>>& owners) {
    for (const auto& [t, by_identity] : owners) {
      const route_decl* route = m_.find_route(t);
      if (!route)
        continue;
      size_t ri = static_cast<size_t>(route - m_.routes.data());
      std::string rpath = index_path("routes", ri);
      for (const auto& [who, by_shard] : by_identity) {
        bool is_strategy = who.rfind("strategy ", 0) == 0;
        for (const auto& [s, nodes] : by_shard) {
          std::string shard_text = route->shards > 0
                                     ? "shard " + std::to_string(s) + " (" +
                                         in_quotes(routing_key_for_shard(*route, info(t).types.front(), "{node}",
                                                                      std::to_string(s))) + ")"
                                     : "every symbol";
          if (nodes.empty())
            add(rpath, std::string(topic_name(t)) + " " + shard_text + " reaches no node running " + who);
          else if (is_strategy && t != topic::control && nodes.size() > 1) // control is broadcast to every instance
            add(rpath, std::string(topic_name(t)) + " " + shard_text + " reaches " + who + " on " +
                         std::to_string(nodes.size()) + " nodes (" + join_words(nodes) +
                         "); each symbol must have exactly one owner");
        }
      }
    }
  }

  const model& m_;
  const std::set<std::string>& bad_;
  std::vector<topology_error> errors_;
};

} // namespace

std::vector<topology_error> validate(const model& m, const std::set<std::string>& undecodable) {
  return checker(m, undecodable).run();
}

} // namespace tradewind::topology
