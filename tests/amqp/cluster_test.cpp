// End to end over the real broker: four `tradewind` processes (collector, two strategy nodes
// sharing the symbols, trading node) produce exactly the orders and fills of the
// single-process run of the same config.

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
