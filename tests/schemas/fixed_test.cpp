#include <gtest/gtest.h>

#include <limits>

#include "schemas/fixed.hpp"

using tradewind::fixed;

TEST(fixed, parses_decimal_text_exactly) {
  EXPECT_EQ(fixed::parse("16616.75")->raw, 1'661'675'000'000);
  EXPECT_EQ(fixed::parse("0.00000001")->raw, 1);
  EXPECT_EQ(fixed::parse("-3")->raw, -300'000'000);
  EXPECT_EQ(fixed::parse(".5")->raw, 50'000'000);
  EXPECT_EQ(fixed::parse("1.100000000")->raw, 110'000'000); // trailing zero beyond 8 digits is exact
}

TEST(fixed, rejects_text_that_would_lose_precision_or_is_not_a_number) {
  EXPECT_FALSE(fixed::parse("0.000000001"));
  EXPECT_FALSE(fixed::parse("1e5"));
  EXPECT_FALSE(fixed::parse(""));
  EXPECT_FALSE(fixed::parse("-"));
  EXPECT_FALSE(fixed::parse("12a"));
  EXPECT_FALSE(fixed::parse("99999999999999999999"));
  EXPECT_FALSE(fixed::parse("92233720368.99999999")); // just past int64: must not wrap around
  EXPECT_EQ(fixed::parse("92233720368.54775807")->raw, std::numeric_limits<int64_t>::max());
}

TEST(fixed, prints_shortest_exact_text) {
  EXPECT_EQ(fixed::parse("12.50")->to_string(), "12.5");
  EXPECT_EQ(fixed::from_raw(-1).to_string(), "-0.00000001");
  EXPECT_EQ(fixed::from_int<3>().to_string(), "3");
}

TEST(fixed, multiplies_and_divides_with_rounding) {
  auto price = *fixed::parse("16616.75");
  auto qty = *fixed::parse("0.06");
  EXPECT_EQ((price * qty)->to_string(), "997.005");
  EXPECT_EQ((fixed::from_int<1>() / fixed::from_int<3>())->to_string(), "0.33333333");
  EXPECT_EQ((fixed::from_int<2>() / fixed::from_int<3>())->to_string(), "0.66666667");
  EXPECT_EQ(fixed::from_int<1000>().bps(10)->to_string(), "1");
  EXPECT_EQ((fixed::from_int<1>() / fixed{}).error(), tradewind::fixed_error::division_by_zero);
}
