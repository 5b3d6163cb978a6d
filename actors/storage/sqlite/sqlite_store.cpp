#include "actors/storage/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "actors/storage/sqlite/sqlite_raii.hpp"
#include "actors/storage/sqlite/sqlite_schema.hpp"
#include "schemas/json/codec.hpp"

namespace tradewind {

namespace {

using sqlite::statement;

/// Rank of an order status: a stored order is only replaced by a newer or equally recent
/// update whose status is at least as advanced (terminal states share the top rank).
int status_rank(order_status s) {
  switch (s) {
    case order_status::new_order: return 0;
    case order_status::accepted: return 1;
    case order_status::partially_filled: return 2;
    default: return 3;
  }
}

constexpr const char* upsert_order_sql = R"sql(
INSERT INTO orders (client_order_id, strategy_id, symbol, side, type, qty_e8, limit_price_e8,
  reduce_only, status, status_rank, filled_qty_e8, avg_fill_price_e8, created_ts_ms,
  updated_ts_ms, reject_reason)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
ON CONFLICT (client_order_id) DO UPDATE SET
  qty_e8 = excluded.qty_e8, limit_price_e8 = excluded.limit_price_e8,
  status = excluded.status, status_rank = excluded.status_rank,
  filled_qty_e8 = excluded.filled_qty_e8, avg_fill_price_e8 = excluded.avg_fill_price_e8,
  updated_ts_ms = excluded.updated_ts_ms, reject_reason = excluded.reject_reason
WHERE excluded.updated_ts_ms > orders.updated_ts_ms
   OR (excluded.updated_ts_ms = orders.updated_ts_ms AND excluded.status_rank >= orders.status_rank)
)sql";

constexpr const char* insert_new_order_sql = R"sql(
INSERT INTO orders (client_order_id, strategy_id, symbol, side, type, qty_e8, limit_price_e8,
  reduce_only, status, status_rank, filled_qty_e8, avg_fill_price_e8, created_ts_ms,
  updated_ts_ms, reject_reason)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
ON CONFLICT (client_order_id) DO NOTHING
)sql";

constexpr const char* insert_outbox_sql = R"sql(
INSERT INTO outbox (client_order_id, payload, created_ts_ms, sent_ts_ms) VALUES (?, ?, ?, ?)
ON CONFLICT (client_order_id) DO NOTHING
)sql";

constexpr const char* ack_outbox_sql =
  "UPDATE outbox SET acked_ts_ms = ? WHERE client_order_id = ? AND acked_ts_ms IS NULL";

constexpr const char* mark_outbox_sent_sql =
  "UPDATE outbox SET sent_ts_ms = ? WHERE client_order_id = ? AND acked_ts_ms IS NULL";

constexpr const char* upsert_trading_state_sql = R"sql(
INSERT INTO trading_states (scope, state, cause, since_ts_ms, day_start_equity_e8, utc_day, detail,
  updated_ts_ms)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (scope) DO UPDATE SET state = excluded.state, cause = excluded.cause,
  since_ts_ms = excluded.since_ts_ms, day_start_equity_e8 = excluded.day_start_equity_e8,
  utc_day = excluded.utc_day,
  detail = excluded.detail, updated_ts_ms = excluded.updated_ts_ms
WHERE excluded.since_ts_ms >= trading_states.since_ts_ms
)sql";

constexpr const char* insert_order_event_sql = R"sql(
INSERT INTO order_events (client_order_id, status, filled_qty_e8, avg_fill_price_e8, ts_ms,
  reject_reason)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (client_order_id, ts_ms, status, filled_qty_e8) DO NOTHING
)sql";

constexpr const char* insert_fill_sql = R"sql(
INSERT INTO fills (fill_id, client_order_id, strategy_id, symbol, side, price_e8, qty_e8, fee_e8,
  ts_ms)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (fill_id) DO NOTHING
)sql";

