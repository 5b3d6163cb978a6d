// Store interface tests, written once over a back-end factory so every back end must pass
// the same suite; back-end specific cases follow it. Compiled twice: tw_store_tests (SQLite,
// unit) and, with TW_STORE_TEST_POSTGRES, tw_store_pg_tests (PostgreSQL at TW_TEST_PG_URL,
// one fresh schema per test, label integration).

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <thread>
#include <vector>
#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "actors/storage/store.hpp"
#include "net/redact.hpp"
#include "tests/storage/store_test_support.hpp"
#ifdef TW_STORE_TEST_POSTGRES
#include "tests/storage/pg_test_support.hpp"
#endif

namespace tradewind {
namespace {

/// How the suite reaches one back end.
struct backend {
  std::string name;
  /// A url for a fresh, empty database; the returned object owns its clean-up.
  std::function<std::pair<std::string, std::shared_ptr<void>>(const std::string& test)> fresh;
  /// Runs SQL behind the store's back (same SQL for both dialects in these tests).
  std::function<void(const std::string& url, const std::string& sql)> raw_exec;
  /// The first column of the first row of `sql`, as text ("" for NULL or no row).
  std::function<std::string(const std::string& url, const std::string& sql)> raw_query;
};

void PrintTo(const backend& b, std::ostream* os) {
  *os << b.name;
}

#ifndef TW_STORE_TEST_POSTGRES
backend sqlite_backend() {
  backend b;
  b.name = "sqlite";
  b.fresh = [](const std::string& test) {
    auto db = std::make_shared<testing::temp_db>("store_" + test);
    return std::pair<std::string, std::shared_ptr<void>>{db->url(), db};
  };
  b.raw_exec = [](const std::string& url, const std::string& sql) {
    testing::raw_exec(url.substr(7), sql);
  };
  b.raw_query = [](const std::string& url, const std::string& sql) {
    return testing::raw_query(url.substr(7), sql);
  };
  return b;
}
#else
backend postgres_backend() {
  backend b;
  b.name = "postgres";
  b.fresh = [](const std::string& test) {
    auto schema = std::make_shared<testing::pg_schema>(test);
    return std::pair<std::string, std::shared_ptr<void>>{schema->url(), schema};
  };
  b.raw_exec = [](const std::string& url, const std::string& sql) {
    testing::pg_schema::exec_on(url, sql);
  };
  b.raw_query = [](const std::string& url, const std::string& sql) {
    return testing::pg_schema::query_on(url, sql);
  };
  return b;
}
#endif

/// The newest schema version of this build (the suite's expectations are written for it).
constexpr int latest = 3;

fixed dec(const char* text) {
  return *fixed::parse(text);
}

order make_order(std::string cid, order_status status, int64_t created, int64_t updated) {
  order o;
  o.client_order_id = std::move(cid);
  o.strategy_id = "ma1";
  o.symbol = "BTCUSDT";
  o.order_side = side::buy;
  o.type = order_type::market;
  o.qty = dec("0.015");
  o.status = status;
  o.created_ts_ms = created;
  o.updated_ts_ms = updated;
  return o;
}

fill make_fill(std::string id, std::string cid, const char* price, int64_t ts) {
  fill f;
  f.fill_id = std::move(id);
  f.client_order_id = std::move(cid);
  f.strategy_id = "ma1";
  f.symbol = "BTCUSDT";
  f.order_side = side::sell;
  f.price = dec(price);
  f.qty = dec("0.00000001");
  f.fee = dec("0.01234567");
  f.ts_ms = ts;
  return f;
}

risk_decision make_decision(std::string cid, deny_reason reason, int64_t ts) {
  return risk_decision{std::move(cid), "ma1", "BTCUSDT", reason == deny_reason::none, reason,
                       "detail " + std::string{to_string(reason)}, ts};
}

account_snapshot make_snapshot(int64_t ts, const char* equity, const char* dd) {
  account_snapshot s;
  s.ts_ms = ts;
  s.cash = dec("90000.5");
  s.equity = dec(equity);
  s.realized_pnl = dec("-12.25");
  s.unrealized_pnl = dec("3.5");
  s.fees_paid = dec("1.75");
  s.high_water_mark = dec("100000");
  s.drawdown_pct = dec(dd);
  s.day_start_equity = dec("100000");
  return s;
}

class store_suite : public ::testing::TestWithParam<backend> {
protected:
  void SetUp() override {
#ifdef TW_STORE_TEST_POSTGRES
    if (testing::pg_test_url().empty())
      GTEST_SKIP() << "TW_TEST_PG_URL is not set (scripts/test.sh starts PostgreSQL and sets it)";
#endif
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_'); // "case/sqlite" → a file name
    auto fresh = GetParam().fresh(name);
    url_ = fresh.first;
    owner_ = fresh.second;
    cfg_.url = url_;
    cfg_.pool_size = 2;
  }

  /// Migrates (as `tradewind db migrate` would) and opens.
  std::unique_ptr<store> open() {
    auto m = migrate_store(cfg_);
    EXPECT_TRUE(m.is_ok()) << m.error();
    auto r = open_store(cfg_);
    EXPECT_TRUE(r.is_ok()) << r.error();
    return r ? std::move(r.value()) : nullptr;
  }

  void raw(const std::string& sql) { GetParam().raw_exec(url_, sql); }
  std::string query(const std::string& sql) { return GetParam().raw_query(url_, sql); }

