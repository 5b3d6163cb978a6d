// /api/v1/alerts: the store's alerts and the bridge's, each once, newest first.
#include <algorithm>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"
#include "bridge/rest/store_reader.hpp"

namespace tradewind::rest::routes {

namespace {

/// Every alert known, newest first; one seen in both the store and memory is listed once.
std::vector<alert> all_alerts(const context& ctx) {
  using key = std::tuple<int64_t, std::string, std::string, std::string>;
  std::set<key> seen;
  std::vector<alert> out;
  auto add = [&](alert a) {
    if (seen.emplace(a.ts_ms, a.code, a.source, a.message).second)
      out.push_back(std::move(a));
  };
  if (ctx.deps.store) {
    auto stored = ctx.deps.store->alerts();
    if (stored)
      for (auto& a : stored.value())
        add(std::move(a));
  }
  for (auto& a : ctx.deps.state->alerts())
    add(std::move(a));
  std::stable_sort(out.begin(), out.end(), [](const alert& a, const alert& b) { return b.ts_ms < a.ts_ms; });
  return out;
}

result<http_response> list_alerts(context& ctx, const call& c) {
  std::optional<severity> level;
  if (auto s = c.q("severity")) {
    level = enum_from_string<severity>(*s);
    if (!level)
      return fail(400, "invalid-parameter", "Invalid query parameter",
                  "query parameter 'severity' must be one of info|warning|critical, got '" + *s + "'");
  }
  auto code = c.q("code");
  std::vector<nlohmann::json> items;
  for (const auto& a : all_alerts(ctx))
    if ((!level || a.level == *level) && (!code || a.code == *code))
      items.push_back(to_value(a));
  return page(c, std::move(items));
}

} // namespace

std::vector<route> alert_routes() {
  return {
    make_route("GET", "/api/v1/alerts", access::read, list_alerts,
               {"Alerts, newest first",
                {json_doc("200", "a page of items, newest first", "Page")},
                paged({query_doc("severity", "string", "info|warning|critical"),
                       query_doc("code", "string", "alert code, e.g. breaker_tripped")})}),
  };
}

} // namespace tradewind::rest::routes
