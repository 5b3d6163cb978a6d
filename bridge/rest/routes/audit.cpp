// /api/v1/audit: the audit trail of mutating API calls as the node's store keeps it.
#include <limits>

#include <nlohmann/json.hpp>

#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"
#include "bridge/rest/store_reader.hpp"

namespace tradewind::rest::routes {

namespace {

using nlohmann::json;

result<http_response> list_audit(context& ctx, const call& c) {
  const auto& store = ctx.deps.store;
  if (!store || !store->shareable())
    return fail(503, "store-unavailable", "Store unavailable",
                "the audit log is kept in the node's store, which is private to this process (sqlite::memory:); "
                "use a file or PostgreSQL store, or read the bridge.audit_log file");
  constexpr auto min = std::numeric_limits<int64_t>::min();
  constexpr auto max = std::numeric_limits<int64_t>::max();
  auto from = int_param(c, "from", min, min, max);
  if (!from)
    return from.error();
  auto to = int_param(c, "to", max, min, max);
  if (!to)
    return to.error();
  auto limit = int_param(c, "limit", 100, 1, 1000);
  if (!limit)
    return limit.error();
  auto records = store->audit(*from, *to, static_cast<size_t>(*limit));
  if (!records)
    return fail(503, "store-unavailable", "Store unavailable", "cannot read the audit log: " + records.error());
  json items = json::array();
  for (const auto& r : records.value()) {
    json detail = json::parse(r.detail, nullptr, false);
    items.push_back({{"ts_ms", r.ts_ms}, {"actor", r.actor}, {"action", r.action}, {"target", r.target},
                     {"detail", detail.is_discarded() ? json(r.detail) : detail}});
  }
  return json_response(200, dump({{"items", items}}));
}

} // namespace

std::vector<route> audit_routes() {
  return {
    make_route("GET", "/api/v1/audit", access::admin, list_audit,
               {"Audit log of mutating API calls (key id, method and path, outcome), newest first",
                {json_doc("200", "audit records, newest first"),
                 problem_doc("503", "the store cannot be shared (sqlite::memory:) or is unreachable")},
                {query_doc("from", "integer", "earliest ts_ms, inclusive"),
                 query_doc("to", "integer", "latest ts_ms, inclusive"),
                 query_doc("limit", "integer", "records, 1..1000 (default 100)")}}),
  };
}

} // namespace tradewind::rest::routes
