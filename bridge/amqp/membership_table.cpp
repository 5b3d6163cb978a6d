#include "bridge/amqp/membership_table.hpp"

#include <algorithm>
#include <cstdio>

namespace tradewind::amqp {

bool membership_table::update(const heartbeat& hb, int64_t now_ms) {
  auto it = std::lower_bound(members_.begin(), members_.end(), hb.node,
                             [](const member& m, const std::string& n) { return m.node < n; });
  bool joined = it == members_.end() || it->node != hb.node;
  if (joined)
    it = members_.insert(it, member{hb.node, {}, 0, trading_state::active, 0, 0});
  it->actors = hb.actors;
  it->seq = hb.seq;
  it->state = hb.state;
  it->sent_ms = hb.ts_ms;
  it->last_seen_ms = now_ms;
  return joined;
}

std::vector<std::string> membership_table::expire(int64_t now_ms, int64_t stale_after_ms) {
  std::vector<std::string> lost;
  auto stale = [&](const member& m) { return now_ms - m.last_seen_ms > stale_after_ms; };
  for (const auto& m : members_)
    if (stale(m))
      lost.push_back(m.node);
  members_.erase(std::remove_if(members_.begin(), members_.end(), stale), members_.end());
  return lost;
}

std::string membership_exchange(const topology::model& m) {
  const auto* r = m.find_route(topic::control);
  return r ? r->exchange : "system";
}

std::vector<std::string> actor_names(const topology::node_decl& node) {
  std::vector<std::string> out;
  for (const auto& a : node.actors) {
    if (a.kind == topology::actor_kind::strategy) {
      for (const auto& id : a.strategies)
        out.push_back("strategy:" + id);
    } else {
      out.push_back(std::string(topology::to_string(a.kind)));
    }
  }
  return out;
}

void membership_table::refresh_all(int64_t now_ms) {
  for (auto& m : members_)
    m.last_seen_ms = std::max(m.last_seen_ms, now_ms);
}

std::string heir_of(const topology::model& m, const std::string& lost, const std::vector<member>& remaining) {
  auto runs_strategy = [&](const std::string& name) {
    const auto* n = m.find_node(name);
    return n && std::any_of(n->actors.begin(), n->actors.end(),
                            [](const topology::actor_decl& a) { return a.kind == topology::actor_kind::strategy; });
  };
  if (!runs_strategy(lost))
    return {};
  std::string heir;
  for (const auto& x : remaining)
    if (x.node != lost && runs_strategy(x.node) && (heir.empty() || x.node < heir))
      heir = x.node;
  return heir;
}

namespace {

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs)
    out += (out.empty() ? "" : ",") + x;
  return out;
}

std::string pad(std::string s, size_t width) {
  if (s.size() < width)
    s.append(width - s.size(), ' ');
  return s;
}

} // namespace

std::string format_members(const std::vector<member>& members, const std::vector<std::string>& declared,
                           int64_t now_ms) {
  size_t w = 4;
  for (const auto& m : members)
    w = std::max(w, m.node.size());
  for (const auto& d : declared)
    w = std::max(w, d.size());
  w += 2;
  std::string out = pad("NODE", w) + pad("STATE", 9) + pad("LAST_SEEN", 11) + pad("SEQ", 7) + "ACTORS\n";
  for (const auto& m : members) {
    char ago[32];
    std::snprintf(ago, sizeof ago, "%.1fs ago", static_cast<double>(now_ms - m.last_seen_ms) / 1000.0);
    out += pad(m.node, w) + pad(std::string(to_string(m.state)), 9) + pad(ago, 11) + pad(std::to_string(m.seq), 7)
           + join(m.actors) + "\n";
  }
  for (const auto& d : declared) {
    bool seen = std::any_of(members.begin(), members.end(), [&](const member& m) { return m.node == d; });
    if (!seen)
      out += pad(d, w) + "not seen\n";
  }
  return out;
}

} // namespace tradewind::amqp
