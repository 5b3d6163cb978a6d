// Per-actor metrics: the probe's sampling and histogram arithmetic, the exposition, and
// instrument() on real actors — what it counts, what it leaves out, the mailbox depth it
// samples, and a probe that outlives a restarted actor.

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "caf/all.hpp"

#include <prometheus/text_serializer.h>

#include "actors/core/actor_metrics.hpp"
#include "actors/core/instrument.hpp"
#include "actors/core/metrics_registry.hpp"
#include "actors/core/node_context.hpp"
#include "actors/core/unexpected.hpp"
#include "tests/core/metric_values.hpp"
#include "actors/core/system_config.hpp"

using namespace tradewind;
using namespace std::chrono_literals;

namespace {

using test_config = node_system_config;

/// Lets the test hold an actor inside its handler: message `n` waits until open(n).
class gate {
public:
  void wait_for(int n) {
    std::unique_lock<std::mutex> lock{mtx_};
    cv_.wait(lock, [&] { return opened_ >= n; });
  }
  void open(int n) {
    std::lock_guard<std::mutex> lock{mtx_};
    opened_ = n;
    cv_.notify_all();
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  int opened_ = 0;
};

/// Handles ints (waiting at the gate) and strings; everything else goes to the default
/// handler, which must not be counted.
caf::behavior gated(caf::event_based_actor* self, std::shared_ptr<gate> g, std::shared_ptr<node_context> ctx) {
  drop_unhandled_silently(self, "gated", ctx);
  return instrument(self, *ctx, "gated", {
    [=](int n) { g->wait_for(n); },
    [=](const std::string& s) { return s + "!"; },
  });
}

struct instrumented : ::testing::Test {
  test_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  std::shared_ptr<node_context> ctx = make_node_context("test", "off");
  std::shared_ptr<gate> g = std::make_shared<gate>();

  const actor_probe& probe(const std::string& actor) { return ctx->metrics->actors().probe(actor); }

