// /api/v1/stream: the WebSocket event stream. The server upgrades it before routing (after
// api::authorize); a plain GET lands here and is told to upgrade.
#include "bridge/rest/routes/route.hpp"

namespace tradewind::rest::routes {

namespace {

result<http_response> plain_get(context&, const call&) {
  auto r = problem(426, "upgrade-required", "Upgrade required",
                   "/api/v1/stream is a WebSocket endpoint: connect with Upgrade: websocket");
  r.headers.emplace_back("Upgrade", "websocket");
  return failure{std::move(r)};
}

} // namespace

std::vector<route> stream_routes() {
  return {
    make_route("GET", "/api/v1/stream", access::read, plain_get,
               {"WebSocket: send {\"action\":\"subscribe\",\"topics\":[...]} with topics "
                "ticks|signals|orders|fills|positions|alerts|risk_state; events are schema envelopes; token in "
                "Authorization or ?access_token=",
                {bare_doc("101", "switching to WebSocket"), problem_doc("426", "not a WebSocket upgrade")},
                {query_doc("access_token", "string", "API token (browsers cannot set headers on WebSocket)")}}),
  };
}

} // namespace tradewind::rest::routes
