#pragma once
// Moving-average crossover signal logic for one symbol; pure (no CAF), exact fixed-point.

#include <cstdint>
#include <optional>
#include <string>

#include "config/node_config.hpp"
#include "schemas/indicators.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

/// What one price gives: nothing, a signal, or a cross that could not be sized.
struct crossover_outcome {
  std::optional<signal> sig; ///< set on a cross that could be sized
  std::string unsized;       ///< non-empty: a cross happened, but its target did not fit (why)
};

/// Emits a signal when the fast average crosses the slow one. Cross up → long target;
/// cross down → flat (or short when allow_short). The first comparison after warm-up only
/// records which side the fast average is on: a signal needs an actual cross.
class ma_crossover {
public:
  ma_crossover(const strategy_config& cfg, std::string symbol);

  /// Feeds one closing price at event time `ts_ms`; gives a signal on a cross. When the
  /// target (order_notional / price) does not fit `fixed` (a micro price), there is no
  /// signal and `unsized` says why: a wrapped target once turned a cross down into a buy.
  crossover_outcome on_price(fixed price, int64_t ts_ms);

  /// Runs with `p` from the next price on. Sizing (order_notional, qty_step, allow_short)
  /// applies to the next signal. New windows rebuild both averages from the closes the slow
  /// average still holds (its last `slow` prices); when the new slow window is longer, they
  /// re-warm from the next prices. The side is re-read from the rebuilt averages, so a change
  /// never emits a signal by itself: the next one needs a real cross under the new windows.
  /// Signal sequence numbers continue, so client order ids stay unique.
  void update(const strategy_params& p);

  const strategy_config& config() const { return cfg_; }

private:
  fixed_result target_qty(int direction, fixed price) const;
  /// +1 fast above slow, -1 below, 0 equal or not warmed up.
  int side_now() const;

  strategy_config cfg_;
  std::string symbol_;
  moving_average fast_;
  moving_average slow_;
  int last_side_ = 0; ///< +1 fast above slow, -1 below, 0 unknown/equal
  uint64_t seq_ = 0;
};

} // namespace tradewind
