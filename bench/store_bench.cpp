// Store write throughput: fills/s written through the store interface (SQLite and
// PostgreSQL back ends) against raw baselines measured in the same run on the same rows:
// SQLite prepared INSERTs in batched transactions, and libpqxx COPY (pqxx::stream_to).
// Usage: store_bench [fills=20000] [runs=3] [postgresql://…]  (or TW_BENCH_PG_URL)
// Prints one JSON line with the median of the runs and store/raw ratios.

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include <unistd.h>

#include <pqxx/pqxx>

#include "actors/storage/store.hpp"

namespace {

using namespace tradewind;
using clk = std::chrono::steady_clock;

/// Records per transaction on every path: the store writer's default batch_size.
constexpr size_t batch_size = 500;

std::vector<fill> make_fills(size_t n) {
  static const char* symbols[] = {"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"};
  std::vector<fill> out(n);
  for (size_t i = 0; i < n; ++i) {
    auto& f = out[i];
    f.fill_id = "ma1-" + std::string{symbols[i & 3]} + "-" + std::to_string(i / 3) + "-" +
                std::to_string(i % 3);
    f.client_order_id = "ma1-" + std::string{symbols[i & 3]} + "-" + std::to_string(i / 3);
    f.strategy_id = "ma1";
    f.symbol = symbols[i & 3];
    f.order_side = i & 1 ? side::buy : side::sell;
    f.price = fixed::from_raw(4'200'000'000'000 + static_cast<int64_t>(i % 1000) * 1'000'000);
    f.qty = fixed::from_raw(100'000 * static_cast<int64_t>(i % 100 + 1));
    f.fee = fixed::from_raw(63'016);
    f.ts_ms = 1'672'531'200'000 + static_cast<int64_t>(i);
  }
  return out;
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

/// Fills per second of `body`, which writes all fills; `setup` prepares a fresh target
/// and is not timed.
double rate(size_t n, const std::function<void()>& setup, const std::function<void()>& body) {
  setup();
  auto t0 = clk::now();
  body();
  return n / std::chrono::duration<double>(clk::now() - t0).count();
}

void through_store(const store_config& cfg, const std::vector<fill>& fills) {
  auto opened = open_store(cfg);
  if (!opened)
    throw std::runtime_error(opened.error());
  auto& db = opened.value();
  for (size_t at = 0; at < fills.size(); at += batch_size) {
    store_batch b;
    b.fills.assign(fills.begin() + at, fills.begin() + std::min(fills.size(), at + batch_size));
    if (auto st = db->write_batch(b); !st)
      throw std::runtime_error(st.message());
  }
}

void check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    throw std::runtime_error(sqlite3_errmsg(db));
}

/// The baseline: what sqlite3 itself does with the same rows, batch size and pragmas.
void raw_sqlite(const std::string& path, const std::vector<fill>& fills) {
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db), db);
  check(sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "CREATE TABLE fills (fill_id TEXT PRIMARY KEY, client_order_id TEXT, "
                     "strategy_id TEXT, symbol TEXT, side TEXT, price_e8 INTEGER, qty_e8 INTEGER, "
                     "fee_e8 INTEGER, ts_ms INTEGER)",
                     nullptr, nullptr, nullptr),
        db);
  sqlite3_stmt* ins = nullptr;
  check(sqlite3_prepare_v2(db, "INSERT INTO fills VALUES (?,?,?,?,?,?,?,?,?)", -1, &ins, nullptr),
        db);
  for (size_t at = 0; at < fills.size(); at += batch_size) {
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db);
    for (size_t i = at; i < std::min(fills.size(), at + batch_size); ++i) {
      const auto& f = fills[i];
      sqlite3_bind_text(ins, 1, f.fill_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 2, f.client_order_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 3, f.strategy_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 4, f.symbol.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 5, to_string(f.order_side).data(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(ins, 6, f.price.raw);
      sqlite3_bind_int64(ins, 7, f.qty.raw);
      sqlite3_bind_int64(ins, 8, f.fee.raw);
      sqlite3_bind_int64(ins, 9, f.ts_ms);
      check(sqlite3_step(ins), db);
      sqlite3_reset(ins);
    }
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
  }
  sqlite3_finalize(ins);
  sqlite3_close(db);
}

/// The baseline: COPY of the same rows into a same-shaped table, one transaction per batch.
void raw_copy(pqxx::connection& c, const std::vector<fill>& fills) {
  for (size_t at = 0; at < fills.size(); at += batch_size) {
    pqxx::work tx{c};
    pqxx::stream_to st{tx, "raw_fills",
                       std::vector<std::string>{"fill_id", "client_order_id", "strategy_id",
                                                "symbol", "side", "price_e8", "qty_e8", "fee_e8",
                                                "ts_ms"}};
    for (size_t i = at; i < std::min(fills.size(), at + batch_size); ++i) {
      const auto& f = fills[i];
      st << std::make_tuple(f.fill_id, f.client_order_id, f.strategy_id, f.symbol,
                            std::string{to_string(f.order_side)}, f.price.raw, f.qty.raw,
                            f.fee.raw, f.ts_ms);
    }
    st.complete();
    tx.commit();
  }
}

std::string with_param(const std::string& base, const std::string& p) {
  return base + (base.find('?') == std::string::npos ? "?" : "&") + p;
}

std::string pair_json(double store, double raw, const char* raw_name) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"store_fills_per_s\":%.0f,\"%s_fills_per_s\":%.0f,\"store_vs_raw\":%.3f}",
                store, raw_name, raw, store / raw);
  return buf;
}

