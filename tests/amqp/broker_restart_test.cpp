// End to end over the real broker, restarted in the middle of the run: four `tradewind`
// processes replay five weeks of BTC/USDT candles (data/BTCUSDT-5m-2023-01.csv) plus
// SOLUSDT, paced, while the test broker's application is stopped and started again
// (`rabbitmqctl stop_app` / `start_app` through TW_TEST_RMQ_CTL: every connection drops, the
// listener goes away, the queues are recovered from disk). Every node must reconnect and
// finish, and the trading node must hold exactly the records of the single-process run, each
// message handed over once. A classic queue that no node consumes (audit.market_data) must
// still hold every bar published before the restart: a classic queue keeps only persistent
// messages.
//
// The test stops the broker every other test uses: it runs alone (CTest RUN_SERIAL).

#include <cstdlib>
#include <iostream>
#include <set>

#include "bridge/amqp/impl/connection.hpp"
#include "cluster_support.hpp"

using namespace tradewind::amqp_test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

/// The distinct bars in `queue` (read without acking); stops once `expected` were seen or
/// nothing came for 5 s.
int64_t distinct_bars(const std::string& url, const std::string& vhost, const std::string& queue,
                      int64_t expected) {
  tradewind::amqp::impl::connection c;
  if (!c.open({url, vhost, 10, 5'000}).empty() || !c.set_prefetch(0).empty()
      || !c.start_consuming(queue, "audit").empty())
    return -1;
  std::set<std::string> bodies;
  for (int idle_ms = 0; static_cast<int64_t>(bodies.size()) < expected && idle_ms < 5'000;) {
    tradewind::amqp::impl::delivery d;
    tradewind::amqp::impl::frame_event ev;
    if (!c.consume(100, d, ev)) {
      idle_ms += 100;
      continue;
    }
    idle_ms = 0;
    if (d.header(tradewind::amqp::header::message_type) == "bar")
      bodies.insert(d.body);
  }
  return static_cast<int64_t>(bodies.size());
}

} // namespace

class amqp_broker_restart : public cluster_fixture {
protected:
  void SetUp() override {
    cluster_fixture::SetUp();
    if (IsSkipped() || HasFatalFailure())
      return;
    ctl_ = env("TW_TEST_RMQ_CTL");
    if (ctl_.empty())
      GTEST_SKIP() << "TW_TEST_RMQ_CTL (a rabbitmqctl for the test broker) is set by scripts/test.sh";
  }

  void TearDown() override {
    if (stopped_) // a failed test must not leave the other tests without a broker
      ctl("start_app");
    cluster_fixture::TearDown();
  }

  /// Runs `rabbitmqctl ARGS` for the test broker (output in ctl.log); its exit status.
  int ctl(const std::string& args) {
    std::string cmd = ctl_ + " " + args + " >> '" + (dir_ / "ctl.log").string() + "' 2>&1";
    int status = std::system(cmd.c_str());
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 0)
      stopped_ = args == "stop_app" ? true : args == "start_app" ? false : stopped_;
    return code;
  }

  std::string ctl_;
  bool stopped_ = false;
};

TEST_F(amqp_broker_restart, a_broker_restart_mid_run_loses_and_duplicates_no_order_or_fill) {
  auto feeds = restart_feeds();
  prepare(feeds, pace_over(feeds.btc, 30s), /*audit_queue=*/true);
  ASSERT_FALSE(HasFatalFailure());
  const int64_t total_orders = count_of(single_db(), "orders");
  const int64_t ticks = summary_count(dir_ / "single.out", "ticks");
  ASSERT_GT(total_orders, 100);
  ASSERT_GT(ticks, 0);

  auto nodes = start_nodes();
  // Once orders flow through the whole cluster, stop the broker: the paced replay has most of
  // its 30 s ahead, far more than rabbitmqctl needs to act.
  ASSERT_TRUE(await_orders(nodes, total_orders / 20))
    << "the cluster did not get a twentieth of the way; trading:\n" << tail_of(dir_ / "trading.err");
  ASSERT_EQ(ctl("stop_app"), 0) << tail_of(dir_ / "ctl.log");
  // The restart lands in the middle: every node still runs, the trading node is not done.
  for (const auto& n : nodes)
    EXPECT_TRUE(running(n)) << n.name << " finished before the broker went down";
  auto orders_while_down = count_of(cluster_db(), "orders");
  EXPECT_LT(orders_while_down, total_orders);
  ASSERT_EQ(ctl("start_app"), 0) << tail_of(dir_ / "ctl.log");
  std::cout << "broker restarted with " << orders_while_down << " of " << total_orders << " orders stored\n";

  expect_all_finish(nodes, 240s);
  ASSERT_FALSE(HasFailure());
  expect_same_records_as_single();

  // Each message was handed over exactly once: the trading node saw every tick, signal and
  // decision of the reference once (the store's upserts would hide a second copy).
  for (const std::string label : {"ticks", "signals", "risk decisions", "orders", "fills"})
    EXPECT_EQ(summary_count(dir_ / "trading.out", label), summary_count(dir_ / "single.out", label)) << label;
  EXPECT_EQ(summary_count(dir_ / "strategy-1.out", "ticks") + summary_count(dir_ / "strategy-2.out", "ticks"), ticks);
  EXPECT_EQ(summary_count(dir_ / "strategy-1.out", "signals") + summary_count(dir_ / "strategy-2.out", "signals"),
            summary_count(dir_ / "single.out", "signals"));

  // Every node lost its connections and reconnected, and said so: in its log, and in alerts
  // that reached the trading node's store over the broker.
  for (const auto& n : nodes) {
    auto log = read_all(dir_ / (n.name + ".err"));
    EXPECT_NE(log.find("event=amqp_connection_lost"), std::string::npos) << n.name;
    EXPECT_NE(log.find("event=amqp_reconnected"), std::string::npos) << n.name;
  }
  for (std::string code : {"amqp_connection_lost", "amqp_reconnected"})
    for (std::string source : {"amqp-in:collector.account", "amqp-in:strategy-1.market_data",
                               "amqp-in:strategy-2.market_data", "amqp-in:trading.market_data"})
      EXPECT_GE(count_of(cluster_db(), "alerts WHERE code = '" + code + "' AND source = '" + source + "'"), 1)
        << code << " from " << source;

  // What the broker held across the restart is all there (re-published copies aside).
  EXPECT_EQ(distinct_bars(amqp_url_, vhost_, "audit.market_data", ticks), ticks);
}
