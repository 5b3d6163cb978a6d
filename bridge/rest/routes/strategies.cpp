// /api/v1/strategies: the configured strategies with the parameters their running instances
// last reported, their trading state and positions; live parameter updates; enable/disable.
#include <nlohmann/json.hpp>

#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"

namespace tradewind::rest::routes {

namespace {

using nlohmann::json;

/// `s` with the parameters its running instances last reported.
strategy_config live(const context& ctx, const strategy_config& s) {
  auto reported = ctx.deps.state->reported_params(s.id);
  return reported ? with_params(s, *reported) : s;
}

json strategy_view(const context& ctx, const strategy_config& configured) {
  auto s = live(ctx, configured);
  json j{{"id", s.id},
         {"type", s.type},
         {"symbols", s.symbols},
         {"fast", s.fast},
         {"slow", s.slow},
         {"order_notional", s.order_notional.to_string()},
         {"qty_step", s.qty_step.to_string()},
         {"allow_short", s.allow_short},
         {"enabled", s.enabled}};
  auto state = trading_state::active;
  for (const auto& sc : ctx.deps.state->trading())
    if (sc.scope == scope_kind::strategy && sc.scope_id == s.id)
      state = sc.state;
  j["trading_state"] = std::string{to_string(state)};
  json positions = json::array();
  if (auto snap = ctx.deps.state->snapshot())
    for (const auto& p : snap->strategy_positions)
      if (p.strategy_id == s.id)
        positions.push_back({{"symbol", p.symbol}, {"qty", p.qty.to_string()}});
  j["positions"] = positions;
  return j;
}

failure strategy_not_found(const std::string& id) {
  return fail(404, "not-found", "Strategy not found", "no strategy with id '" + id + "'");
}

result<http_response> list_strategies(context& ctx, const call&) {
  json items = json::array();
  for (const auto& s : ctx.deps.cfg.strategies)
    items.push_back(strategy_view(ctx, s));
  return json_response(200, dump({{"items", items}}));
}

result<http_response> get_strategy(context& ctx, const call& c) {
  const auto* s = ctx.find_strategy(c.param("id"));
  if (!s)
    return strategy_not_found(c.param("id"));
  return json_response(200, dump(strategy_view(ctx, *s)));
}

result<http_response> put_strategy(context& ctx, const call& c) {
  const auto& id = c.param("id");
  const auto* configured = ctx.find_strategy(id);
  if (!configured)
    return strategy_not_found(id);
  if (!configured->enabled)
    return fail(409, "strategy-not-running", "Strategy not running",
                "strategy '" + id
                  + "' is not running (enabled: false in the node config), so nothing would apply the update");
  auto body = parse_body(c);
  if (!body)
    return body.error();
  for (const char* key : {"id", "type", "symbols"})
    if (body->contains(key))
      return invalid_field(key, "cannot be changed on a running node (edit strategies[] in the config and restart)");
  for (const char* key : {"enabled", "trading_state"})
    if (body->contains(key))
      return invalid_field(key,
                           "cannot be changed with PUT (use POST /api/v1/strategies/" + id + "/enable or /disable)");
  if (body->contains("positions"))
    return invalid_field("positions", "is read-only");
  std::lock_guard<std::mutex> one_at_a_time{ctx.update_mtx};
  auto before = params_of(live(ctx, *configured));
  if (auto none = require_some_field(*body, "fast, slow, order_notional, qty_step, allow_short"))
    return *none;
  auto after = patched(before, *body);
  if (!after)
    return after.error();
  if (auto bad = reject_invalid(validate_strategy_params(*after, "")))
    return *bad;
  strategy_update u{ctx.next_update_id(c), id, *after, "changed through the API", "api:" + c.key_id, ctx.now()};
  auto previous = to_value(before);
  auto requested = to_value(*after);
  *c.audit_change = dump({{"old", previous}, {"new", requested}});
  ctx.deps.publish_strategy(u);
  return ctx.answer_update(u.update_id, previous, requested,
                           [&ctx, configured] { return strategy_view(ctx, *configured); }, "strategy " + id);
}

/// POST …/enable and …/disable: a control command resume or halt for the strategy's scope.
result<http_response> switch_strategy(context& ctx, const call& c, bool enable) {
  const auto& id = c.param("id");
  if (!ctx.find_strategy(id))
    return strategy_not_found(id);
  control_command cmd;
  cmd.action = enable ? control_action::resume : control_action::halt;
  cmd.scope = scope_kind::strategy;
  cmd.scope_id = id;
  cmd.reason = enable ? "strategy enabled through the API" : "strategy disabled through the API";
  cmd.issued_by = "api:" + c.key_id;
  cmd.ts_ms = ctx.now();
  ctx.deps.publish_control(cmd);
  return json_response(202, dump({{"accepted", to_value(cmd)}}));
}

result<http_response> enable_strategy(context& ctx, const call& c) {
  return switch_strategy(ctx, c, true);
}

result<http_response> disable_strategy(context& ctx, const call& c) {
  return switch_strategy(ctx, c, false);
}

} // namespace

std::vector<route> strategy_routes() {
  const std::string strategies = "/api/v1/strategies";
  auto id = path_doc("id", "strategy id");
  return {
    make_route("GET", strategies, access::read, list_strategies,
               {"Configured strategies with their trading state", {json_doc("200", "strategies")}}),
    make_route("GET", strategies + "/{id}", access::read, get_strategy,
               {"One strategy", {json_doc("200", "the strategy"), problem_doc("404", "unknown id")}, {id}}),
    make_route(
      "PUT", strategies + "/{id}", access::admin, put_strategy,
      {"Change parameters of a running strategy (strategy_update on control, applied by every running instance "
       "in arrival order; changed windows rebuild the averages from the closes held, a change never signals by "
       "itself). Waits up to 2 s for the strategy's report.",
       {json_doc("200", "applied: {status, update_id, current (the strategy as reported), previous}", "UpdateAnswer"),
        json_doc("202", "published, not confirmed in time: {status: pending, update_id, requested, previous}",
                 "UpdateAnswer"),
        problem_doc("400", "malformed JSON"), problem_doc("404", "unknown id"),
        problem_doc("409", "the strategy is not running (enabled: false in the config)"),
        problem_doc("422", "unknown, read-only or invalid field, named in detail; or rejected by the strategy")},
       {id},
       "StrategyParams"}),
    make_route("POST", strategies + "/{id}/enable", access::admin, enable_strategy,
               {"Resume the strategy (control_command resume, scope strategy)",
                {json_doc("202", "command published"), problem_doc("404", "unknown id")},
                {id}}),
    make_route("POST", strategies + "/{id}/disable", access::admin, disable_strategy,
               {"Halt the strategy (control_command halt, scope strategy)",
                {json_doc("202", "command published"), problem_doc("404", "unknown id")},
                {id}}),
  };
}

} // namespace tradewind::rest::routes
