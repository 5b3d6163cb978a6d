// Alert routing by severity and duplicate suppression (pure, no CAF).

#include <gtest/gtest.h>

#include "actors/notifiers/router.hpp"

namespace tradewind {
namespace {

notifier_config two_hooks() {
  notifier_config cfg;
  cfg.log_min_severity = severity::warning;
  webhook_config all;
  all.url = "http://a/";
  all.min_severity = severity::info;
  webhook_config critical_only;
  critical_only.url = "http://b/";
  critical_only.min_severity = severity::critical;
  cfg.webhooks = {all, critical_only};
  return cfg;
}

alert make(severity level, std::string code = "c", std::string msg = "m") {
  return alert{level, std::move(code), "src", std::move(msg), 0};
}

TEST(alert_router, routes_by_severity) {
  alert_router r{two_hooks()};
  auto info = r.route(make(severity::info, "i"), 0);
  EXPECT_FALSE(info.suppressed);
  EXPECT_FALSE(info.to_log);
  EXPECT_EQ(info.webhooks, (std::vector<size_t>{0}));
  auto warning = r.route(make(severity::warning, "w"), 0);
  EXPECT_TRUE(warning.to_log);
  EXPECT_EQ(warning.webhooks, (std::vector<size_t>{0}));
  auto critical = r.route(make(severity::critical, "c"), 0);
  EXPECT_TRUE(critical.to_log);
  EXPECT_EQ(critical.webhooks, (std::vector<size_t>{0, 1}));
}

TEST(alert_router, suppresses_identical_alerts_within_the_window) {
  alert_router r{two_hooks()};
  EXPECT_FALSE(r.route(make(severity::critical), 1'000).suppressed);
  auto dup = r.route(make(severity::critical), 60'999);
  EXPECT_TRUE(dup.suppressed);
  EXPECT_FALSE(dup.to_log);
  EXPECT_TRUE(dup.webhooks.empty());
  EXPECT_TRUE(r.route(make(severity::critical), 30'000).suppressed);
  EXPECT_EQ(r.suppressed_total(), 2u);
  auto again = r.route(make(severity::critical), 61'000); // exactly one window later
  EXPECT_FALSE(again.suppressed);
  EXPECT_EQ(again.suppressed_before, 2u);
  EXPECT_TRUE(again.to_log);
  // The window restarts when the alert goes out again.
  EXPECT_TRUE(r.route(make(severity::critical), 120'999).suppressed);
  auto third = r.route(make(severity::critical), 121'000);
  EXPECT_FALSE(third.suppressed);
  EXPECT_EQ(third.suppressed_before, 1u);
  EXPECT_EQ(r.suppressed_total(), 3u);
}

TEST(alert_router, different_code_source_or_message_is_not_a_duplicate) {
  alert_router r{two_hooks()};
  EXPECT_FALSE(r.route(make(severity::warning, "a", "m"), 0).suppressed);
  EXPECT_FALSE(r.route(make(severity::warning, "b", "m"), 0).suppressed);
  EXPECT_FALSE(r.route(make(severity::warning, "a", "other"), 0).suppressed);
  auto other_source = make(severity::warning, "a", "m");
  other_source.source = "elsewhere";
  EXPECT_FALSE(r.route(other_source, 0).suppressed);
  // Severity and timestamp are not part of the identity.
  auto louder = make(severity::critical, "a", "m");
  louder.ts_ms = 99;
  EXPECT_TRUE(r.route(louder, 10).suppressed);
  EXPECT_EQ(r.suppressed_total(), 1u);
}

TEST(alert_router, custom_window_and_expiry) {
  alert_router r{two_hooks(), 100};
  EXPECT_FALSE(r.route(make(severity::warning, "x"), 0).suppressed);
  EXPECT_TRUE(r.route(make(severity::warning, "x"), 99).suppressed);
  // Another alert long after: expiry forgets "x", which then goes out again.
  EXPECT_FALSE(r.route(make(severity::warning, "y"), 1'000).suppressed);
  EXPECT_FALSE(r.route(make(severity::warning, "x"), 1'001).suppressed);
}

TEST(alert_router, without_webhooks_only_the_log_is_used) {
  notifier_config cfg;
  cfg.log_min_severity = severity::info;
  alert_router r{cfg};
  auto d = r.route(make(severity::info), 0);
  EXPECT_TRUE(d.to_log);
  EXPECT_TRUE(d.webhooks.empty());
}

} // namespace
} // namespace tradewind
