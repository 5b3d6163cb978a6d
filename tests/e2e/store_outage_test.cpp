// Integration: PostgreSQL is restarted in the middle of a paced replay. The store writer
// must keep every record while the server is gone, alert the outage once, and commit
// everything after the restart: each order and fill present exactly once.
//
// The test runs its OWN PostgreSQL (scripts/services/pg_start.sh on a private port and
// base directory): stopping the shared server of TW_TEST_PG_URL would break other tests.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <unistd.h>

#include "caf/all.hpp"

#include "actors/core/node_context.hpp"
#include "actors/storage/store.hpp"
#include "observer.hpp"
#include "scenario.hpp"
#include "tools/node_runner.hpp"

namespace fs = std::filesystem;
using namespace tradewind;

namespace {

constexpr const char* pg_bin_dir = "/usr/lib/postgresql/15/bin";

/// A private PostgreSQL cluster for this test process; purged on destruction.
class private_pg {
public:
  private_pg()
    : port_(27000 + static_cast<int>(::getpid() % 2000)), // below the ephemeral range: see scripts/test.sh
      base_("/tmp/tw-outage-pg-" + std::to_string(::getpid())) {}
  ~private_pg() {
    run("pg_stop.sh", base_ + " --purge");
    if (!::testing::Test::HasFailure()) // kept for diagnosis when the test failed
      fs::remove(base_ + ".log");
  }

  std::string url() const {
    return "postgresql://tradewind:tradewind@127.0.0.1:" + std::to_string(port_) + "/tradewind";
  }
  bool start() { return run("pg_start.sh", base_); }
  /// pg_stop.sh always uses fast mode: sessions are terminated, open transactions rolled back.
  bool stop() { return run("pg_stop.sh", base_); }

private:
  bool run(const std::string& script, const std::string& args) const {
    auto cmd = "PG_FSYNC=off PG_PORT=" + std::to_string(port_) + " " + std::string{TW_SOURCE_DIR} +
               "/scripts/services/" + script + " " + args + " >>" + base_ + ".log 2>&1";
    return std::system(cmd.c_str()) == 0;
  }

  int port_;
  std::string base_;
};

node_config outage_config(const std::string& url) {
  auto cfg = test::two_strategy_replay(std::string{TW_SOURCE_DIR} + "/data/sample-btcusdt-5m.csv", url);
  cfg.node_name = "outage";
  // ~3 ms per 5-minute bar: 2000 bars last about 6 s, long enough to restart the server.
  cfg.collector.speed = fixed::from_int<100'000>();
  // Small, frequent commits so the writer certainly tries to commit during the outage.
  cfg.store.batch_size = 20;
  cfg.store.flush_interval_ms = 20;
  cfg.store.pool_size = 2;
  cfg.store.connect_timeout_ms = 1'000;
  return cfg;
}

} // namespace

