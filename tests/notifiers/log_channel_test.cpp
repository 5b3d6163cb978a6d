// The log channel's key=value line and its log level per severity.

#include <sstream>

#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "actors/notifiers/log_channel.hpp"

namespace tradewind {
namespace {

TEST(log_channel, formats_key_value_with_quoted_message) {
  alert a{severity::warning, "breaker_tripped", "risk_gate", "dd \"21\" > 20\nnow", 5};
  EXPECT_EQ(format_alert_line(a, 0), "event=alert level=warning code=breaker_tripped "
                                     "source=risk_gate ts_ms=5 message=\"dd \\\"21\\\" > 20 now\"");
  EXPECT_EQ(format_alert_line(a, 3), "event=alert level=warning code=breaker_tripped "
                                     "source=risk_gate ts_ms=5 message=\"dd \\\"21\\\" > 20 now\""
                                     " suppressed=3");
}

TEST(log_channel, maps_severity_to_log_level) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger log{"test", sink};
  log.set_pattern("%l|%v");
  log.set_level(spdlog::level::trace);
  log_alert(log, alert{severity::info, "a", "s", "m", 1}, 0);
  log_alert(log, alert{severity::warning, "b", "s", "m", 2}, 0);
  log_alert(log, alert{severity::critical, "c", "s", "m", 3}, 1);
  EXPECT_EQ(out.str(),
            "info|event=alert level=info code=a source=s ts_ms=1 message=\"m\"\n"
            "warning|event=alert level=warning code=b source=s ts_ms=2 message=\"m\"\n"
            "error|event=alert level=critical code=c source=s ts_ms=3 message=\"m\" suppressed=1\n");
}

} // namespace
} // namespace tradewind
