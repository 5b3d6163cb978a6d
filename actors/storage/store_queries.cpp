// The API read paths of the store interface, computed from the list_* reads every back end
// implements, so SQLite and PostgreSQL answer identically.

#include <algorithm>
#include <tuple>

#include "actors/storage/store.hpp"

namespace tradewind {

namespace {

bool after_cursor(const order& o, const order_cursor& c) {
  return std::tie(o.created_ts_ms, o.client_order_id) > std::tie(c.created_ts_ms, c.client_order_id);
}

bool matches(const order& o, const order_query& q) {
  return (!q.status || o.status == *q.status) && (!q.symbol || o.symbol == *q.symbol) &&
         o.created_ts_ms >= q.from_ts_ms && o.created_ts_ms <= q.to_ts_ms &&
         (!q.after || after_cursor(o, *q.after));
}

} // namespace

order_page select_orders(const std::vector<order>& orders, const order_query& q) {
  auto limit = std::max<size_t>(q.limit, 1);
  order_page page;
  for (auto& o : orders) {
    if (!matches(o, q))
      continue;
    if (page.orders.size() == limit) {
      // One more match exists: the page is full and has a successor.
      auto& last = page.orders.back();
      page.next = order_cursor{last.created_ts_ms, last.client_order_id};
      break;
    }
    page.orders.push_back(o);
  }
  return page;
}

std::vector<account_snapshot> downsample(const std::vector<account_snapshot>& snapshots, size_t every_nth) {
  auto step = std::max<size_t>(every_nth, 1);
  std::vector<account_snapshot> out;
  for (size_t i = 0; i < snapshots.size(); ++i)
    if (i % step == 0 || i + 1 == snapshots.size())
      out.push_back(snapshots[i]);
  return out;
}

std::vector<alert> select_alerts(const std::vector<alert>& alerts, const alert_query& q) {
  auto limit = std::max<size_t>(q.limit, 1);
  std::vector<alert> out;
  size_t skipped = 0;
  for (auto& a : alerts) {
    if (a.level < q.min_level || a.ts_ms < q.from_ts_ms || a.ts_ms > q.to_ts_ms)
      continue;
    if (skipped < q.offset) {
      ++skipped;
      continue;
    }
    if (out.size() == limit)
      break;
    out.push_back(a);
  }
  return out;
}

store_result<order_page> store::query_orders(const order_query& q) {
  auto all = list_orders();
  if (!all)
    return all.status();
  return select_orders(all.value(), q);
}

store_result<std::vector<fill>> store::fills_for_order(const std::string& client_order_id) {
  auto all = list_fills();
  if (!all)
    return all.status();
  std::vector<fill> out;
  for (auto& f : all.value())
    if (f.client_order_id == client_order_id)
      out.push_back(f);
  return out;
}

store_result<std::vector<account_snapshot>> store::equity_curve(int64_t from_ts_ms, int64_t to_ts_ms,
                                                                size_t every_nth) {
  auto in_range = list_snapshots(from_ts_ms, to_ts_ms);
  if (!in_range)
    return in_range.status();
  return downsample(in_range.value(), every_nth);
}

store_result<std::vector<alert>> store::query_alerts(const alert_query& q) {
  auto all = list_alerts();
  if (!all)
    return all.status();
  return select_alerts(all.value(), q);
}

} // namespace tradewind
