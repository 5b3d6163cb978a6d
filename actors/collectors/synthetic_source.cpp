#include "actors/collectors/synthetic_source.hpp"

#include <algorithm>
#include <limits>

namespace tradewind {

namespace {

using i128 = __int128;

constexpr fixed cent = fixed::from_raw(fixed::scale / 100);          // 0.01: price tick
constexpr fixed volume_step = fixed::from_raw(fixed::scale / 1000);  // 0.001: volume lot
constexpr fixed basis_points_per_one = fixed::from_int(10'000);

/// Integer division rounded half away from zero.
i128 round_div(i128 num, i128 den) {
  i128 q = num / den;
  i128 r = num % den;
  if (2 * (r < 0 ? -r : r) >= (den < 0 ? -den : den))
    q += ((num < 0) != (den < 0)) ? -1 : 1;
  return q;
}

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
  return fixed::from_raw(static_cast<int64_t>(round_div(centered * fixed::scale, one)));
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

fixed round_to_step(fixed v, fixed step) {
  return fixed::from_raw(static_cast<int64_t>(round_div(v.raw, step.raw) * step.raw));
}

synthetic_source::synthetic_source(const synthetic_config& cfg, size_t symbol_index)
    : cfg_(cfg),
      symbol_(symbol_index < cfg.symbols.size() ? cfg.symbols[symbol_index] : std::string{}),
      rng_(splitmix64(cfg.seed + symbol_index * 0x9E3779B97F4A7C15ULL)),
      last_close_(std::max(round_to_step(cfg.start_price, cent), cent)) {
}

std::optional<market_event> synthetic_source::next() {
  auto b = next_bar();
  if (!b)
    return std::nullopt;
  return market_event{std::move(*b)};
}

std::optional<bar> synthetic_source::next_bar() {
  if (cfg_.bars != 0 && produced_ >= cfg_.bars)
    return std::nullopt;
  const fixed vol = cfg_.volatility_bps;
  // Relative moves: the close moves by z × vol; wicks extend by |z| × vol / 2 beyond the body.
  auto move = [&](fixed price, fixed z, fixed scale_bps) {
    return price * (z * scale_bps / basis_points_per_one);
  };
  bar b;
  b.symbol = symbol_;
  b.open_time_ms = cfg_.start_time_ms + static_cast<int64_t>(produced_) * cfg_.interval_ms;
  b.interval_ms = cfg_.interval_ms;
  b.open = last_close_;
  b.close = std::max(round_to_step(b.open + move(b.open, rng_.sample(), vol), cent), cent);
  const fixed half_vol = vol / fixed::from_int(2);
  const fixed body_high = std::max(b.open, b.close);
  const fixed body_low = std::min(b.open, b.close);
  b.high = round_to_step(body_high + move(body_high, rng_.sample().abs(), half_vol), cent);
  b.low = std::max(round_to_step(body_low - move(body_low, rng_.sample().abs(), half_vol), cent),
                   cent);
  // Volume uniform in [1, 100) in steps of 0.001: always positive.
  b.volume = fixed::from_int(1) + fixed::from_raw(static_cast<int64_t>(rng_.uniform(99'000)) *
                                                   volume_step.raw);
  last_close_ = b.close;
  ++produced_;
  return b;
}

} // namespace tradewind
