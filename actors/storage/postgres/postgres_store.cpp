#include "actors/storage/postgres/postgres_store.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "actors/storage/postgres/postgres_pool.hpp"
#include "actors/storage/postgres/postgres_schema.hpp"
#include "schemas/json/codec.hpp"

namespace tradewind {

namespace {

/// Rows per multi-row statement: large enough to amortise the round trip, small enough to
/// keep statements well under PostgreSQL's limits.
constexpr size_t rows_per_statement = 1'000;

/// Same ranking as the SQLite back end (terminal states share the top rank).
int status_rank(order_status s) {
  switch (s) {
    case order_status::new_order: return 0;
    case order_status::accepted: return 1;
    case order_status::partially_filled: return 2;
    default: return 3;
  }
}

constexpr const char* order_columns =
  "INSERT INTO orders (client_order_id, strategy_id, symbol, side, type, qty_e8,"
  " limit_price_e8, reduce_only, status, status_rank, filled_qty_e8, avg_fill_price_e8,"
  " created_ts_ms, updated_ts_ms, reject_reason) VALUES ";
constexpr const char* order_conflict = R"sql(
ON CONFLICT (client_order_id) DO UPDATE SET
  qty_e8 = excluded.qty_e8, limit_price_e8 = excluded.limit_price_e8,
  status = excluded.status, status_rank = excluded.status_rank,
  filled_qty_e8 = excluded.filled_qty_e8, avg_fill_price_e8 = excluded.avg_fill_price_e8,
  updated_ts_ms = excluded.updated_ts_ms, reject_reason = excluded.reject_reason
WHERE excluded.updated_ts_ms > orders.updated_ts_ms
   OR (excluded.updated_ts_ms = orders.updated_ts_ms AND excluded.status_rank >= orders.status_rank)
)sql";
constexpr const char* order_event_columns =
  "INSERT INTO order_events (client_order_id, status, filled_qty_e8, avg_fill_price_e8, ts_ms,"
  " reject_reason) VALUES ";
constexpr const char* order_event_conflict =
  " ON CONFLICT (client_order_id, ts_ms, status, filled_qty_e8) DO NOTHING";
constexpr const char* fill_columns =
  "INSERT INTO fills (fill_id, client_order_id, strategy_id, symbol, side, price_e8, qty_e8,"
  " fee_e8, ts_ms) VALUES ";
constexpr const char* fill_conflict = " ON CONFLICT (fill_id) DO NOTHING";
constexpr const char* decision_columns =
  "INSERT INTO risk_decisions (client_order_id, strategy_id, symbol, approved, reason, detail,"
  " ts_ms) VALUES ";
constexpr const char* decision_conflict = " ON CONFLICT (client_order_id) DO NOTHING";
constexpr const char* position_columns =
  "INSERT INTO positions (symbol, qty_e8, avg_entry_price_e8, last_price_e8, realized_pnl_e8,"
  " unrealized_pnl_e8, ts_ms) VALUES ";
constexpr const char* position_conflict = R"sql(
ON CONFLICT (symbol) DO UPDATE SET
  qty_e8 = excluded.qty_e8, avg_entry_price_e8 = excluded.avg_entry_price_e8,
  last_price_e8 = excluded.last_price_e8, realized_pnl_e8 = excluded.realized_pnl_e8,
  unrealized_pnl_e8 = excluded.unrealized_pnl_e8, ts_ms = excluded.ts_ms
WHERE excluded.ts_ms >= positions.ts_ms
)sql";
constexpr const char* snapshot_columns =
  "INSERT INTO equity_snapshots (ts_ms, cash_e8, equity_e8, realized_pnl_e8,"
  " unrealized_pnl_e8, fees_paid_e8, high_water_mark_e8, drawdown_pct_e8,"
  " day_start_equity_e8) VALUES ";
