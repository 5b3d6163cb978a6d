#pragma once
// Indicator math over fixed-point prices, shared by the strategies (signals) and the REST
// bridge (the candles' indicators), so both compute the same values with the same rounding.
// Pure: no CAF. Lives in schemas/ because it is arithmetic on schemas' fixed values and the one
// layer both actors/strategies and bridge/ include without linking the actor runtime.

#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "schemas/fixed.hpp"

namespace tradewind {

/// Simple moving average over the last `window` prices, kept as an exact running sum.
class moving_average {
public:
  explicit moving_average(int window) : window_(window) {}
  void add(fixed price);
  bool ready() const { return static_cast<int>(prices_.size()) == window_; }
  /// Mean of the window rounded to 8 digits (half away from zero); meaningful only when
  /// ready(). Always fits: the mean of in-range prices is in range, and the sum is 128 bits.
  fixed value() const;
  /// The prices in the window, oldest first.
  const std::deque<fixed>& prices() const { return prices_; }

private:
  int window_;
  std::deque<fixed> prices_;
  __int128 sum_ = 0; ///< Σ raw prices; a window of int64 values cannot overflow 128 bits
};

/// moving_average over `values`: one entry per input, nullopt until the window is full (all
/// nullopt for a window of 0).
std::vector<std::optional<fixed>> simple_moving_average(const std::vector<fixed>& values, size_t window);

} // namespace tradewind
