// The `bridge:` section: defaults, decoding and every rule with its exact message.

#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "config_test_util.hpp"

using namespace tradewind;
using namespace tradewind::config_test;
using testing::ElementsAre;

TEST(bridge_config, defaults_keep_the_bridge_off_and_local) {
  auto r = load(minimal);
  ASSERT_TRUE(r.config) << messages(r).front();
  const auto& b = r.config->bridge;
  EXPECT_FALSE(b.enabled);
  EXPECT_EQ(b.listen_address, "127.0.0.1");
  EXPECT_EQ(b.port, 8080);
  EXPECT_EQ(b.keys_file, "");
  EXPECT_EQ(b.audit_log, "tradewind-audit.jsonl");
  EXPECT_EQ(b.rate_limit_per_s, 20);
  EXPECT_EQ(b.burst, 40);
  EXPECT_EQ(b.max_body_bytes, 65536);
  EXPECT_EQ(b.request_timeout_ms, 10000);
  EXPECT_EQ(b.ws_queue_limit, 1000);
}

TEST(bridge_config, every_key_is_read_and_keys_file_resolves_against_the_config_dir) {
  auto r = load(minimal + "bridge:\n  enabled: true\n  listen_address: '::1'\n  port: 0\n"
                          "  keys_file: keys.json\n  audit_log: /tmp/audit.jsonl\n  rate_limit_per_s: 5\n"
                          "  burst: 7\n  max_body_bytes: 1024\n  request_timeout_ms: 250\n  ws_queue_limit: 3\n");
  ASSERT_TRUE(r.config) << messages(r).front();
  const auto& b = r.config->bridge;
  EXPECT_TRUE(b.enabled);
  EXPECT_EQ(b.listen_address, "::1");
  EXPECT_EQ(b.port, 0);
  EXPECT_EQ(b.keys_file, (std::filesystem::path(test_base_dir()) / "keys.json").lexically_normal().string());
  EXPECT_EQ(b.audit_log, "/tmp/audit.jsonl");
  EXPECT_EQ(b.rate_limit_per_s, 5);
  EXPECT_EQ(b.burst, 7);
  EXPECT_EQ(b.max_body_bytes, 1024);
  EXPECT_EQ(b.request_timeout_ms, 250);
  EXPECT_EQ(b.ws_queue_limit, 3);
}

TEST(bridge_config, rules) {
  EXPECT_THAT(errors_of(minimal + "bridge:\n  enabled: true\n  listen_address: localhost\n  port: 70000\n"
                                  "  rate_limit_per_s: 0\n  burst: 0\n  max_body_bytes: 0\n"
                                  "  request_timeout_ms: -1\n  ws_queue_limit: 0\n  audit_log: ''\n"),
              ElementsAre("bridge.listen_address: must be an IPv4 or IPv6 address (e.g. 127.0.0.1), got \"localhost\"",
                          "bridge.port: must be in [0, 65535], got 70000",
                          "bridge.rate_limit_per_s: must be > 0, got 0", "bridge.burst: must be >= 1, got 0",
                          "bridge.max_body_bytes: must be > 0, got 0",
                          "bridge.request_timeout_ms: must be > 0, got -1",
                          "bridge.ws_queue_limit: must be >= 1, got 0",
                          "bridge.audit_log: is required when bridge.enabled is true"));
}

TEST(bridge_config, unknown_key_is_rejected) {
  auto errs = errors_of(minimal + "bridge:\n  tls: true\n");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_THAT(errs[0], testing::StartsWith("bridge.tls: unknown key"));
}