TEST(store_outage, postgres_restart_mid_run_loses_and_duplicates_nothing_and_is_alerted) {
  if (!fs::exists(pg_bin_dir))
    GTEST_SKIP() << pg_bin_dir << " is missing: PostgreSQL 15 server binaries are needed";
  private_pg pg;
  ASSERT_TRUE(pg.start()) << "cannot start a private PostgreSQL (see /tmp/tw-outage-pg-<pid>.log)";
  auto cfg = outage_config(pg.url());
  auto migrated = migrate_store(cfg.store);
  ASSERT_TRUE(migrated.is_ok()) << migrated.error();

  auto log = std::make_shared<test::observer_log>();
  std::atomic<bool> reached{false}, finished{false};
  std::atomic<bool> stopped{false}, restarted{false};
  std::atomic<size_t> bars_at_stop{0}, bars_at_restart{0};
  log->on_market_event = [&reached](size_t n) {
    if (n == 400)
      reached = true;
  };
  auto bars_now = [&log] {
    std::lock_guard<std::mutex> g{log->mtx};
    return log->rec.bars.size();
  };
  std::thread operator_thread;
  run_hooks hooks;
  hooks.handle_signals = false;
  hooks.before_start = [log](caf::actor_system& sys) {
    return std::vector<caf::actor>{test::spawn_observer(sys, log)};
  };
  hooks.on_started = [&](caf::actor_system&, const caf::actor&) {
    operator_thread = std::thread([&] {
      while (!reached && !finished)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (finished)
        return;
      bars_at_stop = bars_now();
      stopped = pg.stop();
      std::this_thread::sleep_for(std::chrono::seconds(1));
      restarted = pg.start();
      bars_at_restart = bars_now();
    });
  };
  auto ctx = make_node_context(cfg.node_name, cfg.log.level);
  auto result = run_node(cfg, ctx, hooks);
  finished = true;
  operator_thread.join();
  test::recording rec;
  {
    std::lock_guard<std::mutex> g{log->mtx};
    rec = log->rec;
  }

  ASSERT_TRUE(stopped.load()) << "pg_stop.sh failed";
  ASSERT_TRUE(restarted.load()) << "pg_start.sh failed";
  auto& s = result.summary;
  ASSERT_TRUE(s.complete);
  EXPECT_TRUE(result.store_flushed);
  EXPECT_LT(bars_at_stop.load(), rec.bars.size()) << "the outage must start mid-replay";
  ASSERT_FALSE(rec.approved.empty());
  ASSERT_FALSE(rec.fills.empty());

  // The outage was alerted once (the alert itself reached the store after the restart).
  size_t outage_alerts = 0;
  for (auto& a : rec.alerts)
    if (a.code == "store_commit_failed") {
      ++outage_alerts;
      EXPECT_EQ(a.level, severity::critical);
      EXPECT_EQ(a.source, "store_writer");
    }
  EXPECT_EQ(outage_alerts, 1u) << "bars at stop " << bars_at_stop << ", at restart "
                               << bars_at_restart << " of " << rec.bars.size();

  auto opened = open_store(cfg.store);
  ASSERT_TRUE(opened.is_ok()) << opened.error();
  auto& db = *opened.value();

  // Every approved order exactly once, in the state the summary reports.
  auto orders = db.list_orders();
  ASSERT_TRUE(orders.is_ok()) << orders.error();
  std::set<std::string> stored_ids;
  for (auto& o : orders.value())
    EXPECT_TRUE(stored_ids.insert(o.client_order_id).second) << "duplicate " << o.client_order_id;
  std::set<std::string> approved_ids;
  for (auto& i : rec.approved)
    approved_ids.insert(i.client_order_id);
  EXPECT_EQ(stored_ids, approved_ids);
  auto by_status = db.count_orders_by_status();
  ASSERT_TRUE(by_status.is_ok()) << by_status.error();
  std::map<std::string, uint64_t> stored_status;
  for (auto& [status, n] : by_status.value())
    stored_status[std::string{to_string(status)}] = static_cast<uint64_t>(n);
  EXPECT_EQ(stored_status, s.orders_by_status());

  // Every fill exactly once.
  auto fills = db.list_fills();
  ASSERT_TRUE(fills.is_ok()) << fills.error();
  EXPECT_EQ(fills.value().size(), rec.fills.size());
  EXPECT_EQ(static_cast<uint64_t>(fills.value().size()), s.fills);
  std::set<std::string> stored_fill_ids, seen_fill_ids;
  for (auto& f : fills.value())
    EXPECT_TRUE(stored_fill_ids.insert(f.fill_id).second) << "duplicate " << f.fill_id;
  for (auto& f : rec.fills)
    seen_fill_ids.insert(f.fill_id);
  EXPECT_EQ(stored_fill_ids, seen_fill_ids);

  // Every risk decision once, and the outage alert persisted once.
  auto decisions = db.list_decisions();
  ASSERT_TRUE(decisions.is_ok()) << decisions.error();
  EXPECT_EQ(decisions.value().size(), rec.decisions.size());
  auto alerts = db.list_alerts();
  ASSERT_TRUE(alerts.is_ok()) << alerts.error();
  size_t stored_outage_alerts = 0;
  for (auto& a : alerts.value())
    stored_outage_alerts += a.code == "store_commit_failed" ? 1 : 0;
  EXPECT_EQ(stored_outage_alerts, 1u);
}
