#include <gtest/gtest.h>

#include "actors/core/supervisor.hpp"

using namespace tradewind;

namespace {

supervisor_config cfg() {
  supervisor_config c;
  c.max_restarts = 3;
  c.window_ms = 10'000;
  c.initial_backoff_ms = 100;
  c.max_backoff_ms = 350;
  return c;
}

} // namespace

TEST(restart_policy, backs_off_exponentially_up_to_the_cap) {
  restart_policy p{cfg()};
  ASSERT_TRUE(p.on_failure(0));
  EXPECT_EQ(p.backoff_ms(), 100);
  ASSERT_TRUE(p.on_failure(1));
  EXPECT_EQ(p.backoff_ms(), 200);
  ASSERT_TRUE(p.on_failure(2));
  EXPECT_EQ(p.backoff_ms(), 350);
}

TEST(restart_policy, escalates_after_max_restarts_within_the_window) {
  restart_policy p{cfg()};
  EXPECT_TRUE(p.on_failure(0));
  EXPECT_TRUE(p.on_failure(1000));
  EXPECT_TRUE(p.on_failure(2000));
  EXPECT_FALSE(p.on_failure(3000));
}

TEST(restart_policy, forgets_failures_older_than_the_window) {
  restart_policy p{cfg()};
  EXPECT_TRUE(p.on_failure(0));
  EXPECT_TRUE(p.on_failure(1000));
  EXPECT_TRUE(p.on_failure(2000));
  EXPECT_TRUE(p.on_failure(11'000)); // the first two are out of the window now
  EXPECT_EQ(p.failures_in_window(), 2);
  EXPECT_EQ(p.backoff_ms(), 200);
}
