// The `tradewind` command as an operator uses it: exit codes, messages, summary, signals.

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <sqlite3.h>

#include "actors/storage/store.hpp"

namespace fs = std::filesystem;

namespace {

struct outcome {
  int exit_code = -1;
  std::string output; ///< stdout and stderr together
};

outcome run(const std::string& args) {
  std::string cmd = std::string{TW_BINARY} + " " + args + " 2>&1";
  outcome out;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe)
    return out;
  std::array<char, 4096> buf{};
  while (auto n = std::fread(buf.data(), 1, buf.size(), pipe))
    out.output.append(buf.data(), n);
  int status = ::pclose(pipe);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

fs::path temp_dir() {
  auto dir = fs::temp_directory_path() / ("tradewind-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

fs::path write_config(const std::string& name, const std::string& body) {
  auto path = temp_dir() / name;
  std::ofstream{path} << body;
  return path;
}

std::string sample_config(const fs::path& db, const std::string& extra = "") {
  return "node:\n  name: cli-test\nlog:\n  level: warn\ncollector:\n  mode: replay\n  feeds:\n"
         "    - symbol: BTCUSDT\n      path: " + std::string{TW_SOURCE_DIR} +
         "/data/sample-btcusdt-5m.csv\n" + extra +
         "strategies:\n  - id: ma\n    fast: 10\n    slow: 30\n    order_notional: 2000\n"
         "store:\n  url: sqlite:" + db.string() + "\n";
}

/// Fills committed to the SQLite store at `db` so far, read without writing (the node may be
/// running); 0 while the store does not exist yet.
int64_t stored_fills(const fs::path& db) {
  sqlite3* h = nullptr;
  int64_t n = 0;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(h, 1000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, "SELECT count(*) FROM fills", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return n;
}

} // namespace

TEST(cli, version_and_help) {
  auto v = run("version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.output.rfind("tradewind ", 0), 0u) << v.output;
  auto h = run("--help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.output.find("run"), std::string::npos);
  EXPECT_NE(h.output.find("config"), std::string::npos);
  auto bad = run("no-such-command");
  EXPECT_NE(bad.exit_code, 0);
}

TEST(cli, config_validate_accepts_the_shipped_examples) {
  for (auto name : {"paper.yaml", "synthetic.yaml"}) {
    auto r = run("config validate " + std::string{TW_SOURCE_DIR} + "/config/examples/" + name);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(": OK"), std::string::npos) << r.output;
  }
}

TEST(cli, config_validate_lists_every_error_with_its_key_path) {
  auto path = write_config("bad.yaml", "risk:\n  max_position_pct: 150\n  max_postion_pct: 3\n"
                                       "strategies:\n  - id: a\n    fast: 30\n    slow: 10\n");
  auto r = run("config validate " + path.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("risk.max_position_pct: must be in (0, 100], got 150"), std::string::npos)
    << r.output;
  EXPECT_NE(r.output.find("did you mean max_position_pct?"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("strategies[0].slow: must be > fast"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("nothing was started"), std::string::npos) << r.output;
}

TEST(cli, run_replays_the_sample_prints_the_summary_and_stores_what_it_reports) {
  auto db = temp_dir() / "run.db";
  fs::remove(db);
  auto cfg = write_config("run.yaml", sample_config(db));
  auto r = run("run --config " + cfg.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Tradewind run summary (complete)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ticks          2000"), std::string::npos) << r.output;
  tradewind::store_config sc;
  sc.url = "sqlite:" + db.string();
  auto opened = tradewind::open_store(sc);
  ASSERT_TRUE(opened.is_ok()) << opened.error();
  auto fills = opened.value()->count_fills();
  ASSERT_TRUE(fills.is_ok());
  EXPECT_GT(fills.value(), 0);
  EXPECT_NE(r.output.find("fills          " + std::to_string(fills.value()) + " "), std::string::npos)
    << r.output;
}

TEST(cli, sigterm_stops_a_live_node_gracefully_and_flushes_the_store) {
  auto db = temp_dir() / "live.db";
  fs::remove(db);
  // Paced replay (20 bars/s: ~100 s for the sample), so only a signal ends it in time.
  auto cfg = write_config("live.yaml", sample_config(db, "  speed: 6000\n"));
  auto out_file = temp_dir() / "live.out";
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen(out_file.c_str(), "w", stdout);
    std::freopen(out_file.c_str(), "a", stderr);
    ::setenv("TRADEWIND__LOG__LEVEL", "info", 1); // for the node_started line
    ::execl(TW_BINARY, TW_BINARY, "run", "--config", cfg.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto read_output = [&] {
    std::ifstream in{out_file};
    return std::string{std::istreambuf_iterator<char>{in}, {}};
  };
  // Signal only once the node says it runs and has stored a fill: a flush then has work to do.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  bool ready = false;
  while (!ready && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ready = read_output().find("event=node_started") != std::string::npos && stored_fills(db) > 0;
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  auto output = read_output();
  ASSERT_TRUE(ready) << "no node_started line and stored fill within 90 s:\n" << output;
  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_NE(output.find("Tradewind run summary (interrupted)"), std::string::npos) << output;
  // Every fill the summary counts was flushed to the store before exit.
  auto n = stored_fills(db);
  EXPECT_GT(n, 0);
  EXPECT_NE(output.find("fills          " + std::to_string(n) + " "), std::string::npos)
    << "store holds " << n << " fills\n" << output;
}