constexpr const char* snapshot_conflict = R"sql(
ON CONFLICT (ts_ms) DO UPDATE SET
  cash_e8 = excluded.cash_e8, equity_e8 = excluded.equity_e8,
  realized_pnl_e8 = excluded.realized_pnl_e8, unrealized_pnl_e8 = excluded.unrealized_pnl_e8,
  fees_paid_e8 = excluded.fees_paid_e8, high_water_mark_e8 = excluded.high_water_mark_e8,
  drawdown_pct_e8 = excluded.drawdown_pct_e8, day_start_equity_e8 = excluded.day_start_equity_e8
)sql";
constexpr const char* outbox_columns =
  "INSERT INTO outbox (client_order_id, payload, created_ts_ms, sent_ts_ms) VALUES ";
constexpr const char* on_conflict_do_nothing = " ON CONFLICT DO NOTHING";
constexpr const char* alert_columns =
  "INSERT INTO alerts (level, code, source, message, ts_ms) VALUES ";

/// Builds one row of a VALUES list; text is quoted by the connection (escaping rules of
/// the server's encoding), numbers are exact integers.
class row_builder {
public:
  explicit row_builder(pqxx::transaction_base& tx) : tx_(tx) {}
  row_builder& operator<<(const std::string& v) { return add(tx_.quote(v)); }
  row_builder& operator<<(std::string_view v) { return add(tx_.quote(std::string{v})); }
  row_builder& operator<<(const char* v) { return add(tx_.quote(std::string{v})); }
  row_builder& operator<<(int64_t v) { return add(std::to_string(v)); }
  row_builder& operator<<(int v) { return add(std::to_string(v)); }
  row_builder& operator<<(bool v) { return add(v ? "TRUE" : "FALSE"); }
  row_builder& operator<<(fixed v) { return add(std::to_string(v.raw)); }
  std::string done() { return text_ + ")"; }

private:
  row_builder& add(const std::string& v) {
    text_ += text_.empty() ? "(" : ",";
    text_ += v;
    return *this;
  }
  pqxx::transaction_base& tx_;
  std::string text_;
};

/// The columns of order_columns.
void order_row(row_builder& r, const order& o) {
  r << o.client_order_id << o.strategy_id << o.symbol << to_string(o.order_side) << to_string(o.type) << o.qty
    << o.limit_price << o.reduce_only << to_string(o.status) << status_rank(o.status) << o.filled_qty
    << o.avg_fill_price << o.created_ts_ms << o.updated_ts_ms << o.reject_reason;
}

/// The columns of order_event_columns: the state change `o` describes.
void order_event_row(row_builder& r, const order& o) {
  r << o.client_order_id << to_string(o.status) << o.filled_qty << o.avg_fill_price << o.updated_ts_ms
    << o.reject_reason;
}

/// The columns of decision_columns.
void decision_row(row_builder& r, const risk_decision& d) {
  r << d.client_order_id << d.strategy_id << d.symbol << d.approved << to_string(d.reason) << d.detail << d.ts_ms;
}

/// Runs `head rows… tail` in chunks of rows_per_statement.
template <class Range, class RowFn>
void insert_rows(pqxx::transaction_base& tx, const char* head, const char* tail,
                 const Range& items, RowFn&& row_of) {
  std::string sql;
  size_t in_statement = 0;
  auto flush = [&] {
    if (in_statement == 0)
      return;
    sql += tail;
    tx.exec0(sql);
    sql.clear();
    in_statement = 0;
  };
  for (const auto& x : items) {
    sql += in_statement == 0 ? head : ",";
    row_builder r{tx};
    row_of(r, x);
    sql += r.done();
    if (++in_statement == rows_per_statement)
      flush();
  }
  flush();
}

/// Keeps, per key, the record `newer(candidate, kept)` prefers, in first-seen key order.
/// One multi-row `ON CONFLICT DO UPDATE` may not touch the same row twice, so a batch is
/// reduced to its winners first (the same winner the SQLite back end ends up with).
template <class T, class KeyFn, class NewerFn>
std::vector<T> winners(const std::vector<T>& items, KeyFn&& key, NewerFn&& newer) {
  std::vector<T> out;
  std::unordered_map<std::string, size_t> at;
  for (const auto& x : items) {
    auto [it, fresh] = at.emplace(key(x), out.size());
    if (fresh)
      out.push_back(x);
    else if (newer(x, out[it->second]))
      out[it->second] = x;
  }
  return out;
}

