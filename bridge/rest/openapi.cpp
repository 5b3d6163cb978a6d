#include "bridge/rest/openapi.hpp"

#include <nlohmann/json.hpp>

namespace tradewind::rest {

namespace {

using nlohmann::json;

json ref(const std::string& name) {
  return {{"$ref", "#/components/schemas/" + name}};
}

json problem_response(const std::string& what) {
  return {{"description", what}, {"content", {{"application/problem+json", {{"schema", ref("Problem")}}}}}};
}

json ok_response(const std::string& what, const json& schema = json::object()) {
  return {{"description", what}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

json query_param(const std::string& name, const std::string& type, const std::string& description) {
  return {{"name", name}, {"in", "query"}, {"required", false}, {"description", description},
          {"schema", {{"type", type}}}};
}

json path_param(const std::string& name, const std::string& description) {
  return {{"name", name}, {"in", "path"}, {"required", true}, {"description", description},
          {"schema", {{"type", "string"}}}};
}

/// One operation; `scope` empty = no authentication.
json op(const std::string& summary, const std::string& scope, json responses, json parameters = json::array(),
        json request_schema = nullptr) {
  json o{{"summary", summary}, {"responses", std::move(responses)}};
  if (!parameters.empty())
    o["parameters"] = std::move(parameters);
  if (!request_schema.is_null())
    o["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", request_schema}}}}}};
  if (scope.empty()) {
    o["security"] = json::array();
  } else {
    o["x-required-scope"] = scope;
    o["responses"]["401"] = problem_response("missing, unknown or revoked API key");
    o["responses"]["403"] = problem_response("the key's scope is too low");
    o["responses"]["429"] = problem_response("per-key rate limit, or too many failed authentications from the "
                                             "source address; see Retry-After");
  }
  if (!request_schema.is_null()) {
    // Strict JSON (schemas/json/strict.hpp): nesting > 32, duplicate keys, malformed → 400.
    if (!o["responses"].contains("400"))
      o["responses"]["400"] = problem_response("malformed JSON, nesting deeper than 32 levels or a duplicate key");
    if (!o["responses"].contains("422"))
      o["responses"]["422"] = problem_response("invalid field (a decimal sent as a JSON number, a number beyond a double)");
  }
  if (!o["responses"].contains("503"))
    o["responses"]["503"] = problem_response("bridge.max_connections reached; see Retry-After");
  return o;
}

json paging() {
  return json::array({query_param("limit", "integer", "page size, 1..1000 (default 100)"),
                      query_param("offset", "integer", "items to skip (default 0)")});
}

