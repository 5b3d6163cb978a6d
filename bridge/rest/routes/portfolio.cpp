// /api/v1/positions and /api/v1/portfolio: the latest position per symbol; equity, PnL,
// drawdown and the equity curve (decimals as strings).
#include <nlohmann/json.hpp>

#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"

namespace tradewind::rest::routes {

namespace {

using nlohmann::json;

result<http_response> positions(context& ctx, const call&) {
  json items = json::array();
  for (const auto& p : ctx.deps.state->positions())
    items.push_back(to_value(p));
  return json_response(200, dump({{"items", items}}));
}

result<http_response> portfolio(context& ctx, const call&) {
  const auto& pc = ctx.deps.cfg.portfolio;
  json out{{"quote_currency", pc.quote_currency}, {"initial_cash", pc.initial_cash.to_string()}};
  if (auto s = ctx.deps.state->snapshot()) {
    out["ts_ms"] = s->ts_ms;
    out["cash"] = s->cash.to_string();
    out["equity"] = s->equity.to_string();
    out["realized_pnl"] = s->realized_pnl.to_string();
    out["unrealized_pnl"] = s->unrealized_pnl.to_string();
    auto total_pnl = s->equity - pc.initial_cash;
    out["total_pnl"] = total_pnl ? json(total_pnl->to_string()) : json(nullptr); // no wrap
    out["fees_paid"] = s->fees_paid.to_string();
    out["high_water_mark"] = s->high_water_mark.to_string();
    out["drawdown_pct"] = s->drawdown_pct.to_string();
    out["day_start_equity"] = s->day_start_equity.to_string();
    out["open_orders"] = s->open_orders.size();
    out["positions"] = s->positions.size();
  } else {
    out["ts_ms"] = nullptr;
    out["equity"] = pc.initial_cash.to_string();
    out["cash"] = pc.initial_cash.to_string();
    out["total_pnl"] = "0";
  }
  json curve = json::array();
  for (const auto& p : ctx.deps.state->equity_curve())
    curve.push_back({p.ts_ms, p.equity.to_string()});
  out["equity_curve"] = curve;
  return json_response(200, dump(out));
}

} // namespace

std::vector<route> portfolio_routes() {
  return {
    make_route("GET", "/api/v1/positions", access::read, positions,
               {"Latest position per symbol", {json_doc("200", "positions")}}),
    make_route("GET", "/api/v1/portfolio", access::read, portfolio,
               {"Equity, PnL, drawdown and the equity curve", {json_doc("200", "summary")}}),
  };
}

} // namespace tradewind::rest::routes
