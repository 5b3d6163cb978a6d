#include "actors/notifiers/log_channel.hpp"

#include <spdlog/spdlog.h>

namespace tradewind {

namespace {

/// Quotes free text so a key=value parser reads it back as one value.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + '"';
}

} // namespace

std::string format_alert_line(const alert& a, uint64_t suppressed_before) {
  std::string line = "event=alert level=" + std::string{to_string(a.level)} + " code=" + a.code +
                     " source=" + a.source + " ts_ms=" + std::to_string(a.ts_ms) +
                     " message=" + quoted(a.message);
  if (suppressed_before > 0)
    line += " suppressed=" + std::to_string(suppressed_before);
  return line;
}

void log_alert(spdlog::logger& log, const alert& a, uint64_t suppressed_before) {
  auto line = format_alert_line(a, suppressed_before);
  switch (a.level) {
    case severity::critical: log.error("{}", line); break;
    case severity::warning: log.warn("{}", line); break;
    default: log.info("{}", line); break;
  }
}

} // namespace tradewind
