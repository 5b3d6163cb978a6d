#include "bridge/rest/routes/context.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/routes/fields.hpp"

namespace tradewind::rest::routes {

using nlohmann::json;

context::context(api_deps d) : deps(std::move(d)), started_ms(deps.wall_clock_ms()) {
  // nop
}

std::set<std::string> context::configured_symbols() const {
  std::set<std::string> out;
  if (deps.cfg.collector.mode == "synthetic")
    out.insert(deps.cfg.collector.synthetic.symbols.begin(), deps.cfg.collector.synthetic.symbols.end());
  for (const auto& f : deps.cfg.collector.feeds)
    out.insert(f.symbol);
  for (const auto& s : deps.state->symbols())
    out.insert(s);
  return out;
}

const strategy_config* context::find_strategy(const std::string& id) const {
  for (const auto& s : deps.cfg.strategies)
    if (s.id == id)
      return &s;
  return nullptr;
}

json context::trading_view() const {
  json scopes = json::array();
  std::string node_state = "active";
  for (const auto& sc : deps.state->trading()) {
    if (sc.scope == scope_kind::node)
      node_state = std::string{to_string(sc.state)};
    scopes.push_back({{"scope", std::string{to_string(sc.scope)}},
                      {"scope_id", sc.scope_id},
                      {"state", std::string{to_string(sc.state)}}});
  }
  return {{"node", node_state}, {"scopes", scopes}};
}

std::string context::next_update_id(const call& c) {
  return "api-" + c.key_id + "-" + std::to_string(now()) + "-" + std::to_string(++update_seq);
}

result<http_response> context::answer_update(const std::string& update_id, const json& previous,
                                             const json& requested, const std::function<json()>& in_force,
                                             const std::string& who) {
  auto outcome = deps.state->wait_for_update(update_id, std::chrono::milliseconds(deps.update_confirm_ms));
  if (!outcome)
    return json_response(202, dump({{"status", "pending"},
                                    {"update_id", update_id},
                                    {"detail", "published; " + who + " has not confirmed within "
                                                 + std::to_string(deps.update_confirm_ms) + " ms"},
                                    {"requested", requested},
                                    {"previous", previous}}));
  if (!outcome->accepted)
    return fail(422, "update-rejected", "Update rejected",
                who + " rejected update " + update_id + ": " + outcome->error);
  return json_response(200, dump({{"status", "applied"},
                                  {"update_id", update_id},
                                  {"current", in_force()},
                                  {"previous", previous}}));
}

} // namespace tradewind::rest::routes
