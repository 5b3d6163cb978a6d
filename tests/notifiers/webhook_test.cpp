// Pure parts of the webhook channel: body, retry classification, back-off, bounded queue.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "actors/notifiers/webhook.hpp"
#include "net/http_client.hpp"

namespace tradewind {
namespace {

TEST(webhook, body_is_the_alert_json_with_the_node) {
  alert a{severity::critical, "store_commit_failed", "store_writer", "disk full", 1'700'000'000'123};
  auto body = nlohmann::json::parse(webhook_body(a, "node-7"));
  EXPECT_EQ(body["level"], "critical");
  EXPECT_EQ(body["code"], "store_commit_failed");
  EXPECT_EQ(body["source"], "store_writer");
  EXPECT_EQ(body["message"], "disk full");
  EXPECT_EQ(body["ts_ms"], 1'700'000'000'123);
  EXPECT_EQ(body["node"], "node-7");
  EXPECT_EQ(body.size(), 6u);
}

http::response with_status(int status) {
  http::response r;
  r.status = status;
  return r;
}

TEST(webhook, classifies_attempts) {
  EXPECT_EQ(classify(with_status(200)), attempt_outcome::delivered);
  EXPECT_EQ(classify(with_status(204)), attempt_outcome::delivered);
  EXPECT_EQ(classify(with_status(500)), attempt_outcome::retry);
  EXPECT_EQ(classify(with_status(503)), attempt_outcome::retry);
  EXPECT_EQ(classify(with_status(429)), attempt_outcome::retry);
  EXPECT_EQ(classify(with_status(408)), attempt_outcome::retry);
  EXPECT_EQ(classify(with_status(400)), attempt_outcome::give_up);
  EXPECT_EQ(classify(with_status(404)), attempt_outcome::give_up);
  EXPECT_EQ(classify(with_status(301)), attempt_outcome::give_up);
  http::response transport;
  transport.error = "connecting 127.0.0.1:1: Connection refused";
  EXPECT_EQ(classify(transport), attempt_outcome::retry);
}

TEST(webhook, backoff_doubles_from_the_initial_delay) {
  webhook_config cfg;
  cfg.initial_backoff_ms = 200;
  EXPECT_EQ(webhook_backoff_ms(cfg, 1), 200);
  EXPECT_EQ(webhook_backoff_ms(cfg, 2), 400);
  EXPECT_EQ(webhook_backoff_ms(cfg, 3), 800);
  EXPECT_EQ(webhook_backoff_ms(cfg, 10), 200 * 512);
  EXPECT_EQ(webhook_backoff_ms(cfg, 1'000), 3'600'000); // capped, no overflow
}

TEST(webhook, bounded_queue_drops_the_oldest) {
  bounded_queue q{2};
  EXPECT_FALSE(q.push("a"));
  EXPECT_FALSE(q.push("b"));
  EXPECT_TRUE(q.push("c"));
  EXPECT_TRUE(q.push("d"));
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.dropped(), 2u);
  EXPECT_EQ(q.pop(), "c");
  EXPECT_EQ(q.pop(), "d");
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(bounded_queue{}.size(), 0u);
}

TEST(webhook, default_queue_capacity_is_1000) {
  bounded_queue q;
  for (int i = 0; i < 1'000; ++i)
    ASSERT_FALSE(q.push(std::to_string(i)));
  EXPECT_TRUE(q.push("x"));
  EXPECT_EQ(q.pop(), "1");
}

} // namespace
} // namespace tradewind
