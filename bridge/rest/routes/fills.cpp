// /api/v1/fills: the bridge's fills completed by the store, newest first.
#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"
#include "bridge/rest/store_reader.hpp"

namespace tradewind::rest::routes {

namespace {

/// Every fill known, newest first (by fill id: the store's and the bridge's are the same fill).
std::vector<fill> all_fills(const context& ctx) {
  std::map<std::string, fill> by_id;
  if (ctx.deps.store) {
    auto stored = ctx.deps.store->fills();
    if (stored)
      for (auto& f : stored.value())
        by_id[f.fill_id] = std::move(f);
  }
  for (auto& f : ctx.deps.state->fills())
    by_id[f.fill_id] = std::move(f);
  std::vector<fill> out;
  for (auto& [id, f] : by_id)
    out.push_back(std::move(f));
  std::sort(out.begin(), out.end(),
            [](const fill& a, const fill& b) { return std::tie(b.ts_ms, b.fill_id) < std::tie(a.ts_ms, a.fill_id); });
  return out;
}

result<http_response> list_fills(context& ctx, const call& c) {
  auto symbol = c.q("symbol");
  auto cid = c.q("client_order_id");
  std::vector<nlohmann::json> items;
  for (const auto& f : all_fills(ctx))
    if ((!symbol || f.symbol == *symbol) && (!cid || f.client_order_id == *cid))
      items.push_back(to_value(f));
  return page(c, std::move(items));
}

} // namespace

std::vector<route> fill_routes() {
  return {
    make_route("GET", "/api/v1/fills", access::read, list_fills,
               {"List fills",
                {json_doc("200", "a page of items, newest first", "Page")},
                paged({query_doc("symbol", "string", "only this symbol"),
                       query_doc("client_order_id", "string", "only this order")})}),
  };
}

} // namespace tradewind::rest::routes
