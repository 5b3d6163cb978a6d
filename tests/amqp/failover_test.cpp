// End to end over the real broker: a strategy node is killed with SIGKILL in the middle of the
// run. Four `tradewind` processes replay five weeks of BTC/USDT candles (data/BTCUSDT-5m-2023-01.csv)
// plus SOLUSDT, paced; strategy-1 owns BTCUSDT (symbol shard 0). Once a fifth
// of the orders are stored, strategy-1 is killed. strategy-2's membership actor reports it
// lost and, being its heir, runs strategy-1's role in its own process: it replays
// strategy-1's stream from the first offset (warm-up: the strategies' windows are rebuilt from
// the candles), re-sending what strategy-1 had sent (the trading node drops those copies), and
// carries on with BTCUSDT. The run must complete with exactly the records of the
// single-process run: no order lost, none sent twice.

#include <csignal>
#include <iostream>

#include "cluster_support.hpp"

using namespace tradewind::amqp_test;
using namespace std::chrono_literals;

class amqp_failover : public cluster_fixture {};

TEST_F(amqp_failover, a_killed_strategy_node_s_symbols_move_to_the_other_node_and_no_order_is_lost_or_doubled) {
  auto feeds = restart_feeds();
  prepare(feeds, pace_over(feeds.btc, 30s));
  ASSERT_FALSE(HasFatalFailure());
  const int64_t total_orders = count_of(single_db(), "orders");
  ASSERT_GT(total_orders, 100);

  auto nodes = start_nodes(); // trading, strategy-1, strategy-2, collector
  ASSERT_EQ(nodes[1].name, "strategy-1");
  ASSERT_TRUE(await_orders(nodes, total_orders / 5))
    << "the cluster did not get a fifth of the way; trading:\n" << tail_of(dir_ / "trading.err");
  // Only a node the others have heard of can be found lost: on a fast machine a fifth of the
  // orders comes before strategy-1's first heartbeat reaches its peers (every 5 s).
  auto heard_of_strategy_1 = [&](const char* peer) {
    return read_all(dir_ / (std::string{peer} + ".err")).find("event=node_joined node=strategy-1 seen_by=" + std::string{peer})
           != std::string::npos;
  };
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!(heard_of_strategy_1("strategy-2") && heard_of_strategy_1("trading")) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(heard_of_strategy_1("strategy-2") && heard_of_strategy_1("trading"))
    << "strategy-1 never joined; strategy-2:\n" << tail_of(dir_ / "strategy-2.err");
  ASSERT_EQ(kill(nodes[1].pid, SIGKILL), 0);
  auto orders_at_kill = count_of(cluster_db(), "orders");
  EXPECT_LT(orders_at_kill, total_orders) << "strategy-1 was killed after the run was over";
  std::cout << "strategy-1 killed with " << orders_at_kill << " of " << total_orders << " orders stored\n";

  // The survivors finish; strategy-1 was killed (exit code -1 from wait_all).
  auto codes = wait_all(nodes, 300s);
  EXPECT_EQ(codes[1], -1);
  for (size_t i : {0, 2, 3})
    EXPECT_EQ(codes[i], 0) << nodes[i].name << ":\n" << tail_of(dir_ / (nodes[i].name + ".err"));
  ASSERT_FALSE(HasFailure());
  expect_same_records_as_single();
  for (const std::string label : {"ticks", "signals", "risk decisions", "orders", "fills"})
    EXPECT_EQ(summary_count(dir_ / "trading.out", label), summary_count(dir_ / "single.out", label)) << label;

  // strategy-2 took strategy-1's role over, replayed its stream and said so.
  auto heir_log = read_all(dir_ / "strategy-2.err");
  EXPECT_NE(heir_log.find("event=node_adopted node=strategy-1 heir=strategy-2"), std::string::npos) << tail_of(
    dir_ / "strategy-2.err");
  EXPECT_NE(read_all(dir_ / "strategy-2.out").find("adopted role strategy-1:"), std::string::npos);
  // What strategy-1 had sent came again and was dropped as a copy by the trading node.
  EXPECT_NE(read_all(dir_ / "trading.err").find("event=amqp_duplicate_dropped queue=trading.signals"),
            std::string::npos);
  // The trading node's membership reported the loss, strategy-2's the adoption; both alerts
  // reached the trading node's store.
  EXPECT_GE(count_of(cluster_db(), "alerts WHERE code = 'node_lost' AND message LIKE '%strategy-1%'"), 1);
  EXPECT_EQ(count_of(cluster_db(), "alerts WHERE code = 'node_adopted' AND message = 'node strategy-2 now runs the "
                                   "role of lost node strategy-1 (replaying its streams)'"),
            1);
}
