// The kill switch and the breakers survive SIGKILL: a real `tradewind run` is halted through
// the REST API (or trips its drawdown breaker), killed with SIGKILL and started again on the
// same store. The restarted node must come back HALTED with a `trading_state_restored` alert,
// deny every later signal and fill no new order. SQLite, and PostgreSQL with TW_TEST_PG_URL.
// No timed assertions: every wait polls the store or the log with a generous deadline.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <thread>

#include "actors/storage/store.hpp"
#include "net/http_client.hpp"
#include "bridge/rest/api_keys.hpp"
#include "../storage/pg_test_support.hpp"

namespace fs = std::filesystem;
using namespace tradewind;

namespace {

fs::path temp_dir() {
  auto dir = fs::temp_directory_path() / ("tw-durable-states-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string read_text(const fs::path& p) {
  std::ifstream in{p};
  return {std::istreambuf_iterator<char>{in}, {}};
}

template <class Pred>
bool eventually(Pred pred, int seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (pred())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pred();
}

/// `tradewind run -c cfg` in the background, output appended to `log`.
class node {
public:
  node(const fs::path& cfg, const fs::path& log, const std::string& crash_at = "") {
    pid_ = ::fork();
    if (pid_ == 0) {
      std::freopen(log.c_str(), "a", stdout);
      std::freopen(log.c_str(), "a", stderr);
      if (crash_at.empty())
        ::unsetenv("TRADEWIND_CRASH_AT");
      else
        ::setenv("TRADEWIND_CRASH_AT", crash_at.c_str(), 1);
      ::execl(TW_BINARY, TW_BINARY, "run", "-c", cfg.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~node() { kill(); }
  /// SIGKILL (if still running) and reap; the terminating signal, 0 if it exited.
  int kill() {
    if (pid_ <= 0)
      return sig_;
    ::kill(pid_, SIGKILL);
    return reap();
  }
  /// Waits until the process ends by itself (up to `seconds`); its signal or 0.
  int wait(int seconds) {
    eventually([&] { return !running(); }, seconds);
    return kill();
  }
  bool running() {
    if (pid_ <= 0)
      return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      sig_ = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
      return false;
    }
    return true;
  }

private:
  int reap() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    sig_ = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return sig_;
  }
  pid_t pid_ = -1;
  int sig_ = 0;
};

/// An endless synthetic feed paced at 100 bars per second, fixed start time (so a restart
/// replays the same event times from the start), one fast crossover strategy.
fs::path write_config(const fs::path& dir, const std::string& store_url, const std::string& risk_yaml,
                      bool bridge) {
  auto path = dir / "node.yaml";
  std::ofstream out{path};
  out << "node:\n  name: durable-test\nlog:\n  level: info\n"
      << "collector:\n  mode: synthetic\n  speed: 100\n  synthetic:\n    symbols: [SYNTHUSDT]\n"
      << "    seed: 7\n    interval_ms: 1000\n    bars: 0\n    start_time_ms: 1700000000000\n"
      << "strategies:\n  - {id: s1, fast: 2, slow: 5, order_notional: 2000, qty_step: 0.001, allow_short: true}\n"
      << "risk:\n" << risk_yaml
      << "store:\n  url: \"" << store_url << "\"\n  batch_size: 10\n  flush_interval_ms: 20\n";
  if (bridge)
    out << "bridge:\n  enabled: true\n  port: 0\n  keys_file: keys.json\n  audit_log: " << (dir / "audit.jsonl").string()
        << "\n";
  return path;
}

std::unique_ptr<store> open(const std::string& url) {
  store_config sc;
  sc.url = url;
  auto r = open_store(sc);
  if (!r)
    return nullptr;
  return std::move(r.value());
}

size_t count_alerts(store& db, const std::string& code) {
  auto alerts = db.list_alerts();
  if (!alerts)
    return 0;
  return static_cast<size_t>(std::count_if(alerts.value().begin(), alerts.value().end(),
                                           [&](const alert& a) { return a.code == code; }));
}

std::vector<risk_decision> decisions(store& db) {
  auto d = db.list_decisions();
  return d ? d.value() : std::vector<risk_decision>{};
}

int64_t last_decision_ts(store& db) {
  int64_t ts = std::numeric_limits<int64_t>::min();
  for (const auto& d : decisions(db))
    ts = std::max(ts, d.ts_ms);
  return ts;
}

std::optional<trading_state_record> stored_state(store& db, const std::string& scope) {
  auto all = db.list_trading_states();
  if (!all)
    return std::nullopt;
  for (const auto& r : all.value())
    if (r.scope == scope)
      return r;
  return std::nullopt;
}

/// After the restart: every decision after `since` is denied `reason`, a later one than
/// `first_run_last` exists (decided by the restarted node), no order was created after
/// `since`, and every fill belongs to an order created at or before it.
void expect_still_halted(store& db, int64_t since, int64_t first_run_last, deny_reason reason) {
  size_t after_restart = 0;
  for (const auto& d : decisions(db)) {
    if (d.ts_ms <= since)
      continue;
    EXPECT_FALSE(d.approved) << d.client_order_id << " at " << d.ts_ms << " approved after the halt at " << since;
    EXPECT_EQ(d.reason, reason) << d.client_order_id << ": " << d.detail;
    if (d.ts_ms > first_run_last)
      ++after_restart;
  }
  EXPECT_GT(after_restart, 0u) << "the restarted node decided no signal of its own";
  auto listed = db.list_orders();
  ASSERT_TRUE(listed.is_ok()) << listed.error();
  auto orders = listed.value();
  std::set<std::string> old_orders;
  for (const auto& o : orders) {
    EXPECT_LE(o.created_ts_ms, since) << "order " << o.client_order_id << " created after the halt";
    old_orders.insert(o.client_order_id);
  }
  auto fills = db.list_fills();
  ASSERT_TRUE(fills.is_ok()) << fills.error();
  for (const auto& f : fills.value())
    EXPECT_TRUE(old_orders.count(f.client_order_id)) << "fill " << f.fill_id << " of a new order";
}

class durable_states : public ::testing::Test {
protected:
  /// Halt through POST /api/v1/trading-state, wait for a stored trading_halted denial,
  /// SIGKILL, restart on the same store, check.
  void halt_kill_restart(const std::string& url, const fs::path& dir) {
    fs::create_directories(dir);
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch()).count();
    auto key = rest::generate_key("ops", rest::key_scope::admin, now);
    ASSERT_EQ(rest::save_keys((dir / "keys.json").string(), {key.key}), "");
    auto cfg = write_config(dir, url, "  max_position_pct: 100\n", true);
    auto log = dir / "node.log";
    int64_t since = 0, first_run_last = 0;
    {
      node first{cfg, log};
      std::smatch m;
      std::regex listening{"event=bridge_listening address=127\\.0\\.0\\.1 port=(\\d+)"};
      std::string text;
      ASSERT_TRUE(eventually([&] { text = read_text(log); return std::regex_search(text, m, listening); }, 60))
        << text;
      auto port = m[1].str();
      auto db = open(url);
      ASSERT_TRUE(db);
      // Trade a little first, so the halt has history before it.
      ASSERT_TRUE(eventually([&] { return db->list_fills().value().size() >= 2; }, 90)) << read_text(log);
      http::request req;
      req.url = "http://127.0.0.1:" + port + "/api/v1/trading-state";
      req.headers = {{"Authorization", "Bearer " + key.token}};
      req.content_type = "application/json";
      req.body = R"({"action":"halt","scope":"node","reason":"durability test"})";
      req.timeout_ms = 10'000;
      auto r = http::send(req);
      ASSERT_TRUE(r.received()) << r.error;
      ASSERT_LT(r.status, 300) << r.status << " " << r.body;
      // The gate committed the halt before it acted on it …
      ASSERT_TRUE(eventually([&] {
        auto s = stored_state(*db, "node");
        return s && s->state == trading_state::halted;
      }, 60)) << read_text(log);
      since = stored_state(*db, "node")->since_ts_ms;
      // … and a signal after it was denied.
      ASSERT_TRUE(eventually([&] {
        auto all = decisions(*db);
        return std::any_of(all.begin(), all.end(),
                           [&](const risk_decision& d) { return d.reason == deny_reason::trading_halted; });
      }, 90)) << read_text(log);
      EXPECT_EQ(first.kill(), SIGKILL);
      first_run_last = last_decision_ts(*db);
    }
    EXPECT_EQ(count_alerts(*open(url), "trading_state_restored"), 0u);
    {
      auto before = read_text(log).size();
      node second{cfg, log};
      auto db = open(url);
      ASSERT_TRUE(db);
      ASSERT_TRUE(eventually([&] { return count_alerts(*db, "trading_state_restored") >= 1; }, 60)) << read_text(log);
      // The API shows the restored state too.
      std::smatch m;
      std::regex listening{"event=bridge_listening address=127\\.0\\.0\\.1 port=(\\d+)"};
      std::string text;
      ASSERT_TRUE(eventually([&] {
        text = read_text(log).substr(before);
        return std::regex_search(text, m, listening);
      }, 60)) << text;
      http::request get;
      get.method = "GET";
      get.url = "http://127.0.0.1:" + m[1].str() + "/api/v1/trading-state";
      get.headers = {{"Authorization", "Bearer " + key.token}};
      get.timeout_ms = 10'000;
      auto shown = http::send(get);
      ASSERT_TRUE(shown.received()) << shown.error;
      EXPECT_TRUE(std::regex_search(shown.body, std::regex{R"("node"\s*:\s*"halted")"})) << shown.body;
      // The restarted node replays from the start; wait until it decides past the first run.
      ASSERT_TRUE(eventually([&] { return last_decision_ts(*db) > first_run_last + 5'000; }, 120)) << read_text(log);
      second.kill();
      expect_still_halted(*db, since, first_run_last, deny_reason::trading_halted);
      auto alerts = db->list_alerts().value();
      auto it = std::find_if(alerts.begin(), alerts.end(), [](const alert& a) { return a.code == "trading_state_restored"; });
      ASSERT_NE(it, alerts.end());
      EXPECT_EQ(it->level, severity::critical);
      EXPECT_NE(it->message.find("node halted (operator)"), std::string::npos) << it->message;
    }
  }

  /// A drawdown limit so tight the first loss trips it; killed right after the trip is
  /// committed (crash point states_written), restarted with a loose limit on the same store.
  void breaker_kill_restart(const std::string& url, const fs::path& dir) {
    fs::create_directories(dir);
    auto log = dir / "node.log";
    auto tight = write_config(dir, url, "  max_position_pct: 100\n  max_drawdown_pct: 0.01\n", false);
    {
      node first{tight, log, "states_written:1"};
      EXPECT_EQ(first.wait(120), SIGKILL) << read_text(log);
    }
    auto db = open(url);
    ASSERT_TRUE(db);
    auto latch = stored_state(*db, "node");
    ASSERT_TRUE(latch) << read_text(log);
    EXPECT_EQ(latch->state, trading_state::halted);
    EXPECT_EQ(latch->cause, "drawdown");
    auto since = latch->since_ts_ms;
    auto first_run_last = last_decision_ts(*db);
    // Without the stored latch, the loose limit would let this run trade on.
    auto loose = write_config(dir, url, "  max_position_pct: 100\n  max_drawdown_pct: 99\n", false);
    node second{loose, log};
    ASSERT_TRUE(eventually([&] { return count_alerts(*db, "trading_state_restored") >= 1; }, 60)) << read_text(log);
    ASSERT_TRUE(eventually([&] { return last_decision_ts(*db) > std::max(first_run_last, since) + 20'000; }, 120))
      << read_text(log);
    second.kill();
    expect_still_halted(*db, since, std::max(first_run_last, since), deny_reason::max_drawdown);
  }
};

std::string fresh_sqlite(const std::string& name) {
  auto path = temp_dir() / (name + ".db");
  for (const char* tail : {"", "-wal", "-shm"})
    fs::remove(path.string() + tail);
  return "sqlite:" + path.string();
}

TEST_F(durable_states, sqlite_halt_survives_sigkill) {
  halt_kill_restart(fresh_sqlite("halt"), temp_dir() / "halt");
}

TEST_F(durable_states, sqlite_drawdown_breaker_survives_sigkill) {
  breaker_kill_restart(fresh_sqlite("breaker"), temp_dir() / "breaker");
}

class durable_states_pg : public durable_states {
protected:
  void SetUp() override {
    if (tradewind::testing::pg_test_url().empty())
      GTEST_SKIP() << "TW_TEST_PG_URL is not set (scripts/test.sh starts PostgreSQL and sets it)";
  }
  std::string fresh(const std::string& name) {
    schemas_.push_back(std::make_unique<tradewind::testing::pg_schema>("durable_" + name));
    store_config sc;
    sc.url = schemas_.back()->url();
    auto m = migrate_store(sc);
    EXPECT_TRUE(m.is_ok()) << m.error();
    return sc.url;
  }
  std::vector<std::unique_ptr<tradewind::testing::pg_schema>> schemas_;
};

TEST_F(durable_states_pg, postgres_halt_survives_sigkill) {
  halt_kill_restart(fresh("halt"), temp_dir() / "pg-halt");
}

TEST_F(durable_states_pg, postgres_drawdown_breaker_survives_sigkill) {
  breaker_kill_restart(fresh("breaker"), temp_dir() / "pg-breaker");
}

} // namespace
