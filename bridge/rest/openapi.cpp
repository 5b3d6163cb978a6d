#include "bridge/rest/openapi.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

#include "bridge/rest/routes/route.hpp"

namespace tradewind::rest {

namespace {

using nlohmann::json;

json ref(const std::string& name) {
  return {{"$ref", "#/components/schemas/" + name}};
}

json problem_response(const std::string& what) {
  return {{"description", what}, {"content", {{"application/problem+json", {{"schema", ref("Problem")}}}}}};
}

json response(const routes::response_doc& r) {
  using kind = routes::response_doc::body_kind;
  switch (r.body) {
    case kind::none:
      return {{"description", r.description}};
    case kind::problem:
      return problem_response(r.description);
    case kind::json:
      break;
  }
  json schema = r.schema.empty() ? json::object() : ref(r.schema);
  return {{"description", r.description}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

json parameter(const routes::param_doc& p) {
  return {{"name", p.name},
          {"in", p.in_path ? "path" : "query"},
          {"required", p.in_path},
          {"description", p.description},
          {"schema", {{"type", p.type}}}};
}

/// The operation of one route: its own documentation, plus what every route has by its access
/// (no security, or x-required-scope and 401/403/429), by taking a body (400/422) and by
/// the connection cap (503), unless the route documents that status itself.
json operation(const routes::route& r) {
  json responses = json::object();
  for (const auto& answer : r.doc.responses)
    responses[answer.status] = response(answer);
  json o{{"summary", r.doc.summary}, {"responses", std::move(responses)}};
  if (!r.doc.params.empty()) {
    json params = json::array();
    for (const auto& p : r.doc.params)
      params.push_back(parameter(p));
    o["parameters"] = std::move(params);
  }
  bool has_body = !r.doc.request_schema.empty();
  if (has_body)
    o["requestBody"] = {{"required", true},
                        {"content", {{"application/json", {{"schema", ref(r.doc.request_schema)}}}}}};
  if (r.info.need == access::open) {
    o["security"] = json::array();
  } else {
    o["x-required-scope"] = std::string{to_string(r.info.need)};
    o["responses"]["401"] = problem_response("missing, unknown or revoked API key");
    o["responses"]["403"] = problem_response("the key's scope is too low");
    o["responses"]["429"] = problem_response("per-key rate limit, or too many failed authentications from the "
                                             "source address; see Retry-After");
  }
  if (has_body) {
    // Strict JSON (schemas/json/strict.hpp): nesting > 32, duplicate keys, malformed → 400.
    if (!o["responses"].contains("400"))
      o["responses"]["400"] = problem_response("malformed JSON, nesting deeper than 32 levels or a duplicate key");
    if (!o["responses"].contains("422"))
      o["responses"]["422"] =
        problem_response("invalid field (a decimal sent as a JSON number, a number beyond a double)");
  }
  if (!o["responses"].contains("503"))
    o["responses"]["503"] = problem_response("bridge.max_connections reached; see Retry-After");
  return o;
}

std::string lower(std::string s) {
  for (auto& ch : s)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

json build() {
  // Every route under /api/v1, as the table routes it (the pages outside it are not API).
  json paths = json::object();
  for (const auto& r : routes::table())
    if (r.info.pattern.rfind("/api/v1/", 0) == 0)
      paths[r.info.pattern][lower(r.info.method)] = operation(r);

  json schemas{
    {"Problem",
     {{"type", "object"},
      {"required", {"type", "title", "status", "detail"}},
      {"properties", {{"type", {{"type", "string"}}}, {"title", {{"type", "string"}}}, {"status", {{"type", "integer"}}}, {"detail", {{"type", "string"}}}}}}},
    {"Page",
     {{"type", "object"},
      {"properties", {{"items", {{"type", "array"}, {"items", {{"type", "object"}}}}}, {"total", {{"type", "integer"}}},
                      {"limit", {{"type", "integer"}}}, {"offset", {{"type", "integer"}}}}}}},
    {"ManualOrder",
     {{"type", "object"},
      {"additionalProperties", false},
      {"required", {"symbol", "side", "qty"}},
      {"properties", {{"symbol", {{"type", "string"}}},
                      {"side", {{"type", "string"}, {"enum", {"buy", "sell"}}}},
                      {"type", {{"type", "string"}, {"enum", {"market", "limit"}}, {"default", "market"}}},
                      {"qty", {{"type", "string"}, {"description", "decimal > 0, base units"}}},
                      {"limit_price", {{"type", "string"}, {"description", "decimal; limit orders only"}}},
                      {"reduce_only", {{"type", "boolean"}, {"default", false}}},
                      {"client_order_id", {{"type", "string"}, {"description", "optional, [A-Za-z0-9._-]{1,64}"}}}}}}},
    {"RiskLimits",
     {{"type", "object"},
      {"additionalProperties", false},
      {"description", "config risk.*; decimals as strings only (a JSON number is a 422); PUT takes any subset"},
      {"properties", {{"max_position_pct", {{"type", "string"}, {"description", "decimal in (0, 100]"}}},
                      {"max_order_notional", {{"type", "string"}, {"description", "decimal > 0"}}},
                      {"max_open_orders", {{"type", "integer"}, {"minimum", 1}}},
                      {"price_collar_bps", {{"type", "integer"}, {"minimum", 1}}},
                      {"max_orders_per_window", {{"type", "integer"}, {"minimum", 1}}},
                      {"rate_window_ms", {{"type", "integer"}, {"minimum", 1}}},
                      {"daily_loss_limit_pct", {{"type", "string"}, {"description", "decimal in (0, 100]"}}},
                      {"max_drawdown_pct", {{"type", "string"}, {"description", "decimal in (0, 100]"}}}}}}},
    {"StrategyParams",
     {{"type", "object"},
      {"additionalProperties", false},
      {"description", "any subset; id, type, symbols, enabled, trading_state and positions are refused"},
      {"properties", {{"fast", {{"type", "integer"}, {"minimum", 1}}},
                      {"slow", {{"type", "integer"}, {"description", "> fast"}}},
                      {"order_notional", {{"type", "string"}, {"description", "decimal > 0"}}},
                      {"qty_step", {{"type", "string"}, {"description", "decimal > 0"}}},
                      {"allow_short", {{"type", "boolean"}}}}}}},
    {"UpdateAnswer",
     {{"type", "object"},
      {"required", {"status", "update_id", "previous"}},
      {"properties", {{"status", {{"type", "string"}, {"enum", {"applied", "pending"}}}},
                      {"update_id", {{"type", "string"}}},
                      {"current", {{"type", "object"}}},
                      {"requested", {{"type", "object"}}},
                      {"previous", {{"type", "object"}}},
                      {"detail", {{"type", "string"}}}}}}},
    {"ControlRequest",
     {{"type", "object"},
      {"additionalProperties", false},
      {"required", {"action"}},
      {"properties", {{"action", {{"type", "string"}, {"enum", {"halt", "reduce_only", "resume"}}}},
                      {"scope", {{"type", "string"}, {"enum", {"node", "strategy", "symbol"}}, {"default", "node"}}},
                      {"scope_id", {{"type", "string"}}},
                      {"reason", {{"type", "string"}}}}}}}};

  return {{"openapi", "3.0.3"},
          {"info", {{"title", "Tradewind node API"}, {"version", "1"},
                    {"description", "REST API of one Tradewind node. Scopes: read < trade < admin. Errors are application/problem+json."}}},
          {"servers", json::array({{{"url", "/"}}})},
          {"security", json::array({{{"bearer", json::array()}}})},
          {"components", {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}, {"schemas", schemas}}},
          {"paths", paths}};
}

} // namespace

const std::string& openapi_document() {
  static const std::string doc = build().dump();
  return doc;
}

} // namespace tradewind::rest
