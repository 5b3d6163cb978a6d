#pragma once
// Log channel of the notifier: one structured key=value line per alert.

#include <cstdint>
#include <string>

#include "schemas/control.hpp"

namespace spdlog {
class logger;
} // namespace spdlog

namespace tradewind {

/// The line for `a`, e.g.
/// `event=alert level=warning code=breaker_tripped source=risk_gate ts_ms=5 message="dd 21 > 20"`,
/// with ` suppressed=N` appended when N > 0 duplicates were suppressed before it.
std::string format_alert_line(const alert& a, uint64_t suppressed_before);

/// Writes `a` to `log`: info alerts at info level, warning at warn, critical at error.
void log_alert(spdlog::logger& log, const alert& a, uint64_t suppressed_before);

} // namespace tradewind
