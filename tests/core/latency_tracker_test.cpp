// latency_tracker: the values it measures, bracketed by the test's own reading of the same
// monotonic clock (no assumption about how fast the machine is).

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "actors/core/latency_tracker.hpp"

namespace tradewind {
namespace {

int64_t now_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

TEST(latency_tracker, measures_from_the_publish_to_the_accept_of_the_same_event_time) {
  latency_tracker t;
  auto before = now_ns();
  t.tick_published(1'000);
  auto published = now_ns();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto inner = now_ns();
  t.order_accepted(1'000);
  auto after = now_ns();
  auto samples = t.take_samples();
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_GE(samples[0], inner - published); // the 20 ms sleep included
  EXPECT_GE(samples[0], 20'000'000);
  EXPECT_LE(samples[0], after - before); // at most the whole span
}

TEST(latency_tracker, only_the_first_event_of_a_timestamp_starts_the_clock) {
  latency_tracker t;
  auto first = now_ns();
  t.tick_published(5);
  auto stamped = now_ns();
  std::this_thread::sleep_for(std::chrono::milliseconds(15));
  auto second = now_ns();
  t.tick_published(5); // a second event at the same time, later on the wall clock
  t.tick_published(4); // older event time: ignored as well
  t.order_accepted(5);
  auto done = now_ns();
  auto samples = t.take_samples();
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_GE(samples[0], second - stamped); // measured from the first stamp
  EXPECT_LE(samples[0], done - first);
}

TEST(latency_tracker, an_order_without_a_published_event_time_records_nothing) {
  latency_tracker t;
  int calls = 0;
  t.set_observer([&](int64_t) { ++calls; });
  t.tick_published(10);
  t.order_accepted(11); // e.g. a manual order
  t.order_accepted(9);
  EXPECT_TRUE(t.take_samples().empty());
  EXPECT_EQ(calls, 0);
}

TEST(latency_tracker, forgets_event_times_beyond_its_window_and_caps_the_samples) {
  latency_tracker t{2};
  t.tick_published(1);
  t.tick_published(2);
  t.tick_published(3); // evicts 1
  t.order_accepted(1);
  EXPECT_TRUE(t.take_samples().empty());
  for (int i = 0; i < 5; ++i)
    t.order_accepted(3); // several orders of one event time: one sample each, at most 2 kept
  EXPECT_EQ(t.take_samples().size(), 2u);
  EXPECT_TRUE(t.take_samples().empty()); // taking clears
}

TEST(latency_tracker, the_observer_sees_every_sample_with_its_value) {
  latency_tracker t;
  std::vector<int64_t> seen;
  t.set_observer([&](int64_t ns) { seen.push_back(ns); });
  t.tick_published(7);
  t.tick_published(8);
  t.order_accepted(7);
  t.order_accepted(8);
  auto samples = t.take_samples();
  EXPECT_EQ(seen, samples);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_GT(samples[0], 0);
}

} // namespace
} // namespace tradewind
