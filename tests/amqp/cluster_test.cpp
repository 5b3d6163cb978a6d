// End to end over the real broker: four `tradewind` processes (collector, two strategy nodes
// sharing the symbols, trading node) produce exactly the orders and fills of the
// single-process run of the same config.

#include <chrono>
#include <csignal>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <sqlite3.h>

#include "broker_support.hpp"

extern char** environ;

using namespace tradewind;
using namespace tradewind::amqp_test;

namespace {

/// A child process whose stdout and stderr go to files.
struct process {
  pid_t pid = -1;
  std::string name;
};

process start(const std::string& name, const std::vector<std::string>& args, const std::filesystem::path& dir) {
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
std::vector<int> wait_all(std::vector<process>& ps, std::chrono::seconds limit) {
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

int run_sync(const std::string& name, const std::vector<std::string>& args, const std::filesystem::path& dir) {
  std::vector<process> ps{start(name, args, dir)};
  return wait_all(ps, std::chrono::seconds(120)).front();
}

/// Every row of `sql` in `db`, columns joined with '|'.
std::vector<std::string> rows(const std::filesystem::path& db, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return {"cannot open " + db.string()};
  }
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

std::string tail_of(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return all.size() > 3000 ? all.substr(all.size() - 3000) : all;
}

} // namespace

class amqp_cluster : public broker_fixture {};

TEST_F(amqp_cluster, four_nodes_over_the_broker_trade_exactly_like_one_process) {
  auto single_db = dir_ / "single.db";
  auto cluster_db = dir_ / "cluster.db";
  write_file(dir_ / "single.yaml", cluster_config(single_db.string(), amqp_url_));
  write_file(dir_ / "cluster.yaml", cluster_config(cluster_db.string(), amqp_url_));
  write_file(dir_ / "topology.yaml", cluster_topology(vhost_, "cluster.yaml"));
  std::string topo = (dir_ / "topology.yaml").string();

  ASSERT_EQ(run_sync("apply", {"topology", "apply", topo, "--amqp-url", amqp_url_, "--management-url", mgmt_url_},
                     dir_),
            0)
    << tail_of(dir_ / "apply.err");
  ASSERT_EQ(run_sync("single", {"run", "--config", (dir_ / "single.yaml").string()}, dir_), 0)
    << tail_of(dir_ / "single.err");

  std::vector<process> nodes;
  for (std::string n : {"trading", "strategy-1", "strategy-2", "collector"})
    nodes.push_back(start(n, {"run", "--node", n, "--topology", topo}, dir_));
  auto codes = wait_all(nodes, std::chrono::seconds(240));
  for (size_t i = 0; i < nodes.size(); ++i)
    EXPECT_EQ(codes[i], 0) << nodes[i].name << ":\n" << tail_of(dir_ / (nodes[i].name + ".err"));
  ASSERT_FALSE(HasFailure());

  const std::string orders = "SELECT * FROM orders ORDER BY client_order_id";
  const std::string fills = "SELECT * FROM fills ORDER BY fill_id";
  auto single_orders = rows(single_db, orders);
  auto single_fills = rows(single_db, fills);
  EXPECT_EQ(single_orders.size(), 438u);
  EXPECT_EQ(single_fills.size(), 437u);
  EXPECT_EQ(rows(single_db, "SELECT symbol, count(*) FROM orders GROUP BY symbol ORDER BY symbol"),
            (std::vector<std::string>{"BTCUSDT|214", "SOLUSDT|224"}));
  EXPECT_EQ(rows(cluster_db, orders), single_orders);
  EXPECT_EQ(rows(cluster_db, fills), single_fills);
  EXPECT_EQ(rows(cluster_db, "SELECT * FROM risk_decisions ORDER BY client_order_id"),
            rows(single_db, "SELECT * FROM risk_decisions ORDER BY client_order_id"));
}
