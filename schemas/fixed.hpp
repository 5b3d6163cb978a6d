#pragma once
// Fixed-point decimal used for every price, quantity and amount of money in Tradewind.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tradewind {

/// A signed decimal with exactly 8 fractional digits stored as an int64 count of 1e-8 units.
/// Range is about ±92 billion, enough for crypto prices, quantities and account equity.
/// Decimal text converts exactly (no binary rounding); products and quotients are computed
/// in 128-bit and rounded half away from zero to 8 digits.
struct fixed {
  static constexpr int64_t scale = 100'000'000;
  static constexpr int digits = 8;

  int64_t raw = 0;

  static constexpr fixed from_raw(int64_t r) { return fixed{r}; }
  static constexpr fixed from_int(int64_t v) { return fixed{v * scale}; }
  /// Rounds a double to the nearest 1e-8 (used only for synthetic data and metrics).
  static fixed from_double(double v);
  /// Parses decimal text such as "-12.5", "0.00000001", "1e-3" is rejected. Returns nullopt
  /// when the text is not a plain decimal, has more than 8 fractional digits or overflows.
  static std::optional<fixed> parse(std::string_view text);

  double to_double() const { return static_cast<double>(raw) / scale; }
  /// Shortest exact decimal text: "12.5", "-0.00000001", "3".
  std::string to_string() const;

  bool is_zero() const { return raw == 0; }
  fixed abs() const { return fixed{raw < 0 ? -raw : raw}; }

  friend constexpr fixed operator+(fixed a, fixed b) { return fixed{a.raw + b.raw}; }
  friend constexpr fixed operator-(fixed a, fixed b) { return fixed{a.raw - b.raw}; }
  friend constexpr fixed operator-(fixed a) { return fixed{-a.raw}; }
  fixed& operator+=(fixed o) { raw += o.raw; return *this; }
  fixed& operator-=(fixed o) { raw -= o.raw; return *this; }
  /// Product rounded to 8 digits (price × qty → notional).
  friend fixed operator*(fixed a, fixed b);
  /// Quotient rounded to 8 digits; division by zero yields zero (callers check first).
  friend fixed operator/(fixed a, fixed b);
  /// Multiplies by basis points (1 bp = 0.01 %).
  fixed bps(int64_t basis_points) const;
  /// num / den rounded half away from zero (any signs, den != 0): the rounding every
  /// fixed-point product and quotient uses.
  static int64_t round_div(__int128 num, __int128 den);

  friend constexpr bool operator==(fixed a, fixed b) { return a.raw == b.raw; }
  friend constexpr bool operator!=(fixed a, fixed b) { return a.raw != b.raw; }
  friend constexpr bool operator<(fixed a, fixed b) { return a.raw < b.raw; }
  friend constexpr bool operator<=(fixed a, fixed b) { return a.raw <= b.raw; }
  friend constexpr bool operator>(fixed a, fixed b) { return a.raw > b.raw; }
  friend constexpr bool operator>=(fixed a, fixed b) { return a.raw >= b.raw; }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fixed& x) {
  return f(x.raw);
}

} // namespace tradewind