  std::string url_;
  std::shared_ptr<void> owner_;
  store_config cfg_;
};

TEST_P(store_suite, migrates_an_empty_database_to_the_latest_version) {
  auto before = read_schema_status(cfg_);
  ASSERT_TRUE(before.is_ok()) << before.error();
  EXPECT_EQ(before.value().current, 0);
  EXPECT_EQ(before.value().latest, latest);
  auto db = open();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->schema_version().value(), latest);
  EXPECT_EQ(read_schema_status(cfg_).value().current, latest);
  EXPECT_EQ(db->count_fills().value(), 0);
  EXPECT_TRUE(db->list_orders().value().empty());
  EXPECT_TRUE(db->count_orders_by_status().value().empty());
  EXPECT_TRUE(db->list_positions().value().empty());
  EXPECT_FALSE(db->last_snapshot().value().has_value());
  EXPECT_EQ(db->max_drawdown_pct().value(), fixed{});
  EXPECT_TRUE(db->count_denials_by_reason().value().empty());
  EXPECT_TRUE(db->list_alerts().value().empty());
  EXPECT_TRUE(db->list_order_events("C1").value().empty());
}

TEST_P(store_suite, migrating_again_is_a_no_op) {
  auto db = open();
  ASSERT_TRUE(db);
  store_batch b;
  b.fills = {make_fill("F1", "C1", "1", 1)};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  auto again = migrate_store(cfg_);
  ASSERT_TRUE(again.is_ok()) << again.error();
  EXPECT_EQ(again.value().current, latest);
  EXPECT_EQ(db->count_fills().value(), 1);
  EXPECT_EQ(db->schema_version().value(), latest);
}

TEST_P(store_suite, migrates_version_1_to_2_keeping_its_data) {
  auto v1 = migrate_store(cfg_, 1);
  ASSERT_TRUE(v1.is_ok()) << v1.error();
  EXPECT_EQ(v1.value().current, 1);
  // Rows written by a version-1 build, straight into the version-1 tables.
  raw("INSERT INTO orders (client_order_id, strategy_id, symbol, side, type, qty_e8,"
      " limit_price_e8, reduce_only, status, status_rank, filled_qty_e8, avg_fill_price_e8,"
      " created_ts_ms, updated_ts_ms, reject_reason) VALUES ('C1', 'ma1', 'BTCUSDT', 'buy',"
      " 'market', 1500000, 0, FALSE, 'filled', 3, 1500000, 4201050000000, 1000, 1500, '')");
  raw("INSERT INTO fills (fill_id, client_order_id, strategy_id, symbol, side, price_e8, qty_e8,"
      " fee_e8, ts_ms) VALUES ('F1', 'C1', 'ma1', 'BTCUSDT', 'buy', 4201050000000, 1500000,"
      " 63016, 1500)");
  raw("INSERT INTO alerts (level, code, source, message, ts_ms)"
      " VALUES ('warning', 'old', 'v1', 'from v1', 5)");
  auto status = read_schema_status(cfg_);
  ASSERT_TRUE(status.is_ok()) << status.error();
  EXPECT_EQ(status.value().current, 1);
  EXPECT_EQ(status.value().latest, latest);

  auto v2 = migrate_store(cfg_, 2);
  ASSERT_TRUE(v2.is_ok()) << v2.error();
  EXPECT_EQ(v2.value().current, 2);
  auto v3 = migrate_store(cfg_);
  ASSERT_TRUE(v3.is_ok()) << v3.error();
  EXPECT_EQ(v3.value().current, latest);
  auto r = open_store(cfg_);
  ASSERT_TRUE(r.is_ok()) << r.error();
  auto& db = r.value();
  auto orders = db->list_orders().value();
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].client_order_id, "C1");
  EXPECT_EQ(orders[0].status, order_status::filled);
  EXPECT_EQ(orders[0].avg_fill_price, dec("42010.5"));
  auto fills = db->list_fills().value();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].fee, dec("0.00063016"));
  ASSERT_EQ(db->list_alerts().value().size(), 1u);
  EXPECT_EQ(db->list_alerts().value()[0].message, "from v1");
  // The new tables work on the migrated database.
  store_batch b;
  b.orders = {make_order("C2", order_status::new_order, 2'000, 2'000)};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  EXPECT_EQ(db->list_order_events("C2").value().size(), 1u);
  EXPECT_TRUE(db->list_trading_states().value().empty());
}

TEST_P(store_suite, migrates_version_2_to_3_adding_the_trading_states) {
  ASSERT_TRUE(migrate_store(cfg_, 2).is_ok());
  raw("INSERT INTO outbox (client_order_id, payload, created_ts_ms) VALUES ('C1', '{}', 1)");
  auto v3 = migrate_store(cfg_);
  ASSERT_TRUE(v3.is_ok()) << v3.error();
  EXPECT_EQ(v3.value().current, 3);
  auto r = open_store(cfg_);
  ASSERT_TRUE(r.is_ok()) << r.error();
  EXPECT_EQ(r.value()->count_outbox().value().total, 1);
  EXPECT_TRUE(r.value()->list_trading_states().value().empty());
}

TEST_P(store_suite, refuses_to_migrate_below_the_current_version) {
  ASSERT_TRUE(open());
  auto r = migrate_store(cfg_, 1);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("cannot migrate: database schema version 3 is newer than the "
                           "requested version 1"),
            std::string::npos)
    << r.error();
}

TEST_P(store_suite, reopening_keeps_data_and_version) {
  {
    auto db = open();
    ASSERT_TRUE(db);
    store_batch b;
    b.fills.push_back(make_fill("F1", "C1", "42000.12345678", 10));
    ASSERT_TRUE(db->write_batch(b).is_ok());
  }
  auto db = open();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->schema_version().value(), latest);
  auto fills = db->list_fills().value();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].fill_id, "F1");
  EXPECT_EQ(fills[0].price, dec("42000.12345678"));
}

TEST_P(store_suite, refuses_a_database_with_a_newer_schema) {
  ASSERT_TRUE(open());
  raw("INSERT INTO schema_version VALUES (4, 0)");
  auto r = open_store(cfg_);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("database schema version 4 is newer than this build supports (3); "
                           "upgrade Tradewind or use another database"),
            std::string::npos)
    << r.error();
  auto m = migrate_store(cfg_);
  ASSERT_FALSE(m.is_ok());
  EXPECT_NE(m.error().find("database schema version 4 is newer than this build supports (3)"),
            std::string::npos)
    << m.error();
}

TEST_P(store_suite, records_every_order_state_change_once) {
  auto db = open();
  ASSERT_TRUE(db);
  auto partial = make_order("C1", order_status::partially_filled, 1, 5);
  partial.filled_qty = dec("0.005");
  partial.avg_fill_price = dec("100.5");
  auto rejected = make_order("C2", order_status::rejected, 1, 2);
  rejected.reject_reason = "no liquidity";
  store_batch b;
  b.orders = {make_order("C1", order_status::new_order, 1, 1),
              make_order("C1", order_status::accepted, 1, 2), partial, rejected};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  ASSERT_TRUE(db->write_batch(b).is_ok()); // a replayed batch adds nothing
  auto events = db->list_order_events("C1").value();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].status, order_status::new_order);
  EXPECT_EQ(events[0].ts_ms, 1);
  EXPECT_EQ(events[1].status, order_status::accepted);
  EXPECT_EQ(events[2].status, order_status::partially_filled);
  EXPECT_EQ(events[2].filled_qty, dec("0.005"));
  EXPECT_EQ(events[2].avg_fill_price, dec("100.5"));
  EXPECT_EQ(events[2].ts_ms, 5);
  auto c2 = db->list_order_events("C2").value();
  ASSERT_EQ(c2.size(), 1u);
  EXPECT_EQ(c2[0].reject_reason, "no liquidity");
}