template <class Enum>
Enum parse_enum_or_throw(const pqxx::field& f, const char* column) {
  auto text = f.as<std::string>();
  auto v = enum_from_string<Enum>(text);
  if (!v)
    throw std::runtime_error("unknown value '" + text + "' in " + column);
  return *v;
}

fixed fixed_of(const pqxx::field& f) {
  return fixed::from_raw(f.as<int64_t>());
}

/// The scalar columns of an equity snapshot, in the order snapshot_of reads them.
constexpr const char* snapshot_select =
  "SELECT ts_ms, cash_e8, equity_e8, realized_pnl_e8, unrealized_pnl_e8, fees_paid_e8,"
  " high_water_mark_e8, drawdown_pct_e8, day_start_equity_e8 FROM equity_snapshots";

/// The snapshot in a row of a snapshot_select query (positions/open_orders empty).
account_snapshot snapshot_of(const pqxx::row& r) {
  account_snapshot s;
  s.ts_ms = r[0].as<int64_t>();
  s.cash = fixed_of(r[1]);
  s.equity = fixed_of(r[2]);
  s.realized_pnl = fixed_of(r[3]);
  s.unrealized_pnl = fixed_of(r[4]);
  s.fees_paid = fixed_of(r[5]);
  s.high_water_mark = fixed_of(r[6]);
  s.drawdown_pct = fixed_of(r[7]);
  s.day_start_equity = fixed_of(r[8]);
  return s;
}

class postgres_store final : public store {
public:
  explicit postgres_store(std::unique_ptr<pg::pool> p) : pool_(std::move(p)) {}

  store_result<int> schema_version() override {
    return with("schema_version", [](pqxx::connection& c) { return pg::read_version(c); });
  }

  store_status write_batch(const store_batch& b) override {
    if (b.empty())
      return store_status::ok();
    auto r = with("write_batch", [&](pqxx::connection& c) {
      pqxx::work tx{c};
      write_all(tx, b);
      tx.commit();
      return true;
    });
    return r ? store_status::ok() : r.status();
  }

  store_status write_outbox(const std::vector<approved_order>& approved,
                            const std::vector<trading_state_record>& states, int64_t now_ms) override {
    if (approved.empty() && states.empty())
      return store_status::ok();
    auto r = with("write_outbox", [&](pqxx::connection& c) {
      pqxx::work tx{c};
      write_trading_states(tx, states, now_ms);
      if (!approved.empty())
        write_outbox_rows(tx, approved, now_ms);
      tx.commit();
      return true;
    });
    return r ? store_status::ok() : r.status();
  }

  store_result<std::vector<trading_state_record>> list_trading_states() override {
    return read("list_trading_states",
                "SELECT scope, state, cause, since_ts_ms, day_start_equity_e8, utc_day, detail, updated_ts_ms"
                " FROM trading_states ORDER BY since_ts_ms, scope",
                [](const pqxx::result& rows) {
                  std::vector<trading_state_record> out;
                  for (const auto& r : rows) {
                    trading_state_record t;
                    t.scope = r[0].as<std::string>();
                    t.state = parse_enum_or_throw<trading_state>(r[1], "trading_states.state");
                    t.cause = r[2].as<std::string>();
                    t.since_ts_ms = r[3].as<int64_t>();
                    t.day_start_equity = fixed::from_raw(r[4].as<int64_t>());
                    t.utc_day = r[5].as<int64_t>();
                    t.detail = r[6].as<std::string>();
                    t.updated_ts_ms = r[7].as<int64_t>();
                    out.push_back(std::move(t));
                  }
                  return out;
                });
  }

  store_result<std::vector<order_intent>> unacked_outbox() override {
    return read("unacked_outbox",
                "SELECT client_order_id, payload FROM outbox WHERE acked_ts_ms IS NULL"
                " ORDER BY created_ts_ms, client_order_id",
                [](const pqxx::result& rows) {
                  std::vector<order_intent> out;
                  for (const auto& r : rows) {
                    auto intent = json::from_json<order_intent>(r[1].as<std::string>());
                    if (!intent)
                      throw std::runtime_error("outbox row '" + r[0].as<std::string>() +
                                               "' holds an undecodable intent: " + intent.error().message());
                    out.push_back(std::move(intent.value()));
                  }
                  return out;
                });
  }

