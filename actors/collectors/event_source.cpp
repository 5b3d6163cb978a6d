#include "actors/collectors/event_source.hpp"

namespace tradewind {

int64_t event_time(const market_event& e) {
  if (auto* b = std::get_if<bar>(&e))
    return b->open_time_ms;
  return std::get<trade_tick>(e).ts_ms;
}

std::string row_error::to_string() const {
  if (line <= 0)
    return file + ": " + reason;
  return file + ":" + std::to_string(line) + ": " + reason;
}

} // namespace tradewind
