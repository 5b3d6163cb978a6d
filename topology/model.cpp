#include "topology/model.hpp"

#include <algorithm>

#include "topology/names.hpp"

namespace tradewind::topology {

namespace {

template <class Enum, size_t N>
std::optional<Enum> parse_by_name(std::string_view text, const std::array<Enum, N>& all) {
  for (Enum e : all)
    if (to_string(e) == text)
      return e;
  return std::nullopt;
}

using mt = message_type;
using ak = actor_kind;

/// Who publishes and who consumes each topic; keep in step with schemas/topics.hpp and the
/// `topic_group` calls in actors/*.
const std::array<topic_info, 7>& catalogue() {
  static const std::array<topic_info, 7> table{{
    {topic::market_data, {mt::bar, mt::trade_tick, mt::watermark}, {ak::collector}, false,
     {ak::strategy, ak::executor, ak::portfolio}},
    {topic::signals, {mt::signal, mt::watermark}, {ak::strategy}, false, {ak::risk}},
    {topic::orders, {mt::order_intent, mt::cancel_request, mt::risk_decision, mt::watermark}, {ak::risk}, false,
     {ak::executor, ak::store}},
    {topic::executions, {mt::order, mt::fill, mt::watermark}, {ak::executor}, false, {ak::portfolio, ak::store}},
    {topic::account, {mt::account_snapshot, mt::position_update, mt::watermark}, {ak::portfolio}, false,
     {ak::risk, ak::store, ak::collector}},
    {topic::alerts, {mt::alert}, {}, true, {ak::notifier, ak::store}},
    {topic::control,
     {mt::control_command, mt::order_intent, mt::risk_limits_update, mt::risk_limits_report, mt::strategy_update,
      mt::strategy_report, mt::trading_state_changed},
     {},
     true,
     {ak::risk, ak::strategy}},
  }};
  return table;
}

bool contains(const std::vector<ak>& kinds, ak k) {
  return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

} // namespace

std::string_view to_string(actor_kind x) {
  switch (x) {
    case ak::collector: return "collector";
    case ak::strategy: return "strategy";
    case ak::risk: return "risk";
    case ak::executor: return "executor";
    case ak::portfolio: return "portfolio";
    case ak::notifier: return "notifier";
    case ak::store: return "store";
  }
  return "unknown";
}

std::string_view to_string(exchange_type x) {
  switch (x) {
    case exchange_type::direct: return "direct";
    case exchange_type::topic: return "topic";
    case exchange_type::fanout: return "fanout";
    case exchange_type::headers: return "headers";
    case exchange_type::consistent_hash: return "x-consistent-hash";
  }
  return "unknown";
}

std::string_view to_string(queue_type x) {
  switch (x) {
    case queue_type::quorum: return "quorum";
    case queue_type::stream: return "stream";
    case queue_type::classic: break;
  }
  return "classic";
}

std::string_view to_string(wire_encoding x) {
  return x == wire_encoding::msgpack ? "msgpack" : "json";
}

std::string_view to_string(message_type x) {
  switch (x) {
    case mt::bar: return "bar";
    case mt::trade_tick: return "trade_tick";
    case mt::signal: return "signal";
    case mt::order_intent: return "order_intent";
    case mt::risk_decision: return "risk_decision";
    case mt::order: return "order";
    case mt::fill: return "fill";
    case mt::cancel_request: return "cancel_request";
    case mt::position_update: return "position_update";
    case mt::account_snapshot: return "account_snapshot";
    case mt::alert: return "alert";
    case mt::control_command: return "control_command";
    case mt::heartbeat: return "heartbeat";
    case mt::watermark: return "watermark";
    case mt::risk_limits_update: return "risk_limits_update";
    case mt::risk_limits_report: return "risk_limits_report";
    case mt::strategy_update: return "strategy_update";
    case mt::strategy_report: return "strategy_report";
    case mt::trading_state_changed: return "trading_state_changed";
  }
  return "unknown";
}

std::optional<actor_kind> parse_actor_kind(std::string_view text) {
  return parse_by_name(text, all_actor_kinds);
}

std::optional<exchange_type> parse_exchange_type(std::string_view text) {
  static constexpr std::array<exchange_type, 5> all{exchange_type::direct, exchange_type::topic,
                                                    exchange_type::fanout, exchange_type::headers,
                                                    exchange_type::consistent_hash};
  return parse_by_name(text, all);
}

std::optional<queue_type> parse_queue_type(std::string_view text) {
  static constexpr std::array<queue_type, 3> all{queue_type::classic, queue_type::quorum, queue_type::stream};
  return parse_by_name(text, all);
}

std::optional<wire_encoding> parse_wire_encoding(std::string_view text) {
  static constexpr std::array<wire_encoding, 2> all{wire_encoding::json, wire_encoding::msgpack};
  return parse_by_name(text, all);
}

std::optional<message_type> parse_message_type(std::string_view text) {
  return parse_by_name(text, all_message_types);
}

std::optional<topic> parse_topic(std::string_view text) {
  for (topic t : all_topics)
    if (topic_name(t) == text)
      return t;
  return std::nullopt;
}

bool has_symbol(message_type t) {
  switch (t) {
    case mt::bar:
    case mt::trade_tick:
    case mt::signal:
    case mt::order_intent:
    case mt::risk_decision:
    case mt::order:
    case mt::fill:
    case mt::position_update: return true;
    default: return false;
  }
}

const topic_info& info(topic t) {
  return catalogue()[static_cast<size_t>(t)];
}

const node_decl* model::find_node(std::string_view name) const {
  for (const auto& n : nodes)
    if (n.name == name)
      return &n;
  return nullptr;
}

const exchange_decl* model::find_exchange(std::string_view name) const {
  for (const auto& e : exchanges)
    if (e.name == name)
      return &e;
  return nullptr;
}

const queue_decl* model::find_queue(std::string_view name) const {
  for (const auto& q : queues)
    if (q.name == name)
      return &q;
  return nullptr;
}

const route_decl* model::find_route(topic t) const {
  for (const auto& r : routes)
    if (r.id == t)
      return &r;
  return nullptr;
}

bool runs(const node_decl& node, actor_kind k) {
  return std::any_of(node.actors.begin(), node.actors.end(), [k](const actor_decl& a) { return a.kind == k; });
}

std::vector<topic> topics_published_by(const node_decl& node) {
  std::vector<topic> out;
  for (topic t : all_topics) {
    const auto& i = info(t);
    bool publishes = i.every_node_publishes ? !node.actors.empty()
                                            : std::any_of(node.actors.begin(), node.actors.end(),
                                                          [&](const actor_decl& a) { return contains(i.publishers, a.kind); });
    if (publishes)
      out.push_back(t);
  }
  return out;
}

std::vector<topic> topics_consumed_by(const node_decl& node) {
  std::vector<topic> out;
  for (topic t : all_topics) {
    const auto& i = info(t);
    if (std::any_of(node.actors.begin(), node.actors.end(),
                    [&](const actor_decl& a) { return contains(i.consumers, a.kind); }))
      out.push_back(t);
  }
  return out;
}

std::vector<std::string> publishers_of(const model& m, topic t) {
  std::vector<std::string> out;
  for (const auto& n : m.nodes) {
    auto topics = topics_published_by(n);
    if (std::find(topics.begin(), topics.end(), t) != topics.end())
      out.push_back(n.name);
  }
  return out;
}

namespace {

/// True when some queue not consumed by `node` can receive a key of `route` published by `node`.
bool someone_else_listens(const model& m, const route_decl& route, const std::string& node) {
  const exchange_decl* ex = m.find_exchange(route.exchange);
  if (!ex)
    return false;
  auto keys = route_keys(route, info(route.id).types, node);
  for (const auto& b : m.bindings) {
    if (b.exchange != route.exchange)
      continue;
    const queue_decl* q = m.find_queue(b.queue);
    if (!q || q->node == node)
      continue;
    for (const auto& k : keys)
      if (binding_matches(ex->type, b.routing_key, k.key))
        return true;
  }
  return false;
}

} // namespace

node_links links_for_node(const model& m, std::string_view name) {
  node_links out;
  out.node = std::string(name);
  const node_decl* node = m.find_node(name);
  if (!node)
    return out;
  for (topic t : topics_published_by(*node)) {
    const route_decl* route = m.find_route(t);
    if (!route || !someone_else_listens(m, *route, node->name))
      continue;
    out.publishes.push_back(publication{t, info(t).types, route->exchange, route});
  }
  for (const auto& q : m.queues) {
    if (q.node != node->name || !q.consumed_topic)
      continue;
    subscription s{*q.consumed_topic, q.name, {}};
    for (auto& p : publishers_of(m, *q.consumed_topic))
      if (p != node->name)
        s.from_nodes.push_back(std::move(p));
    out.consumes.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> strategy_watermark_inputs(const model& m, std::string_view risk_node) {
  std::vector<std::string> out;
  for (const auto& n : m.nodes)
    for (const auto& a : n.actors) {
      if (a.kind != actor_kind::strategy)
        continue;
      for (const auto& id : a.strategies)
        out.push_back(n.name == risk_node ? id : id + "@" + n.name);
    }
  return out;
}

} // namespace tradewind::topology
