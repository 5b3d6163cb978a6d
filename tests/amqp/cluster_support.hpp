#pragma once
// Support of the cluster end-to-end tests: `tradewind` child processes (TW_BINARY), reading a
// node's SQLite store, and the single-process reference run a cluster run is compared with.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <sstream>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <sqlite3.h>

#include "broker_support.hpp"

extern char** environ;

namespace tradewind::amqp_test {

/// A child process whose stdout and stderr go to files `<dir>/<name>.out` and `.err`.
struct process {
  pid_t pid = -1;
  std::string name;
};

inline process start(const std::string& name, const std::vector<std::string>& args, const std::filesystem::path& dir) {
  std::vector<char*> argv;
  std::vector<std::string> storage{TW_BINARY};
  storage.insert(storage.end(), args.begin(), args.end());
  for (auto& a : storage)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  std::string out = (dir / (name + ".out")).string();
  std::string err = (dir / (name + ".err")).string();
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  process p;
  p.name = name;
  if (posix_spawn(&p.pid, TW_BINARY, &fa, nullptr, argv.data(), environ) != 0)
    p.pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  return p;
}

/// Exit codes of `ps` (-1 for a process killed at the deadline).
inline std::vector<int> wait_all(std::vector<process>& ps, std::chrono::seconds limit) {
  std::vector<int> codes(ps.size(), -2);
  auto deadline = std::chrono::steady_clock::now() + limit;
  size_t left = ps.size();
  while (left > 0 && std::chrono::steady_clock::now() < deadline) {
    for (size_t i = 0; i < ps.size(); ++i) {
      if (codes[i] != -2)
        continue;
      int status = 0;
      if (waitpid(ps[i].pid, &status, WNOHANG) == ps[i].pid) {
        codes[i] = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        --left;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (size_t i = 0; i < ps.size(); ++i)
    if (codes[i] == -2) {
      kill(ps[i].pid, SIGKILL);
      waitpid(ps[i].pid, nullptr, 0);
      codes[i] = -1;
    }
  return codes;
}

/// True while `p` has not exited (it is not reaped: wait_all still gets its exit code).
inline bool running(const process& p) {
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(p.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0;
}

inline int run_sync(const std::string& name, const std::vector<std::string>& args, const std::filesystem::path& dir) {
  std::vector<process> ps{start(name, args, dir)};
  return wait_all(ps, std::chrono::seconds(120)).front();
}

/// Every row of `sql` in `db`, columns joined with '|' (the store may be writing meanwhile).
inline std::vector<std::string> rows(const std::filesystem::path& db, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return {"cannot open " + db.string()};
  }
  sqlite3_busy_timeout(h, 5'000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    out.push_back(std::string("bad sql: ") + sqlite3_errmsg(h));
  } else {
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        auto* text = sqlite3_column_text(st, c);
        row += (c ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      out.push_back(std::move(row));
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

inline std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::string tail_of(const std::filesystem::path& p) {
  auto all = read_all(p);
  return all.size() > 3000 ? all.substr(all.size() - 3000) : all;
}

/// The bundled five weeks of BTC/USDT (data/BTCUSDT-5m-2023-01.csv); SOLUSDT is the bundled
/// synthetic sample.
inline cluster_feeds restart_feeds() {
  cluster_feeds feeds;
  feeds.btc = (std::filesystem::path(TW_DATA_DIR) / "BTCUSDT-5m-2023-01.csv").string();
  return feeds;
}

/// collector.speed that stretches the event-time span of the candle file `csv` over `wall`:
/// the replay lasts at least that long however fast the machine is.
inline std::string pace_over(const std::string& csv, std::chrono::seconds wall) {
  std::ifstream in(csv);
  std::string line, first, last;
  std::getline(in, line); // header
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    if (first.empty())
      first = line;
    last = line;
  }
  auto ts = [](const std::string& row) { return std::stoll(row.substr(0, row.find(','))); };
  auto span_ms = ts(last) - ts(first);
  return std::to_string(std::max<int64_t>(1, span_ms / std::chrono::milliseconds(wall).count()));
}

/// The integer after `label` on the line of `tradewind run`'s summary (in `out`) that starts
/// with it; -1 when absent.
inline int64_t summary_count(const std::filesystem::path& out, const std::string& label) {
  std::istringstream in(read_all(out));
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(label, 0) == 0) {
      std::istringstream rest(line.substr(label.size()));
      int64_t n = -1;
      rest >> n;
      return n;
    }
  return -1;
}

/// SELECT count(*) FROM `from` (a table and its WHERE clause) in `db`; 0 when unreadable.
inline int64_t count_of(const std::filesystem::path& db, const std::string& from) {
  auto r = rows(db, "SELECT count(*) FROM " + from);
  return r.size() == 1 && std::isdigit(static_cast<unsigned char>(r[0][0])) ? std::stoll(r[0]) : 0;
}

/// A cluster run of the four nodes of cluster_topology() and its single-process reference,
/// both in the fixture's temp dir.
class cluster_fixture : public broker_fixture {
protected:
  /// Writes the configs (the reference at full speed, the cluster nodes at `speed`, both with
  /// the risk limits `risk`) and the topology (cluster_topology() with `audit_queue`), declares
  /// the topology and runs the reference.
  void prepare(const cluster_feeds& feeds = {}, const std::string& speed = "0", bool audit_queue = false,
               const std::string& risk = "{max_orders_per_window: 1000}") {
    write_file(dir_ / "single.yaml", cluster_config(single_db().string(), amqp_url_, feeds, "0", risk));
    write_file(dir_ / "cluster.yaml", cluster_config(cluster_db().string(), amqp_url_, feeds, speed, risk));
    write_file(dir_ / "topology.yaml", cluster_topology(vhost_, "cluster.yaml", audit_queue));
    ASSERT_EQ(run_sync("apply", {"topology", "apply", topology(), "--amqp-url", amqp_url_, "--management-url",
                                 mgmt_url_},
                       dir_),
              0)
      << tail_of(dir_ / "apply.err");
    ASSERT_EQ(run_sync("single", {"run", "--config", (dir_ / "single.yaml").string()}, dir_), 0)
      << tail_of(dir_ / "single.err");
  }

  /// Starts every node of the topology, the collector (the source) last.
  std::vector<process> start_nodes() {
    std::vector<process> nodes;
    for (std::string n : {"trading", "strategy-1", "strategy-2", "collector"})
      nodes.push_back(start(n, {"run", "--node", n, "--topology", topology()}, dir_));
    return nodes;
  }

  /// Waits for `nodes` and expects each to exit 0.
  void expect_all_finish(std::vector<process>& nodes, std::chrono::seconds limit) {
    auto codes = wait_all(nodes, limit);
    for (size_t i = 0; i < nodes.size(); ++i)
      EXPECT_EQ(codes[i], 0) << nodes[i].name << ":\n" << tail_of(dir_ / (nodes[i].name + ".err"));
  }

  /// The trading node stored exactly the orders, fills, risk decisions, equity snapshots and
  /// positions of the reference.
  void expect_same_records_as_single() {
    for (const char* sql :
         {"SELECT * FROM orders ORDER BY client_order_id", "SELECT * FROM fills ORDER BY fill_id",
          "SELECT * FROM risk_decisions ORDER BY client_order_id", "SELECT * FROM equity_snapshots ORDER BY ts_ms",
          "SELECT * FROM positions ORDER BY symbol"})
      EXPECT_EQ(rows(cluster_db(), sql), rows(single_db(), sql)) << sql;
  }

  /// Waits until the trading node stored `orders` orders; false when a node exited first or
  /// the guard (not a speed requirement) ran out.
  bool await_orders(const std::vector<process>& nodes, int64_t orders) {
    auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < guard) {
      for (const auto& n : nodes)
        if (!running(n))
          return false;
      if (count_of(cluster_db(), "orders") >= orders)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::filesystem::path single_db() const { return dir_ / "single.db"; }
  std::filesystem::path cluster_db() const { return dir_ / "cluster.db"; }
  std::string topology() const { return (dir_ / "topology.yaml").string(); }
};

} // namespace tradewind::amqp_test