  store_status mark_outbox_sent(const std::vector<std::string>& cids, int64_t now_ms) override {
    if (cids.empty())
      return store_status::ok();
    auto r = with("mark_outbox_sent", [&](pqxx::connection& c) {
      pqxx::work tx{c};
      std::string list;
      for (const auto& cid : cids)
        list += (list.empty() ? "" : ",") + tx.quote(cid);
      tx.exec0("UPDATE outbox SET sent_ts_ms = " + std::to_string(now_ms) +
               " WHERE acked_ts_ms IS NULL AND client_order_id IN (" + list + ")");
      tx.commit();
      return true;
    });
    return r ? store_status::ok() : r.status();
  }

  store_status append_audit(const audit_record& a) override {
    auto r = with("append_audit", [&](pqxx::connection& c) {
      pqxx::work tx{c};
      row_builder row{tx};
      row << a.ts_ms << a.actor << a.action << a.target << a.detail;
      tx.exec0("INSERT INTO audit_log (ts_ms, operator, action, target, detail) VALUES " + row.done());
      tx.commit();
      return true;
    });
    return r ? store_status::ok() : r.status();
  }

  store_result<std::vector<audit_record>> query_audit(int64_t from_ts_ms, int64_t to_ts_ms, size_t limit) override {
    auto sql = "SELECT ts_ms, operator, action, target, detail FROM audit_log WHERE ts_ms BETWEEN " +
               std::to_string(from_ts_ms) + " AND " + std::to_string(to_ts_ms) +
               " ORDER BY ts_ms DESC, id DESC LIMIT " + std::to_string(std::max<size_t>(limit, 1));
    return read("query_audit", sql.c_str(), [](const pqxx::result& rows) {
      std::vector<audit_record> out;
      for (const auto& r : rows)
        out.push_back(audit_record{r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(),
                                   r[3].as<std::string>(), r[4].as<std::string>()});
      return out;
    });
  }

  store_result<outbox_counts> count_outbox() override {
    return read("count_outbox", "SELECT COUNT(*), COUNT(*) - COUNT(acked_ts_ms) FROM outbox",
                [](const pqxx::result& rows) {
                  return outbox_counts{rows[0][0].as<int64_t>(), rows[0][1].as<int64_t>()};
                });
  }

  store_result<std::map<order_status, int64_t>> count_orders_by_status() override {
    return read("count_orders_by_status", "SELECT status, COUNT(*) FROM orders GROUP BY status",
                [](const pqxx::result& rows) {
                  std::map<order_status, int64_t> out;
                  for (const auto& r : rows)
                    out[parse_enum_or_throw<order_status>(r[0], "orders.status")] =
                      r[1].as<int64_t>();
                  return out;
                });
  }

  store_result<int64_t> count_fills() override {
    return read("count_fills", "SELECT COUNT(*) FROM fills",
                [](const pqxx::result& rows) { return rows[0][0].as<int64_t>(); });
  }

  store_result<std::vector<order>> list_orders() override {
    return read("list_orders",
                "SELECT client_order_id, strategy_id, symbol, side, type, qty_e8,"
                " limit_price_e8, reduce_only, status, filled_qty_e8, avg_fill_price_e8,"
                " created_ts_ms, updated_ts_ms, reject_reason FROM orders"
                " ORDER BY created_ts_ms, client_order_id",
                [](const pqxx::result& rows) {
                  std::vector<order> out;
                  for (const auto& r : rows) {
                    order o;
                    o.client_order_id = r[0].as<std::string>();
                    o.strategy_id = r[1].as<std::string>();
                    o.symbol = r[2].as<std::string>();
                    o.order_side = parse_enum_or_throw<side>(r[3], "orders.side");
                    o.type = parse_enum_or_throw<order_type>(r[4], "orders.type");
                    o.qty = fixed_of(r[5]);
                    o.limit_price = fixed_of(r[6]);
                    o.reduce_only = r[7].as<bool>();
                    o.status = parse_enum_or_throw<order_status>(r[8], "orders.status");
                    o.filled_qty = fixed_of(r[9]);
                    o.avg_fill_price = fixed_of(r[10]);
                    o.created_ts_ms = r[11].as<int64_t>();
                    o.updated_ts_ms = r[12].as<int64_t>();
                    o.reject_reason = r[13].as<std::string>();
                    out.push_back(std::move(o));
                  }
                  return out;
                });
  }

