// Unit tests of the synthetic random walk: determinism, OHLC invariants, length, and the
// portable normal sampler.

#include "actors/collectors/synthetic_source.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actors/collectors/merged_feed.hpp"

namespace tradewind {
namespace {

std::vector<std::string> walk(const synthetic_config& cfg, size_t index, size_t n) {
  synthetic_source src{cfg, index};
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    auto b = src.next_bar();
    if (!b)
      break;
    out.push_back(to_string(market_item{*b}));
  }
  return out;
}

TEST(synthetic_source, same_seed_gives_identical_bars) {
  synthetic_config cfg;
  EXPECT_EQ(walk(cfg, 0, 500), walk(cfg, 0, 500));
}

TEST(synthetic_source, different_seed_or_symbol_gives_different_bars) {
  synthetic_config a;
  synthetic_config b;
  b.seed = 43;
  auto wa = walk(a, 0, 50);
  auto wb = walk(b, 0, 50);
  ASSERT_EQ(wa.size(), 50u);
  ASSERT_EQ(wb.size(), 50u);
  EXPECT_NE(wa, wb);
  a.symbols = {"S1", "S2"};
  synthetic_source s1{a, 0};
  synthetic_source s2{a, 1};
  int same_close = 0;
  for (int i = 0; i < 50; ++i)
    same_close += s1.next_bar()->close == s2.next_bar()->close;
  EXPECT_LT(same_close, 5);
}

TEST(synthetic_source, pinned_values_for_seed_42) {
  // Pins the exact output so a change of engine, sampler or rounding (or a platform that
  // computes differently) is caught. Only integer arithmetic is involved.
  synthetic_config cfg;
  auto bars = walk(cfg, 0, 3);
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(bars[0],
            "bar SYNTHUSDT t=1672531200000 i=60000 o=100 h=100.06 l=99.87 c=99.93 v=14.306");
  EXPECT_EQ(bars[1],
            "bar SYNTHUSDT t=1672531260000 i=60000 o=99.93 h=100.14 l=99.89 c=100.06 v=79.977");
  EXPECT_EQ(bars[2],
            "bar SYNTHUSDT t=1672531320000 i=60000 o=100.06 h=100.2 l=99.91 c=99.94 v=38.421");
}

TEST(synthetic_source, bars_are_consistent_and_on_the_price_grid) {
  synthetic_config cfg;
  cfg.symbols = {"VOLUSDT"};
  cfg.volatility_bps = fixed::from_int<500>(); // very volatile: stresses the floor and wicks
  cfg.start_price = fixed::from_int<1>();
  cfg.bars = 5000;
  cfg.interval_ms = 1000;
  cfg.start_time_ms = 1'000'000;
  synthetic_source src{cfg, 0};
  const fixed cent = *fixed::parse("0.01");
  const fixed lot = *fixed::parse("0.001");
  std::optional<bar> prev;
  size_t n = 0;
  while (auto b = src.next_bar()) {
    SCOPED_TRACE(to_string(market_item{*b}));
    EXPECT_EQ(b->symbol, "VOLUSDT");
    EXPECT_EQ(b->open_time_ms, 1'000'000 + static_cast<int64_t>(n) * 1000);
    EXPECT_EQ(b->interval_ms, 1000);
    EXPECT_LE(b->low, b->open);
    EXPECT_LE(b->low, b->close);
    EXPECT_GE(b->high, b->open);
    EXPECT_GE(b->high, b->close);
    EXPECT_GE(b->low, cent);
    for (fixed p : {b->open, b->high, b->low, b->close})
      EXPECT_EQ(p.raw % cent.raw, 0);
    EXPECT_GT(b->volume, fixed{});
    EXPECT_EQ(b->volume.raw % lot.raw, 0);
    if (prev) {
      EXPECT_EQ(b->open, prev->close);
    }
    prev = *b;
    ++n;
  }
  EXPECT_EQ(n, 5000u);
  EXPECT_FALSE(src.next().has_value());
}

TEST(synthetic_source, zero_bars_means_endless) {
  synthetic_config cfg;
  cfg.bars = 0;
  synthetic_source src{cfg, 0};
  for (int i = 0; i < 20'000; ++i)
    ASSERT_TRUE(src.next().has_value()) << i;
}

TEST(synthetic_source, start_price_is_rounded_to_the_grid) {
  synthetic_config cfg;
  cfg.start_price = *fixed::parse("123.456");
  synthetic_source src{cfg, 0};
  EXPECT_EQ(src.next_bar()->open, *fixed::parse("123.46"));
}

TEST(portable_normal, has_unit_variance_and_bounded_support) {
  portable_normal rng{7};
  const int n = 100'000;
  double sum = 0;
  double sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const fixed z = rng.sample();
    ASSERT_LE(*z.abs(), fixed::from_int<6>());
    sum += z.to_double();
    sum_sq += z.to_double() * z.to_double();
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.0, 0.02);
  EXPECT_NEAR(sum_sq / n - mean * mean, 1.0, 0.02);
}

TEST(portable_normal, uniform_stays_in_range) {
  portable_normal rng{1};
  std::vector<int> counts(10, 0);
  for (int i = 0; i < 10'000; ++i) {
    auto v = rng.uniform(10);
    ASSERT_LT(v, 10u);
    ++counts[v];
  }
  for (int c : counts)
    EXPECT_GT(c, 800);
}

TEST(round_to_step, rounds_half_away_from_zero) {
  const fixed cent = *fixed::parse("0.01");
  EXPECT_EQ(*round_to_step(*fixed::parse("1.005"), cent), *fixed::parse("1.01"));
  EXPECT_EQ(*round_to_step(*fixed::parse("1.00499999"), cent), *fixed::parse("1"));
  EXPECT_EQ(*round_to_step(*fixed::parse("-1.005"), cent), *fixed::parse("-1.01"));
}

// Issue 11: prices that leave fixed's range end the stream with a reason, never wrap.
TEST(synthetic_source, a_start_price_that_cannot_be_rounded_ends_the_stream_with_a_reason) {
  synthetic_config cfg;
  cfg.symbols = {"BIGUSDT"};
  cfg.bars = 5;
  cfg.start_price = *fixed::parse("92233720368.54775807");
  synthetic_source src{cfg, 0};
  EXPECT_FALSE(src.next());
  auto errors = src.drain_errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].reason, "start_price 92233720368.54775807 rounded to 0.01 does not fit; "
                              "stream of BIGUSDT ended");
  EXPECT_TRUE(src.drain_errors().empty());
}

TEST(synthetic_source, a_walk_that_leaves_the_range_ends_with_a_reason) {
  synthetic_config cfg;
  cfg.symbols = {"BIGUSDT"};
  cfg.bars = 0;
  cfg.volatility_bps = fixed::from_int<1000>();
  cfg.start_price = *fixed::parse("92233720000");
  synthetic_source src{cfg, 0};
  int bars = 0;
  while (src.next() && bars < 100'000)
    ++bars;
  ASSERT_LT(bars, 100'000) << "a 10 % walk from the top of the range must leave it";
  auto errors = src.drain_errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].reason.find("left the range of fixed"), std::string::npos) << errors[0].reason;
}

} // namespace
} // namespace tradewind
