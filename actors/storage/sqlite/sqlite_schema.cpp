#include "actors/storage/sqlite/sqlite_schema.hpp"

#include <chrono>
#include <vector>

#include "actors/storage/sqlite/sqlite_raii.hpp"

namespace tradewind::sqlite {

namespace {

/// One step of the schema history. Never edit a released migration: append a new one.
struct migration {
  int version;
  const char* sql;
};

// Representation (chosen for exactness and cheap comparisons):
// - every fixed-point value (price, qty, money, percent) is an INTEGER holding the raw
//   count of 1e-8 units; such columns end in `_e8` (12.5 is stored as 1250000000);
// - enums are TEXT with their stable names (schemas/enums.hpp to_string);
// - times are INTEGER Unix milliseconds (`_ms`), booleans INTEGER 0/1.
// `status_rank` orders order statuses (new 0, accepted 1, partially_filled 2, terminal 3)
// so an out-of-date update never overwrites a newer one.
const std::vector<migration>& migrations() {
  static const std::vector<migration> all{
    {1, R"sql(
CREATE TABLE orders (
  client_order_id    TEXT PRIMARY KEY,
  strategy_id        TEXT NOT NULL,
  symbol             TEXT NOT NULL,
  side               TEXT NOT NULL,
  type               TEXT NOT NULL,
  qty_e8             INTEGER NOT NULL,
  limit_price_e8     INTEGER NOT NULL,
  reduce_only        INTEGER NOT NULL,
  status             TEXT NOT NULL,
  status_rank        INTEGER NOT NULL,
  filled_qty_e8      INTEGER NOT NULL,
  avg_fill_price_e8  INTEGER NOT NULL,
  created_ts_ms      INTEGER NOT NULL,
  updated_ts_ms      INTEGER NOT NULL,
  reject_reason      TEXT NOT NULL
);
CREATE INDEX orders_by_created ON orders (created_ts_ms, client_order_id);
CREATE INDEX orders_by_status ON orders (status);

CREATE TABLE fills (
  fill_id          TEXT PRIMARY KEY,
  client_order_id  TEXT NOT NULL,
  strategy_id      TEXT NOT NULL,
  symbol           TEXT NOT NULL,
  side             TEXT NOT NULL,
  price_e8         INTEGER NOT NULL,
  qty_e8           INTEGER NOT NULL,
  fee_e8           INTEGER NOT NULL,
  ts_ms            INTEGER NOT NULL
);
CREATE INDEX fills_by_ts ON fills (ts_ms);
CREATE INDEX fills_by_order ON fills (client_order_id);

CREATE TABLE risk_decisions (
  client_order_id  TEXT PRIMARY KEY,
  strategy_id      TEXT NOT NULL,
  symbol           TEXT NOT NULL,
  approved         INTEGER NOT NULL,
  reason           TEXT NOT NULL,
  detail           TEXT NOT NULL,
  ts_ms            INTEGER NOT NULL
);

CREATE TABLE positions (
  symbol              TEXT PRIMARY KEY,
  qty_e8              INTEGER NOT NULL,
  avg_entry_price_e8  INTEGER NOT NULL,
  last_price_e8       INTEGER NOT NULL,
  realized_pnl_e8     INTEGER NOT NULL,
  unrealized_pnl_e8   INTEGER NOT NULL,
  ts_ms               INTEGER NOT NULL
);

CREATE TABLE equity_snapshots (
  ts_ms               INTEGER PRIMARY KEY,
  cash_e8             INTEGER NOT NULL,
  equity_e8           INTEGER NOT NULL,
  realized_pnl_e8     INTEGER NOT NULL,
  unrealized_pnl_e8   INTEGER NOT NULL,
  fees_paid_e8        INTEGER NOT NULL,
  high_water_mark_e8  INTEGER NOT NULL,
  drawdown_pct_e8     INTEGER NOT NULL,
  day_start_equity_e8 INTEGER NOT NULL
);

CREATE TABLE alerts (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  level    TEXT NOT NULL,
  code     TEXT NOT NULL,
  source   TEXT NOT NULL,
  message  TEXT NOT NULL,
  ts_ms    INTEGER NOT NULL
);
)sql"},
    // v2: every order state change, strategies, risk events, operator audit log and the
    // order outbox (intent written with its order row before it is sent to an executor).
    {2, R"sql(
CREATE TABLE order_events (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  client_order_id    TEXT NOT NULL,
  status             TEXT NOT NULL,
  filled_qty_e8      INTEGER NOT NULL,
  avg_fill_price_e8  INTEGER NOT NULL,
  ts_ms              INTEGER NOT NULL,
  reject_reason      TEXT NOT NULL,
  UNIQUE (client_order_id, ts_ms, status, filled_qty_e8)
);

CREATE TABLE strategies (
  strategy_id    TEXT PRIMARY KEY,
  type           TEXT NOT NULL,
  config_json    TEXT NOT NULL,
  enabled        INTEGER NOT NULL,
  updated_ts_ms  INTEGER NOT NULL
);

CREATE TABLE risk_events (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  code    TEXT NOT NULL,
  state   TEXT NOT NULL,
  detail  TEXT NOT NULL,
  ts_ms   INTEGER NOT NULL
);
CREATE INDEX risk_events_by_ts ON risk_events (ts_ms);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  ts_ms     INTEGER NOT NULL,
  operator  TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT NOT NULL,
  detail    TEXT NOT NULL
);
CREATE INDEX audit_log_by_ts ON audit_log (ts_ms);

CREATE TABLE outbox (
  client_order_id  TEXT PRIMARY KEY,
  payload          TEXT NOT NULL,
  created_ts_ms    INTEGER NOT NULL,
  sent_ts_ms       INTEGER,
  acked_ts_ms      INTEGER
);
CREATE INDEX outbox_unacked ON outbox (created_ts_ms) WHERE acked_ts_ms IS NULL;

CREATE INDEX orders_by_symbol ON orders (symbol, created_ts_ms);
)sql"},
    // v3: the durable kill switch and breaker latches of the risk gate, one row per scope,
    // written in the same transaction as the decision that changed it.
    {3, R"sql(
CREATE TABLE trading_states (
  scope                TEXT PRIMARY KEY,
  state                TEXT NOT NULL,
  cause                TEXT NOT NULL,
  since_ts_ms          INTEGER NOT NULL,
  day_start_equity_e8  INTEGER NOT NULL,
  utc_day              INTEGER NOT NULL,
  detail               TEXT NOT NULL,
  updated_ts_ms        INTEGER NOT NULL
);
)sql"},
  };
  return all;
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

/// Current version: 0 for an empty database; -1 on error.
int current_version(sqlite3* db, std::string& error) {
  statement q;
  if (!statement::prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version", q, error))
    return -1;
  if (q.step() != SQLITE_ROW) {
    error = q.error();
    return -1;
  }
  return static_cast<int>(q.col_int(0));
}

bool apply(sqlite3* db, const migration& m, std::string& error) {
  if (!exec(db, "BEGIN IMMEDIATE", error))
    return false;
  // Another connection may have migrated while we waited for the write lock.
  int now = current_version(db, error);
  if (now < 0 || now >= m.version) {
    std::string ignored;
    exec(db, now < 0 ? "ROLLBACK" : "COMMIT", ignored);
    return now >= 0;
  }
  statement record;
  bool ok = exec(db, m.sql, error) &&
            statement::prepare(
              db, "INSERT INTO schema_version (version, applied_ts_ms) VALUES (?, ?)", record,
              error);
  if (ok) {
    record.bind_all(m.version, now_ms());
    ok = record.run();
    if (!ok)
      error = record.error();
  }
  std::string ignored;
  if (!ok) {
    exec(db, "ROLLBACK", ignored);
    error = "migration to version " + std::to_string(m.version) + " failed: " + error;
    return false;
  }
  return exec(db, "COMMIT", error);
}

} // namespace

int latest_schema_version() {
  return migrations().back().version;
}

int read_version(sqlite3* db, std::string& error) {
  statement q;
  if (!statement::prepare(db,
                          "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                          " AND name = 'schema_version'",
                          q, error))
    return -1;
  if (q.step() != SQLITE_ROW) {
    error = q.error();
    return -1;
  }
  return q.col_int(0) == 0 ? 0 : current_version(db, error);
}

int migrate(sqlite3* db, std::string& error, int target) {
  if (target <= 0)
    target = latest_schema_version();
  if (!exec(db,
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, applied_ts_ms INTEGER NOT NULL)",
            error))
    return -1;
  int version = current_version(db, error);
  if (version < 0)
    return -1;
  if (version > latest_schema_version()) {
    error = "database schema version " + std::to_string(version) +
            " is newer than this build supports (" + std::to_string(latest_schema_version()) +
            "); upgrade Tradewind or use another database";
    return -1;
  }
  if (version > target) {
    error = "database schema version " + std::to_string(version) +
            " is newer than the requested version " + std::to_string(target);
    return -1;
  }
  for (const auto& m : migrations()) {
    if (m.version <= version || m.version > target)
      continue;
    if (!apply(db, m, error))
      return -1;
    version = m.version;
  }
  return version;
}

} // namespace tradewind::sqlite