TEST_P(store_suite, a_large_batch_is_written_completely) {
  auto db = open();
  ASSERT_TRUE(db);
  store_batch b;
  for (int i = 0; i < 2'345; ++i) // spans several multi-row statements
    b.fills.push_back(make_fill("F" + std::to_string(i), "C1", "100", i));
  b.fills.push_back(make_fill("it's \\ \"quoted\"", "C'1", "1", 99'999));
  ASSERT_TRUE(db->write_batch(b).is_ok());
  EXPECT_EQ(db->count_fills().value(), 2'346);
  auto fills = db->list_fills().value();
  EXPECT_EQ(fills.back().fill_id, "it's \\ \"quoted\"");
  EXPECT_EQ(fills.back().client_order_id, "C'1");
}

TEST_P(store_suite, writes_a_batch_and_reads_it_back) {
  auto db = open();
  ASSERT_TRUE(db);
  store_batch b;
  auto o2 = make_order("ma1-BTCUSDT-2", order_status::rejected, 2'000, 2'000);
  o2.reject_reason = "insufficient balance";
  o2.order_side = side::sell;
  o2.type = order_type::limit;
  o2.limit_price = dec("41999.99999999");
  o2.reduce_only = true;
  auto o1 = make_order("ma1-BTCUSDT-1", order_status::filled, 1'000, 1'500);
  o1.filled_qty = dec("0.015");
  o1.avg_fill_price = dec("42010.5");
  b.orders = {o2, o1};
  b.fills = {make_fill("ma1-BTCUSDT-1-2", "ma1-BTCUSDT-1", "42011", 1'500),
             make_fill("ma1-BTCUSDT-1-10", "ma1-BTCUSDT-1", "42010", 1'500),
             make_fill("ma1-BTCUSDT-1-1", "ma1-BTCUSDT-1", "42009", 1'200)};
  b.decisions = {make_decision("ma1-BTCUSDT-1", deny_reason::none, 1'000),
                 make_decision("ma1-BTCUSDT-3", deny_reason::max_notional, 3'000),
                 make_decision("ma1-BTCUSDT-4", deny_reason::max_notional, 4'000),
                 make_decision("ma1-BTCUSDT-5", deny_reason::trading_halted, 5'000)};
  b.positions = {position_update{"ETHUSDT", dec("-2"), dec("2000"), dec("2100"), dec("0"),
                                 dec("-200"), 1'500},
                 position_update{"BTCUSDT", dec("0.015"), dec("42010.5"), dec("42100"),
                                 dec("0"), dec("1.3425"), 1'500}};
  b.snapshots = {make_snapshot(1'000, "100000", "0"), make_snapshot(3'000, "99000", "1.5"),
                 make_snapshot(2'000, "97000", "3")};
  b.alerts = {alert{severity::critical, "breaker_tripped", "risk_gate", "dd 21 > 20", 7},
              alert{severity::info, "started", "node", "hello", 8}};
  ASSERT_TRUE(db->write_batch(b).is_ok());

  auto orders = db->list_orders().value();
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[0].client_order_id, "ma1-BTCUSDT-1"); // oldest created first
  EXPECT_EQ(orders[0].status, order_status::filled);
  EXPECT_EQ(orders[0].filled_qty, dec("0.015"));
  EXPECT_EQ(orders[0].avg_fill_price, dec("42010.5"));
  EXPECT_EQ(orders[0].updated_ts_ms, 1'500);
  const auto& r = orders[1];
  EXPECT_EQ(r.client_order_id, "ma1-BTCUSDT-2");
  EXPECT_EQ(r.strategy_id, "ma1");
  EXPECT_EQ(r.symbol, "BTCUSDT");
  EXPECT_EQ(r.order_side, side::sell);
  EXPECT_EQ(r.type, order_type::limit);
  EXPECT_EQ(r.qty, dec("0.015"));
  EXPECT_EQ(r.limit_price, dec("41999.99999999"));
  EXPECT_TRUE(r.reduce_only);
  EXPECT_EQ(r.status, order_status::rejected);
  EXPECT_EQ(r.created_ts_ms, 2'000);
  EXPECT_EQ(r.reject_reason, "insufficient balance");

  auto by_status = db->count_orders_by_status().value();
  EXPECT_EQ(by_status, (std::map<order_status, int64_t>{{order_status::filled, 1},
                                                        {order_status::rejected, 1}}));

  EXPECT_EQ(db->count_fills().value(), 3);
  auto fills = db->list_fills().value();
  ASSERT_EQ(fills.size(), 3u);
  EXPECT_EQ(fills[0].fill_id, "ma1-BTCUSDT-1-1");  // event time first
  EXPECT_EQ(fills[1].fill_id, "ma1-BTCUSDT-1-2");  // then arrival order, not text order
  EXPECT_EQ(fills[2].fill_id, "ma1-BTCUSDT-1-10");
  EXPECT_EQ(fills[0].price, dec("42009"));
  EXPECT_EQ(fills[0].qty, dec("0.00000001"));
  EXPECT_EQ(fills[0].fee, dec("0.01234567"));
  EXPECT_EQ(fills[0].order_side, side::sell);
  EXPECT_EQ(fills[0].ts_ms, 1'200);

  auto decisions = db->list_decisions().value();
  ASSERT_EQ(decisions.size(), 4u);
  EXPECT_TRUE(decisions[0].approved);
  EXPECT_EQ(decisions[1].reason, deny_reason::max_notional);
  EXPECT_EQ(decisions[1].detail, "detail max_notional");
  EXPECT_EQ(db->count_denials_by_reason().value(),
            (std::map<deny_reason, int64_t>{{deny_reason::max_notional, 2},
                                            {deny_reason::trading_halted, 1}}));

  auto positions = db->list_positions().value();
  ASSERT_EQ(positions.size(), 2u);
  EXPECT_EQ(positions[0].symbol, "BTCUSDT");
  EXPECT_EQ(positions[0].unrealized_pnl, dec("1.3425"));
  EXPECT_EQ(positions[1].symbol, "ETHUSDT");
  EXPECT_EQ(positions[1].qty, dec("-2"));

  auto last = db->last_snapshot().value();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->ts_ms, 3'000);
  EXPECT_EQ(last->cash, dec("90000.5"));
  EXPECT_EQ(last->equity, dec("99000"));
  EXPECT_EQ(last->realized_pnl, dec("-12.25"));
  EXPECT_EQ(last->unrealized_pnl, dec("3.5"));
  EXPECT_EQ(last->fees_paid, dec("1.75"));
  EXPECT_EQ(last->high_water_mark, dec("100000"));
  EXPECT_EQ(last->drawdown_pct, dec("1.5"));
  EXPECT_EQ(last->day_start_equity, dec("100000"));
  EXPECT_EQ(db->max_drawdown_pct().value(), dec("3"));

  auto alerts = db->list_alerts().value();
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].level, severity::critical);
  EXPECT_EQ(alerts[0].code, "breaker_tripped");
  EXPECT_EQ(alerts[0].source, "risk_gate");
  EXPECT_EQ(alerts[0].message, "dd 21 > 20");
  EXPECT_EQ(alerts[0].ts_ms, 7);
  EXPECT_EQ(alerts[1].code, "started");
}

TEST_P(store_suite, a_repeated_fill_or_decision_is_a_no_op) {
  auto db = open();
  ASSERT_TRUE(db);
  store_batch b;
  b.fills = {make_fill("F1", "C1", "100", 1)};
  b.decisions = {make_decision("C1", deny_reason::none, 1)};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  store_batch again;
  again.fills = {make_fill("F1", "C1", "999", 2), make_fill("F1", "C1", "998", 3)};
  again.decisions = {make_decision("C1", deny_reason::max_position, 2)};
  ASSERT_TRUE(db->write_batch(again).is_ok());
  auto fills = db->list_fills().value();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, dec("100"));
  EXPECT_EQ(fills[0].ts_ms, 1);
  auto decisions = db->list_decisions().value();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_TRUE(decisions[0].approved);
  EXPECT_TRUE(db->count_denials_by_reason().value().empty());
}

TEST_P(store_suite, order_upsert_keeps_the_latest_state) {
  auto db = open();
  ASSERT_TRUE(db);
  auto partial = make_order("C1", order_status::partially_filled, 1, 5);
  partial.filled_qty = dec("0.005");
  auto filled = make_order("C1", order_status::filled, 1, 5); // same ts, more advanced
  filled.filled_qty = dec("0.015");
  store_batch b;
  b.orders = {make_order("C1", order_status::new_order, 1, 1),
              make_order("C1", order_status::accepted, 1, 2), partial, filled};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  store_batch stale;
  stale.orders = {make_order("C1", order_status::accepted, 1, 3),      // older ts
                  make_order("C1", order_status::partially_filled, 1, 5)}; // same ts, less advanced
  ASSERT_TRUE(db->write_batch(stale).is_ok());
  auto orders = db->list_orders().value();
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].status, order_status::filled);
  EXPECT_EQ(orders[0].filled_qty, dec("0.015"));
  EXPECT_EQ(orders[0].updated_ts_ms, 5);
  EXPECT_EQ(db->count_orders_by_status().value(),
            (std::map<order_status, int64_t>{{order_status::filled, 1}}));
}

TEST_P(store_suite, position_upsert_keeps_the_newest_per_symbol) {
  auto db = open();
  ASSERT_TRUE(db);
  store_batch b;
  b.positions = {position_update{"BTCUSDT", dec("1"), dec("100"), dec("101"), {}, dec("1"), 10},
                 position_update{"BTCUSDT", dec("2"), dec("100"), dec("102"), {}, dec("4"), 20},
                 position_update{"BTCUSDT", dec("9"), dec("100"), dec("100"), {}, {}, 15}};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  auto positions = db->list_positions().value();
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions[0].qty, dec("2"));
  EXPECT_EQ(positions[0].ts_ms, 20);
}

TEST_P(store_suite, an_empty_batch_succeeds_and_changes_nothing) {
  auto db = open();
  ASSERT_TRUE(db);
  store_batch b;
  b.orders.push_back(make_order("C1", order_status::filled, 1'000, 2'000));
  b.fills.push_back(make_fill("F1", "C1", "100", 2'000));
  ASSERT_TRUE(db->write_batch(b).is_ok());
  auto before = query("SELECT count(*) FROM orders") + "/" + query("SELECT count(*) FROM fills") + "/" +
                query("SELECT count(*) FROM order_events");
  EXPECT_TRUE(db->write_batch(store_batch{}).is_ok());
  EXPECT_EQ(query("SELECT count(*) FROM orders") + "/" + query("SELECT count(*) FROM fills") + "/" +
              query("SELECT count(*) FROM order_events"),
            before);
  EXPECT_EQ(before, "1/1/1");
}

// -- API read paths --------------------------------------------------------------------------

std::vector<std::string> ids_of(const std::vector<order>& orders) {
  std::vector<std::string> out;
  for (auto& o : orders)
    out.push_back(o.client_order_id);
  return out;
}

/// Six orders: created at 1000 (two, a tie), 2000, 3000, 4000, 5000; two ETH orders.
store_batch api_orders() {
  store_batch b;
  b.orders = {make_order("c", order_status::filled, 1'000, 1'100),
              make_order("a", order_status::filled, 1'000, 1'200),
              make_order("d", order_status::cancelled, 2'000, 2'100),
              make_order("e", order_status::accepted, 3'000, 3'000),
              make_order("f", order_status::filled, 4'000, 4'100),
              make_order("g", order_status::rejected, 5'000, 5'000)};
  b.orders[2].symbol = "ETHUSDT";
  b.orders[4].symbol = "ETHUSDT";
  return b;
}

TEST_P(store_suite, query_orders_pages_with_a_keyset_cursor) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->write_batch(api_orders()).is_ok());
  order_query q;
  q.limit = 2;
  std::vector<std::vector<std::string>> pages;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = db->query_orders(q);
    ASSERT_TRUE(page.is_ok()) << page.error();
    pages.push_back(ids_of(page.value().orders));
    if (!page.value().next)
      break;
    q.after = page.value().next;
  }
  EXPECT_EQ(pages, (std::vector<std::vector<std::string>>{{"a", "c"}, {"d", "e"}, {"f", "g"}}));
  // The cursor of a page names its last order; an exactly full last page has no successor.
  q = order_query{};
  q.limit = 6;
  auto all = db->query_orders(q);
  ASSERT_TRUE(all.is_ok());
  EXPECT_EQ(all.value().orders.size(), 6u);
  EXPECT_FALSE(all.value().next);
  q.limit = 1;
  auto first = db->query_orders(q);
  ASSERT_TRUE(first.is_ok());
  ASSERT_TRUE(first.value().next);
  EXPECT_EQ(first.value().next->created_ts_ms, 1'000);
  EXPECT_EQ(first.value().next->client_order_id, "a");
  // Orders written after a cursor was handed out do not shift the following page.
  store_batch late;
  late.orders = {make_order("b", order_status::accepted, 500, 500)};
  ASSERT_TRUE(db->write_batch(late).is_ok());
  q.after = first.value().next;
  auto second = db->query_orders(q);
  ASSERT_TRUE(second.is_ok());
  EXPECT_EQ(ids_of(second.value().orders), std::vector<std::string>{"c"});
}

TEST_P(store_suite, query_orders_filters_by_status_symbol_and_time) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->write_batch(api_orders()).is_ok());
  auto ids = [&](const order_query& q) {
    auto page = db->query_orders(q);
    EXPECT_TRUE(page.is_ok()) << page.error();
    return page ? ids_of(page.value().orders) : std::vector<std::string>{};
  };
  order_query by_status;
  by_status.status = order_status::filled;
  EXPECT_EQ(ids(by_status), (std::vector<std::string>{"a", "c", "f"}));
  order_query by_symbol;
  by_symbol.symbol = "ETHUSDT";
  EXPECT_EQ(ids(by_symbol), (std::vector<std::string>{"d", "f"}));
  order_query by_time;
  by_time.from_ts_ms = 2'000;
  by_time.to_ts_ms = 4'000;
  EXPECT_EQ(ids(by_time), (std::vector<std::string>{"d", "e", "f"}));
  order_query combined = by_time;
  combined.status = order_status::filled;
  combined.symbol = "ETHUSDT";
  EXPECT_EQ(ids(combined), std::vector<std::string>{"f"});
  order_query none;
  none.symbol = "SOLUSDT";
  auto empty = db->query_orders(none);
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty.value().orders.empty());
  EXPECT_FALSE(empty.value().next);
}

TEST_P(store_suite, fills_for_order_returns_only_that_orders_fills_in_time_order) {
  auto db = open();
  ASSERT_TRUE(db);
  store_batch b = api_orders();
  b.fills = {make_fill("a-2", "a", "42011", 1'500), make_fill("c-1", "c", "42000", 1'100),
             make_fill("a-1", "a", "42009", 1'200)};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  auto fills = db->fills_for_order("a");
  ASSERT_TRUE(fills.is_ok()) << fills.error();
  ASSERT_EQ(fills.value().size(), 2u);
  EXPECT_EQ(fills.value()[0].fill_id, "a-1");
  EXPECT_EQ(fills.value()[0].price, dec("42009"));
  EXPECT_EQ(fills.value()[1].fill_id, "a-2");
  auto none = db->fills_for_order("zz");
  ASSERT_TRUE(none.is_ok());
  EXPECT_TRUE(none.value().empty());
}

TEST_P(store_suite, equity_curve_selects_a_range_and_downsamples) {
  auto db = open();
  ASSERT_TRUE(db);
  store_batch b;
  for (int i = 1; i <= 10; ++i)
    b.snapshots.push_back(make_snapshot(i * 1'000, i % 2 ? "100001.5" : "99999.25", "0.5"));
  ASSERT_TRUE(db->write_batch(b).is_ok());
  auto times = [&](int64_t from, int64_t to, size_t nth) {
    auto curve = db->equity_curve(from, to, nth);
    EXPECT_TRUE(curve.is_ok()) << curve.error();
    std::vector<int64_t> out;
    if (curve)
      for (auto& s : curve.value())
        out.push_back(s.ts_ms);
    return out;
  };
  EXPECT_EQ(times(2'000, 5'000, 1), (std::vector<int64_t>{2'000, 3'000, 4'000, 5'000}));
  EXPECT_EQ(times(1'000, 10'000, 4), (std::vector<int64_t>{1'000, 5'000, 9'000, 10'000}));
  EXPECT_EQ(times(1'000, 9'000, 4), (std::vector<int64_t>{1'000, 5'000, 9'000}));
  EXPECT_EQ(times(1'500, 1'900, 1), std::vector<int64_t>{});
  auto curve = db->equity_curve(3'000, 3'000, 0);
  ASSERT_TRUE(curve.is_ok());
  ASSERT_EQ(curve.value().size(), 1u);
  EXPECT_EQ(curve.value()[0].equity, dec("100001.5"));
  EXPECT_EQ(curve.value()[0].cash, dec("90000.5"));
  EXPECT_EQ(curve.value()[0].drawdown_pct, dec("0.5"));
  EXPECT_TRUE(curve.value()[0].positions.empty());
}

TEST_P(store_suite, query_alerts_filters_by_severity_and_time_with_offset) {
  auto db = open();
  ASSERT_TRUE(db);
  store_batch b;
  b.alerts = {alert{severity::info, "i1", "t", "m", 1'000},
              alert{severity::critical, "c1", "t", "m", 2'000},
              alert{severity::warning, "w1", "t", "m", 3'000},
              alert{severity::critical, "c2", "t", "m", 4'000},
              alert{severity::warning, "w2", "t", "m", 5'000}};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  auto codes = [&](const alert_query& q) {
    auto r = db->query_alerts(q);
    EXPECT_TRUE(r.is_ok()) << r.error();
    std::vector<std::string> out;
    if (r)
      for (auto& a : r.value())
        out.push_back(a.code);
    return out;
  };
  alert_query q;
  EXPECT_EQ(codes(q), (std::vector<std::string>{"i1", "c1", "w1", "c2", "w2"}));
  q.min_level = severity::warning;
  EXPECT_EQ(codes(q), (std::vector<std::string>{"c1", "w1", "c2", "w2"}));
  q.min_level = severity::critical;
  EXPECT_EQ(codes(q), (std::vector<std::string>{"c1", "c2"}));
  q.min_level = severity::warning;
  q.from_ts_ms = 3'000;
  q.to_ts_ms = 5'000;
  EXPECT_EQ(codes(q), (std::vector<std::string>{"w1", "c2", "w2"}));
  q.offset = 1;
  q.limit = 1;
  EXPECT_EQ(codes(q), std::vector<std::string>{"c2"});
  q.offset = 3;
  EXPECT_EQ(codes(q), std::vector<std::string>{});
}

approved_order make_approved(std::string cid, int64_t ts) {
  approved_order a;
  a.decision = make_decision(cid, deny_reason::none, ts);
  a.intent.client_order_id = cid;
  a.intent.strategy_id = "ma1";
  a.intent.symbol = "BTCUSDT";
  a.intent.order_side = side::sell;
  a.intent.type = order_type::limit;
  a.intent.qty = dec("0.12345678");
  a.intent.limit_price = dec("16543.21");
  a.intent.reduce_only = true;
  a.intent.ts_ms = ts;
  return a;
}

TEST_P(store_suite, outbox_write_stores_order_decision_and_intent_together) {
  auto db = open();
  ASSERT_TRUE(db);
  auto a = make_approved("C1", 1'000);
  ASSERT_TRUE(db->write_outbox({a, make_approved("C2", 1'500)}, 99'000).is_ok());
  auto orders = db->list_orders().value();
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[0].client_order_id, "C1");
  EXPECT_EQ(orders[0].status, order_status::new_order);
  EXPECT_EQ(orders[0].qty, dec("0.12345678"));
  EXPECT_EQ(orders[0].limit_price, dec("16543.21"));
  EXPECT_EQ(orders[0].created_ts_ms, 1'000);
  EXPECT_EQ(db->list_decisions().value().size(), 2u);
  ASSERT_EQ(db->list_order_events("C1").value().size(), 1u);
  auto unacked = db->unacked_outbox().value();
  ASSERT_EQ(unacked.size(), 2u);
  EXPECT_EQ(unacked[0].client_order_id, "C1");
  EXPECT_EQ(unacked[0].limit_price, a.intent.limit_price); // the intent round-trips exactly
  EXPECT_TRUE(unacked[0].reduce_only);
  EXPECT_EQ(unacked[0].ts_ms, 1'000);
  EXPECT_EQ(db->count_outbox().value().total, 2);
  EXPECT_EQ(db->count_outbox().value().unacked, 2);
}

TEST_P(store_suite, a_replayed_outbox_write_is_a_no_op_and_never_resets_an_order) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->write_outbox({make_approved("C1", 1'000)}, 5'000).is_ok());
  store_batch b;
  b.orders.push_back(make_order("C1", order_status::filled, 1'000, 2'000));
  ASSERT_TRUE(db->write_batch(b).is_ok());
  ASSERT_TRUE(db->write_outbox({make_approved("C1", 1'000)}, 9'000).is_ok());
  auto orders = db->list_orders().value();
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].status, order_status::filled);
  EXPECT_EQ(db->list_decisions().value().size(), 1u);
  EXPECT_EQ(db->count_outbox().value().total, 1);
  EXPECT_EQ(db->count_outbox().value().unacked, 0);
}

TEST_P(store_suite, the_executors_first_update_acknowledges_the_outbox_row_in_the_same_commit) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->write_outbox({make_approved("C1", 1'000), make_approved("C2", 1'000)}, 5'000).is_ok());
  store_batch b;
  b.orders.push_back(make_order("C1", order_status::new_order, 1'000, 1'000)); // not an acknowledgement
  b.orders.push_back(make_order("C2", order_status::accepted, 1'000, 1'000));
  ASSERT_TRUE(db->write_batch(b).is_ok());
  auto unacked = db->unacked_outbox().value();
  ASSERT_EQ(unacked.size(), 1u);
  EXPECT_EQ(unacked[0].client_order_id, "C1");
  // A failed batch acknowledges nothing: all or nothing.
  store_batch bad;
  bad.orders.push_back(make_order("C1", order_status::accepted, 1'000, 1'000));
  bad.fills.push_back(make_fill("F1", "C1", "100", 2'000));
  raw("DROP TABLE fills");
  EXPECT_FALSE(db->write_batch(bad).is_ok());
  EXPECT_EQ(db->count_outbox().value().unacked, 1);
}

trading_state_record make_state(std::string scope, trading_state st, std::string cause, int64_t since) {
  trading_state_record r;
  r.scope = std::move(scope);
  r.state = st;
  r.cause = std::move(cause);
  r.since_ts_ms = since;
  r.detail = "halt node by api:ops";
  return r;
}

TEST_P(store_suite, trading_states_round_trip_with_the_approvals_of_the_same_commit) {
  auto db = open();
  ASSERT_TRUE(db);
  auto daily = make_state("daily_loss", trading_state::reducing, "daily_loss", 7'000);
  daily.day_start_equity = dec("100000.12345678");
  daily.utc_day = 20'000;
  auto before_any = make_state("node", trading_state::halted, "operator", std::numeric_limits<int64_t>::min());
  ASSERT_TRUE(db->write_outbox({make_approved("C1", 1'000)},
                               {daily, make_state("strategy:s1", trading_state::reducing, "operator", 5'000),
                                before_any},
                               42'000)
                .is_ok());
  EXPECT_EQ(db->count_outbox().value().total, 1);
  auto states = db->list_trading_states().value();
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[0].scope, "node"); // ordered by since_ts_ms
  EXPECT_EQ(states[0].since_ts_ms, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(states[0].state, trading_state::halted);
  EXPECT_EQ(states[0].detail, "halt node by api:ops");
  EXPECT_EQ(states[0].updated_ts_ms, 42'000);
  EXPECT_EQ(states[1].scope, "strategy:s1");
  EXPECT_EQ(states[1].state, trading_state::reducing);
  EXPECT_EQ(states[2].scope, "daily_loss");
  EXPECT_EQ(states[2].cause, "daily_loss");
  EXPECT_EQ(states[2].day_start_equity, dec("100000.12345678"));
  EXPECT_EQ(states[2].utc_day, 20'000);
  EXPECT_EQ(states[2].since_ts_ms, 7'000);
}

TEST_P(store_suite, a_state_change_alone_commits_and_an_older_change_never_undoes_a_newer_one) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->write_outbox({}, {make_state("node", trading_state::halted, "drawdown", 5'000)}, 1).is_ok());
  ASSERT_TRUE(db->write_outbox({}, {make_state("node", trading_state::active, "operator", 9'000)}, 2).is_ok());
  // A replay re-deciding its history writes the trip at 5 000 again: the resume stays.
  ASSERT_TRUE(db->write_outbox({}, {make_state("node", trading_state::halted, "drawdown", 5'000)}, 3).is_ok());
  auto states = db->list_trading_states().value();
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].state, trading_state::active);
  EXPECT_EQ(states[0].cause, "operator");
  EXPECT_EQ(states[0].since_ts_ms, 9'000);
  // The same event time again: the later write wins.
  ASSERT_TRUE(db->write_outbox({}, {make_state("node", trading_state::halted, "operator", 9'000)}, 4).is_ok());
  EXPECT_EQ(db->list_trading_states().value()[0].state, trading_state::halted);
  EXPECT_TRUE(db->write_outbox({}, {}, 5).is_ok());
  EXPECT_EQ(db->count_outbox().value().total, 0);
}

TEST_P(store_suite, a_failed_outbox_write_stores_no_trading_state) {
  auto db = open();
  ASSERT_TRUE(db);
  raw("DROP TABLE outbox");
  EXPECT_FALSE(db->write_outbox({make_approved("C1", 1'000)},
                                {make_state("node", trading_state::halted, "operator", 1)}, 5)
                 .is_ok());
  EXPECT_TRUE(db->list_trading_states().value().empty());
}

TEST_P(store_suite, marking_resent_rows_keeps_them_unacknowledged) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->write_outbox({make_approved("C1", 1'000)}, 5'000).is_ok());
  EXPECT_EQ(query("SELECT sent_ts_ms FROM outbox WHERE client_order_id = 'C1'"), "5000");
  ASSERT_TRUE(db->mark_outbox_sent({"C1", "unknown"}, 6'000).is_ok());
  EXPECT_EQ(query("SELECT sent_ts_ms FROM outbox WHERE client_order_id = 'C1'"), "6000"); // read back
  EXPECT_EQ(query("SELECT count(*) FROM outbox"), "1");                                  // no row for "unknown"
  EXPECT_EQ(db->count_outbox().value().unacked, 1);
  EXPECT_TRUE(db->mark_outbox_sent({}, 7'000).is_ok());
  EXPECT_EQ(query("SELECT sent_ts_ms FROM outbox WHERE client_order_id = 'C1'"), "6000"); // nothing marked
}

TEST_P(store_suite, audit_records_are_appended_and_queried_newest_first_in_a_range) {
  auto db = open();
  ASSERT_TRUE(db);
  for (int64_t ts : {1'000, 2'000, 2'000, 3'000})
    ASSERT_TRUE(db->append_audit({ts, "api:k1", "POST /api/v1/orders", "/api/v1/orders",
                                  "{\"status\":201,\"n\":" + std::to_string(ts) + "}"})
                  .is_ok());
  ASSERT_TRUE(db->append_audit({2'000, "api:k2", "POST /api/v1/trading-state", "/api/v1/trading-state", "{}"}).is_ok());
  auto all = db->query_audit(0, 10'000, 100);
  ASSERT_TRUE(all.is_ok()) << all.error();
  ASSERT_EQ(all.value().size(), 5u);
  EXPECT_EQ(all.value()[0].ts_ms, 3'000);
  EXPECT_EQ(all.value()[1].actor, "api:k2"); // same time: the last appended first
  EXPECT_EQ(all.value()[1].action, "POST /api/v1/trading-state");
  auto middle = db->query_audit(1'500, 2'500, 2);
  ASSERT_EQ(middle.value().size(), 2u);
  EXPECT_EQ(middle.value()[0].actor, "api:k2");
  EXPECT_EQ(middle.value()[1].detail, "{\"status\":201,\"n\":2000}");
  EXPECT_EQ(db->query_audit(0, 10'000, 0).value().size(), 1u);
}

#ifdef TW_STORE_TEST_POSTGRES
INSTANTIATE_TEST_SUITE_P(backends, store_suite, ::testing::Values(postgres_backend()),
                         [](const auto& info) { return info.param.name; });
#else
INSTANTIATE_TEST_SUITE_P(backends, store_suite, ::testing::Values(sqlite_backend()),
                         [](const auto& info) { return info.param.name; });

// -- factory and SQLite-specific behaviour -------------------------------------------------

TEST(open_store, rejects_an_unknown_scheme) {
  store_config cfg;
  cfg.url = "mysql://localhost/tw";
  auto r = open_store(cfg);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error(),
            "store url 'mysql://localhost/tw' has an unsupported scheme (supported: sqlite:PATH, "
            "postgresql://user:pass@host/db)");
}

TEST(open_store, redacts_the_password_of_an_unknown_scheme) {
  store_config cfg;
  cfg.url = "mysql://tw:hunter2@localhost/tw";
  auto r = open_store(cfg);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().substr(0, 45), "store url 'mysql://tw:***@localhost/tw' has a");
}

TEST(open_store, reports_an_unreachable_postgres_server_without_the_password) {
  store_config cfg;
  cfg.url = "postgresql://tradewind:hunter2@127.0.0.1:1/tradewind"; // nothing listens on port 1
  cfg.connect_timeout_ms = 1'000;
  auto r = open_store(cfg);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().rfind("postgresql://tradewind:***@127.0.0.1:1/tradewind: cannot connect: "
                            "connection to server at \"127.0.0.1\", port 1 failed: Connection refused",
                            0),
            0u)
    << r.error();
  EXPECT_EQ(r.error().find("hunter2"), std::string::npos) << r.error();
  auto status = read_schema_status(cfg);
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.error().find("hunter2"), std::string::npos) << status.error();
}

TEST(redact_url, hides_the_secrets_of_store_urls_only) {
  EXPECT_EQ(redact_url("postgresql://tw:s%40cret@db:5432/tw?sslmode=require"),
            "postgresql://tw:***@db:5432/tw?sslmode=require");
  EXPECT_EQ(redact_url("postgresql://tw@db/tw"), "postgresql://tw@db/tw");
  EXPECT_EQ(redact_url("postgres://db/tw?user=a@b"), "postgres://db/tw?user=a@b");
  EXPECT_EQ(redact_url("postgres://db/tw?user=a&password=hunter2"), "postgres://db/tw?user=a&password=***");
  EXPECT_EQ(redact_url("sqlite:/var/lib/tw.db"), "sqlite:/var/lib/tw.db");
}

TEST(open_store, never_shows_a_password_given_as_a_query_parameter) {
  store_config cfg;
  cfg.url = "postgresql://tradewind@127.0.0.1:1/tradewind?password=hunter2q&sslpassword=hunter3q";
  cfg.connect_timeout_ms = 1'000;
  auto r = open_store(cfg);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().rfind("postgresql://tradewind@127.0.0.1:1/tradewind?password=***&sslpassword=***: ", 0), 0u)
    << r.error();
  EXPECT_EQ(r.error().find("hunter"), std::string::npos) << r.error();
  cfg.url = "host=127.0.0.1 port=1 password='hunter 4q'";
  r = open_store(cfg);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().find("hunter"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("password=***"), std::string::npos) << r.error();
}

TEST(sqlite_store, status_of_a_missing_file_is_version_0_and_creates_nothing) {
  testing::temp_db tmp{"status_missing"};
  store_config cfg;
  cfg.url = tmp.url();
  auto st = read_schema_status(cfg);
  ASSERT_TRUE(st.is_ok()) << st.error();
  EXPECT_EQ(st.value().current, 0);
  EXPECT_EQ(st.value().latest, latest);
  EXPECT_FALSE(std::filesystem::exists(tmp.path()));
}

TEST(open_store, rejects_an_empty_sqlite_path) {
  store_config cfg;
  cfg.url = "sqlite:";
  auto r = open_store(cfg);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error(), "store url 'sqlite:' has no path (use sqlite:PATH)");
}

TEST(sqlite_store, reports_an_unopenable_path_with_sqlites_message) {
  store_config cfg;
  cfg.url = "sqlite:/nonexistent-dir/tw.db";
  auto r = open_store(cfg);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error(), "sqlite:/nonexistent-dir/tw.db: cannot open: unable to open database file");
}

TEST(sqlite_store, reports_a_file_that_is_not_a_database) {
  testing::temp_db tmp{"not_a_db"};
  std::ofstream{tmp.path()} << "this is not an sqlite database, it is plain text padding "
                               "long enough to fill a header page..................";
  store_config cfg;
  cfg.url = tmp.url();
  auto r = open_store(cfg);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error(), tmp.url() + ": cannot configure: file is not a database");
}

TEST(sqlite_store, refusal_message_names_the_file) {
  testing::temp_db tmp{"newer"};
  store_config cfg;
  cfg.url = tmp.url();
  ASSERT_TRUE(open_store(cfg).is_ok());
  testing::raw_exec(tmp.path(), "INSERT INTO schema_version VALUES (7, 0)");
  auto r = open_store(cfg);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error(), tmp.url() + ": cannot migrate: database schema version 7 is newer than "
                                   "this build supports (3); upgrade Tradewind or use another "
                                   "database");
}

TEST(sqlite_store, stores_fixed_values_as_exact_raw_integers) {
  testing::temp_db tmp{"raw"};
  store_config cfg;
  cfg.url = tmp.url();
  auto db = std::move(open_store(cfg).value());
  store_batch b;
  b.fills = {make_fill("F1", "C1", "12.5", 1)};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  // The documented representation: raw count of 1e-8 units in an INTEGER column.
  testing::raw_exec(tmp.path(), "CREATE TABLE probe AS SELECT price_e8, typeof(price_e8) AS t "
                                "FROM fills WHERE price_e8 = 1250000000 AND t = 'integer'");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(tmp.path().c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT COUNT(*) FROM probe", -1, &q, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(q, 0), 1);
  sqlite3_finalize(q);
  sqlite3_close(raw);
}

TEST(sqlite_store, a_failed_batch_writes_nothing_and_names_the_record) {
  testing::temp_db tmp{"atomic"};
  store_config cfg;
  cfg.url = tmp.url();
  auto db = std::move(open_store(cfg).value());
  testing::raw_exec(tmp.path(), "ALTER TABLE alerts RENAME TO alerts_away");
  store_batch b;
  b.orders = {make_order("C1", order_status::new_order, 1, 1)};
  b.alerts = {alert{severity::warning, "x", "test", "m", 1}};
  auto status = db->write_batch(b);
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.message(), tmp.url() + ": write_batch: alert 'x': no such table: alerts");
  EXPECT_TRUE(db->list_orders().value().empty()); // rolled back with the alert
  testing::raw_exec(tmp.path(), "ALTER TABLE alerts_away RENAME TO alerts");
  ASSERT_TRUE(db->write_batch(b).is_ok()); // the same batch succeeds once the cause is gone
  EXPECT_EQ(db->list_orders().value().size(), 1u);
  EXPECT_EQ(db->list_alerts().value().size(), 1u);
}

TEST(sqlite_store, memory_database_works) {
  store_config cfg;
  cfg.url = "sqlite::memory:";
  auto r = open_store(cfg);
  ASSERT_TRUE(r.is_ok()) << r.error();
  EXPECT_EQ(r.value()->schema_version().value(), latest);
}

TEST(sqlite_store, concurrent_opens_of_a_fresh_file_both_migrate_safely) {
  testing::temp_db tmp{"concurrent"};
  store_config cfg;
  cfg.url = tmp.url();
  std::string errors[4];
  std::vector<std::thread> openers;
  for (auto& e : errors)
    openers.emplace_back([&cfg, &e] {
      auto r = open_store(cfg);
      e = r ? "" : r.error();
    });
  for (auto& t : openers)
    t.join();
  for (const auto& e : errors)
    EXPECT_EQ(e, "");
  EXPECT_EQ(open_store(cfg).value()->schema_version().value(), latest);
}
#endif // TW_STORE_TEST_POSTGRES

} // namespace
} // namespace tradewind
