#pragma once
// Fixed-point decimal used for every price, quantity and amount of money in Tradewind.
//
// Arithmetic is checked by type: +, -, *, /, negation, abs() and bps() yield a
// `fixed_result` (an exact in-range value or a `fixed_error`), which does not convert back
// to `fixed`, so no caller can use a result without deciding what an overflow means.
// A wrapped notional once passed every pre-trade limit; the type keeps that from recurring.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace tradewind {

/// Why a checked `fixed` operation has no value.
enum class fixed_error : uint8_t {
  overflow,         ///< the exact result lies outside the int64 range of 1e-8 units
  division_by_zero, ///< the divisor was zero
  not_finite,       ///< a double input was NaN or infinite
};

/// Short lower-case text of `e` ("overflow", "division by zero", "not finite").
const char* to_string(fixed_error e);

class fixed_result;

/// A signed decimal with exactly 8 fractional digits stored as an int64 count of 1e-8 units.
/// Range is about ±92 billion, enough for crypto prices, quantities and account equity.
/// Decimal text converts exactly (no binary rounding); products and quotients are computed
/// exactly in 128 bits, rounded half away from zero to 8 digits and range-checked.
struct fixed {
  static constexpr int64_t scale = 100'000'000;
  static constexpr int digits = 8;

  int64_t raw = 0;

  static constexpr fixed from_raw(int64_t r) { return fixed{r}; }
  /// v whole units; overflow when |v| > 92 233 720 368.
  static constexpr fixed_result from_int(int64_t v);
  /// The compile-time constant V whole units (a range error does not compile).
  template <int64_t V>
  static constexpr fixed from_int();
  /// Rounds a double to the nearest 1e-8, half away from zero (synthetic data and metrics
  /// only). NaN and ±inf → not_finite; a value outside the range → overflow.
  static fixed_result from_double(double v);
  /// How from_ratio rounds.
  enum class rounding : uint8_t {
    half_away_from_zero, ///< the rounding of every product and quotient
    toward_zero,         ///< truncation, for caps that rounding must never exceed
  };
  /// num / den raw units, rounded as asked: the one checked narrowing from 128 bits.
  /// den == 0 → division_by_zero; a result outside the int64 range → overflow.
  static fixed_result from_ratio(__int128 num, __int128 den,
                                 rounding mode = rounding::half_away_from_zero);
  /// Parses decimal text such as "-12.5", "0.00000001", "1e-3" is rejected. Returns nullopt
  /// when the text is not a plain decimal, has more than 8 fractional digits or overflows.
  static std::optional<fixed> parse(std::string_view text);

  double to_double() const { return static_cast<double>(raw) / scale; }
  /// Shortest exact decimal text: "12.5", "-0.00000001", "3".
  std::string to_string() const;

  bool is_zero() const { return raw == 0; }
  /// |this|; overflow only for the raw value INT64_MIN.
  constexpr fixed_result abs() const;
  /// this × basis_points / 10 000 (1 bp = 0.01 %), rounded half away from zero.
  fixed_result bps(int64_t basis_points) const;
  /// this × percent / 100 with one rounding (half away from zero); fits whenever
  /// |percent| <= 100, as every configured percentage is.
  fixed_result pct(fixed percent) const;

  friend constexpr bool operator==(fixed a, fixed b) { return a.raw == b.raw; }
  friend constexpr bool operator!=(fixed a, fixed b) { return a.raw != b.raw; }
  friend constexpr bool operator<(fixed a, fixed b) { return a.raw < b.raw; }
  friend constexpr bool operator<=(fixed a, fixed b) { return a.raw <= b.raw; }
  friend constexpr bool operator>(fixed a, fixed b) { return a.raw > b.raw; }
  friend constexpr bool operator>=(fixed a, fixed b) { return a.raw >= b.raw; }
};

