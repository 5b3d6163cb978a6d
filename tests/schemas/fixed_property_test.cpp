// Property tests of fixed's checked arithmetic against an independent oracle: arbitrary
// precision integers (boost::multiprecision::cpp_int), with the rounding written differently
// from fixed.cpp (floor((2|n| + |d|) / 2|d|) instead of quotient + remainder test).

#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_int.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "schemas/fixed.hpp"

using tradewind::fixed;
using tradewind::fixed_error;
using tradewind::fixed_result;
using big = boost::multiprecision::cpp_int;

namespace {

constexpr int64_t i64_max = std::numeric_limits<int64_t>::max();
constexpr int64_t i64_min = std::numeric_limits<int64_t>::min();

/// What the oracle expects: a raw value, or the error.
struct expected {
  bool ok = false;
  int64_t raw = 0;
  fixed_error error = fixed_error::overflow;
};

expected in_range(const big& v) {
  if (v > big(i64_max) || v < big(i64_min))
    return {false, 0, fixed_error::overflow};
  return {true, v.convert_to<int64_t>(), {}};
}

/// n / d rounded half away from zero, as sign × floor((2|n| + |d|) / (2|d|)).
big rounded(const big& n, const big& d) {
  big an = abs(n);
  big ad = abs(d);
  big q = (2 * an + ad) / (2 * ad); // both non-negative: truncation is floor
  return ((n < 0) != (d < 0)) ? big(-q) : q;
}

expected ratio(const big& n, const big& d) {
  if (d == 0)
    return {false, 0, fixed_error::division_by_zero};
  return in_range(rounded(n, d));
}

void expect_same(const fixed_result& got, const expected& want, const std::string& what) {
  ASSERT_EQ(got.ok(), want.ok) << what << ": got " << got.to_string();
  if (want.ok)
    ASSERT_EQ(got.value().raw, want.raw) << what;
  else
    ASSERT_EQ(got.error(), want.error) << what;
}

/// Operands that stress every boundary: the ends of the range, ±1, 0, the scale, the
/// square-root neighbourhood where products start to overflow, and random values.
std::vector<int64_t> interesting_operands() {
  std::vector<int64_t> v;
  for (int64_t k = 0; k < 40; ++k) {
    v.push_back(i64_max - k);
    v.push_back(i64_min + k);
    v.push_back(k);
    v.push_back(-k);
  }
  for (int64_t base : {fixed::scale, int64_t{30'370'004'999'760}, int64_t{3'037'000'499},
                       i64_max / fixed::scale, i64_max / 10'000, i64_max / 2}) {
    for (int64_t k = -3; k <= 3; ++k) {
      v.push_back(base + k);
      v.push_back(-base + k);
    }
  }
  std::mt19937_64 rng{20261204};
  for (int i = 0; i < 150; ++i) {
    v.push_back(static_cast<int64_t>(rng()));                  // anywhere in the range
    v.push_back(static_cast<int64_t>(rng() >> (rng() % 63)));  // every magnitude
    v.push_back(-static_cast<int64_t>(rng() >> (1 + rng() % 62)));
  }
  return v;
}

std::string pair_text(int64_t a, int64_t b) {
  return "a=" + std::to_string(a) + " b=" + std::to_string(b);
}

} // namespace

TEST(fixed_property, add_sub_neg_are_exact_or_overflow) {
  auto ops = interesting_operands();
  for (int64_t a : ops) {
    expect_same(-fixed::from_raw(a), in_range(-big(a)), "neg a=" + std::to_string(a));
    expect_same(fixed::from_raw(a).abs(), in_range(abs(big(a))), "abs a=" + std::to_string(a));
    for (int64_t b : ops) {
      auto fa = fixed::from_raw(a);
      auto fb = fixed::from_raw(b);
      expect_same(fa + fb, in_range(big(a) + big(b)), "add " + pair_text(a, b));
      expect_same(fa - fb, in_range(big(a) - big(b)), "sub " + pair_text(a, b));
    }
  }
}

TEST(fixed_property, mul_and_div_round_half_away_from_zero_or_fail) {
  auto ops = interesting_operands();
  const big scale{fixed::scale};
  for (int64_t a : ops)
    for (int64_t b : ops) {
      auto fa = fixed::from_raw(a);
      auto fb = fixed::from_raw(b);
      expect_same(fa * fb, ratio(big(a) * big(b), scale), "mul " + pair_text(a, b));
      expect_same(fa / fb, ratio(big(a) * scale, big(b)), "div " + pair_text(a, b));
    }
}

TEST(fixed_property, bps_and_pct_scale_exactly_or_fail) {
  auto ops = interesting_operands();
  std::vector<int64_t> bps{0, 1, -1, 5, 10, 9'999, 10'000, 10'001, -10'000, 1'000'000, i64_max,
                           i64_min, i64_max / 3};
  for (int64_t a : ops) {
    for (int64_t p : bps)
      expect_same(fixed::from_raw(a).bps(p), ratio(big(a) * big(p), big(10'000)),
                  "bps " + pair_text(a, p));
    for (int64_t p : ops)
      expect_same(fixed::from_raw(a).pct(fixed::from_raw(p)),
                  ratio(big(a) * big(p), big(100) * big(fixed::scale)), "pct " + pair_text(a, p));
  }
}

TEST(fixed_property, errors_propagate_through_expressions) {
  auto over = fixed::from_raw(i64_max) + fixed::from_raw(1);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error(), fixed_error::overflow);
  auto by_zero = fixed::from_int<1>() / fixed{};
  ASSERT_FALSE(by_zero);
  EXPECT_EQ(by_zero.error(), fixed_error::division_by_zero);
  EXPECT_EQ(std::string{by_zero.error_text()}, "division by zero");
  // The first error wins, whatever follows.
  EXPECT_EQ((by_zero * fixed::from_int<2>() + over).error(), fixed_error::division_by_zero);
  EXPECT_EQ((fixed::from_int<2>() - over).error(), fixed_error::overflow);
  EXPECT_FALSE(over.bps(1));
  EXPECT_FALSE(over.abs());
  EXPECT_EQ(over.to_string(), "overflow");
}

TEST(fixed_property, rounding_with_negative_operands) {
  auto half_unit = *fixed::parse("0.5");
  EXPECT_EQ((fixed::from_raw(-1) * half_unit)->raw, -1); // -0.5e-8 → -1e-8
  EXPECT_EQ((fixed::from_raw(1) * half_unit)->raw, 1);
  EXPECT_EQ((fixed::from_raw(-1) * -half_unit)->raw, 1);
  EXPECT_EQ((fixed::from_raw(-3) * *fixed::parse("0.49999999"))->raw, -1); // -1.49999997 → -1
  EXPECT_EQ((fixed::from_int<1>() / fixed::from_int<-3>())->to_string(), "-0.33333333");
  EXPECT_EQ((fixed::from_int<-2>() / fixed::from_int<3>())->to_string(), "-0.66666667");
  EXPECT_EQ((fixed::from_int<-2>() / fixed::from_int<-3>())->to_string(), "0.66666667");
  EXPECT_EQ(fixed::from_raw(-5).bps(1'000)->raw, -1);  // -0.5 → -1
  EXPECT_EQ(fixed::from_raw(-4).bps(1'000)->raw, 0);   // -0.4 → 0
  EXPECT_EQ(fixed::from_raw(-15).bps(1'000)->raw, -2); // -1.5 → -2
}

TEST(fixed_property, from_ratio_rounds_as_asked_and_guards_its_edges) {
  using r = fixed::rounding;
  EXPECT_EQ(fixed::from_ratio(-7, 2)->raw, -4);
  EXPECT_EQ(fixed::from_ratio(-7, 2, r::toward_zero)->raw, -3);
  EXPECT_EQ(fixed::from_ratio(7, -2, r::toward_zero)->raw, -3);
  EXPECT_EQ(fixed::from_ratio(1, 0).error(), fixed_error::division_by_zero);
  const __int128 wide_min = -(static_cast<__int128>(1) << 126) * 2;
  EXPECT_EQ(fixed::from_ratio(wide_min, -1).error(), fixed_error::overflow);
  EXPECT_EQ(fixed::from_ratio(wide_min, 1).error(), fixed_error::overflow);
  EXPECT_EQ(fixed::from_ratio(static_cast<__int128>(i64_max) + 1, 1).error(), fixed_error::overflow);
  EXPECT_EQ(fixed::from_ratio(i64_min, 1)->raw, i64_min);
}

TEST(fixed_property, from_int_is_checked) {
  constexpr int64_t max_units = i64_max / fixed::scale; // 92 233 720 368
  EXPECT_EQ(fixed::from_int(max_units)->raw, max_units * fixed::scale);
  EXPECT_EQ(fixed::from_int(-max_units)->raw, -max_units * fixed::scale);
  EXPECT_EQ(fixed::from_int(max_units + 1).error(), fixed_error::overflow);
  EXPECT_EQ(fixed::from_int(-max_units - 1).error(), fixed_error::overflow);
  EXPECT_EQ(fixed::from_int(i64_max).error(), fixed_error::overflow);
  EXPECT_EQ(fixed::from_int(i64_min).error(), fixed_error::overflow);
  static_assert(fixed::from_int<92'233'720'368>().raw == 9'223'372'036'800'000'000);
}

TEST(fixed_property, from_double_rejects_what_it_cannot_represent) {
  EXPECT_EQ(fixed::from_double(std::nan("")).error(), fixed_error::not_finite);
  EXPECT_EQ(fixed::from_double(INFINITY).error(), fixed_error::not_finite);
  EXPECT_EQ(fixed::from_double(-INFINITY).error(), fixed_error::not_finite);
  EXPECT_EQ(fixed::from_double(1e300).error(), fixed_error::overflow);
  EXPECT_EQ(fixed::from_double(-1e300).error(), fixed_error::overflow);
  EXPECT_EQ(fixed::from_double(92233720368.54775807).error(), fixed_error::overflow); // 2^63 units
  EXPECT_EQ(fixed::from_double(-92233720368.54775808)->raw, i64_min); // exactly -2^63 units
  EXPECT_EQ(fixed::from_double(std::nextafter(-92233720368.54775808, -1e300)).error(),
            fixed_error::overflow);
  EXPECT_EQ(fixed::from_double(0.0)->raw, 0);
  EXPECT_EQ(fixed::from_double(-0.0)->raw, 0);
  EXPECT_EQ(fixed::from_double(0.125)->raw, 12'500'000);
  EXPECT_EQ(fixed::from_double(-12.5)->raw, -1'250'000'000);
  EXPECT_EQ(fixed::from_double(5e-324)->raw, 0); // denormal rounds to zero
}

TEST(fixed_property, from_double_rounds_to_nearest_symmetrically) {
  std::mt19937_64 rng{7};
  std::uniform_real_distribution<double> mag{-9.0, 10.9};
  for (int i = 0; i < 20'000; ++i) {
    double v = std::pow(10.0, mag(rng)) * ((rng() & 1) ? 1 : -1);
    auto got = fixed::from_double(v);
    ASSERT_TRUE(got) << v;
    auto neg = fixed::from_double(-v);
    ASSERT_EQ(neg->raw, -got->raw) << v; // half away from zero is symmetric
    long double exact = static_cast<long double>(v) * fixed::scale;
    ASSERT_LE(std::fabs(static_cast<long double>(got->raw) - exact), 0.5L + std::fabs(exact) * 1e-15L)
      << v;
  }
}

TEST(fixed_property, text_round_trips_and_matches_the_oracle) {
  auto ops = interesting_operands();
  for (int64_t a : ops) {
    auto f = fixed::from_raw(a);
    auto text = f.to_string();
    big m = abs(big(a));
    big units = m / fixed::scale;
    big frac = m % fixed::scale;
    std::string want = (a < 0 ? "-" : "") + units.str();
    if (frac != 0) {
      std::string digits = frac.str();
      digits.insert(0, 8 - digits.size(), '0');
      while (digits.back() == '0')
        digits.pop_back();
      want += "." + digits;
    }
    ASSERT_EQ(text, want) << a;
    auto back = fixed::parse(text);
    ASSERT_TRUE(back) << text;
    ASSERT_EQ(back->raw, a) << text;
  }
}

TEST(fixed_property, parse_rejects_one_past_either_end) {
  EXPECT_EQ(fixed::parse("92233720368.54775807")->raw, i64_max);
  EXPECT_FALSE(fixed::parse("92233720368.54775808"));
  EXPECT_EQ(fixed::parse("-92233720368.54775808")->raw, i64_min);
  EXPECT_FALSE(fixed::parse("-92233720368.54775809"));
  EXPECT_FALSE(fixed::parse("184467440737.09551616")); // 2^64 units: must not wrap to 0
}
