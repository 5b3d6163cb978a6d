#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "actors/risk/sizing.hpp"
#include "risk_test_util.hpp"

using namespace tradewind;
using namespace tradewind::risk;
using namespace tradewind::risk::test;

TEST(sizing, flat_to_long_buys_the_target) {
  auto in = size_signal(make_signal("s1", "BTCUSDT", 1000, 7, fx("0.5")), {}, {}).intent;
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
  auto in = size_signal(make_signal("s1", "BTCUSDT", 2000, 2, {}), fx(2), {}).intent;
  ASSERT_TRUE(in);
  EXPECT_EQ(in->order_side, side::sell);
  EXPECT_EQ(in->qty, fx(2));
  EXPECT_TRUE(in->reduce_only);
}

TEST(sizing, long_to_short_flips_without_reduce_only) {
  auto in = size_signal(make_signal("s1", "BTCUSDT", 2000, 3, fx(-1)), fx(2), {}).intent;
  ASSERT_TRUE(in);
  EXPECT_EQ(in->order_side, side::sell);
  EXPECT_EQ(in->qty, fx(3));
  EXPECT_FALSE(in->reduce_only);
}

TEST(sizing, short_to_smaller_short_buys_reduce_only) {
  auto in = size_signal(make_signal("s1", "BTCUSDT", 2000, 4, fx(-1)), fx(-3), {}).intent;
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
  EXPECT_EQ(*net, fx("1.25")); // 1.5 remaining bought, 0.25 sold; ETH ignored
  auto in = size_signal(make_signal("s1", "BTCUSDT", 1000, 1, fx(3)), fx("0.75"), net).intent;
  ASSERT_TRUE(in);
  EXPECT_EQ(in->order_side, side::buy);
  EXPECT_EQ(in->qty, fx(1)); // 3 - (0.75 + 1.25)
}

TEST(sizing, no_intent_when_exposure_already_matches) {
  EXPECT_FALSE(size_signal(make_signal("s1", "BTCUSDT", 1000, 1, fx(2)), fx(1), fx(1)).intent);
  EXPECT_FALSE(size_signal(make_signal("s1", "BTCUSDT", 1000, 1, {}), {}, {}).intent);
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
  EXPECT_EQ(*open_remaining(open_order("x", "s", "BTCUSDT", side::sell, fx(1), fx(2))), fixed{});
}

// Defect 2 of issue 11, at the risk gate: a delta that does not fit must give no intent at
// all (and a reason for the alert), never an order on the wrong side.
TEST(sizing, a_delta_that_overflows_gives_no_intent_and_says_why) {
  auto max = fx("92233720368.54775807");
  auto sized = size_signal(make_signal("s1", "BTCUSDT", 1000, 9, fx(-1)), max, {});
  EXPECT_FALSE(sized.intent);
  EXPECT_EQ(sized.error, "cannot size signal s1-BTCUSDT-9: target -1 - exposure (position "
                         "92233720368.54775807 + open orders 0) overflows");
  sized = size_signal(make_signal("s1", "BTCUSDT", 1000, 9, fx(1)), max, fx(1));
  EXPECT_FALSE(sized.intent);
  EXPECT_NE(sized.error.find("overflows"), std::string::npos);
  sized = size_signal(make_signal("s1", "BTCUSDT", 1000, 9, fx(1)), {},
                      fixed_result{fixed_error::overflow});
  EXPECT_FALSE(sized.intent);
  EXPECT_NE(sized.error.find("open orders overflow"), std::string::npos);
}

TEST(sizing, the_side_always_follows_the_exact_sign_of_target_minus_exposure) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  const std::vector<int64_t> values{min, min + 1, -max / 2, -1, 0, 1, max / 2, max - 1, max};
  for (int64_t target : values)
    for (int64_t position : values)
      for (int64_t open : values) {
        auto sized = size_signal(make_signal("s1", "X", 1, 1, fixed::from_raw(target)),
                                 fixed::from_raw(position), fixed::from_raw(open));
        __int128 exact = static_cast<__int128>(target) - position - open;
        std::string what = std::to_string(target) + " " + std::to_string(position) + " " +
                           std::to_string(open);
        if (!sized.intent) {
          EXPECT_TRUE(exact == 0 || !sized.error.empty()) << what;
          continue;
        }
        EXPECT_TRUE(sized.error.empty()) << what;
        EXPECT_EQ(sized.intent->order_side, exact > 0 ? side::buy : side::sell) << what;
        EXPECT_EQ(static_cast<__int128>(sized.intent->qty.raw), exact > 0 ? exact : -exact) << what;
      }
}