constexpr const char* insert_decision_sql = R"sql(
INSERT INTO risk_decisions (client_order_id, strategy_id, symbol, approved, reason, detail, ts_ms)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (client_order_id) DO NOTHING
)sql";

constexpr const char* upsert_position_sql = R"sql(
INSERT INTO positions (symbol, qty_e8, avg_entry_price_e8, last_price_e8, realized_pnl_e8,
  unrealized_pnl_e8, ts_ms)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (symbol) DO UPDATE SET
  qty_e8 = excluded.qty_e8, avg_entry_price_e8 = excluded.avg_entry_price_e8,
  last_price_e8 = excluded.last_price_e8, realized_pnl_e8 = excluded.realized_pnl_e8,
  unrealized_pnl_e8 = excluded.unrealized_pnl_e8, ts_ms = excluded.ts_ms
WHERE excluded.ts_ms >= positions.ts_ms
)sql";

constexpr const char* upsert_snapshot_sql = R"sql(
INSERT INTO equity_snapshots (ts_ms, cash_e8, equity_e8, realized_pnl_e8, unrealized_pnl_e8,
  fees_paid_e8, high_water_mark_e8, drawdown_pct_e8, day_start_equity_e8)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (ts_ms) DO UPDATE SET
  cash_e8 = excluded.cash_e8, equity_e8 = excluded.equity_e8,
  realized_pnl_e8 = excluded.realized_pnl_e8, unrealized_pnl_e8 = excluded.unrealized_pnl_e8,
  fees_paid_e8 = excluded.fees_paid_e8, high_water_mark_e8 = excluded.high_water_mark_e8,
  drawdown_pct_e8 = excluded.drawdown_pct_e8, day_start_equity_e8 = excluded.day_start_equity_e8
)sql";

constexpr const char* insert_alert_sql = R"sql(
INSERT INTO alerts (level, code, source, message, ts_ms) VALUES (?, ?, ?, ?, ?)
)sql";

/// The scalar columns of an equity snapshot, in the order snapshot_of reads them.
constexpr const char* snapshot_select =
  "SELECT ts_ms, cash_e8, equity_e8, realized_pnl_e8, unrealized_pnl_e8, fees_paid_e8,"
  " high_water_mark_e8, drawdown_pct_e8, day_start_equity_e8 FROM equity_snapshots";

/// The snapshot on the current row of a snapshot_select query (positions/open_orders empty).
account_snapshot snapshot_of(const statement& q) {
  account_snapshot s;
  s.ts_ms = q.col_int(0);
  s.cash = q.col_fixed(1);
  s.equity = q.col_fixed(2);
  s.realized_pnl = q.col_fixed(3);
  s.unrealized_pnl = q.col_fixed(4);
  s.fees_paid = q.col_fixed(5);
  s.high_water_mark = q.col_fixed(6);
  s.drawdown_pct = q.col_fixed(7);
  s.day_start_equity = q.col_fixed(8);
  return s;
}

/// Binds the columns of upsert_order_sql / insert_new_order_sql.
void bind_order(statement& st, const order& o) {
  st.bind_all(o.client_order_id, o.strategy_id, o.symbol, to_string(o.order_side), to_string(o.type), o.qty,
              o.limit_price, o.reduce_only, to_string(o.status), status_rank(o.status), o.filled_qty,
              o.avg_fill_price, o.created_ts_ms, o.updated_ts_ms, o.reject_reason);
}

/// Binds the columns of insert_order_event_sql: the state change `o` describes.
void bind_order_event(statement& st, const order& o) {
  st.bind_all(o.client_order_id, to_string(o.status), o.filled_qty, o.avg_fill_price, o.updated_ts_ms,
              o.reject_reason);
}

void bind_decision(statement& st, const risk_decision& d) {
  st.bind_all(d.client_order_id, d.strategy_id, d.symbol, d.approved, to_string(d.reason), d.detail, d.ts_ms);
}

