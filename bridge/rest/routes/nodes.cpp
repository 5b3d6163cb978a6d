// /api/v1/nodes: the nodes of the cluster (this node for now).
#include <nlohmann/json.hpp>

#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"

namespace tradewind::rest::routes {

namespace {

using nlohmann::json;

result<http_response> list_nodes(context& ctx, const call&) {
  auto p = ctx.deps.state->progress();
  json self{{"name", ctx.deps.cfg.node_name},
            {"self", true},
            {"status", "up"},
            {"started_ms", ctx.started_ms},
            {"uptime_s", (ctx.now() - ctx.started_ms) / 1000},
            {"trading_state", ctx.trading_view()["node"]},
            {"market_event_time_ms", p.market_ms},
            {"account_event_time_ms", p.account_ms},
            {"strategies", ctx.deps.cfg.strategies.size()}};
  return json_response(200, dump({{"items", json::array({self})}}));
}

} // namespace

std::vector<route> node_routes() {
  return {
    make_route("GET", "/api/v1/nodes", access::read, list_nodes,
               {"Nodes of the cluster (this node for now)", {json_doc("200", "nodes")}}),
  };
}

} // namespace tradewind::rest::routes
