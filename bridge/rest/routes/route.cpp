#include "bridge/rest/routes/route.hpp"

namespace tradewind::rest::routes {

failure fail(int status, const std::string& slug, const std::string& title, const std::string& detail) {
  return failure{problem(status, slug, title, detail)};
}

route make_route(std::string method, std::string pattern, access need, handler run, route_doc doc) {
  route r;
  r.info.mutating = method != "GET";
  r.info.method = std::move(method);
  r.info.pattern = std::move(pattern);
  r.info.need = need;
  r.doc = std::move(doc);
  r.run = run;
  return r;
}

response_doc json_doc(std::string status, std::string description, std::string schema) {
  return {std::move(status), std::move(description), response_doc::body_kind::json, std::move(schema)};
}

response_doc problem_doc(std::string status, std::string description) {
  return {std::move(status), std::move(description), response_doc::body_kind::problem, ""};
}

response_doc bare_doc(std::string status, std::string description) {
  return {std::move(status), std::move(description), response_doc::body_kind::none, ""};
}

param_doc path_doc(std::string name, std::string description) {
  return {std::move(name), std::move(description), true, "string"};
}

param_doc query_doc(std::string name, std::string type, std::string description) {
  return {std::move(name), std::move(description), false, std::move(type)};
}

std::vector<param_doc> paged(std::vector<param_doc> more) {
  std::vector<param_doc> out{query_doc("limit", "integer", "page size, 1..1000 (default 100)"),
                             query_doc("offset", "integer", "items to skip (default 0)")};
  for (auto& p : more)
    out.push_back(std::move(p));
  return out;
}

const std::vector<route>& table() {
  static const std::vector<route> all = [] {
    std::vector<route> out;
    for (auto part : {probe_routes, order_routes, fill_routes, portfolio_routes, strategy_routes, risk_routes,
                      alert_routes, audit_routes, candle_routes, node_routes, stream_routes, page_routes})
      for (auto& r : part())
        out.push_back(std::move(r));
    return out;
  }();
  return all;
}

} // namespace tradewind::rest::routes