  store_result<std::vector<fill>> list_fills() override {
    return read("list_fills",
                "SELECT fill_id, client_order_id, strategy_id, symbol, side, price_e8, qty_e8,"
                " fee_e8, ts_ms FROM fills ORDER BY ts_ms, seq",
                [](const pqxx::result& rows) {
                  std::vector<fill> out;
                  for (const auto& r : rows) {
                    fill f;
                    f.fill_id = r[0].as<std::string>();
                    f.client_order_id = r[1].as<std::string>();
                    f.strategy_id = r[2].as<std::string>();
                    f.symbol = r[3].as<std::string>();
                    f.order_side = parse_enum_or_throw<side>(r[4], "fills.side");
                    f.price = fixed_of(r[5]);
                    f.qty = fixed_of(r[6]);
                    f.fee = fixed_of(r[7]);
                    f.ts_ms = r[8].as<int64_t>();
                    out.push_back(std::move(f));
                  }
                  return out;
                });
  }

  store_result<std::vector<risk_decision>> list_decisions() override {
    return read("list_decisions",
                "SELECT client_order_id, strategy_id, symbol, approved, reason, detail, ts_ms"
                " FROM risk_decisions ORDER BY ts_ms, client_order_id",
                [](const pqxx::result& rows) {
                  std::vector<risk_decision> out;
                  for (const auto& r : rows) {
                    risk_decision d;
                    d.client_order_id = r[0].as<std::string>();
                    d.strategy_id = r[1].as<std::string>();
                    d.symbol = r[2].as<std::string>();
                    d.approved = r[3].as<bool>();
                    d.reason = parse_enum_or_throw<deny_reason>(r[4], "risk_decisions.reason");
                    d.detail = r[5].as<std::string>();
                    d.ts_ms = r[6].as<int64_t>();
                    out.push_back(std::move(d));
                  }
                  return out;
                });
  }

  store_result<std::vector<position_update>> list_positions() override {
    return read("list_positions",
                "SELECT symbol, qty_e8, avg_entry_price_e8, last_price_e8, realized_pnl_e8,"
                " unrealized_pnl_e8, ts_ms FROM positions ORDER BY symbol",
                [](const pqxx::result& rows) {
                  std::vector<position_update> out;
                  for (const auto& r : rows) {
                    position_update p;
                    p.symbol = r[0].as<std::string>();
                    p.qty = fixed_of(r[1]);
                    p.avg_entry_price = fixed_of(r[2]);
                    p.last_price = fixed_of(r[3]);
                    p.realized_pnl = fixed_of(r[4]);
                    p.unrealized_pnl = fixed_of(r[5]);
                    p.ts_ms = r[6].as<int64_t>();
                    out.push_back(std::move(p));
                  }
                  return out;
                });
  }

  store_result<std::vector<account_snapshot>> list_snapshots(int64_t from_ts_ms, int64_t to_ts_ms) override {
    // Integers only: formatting them into the statement is safe.
    auto sql = std::string{snapshot_select} + " WHERE ts_ms >= " + std::to_string(from_ts_ms) +
               " AND ts_ms <= " + std::to_string(to_ts_ms) + " ORDER BY ts_ms";
    return read("list_snapshots", sql.c_str(), [](const pqxx::result& rows) {
      std::vector<account_snapshot> out;
      for (const auto& r : rows)
        out.push_back(snapshot_of(r));
      return out;
    });
  }

