// /api/v1/candles/{symbol}: the bars the bridge holds with a simple moving average of the close.
#include <nlohmann/json.hpp>

#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"
#include "schemas/indicators.hpp"

namespace tradewind::rest::routes {

namespace {

using nlohmann::json;

result<http_response> candles(context& ctx, const call& c) {
  const auto& symbol = c.param("symbol");
  auto bars = ctx.deps.state->bars(symbol);
  if (bars.empty() && !ctx.configured_symbols().count(symbol))
    return fail(404, "not-found", "Unknown symbol", "this node has no market data for symbol '" + symbol + "'");
  auto limit_param = int_param(c, "limit", 100, 1, 1000);
  if (!limit_param)
    return limit_param.error();
  auto window_param = int_param(c, "sma", 20, 1, 500);
  if (!window_param)
    return window_param.error();
  auto limit = static_cast<size_t>(*limit_param);
  auto window = static_cast<size_t>(*window_param);
  std::vector<fixed> closes;
  for (const auto& b : bars)
    closes.push_back(b.close);
  auto sma = simple_moving_average(closes, window);
  size_t first = bars.size() > limit ? bars.size() - limit : 0;
  json items = json::array(), values = json::array();
  for (size_t i = first; i < bars.size(); ++i) {
    items.push_back(to_value(bars[i]));
    values.push_back(sma[i] ? json(sma[i]->to_string()) : json(nullptr));
  }
  return json_response(200, dump({{"symbol", symbol},
                                  {"items", items},
                                  {"indicators", {{"sma", {{"window", window}, {"values", values}}}}}}));
}

} // namespace

std::vector<route> candle_routes() {
  return {
    make_route("GET", "/api/v1/candles/{symbol}", access::read, candles,
               {"Recent bars with a simple moving average of the close",
                {json_doc("200", "bars and indicators"), problem_doc("404", "unknown symbol")},
                {path_doc("symbol", "e.g. BTCUSDT"), query_doc("limit", "integer", "bars, 1..1000 (default 100)"),
                 query_doc("sma", "integer", "SMA window in bars, 1..500 (default 20)")}}),
  };
}

} // namespace tradewind::rest::routes
