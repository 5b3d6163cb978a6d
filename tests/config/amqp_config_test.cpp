// The `amqp:` section: defaults, decoding and every rule with its exact message; the URL
// (it carries the broker password) is never echoed.

#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "config_test_util.hpp"

using namespace tradewind;
using namespace tradewind::config_test;
using testing::ElementsAre;

TEST(amqp_config, defaults_turn_heartbeats_on_and_bound_the_in_flight_window) {
  auto r = load(minimal);
  ASSERT_TRUE(r.config) << messages(r).front();
  const auto& a = r.config->amqp;
  EXPECT_EQ(a.url, "amqp://guest:guest@127.0.0.1:5672/");
  EXPECT_EQ(a.prefetch, 256);
  EXPECT_EQ(a.confirm_batch, 100);
  EXPECT_EQ(a.max_in_flight, 1000);
  EXPECT_EQ(a.heartbeat_s, 10);
  EXPECT_EQ(a.reconnect_initial_ms, 200);
  EXPECT_EQ(a.reconnect_max_ms, 5000);
  EXPECT_EQ(a.dedupe_window, 100000);
}

TEST(amqp_config, every_key_is_read) {
  auto r = load(minimal + "amqp:\n  url: amqp://u:p@10.0.0.1:5673/\n  prefetch: 10\n  confirm_batch: 5\n"
                          "  max_in_flight: 50\n  heartbeat_s: 3\n  reconnect_initial_ms: 10\n"
                          "  reconnect_max_ms: 20\n  dedupe_window: 7\n");
  ASSERT_TRUE(r.config) << messages(r).front();
  const auto& a = r.config->amqp;
  EXPECT_EQ(a.url, "amqp://u:p@10.0.0.1:5673/");
  EXPECT_EQ(a.prefetch, 10);
  EXPECT_EQ(a.confirm_batch, 5);
  EXPECT_EQ(a.max_in_flight, 50);
  EXPECT_EQ(a.heartbeat_s, 3);
  EXPECT_EQ(a.reconnect_initial_ms, 10);
  EXPECT_EQ(a.reconnect_max_ms, 20);
  EXPECT_EQ(a.dedupe_window, 7);
}

TEST(amqp_config, every_rule_has_its_message) {
  EXPECT_THAT(errors_of(minimal + "amqp:\n  url: http://u:secret@h/\n  prefetch: 0\n  confirm_batch: 0\n"
                                  "  max_in_flight: 0\n  heartbeat_s: 0\n  reconnect_initial_ms: 0\n"
                                  "  reconnect_max_ms: -1\n  dedupe_window: 0\n"),
              ElementsAre("amqp.url: must be amqp://user:pass@host:port/",
                          "amqp.prefetch: must be in [1, 65535], got 0",
                          "amqp.confirm_batch: must be >= 1, got 0",
                          "amqp.max_in_flight: must be >= 1, got 0",
                          "amqp.heartbeat_s: must be in [1, 600], got 0",
                          "amqp.reconnect_initial_ms: must be > 0, got 0",
                          "amqp.reconnect_max_ms: must be >= reconnect_initial_ms (0), got -1",
                          "amqp.dedupe_window: must be >= 1, got 0"));
  EXPECT_THAT(errors_of(minimal + "amqp:\n  confirm_batch: 20\n  max_in_flight: 10\n"),
              ElementsAre("amqp.confirm_batch: must be <= max_in_flight (10), got 20"));
  EXPECT_THAT(errors_of(minimal + "amqp:\n  url: amqps://u:p@h/\n"),
              ElementsAre("amqp.url: amqps:// is not supported yet (use amqp://user:pass@host:port/)"));
}

TEST(amqp_config, the_url_is_never_echoed) {
  auto errors = errors_of(minimal + "amqp:\n  url: [amqp://u:hunter2@h/]\n  bogus: 1\n");
  ASSERT_FALSE(errors.empty());
  for (const auto& e : errors)
    EXPECT_EQ(e.find("hunter2"), std::string::npos) << e;
}