  store_result<std::optional<account_snapshot>> last_snapshot() override {
    auto sql = std::string{snapshot_select} + " ORDER BY ts_ms DESC LIMIT 1";
    return read("last_snapshot", sql.c_str(),
                [](const pqxx::result& rows) {
                  if (rows.empty())
                    return std::optional<account_snapshot>{};
                  return std::optional<account_snapshot>{snapshot_of(rows[0])};
                });
  }

  store_result<fixed> max_drawdown_pct() override {
    return read("max_drawdown_pct",
                "SELECT COALESCE(MAX(drawdown_pct_e8), 0) FROM equity_snapshots",
                [](const pqxx::result& rows) { return fixed_of(rows[0][0]); });
  }

  store_result<std::map<deny_reason, int64_t>> count_denials_by_reason() override {
    return read("count_denials_by_reason",
                "SELECT reason, COUNT(*) FROM risk_decisions WHERE NOT approved GROUP BY reason",
                [](const pqxx::result& rows) {
                  std::map<deny_reason, int64_t> out;
                  for (const auto& r : rows)
                    out[parse_enum_or_throw<deny_reason>(r[0], "risk_decisions.reason")] =
                      r[1].as<int64_t>();
                  return out;
                });
  }

  store_result<std::vector<alert>> list_alerts() override {
    return read("list_alerts", "SELECT level, code, source, message, ts_ms FROM alerts ORDER BY id",
                [](const pqxx::result& rows) {
                  std::vector<alert> out;
                  for (const auto& r : rows) {
                    alert a;
                    a.level = parse_enum_or_throw<severity>(r[0], "alerts.level");
                    a.code = r[1].as<std::string>();
                    a.source = r[2].as<std::string>();
                    a.message = r[3].as<std::string>();
                    a.ts_ms = r[4].as<int64_t>();
                    out.push_back(std::move(a));
                  }
                  return out;
                });
  }

  store_result<std::vector<order_event>> list_order_events(const std::string& cid) override {
    return with("list_order_events", [&](pqxx::connection& c) {
      pqxx::read_transaction tx{c};
      auto rows = tx.exec("SELECT client_order_id, status, filled_qty_e8, avg_fill_price_e8,"
                          " ts_ms, reject_reason FROM order_events WHERE client_order_id = " +
                          tx.quote(cid) + " ORDER BY ts_ms, id");
      std::vector<order_event> out;
      for (const auto& r : rows) {
        order_event e;
        e.client_order_id = r[0].as<std::string>();
        e.status = parse_enum_or_throw<order_status>(r[1], "order_events.status");
        e.filled_qty = fixed_of(r[2]);
        e.avg_fill_price = fixed_of(r[3]);
        e.ts_ms = r[4].as<int64_t>();
        e.reject_reason = r[5].as<std::string>();
        out.push_back(std::move(e));
      }
      return out;
    });
  }

private:
  /// Runs `fn` on a pooled connection; any exception becomes an error naming `what`. A
  /// lost connection is dropped from the pool (the next call reconnects with back-off).
  template <class F>
  auto with(const char* what, F&& fn) -> store_result<decltype(fn(std::declval<pqxx::connection&>()))> {
    auto lease = pool_->acquire();
    if (!lease)
      return lease.status();
    auto& l = lease.value();
    try {
      return fn(*l);
    } catch (const pqxx::broken_connection& e) {
      l.mark_broken();
      return fail(what, std::string{"connection lost: "} + e.what());
    } catch (const pqxx::in_doubt_error& e) {
      l.mark_broken();
      return fail(what, std::string{"commit outcome unknown: "} + e.what());
    } catch (const std::exception& e) {
      if (!l->is_open())
        l.mark_broken();
      return fail(what, e.what());
    }
  }

  template <class F>
  auto read(const char* what, const char* sql, F&& decode)
    -> store_result<decltype(decode(std::declval<const pqxx::result&>()))> {
    return with(what, [&](pqxx::connection& c) {
      pqxx::read_transaction tx{c};
      return decode(tx.exec(sql));
    });
  }

