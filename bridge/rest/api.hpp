#pragma once
// The REST API of a node under /api/v1: routing over the route table (routes/route.hpp, one
// file of handlers per resource), bearer-token auth with scopes, per-key and per-address rate
// limits, the audit trail and the request metrics. Transport neutral (see http_types.hpp): the
// Beast server in server.cpp only moves bytes.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bridge/rest/http_types.hpp"
#include "config/node_config.hpp"
#include "schemas/control.hpp"
#include "schemas/trading.hpp"

namespace spdlog {
class logger;
} // namespace spdlog

namespace tradewind::metrics {
class node_metrics;
} // namespace tradewind::metrics

namespace tradewind::rest {

class audit_log;
class bridge_state;
class key_ring;
class store_reader;

/// Who may call a route.
enum class access : uint8_t {
  open,  ///< no token (health probes, openapi.json, /metrics, the dashboard page)
  read,  ///< key scope read or above
  trade, ///< key scope trade or above
  admin, ///< key scope admin
};

std::string_view to_string(access a);

/// One entry of the route table (also what openapi.json must describe).
struct route_info {
  std::string method;  ///< GET, POST, PUT or DELETE
  std::string pattern; ///< e.g. /api/v1/orders/{id}
  access need = access::read;
  bool mutating = false; ///< written to the audit log
};

/// What the API needs from the node; the bridge actor fills it in.
struct api_deps {
  node_config cfg;
  std::shared_ptr<bridge_state> state;
  std::shared_ptr<metrics::node_metrics> metrics;
  std::shared_ptr<key_ring> keys;
  std::shared_ptr<store_reader> store; ///< may be null (no store reads)
  std::shared_ptr<audit_log> audit;    ///< may be null (no audit trail)
  /// Publish on the control topic / orders topic through the bridge actor; never block.
  std::function<void(control_command)> publish_control;
  std::function<void(order_intent)> publish_intent;
  std::function<void(cancel_request)> publish_cancel;
  std::function<void(risk_limits_update)> publish_limits;
  std::function<void(strategy_update)> publish_strategy;
  std::function<int64_t()> wall_clock_ms;
  /// How long a PUT of risk limits or strategy parameters waits for the actor's report before
  /// answering 202 (published, not yet confirmed) instead of 200. Blocks one I/O thread.
  int64_t update_confirm_ms = 2'000;
  /// HTML of the dashboard page (served at / and /dashboard).
  std::string dashboard_html;
  /// Failed authentications (rate-limited lines, at warning); may be null.
  std::shared_ptr<spdlog::logger> log;
};

/// How the authentication and authorization of one request ended.
enum class auth_outcome : uint8_t {
  allowed,         ///< open route, or a valid key with the scope and within its rate limit
  unauthenticated, ///< no token, or an unknown, malformed or revoked one (401)
  address_limited, ///< too many failed authentications from the source address (429)
  forbidden,       ///< a valid key without the scope (403)
  key_limited,     ///< a valid key over its rate limit (429)
};

/// Thread-safe: handle() may be called from several I/O threads at once.
class api {
public:
  explicit api(api_deps deps);
  ~api();
  api(const api&) = delete;
  api& operator=(const api&) = delete;

  /// Routes, authenticates, rate-limits, runs the handler, audits and records metrics.
  /// Never throws: handler failures become a 500 problem.
  http_response handle(const http_request& req);

  /// Checks the token of a WebSocket upgrade (Authorization header or `access_token` query
  /// parameter) for scope `need` and the rate limit. nullopt = allowed (`key_id` is set);
  /// otherwise the 401/403/429 response to send instead of upgrading.
  /// A request that fails authentication has no side effect but a counter
  /// (tradewind_http_auth_failures_total) and a rate-limited log line, and charges the per
  /// address bucket (bridge.preauth_rate_limit_per_s / preauth_burst); once the address's bucket
  /// is empty its failures are answered 429 instead of 401. `outcome` may be null.
  std::optional<http_response> authorize(const http_request& req, access need, std::string* key_id,
                                         auth_outcome* outcome = nullptr);

  /// True while `key_id` names a key that is neither revoked nor removed from the keys file
  /// (re-reads the file when it changed). Open WebSocket streams are re-checked with it.
  bool key_active(const std::string& key_id);

  /// Records a request the transport answered itself (413, 408, …) in the metrics.
  void record(const std::string& route, const std::string& method, int status, double seconds);

  /// The route table in registration order.
  std::vector<route_info> routes() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Splits an origin-form target ("/a/b?x=1"). Routing uses the raw path's segments, each
/// decoded after splitting, so "%2F" inside a segment never becomes a separator.
struct parsed_target {
  std::string path;                  ///< raw (still %-encoded), without the query
  std::vector<std::string> segments; ///< the path split at '/', each segment %-decoded
  std::vector<std::pair<std::string, std::string>> query;
  bool ok = true; ///< false for a malformed %-escape or a target not starting with '/'
};
parsed_target parse_target(const std::string& target);

} // namespace tradewind::rest
