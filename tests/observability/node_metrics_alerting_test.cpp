// The node_metrics series the alert rules of deploy/observability depend on.

#include "bridge/metrics/node_metrics.hpp"

#include <gtest/gtest.h>

using namespace tradewind;

TEST(node_metrics_alerting, alert_counters_used_with_increase_exist_from_the_start) {
  metrics::node_metrics m{"n1"};
  auto text = m.serialize();
  for (const char* line : {"tradewind_alerts_total{code=\"breaker_tripped\",severity=\"critical\"} 0",
                           "tradewind_alerts_total{code=\"breaker_tripped\",severity=\"warning\"} 0",
                           "tradewind_alerts_total{code=\"store_commit_failed\",severity=\"critical\"} 0",
                           "tradewind_alerts_total{code=\"store_open_failed\",severity=\"critical\"} 0"})
    EXPECT_NE(text.find(line), std::string::npos) << line;
  m.on_alert(alert{severity::critical, "breaker_tripped", "risk_gate", "drawdown", 1});
  EXPECT_NE(m.serialize().find("tradewind_alerts_total{code=\"breaker_tripped\",severity=\"critical\"} 1"),
            std::string::npos);
}

TEST(node_metrics_alerting, end_of_stream_is_exported_per_source) {
  metrics::node_metrics m{"n1"};
  m.on_watermark(watermark{"market", 60'000, false});
  m.on_watermark(watermark{"strategy:s1", 60'000, false});
  auto text = m.serialize();
  EXPECT_NE(text.find("tradewind_end_of_stream{source=\"market\"} 0"), std::string::npos) << text;
  EXPECT_NE(text.find("tradewind_end_of_stream{source=\"strategy\"} 0"), std::string::npos);
  EXPECT_NE(text.find("tradewind_event_time_seconds{source=\"market\"} 60"), std::string::npos);
  m.on_watermark(watermark{"market", 120'000, true});
  text = m.serialize();
  EXPECT_NE(text.find("tradewind_end_of_stream{source=\"market\"} 1"), std::string::npos);
  EXPECT_NE(text.find("tradewind_event_time_seconds{source=\"market\"} 120"), std::string::npos);
}