  store_status fail(const char* what, const std::string& message) const {
    return store_status::error(pool_->shown_url() + ": " + what + ": " + pool_->clean(message));
  }

  /// One upsert per scope; a row is replaced only by a change that is not older.
  static void write_trading_states(pqxx::work& tx, const std::vector<trading_state_record>& states,
                                   int64_t now_ms) {
    for (const auto& t : states) {
      row_builder r{tx};
      r << t.scope << to_string(t.state) << t.cause << t.since_ts_ms << t.day_start_equity << t.utc_day
        << t.detail << now_ms;
      tx.exec0("INSERT INTO trading_states (scope, state, cause, since_ts_ms, day_start_equity_e8, utc_day,"
               " detail, updated_ts_ms) VALUES " + r.done() +
               " ON CONFLICT (scope) DO UPDATE SET state = excluded.state, cause = excluded.cause,"
               " since_ts_ms = excluded.since_ts_ms, day_start_equity_e8 = excluded.day_start_equity_e8,"
               " utc_day = excluded.utc_day,"
               " detail = excluded.detail, updated_ts_ms = excluded.updated_ts_ms"
               " WHERE excluded.since_ts_ms >= trading_states.since_ts_ms");
    }
  }

  /// Order rows first (ON CONFLICT DO NOTHING … RETURNING): only the orders this call
  /// created get their first event, decision and outbox row; known ids are replays.
  static void write_outbox_rows(pqxx::work& tx, const std::vector<approved_order>& approved, int64_t now_ms) {
    std::string values;
    for (const auto& a : approved) {
      auto o = order_from_intent(a.intent, a.intent.ts_ms);
      row_builder r{tx};
      order_row(r, o);
      values += (values.empty() ? "" : ",") + r.done();
    }
    std::set<std::string> created;
    for (const auto& row : tx.exec(std::string{order_columns} + values + on_conflict_do_nothing +
                                   " RETURNING client_order_id"))
      created.insert(row[0].as<std::string>());
    std::vector<approved_order> fresh;
    for (const auto& a : approved)
      if (created.erase(a.intent.client_order_id) == 1)
        fresh.push_back(a);
    insert_rows(tx, order_event_columns, order_event_conflict, fresh, [](row_builder& r, const approved_order& a) {
      order_event_row(r, order_from_intent(a.intent, a.intent.ts_ms));
    });
    insert_rows(tx, decision_columns, decision_conflict, fresh,
                [](row_builder& r, const approved_order& a) { decision_row(r, a.decision); });
    insert_rows(tx, outbox_columns, on_conflict_do_nothing, fresh, [now_ms](row_builder& r, const approved_order& a) {
      r << a.intent.client_order_id << json::to_json(a.intent) << now_ms << now_ms;
    });
  }

  /// The executor's first update other than new_order acknowledges the outbox row.
  static void ack_outbox(pqxx::work& tx, const std::vector<order>& updates) {
    std::map<std::string, int64_t> first_ack;
    for (const auto& o : updates)
      if (o.status != order_status::new_order) {
        auto [it, fresh] = first_ack.emplace(o.client_order_id, o.updated_ts_ms);
        if (!fresh)
          it->second = std::min(it->second, o.updated_ts_ms);
      }
    if (first_ack.empty())
      return;
    std::string values;
    for (const auto& [cid, ts] : first_ack)
      values += (values.empty() ? "(" : ",(") + tx.quote(cid) + "," + std::to_string(ts) + "::BIGINT)";
    tx.exec0("UPDATE outbox SET acked_ts_ms = v.ts FROM (VALUES " + values +
             ") AS v(cid, ts) WHERE outbox.client_order_id = v.cid AND outbox.acked_ts_ms IS NULL");
  }

