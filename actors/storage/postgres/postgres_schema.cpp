#include "actors/storage/postgres/postgres_schema.hpp"

#include <chrono>
#include <vector>

namespace tradewind::pg {

namespace {

/// One step of the schema history. Never edit a released migration: append a new one.
struct migration {
  int version;
  const char* sql;
};

// Representation (the same as the SQLite back end, so both compare exactly):
// fixed-point values are BIGINT raw counts of 1e-8 units (`_e8`), enums TEXT names, times
// BIGINT Unix ms. `seq`/`id` BIGSERIAL columns keep arrival order for ties.
const std::vector<migration>& migrations() {
  static const std::vector<migration> all{
    {1, R"sql(
CREATE TABLE orders (
  client_order_id    TEXT PRIMARY KEY,
  strategy_id        TEXT NOT NULL,
  symbol             TEXT NOT NULL,
  side               TEXT NOT NULL,
  type               TEXT NOT NULL,
  qty_e8             BIGINT NOT NULL,
  limit_price_e8     BIGINT NOT NULL,
  reduce_only        BOOLEAN NOT NULL,
  status             TEXT NOT NULL,
  status_rank        SMALLINT NOT NULL,
  filled_qty_e8      BIGINT NOT NULL,
  avg_fill_price_e8  BIGINT NOT NULL,
  created_ts_ms      BIGINT NOT NULL,
  updated_ts_ms      BIGINT NOT NULL,
  reject_reason      TEXT NOT NULL
);
CREATE INDEX orders_by_created ON orders (created_ts_ms, client_order_id);
CREATE INDEX orders_by_status ON orders (status);

CREATE TABLE fills (
  seq              BIGSERIAL NOT NULL,
  fill_id          TEXT PRIMARY KEY,
  client_order_id  TEXT NOT NULL,
  strategy_id      TEXT NOT NULL,
  symbol           TEXT NOT NULL,
  side             TEXT NOT NULL,
  price_e8         BIGINT NOT NULL,
  qty_e8           BIGINT NOT NULL,
  fee_e8           BIGINT NOT NULL,
  ts_ms            BIGINT NOT NULL
);
CREATE INDEX fills_by_ts ON fills (ts_ms, seq);
CREATE INDEX fills_by_order ON fills (client_order_id);

CREATE TABLE risk_decisions (
  client_order_id  TEXT PRIMARY KEY,
  strategy_id      TEXT NOT NULL,
  symbol           TEXT NOT NULL,
  approved         BOOLEAN NOT NULL,
  reason           TEXT NOT NULL,
  detail           TEXT NOT NULL,
  ts_ms            BIGINT NOT NULL
);

CREATE TABLE positions (
  symbol              TEXT PRIMARY KEY,
  qty_e8              BIGINT NOT NULL,
  avg_entry_price_e8  BIGINT NOT NULL,
  last_price_e8       BIGINT NOT NULL,
  realized_pnl_e8     BIGINT NOT NULL,
  unrealized_pnl_e8   BIGINT NOT NULL,
  ts_ms               BIGINT NOT NULL
);

CREATE TABLE equity_snapshots (
  ts_ms               BIGINT PRIMARY KEY,
  cash_e8             BIGINT NOT NULL,
  equity_e8           BIGINT NOT NULL,
  realized_pnl_e8     BIGINT NOT NULL,
  unrealized_pnl_e8   BIGINT NOT NULL,
  fees_paid_e8        BIGINT NOT NULL,
  high_water_mark_e8  BIGINT NOT NULL,
  drawdown_pct_e8     BIGINT NOT NULL,
  day_start_equity_e8 BIGINT NOT NULL
);

CREATE TABLE alerts (
  id       BIGSERIAL PRIMARY KEY,
  level    TEXT NOT NULL,
  code     TEXT NOT NULL,
  source   TEXT NOT NULL,
  message  TEXT NOT NULL,
  ts_ms    BIGINT NOT NULL
);
)sql"},
    {2, R"sql(
CREATE TABLE order_events (
  id                 BIGSERIAL PRIMARY KEY,
  client_order_id    TEXT NOT NULL,
  status             TEXT NOT NULL,
  filled_qty_e8      BIGINT NOT NULL,
  avg_fill_price_e8  BIGINT NOT NULL,
  ts_ms              BIGINT NOT NULL,
  reject_reason      TEXT NOT NULL,
  UNIQUE (client_order_id, ts_ms, status, filled_qty_e8)
);

CREATE TABLE strategies (
  strategy_id    TEXT PRIMARY KEY,
  type           TEXT NOT NULL,
  config_json    TEXT NOT NULL,
  enabled        BOOLEAN NOT NULL,
  updated_ts_ms  BIGINT NOT NULL
);

CREATE TABLE risk_events (
  id      BIGSERIAL PRIMARY KEY,
  code    TEXT NOT NULL,
  state   TEXT NOT NULL,
  detail  TEXT NOT NULL,
  ts_ms   BIGINT NOT NULL
);
CREATE INDEX risk_events_by_ts ON risk_events (ts_ms);

CREATE TABLE audit_log (
  id        BIGSERIAL PRIMARY KEY,
  ts_ms     BIGINT NOT NULL,
  operator  TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT NOT NULL,
  detail    TEXT NOT NULL
);
CREATE INDEX audit_log_by_ts ON audit_log (ts_ms);

CREATE TABLE outbox (
  client_order_id  TEXT PRIMARY KEY,
  payload          TEXT NOT NULL,
  created_ts_ms    BIGINT NOT NULL,
  sent_ts_ms       BIGINT,
  acked_ts_ms      BIGINT
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
  since_ts_ms          BIGINT NOT NULL,
  day_start_equity_e8  BIGINT NOT NULL,
  utc_day              BIGINT NOT NULL,
  detail               TEXT NOT NULL,
  updated_ts_ms        BIGINT NOT NULL
);
)sql"},
  };
  return all;
}

/// Serialises migrators of one database (any schema): an arbitrary, fixed key.
constexpr const char* lock_sql = "SELECT pg_advisory_xact_lock(7412950318)";

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int version_in(pqxx::transaction_base& tx) {
  auto exists = tx.exec1("SELECT to_regclass('schema_version') IS NOT NULL")[0].as<bool>();
  if (!exists)
    return 0;
  return tx.exec1("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0].as<int>();
}

std::string newer_message(int version) {
  return "database schema version " + std::to_string(version) +
         " is newer than this build supports (" + std::to_string(latest_schema_version()) +
         "); upgrade Tradewind or use another database";
}

} // namespace

int latest_schema_version() {
  return migrations().back().version;
}

int read_version(pqxx::connection& c) {
  pqxx::read_transaction tx{c};
  return version_in(tx);
}

int migrate(pqxx::connection& c, int target) {
  if (target <= 0)
    target = latest_schema_version();
  int version = 0;
  {
    pqxx::work tx{c};
    tx.exec(lock_sql);
    tx.exec0("CREATE TABLE IF NOT EXISTS schema_version ("
             " version INTEGER PRIMARY KEY, applied_ts_ms BIGINT NOT NULL)");
    version = version_in(tx);
    tx.commit();
  }
  if (version > latest_schema_version())
    throw schema_error(newer_message(version));
  if (version > target)
    throw schema_error("database schema version " + std::to_string(version) +
                       " is newer than the requested version " + std::to_string(target));
  for (const auto& m : migrations()) {
    if (m.version <= version || m.version > target)
      continue;
    pqxx::work tx{c};
    tx.exec(lock_sql);
    // Another migrator may have applied it while we waited for the lock.
    if (version_in(tx) < m.version) {
      try {
        tx.exec0(m.sql);
      } catch (const pqxx::sql_error& e) {
        throw schema_error("migration to version " + std::to_string(m.version) +
                           " failed: " + e.what());
      }
      tx.exec0("INSERT INTO schema_version (version, applied_ts_ms) VALUES (" +
               std::to_string(m.version) + ", " + std::to_string(now_ms()) + ")");
    }
    tx.commit();
    version = m.version;
  }
  return version;
}

} // namespace tradewind::pg
