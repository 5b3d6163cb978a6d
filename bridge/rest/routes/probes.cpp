// The open routes: health probes and the OpenAPI document under /api/v1; /metrics and the
// dashboard page outside it (not in the document).
#include <nlohmann/json.hpp>

#include "bridge/metrics/node_metrics.hpp"
#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/openapi.hpp"
#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"
#include "bridge/rest/store_reader.hpp"

namespace tradewind::rest::routes {

namespace {

using nlohmann::json;

struct check_report {
  json checks = json::object(); ///< {name: {status, detail?, …}} per dependency
  bool ready = true;            ///< store up (or skipped) and both watermarks seen
  bool healthy = true;          ///< store not down
};

/// The dependency checks of /ready and /health.
check_report run_checks(const context& ctx) {
  check_report r;
  auto& out = r.checks;
  const auto& store = ctx.deps.store;
  if (!store) {
    out["store"] = {{"status", "skipped"}, {"detail", "no store reader configured"}};
  } else if (!store->shareable()) {
    out["store"] = {{"status", "skipped"}, {"detail", "sqlite::memory: is private to the store writer"}};
  } else if (auto err = store->ping()) {
    out["store"] = {{"status", "down"}, {"detail", *err}};
    r.ready = r.healthy = false;
  } else {
    out["store"] = {{"status", "up"}};
  }
  auto p = ctx.deps.state->progress();
  auto stage = [&](const char* name, int64_t ts, const char* waiting) {
    if (ts == 0) {
      out[name] = {{"status", "waiting"}, {"detail", waiting}};
      r.ready = false;
    } else {
      out[name] = {{"status", "up"}, {"event_time_ms", ts}};
    }
  };
  stage("market_data", p.market_ms, "no market watermark yet");
  stage("account", p.account_ms, "no account watermark yet");
  if (p.market_ended)
    out["market_data"]["detail"] = "end of stream reached";
  out["bridge"] = {{"status", "up"}, {"last_event_wall_ms", p.last_event_wall_ms}};
  return r;
}

result<http_response> live(context& ctx, const call&) {
  return json_response(200, dump({{"status", "alive"}, {"uptime_s", (ctx.now() - ctx.started_ms) / 1000}}));
}

result<http_response> ready(context& ctx, const call&) {
  auto r = run_checks(ctx);
  if (!r.ready) {
    std::string why;
    for (auto it = r.checks.begin(); it != r.checks.end(); ++it)
      if ((*it)["status"] == "down" || (*it)["status"] == "waiting")
        why += (why.empty() ? "" : "; ") + it.key() + ": " + (*it).value("detail", std::string{});
    return fail(503, "not-ready", "Not ready", why);
  }
  return json_response(200, dump({{"status", "ready"}, {"checks", r.checks}}));
}

result<http_response> health(context& ctx, const call&) {
  auto r = run_checks(ctx);
  json out{{"status", r.healthy ? (r.ready ? "pass" : "warn") : "fail"},
           {"node", ctx.deps.cfg.node_name},
           {"uptime_s", (ctx.now() - ctx.started_ms) / 1000},
           {"checks", r.checks}};
  return json_response(r.healthy ? 200 : 503, dump(out));
}

result<http_response> openapi(context&, const call&) {
  return json_response(200, openapi_document());
}

result<http_response> metrics(context& ctx, const call&) {
  http_response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = ctx.deps.metrics->serialize();
  return r;
}

result<http_response> dashboard(context& ctx, const call&) {
  http_response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = ctx.deps.dashboard_html;
  return r;
}

} // namespace

std::vector<route> probe_routes() {
  const std::string v1 = "/api/v1";
  return {
    make_route("GET", v1 + "/live", access::open, live, {"Liveness: the process answers", {json_doc("200", "alive")}}),
    make_route("GET", v1 + "/ready", access::open, ready,
               {"Readiness: store reachable and the pipeline producing watermarks",
                {json_doc("200", "ready"), problem_doc("503", "not ready, with the reason")}}),
    make_route("GET", v1 + "/health", access::open, health,
               {"Health of every dependency (store, market data, account, bridge)",
                {json_doc("200", "pass or warn"), json_doc("503", "fail")}}),
    make_route("GET", v1 + "/openapi.json", access::open, openapi,
               {"This document", {json_doc("200", "OpenAPI 3 document")}}),
  };
}

std::vector<route> page_routes() {
  // Outside /api/v1: not in the OpenAPI document, so no route_doc.
  return {
    make_route("GET", "/metrics", access::open, metrics, {}),
    make_route("GET", "/", access::open, dashboard, {}),
    make_route("GET", "/dashboard", access::open, dashboard, {}),
  };
}

} // namespace tradewind::rest::routes
