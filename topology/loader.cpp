#include "topology/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.hpp"
#include "topology/validate.hpp"

namespace tradewind::topology {

namespace {

using yaml::map_reader;

constexpr std::string_view actor_kinds = "collector|strategy|risk|executor|portfolio|notifier|store";
constexpr std::string_view exchange_types = "direct|topic|fanout|headers|x-consistent-hash";
constexpr std::string_view queue_types = "classic|quorum|stream";
constexpr std::string_view wire_encodings = "json|msgpack";
constexpr std::string_view topic_names = "market_data|signals|orders|executions|account|alerts|control";

void read_actor(map_reader& r, actor_decl& a) {
  r.get_enum(std::string_view("kind"), a.kind, &parse_actor_kind, "actor kind", actor_kinds, true);
  r.get("config", a.config);
  r.get("strategies", a.strategies);
}

void read_node(map_reader& r, node_decl& n) {
  r.get("name", n.name, true);
  r.get("config", n.config);
  r.list("actors", n.actors, read_actor);
}

void read_exchange(map_reader& r, exchange_decl& e) {
  r.get("name", e.name, true);
  r.get_enum(std::string_view("type"), e.type, &parse_exchange_type, "exchange type", exchange_types);
  r.get("durable", e.durable);
  r.get("auto_delete", e.auto_delete);
}

void read_queue(map_reader& r, queue_decl& q) {
  r.get("name", q.name, true);
  r.get_enum(std::string_view("type"), q.type, &parse_queue_type, "queue type", queue_types);
  r.get("durable", q.durable);
  r.get("node", q.node);
  topic t = topic::market_data;
  if (r.get_enum(std::string_view("topic"), t, &parse_topic, "topic", topic_names))
    q.consumed_topic = t;
  r.get("dead_letter_exchange", q.dead_letter_exchange);
  r.get("dead_letter_routing_key", q.dead_letter_routing_key);
  r.get("max_length", q.max_length);
  r.get("delivery_limit", q.delivery_limit);
  r.get("message_ttl_ms", q.message_ttl_ms);
  r.get("max_age", q.max_age);
  r.get("max_length_bytes", q.max_length_bytes);
}

void read_binding(map_reader& r, binding_decl& b) {
  r.get("exchange", b.exchange, true);
  r.get("queue", b.queue, true);
  r.get("routing_key", b.routing_key);
  r.get("weight", b.weight);
}

void read_route(map_reader& r, route_decl& x) {
  r.get_enum(std::string_view("topic"), x.id, &parse_topic, "topic", topic_names, true);
  r.get("exchange", x.exchange, true);
  r.get("routing_key", x.routing_key);
  r.get("shards", x.shards);
  r.get_enum(std::string_view("encoding"), x.encoding, &parse_wire_encoding, "encoding", wire_encodings);
}

model decode(const YAML::Node& root, yaml::read_context& ctx) {
  model m;
  map_reader r(ctx, root, "");
  std::optional<int64_t> version;
  r.get("version", version);
  if (version && *version != 1) {
    ctx.undecodable.insert("version");
    ctx.fail("version", "unsupported version " + std::to_string(*version) + " (this build reads version 1)");
  }
  r.get("vhost", m.vhost);
  r.list("exchanges", m.exchanges, read_exchange);
  r.list("queues", m.queues, read_queue);
  r.list("bindings", m.bindings, read_binding);
  r.list("routes", m.routes, read_route);
  r.list("nodes", m.nodes, read_node);
  r.done();
  return m;
}

std::optional<YAML::Mark> mark_of(const std::map<std::string, YAML::Mark>& marks, const std::string& path) {
  // The closest enclosing key that has a position: `queues[1].node` falls back to `queues[1]`.
  std::string p = path;
  for (;;) {
    auto it = marks.find(p);
    if (it != marks.end() && !it->second.is_null() && it->second.line >= 0)
      return it->second;
    size_t cut = p.find_last_of(".[");
    if (cut == std::string::npos || cut == 0)
      return std::nullopt;
    p.resize(cut);
  }
}

void annotate(std::vector<topology_error>& errors, const std::map<std::string, YAML::Mark>& marks) {
  for (auto& e : errors) {
    if (e.line > 0 || e.path.empty())
      continue;
    if (auto m = mark_of(marks, e.path)) {
      e.line = m->line + 1;
      e.column = m->column + 1;
    }
  }
  std::stable_sort(errors.begin(), errors.end(), [](const topology_error& a, const topology_error& b) {
    return std::make_tuple(a.line == 0, a.line, a.column) < std::make_tuple(b.line == 0, b.line, b.column);
  });
}

load_result load(std::string_view yaml, const std::string& base_dir, const std::string& file) {
  load_result result;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    std::string where = file.empty() ? std::string() : " in " + file;
    topology_error err;
    if (!e.mark.is_null()) {
      err.line = e.mark.line + 1;
      err.column = e.mark.column + 1;
      err.reason = "invalid YAML" + where + " at line " + std::to_string(err.line) + ", column " +
                   std::to_string(err.column) + ": " + e.msg;
    } else {
      err.reason = "invalid YAML" + where + ": " + e.msg;
    }
    result.errors.push_back(std::move(err));
    return result;
  }
  yaml::read_context ctx;
  model m = decode(root, ctx);
  m.base_dir = base_dir;
  for (auto& p : ctx.errors)
    result.errors.push_back({std::move(p.path), std::move(p.reason), p.line, p.column});
  if (ctx.undecodable.count("") == 0) {
    auto rule_errors = validate(m, ctx.undecodable);
    result.errors.insert(result.errors.end(), rule_errors.begin(), rule_errors.end());
  }
  annotate(result.errors, ctx.marks);
  if (result.errors.empty())
    result.topology = std::move(m);
  return result;
}

} // namespace

std::string topology_error::message() const {
  return path.empty() ? reason : path + ": " + reason;
}

load_result load_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    load_result r;
    r.errors.push_back({"", "cannot read topology file " + path + ": is a directory", 0, 0});
    return r;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    load_result r;
    r.errors.push_back({"", "cannot read topology file " + path + ": " + std::strerror(errno), 0, 0});
    return r;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto dir = std::filesystem::absolute(path, ec).parent_path().lexically_normal().string();
  return load(text.str(), dir, path);
}

load_result load_text(std::string_view yaml, const std::string& base_dir) {
  return load(yaml, base_dir, "");
}

std::string format_errors(const std::vector<topology_error>& errors, const std::string& file) {
  std::string out;
  for (const auto& e : errors) {
    if (e.line > 0 && !file.empty())
      out += file + ":" + std::to_string(e.line) + ": ";
    out += e.message();
    out += '\n';
  }
  return out;
}

} // namespace tradewind::topology
