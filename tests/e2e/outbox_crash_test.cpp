// The order outbox under SIGKILL: `tradewind run` is killed at many points of a replay —
// between the outbox commit and the send (outbox_written), between the send and the stored
// acknowledgement (intents_sent), and just before a store commit (store_commit) — then
// started again on the same store. The restarted node re-sends what no executor
// acknowledged and replays the feed; at the end every order and fill must be present
// exactly once, equal to an uninterrupted run, with positions equal to the sum of fills
// and nothing left unacknowledged in the outbox.
//
// Fault injection: TRADEWIND_CRASH_AT=point:N (actors/core/crash_points.hpp).

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "actors/storage/store.hpp"
#include "../storage/pg_test_support.hpp"

namespace fs = std::filesystem;
using namespace tradewind;

namespace {

struct run_outcome {
  bool exited = false;
  int exit_code = -1;
  int signal = 0;
  std::string output;
};

fs::path temp_dir() {
  auto dir = fs::temp_directory_path() / ("tw-outbox-crash-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

/// Runs `tradewind run --config cfg`, with TRADEWIND_CRASH_AT=crash_at when not empty.
run_outcome run_node(const fs::path& cfg, const std::string& crash_at) {
  auto out_file = temp_dir() / "node.out";
  pid_t pid = ::fork();
  if (pid == 0) {
    std::freopen(out_file.c_str(), "w", stdout);
    std::freopen(out_file.c_str(), "a", stderr);
    if (crash_at.empty())
      ::unsetenv("TRADEWIND_CRASH_AT");
    else
      ::setenv("TRADEWIND_CRASH_AT", crash_at.c_str(), 1);
    ::execl(TW_BINARY, TW_BINARY, "run", "--config", cfg.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  run_outcome r;
  int status = 0;
  // A guard against a hung node, not a speed requirement.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      r.output = "(killed by the test after 3 minutes)\n";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  r.exited = WIFEXITED(status);
  r.exit_code = r.exited ? WEXITSTATUS(status) : -1;
  r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  std::ifstream in{out_file};
  r.output += std::string{std::istreambuf_iterator<char>{in}, {}};
  return r;
}

/// Two symbols, two fast crossovers (many orders) and limits that never bind: a restarted
/// run must then reproduce the uninterrupted one exactly.
fs::path write_config(const std::string& name, const std::string& store_url) {
  std::string data = std::string{TW_SOURCE_DIR} + "/data/";
  auto path = temp_dir() / (name + ".yaml");
  std::ofstream{path} << "node:\n  name: crash-test\nlog:\n  level: warn\n"
                      << "collector:\n  mode: replay\n  feeds:\n"
                      << "    - {symbol: BTCUSDT, path: " << data << "sample-btcusdt-5m.csv}\n"
                      << "    - {symbol: SOLUSDT, path: " << data << "sample-solusdt-5m.csv}\n"
                      << "strategies:\n"
                      << "  - {id: fast, fast: 3, slow: 8, order_notional: 5000, allow_short: true}\n"
                      << "  - {id: slow, fast: 6, slow: 20, order_notional: 3000}\n"
                      << "risk:\n  max_position_pct: 100\n  max_order_notional: 1000000\n"
                      << "  max_open_orders: 1000\n  max_orders_per_window: 1000\n"
                      << "  daily_loss_limit_pct: 100\n  max_drawdown_pct: 100\n"
                      << "store:\n  url: \"" << store_url << "\"\n  batch_size: 50\n  flush_interval_ms: 20\n";
  return path;
}

/// What the store holds after a run, reduced to what must match between runs.
struct records {
  std::map<std::string, std::string> orders; ///< cid → status, quantities, prices, times
  std::map<std::string, std::string> fills;  ///< fill id → order, price, qty, fee, time
  std::map<std::string, fixed> position_qty; ///< stored position per symbol
  std::map<std::string, fixed> fill_qty;     ///< Σ signed fill qty per symbol
  outbox_counts outbox;
  std::set<std::string> alert_codes;
  std::set<int64_t> order_times;             ///< distinct created_ts_ms
};

records read_records(const std::string& url) {
  store_config sc;
  sc.url = url;
  auto opened = open_store(sc);
  EXPECT_TRUE(opened.is_ok()) << opened.error();
  records r;
  if (!opened)
    return r;
  auto& db = *opened.value();
  auto orders = db.list_orders();
  auto fills = db.list_fills();
  auto positions = db.list_positions();
  auto alerts = db.list_alerts();
  EXPECT_TRUE(orders && fills && positions && alerts);
  if (!orders || !fills || !positions || !alerts)
    return r;
  for (const auto& o : orders.value()) {
    r.orders[o.client_order_id] = std::string{to_string(o.status)} + " " + o.symbol + " " +
                                  std::string{to_string(o.order_side)} + " qty=" + o.qty.to_string() +
                                  " filled=" + o.filled_qty.to_string() + " avg=" + o.avg_fill_price.to_string() +
                                  " created=" + std::to_string(o.created_ts_ms) +
                                  " updated=" + std::to_string(o.updated_ts_ms);
    r.order_times.insert(o.created_ts_ms);
  }
  for (const auto& f : fills.value()) {
    r.fills[f.fill_id] = f.client_order_id + " " + f.price.to_string() + " " + f.qty.to_string() + " " +
                         f.fee.to_string() + " " + std::to_string(f.ts_ms);
    auto& q = r.fill_qty[f.symbol];
    q = *(f.order_side == side::buy ? q + f.qty : q - f.qty);
  }
  for (const auto& p : positions.value())
    r.position_qty[p.symbol] = p.qty;
  r.outbox = db.count_outbox().value();
  for (const auto& a : alerts.value())
    r.alert_codes.insert(a.code);
  return r;
}

/// Keys missing, extra or different between two maps, at most a few of each, for messages.
std::string differences(const std::map<std::string, std::string>& got,
                        const std::map<std::string, std::string>& want) {
  std::string out;
  int shown = 0;
  for (const auto& [k, v] : want) {
    auto it = got.find(k);
    if (it == got.end() && shown++ < 5)
      out += "missing " + k + " (" + v + ")\n";
    else if (it != got.end() && it->second != v && shown++ < 5)
      out += "differs " + k + ": got " + it->second + ", want " + v + "\n";
  }
  for (const auto& [k, v] : got)
    if (!want.count(k) && shown++ < 10)
      out += "extra " + k + " (" + v + ")\n";
  return out;
}

void expect_consistent(const records& r) {
  EXPECT_EQ(r.outbox.unacked, 0) << "an approved order was never acknowledged by the executor";
  EXPECT_EQ(r.outbox.total, static_cast<int64_t>(r.orders.size())) << "every order went through the outbox";
  for (const auto& [symbol, qty] : r.fill_qty) {
    auto it = r.position_qty.find(symbol);
    fixed stored = it == r.position_qty.end() ? fixed{} : it->second;
    EXPECT_EQ(stored, qty) << symbol << ": stored position != sum of fills";
  }
}

/// Reference run, then for each crash point: fresh store, killed run, restart, comparison.
class outbox_crash : public ::testing::Test {
protected:
  /// `fresh` returns the url of an empty, migrated store.
  void check_points(const std::function<std::string(const std::string&)>& fresh,
                    const std::vector<std::pair<std::string, double>>& points) {
    auto ref_url = fresh("reference");
    auto ref = run_node(write_config("reference", ref_url), "");
    ASSERT_TRUE(ref.exited && ref.exit_code == 0) << ref.output;
    auto expected = read_records(ref_url);
    ASSERT_GT(expected.orders.size(), 20u) << "the scenario should trade a lot";
    expect_consistent(expected);

    for (const auto& [point, fraction] : points) {
      // Arrivals at the risk-gate points are at least the number of distinct order times.
      auto n = std::max<size_t>(1, static_cast<size_t>(fraction * expected.order_times.size()));
      auto spec = point + ":" + std::to_string(n);
      SCOPED_TRACE(spec);
      auto url = fresh(point + std::to_string(n));
      auto cfg = write_config("crash", url);
      auto crashed = run_node(cfg, spec);
      ASSERT_EQ(crashed.signal, SIGKILL) << "the node was not killed at " << spec << ":\n" << crashed.output;
      auto dead = read_records(url);
      if (point == "outbox_written") {
        EXPECT_GE(dead.outbox.unacked, 1) << "killed after the outbox commit: the intent was never sent";
      }

      auto restarted = run_node(cfg, "");
      ASSERT_TRUE(restarted.exited && restarted.exit_code == 0) << restarted.output;
      auto got = read_records(url);
      expect_consistent(got);
      EXPECT_TRUE(got.orders == expected.orders) << got.orders.size() << " orders, want "
                                                 << expected.orders.size() << "\n"
                                                 << differences(got.orders, expected.orders);
      EXPECT_TRUE(got.fills == expected.fills) << got.fills.size() << " fills, want " << expected.fills.size()
                                               << "\n" << differences(got.fills, expected.fills);
      EXPECT_EQ(got.position_qty, expected.position_qty);
      if (dead.outbox.unacked > 0) {
        EXPECT_TRUE(got.alert_codes.count("outbox_replayed")) << "the replay of the outbox was not alerted";
      }
    }
  }
};

TEST_F(outbox_crash, sqlite_every_order_exactly_once_after_sigkill_at_many_points) {
  int counter = 0;
  auto fresh = [&counter](const std::string& name) {
    auto path = temp_dir() / (name + "-" + std::to_string(counter++) + ".db");
    fs::remove(path);
    fs::remove(path.string() + "-wal");
    fs::remove(path.string() + "-shm");
    return "sqlite:" + path.string();
  };
  check_points(fresh, {{"outbox_written", 0.0}, {"outbox_written", 0.1}, {"outbox_written", 0.35},
                       {"outbox_written", 0.7}, {"intents_sent", 0.0}, {"intents_sent", 0.2},
                       {"intents_sent", 0.6}, {"store_commit", 0.0}, {"store_commit", 0.02},
                       {"store_commit", 0.05}});
}

TEST_F(outbox_crash, postgres_every_order_exactly_once_after_sigkill) {
  if (tradewind::testing::pg_test_url().empty())
    GTEST_SKIP() << "TW_TEST_PG_URL is not set (scripts/test.sh starts PostgreSQL and sets it)";
  std::vector<std::unique_ptr<tradewind::testing::pg_schema>> schemas;
  auto fresh = [&schemas](const std::string& name) {
    schemas.push_back(std::make_unique<tradewind::testing::pg_schema>("crash_" + name));
    store_config sc;
    sc.url = schemas.back()->url();
    auto m = migrate_store(sc);
    EXPECT_TRUE(m.is_ok()) << m.error();
    return sc.url;
  };
  check_points(fresh, {{"outbox_written", 0.2}, {"intents_sent", 0.4}, {"store_commit", 0.03}});
}

} // namespace
