#include "topology/names.hpp"

namespace tradewind::topology {

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

/// Splits "a.b.c" into words; an empty key is one empty word (as RabbitMQ sees it).
std::vector<std::string_view> words(std::string_view key) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t dot = key.find('.', start);
    out.push_back(key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos)
      return out;
    start = dot + 1;
  }
}

bool topic_match(const std::vector<std::string_view>& pat, size_t i, const std::vector<std::string_view>& key, size_t j) {
  if (i == pat.size())
    return j == key.size();
  if (pat[i] == "#") {
    for (size_t k = j; k <= key.size(); ++k)
      if (topic_match(pat, i + 1, key, k))
        return true;
    return false;
  }
  if (j == key.size())
    return false;
  if (pat[i] != "*" && pat[i] != key[j])
    return false;
  return topic_match(pat, i + 1, key, j + 1);
}

} // namespace

std::vector<std::string> unknown_placeholders(std::string_view pattern) {
  std::vector<std::string> out;
  for (size_t pos = pattern.find('{'); pos != std::string_view::npos; pos = pattern.find('{', pos + 1)) {
    size_t end = pattern.find('}', pos);
    std::string_view ph = end == std::string_view::npos ? pattern.substr(pos) : pattern.substr(pos, end - pos + 1);
    if (ph != placeholder_type && ph != placeholder_node && ph != placeholder_shard)
      out.emplace_back(ph);
  }
  return out;
}

bool uses(std::string_view pattern, std::string_view placeholder) {
  return pattern.find(placeholder) != std::string_view::npos;
}

int shard_of(std::string_view symbol, int shards) {
  if (shards <= 0)
    return 0;
  uint32_t h = 2166136261u;
  for (unsigned char c : symbol) {
    h ^= c;
    h *= 16777619u;
  }
  return static_cast<int>(h % static_cast<uint32_t>(shards));
}

std::string routing_key_for_shard(const route_decl& route, message_type type, std::string_view origin_node,
                                  std::string_view shard) {
  std::string key = route.routing_key;
  replace_all(key, placeholder_type, to_string(type));
  replace_all(key, placeholder_node, origin_node);
  replace_all(key, placeholder_shard, shard);
  return key;
}

std::string routing_key(const route_decl& route, message_type type, std::string_view origin_node,
                        std::string_view symbol) {
  std::string shard = has_symbol(type) && route.shards > 0 ? std::to_string(shard_of(symbol, route.shards))
                                                           : std::string(broadcast_shard);
  return routing_key_for_shard(route, type, origin_node, shard);
}

std::vector<route_key> route_keys(const route_decl& route, const std::vector<message_type>& types,
                                  std::string_view origin_node) {
  std::vector<route_key> out;
  bool sharded = route.shards > 0 && uses(route.routing_key, placeholder_shard);
  for (message_type t : types) {
    if (sharded && has_symbol(t)) {
      for (int s = 0; s < route.shards; ++s)
        out.push_back({routing_key_for_shard(route, t, origin_node, std::to_string(s)), t,
                       std::string(origin_node), s});
    } else {
      out.push_back({routing_key_for_shard(route, t, origin_node, broadcast_shard), t, std::string(origin_node), -1});
    }
  }
  return out;
}

bool binding_matches(exchange_type type, std::string_view binding_key, std::string_view routing_key) {
  switch (type) {
    case exchange_type::direct: return binding_key == routing_key;
    case exchange_type::topic: return topic_match(words(binding_key), 0, words(routing_key), 0);
    default: return true;
  }
}

std::string consumer_tag(std::string_view node, std::string_view queue) {
  std::string out = "tradewind.";
  out += node;
  out += '.';
  out += queue;
  return out;
}

} // namespace tradewind::topology