json build() {
  json paths = json::object();
  const std::string v1 = "/api/v1";
  auto list = ok_response("a page of items, newest first", ref("Page"));

  paths[v1 + "/live"]["get"] = op("Liveness: the process answers", "", {{"200", ok_response("alive")}});
  paths[v1 + "/ready"]["get"] = op("Readiness: store reachable and the pipeline producing watermarks", "",
                                   {{"200", ok_response("ready")}, {"503", problem_response("not ready, with the reason")}});
  paths[v1 + "/health"]["get"] = op("Health of every dependency (store, market data, account, bridge)", "",
                                    {{"200", ok_response("pass or warn")}, {"503", ok_response("fail")}});
  paths[v1 + "/openapi.json"]["get"] = op("This document", "", {{"200", ok_response("OpenAPI 3 document")}});

  auto page_params = paging();
  auto order_params = page_params;
  order_params.push_back(query_param("status", "string", "new_order|accepted|partially_filled|filled|cancelled|rejected"));
  order_params.push_back(query_param("symbol", "string", "only this symbol"));
  order_params.push_back(query_param("strategy_id", "string", "only this strategy (manual for operator orders)"));
  paths[v1 + "/orders"]["get"] = op("List orders", "read", {{"200", list}, {"400", problem_response("bad filter")}}, order_params);
  paths[v1 + "/orders"]["post"] =
    op("Submit a manual order (strategy_id manual); the risk gate decides it like any other", "trade",
       {{"202", ok_response("submitted to the risk gate")},
        {"400", problem_response("malformed JSON")},
        {"409", problem_response("client_order_id already used")},
        {"413", problem_response("body larger than bridge.max_body_bytes")},
        {"422", problem_response("invalid field")}},
       json::array(), ref("ManualOrder"));
  auto id_param = json::array({path_param("id", "client order id")});
  paths[v1 + "/orders/{id}"]["get"] =
    op("One order with its risk decision", "read", {{"200", ok_response("the order")}, {"404", problem_response("unknown id")}}, id_param);
  paths[v1 + "/orders/{id}"]["delete"] =
    op("Cancel an open order", "trade",
       {{"202", ok_response("cancel requested")}, {"404", problem_response("unknown id")}, {"409", problem_response("order not open")}},
       id_param);

  auto fill_params = page_params;
  fill_params.push_back(query_param("symbol", "string", "only this symbol"));
  fill_params.push_back(query_param("client_order_id", "string", "only this order"));
  paths[v1 + "/fills"]["get"] = op("List fills", "read", {{"200", list}}, fill_params);
  paths[v1 + "/positions"]["get"] = op("Latest position per symbol", "read", {{"200", ok_response("positions")}});
  paths[v1 + "/portfolio"]["get"] = op("Equity, PnL, drawdown and the equity curve", "read", {{"200", ok_response("summary")}});

  auto sid = json::array({path_param("id", "strategy id")});
  paths[v1 + "/strategies"]["get"] = op("Configured strategies with their trading state", "read", {{"200", ok_response("strategies")}});
  paths[v1 + "/strategies/{id}"]["get"] = op("One strategy", "read", {{"200", ok_response("the strategy")}, {"404", problem_response("unknown id")}}, sid);
  paths[v1 + "/strategies/{id}"]["put"] =
    op("Change parameters of a running strategy (strategy_update on control, applied by every running instance "
       "in arrival order; changed windows rebuild the averages from the closes held, a change never signals by "
       "itself). Waits up to 2 s for the strategy's report.",
       "admin",
       {{"200", ok_response("applied: {status, update_id, current (the strategy as reported), previous}", ref("UpdateAnswer"))},
        {"202", ok_response("published, not confirmed in time: {status: pending, update_id, requested, previous}", ref("UpdateAnswer"))},
        {"400", problem_response("malformed JSON")},
        {"404", problem_response("unknown id")},
        {"409", problem_response("the strategy is not running (enabled: false in the config)")},
        {"422", problem_response("unknown, read-only or invalid field, named in detail; or rejected by the strategy")}},
       sid, ref("StrategyParams"));
  paths[v1 + "/strategies/{id}/enable"]["post"] =
    op("Resume the strategy (control_command resume, scope strategy)", "admin", {{"202", ok_response("command published")}, {"404", problem_response("unknown id")}}, sid);
  paths[v1 + "/strategies/{id}/disable"]["post"] =
    op("Halt the strategy (control_command halt, scope strategy)", "admin", {{"202", ok_response("command published")}, {"404", problem_response("unknown id")}}, sid);

  paths[v1 + "/risk/limits"]["get"] =
    op("Pre-trade risk limits as the risk gate last reported them", "read", {{"200", ok_response("limits", ref("RiskLimits"))}});
  paths[v1 + "/risk/limits"]["put"] =
    op("Change risk limits: any subset of the fields of GET, checked with the config rules, merged onto the limits "
       "in force and published as risk_limits_update; the risk gate applies it to every decision after it arrives. "
       "Waits up to 2 s for the gate's report.",
       "admin",
       {{"200", ok_response("applied: {status, update_id, current (as reported by the gate), previous}", ref("UpdateAnswer"))},
        {"202", ok_response("published, not confirmed in time: {status: pending, update_id, requested, previous}", ref("UpdateAnswer"))},
        {"400", problem_response("malformed JSON")},
        {"422", problem_response("unknown field, wrong type or broken rule, named in detail; or rejected by the gate")}},
       json::array(), ref("RiskLimits"));
  paths[v1 + "/trading-state"]["get"] = op("Trading state of the node and of each named scope", "read", {{"200", ok_response("states")}});
  paths[v1 + "/trading-state"]["post"] =
    op("Halt, reduce-only or resume a scope (node, strategy or symbol)", "admin",
       {{"202", ok_response("command published")}, {"400", problem_response("malformed JSON")}, {"422", problem_response("invalid field")}},
       json::array(), ref("ControlRequest"));

  auto alert_params = page_params;
  alert_params.push_back(query_param("severity", "string", "info|warning|critical"));
  alert_params.push_back(query_param("code", "string", "alert code, e.g. breaker_tripped"));
  paths[v1 + "/alerts"]["get"] = op("Alerts, newest first", "read", {{"200", list}}, alert_params);
  paths[v1 + "/audit"]["get"] =
    op("Audit log of mutating API calls (key id, method and path, outcome), newest first", "admin",
       {{"200", ok_response("audit records, newest first")}, {"503", problem_response("the store cannot be shared (sqlite::memory:) or is unreachable")}},
       json::array({query_param("from", "integer", "earliest ts_ms, inclusive"),
                    query_param("to", "integer", "latest ts_ms, inclusive"),
                    query_param("limit", "integer", "records, 1..1000 (default 100)")}));
  paths[v1 + "/candles/{symbol}"]["get"] =
    op("Recent bars with a simple moving average of the close", "read",
       {{"200", ok_response("bars and indicators")}, {"404", problem_response("unknown symbol")}},
       json::array({path_param("symbol", "e.g. BTCUSDT"), query_param("limit", "integer", "bars, 1..1000 (default 100)"),
                    query_param("sma", "integer", "SMA window in bars, 1..500 (default 20)")}));
  paths[v1 + "/nodes"]["get"] = op("Nodes of the cluster (this node for now)", "read", {{"200", ok_response("nodes")}});
  paths[v1 + "/stream"]["get"] =
    op("WebSocket: send {\"action\":\"subscribe\",\"topics\":[...]} with topics ticks|signals|orders|fills|positions|alerts|risk_state; "
       "events are schema envelopes; token in Authorization or ?access_token=",
       "read", {{"101", {{"description", "switching to WebSocket"}}}, {"426", problem_response("not a WebSocket upgrade")}},
       json::array({query_param("access_token", "string", "API token (browsers cannot set headers on WebSocket)")}));

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
      {"description", "config risk.*; decimals as strings (PUT also takes numbers); PUT takes any subset"},
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
