#include "schemas/fixed.hpp"

#include <cmath>
#include <limits>

namespace tradewind {

using i128 = __int128;

int64_t fixed::round_div(i128 num, i128 den) {
  i128 q = num / den;
  i128 r = num % den;
  if (2 * (r < 0 ? -r : r) >= (den < 0 ? -den : den))
    q += ((num < 0) != (den < 0)) ? -1 : 1;
  return static_cast<int64_t>(q);
}

fixed fixed::from_double(double v) {
  return fixed{static_cast<int64_t>(std::llround(v * scale))};
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
  return fixed{static_cast<int64_t>(neg ? -total : total)};
}

std::string fixed::to_string() const {
  i128 v = raw;
  bool neg = v < 0;
  if (neg)
    v = -v;
  auto int_part = static_cast<unsigned long long>(v / scale);
  auto frac = static_cast<long long>(v % scale);
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

fixed operator*(fixed a, fixed b) {
  return fixed{fixed::round_div(static_cast<i128>(a.raw) * b.raw, fixed::scale)};
}

fixed operator/(fixed a, fixed b) {
  if (b.raw == 0)
    return fixed{};
  return fixed{fixed::round_div(static_cast<i128>(a.raw) * fixed::scale, b.raw)};
}

fixed fixed::bps(int64_t basis_points) const {
  return fixed{fixed::round_div(static_cast<i128>(raw) * basis_points, 10'000)};
}

} // namespace tradewind
