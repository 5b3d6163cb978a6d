#include "schemas/fixed.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace tradewind {

using i128 = __int128;

namespace {

constexpr i128 int64_max = std::numeric_limits<int64_t>::max();
constexpr i128 int64_min = std::numeric_limits<int64_t>::min();

using u128 = unsigned __int128;

/// |v| without overflow, even for the most negative 128-bit value.
u128 magnitude(i128 v) {
  return v < 0 ? u128{0} - static_cast<u128>(v) : static_cast<u128>(v);
}

/// num / den rounded half away from zero (any signs, den != 0), still in 128 bits.
/// The caller excludes INT128_MIN / -1, the one quotient that does not fit.
i128 round_div_wide(i128 num, i128 den) {
  i128 q = num / den;
  u128 r = magnitude(num % den);
  if (r >= magnitude(den) - r) // 2|r| >= |den|, without doubling
    q += ((num < 0) != (den < 0)) ? -1 : 1;
  return q;
}

/// The only narrowing of a wide value: checked against the int64 range first.
fixed_result narrow(i128 v) {
  if (v > int64_max || v < int64_min)
    return fixed_result{fixed_error::overflow};
  return fixed::from_raw(static_cast<int64_t>(v)); // tw-cast-ok: range checked above
}

} // namespace

const char* to_string(fixed_error e) {
  switch (e) {
    case fixed_error::overflow: return "overflow";
    case fixed_error::division_by_zero: return "division by zero";
    case fixed_error::not_finite: return "not finite";
  }
  return "unknown fixed_error";
}

fixed fixed_result::fail() {
  std::fputs("fatal: fixed_result::value() called on an error result\n", stderr);
  std::abort();
}

fixed_result fixed::from_ratio(i128 num, i128 den, rounding mode) {
  if (den == 0)
    return fixed_result{fixed_error::division_by_zero};
  // The only 128-bit quotient that does not fit, INT128_MIN / -1, is an overflow too.
  constexpr i128 wide_min = static_cast<i128>(u128{1} << 127); // tw-cast-ok: bit pattern
  if (num == wide_min && den == -1)
    return fixed_result{fixed_error::overflow};
  return narrow(mode == rounding::toward_zero ? num / den : round_div_wide(num, den));
}

fixed_result fixed::from_double(double v) {
  if (!std::isfinite(v))
    return fixed_result{fixed_error::not_finite};
  // Rounded in double, then range-checked before the conversion: converting a double outside
  // the int64 range to an integer is undefined behaviour.
  double rounded = std::round(v * static_cast<double>(scale)); // half away from zero
  constexpr double limit = 9223372036854775808.0;               // 2^63, exact in a double
  if (!(rounded >= -limit && rounded < limit))
    return fixed_result{fixed_error::overflow};
  return fixed::from_raw(static_cast<int64_t>(rounded)); // tw-cast-ok: |rounded| < 2^63
}

std::optional<fixed> fixed::parse(std::string_view s) {
  if (s.empty())
    return std::nullopt;
  bool neg = false;
  size_t i = 0;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
  }
  i128 int_part = 0;
  int int_digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++int_digits) {
    int_part = int_part * 10 + (s[i] - '0');
    if (int_part > std::numeric_limits<int64_t>::max() / scale)
      return std::nullopt;
  }
  i128 frac = 0;
  int frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++frac_digits) {
      if (frac_digits >= digits) {
        if (s[i] != '0') // extra digits are allowed only when they are zeros
          return std::nullopt;
        continue;
      }
      frac = frac * 10 + (s[i] - '0');
    }
  }
  if (i != s.size() || (int_digits == 0 && frac_digits == 0))
    return std::nullopt;
  for (int d = std::min(frac_digits, digits); d < digits; ++d)
    frac *= 10;
  i128 total = int_part * scale + frac;
  constexpr i128 max = std::numeric_limits<int64_t>::max();
  if (total > max + (neg ? 1 : 0))
    return std::nullopt;
  return narrow(neg ? -total : total).value(); // in range: checked just above
}

std::string fixed::to_string() const {
  i128 v = raw;
  bool neg = v < 0;
  if (neg)
    v = -v;
  auto int_part = static_cast<unsigned long long>(v / scale); // tw-cast-ok: 0 <= v <= 2^63
  auto frac = static_cast<long long>(v % scale);             // tw-cast-ok: < scale
  std::string out = neg ? "-" : "";
  out += std::to_string(int_part);
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, digits - f.size(), '0');
    while (f.back() == '0')
      f.pop_back();
    out += '.';
    out += f;
  }
  return out;
}

fixed_result operator*(fixed_result a, fixed_result b) {
  if (!a.ok())
    return a;
  if (!b.ok())
    return b;
  return fixed::from_ratio(static_cast<i128>(a.value().raw) * b.value().raw, fixed::scale);
}

fixed_result operator/(fixed_result a, fixed_result b) {
  if (!a.ok())
    return a;
  if (!b.ok())
    return b;
  return fixed::from_ratio(static_cast<i128>(a.value().raw) * fixed::scale, b.value().raw);
}

fixed_result fixed::bps(int64_t basis_points) const {
  return from_ratio(static_cast<i128>(raw) * basis_points, 10'000);
}

fixed_result fixed::pct(fixed percent) const {
  return from_ratio(static_cast<i128>(raw) * percent.raw, static_cast<i128>(100) * scale);
}

} // namespace tradewind