/// Parses an enum name read back from the database.
template <class Enum>
bool parse_enum(const std::string& text, Enum& out) {
  auto v = enum_from_string<Enum>(text);
  if (!v)
    return false;
  out = *v;
  return true;
}

class sqlite_store final : public store {
public:
  sqlite_store(std::string path, sqlite::db_handle db) : path_(std::move(path)), db_(std::move(db)) {}

  /// Sets pragmas, migrates and prepares the write statements; false with `error` set.
  bool init(std::string& error) {
    // WAL lets readers (the summary tool, tests) run while the writer commits;
    // synchronous=NORMAL is durable against process crashes, which is what we need.
    // Wait (up to 5 s) for a lock held by another connection instead of failing at once.
    sqlite3_busy_timeout(db_.get(), 5'000);
    if (!configure(error))
      return fail("cannot configure", error);
    if (sqlite::migrate(db_.get(), error) < 0)
      return fail("cannot migrate", error);
    return prepare(upsert_order_, upsert_order_sql, error) &&
           prepare(insert_order_event_, insert_order_event_sql, error) &&
           prepare(insert_fill_, insert_fill_sql, error) &&
           prepare(insert_decision_, insert_decision_sql, error) &&
           prepare(upsert_position_, upsert_position_sql, error) &&
           prepare(upsert_snapshot_, upsert_snapshot_sql, error) &&
           prepare(insert_alert_, insert_alert_sql, error) &&
           prepare(insert_new_order_, insert_new_order_sql, error) &&
           prepare(insert_outbox_, insert_outbox_sql, error) &&
           prepare(ack_outbox_, ack_outbox_sql, error) &&
           prepare(mark_outbox_sent_, mark_outbox_sent_sql, error) &&
           prepare(upsert_trading_state_, upsert_trading_state_sql, error) && prepare(begin_, "BEGIN", error) &&
           prepare(commit_, "COMMIT", error) && prepare(rollback_, "ROLLBACK", error);
  }

  store_result<int> schema_version() override {
    statement q;
    if (!open_query("SELECT COALESCE(MAX(version), 0) FROM schema_version", q))
      return query_error("schema_version", q);
    if (q.step() != SQLITE_ROW)
      return query_error("schema_version", q);
    return static_cast<int>(q.col_int(0));
  }

  store_status write_batch(const store_batch& b) override {
    if (b.empty())
      return store_status::ok();
    return in_transaction("write_batch", [&](std::string& what) { return write_all(b, what); });
  }

  store_status write_outbox(const std::vector<approved_order>& approved,
                            const std::vector<trading_state_record>& states, int64_t now_ms) override {
    if (approved.empty() && states.empty())
      return store_status::ok();
    return in_transaction("write_outbox", [&](std::string& what) {
      for (const auto& t : states) {
        what = "trading state '" + t.scope + "'";
        upsert_trading_state_.bind_all(t.scope, to_string(t.state), t.cause, t.since_ts_ms,
                                       t.day_start_equity, t.utc_day, t.detail, now_ms);
        if (!upsert_trading_state_.run())
          return false;
      }
      for (const auto& a : approved)
        if (!write_outbox_row(a, now_ms, what))
          return false;
      return true;
    });
  }

  store_result<std::vector<trading_state_record>> list_trading_states() override {
    statement q;
    std::vector<trading_state_record> out;
    if (!open_query("SELECT scope, state, cause, since_ts_ms, day_start_equity_e8, utc_day, detail, updated_ts_ms"
                    " FROM trading_states ORDER BY since_ts_ms, scope",
                    q))
      return query_error("list_trading_states", q);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW)
        return query_error("list_trading_states", q);
      trading_state_record t;
      t.scope = q.col_text(0);
      if (!parse_enum(q.col_text(1), t.state))
        return corrupt("trading_states.state", q.col_text(1));
      t.cause = q.col_text(2);
      t.since_ts_ms = q.col_int(3);
      t.day_start_equity = q.col_fixed(4);
      t.utc_day = q.col_int(5);
      t.detail = q.col_text(6);
      t.updated_ts_ms = q.col_int(7);
      out.push_back(std::move(t));
    }
    return out;
  }

  store_result<std::vector<order_intent>> unacked_outbox() override {
    statement q;
    std::vector<order_intent> out;
    if (!open_query("SELECT client_order_id, payload FROM outbox WHERE acked_ts_ms IS NULL"
                    " ORDER BY created_ts_ms, client_order_id",
                    q))
      return query_error("unacked_outbox", q);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW)
        return query_error("unacked_outbox", q);
      auto intent = json::from_json<order_intent>(q.col_text(1));
      if (!intent)
        return store_status::error("sqlite:" + path_ + ": outbox row '" + q.col_text(0) +
                                   "' holds an undecodable intent: " + intent.error().message());
      out.push_back(std::move(intent.value()));
    }
    return out;
  }

  store_status mark_outbox_sent(const std::vector<std::string>& cids, int64_t now_ms) override {
    if (cids.empty())
      return store_status::ok();
    return in_transaction("mark_outbox_sent", [&](std::string& what) {
      for (const auto& cid : cids) {
        mark_outbox_sent_.bind_all(now_ms, cid);
        if (!mark_outbox_sent_.run()) {
          what = "outbox row '" + cid + "'";
          return false;
        }
      }
      return true;
    });
  }

  store_status append_audit(const audit_record& r) override {
    statement q;
    if (!open_query("INSERT INTO audit_log (ts_ms, operator, action, target, detail) VALUES (?, ?, ?, ?, ?)", q))
      return query_error("append_audit", q);
    q.bind_all(r.ts_ms, r.actor, r.action, r.target, r.detail);
    if (!q.run())
      return query_error("append_audit", q);
    return store_status::ok();
  }

  store_result<std::vector<audit_record>> query_audit(int64_t from_ts_ms, int64_t to_ts_ms, size_t limit) override {
    statement q;
    std::vector<audit_record> out;
    if (!open_query("SELECT ts_ms, operator, action, target, detail FROM audit_log"
                    " WHERE ts_ms BETWEEN ? AND ? ORDER BY ts_ms DESC, id DESC LIMIT ?",
                    q))
      return query_error("query_audit", q);
    q.bind_all(from_ts_ms, to_ts_ms, static_cast<int64_t>(std::max<size_t>(limit, 1)));
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW)
        return query_error("query_audit", q);
      out.push_back(audit_record{q.col_int(0), q.col_text(1), q.col_text(2), q.col_text(3), q.col_text(4)});
    }
    return out;
  }

  store_result<outbox_counts> count_outbox() override {
    statement q;
    if (!open_query("SELECT COUNT(*), COUNT(*) - COUNT(acked_ts_ms) FROM outbox", q) ||
        q.step() != SQLITE_ROW)
      return query_error("count_outbox", q);
    return outbox_counts{q.col_int(0), q.col_int(1)};
  }

  store_result<std::map<order_status, int64_t>> count_orders_by_status() override {
    statement q;
    std::map<order_status, int64_t> out;
    if (!open_query("SELECT status, COUNT(*) FROM orders GROUP BY status", q))
      return query_error("count_orders_by_status", q);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      order_status s{};
      if (rc != SQLITE_ROW)
        return query_error("count_orders_by_status", q);
      if (!parse_enum(q.col_text(0), s))
        return corrupt("orders.status", q.col_text(0));
      out[s] = q.col_int(1);
    }
    return out;
  }

  store_result<int64_t> count_fills() override {
    statement q;
    if (!open_query("SELECT COUNT(*) FROM fills", q) || q.step() != SQLITE_ROW)
      return query_error("count_fills", q);
    return q.col_int(0);
  }

  store_result<std::vector<order>> list_orders() override {
    statement q;
    std::vector<order> out;
    if (!open_query("SELECT client_order_id, strategy_id, symbol, side, type, qty_e8,"
                    " limit_price_e8, reduce_only, status, filled_qty_e8, avg_fill_price_e8,"
                    " created_ts_ms, updated_ts_ms, reject_reason FROM orders"
                    " ORDER BY created_ts_ms, client_order_id",
                    q))
      return query_error("list_orders", q);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW)
        return query_error("list_orders", q);
      order o;
      o.client_order_id = q.col_text(0);
      o.strategy_id = q.col_text(1);
      o.symbol = q.col_text(2);
      if (!parse_enum(q.col_text(3), o.order_side))
        return corrupt("orders.side", q.col_text(3));
      if (!parse_enum(q.col_text(4), o.type))
        return corrupt("orders.type", q.col_text(4));
      o.qty = q.col_fixed(5);
      o.limit_price = q.col_fixed(6);
      o.reduce_only = q.col_int(7) != 0;
      if (!parse_enum(q.col_text(8), o.status))
        return corrupt("orders.status", q.col_text(8));
      o.filled_qty = q.col_fixed(9);
      o.avg_fill_price = q.col_fixed(10);
      o.created_ts_ms = q.col_int(11);
      o.updated_ts_ms = q.col_int(12);
      o.reject_reason = q.col_text(13);
      out.push_back(std::move(o));
    }
    return out;
  }

  store_result<std::vector<fill>> list_fills() override {
    statement q;
    std::vector<fill> out;
    if (!open_query("SELECT fill_id, client_order_id, strategy_id, symbol, side, price_e8,"
                    " qty_e8, fee_e8, ts_ms FROM fills ORDER BY ts_ms, rowid",
                    q))
      return query_error("list_fills", q);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW)
        return query_error("list_fills", q);
      fill f;
      f.fill_id = q.col_text(0);
      f.client_order_id = q.col_text(1);
      f.strategy_id = q.col_text(2);
      f.symbol = q.col_text(3);
      if (!parse_enum(q.col_text(4), f.order_side))
        return corrupt("fills.side", q.col_text(4));
      f.price = q.col_fixed(5);
      f.qty = q.col_fixed(6);
      f.fee = q.col_fixed(7);
      f.ts_ms = q.col_int(8);
      out.push_back(std::move(f));
    }
    return out;
  }

  store_result<std::vector<risk_decision>> list_decisions() override {
    statement q;
    std::vector<risk_decision> out;
    if (!open_query("SELECT client_order_id, strategy_id, symbol, approved, reason, detail,"
                    " ts_ms FROM risk_decisions ORDER BY ts_ms, client_order_id",
                    q))
      return query_error("list_decisions", q);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW)
        return query_error("list_decisions", q);
      risk_decision d;
      d.client_order_id = q.col_text(0);
      d.strategy_id = q.col_text(1);
      d.symbol = q.col_text(2);
      d.approved = q.col_int(3) != 0;
      if (!parse_enum(q.col_text(4), d.reason))
        return corrupt("risk_decisions.reason", q.col_text(4));
      d.detail = q.col_text(5);
      d.ts_ms = q.col_int(6);
      out.push_back(std::move(d));
    }
    return out;
  }

  store_result<std::vector<position_update>> list_positions() override {
    statement q;
    std::vector<position_update> out;
    if (!open_query("SELECT symbol, qty_e8, avg_entry_price_e8, last_price_e8, realized_pnl_e8,"
                    " unrealized_pnl_e8, ts_ms FROM positions ORDER BY symbol",
                    q))
      return query_error("list_positions", q);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW)
        return query_error("list_positions", q);
      position_update p;
      p.symbol = q.col_text(0);
      p.qty = q.col_fixed(1);
      p.avg_entry_price = q.col_fixed(2);
      p.last_price = q.col_fixed(3);
      p.realized_pnl = q.col_fixed(4);
      p.unrealized_pnl = q.col_fixed(5);
      p.ts_ms = q.col_int(6);
      out.push_back(std::move(p));
    }
    return out;
  }

  store_result<std::vector<account_snapshot>> list_snapshots(int64_t from_ts_ms, int64_t to_ts_ms) override {
    statement q;
    std::vector<account_snapshot> out;
    if (!open_query((std::string{snapshot_select} + " WHERE ts_ms >= ? AND ts_ms <= ? ORDER BY ts_ms").c_str(), q))
      return query_error("list_snapshots", q);
    q.bind_all(from_ts_ms, to_ts_ms);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW)
        return query_error("list_snapshots", q);
      out.push_back(snapshot_of(q));
    }
    return out;
  }

  store_result<std::optional<account_snapshot>> last_snapshot() override {
    statement q;
    if (!open_query((std::string{snapshot_select} + " ORDER BY ts_ms DESC LIMIT 1").c_str(), q))
      return query_error("last_snapshot", q);
    int rc = q.step();
    if (rc == SQLITE_DONE)
      return std::optional<account_snapshot>{};
    if (rc != SQLITE_ROW)
      return query_error("last_snapshot", q);
    return std::optional<account_snapshot>{snapshot_of(q)};
  }

  store_result<fixed> max_drawdown_pct() override {
    statement q;
    if (!open_query("SELECT COALESCE(MAX(drawdown_pct_e8), 0) FROM equity_snapshots", q) ||
        q.step() != SQLITE_ROW)
      return query_error("max_drawdown_pct", q);
    return q.col_fixed(0);
  }

  store_result<std::map<deny_reason, int64_t>> count_denials_by_reason() override {
    statement q;
    std::map<deny_reason, int64_t> out;
    if (!open_query("SELECT reason, COUNT(*) FROM risk_decisions WHERE approved = 0"
                    " GROUP BY reason",
                    q))
      return query_error("count_denials_by_reason", q);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      deny_reason r{};
      if (rc != SQLITE_ROW)
        return query_error("count_denials_by_reason", q);
      if (!parse_enum(q.col_text(0), r))
        return corrupt("risk_decisions.reason", q.col_text(0));
      out[r] = q.col_int(1);
    }
    return out;
  }

  store_result<std::vector<alert>> list_alerts() override {
    statement q;
    std::vector<alert> out;
    if (!open_query("SELECT level, code, source, message, ts_ms FROM alerts ORDER BY id", q))
      return query_error("list_alerts", q);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW)
        return query_error("list_alerts", q);
      alert a;
      if (!parse_enum(q.col_text(0), a.level))
        return corrupt("alerts.level", q.col_text(0));
      a.code = q.col_text(1);
      a.source = q.col_text(2);
      a.message = q.col_text(3);
      a.ts_ms = q.col_int(4);
      out.push_back(std::move(a));
    }
    return out;
  }

  store_result<std::vector<order_event>> list_order_events(const std::string& cid) override {
    statement q;
    std::vector<order_event> out;
    if (!open_query("SELECT client_order_id, status, filled_qty_e8, avg_fill_price_e8, ts_ms,"
                    " reject_reason FROM order_events WHERE client_order_id = ?"
                    " ORDER BY ts_ms, id",
                    q))
      return query_error("list_order_events", q);
    q.bind_all(cid);
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW)
        return query_error("list_order_events", q);
      order_event e;
      e.client_order_id = q.col_text(0);
      if (!parse_enum(q.col_text(1), e.status))
        return corrupt("order_events.status", q.col_text(1));
      e.filled_qty = q.col_fixed(2);
      e.avg_fill_price = q.col_fixed(3);
      e.ts_ms = q.col_int(4);
      e.reject_reason = q.col_text(5);
      out.push_back(std::move(e));
    }
    return out;
  }

