// /api/v1/risk/limits and /api/v1/trading-state: the pre-trade limits as the risk gate last
// reported them and their live update; the trading state of each scope and the operator's
// halt / reduce-only / resume.
#include <nlohmann/json.hpp>

#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"

namespace tradewind::rest::routes {

namespace {

using nlohmann::json;

result<http_response> get_limits(context& ctx, const call&) {
  return json_response(200, dump(to_value(ctx.deps.state->current_limits())));
}

result<http_response> put_limits(context& ctx, const call& c) {
  auto body = parse_body(c);
  if (!body)
    return body.error();
  std::lock_guard<std::mutex> one_at_a_time{ctx.update_mtx};
  auto before = ctx.deps.state->current_limits();
  if (auto none = require_some_field(*body, "the fields of GET /api/v1/risk/limits"))
    return *none;
  auto after = patched(before, *body);
  if (!after)
    return after.error();
  if (auto bad = reject_invalid(validate_risk_limits(*after, "")))
    return *bad;
  risk_limits_update u{ctx.next_update_id(c), *after, "changed through the API", "api:" + c.key_id, ctx.now()};
  auto previous = to_value(before);
  auto requested = to_value(*after);
  *c.audit_change = dump({{"old", previous}, {"new", requested}});
  ctx.deps.publish_limits(u);
  return ctx.answer_update(u.update_id, previous, requested,
                           [&ctx] { return to_value(ctx.deps.state->current_limits()); }, "the risk gate");
}

result<http_response> get_trading_state(context& ctx, const call&) {
  return json_response(200, dump(ctx.trading_view()));
}

/// The control command a POST /trading-state body describes (issued_by and ts_ms left out).
result<control_command> control_request(const context& ctx, const json& body) {
  if (auto bad = only_fields(body, {"action", "scope", "scope_id", "reason"}))
    return *bad;
  control_command cmd;
  auto action = enum_field<control_action>(body, "action", true, "halt|reduce_only|resume");
  if (!action)
    return action.error();
  cmd.action = **action;
  auto scope = enum_field<scope_kind>(body, "scope", false, "node|strategy|symbol");
  if (!scope)
    return scope.error();
  cmd.scope = scope->value_or(scope_kind::node);
  auto scope_id = string_field(body, "scope_id", false);
  if (!scope_id)
    return scope_id.error();
  cmd.scope_id = scope_id->value_or("");
  auto reason = string_field(body, "reason", false);
  if (!reason)
    return reason.error();
  cmd.reason = reason->value_or("");
  if (cmd.scope == scope_kind::node && !cmd.scope_id.empty())
    return invalid_field("scope_id", "must be empty for scope node");
  if (cmd.scope == scope_kind::strategy && !ctx.find_strategy(cmd.scope_id))
    return invalid_field("scope_id", "must name a configured strategy, got '" + cmd.scope_id + "'");
  if (cmd.scope == scope_kind::symbol && !ctx.configured_symbols().count(cmd.scope_id))
    return invalid_field("scope_id", "must name a symbol this node trades, got '" + cmd.scope_id + "'");
  return cmd;
}

result<http_response> post_trading_state(context& ctx, const call& c) {
  auto body = parse_body(c);
  if (!body)
    return body.error();
  auto cmd = control_request(ctx, *body);
  if (!cmd)
    return cmd.error();
  cmd->issued_by = "api:" + c.key_id;
  cmd->ts_ms = ctx.now();
  ctx.deps.publish_control(*cmd);
  return json_response(202, dump({{"accepted", to_value(*cmd)}}));
}

} // namespace

std::vector<route> risk_routes() {
  const std::string v1 = "/api/v1";
  return {
    make_route("GET", v1 + "/risk/limits", access::read, get_limits,
               {"Pre-trade risk limits as the risk gate last reported them",
                {json_doc("200", "limits", "RiskLimits")}}),
    make_route(
      "PUT", v1 + "/risk/limits", access::admin, put_limits,
      {"Change risk limits: any subset of the fields of GET, checked with the config rules, merged onto the limits "
       "in force and published as risk_limits_update; the risk gate applies it to every decision after it arrives. "
       "Waits up to 2 s for the gate's report.",
       {json_doc("200", "applied: {status, update_id, current (as reported by the gate), previous}", "UpdateAnswer"),
        json_doc("202", "published, not confirmed in time: {status: pending, update_id, requested, previous}",
                 "UpdateAnswer"),
        problem_doc("400", "malformed JSON"),
        problem_doc("422", "unknown field, wrong type or broken rule, named in detail; or rejected by the gate")},
       {},
       "RiskLimits"}),
    make_route("GET", v1 + "/trading-state", access::read, get_trading_state,
               {"Trading state of the node and of each named scope", {json_doc("200", "states")}}),
    make_route("POST", v1 + "/trading-state", access::admin, post_trading_state,
               {"Halt, reduce-only or resume a scope (node, strategy or symbol)",
                {json_doc("202", "command published"), problem_doc("400", "malformed JSON"),
                 problem_doc("422", "invalid field")},
                {},
                "ControlRequest"}),
  };
}

} // namespace tradewind::rest::routes
