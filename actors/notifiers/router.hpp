#pragma once
// Pure alert routing: which channels receive an alert, and duplicate suppression.

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "config/node_config.hpp"
#include "schemas/control.hpp"

namespace tradewind {

/// Identical alerts (same code, source and message) within this much wall time are sent once.
inline constexpr int64_t default_dedupe_window_ms = 60'000;

/// Where one alert goes.
struct route_decision {
  bool suppressed = false;        ///< a duplicate within the window: goes nowhere
  bool to_log = false;            ///< level >= notifier.log_min_severity
  std::vector<size_t> webhooks;   ///< indexes into notifier.webhooks, level >= min_severity
  uint64_t suppressed_before = 0; ///< duplicates of this alert suppressed since it last went out
};

/// True when `level` is at least `min` (info < warning < critical).
inline bool at_least(severity level, severity min) {
  return static_cast<int>(level) >= static_cast<int>(min);
}

/// Routes alerts by severity and suppresses repeats. Lives inside the notifier actor.
class alert_router {
public:
  explicit alert_router(notifier_config cfg, int64_t dedupe_window_ms = default_dedupe_window_ms);

  /// Decides the channels of `a`, seen at wall time `now_ms`. A repeat of an alert that went
  /// out less than the window ago is suppressed (and counted); the window restarts each time
  /// the alert goes out, so a steady stream goes out once per window.
  route_decision route(const alert& a, int64_t now_ms);

  /// Duplicates suppressed since construction.
  uint64_t suppressed_total() const { return suppressed_total_; }

private:
  using key = std::tuple<std::string, std::string, std::string>; // code, source, message
  struct seen {
    int64_t last_sent_ms = 0;
    uint64_t suppressed = 0;
  };

  /// Forgets alerts whose window has passed, so memory stays bounded.
  void expire(int64_t now_ms);

  notifier_config cfg_;
  int64_t window_ms_;
  std::map<key, seen> seen_;
  int64_t last_expiry_ms_ = 0;
  uint64_t suppressed_total_ = 0;
};

} // namespace tradewind
