// /api/v1/orders: list, submit a manual order (the risk gate decides it like any other), one
// order with its risk decision, cancel. Orders are the bridge's memory completed by the store.
#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"
#include "bridge/rest/store_reader.hpp"

namespace tradewind::rest::routes {

namespace {

using nlohmann::json;

/// Every order known, newest first: the store's, replaced by the bridge's fresher copies.
std::vector<order> all_orders(const context& ctx) {
  std::map<std::string, order> by_id;
  if (ctx.deps.store) {
    auto stored = ctx.deps.store->orders();
    if (stored)
      for (auto& o : stored.value())
        by_id[o.client_order_id] = std::move(o);
  }
  for (auto& o : ctx.deps.state->orders())
    by_id[o.client_order_id] = std::move(o); // memory is at least as fresh as the store
  std::vector<order> out;
  for (auto& [id, o] : by_id)
    out.push_back(std::move(o));
  std::sort(out.begin(), out.end(), [](const order& a, const order& b) {
    return std::tie(b.created_ts_ms, b.client_order_id) < std::tie(a.created_ts_ms, a.client_order_id);
  });
  return out;
}

std::optional<order> find_order(const context& ctx, const std::string& id) {
  if (auto o = ctx.deps.state->find_order(id))
    return o;
  if (ctx.deps.store) {
    auto stored = ctx.deps.store->orders();
    if (stored)
      for (auto& o : stored.value())
        if (o.client_order_id == id)
          return o;
  }
  return std::nullopt;
}

failure order_not_found(const std::string& id) {
  return fail(404, "not-found", "Order not found", "no order with client_order_id '" + id + "'");
}

failure duplicate_order(const std::string& id) {
  return fail(409, "duplicate-order", "Duplicate order", "client_order_id '" + id + "' was already used");
}

result<http_response> list_orders(context& ctx, const call& c) {
  std::optional<order_status> status;
  if (auto s = c.q("status")) {
    status = enum_from_string<order_status>(*s);
    if (!status)
      return fail(400, "invalid-parameter", "Invalid query parameter",
                  "query parameter 'status' must be one of "
                  "new_order|accepted|partially_filled|filled|cancelled|rejected, got '"
                    + *s + "'");
  }
  auto symbol = c.q("symbol");
  auto strategy = c.q("strategy_id");
  std::vector<json> items;
  for (const auto& o : all_orders(ctx))
    if ((!status || o.status == *status) && (!symbol || o.symbol == *symbol)
        && (!strategy || o.strategy_id == *strategy))
      items.push_back(to_value(o));
  return page(c, std::move(items));
}

/// The manual intent a POST /orders body describes, checked in the order below (the first
/// failure answers); ts_ms and client_order_id are left to the caller.
result<order_intent> manual_intent(const context& ctx, const json& body) {
  if (auto bad = only_fields(body, {"symbol", "side", "type", "qty", "limit_price", "reduce_only", "client_order_id"}))
    return *bad;
  order_intent in;
  in.strategy_id = "manual";
  auto symbol = string_field(body, "symbol", true);
  if (!symbol)
    return symbol.error();
  in.symbol = **symbol;
  auto order_side = enum_field<side>(body, "side", true, "buy|sell");
  if (!order_side)
    return order_side.error();
  in.order_side = **order_side;
  auto type = enum_field<order_type>(body, "type", false, "market|limit");
  if (!type)
    return type.error();
  in.type = type->value_or(order_type::market);
  auto qty = decimal_field(body, "qty", true);
  if (!qty)
    return qty.error();
  in.qty = **qty;
  if (in.qty.raw <= 0)
    return invalid_field("qty", "must be > 0, got " + in.qty.to_string());
  auto limit = decimal_field(body, "limit_price", false);
  if (!limit)
    return limit.error();
  if (in.type == order_type::limit) {
    if (!*limit)
      return invalid_field("limit_price", "is required for limit orders");
    if ((*limit)->raw <= 0)
      return invalid_field("limit_price", "must be > 0, got " + (*limit)->to_string());
    in.limit_price = **limit;
  } else if (*limit) {
    return invalid_field("limit_price", "must be absent for market orders");
  }
  if (body.contains("reduce_only")) {
    if (!body["reduce_only"].is_boolean())
      return invalid_field("reduce_only", std::string{"must be a boolean, got "} + body["reduce_only"].type_name());
    in.reduce_only = body["reduce_only"].get<bool>();
  }
  auto symbols = ctx.configured_symbols();
  if (!symbols.count(in.symbol)) {
    std::string known;
    for (const auto& s : symbols)
      known += (known.empty() ? "" : "|") + s;
    return invalid_field("symbol",
                         "is not traded by this node (expected one of " + known + "), got '" + in.symbol + "'");
  }
  return in;
}

result<http_response> submit_order(context& ctx, const call& c) {
  auto body = parse_body(c);
  if (!body)
    return body.error();
  auto intent = manual_intent(ctx, *body);
  if (!intent)
    return intent.error();
  auto& in = *intent;
  in.ts_ms = ctx.now();
  auto id = string_field(*body, "client_order_id", false);
  if (!id)
    return id.error();
  if (*id) {
    if (!valid_id(**id))
      return invalid_field("client_order_id", "must be 1-64 characters of [A-Za-z0-9._-]");
    if (find_order(ctx, **id) || ctx.deps.state->find_decision(**id))
      return duplicate_order(**id);
    in.client_order_id = **id;
  } else {
    in.client_order_id = "manual-" + in.symbol + "-" + std::to_string(in.ts_ms) + "-"
                         + std::to_string(++ctx.manual_seq);
  }
  {
    std::lock_guard<std::mutex> guard{ctx.submitted_mtx};
    if (ctx.submitted.count(in.client_order_id))
      return duplicate_order(in.client_order_id);
    if (ctx.submitted.size() >= 10'000)
      ctx.submitted.erase(ctx.submitted.begin());
    ctx.submitted.emplace(in.client_order_id, in);
  }
  ctx.deps.publish_intent(in);
  auto resp = json_response(202, dump({{"client_order_id", in.client_order_id},
                                       {"status", "submitted"},
                                       {"intent", to_value(in)}}));
  resp.headers.emplace_back("Location", "/api/v1/orders/" + in.client_order_id);
  return resp;
}

result<http_response> get_order(context& ctx, const call& c) {
  const auto& id = c.param("id");
  if (auto o = find_order(ctx, id)) {
    auto j = to_value(*o);
    if (auto d = ctx.deps.state->find_decision(o->client_order_id))
      j["decision"] = to_value(*d);
    return json_response(200, dump(j));
  }
  if (auto d = ctx.deps.state->find_decision(id))
    return json_response(200, dump({{"client_order_id", id},
                                    {"status", d->approved ? "approved" : "denied"},
                                    {"decision", to_value(*d)}}));
  {
    std::lock_guard<std::mutex> guard{ctx.submitted_mtx};
    auto it = ctx.submitted.find(id);
    if (it != ctx.submitted.end())
      return json_response(200, dump({{"client_order_id", id},
                                      {"status", "submitted"},
                                      {"intent", to_value(it->second)}}));
  }
  return order_not_found(id);
}

result<http_response> cancel_order(context& ctx, const call& c) {
  const auto& id = c.param("id");
  auto o = find_order(ctx, id);
  if (!o)
    return order_not_found(id);
  if (is_terminal(o->status))
    return fail(409, "order-not-open", "Order not open",
                "order '" + id + "' is " + std::string{to_string(o->status)} + " and cannot be cancelled");
  ctx.deps.publish_cancel(cancel_request{id, "cancelled through the API by key " + c.key_id, ctx.now()});
  return json_response(202, dump({{"client_order_id", id}, {"status", "cancel_requested"}}));
}

} // namespace

std::vector<route> order_routes() {
  const std::string orders = "/api/v1/orders";
  auto id = path_doc("id", "client order id");
  return {
    make_route("GET", orders, access::read, list_orders,
               {"List orders",
                {json_doc("200", "a page of items, newest first", "Page"), problem_doc("400", "bad filter")},
                paged({query_doc("status", "string", "new_order|accepted|partially_filled|filled|cancelled|rejected"),
                       query_doc("symbol", "string", "only this symbol"),
                       query_doc("strategy_id", "string", "only this strategy (manual for operator orders)")})}),
    make_route("POST", orders, access::trade, submit_order,
               {"Submit a manual order (strategy_id manual); the risk gate decides it like any other",
                {json_doc("202", "submitted to the risk gate"), problem_doc("400", "malformed JSON"),
                 problem_doc("409", "client_order_id already used"),
                 problem_doc("413", "body larger than bridge.max_body_bytes"), problem_doc("422", "invalid field")},
                {},
                "ManualOrder"}),
    make_route("GET", orders + "/{id}", access::read, get_order,
               {"One order with its risk decision",
                {json_doc("200", "the order"), problem_doc("404", "unknown id")},
                {id}}),
    make_route("DELETE", orders + "/{id}", access::trade, cancel_order,
               {"Cancel an open order",
                {json_doc("202", "cancel requested"), problem_doc("404", "unknown id"),
                 problem_doc("409", "order not open")},
                {id}}),
  };
}

} // namespace tradewind::rest::routes
