// The indicator math the strategies and the REST bridge share (schemas/indicators.hpp).
#include <gtest/gtest.h>

#include "schemas/indicators.hpp"

using namespace tradewind;

TEST(moving_average, keeps_an_exact_window_mean) {
  moving_average ma{3};
  ma.add(*fixed::parse("0.1"));
  ma.add(*fixed::parse("0.2"));
  EXPECT_FALSE(ma.ready());
  ma.add(*fixed::parse("0.3"));
  EXPECT_TRUE(ma.ready());
  EXPECT_EQ(ma.value().to_string(), "0.2");
  ma.add(*fixed::parse("1.3"));
  EXPECT_EQ(ma.value().to_string(), "0.6");
}

TEST(simple_moving_average, is_empty_until_the_window_fills) {
  std::vector<fixed> v{fixed::from_int<1>(), fixed::from_int<2>(), fixed::from_int<3>(), fixed::from_int<4>()};
  auto sma = simple_moving_average(v, 3);
  ASSERT_EQ(sma.size(), 4u);
  EXPECT_FALSE(sma[1]);
  EXPECT_EQ(*sma[2], fixed::from_int<2>());
  EXPECT_EQ(*sma[3], fixed::from_int<3>());
  EXPECT_EQ(simple_moving_average({fixed::from_int<1>(), fixed::from_int<2>()}, 2)[1]->to_string(), "1.5");
  EXPECT_EQ(simple_moving_average(v, 0), std::vector<std::optional<fixed>>(4));
}

TEST(simple_moving_average, rounds_like_the_strategies) {
  // 2/3 of the smallest unit: the series is the strategies' moving_average, rounded by fixed
  // division (the bridge's old copy truncated the raw sum, giving 0 here).
  std::vector<fixed> v{fixed::from_raw(1), fixed::from_raw(1), fixed::from_raw(0)};
  auto sma = simple_moving_average(v, 3);
  moving_average ma{3};
  for (auto p : v)
    ma.add(p);
  EXPECT_EQ(*sma[2], ma.value());
  EXPECT_NE(sma[2]->raw, 0);
}
