#include "actors/collectors/synthetic_source.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace tradewind {

namespace {

using i128 = __int128;

/// The larger of `a` and a plain value, keeping an error of `a`.
fixed_result max_of(fixed_result a, fixed b) {
  return a ? fixed_result{std::max(*a, b)} : a;
}

constexpr fixed cent = fixed::from_raw(fixed::scale / 100);          // 0.01: price tick
constexpr fixed volume_step = fixed::from_raw(fixed::scale / 1000);  // 0.001: volume lot
constexpr fixed basis_points_per_one = fixed::from_int<10'000>();

/// SplitMix64 finaliser: decorrelates the per-symbol seeds derived from one config seed.
uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

} // namespace

fixed portable_normal::sample() {
  // Sum of 12 uniforms on [0, 1) has mean 6 and variance 1. Each uniform is the top 53 bits
  // of the engine output, so the sum is an exact integer in units of 2^-53.
  constexpr int64_t one = int64_t{1} << 53;
  int64_t sum = 0;
  for (int i = 0; i < 12; ++i)
    sum += static_cast<int64_t>(engine_() >> 11);
  i128 centered = static_cast<i128>(sum) - 6 * static_cast<i128>(one);
  // |centered| <= 6 × 2^53, so the sample is within ±6 and always fits.
  return *fixed::from_ratio(centered * fixed::scale, one);
}

uint64_t portable_normal::uniform(uint64_t n) {
  // Reject the top partial block of 2^64 so that every residue is equally likely.
  const uint64_t rest = (std::numeric_limits<uint64_t>::max() % n + 1) % n; // 2^64 mod n
  const uint64_t limit = std::numeric_limits<uint64_t>::max() - rest;       // accept x <= limit
  uint64_t x = engine_();
  while (x > limit)
    x = engine_();
  return x % n;
}

fixed_result round_to_step(fixed v, fixed step) {
  auto steps = fixed::from_ratio(v.raw, step.raw); // a count of steps, in raw units
  if (!steps)
    return steps;
  return fixed::from_ratio(static_cast<i128>(steps->raw) * step.raw, 1);
}

synthetic_source::synthetic_source(const synthetic_config& cfg, size_t symbol_index)
    : cfg_(cfg),
      symbol_(symbol_index < cfg.symbols.size() ? cfg.symbols[symbol_index] : std::string{}),
      rng_(splitmix64(cfg.seed + symbol_index * 0x9E3779B97F4A7C15ULL)),
      last_close_(cent) {
  // start_price is only validated > 0: rounded to the cent it may pass the range (the
  // largest values); then the stream ends at once with the reason, like a walk that leaves it.
  auto start = round_to_step(cfg.start_price, cent);
  if (start)
    last_close_ = std::max(*start, cent);
  else
    fail("start_price " + cfg.start_price.to_string() + " rounded to 0.01 does not fit");
}

void synthetic_source::fail(std::string why) {
  failed_ = std::move(why) + "; stream of " + symbol_ + " ended";
  errors_.push_back(row_error{"synthetic", 0, *failed_});
}

std::vector<row_error> synthetic_source::drain_errors() {
  return std::exchange(errors_, {});
}

std::optional<market_event> synthetic_source::next() {
  auto b = next_bar();
  if (!b)
    return std::nullopt;
  return market_event{std::move(*b)};
}

std::optional<bar> synthetic_source::next_bar() {
  if (failed_ || (cfg_.bars != 0 && produced_ >= cfg_.bars))
    return std::nullopt;
  const fixed vol = cfg_.volatility_bps;
  // Relative moves: the close moves by z × vol; wicks extend by |z| × vol / 2 beyond the body.
  auto move = [&](fixed price, fixed_result z, fixed scale_bps) {
    return price * (z * scale_bps / basis_points_per_one);
  };
  bar b;
  b.symbol = symbol_;
  b.open_time_ms = cfg_.start_time_ms + static_cast<int64_t>(produced_) * cfg_.interval_ms;
  b.interval_ms = cfg_.interval_ms;
  b.open = last_close_;
  auto close = b.open + move(b.open, rng_.sample(), vol);
  close = max_of(close ? round_to_step(*close, cent) : close, cent);
  const fixed half_vol = *(vol / fixed::from_int<2>()); // halving always fits
  const fixed body_high = close ? std::max(b.open, *close) : b.open;
  const fixed body_low = close ? std::min(b.open, *close) : b.open;
  auto high = body_high + move(body_high, rng_.sample().abs(), half_vol);
  high = high ? round_to_step(*high, cent) : high;
  auto low = body_low - move(body_low, rng_.sample().abs(), half_vol);
  low = max_of(low ? round_to_step(*low, cent) : low, cent);
  if (!close || !high || !low) {
    fail("synthetic walk left the range of fixed after " + std::to_string(produced_) +
         " bars (open " + b.open.to_string() + ")");
    return std::nullopt;
  }
  b.close = *close;
  b.high = *high;
  b.low = *low;
  // Volume uniform in [1, 100) in steps of 0.001: always positive, always fits.
  b.volume = fixed::from_raw(fixed::scale + static_cast<int64_t>(rng_.uniform(99'000)) *
                                              volume_step.raw);
  last_close_ = b.close;
  ++produced_;
  return b;
}

} // namespace tradewind