private:
  /// Runs `body` between BEGIN and COMMIT; on failure rolls back and names what failed.
  template <class Body>
  store_status in_transaction(const char* call, Body&& body) {
    if (!begin_.run())
      return error_status(std::string{call} + ": cannot begin", begin_.error());
    std::string what;
    if (!body(what)) {
      auto err = error_status(std::string{call} + ": " + what, last_error());
      rollback_.run();
      return err;
    }
    if (!commit_.run()) {
      auto err = error_status(std::string{call} + ": cannot commit", commit_.error());
      rollback_.run();
      return err;
    }
    return store_status::ok();
  }

  /// The order row, first event, decision and outbox row of one approved order, unless its
  /// client order id is already stored.
  bool write_outbox_row(const approved_order& a, int64_t now_ms, std::string& what) {
    auto o = order_from_intent(a.intent, a.intent.ts_ms);
    what = "outbox order '" + o.client_order_id + "'";
    bind_order(insert_new_order_, o);
    if (!insert_new_order_.run())
      return false;
    if (sqlite3_changes(db_.get()) == 0)
      return true; // known order: a replayed intent
    bind_order_event(insert_order_event_, o);
    const auto& d = a.decision;
    bind_decision(insert_decision_, d);
    insert_outbox_.bind_all(o.client_order_id, json::to_json(a.intent), now_ms, now_ms);
    return insert_order_event_.run() && insert_decision_.run() && insert_outbox_.run();
  }

  bool write_all(const store_batch& b, std::string& what) {
    for (const auto& o : b.orders) {
      bind_order(upsert_order_, o);
      if (!upsert_order_.run()) {
        what = "order '" + o.client_order_id + "'";
        return false;
      }
      bind_order_event(insert_order_event_, o);
      if (!insert_order_event_.run()) {
        what = "order event '" + o.client_order_id + "'";
        return false;
      }
      if (o.status == order_status::new_order)
        continue;
      ack_outbox_.bind_all(o.updated_ts_ms, o.client_order_id);
      if (!ack_outbox_.run()) {
        what = "outbox ack '" + o.client_order_id + "'";
        return false;
      }
    }
    for (const auto& f : b.fills) {
      insert_fill_.bind_all(f.fill_id, f.client_order_id, f.strategy_id, f.symbol,
                            to_string(f.order_side), f.price, f.qty, f.fee, f.ts_ms);
      if (!insert_fill_.run()) {
        what = "fill '" + f.fill_id + "'";
        return false;
      }
    }
    for (const auto& d : b.decisions) {
      bind_decision(insert_decision_, d);
      if (!insert_decision_.run()) {
        what = "risk decision '" + d.client_order_id + "'";
        return false;
      }
    }
    for (const auto& p : b.positions) {
      upsert_position_.bind_all(p.symbol, p.qty, p.avg_entry_price, p.last_price, p.realized_pnl,
                                p.unrealized_pnl, p.ts_ms);
      if (!upsert_position_.run()) {
        what = "position '" + p.symbol + "'";
        return false;
      }
    }
    for (const auto& s : b.snapshots) {
      upsert_snapshot_.bind_all(s.ts_ms, s.cash, s.equity, s.realized_pnl, s.unrealized_pnl,
                                s.fees_paid, s.high_water_mark, s.drawdown_pct,
                                s.day_start_equity);
      if (!upsert_snapshot_.run()) {
        what = "snapshot at " + std::to_string(s.ts_ms);
        return false;
      }
    }
    for (const auto& a : b.alerts) {
      insert_alert_.bind_all(to_string(a.level), a.code, a.source, a.message, a.ts_ms);
      if (!insert_alert_.run()) {
        what = "alert '" + a.code + "'";
        return false;
      }
    }
    return true;
  }

  /// Switching to WAL needs an exclusive lock and SQLite reports SQLITE_BUSY for it without
  /// calling the busy handler, so concurrent first opens of a file retry here (up to ~5 s).
  bool configure(std::string& error) {
    for (int attempt = 0;; ++attempt) {
      if (sqlite::exec(db_.get(), "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", error))
        return true;
      if ((sqlite3_errcode(db_.get()) & 0xff) != SQLITE_BUSY || attempt == 100)
        return false;
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
  }

  bool prepare(statement& s, const char* sql, std::string& error) {
    if (statement::prepare(db_.get(), sql, s, error))
      return true;
    return fail("cannot prepare statement", error);
  }

  bool open_query(const char* sql, statement& q) {
    std::string ignored; // reported by query_error through the connection
    return statement::prepare(db_.get(), sql, q, ignored);
  }

  std::string last_error() const { return sqlite::last_error(db_.get()); }

  store_status error_status(const std::string& what, const std::string& sqlite_msg) const {
    return store_status::error("sqlite:" + path_ + ": " + what + ": " + sqlite_msg);
  }

  store_status query_error(const char* what, const statement&) const {
    return error_status(what, last_error());
  }

  store_status corrupt(const char* column, const std::string& value) const {
    return store_status::error("sqlite:" + path_ + ": unknown value '" + value + "' in " +
                               column);
  }

  bool fail(const char* what, std::string& error) const {
    error = std::string{what} + ": " + error;
    return false;
  }

  std::string path_;
  sqlite::db_handle db_;
  statement upsert_order_;
  statement insert_order_event_;
  statement insert_fill_;
  statement insert_decision_;
  statement upsert_position_;
  statement upsert_snapshot_;
  statement insert_alert_;
  statement insert_new_order_;
  statement insert_outbox_;
  statement ack_outbox_;
  statement mark_outbox_sent_;
  statement upsert_trading_state_;
  statement begin_;
  statement commit_;
  statement rollback_;
};

} // namespace

