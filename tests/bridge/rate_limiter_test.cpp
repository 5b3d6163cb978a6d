// Token bucket: burst, refill and Retry-After.

#include "bridge/rest/rate_limiter.hpp"

#include <gtest/gtest.h>

using tradewind::rest::rate_limiter;

TEST(rate_limiter, allows_the_burst_then_refills_at_the_rate) {
  rate_limiter lim{2.0, 3.0};
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(lim.take("k1", 1000).allowed) << i;
  auto denied = lim.take("k1", 1000);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retry_after_s, 1);
  EXPECT_TRUE(lim.take("k2", 1000).allowed) << "buckets are per key";
  EXPECT_FALSE(lim.take("k1", 1400).allowed) << "0.8 token after 400 ms";
  EXPECT_TRUE(lim.take("k1", 1500).allowed) << "one token after 500 ms at 2/s";
}

TEST(rate_limiter, retry_after_rounds_up_to_whole_seconds) {
  rate_limiter lim{0.25, 1.0};
  EXPECT_TRUE(lim.take("k", 0).allowed);
  auto v = lim.take("k", 0);
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.retry_after_s, 4);
}

TEST(rate_limiter, bounded_memory_forgets_refilled_buckets_first) {
  tradewind::rest::rate_limiter limiter{1.0, 2.0, 3};
  EXPECT_TRUE(limiter.take("a", 0).allowed);
  EXPECT_TRUE(limiter.take("a", 0).allowed);
  EXPECT_FALSE(limiter.take("a", 0).allowed); // "a" is empty
  EXPECT_TRUE(limiter.take("b", 0).allowed);
  EXPECT_TRUE(limiter.take("c", 0).allowed);
  // A fourth key at t=10 s: every bucket has refilled, so they are forgotten (a full bucket is a
  // fresh one) and nobody gains.
  EXPECT_TRUE(limiter.take("d", 10'000).allowed);
  EXPECT_TRUE(limiter.take("a", 10'000).allowed);
  EXPECT_TRUE(limiter.take("a", 10'000).allowed);
  EXPECT_FALSE(limiter.take("a", 10'000).allowed);
}
