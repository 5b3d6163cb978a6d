#pragma once
// Seeded random walk of bars for demos and tests. Pure: no CAF.

#include <cstdint>
#include <random>
#include <string>

#include "actors/collectors/event_source.hpp"
#include "config/node_config.hpp"

namespace tradewind {

/// Normal variates that are bit-identical on every platform: std::normal_distribution (and
/// std::generate_canonical) are implementation-defined, and log/cos are not correctly rounded
/// everywhere, so this uses the Irwin–Hall sum of 12 uniforms in integer arithmetic only.
/// The result has mean 0, variance 1 and is bounded to [-6, 6].
class portable_normal {
public:
  explicit portable_normal(uint64_t seed) : engine_(seed) {}

  /// One N(0, 1) sample as a fixed (8 fractional digits).
  fixed sample();
  /// A uniform integer in [0, n) (n > 0), by rejection, so it is exact and portable too.
  uint64_t uniform(uint64_t n);

private:
  std::mt19937_64 engine_;
};

/// Bars of one symbol of a synthetic_config: a geometric random walk of the close with
/// per-bar standard deviation `volatility_bps`, starting at `start_price`.
///
/// Every bar satisfies low <= open, close <= high, 0.01 <= low and volume > 0; prices are
/// exact multiples of 0.01 and volumes of 0.001. Bar i opens at start_time_ms + i × interval_ms
/// and at the previous close. The stream is a pure function of (config, symbol_index):
/// each symbol draws from its own engine seeded from `seed` and the index.
class synthetic_source final : public event_source {
public:
  synthetic_source(const synthetic_config& cfg, size_t symbol_index);

  /// The next bar; nullopt after `bars` bars (never when bars == 0, i.e. endless), or
  /// once the walk leaves the range of `fixed`: then the stream ends and drain_errors()
  /// says why, instead of a bar with wrapped prices.
  std::optional<market_event> next() override;
  /// Same as next(), typed.
  std::optional<bar> next_bar();
  std::vector<row_error> drain_errors() override;

private:
  /// Ends the stream with `why`, reported once through drain_errors().
  void fail(std::string why);

  synthetic_config cfg_;
  std::string symbol_;
  portable_normal rng_;
  uint64_t produced_ = 0;
  fixed last_close_;
  std::optional<std::string> failed_;   ///< why the walk stopped; set once
  std::vector<row_error> errors_;       ///< not yet drained
};

/// Rounds `v` to a multiple of `step` (step > 0), half away from zero; an error when the
/// multiple does not fit.
fixed_result round_to_step(fixed v, fixed step);

} // namespace tradewind