  static void write_all(pqxx::work& tx, const store_batch& b) {
    auto order_wins = [](const order& x, const order& kept) {
      return x.updated_ts_ms > kept.updated_ts_ms ||
             (x.updated_ts_ms == kept.updated_ts_ms && status_rank(x.status) >= status_rank(kept.status));
    };
    auto orders = winners(b.orders, [](const order& o) { return o.client_order_id; }, order_wins);
    insert_rows(tx, order_columns, order_conflict, orders, order_row);
    insert_rows(tx, order_event_columns, order_event_conflict, b.orders, order_event_row);
    ack_outbox(tx, b.orders);
    insert_rows(tx, fill_columns, fill_conflict, b.fills, [](row_builder& r, const fill& f) {
      r << f.fill_id << f.client_order_id << f.strategy_id << f.symbol << to_string(f.order_side)
        << f.price << f.qty << f.fee << f.ts_ms;
    });
    insert_rows(tx, decision_columns, decision_conflict, b.decisions, decision_row);
    auto positions = winners(
      b.positions, [](const position_update& p) { return p.symbol; },
      [](const position_update& x, const position_update& kept) { return x.ts_ms >= kept.ts_ms; });
    insert_rows(tx, position_columns, position_conflict, positions,
                [](row_builder& r, const position_update& p) {
                  r << p.symbol << p.qty << p.avg_entry_price << p.last_price << p.realized_pnl
                    << p.unrealized_pnl << p.ts_ms;
                });
    auto snapshots = winners(
      b.snapshots, [](const account_snapshot& s) { return std::to_string(s.ts_ms); },
      [](const account_snapshot&, const account_snapshot&) { return true; });
    insert_rows(tx, snapshot_columns, snapshot_conflict, snapshots,
                [](row_builder& r, const account_snapshot& s) {
                  r << s.ts_ms << s.cash << s.equity << s.realized_pnl << s.unrealized_pnl
                    << s.fees_paid << s.high_water_mark << s.drawdown_pct << s.day_start_equity;
                });
    insert_rows(tx, alert_columns, "", b.alerts, [](row_builder& r, const alert& a) {
      r << to_string(a.level) << a.code << a.source << a.message << a.ts_ms;
    });
  }

  std::unique_ptr<pg::pool> pool_;
};

/// Runs `fn` on a fresh single connection (the db command and open checks).
template <class F>
auto with_one_connection(const store_config& cfg, const char* what, F&& fn)
  -> store_result<decltype(fn(std::declval<pqxx::connection&>()))> {
  pg::pool p{cfg};
  auto lease = p.acquire();
  if (!lease)
    return lease.status();
  try {
    return fn(*lease.value());
  } catch (const std::exception& e) {
    return store_status::error(p.shown_url() + ": " + what + ": " + p.clean(e.what()));
  }
}

} // namespace

store_result<schema_status> read_postgres_schema_status(const store_config& cfg) {
  return with_one_connection(cfg, "cannot read the schema version", [](pqxx::connection& c) {
    return schema_status{pg::read_version(c), pg::latest_schema_version()};
  });
}

store_result<schema_status> migrate_postgres_store(const store_config& cfg, int target_version) {
  return with_one_connection(cfg, "cannot migrate", [&](pqxx::connection& c) {
    return schema_status{pg::migrate(c, target_version), pg::latest_schema_version()};
  });
}

store_result<std::unique_ptr<store>> open_postgres_store(const store_config& cfg) {
  auto p = std::make_unique<pg::pool>(cfg);
  int version = 0;
  {
    auto lease = p->acquire(); // fails now on a bad host, port or credentials
    if (!lease)
      return lease.status();
    try {
      version = pg::read_version(*lease.value());
    } catch (const std::exception& e) {
      return store_status::error(p->shown_url() + ": cannot read the schema version: " +
                                 p->clean(e.what()));
    }
  }
  int latest = pg::latest_schema_version();
  if (version > latest)
    return store_status::error(p->shown_url() + ": database schema version " +
                               std::to_string(version) + " is newer than this build supports (" +
                               std::to_string(latest) +
                               "); upgrade Tradewind or use another database");
  if (version < latest)
    return store_status::error(
      p->shown_url() + ": database schema version " + std::to_string(version) +
      " is older than this build needs (" + std::to_string(latest) +
      "); run `tradewind db migrate` with the same store url first");
  return std::unique_ptr<store>{std::make_unique<postgres_store>(std::move(p))};
}

} // namespace tradewind
