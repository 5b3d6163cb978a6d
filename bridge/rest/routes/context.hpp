#pragma once
// What the REST handlers share: the node's dependencies, the API's own memory (manual orders
// not yet heard of, the sequence numbers of ids it makes) and the views more than one
// resource shows. One per api; lives inside it. Called from several I/O threads at once.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "bridge/rest/api.hpp"
#include "bridge/rest/routes/route.hpp"

namespace tradewind::rest::routes {

/// The state every handler is given. Lives inside the api (one per api); thread-safe where a
/// member is guarded, the rest is set at construction.
struct context {
  explicit context(api_deps d);

  api_deps deps;
  const int64_t started_ms; ///< wall clock when the api was made (uptime)

  /// Manual intents by client order id (bounded to 10,000, oldest id first out), so an order
  /// is found and its id refused again before the executor has reported it.
  std::mutex submitted_mtx;
  std::map<std::string, order_intent> submitted;
  std::atomic<uint64_t> manual_seq{0}; ///< suffix of generated manual client order ids

  /// One live update (risk limits or strategy parameters) at a time, so each merges onto the
  /// values last confirmed.
  std::mutex update_mtx;
  std::atomic<uint64_t> update_seq{0}; ///< suffix of update ids

  int64_t now() const { return deps.wall_clock_ms(); }

  /// Symbols of the configured feeds and of the market data seen.
  std::set<std::string> configured_symbols() const;

  /// The configured strategy `id`, or null.
  const strategy_config* find_strategy(const std::string& id) const;

  /// {"node": state, "scopes": [{scope, scope_id, state}, …]}.
  nlohmann::json trading_view() const;

  /// A fresh update id naming the key: api-<key>-<ms>-<seq>.
  std::string next_update_id(const call& c);

  /// Publishes nothing itself: waits for the report of `update_id` and shapes the answer —
  /// 200 applied (with the values `in_force` returns), 202 not confirmed in time, 422 refused
  /// (`who` rejected it).
  result<http_response> answer_update(const std::string& update_id, const nlohmann::json& previous,
                                      const nlohmann::json& requested,
                                      const std::function<nlohmann::json()>& in_force, const std::string& who);
};

} // namespace tradewind::rest::routes