  /// Polls until `actor` has recorded `n` messages (it records just after its handler
  /// returns, so after the reply the test may already hold).
  bool handled_reaches(const std::string& actor, uint64_t n) {
    auto until = std::chrono::steady_clock::now() + 20s;
    while (probe(actor).handled() < n && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(1ms);
    return probe(actor).handled() == n;
  }
};

} // namespace

TEST(actor_probe, samples_the_first_message_then_every_sixteenth) {
  actor_probe p;
  std::vector<uint64_t> sampled;
  for (uint64_t i = 0; i < 40; ++i) {
    if (p.next_is_sampled())
      sampled.push_back(i);
    p.count();
  }
  EXPECT_EQ(sampled, (std::vector<uint64_t>{0, 16, 32}));
  EXPECT_EQ(p.handled(), 40u);
}

TEST(actor_probe, buckets_sum_and_depth) {
  actor_probe p;
  p.record_sample(500, 3);            // ≤ 1 µs
  p.record_sample(1'000, 0);          // on the bound: still ≤ 1 µs
  p.record_sample(3'000'000, 7);      // ≤ 5 ms
  p.record_sample(2'000'000'000, 1);  // above every bound
  auto b = p.buckets();
  EXPECT_EQ(b[0], 2u);
  EXPECT_EQ(b[10], 1u);
  EXPECT_EQ(b.back(), 1u);
  EXPECT_EQ(p.handling_ns(), 500u + 1'000 + 3'000'000 + 2'000'000'000);
  EXPECT_EQ(p.mailbox_depth(), 1u); // the last sample
  p.mailbox_drained();
  EXPECT_EQ(p.mailbox_depth(), 0u);
}

TEST(actor_metrics, exposition_is_conventional_and_consistent) {
  actor_metrics m;
  EXPECT_TRUE(m.Collect().empty()); // no actor yet: no empty families
  auto& ma = m.probe("strategy:ma");
  ma.record_sample(2'000, 4);
  ma.record_sample(40'000, 0);
  for (int i = 0; i < 20; ++i)
    ma.count();
  m.probe("risk_gate").record_sample(700, 2);
  m.probe("risk_gate").count();
  auto text = prometheus::TextSerializer{}.Serialize(m.Collect());
  for (const char* want : {
         "# TYPE tradewind_actor_messages_handled_total counter",
         "tradewind_actor_messages_handled_total{actor=\"strategy:ma\"} 20",
         "tradewind_actor_messages_handled_total{actor=\"risk_gate\"} 1",
         "# TYPE tradewind_actor_handling_seconds histogram",
         "tradewind_actor_handling_seconds_bucket{actor=\"strategy:ma\",le=\"1e-06\"} 0",
         "tradewind_actor_handling_seconds_bucket{actor=\"strategy:ma\",le=\"2.5e-06\"} 1",
         "tradewind_actor_handling_seconds_bucket{actor=\"strategy:ma\",le=\"5e-05\"} 2",
         "tradewind_actor_handling_seconds_bucket{actor=\"strategy:ma\",le=\"+Inf\"} 2",
         "tradewind_actor_handling_seconds_count{actor=\"strategy:ma\"} 2",
         "tradewind_actor_handling_seconds_sum{actor=\"strategy:ma\"} 4.2e-05",
         "# TYPE tradewind_actor_mailbox_depth gauge",
         "tradewind_actor_mailbox_depth{actor=\"strategy:ma\"} 0",
         "tradewind_actor_mailbox_depth{actor=\"risk_gate\"} 2",
       })
    EXPECT_NE(text.find(std::string{want} + "\n"), std::string::npos) << want << "\n" << text;
}

TEST_F(instrumented, counts_and_times_what_the_behavior_handles_but_not_what_it_drops) {
  auto a = sys.spawn(gated, g, ctx);
  g->open(1'000);
  for (int i = 1; i <= 5; ++i)
    self->send(a, i);
  self->send(a, 3.5); // no handler: the default handler drops it, uncounted
  std::string reply;
  self->request(a, 10s, std::string{"hi"}).receive([&](const std::string& s) { reply = s; }, [](caf::error&) {});
  EXPECT_EQ(reply, "hi!"); // the wrapper passes replies through
  ASSERT_TRUE(handled_reaches("gated", 6));
  // Handled after the dropped message: had the drop been counted, this would make 8.
  self->request(a, 10s, std::string{"again"}).receive([](const std::string&) {}, [](caf::error&) {});
  EXPECT_TRUE(handled_reaches("gated", 7));
  EXPECT_EQ(test::metric_value(*ctx->metrics, "tradewind_actor_messages_handled_total", {{"actor", "gated"}}), 7.0);
  // Timed: the first of the seven.
  EXPECT_EQ(test::metric_value(*ctx->metrics, "tradewind_actor_handling_seconds", {{"actor", "gated"}}), 1.0);
  self->send_exit(a, caf::exit_reason::user_shutdown);
}

TEST_F(instrumented, samples_the_mailbox_depth_when_a_message_starts) {
  auto a = sys.spawn(gated, g, ctx);
  for (int i = 1; i <= 40; ++i)
    self->send(a, i);
  // Messages 1..16 pass; message 17 (the second sample) starts with 18..40 (23 messages)
  // waiting and is held until the gate opens for it.
  g->open(16);
  ASSERT_TRUE(handled_reaches("gated", 16));
  g->open(17);
  ASSERT_TRUE(handled_reaches("gated", 17));
  EXPECT_EQ(probe("gated").mailbox_depth(), 23u);
  g->open(40);
  ASSERT_TRUE(handled_reaches("gated", 40));
  EXPECT_EQ(probe("gated").mailbox_depth(), 0u); // drained
  self->send_exit(a, caf::exit_reason::user_shutdown);
}

TEST_F(instrumented, a_restarted_actor_continues_its_label_and_handling_time_is_measured) {
  for (int round = 0; round < 2; ++round) {
    auto a = sys.spawn([ctx = ctx](caf::event_based_actor* self) {
      return instrument(self, *ctx, "sleeper",
                        {[](int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }});
    });
    for (int i = 0; i < 10; ++i)
      self->send(a, 2);
    ASSERT_TRUE(handled_reaches("sleeper", 10u * (round + 1)));
    self->send_exit(a, caf::exit_reason::kill);
  }
  // Messages 0 and 16 of the label were timed, across the restart; each slept 2 ms, so
  // neither is in a bucket up to 1 ms.
  auto b = probe("sleeper").buckets();
  uint64_t timed = 0;
  for (auto n : b)
    timed += n;
  EXPECT_EQ(timed, 2u);
  EXPECT_GE(probe("sleeper").handling_ns(), 4'000'000u);
  for (size_t i = 0; actor_probe::bucket_bounds_ns[i] <= 1'000'000; ++i)
    EXPECT_EQ(b[i], 0u) << "bucket " << i;
}
