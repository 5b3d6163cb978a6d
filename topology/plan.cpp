#include "topology/plan.hpp"

#include <algorithm>

namespace tradewind::topology {

namespace {

std::string yes_no(bool b) {
  return b ? "true" : "false";
}

std::string differ(const std::string& what, const std::string& broker, const std::string& wanted) {
  return what + " is " + broker + " on the broker, " + wanted + " in the topology";
}

std::vector<std::string> argument_differences(const arg_table& broker, const arg_table& wanted) {
  std::vector<std::string> out;
  std::vector<std::string> keys;
  for (const auto& [k, v] : broker)
    keys.push_back(k);
  for (const auto& [k, v] : wanted)
    if (!broker.count(k))
      keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  for (const auto& k : keys) {
    auto b = broker.find(k);
    auto w = wanted.find(k);
    std::string bt = b == broker.end() ? "not set" : to_text(b->second);
    std::string wt = w == wanted.end() ? "not set" : to_text(w->second);
    if (bt != wt)
      out.push_back(differ(k, bt, wt));
  }
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : "; ") + p;
  return out;
}

plan_item compare(const exchange_state& want, const std::vector<exchange_state>& have) {
  auto it = std::find_if(have.begin(), have.end(), [&](const exchange_state& e) { return e.name == want.name; });
  if (it == have.end())
    return {change_kind::create, object_kind::exchange, want.name, want.type + (want.durable ? ", durable" : "")};
  std::vector<std::string> diffs;
  if (it->type != want.type)
    diffs.push_back(differ("type", it->type, want.type));
  if (it->durable != want.durable)
    diffs.push_back(differ("durable", yes_no(it->durable), yes_no(want.durable)));
  if (it->auto_delete != want.auto_delete)
    diffs.push_back(differ("auto_delete", yes_no(it->auto_delete), yes_no(want.auto_delete)));
  if (it->internal != want.internal)
    diffs.push_back(differ("internal", yes_no(it->internal), yes_no(want.internal)));
  auto args = argument_differences(it->arguments, want.arguments);
  diffs.insert(diffs.end(), args.begin(), args.end());
  if (diffs.empty())
    return {change_kind::unchanged, object_kind::exchange, want.name, ""};
  return {change_kind::conflict, object_kind::exchange, want.name, join(diffs)};
}

std::string describe_queue(const queue_state& q) {
  auto t = q.arguments.find("x-queue-type");
  std::string type = t == q.arguments.end() ? "classic" : std::get<std::string>(t->second);
  return type + (q.durable ? ", durable" : "");
}

plan_item compare(const queue_state& want, const std::vector<queue_state>& have) {
  auto it = std::find_if(have.begin(), have.end(), [&](const queue_state& q) { return q.name == want.name; });
  if (it == have.end())
    return {change_kind::create, object_kind::queue, want.name, describe_queue(want)};
  std::vector<std::string> diffs;
  if (it->durable != want.durable)
    diffs.push_back(differ("durable", yes_no(it->durable), yes_no(want.durable)));
  if (it->auto_delete != want.auto_delete)
    diffs.push_back(differ("auto_delete", yes_no(it->auto_delete), yes_no(want.auto_delete)));
  auto args = argument_differences(it->arguments, want.arguments);
  diffs.insert(diffs.end(), args.begin(), args.end());
  if (diffs.empty())
    return {change_kind::unchanged, object_kind::queue, want.name, ""};
  return {change_kind::conflict, object_kind::queue, want.name, join(diffs)};
}

} // namespace

std::string_view to_string(change_kind x) {
  switch (x) {
    case change_kind::create: return "create";
    case change_kind::unchanged: return "unchanged";
    case change_kind::conflict: return "conflict";
  }
  return "unknown";
}

std::string_view to_string(object_kind x) {
  switch (x) {
    case object_kind::exchange: return "exchange";
    case object_kind::queue: return "queue";
    case object_kind::binding: return "binding";
  }
  return "unknown";
}

size_t plan::count(change_kind c) const {
  return static_cast<size_t>(std::count_if(items.begin(), items.end(), [c](const plan_item& i) { return i.change == c; }));
}

size_t plan::count(change_kind c, object_kind o) const {
  return static_cast<size_t>(
    std::count_if(items.begin(), items.end(), [&](const plan_item& i) { return i.change == c && i.object == o; }));
}

std::string binding_name(const binding_state& b) {
  return b.exchange + " -> " + b.queue + " [" + b.routing_key + "]";
}

plan make_plan(const broker_state& desired, const broker_state& actual) {
  plan p;
  p.vhost = desired.vhost;
  for (const auto& e : desired.exchanges)
    p.items.push_back(compare(e, actual.exchanges));
  for (const auto& q : desired.queues)
    p.items.push_back(compare(q, actual.queues));
  for (const auto& b : desired.bindings) {
    bool there = std::find(actual.bindings.begin(), actual.bindings.end(), b) != actual.bindings.end();
    p.items.push_back({there ? change_kind::unchanged : change_kind::create, object_kind::binding, binding_name(b), ""});
  }
  return p;
}

std::string format_plan(const plan& p) {
  std::string out;
  for (const auto& i : p.items) {
    std::string change(to_string(i.change));
    change.resize(11, ' ');
    std::string object(to_string(i.object));
    out += "  " + change + object + " " + i.name;
    if (!i.detail.empty())
      out += (i.change == change_kind::conflict ? ": " : " (") + i.detail + (i.change == change_kind::conflict ? "" : ")");
    out += '\n';
  }
  size_t conflicts = p.count(change_kind::conflict);
  out += std::to_string(p.count(change_kind::create)) + " to create, " + std::to_string(p.count(change_kind::unchanged)) +
         " unchanged, " + std::to_string(conflicts) + " conflict" + (conflicts == 1 ? "" : "s") + "\n";
  return out;
}

} // namespace tradewind::topology
