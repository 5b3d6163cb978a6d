#include <gtest/gtest.h>

#include "actors/risk/decision_queue.hpp"
#include "risk_test_util.hpp"

using namespace tradewind;
using namespace tradewind::risk;
using namespace tradewind::risk::test;

namespace {

/// "strategy:symbol:seq" for signals, "cid" for manual intents.
std::vector<std::string> labels(const std::vector<queued_input>& items) {
  std::vector<std::string> out;
  for (auto& it : items) {
    if (auto s = std::get_if<tradewind::signal>(&it))
      out.push_back(s->strategy_id + ":" + s->symbol + ":" + std::to_string(s->seq));
    else
      out.push_back(std::get<order_intent>(it).client_order_id);
  }
  return out;
}

using strs = std::vector<std::string>;

} // namespace

TEST(decision_queue, nothing_is_ready_until_every_input_sent_a_watermark) {
  decision_queue q{{"s1", "s2"}};
  q.push(make_signal("s1", "BTCUSDT", 100, 1, fx(1)));
  EXPECT_EQ(q.current(), decision_queue::no_watermark);
  q.on_watermark(wm("strategy:s1", 100));
  q.on_watermark(wm("account", 100));
  EXPECT_EQ(q.current(), decision_queue::no_watermark);
  EXPECT_TRUE(q.pop_ready().empty());
  q.on_watermark(wm("strategy:s2", 100));
  EXPECT_EQ(q.current(), 100);
  EXPECT_EQ(labels(q.pop_ready()), strs{"s1:BTCUSDT:1"});
}

TEST(decision_queue, releases_in_ts_strategy_symbol_seq_order_once_both_strategies_pass) {
  decision_queue q{{"s1", "s2"}};
  // Pushed in an arbitrary arrival order.
  q.push(make_signal("s2", "BTCUSDT", 100, 4, fx(1)));
  q.push(make_signal("s1", "ETHUSDT", 100, 2, fx(1)));
  q.push(make_signal("s1", "BTCUSDT", 200, 3, fx(1)));
  q.push(make_signal("s1", "BTCUSDT", 100, 2, fx(1)));
  q.push(market("op-1", side::buy, fx(1), 100));
  q.push(make_signal("s1", "BTCUSDT", 50, 1, fx(1)));

  q.on_watermark(wm("account", 200));
  q.on_watermark(wm("strategy:s1", 200));
  q.on_watermark(wm("strategy:s2", 50));
  EXPECT_EQ(q.current(), 50);
  EXPECT_EQ(labels(q.pop_ready()), strs{"s1:BTCUSDT:1"});

  q.on_watermark(wm("strategy:s2", 150));
  EXPECT_EQ(q.current(), 150);
  EXPECT_EQ(labels(q.pop_ready()),
            (strs{"op-1", "s1:BTCUSDT:2", "s1:ETHUSDT:2", "s2:BTCUSDT:4"}));
  EXPECT_EQ(q.size(), 1u);
  q.on_watermark(wm("strategy:s2", 200));
  EXPECT_EQ(labels(q.pop_ready()), strs{"s1:BTCUSDT:3"});
}

TEST(decision_queue, without_strategies_w_is_the_account_watermark) {
  decision_queue q{{}};
  q.push(market("op-1", side::buy, fx(1), 100));
  EXPECT_EQ(q.current(), decision_queue::no_watermark);
  q.on_watermark(wm("account", 99));
  EXPECT_TRUE(q.pop_ready().empty());
  q.on_watermark(wm("account", 100));
  EXPECT_EQ(labels(q.pop_ready()), strs{"op-1"});
}

TEST(decision_queue, ignores_unknown_sources_and_never_moves_back) {
  decision_queue q{{"s1"}};
  EXPECT_FALSE(q.on_watermark(wm("strategy:other", 100)));
  EXPECT_FALSE(q.on_watermark(wm("market", 100)));
  EXPECT_TRUE(q.on_watermark(wm("strategy:s1", 100)));
  EXPECT_TRUE(q.on_watermark(wm("account", 100)));
  EXPECT_TRUE(q.on_watermark(wm("account", 40)));
  EXPECT_EQ(q.current(), 100);
}

TEST(decision_queue, end_of_stream_releases_everything) {
  decision_queue q{{"s1"}};
  q.push(make_signal("s1", "BTCUSDT", 500, 1, fx(1)));
  q.on_watermark(wm("strategy:s1", 300, true));
  EXPECT_FALSE(q.ended());
  q.on_watermark(wm("account", 300, true));
  EXPECT_TRUE(q.ended());
  EXPECT_EQ(labels(q.pop_ready()), strs{"s1:BTCUSDT:1"});
}

// A strategy id sharded over several nodes: each node's watermark ("strategy:<id>@<node>")
// is a separate input, so W waits for the slowest node.
TEST(decision_queue, node_qualified_strategy_inputs_are_waited_for_separately) {
  decision_queue q{{"s1@strategy-1", "s1@strategy-2"}};
  q.push(make_signal("s1", "BTCUSDT", 100, 1, fx(1)));
  EXPECT_TRUE(q.on_watermark(watermark{"strategy:s1@strategy-1", 100, false}));
  EXPECT_TRUE(q.on_watermark(watermark{"account", 100, false}));
  EXPECT_FALSE(q.on_watermark(watermark{"strategy:s1", 100, false}));
  EXPECT_EQ(q.current(), decision_queue::no_watermark);
  EXPECT_TRUE(q.pop_ready().empty());
  EXPECT_TRUE(q.on_watermark(watermark{"strategy:s1@strategy-2", 150, false}));
  EXPECT_EQ(q.current(), 100);
  EXPECT_EQ(labels(q.pop_ready()), (strs{"s1:BTCUSDT:1"}));
}

TEST(decision_queue, a_replayed_copy_of_a_waiting_signal_is_refused) {
  decision_queue q{{"s1"}};
  EXPECT_TRUE(q.push(make_signal("s1", "BTCUSDT", 100, 1, fx(1))));
  EXPECT_FALSE(q.push(make_signal("s1", "BTCUSDT", 100, 1, fx(1))));
  EXPECT_TRUE(q.push(make_signal("s1", "BTCUSDT", 100, 2, fx(1))));
  EXPECT_EQ(q.size(), 2u);
  q.on_watermark(wm("strategy:s1", 100));
  q.on_watermark(wm("account", 100));
  EXPECT_EQ(labels(q.pop_ready()), (strs{"s1:BTCUSDT:1", "s1:BTCUSDT:2"}));
}
