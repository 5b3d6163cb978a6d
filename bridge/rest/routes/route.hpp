#pragma once
// One route of the REST API as data: method, pattern, who may call it, what the OpenAPI
// document says about it, and a handler that returns its answer as a value (a response or a
// failure, never an exception). api.cpp matches, authenticates, rate-limits, audits and records
// metrics around the handlers; openapi.cpp writes the document's `paths` from the same table.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "bridge/rest/api.hpp"
#include "bridge/rest/http_types.hpp"

namespace tradewind::rest::routes {

/// A problem+json answer (4xx, or 503 for an unavailable store) given instead of a value.
struct failure {
  http_response response;
};

/// The failure answering problem(status, slug, title, detail) (http_types.hpp).
failure fail(int status, const std::string& slug, const std::string& title, const std::string& detail);

/// A value of type T or the failure that stopped a handler or one of its checks.
template <class T>
class result {
public:
  template <class U = T, class = std::enable_if_t<std::is_constructible_v<T, U&&>
                                                  && !std::is_same_v<std::decay_t<U>, failure>
                                                  && !std::is_same_v<std::decay_t<U>, result>>>
  result(U&& value) : v_(std::in_place_index<0>, std::forward<U>(value)) {}
  result(failure f) : v_(std::in_place_index<1>, std::move(f)) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  /// The value. Precondition: ok() (otherwise throws std::bad_variant_access).
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  /// The failure. Precondition: !ok() (otherwise throws std::bad_variant_access).
  const failure& error() const& { return std::get<1>(v_); }
  failure&& error() && { return std::get<1>(std::move(v_)); }

private:
  std::variant<T, failure> v_;
};

/// What a check returns: nullopt when it passes, else the failure to answer with.
using check = std::optional<failure>;

/// A request that matched a route, as its handler sees it.
struct call {
  const http_request& req;
  std::map<std::string, std::string> params;              ///< path parameters by name, %-decoded
  std::vector<std::pair<std::string, std::string>> query; ///< in target order, %-decoded
  std::string key_id;         ///< the verified key; "" on open routes
  std::string* audit_change;  ///< set by live updates: {"old": …, "new": …} for the audit log

  /// The path parameter `name` of the route's pattern. Precondition: the pattern has it.
  const std::string& param(const std::string& name) const { return params.at(name); }

  /// The first query parameter called `name`, if any.
  std::optional<std::string> q(const std::string& name) const {
    for (const auto& [k, v] : query)
      if (k == name)
        return v;
    return std::nullopt;
  }
};

struct context;

/// Runs one matched request. Never throws for a client's mistake: it returns the failure.
using handler = result<http_response> (*)(context&, const call&);

/// One parameter as the OpenAPI document describes it.
struct param_doc {
  std::string name;
  std::string description;
  bool in_path = false;        ///< a `{name}` segment of the pattern (required), else a query parameter
  std::string type = "string"; ///< JSON Schema type: string or integer
};

/// One documented answer of an operation.
struct response_doc {
  /// What the answer's body is.
  enum class body_kind : uint8_t {
    json,    ///< application/json
    problem, ///< application/problem+json (components/schemas/Problem)
    none,    ///< no body (101 Switching Protocols)
  };
  std::string status;      ///< "200", "101", …
  std::string description;
  body_kind body = body_kind::json;
  std::string schema;      ///< components/schemas name of a json body; "" = any JSON
};

/// What the OpenAPI document says about a route beyond its method, pattern and scope. The
/// answers every route has by its access (401/403/429, 400/422 with a body, 503) are added
/// by the generator (openapi.cpp).
struct route_doc {
  route_doc() = default;
  route_doc(std::string summary, std::vector<response_doc> responses, std::vector<param_doc> params = {},
            std::string request_schema = "")
    : summary(std::move(summary)),
      responses(std::move(responses)),
      params(std::move(params)),
      request_schema(std::move(request_schema)) {
    // nop
  }

  std::string summary;
  std::vector<response_doc> responses;
  std::vector<param_doc> params;
  std::string request_schema; ///< components/schemas name of the JSON body; "" = no body
};

/// One entry of the route table.
struct route {
  route_info info;
  route_doc doc;
  handler run = nullptr;
};

/// A route; mutating (audited) unless `method` is GET.
route make_route(std::string method, std::string pattern, access need, handler run, route_doc doc);

// -- helpers for route_doc --------------------------------------------------------------------

/// An application/json answer; `schema` names components/schemas ("" = any JSON).
response_doc json_doc(std::string status, std::string description, std::string schema = "");

/// An application/problem+json answer.
response_doc problem_doc(std::string status, std::string description);

/// An answer without a body.
response_doc bare_doc(std::string status, std::string description);

/// A path parameter (string) or a query parameter of `type`.
param_doc path_doc(std::string name, std::string description);
param_doc query_doc(std::string name, std::string type, std::string description);

/// limit and offset of a paged list, followed by `more`.
std::vector<param_doc> paged(std::vector<param_doc> more = {});

// -- the table --------------------------------------------------------------------------------

/// The routes of one resource, in matching order (one source file each).
std::vector<route> probe_routes();     ///< live, ready, health, openapi.json (probes.cpp)
std::vector<route> order_routes();     ///< orders.cpp
std::vector<route> fill_routes();      ///< fills.cpp
std::vector<route> portfolio_routes(); ///< positions and portfolio (portfolio.cpp)
std::vector<route> strategy_routes();  ///< strategies.cpp
std::vector<route> risk_routes();      ///< risk limits and trading state (risk.cpp)
std::vector<route> alert_routes();     ///< alerts.cpp
std::vector<route> audit_routes();     ///< audit.cpp
std::vector<route> candle_routes();    ///< candles.cpp
std::vector<route> node_routes();      ///< nodes.cpp
std::vector<route> stream_routes();    ///< the stream's plain GET; the upgrade is the server's (stream.cpp)
std::vector<route> page_routes();      ///< /metrics, / and /dashboard, outside /api/v1 (probes.cpp)

/// Every route, in matching order (also the order of a 405's Allow list). Built once.
const std::vector<route>& table();

} // namespace tradewind::rest::routes