namespace {

/// Opens `path` with `flags`; the handle, or an error prefixed with "sqlite:<path>: ".
store_result<std::shared_ptr<sqlite3>> open_raw(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::shared_ptr<sqlite3> db{raw, sqlite::db_closer{}};
  if (rc != SQLITE_OK)
    return store_status::error("sqlite:" + path + ": cannot open: " + sqlite::last_error(raw));
  sqlite3_busy_timeout(raw, 5'000);
  return db;
}

bool is_memory(const std::string& path) {
  return path == ":memory:";
}

} // namespace

store_result<schema_status> read_sqlite_schema_status(const std::string& path) {
  schema_status st;
  st.latest = sqlite::latest_schema_version();
  if (is_memory(path) || !std::filesystem::exists(path))
    return st; // nothing there yet: version 0, and no file is created by looking
  auto db = open_raw(path, SQLITE_OPEN_READONLY);
  if (!db)
    return db.status();
  std::string error;
  st.current = sqlite::read_version(db.value().get(), error);
  if (st.current < 0)
    return store_status::error("sqlite:" + path + ": cannot read the schema version: " + error);
  return st;
}

store_result<schema_status> migrate_sqlite_store(const std::string& path, int target_version) {
  auto db = open_raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db)
    return db.status();
  std::string error;
  schema_status st;
  st.latest = sqlite::latest_schema_version();
  st.current = sqlite::migrate(db.value().get(), error, target_version);
  if (st.current < 0)
    return store_status::error("sqlite:" + path + ": cannot migrate: " + error);
  return st;
}

store_result<std::unique_ptr<store>> open_sqlite_store(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                           nullptr);
  sqlite::db_handle db{raw};
  if (rc != SQLITE_OK)
    return store_status::error("sqlite:" + path + ": cannot open: " + sqlite::last_error(raw));
  sqlite3_extended_result_codes(raw, 1);
  std::string error;
  auto s = std::make_unique<sqlite_store>(path, std::move(db));
  if (!s->init(error))
    return store_status::error("sqlite:" + path + ": " + error);
  return std::unique_ptr<store>{std::move(s)};
}

} // namespace tradewind
