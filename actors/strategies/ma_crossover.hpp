#pragma once
// Moving-average crossover signal logic for one symbol; pure (no CAF), exact fixed-point.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "config/node_config.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

/// Simple moving average over the last `window` prices, kept as an exact running sum.
class moving_average {
public:
  explicit moving_average(int window) : window_(window) {}
  void add(fixed price);
  bool ready() const { return static_cast<int>(prices_.size()) == window_; }
  /// Mean of the window rounded to 8 digits; meaningful only when ready().
  fixed value() const;

private:
  int window_;
  std::deque<fixed> prices_;
  fixed sum_;
};

/// Emits a signal when the fast average crosses the slow one. Cross up → long target;
/// cross down → flat (or short when allow_short). The first comparison after warm-up only
/// records which side the fast average is on: a signal needs an actual cross.
class ma_crossover {
public:
  ma_crossover(const strategy_config& cfg, std::string symbol);

  /// Feeds one closing price at event time `ts_ms`; returns a signal on a cross.
  std::optional<signal> on_price(fixed price, int64_t ts_ms);

private:
  fixed target_qty(int direction, fixed price) const;

  strategy_config cfg_;
  std::string symbol_;
  moving_average fast_;
  moving_average slow_;
  int last_side_ = 0; ///< +1 fast above slow, -1 below, 0 unknown/equal
  uint64_t seq_ = 0;
};

} // namespace tradewind