std::string sqlite_part(const std::vector<fill>& fills, int runs) {
  auto path = (std::filesystem::temp_directory_path() /
               ("tw_store_bench_" + std::to_string(::getpid()) + ".db"))
                .string();
  auto wipe = [&] {
    for (auto suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path + suffix);
  };
  store_config cfg;
  cfg.url = "sqlite:" + path;
  std::vector<double> store_rates, raw_rates;
  for (int r = 0; r < runs; ++r) {
    store_rates.push_back(rate(fills.size(), wipe, [&] { through_store(cfg, fills); }));
    raw_rates.push_back(rate(fills.size(), wipe, [&] { raw_sqlite(path, fills); }));
  }
  wipe();
  return pair_json(median(store_rates), median(raw_rates), "raw_batched_insert");
}

std::string postgres_part(const std::vector<fill>& fills, int runs, const std::string& url) {
  auto schema = "tw_store_bench_" + std::to_string(::getpid());
  pqxx::connection admin{url};
  auto exec = [&](const std::string& sql) {
    pqxx::nontransaction tx{admin};
    tx.exec(sql);
  };
  store_config cfg;
  cfg.url = with_param(url, "options=-csearch_path%3D" + schema);
  auto fresh = [&] {
    exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
    if (auto m = migrate_store(cfg); !m)
      throw std::runtime_error(m.error());
    exec("CREATE TABLE " + schema + ".raw_fills (fill_id TEXT PRIMARY KEY, client_order_id TEXT,"
         " strategy_id TEXT, symbol TEXT, side TEXT, price_e8 BIGINT, qty_e8 BIGINT,"
         " fee_e8 BIGINT, ts_ms BIGINT)");
  };
  pqxx::connection raw{cfg.url};
  std::vector<double> store_rates, raw_rates;
  for (int r = 0; r < runs; ++r) {
    store_rates.push_back(rate(fills.size(), fresh, [&] { through_store(cfg, fills); }));
    raw_rates.push_back(rate(fills.size(), fresh, [&] { raw_copy(raw, fills); }));
  }
  exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  return pair_json(median(store_rates), median(raw_rates), "raw_copy");
}

} // namespace

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20'000;
  int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  std::string pg_url = argc > 3 ? argv[3] : "";
  if (pg_url.empty())
    if (const char* env = std::getenv("TW_BENCH_PG_URL"))
      pg_url = env;
  if (n == 0 || runs < 1) {
    std::fprintf(stderr, "usage: store_bench [fills>0] [runs>=1] [postgresql://…]\n");
    return 2;
  }
  auto fills = make_fills(n);
  try {
    std::string pg = "{\"skipped\":\"no PostgreSQL URL (argv[3] or TW_BENCH_PG_URL)\"}";
    if (!pg_url.empty())
      pg = postgres_part(fills, runs, pg_url);
    std::printf("{\"bench\":\"store\",\"fills\":%zu,\"runs\":%d,\"batch_size\":%zu,"
                "\"statistic\":\"median\",\"sqlite\":%s,\"postgres\":%s}\n",
                n, runs, batch_size, sqlite_part(fills, runs).c_str(), pg.c_str());
  } catch (const std::exception& e) {
    // libpq/store messages never carry the password (store messages are redacted; the
    // raw connection's errors are libpq's, which do not include it).
    std::fprintf(stderr, "store_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
