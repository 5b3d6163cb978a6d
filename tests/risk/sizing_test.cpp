#include <gtest/gtest.h>

#include "actors/risk/sizing.hpp"
#include "risk_test_util.hpp"

using namespace tradewind;
using namespace tradewind::risk;
using namespace tradewind::risk::test;

TEST(sizing, flat_to_long_buys_the_target) {
  auto in = size_signal(make_signal("s1", "BTCUSDT", 1000, 7, fx("0.5")), {}, {});
  ASSERT_TRUE(in);
  EXPECT_EQ(in->client_order_id, "s1-BTCUSDT-7");
  EXPECT_EQ(in->strategy_id, "s1");
  EXPECT_EQ(in->symbol, "BTCUSDT");
  EXPECT_EQ(in->order_side, side::buy);
  EXPECT_EQ(in->type, order_type::market);
  EXPECT_EQ(in->qty, fx("0.5"));
  EXPECT_EQ(in->limit_price, fixed{});
  EXPECT_FALSE(in->reduce_only);
  EXPECT_EQ(in->ts_ms, 1000);
}

TEST(sizing, long_to_flat_sells_everything_reduce_only) {
  auto in = size_signal(make_signal("s1", "BTCUSDT", 2000, 2, {}), fx(2), {});
  ASSERT_TRUE(in);
  EXPECT_EQ(in->order_side, side::sell);
  EXPECT_EQ(in->qty, fx(2));
  EXPECT_TRUE(in->reduce_only);
}

TEST(sizing, long_to_short_flips_without_reduce_only) {
  auto in = size_signal(make_signal("s1", "BTCUSDT", 2000, 3, fx(-1)), fx(2), {});
  ASSERT_TRUE(in);
  EXPECT_EQ(in->order_side, side::sell);
  EXPECT_EQ(in->qty, fx(3));
  EXPECT_FALSE(in->reduce_only);
}

TEST(sizing, short_to_smaller_short_buys_reduce_only) {
  auto in = size_signal(make_signal("s1", "BTCUSDT", 2000, 4, fx(-1)), fx(-3), {});
  ASSERT_TRUE(in);
  EXPECT_EQ(in->order_side, side::buy);
  EXPECT_EQ(in->qty, fx(2));
  EXPECT_TRUE(in->reduce_only);
}

TEST(sizing, open_orders_count_toward_exposure) {
  std::vector<order> open{open_order("a", "s1", "BTCUSDT", side::buy, fx(2), fx("0.5")),
                          open_order("b", "s1", "BTCUSDT", side::sell, fx("0.25")),
                          open_order("c", "s1", "ETHUSDT", side::buy, fx(100))};
  auto net = open_net_of(open, "BTCUSDT");
  EXPECT_EQ(net, fx("1.25")); // 1.5 remaining bought, 0.25 sold; ETH ignored
  auto in = size_signal(make_signal("s1", "BTCUSDT", 1000, 1, fx(3)), fx("0.75"), net);
  ASSERT_TRUE(in);
  EXPECT_EQ(in->order_side, side::buy);
  EXPECT_EQ(in->qty, fx(1)); // 3 - (0.75 + 1.25)
}

TEST(sizing, no_intent_when_exposure_already_matches) {
  EXPECT_FALSE(size_signal(make_signal("s1", "BTCUSDT", 1000, 1, fx(2)), fx(1), fx(1)));
  EXPECT_FALSE(size_signal(make_signal("s1", "BTCUSDT", 1000, 1, {}), {}, {}));
}

TEST(sizing, reduces_exposure_only_when_shrinking_without_flip) {
  EXPECT_TRUE(reduces_exposure(fx(2), fx(-2)));
  EXPECT_TRUE(reduces_exposure(fx(2), fx(-1)));
  EXPECT_TRUE(reduces_exposure(fx(-2), fx(1)));
  EXPECT_FALSE(reduces_exposure(fx(2), fx("-2.00000001")));
  EXPECT_FALSE(reduces_exposure(fx(2), fx(1)));
  EXPECT_FALSE(reduces_exposure({}, fx(-1)));
  EXPECT_FALSE(reduces_exposure(fx(1), {}));
}

TEST(sizing, snapshot_lookups) {
  auto snap = snapshot(0);
  snap.positions.push_back(pos("XRPUSDT", fx(5), {}));
  snap.positions[0].qty = fx("-0.5");
  EXPECT_EQ(position_of(snap, "BTCUSDT"), fx("-0.5"));
  EXPECT_EQ(position_of(snap, "DOGEUSDT"), fixed{});
  EXPECT_EQ(last_price_of(snap, "ETHUSDT"), fx(10));
  EXPECT_FALSE(last_price_of(snap, "DOGEUSDT"));
  EXPECT_FALSE(last_price_of(snap, "XRPUSDT")); // a zero price is no market data
  EXPECT_EQ(open_remaining(open_order("x", "s", "BTCUSDT", side::sell, fx(1), fx(2))), fixed{});
}
