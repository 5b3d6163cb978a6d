// End to end over the real broker: four `tradewind` processes (collector, two strategy nodes
// sharing the symbols, trading node) produce exactly the orders and fills of the
// single-process run of the same config — with risk limits that do not bind, and with a limit
// that binds and is never breached across the cluster.

#include "cluster_support.hpp"

using namespace tradewind::amqp_test;

class amqp_cluster : public cluster_fixture {};

TEST_F(amqp_cluster, four_nodes_over_the_broker_trade_exactly_like_one_process) {
  prepare();
  ASSERT_FALSE(HasFatalFailure());
  auto nodes = start_nodes();
  expect_all_finish(nodes, std::chrono::seconds(240));
  ASSERT_FALSE(HasFailure());

  EXPECT_EQ(rows(single_db(), "SELECT count(*) FROM orders"), (std::vector<std::string>{"438"}));
  EXPECT_EQ(rows(single_db(), "SELECT count(*) FROM fills"), (std::vector<std::string>{"437"}));
  EXPECT_EQ(rows(single_db(), "SELECT symbol, count(*) FROM orders GROUP BY symbol ORDER BY symbol"),
            (std::vector<std::string>{"BTCUSDT|214", "SOLUSDT|224"}));
  expect_same_records_as_single();
}

TEST_F(amqp_cluster, with_a_binding_limit_no_node_s_orders_breach_it_across_the_cluster) {
  // At most 3 approved orders per hour of event time, whichever node's strategy asked: the
  // two strategy nodes together want more (the reference denies 100 of 377 here).
  prepare({}, "0", false, "{max_orders_per_window: 3, rate_window_ms: 3600000}");
  ASSERT_FALSE(HasFatalFailure());
  auto nodes = start_nodes();
  expect_all_finish(nodes, std::chrono::seconds(240));
  ASSERT_FALSE(HasFailure());
  expect_same_records_as_single();
  EXPECT_GT(count_of(cluster_db(), "risk_decisions WHERE approved = 0 AND reason = 'rate_limited'"), 0)
    << "the limit did not bind";
  // The busiest hour of event time ending at any approved order holds at most 3 of them.
  EXPECT_EQ(rows(cluster_db(), "SELECT coalesce(max(c), 0) FROM (SELECT (SELECT count(*) FROM orders b "
                               "WHERE b.created_ts_ms > a.created_ts_ms - 3600000 AND b.created_ts_ms <= a.created_ts_ms)"
                               " AS c FROM orders a)"),
            (std::vector<std::string>{"3"}));
  EXPECT_EQ(count_of(cluster_db(), "orders"), count_of(cluster_db(), "risk_decisions WHERE approved = 1"));
}