/// The outcome of a checked `fixed` operation: an exact in-range value or why there is none.
/// Operators on results propagate the first error, so `(a - b) / b * h` is checked as a
/// whole and tested once. There is deliberately no conversion to `fixed`: use ok()/value().
class [[nodiscard]] fixed_result {
public:
  /// Zero, like `fixed{}`.
  constexpr fixed_result() = default;
  constexpr fixed_result(fixed v) : value_(v) {} // NOLINT: a value is always a valid result
  constexpr explicit fixed_result(fixed_error e) : error_(e), ok_(false) {}

  constexpr bool ok() const { return ok_; }
  constexpr explicit operator bool() const { return ok_; }
  /// The value. Precondition ok(); calling it on an error terminates the process (a
  /// programming error, never a wrapped number).
  constexpr fixed value() const { return ok_ ? value_ : fail(); }
  constexpr fixed operator*() const { return value(); }
  /// Member access to the value, with value()'s precondition.
  const fixed* operator->() const { return ok_ ? &value_ : (fail(), nullptr); }
  /// The error; meaningful only when !ok().
  constexpr fixed_error error() const { return error_; }
  /// Text of the error ("overflow"...), empty when ok().
  const char* error_text() const { return ok_ ? "" : tradewind::to_string(error_); }
  /// For logs and denial details: the value's text, or the error's ("overflow").
  std::string to_string() const { return ok_ ? value_.to_string() : error_text(); }
  /// Basis-point scaling of the value, or this error.
  fixed_result bps(int64_t basis_points) const {
    return ok_ ? value_.bps(basis_points) : *this;
  }
  constexpr fixed_result abs() const { return ok_ ? value_.abs() : *this; }

private:
  [[noreturn]] static fixed fail();

  fixed value_{};
  fixed_error error_ = fixed_error::overflow;
  bool ok_ = true;
};

// The operators take results, so they apply to any mix of `fixed` and `fixed_result` and
// an error in an operand is passed through.

/// Exact sum; overflow when outside the range.
constexpr fixed_result operator+(fixed_result a, fixed_result b);
/// Exact difference; overflow when outside the range.
constexpr fixed_result operator-(fixed_result a, fixed_result b);
/// Exact negation; overflow only for raw INT64_MIN.
constexpr fixed_result operator-(fixed_result a);
/// Product rounded half away from zero to 8 digits (price × qty → notional).
fixed_result operator*(fixed_result a, fixed_result b);
/// Quotient rounded half away from zero to 8 digits; division_by_zero when b is zero.
fixed_result operator/(fixed_result a, fixed_result b);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fixed& x) {
  return f(x.raw);
}

// ---- inline definitions -------------------------------------------------------------

constexpr fixed_result fixed::from_int(int64_t v) {
  constexpr int64_t max_units = std::numeric_limits<int64_t>::max() / scale;
  if (v > max_units || v < -max_units)
    return fixed_result{fixed_error::overflow};
  return fixed{v * scale};
}

template <int64_t V>
constexpr fixed fixed::from_int() {
  constexpr fixed_result r = from_int(V);
  static_assert(r.ok(), "fixed::from_int<V>: V out of range");
  return r.value();
}

constexpr fixed_result fixed::abs() const {
  if (raw == std::numeric_limits<int64_t>::min())
    return fixed_result{fixed_error::overflow};
  return fixed{raw < 0 ? -raw : raw};
}

constexpr fixed_result operator+(fixed_result a, fixed_result b) {
  if (!a.ok())
    return a;
  if (!b.ok())
    return b;
  int64_t sum = 0;
  if (__builtin_add_overflow(a.value().raw, b.value().raw, &sum))
    return fixed_result{fixed_error::overflow};
  return fixed{sum};
}

constexpr fixed_result operator-(fixed_result a, fixed_result b) {
  if (!a.ok())
    return a;
  if (!b.ok())
    return b;
  int64_t diff = 0;
  if (__builtin_sub_overflow(a.value().raw, b.value().raw, &diff))
    return fixed_result{fixed_error::overflow};
  return fixed{diff};
}

constexpr fixed_result operator-(fixed_result a) {
  return fixed{} - a;
}

} // namespace tradewind
