#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "actors/strategies/ma_crossover.hpp"

using namespace tradewind;

namespace {

strategy_config make_cfg(bool allow_short = false) {
  strategy_config cfg;
  cfg.id = "ma";
  cfg.fast = 2;
  cfg.slow = 3;
  cfg.order_notional = fixed::from_int<1000>();
  cfg.qty_step = *fixed::parse("0.001");
  cfg.allow_short = allow_short;
  return cfg;
}

std::vector<tradewind::signal> feed(ma_crossover& logic, const std::vector<int>& prices) {
  std::vector<tradewind::signal> out;
  int64_t ts = 0;
  for (int p : prices)
    if (auto s = logic.on_price(*fixed::from_int(p), ts += 1000).sig)
      out.push_back(*s);
  return out;
}

} // namespace

TEST(ma_crossover, needs_a_real_cross_after_warm_up) {
  auto cfg = make_cfg();
  ma_crossover logic{cfg, "BTCUSDT"};
  // Rising from the start: fast is above slow at warm-up, which is not a cross.
  EXPECT_TRUE(feed(logic, {1, 2, 3, 4, 5}).empty());
}

TEST(ma_crossover, cross_up_targets_notional_rounded_down_to_the_lot_step) {
  auto cfg = make_cfg();
  ma_crossover logic{cfg, "BTCUSDT"};
  auto sigs = feed(logic, {10, 9, 8, 7, 9, 12});
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].direction, 1);
  EXPECT_EQ(sigs[0].ts_ms, 6000); // at 9 the averages are equal (8 = 8): no side yet
  EXPECT_EQ(sigs[0].seq, 1u);
  EXPECT_EQ(sigs[0].symbol, "BTCUSDT");
  EXPECT_EQ(sigs[0].strategy_id, "ma");
  EXPECT_EQ(sigs[0].reference_price, fixed::from_int<12>());
  EXPECT_EQ(sigs[0].target_qty.to_string(), "83.333"); // 1000 / 12 = 83.3333… → step 0.001
}

TEST(ma_crossover, cross_down_goes_flat_or_short) {
  for (bool allow_short : {false, true}) {
    auto cfg = make_cfg(allow_short);
    ma_crossover logic{cfg, "X"};
    auto sigs = feed(logic, {10, 9, 8, 7, 9, 12, 10, 5});
    ASSERT_EQ(sigs.size(), 2u);
    EXPECT_EQ(sigs[1].seq, 2u);
    EXPECT_EQ(sigs[1].direction, allow_short ? -1 : 0);
    EXPECT_EQ(sigs[1].target_qty.to_string(), allow_short ? "-200" : "0");
  }
}

TEST(ma_crossover, sizing_updates_apply_to_the_next_signal_and_keep_the_indicators) {
  auto cfg = make_cfg();
  ma_crossover logic{cfg, "BTCUSDT"};
  EXPECT_TRUE(feed(logic, {10, 9, 8, 7, 9}).empty()); // warmed up, fast below slow
  auto p = params_of(cfg);
  p.order_notional = fixed::from_int<600>();
  logic.update(p);
  auto sigs = feed(logic, {12}); // the cross of the original test, still detected
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].target_qty.to_string(), "50"); // 600 / 12
  EXPECT_EQ(logic.config().order_notional, fixed::from_int<600>());
}

TEST(ma_crossover, new_windows_rebuild_from_held_prices_and_never_signal_by_themselves) {
  auto cfg = make_cfg();
  cfg.fast = 2;
  cfg.slow = 4;
  ma_crossover logic{cfg, "X"};
  // Slow holds 10 10 10 4: fast(2) 7 < slow(4) 8.5, side below.
  EXPECT_TRUE(feed(logic, {10, 10, 10, 10, 4}).empty());
  auto p = params_of(cfg);
  p.fast = 1;
  p.slow = 3;
  logic.update(p); // rebuilt from 10 10 4: fast 4 < slow 8 — still below, and no signal
  // 12: fast 12 > slow (10 + 4 + 12) / 3 = 8.67 → a real cross under the new windows.
  auto sigs = feed(logic, {12});
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].direction, 1);
  EXPECT_EQ(sigs[0].seq, 1u);
  EXPECT_EQ(sigs[0].reason, "ma_cross_up fast=12 slow=8.66666667");
}

TEST(ma_crossover, a_side_flip_caused_by_new_windows_is_not_a_cross) {
  auto cfg = make_cfg(); // fast 2, slow 3
  ma_crossover logic{cfg, "X"};
  EXPECT_TRUE(feed(logic, {10, 2, 7}).empty()); // fast 4.5 < slow 6.33: below
  auto p = params_of(cfg);
  p.fast = 1;
  logic.update(p); // rebuilt from 10 2 7: fast 7 > slow 6.33 — above, without a signal
  EXPECT_TRUE(feed(logic, {8}).empty()); // still above: had the old side stayed, this would be a cross
  auto sigs = feed(logic, {1});          // fast 1 < slow 5.33: a real cross down
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].direction, 0);
  EXPECT_EQ(sigs[0].seq, 1u);
}

TEST(ma_crossover, a_longer_slow_window_rewarms_from_the_next_prices_and_sequence_numbers_continue) {
  auto cfg = make_cfg(); // fast 2, slow 3
  ma_crossover logic{cfg, "X"};
  ASSERT_EQ(feed(logic, {10, 9, 8, 7, 9, 12}).size(), 1u); // seq 1
  auto p = params_of(cfg);
  p.slow = 5;
  logic.update(p); // slow holds 7 9 12: 3 of 5 prices
  EXPECT_TRUE(feed(logic, {1}).empty()); // 4 of 5: still warming up
  EXPECT_TRUE(feed(logic, {1}).empty()); // warm: fast 1 < slow 6, side recorded only
  auto sigs = feed(logic, {30, 30});     // fast 15.5 > slow 10.6: cross up
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[0].seq, 2u);
}

// Defect 2 of issue 11: at a price of 0.00000001, order_notional / price (1000 / 1e-8 = 1e11)
// does not fit; the wrapped quotient turned a cross down into a buy of 73 billion units.
TEST(ma_crossover, a_target_that_does_not_fit_gives_no_signal_and_says_why) {
  auto cfg = make_cfg(true);
  cfg.qty_step = fixed::from_raw(1);
  ma_crossover logic{cfg, "MICROUSDT"};
  std::vector<crossover_outcome> outs;
  int64_t ts = 0;
  for (int64_t raw : {10, 20, 30, 40, 1}) // rising (warm-up on the up side), then a cross down
    outs.push_back(logic.on_price(fixed::from_raw(raw), ts += 1000));
  for (const auto& o : outs)
    EXPECT_FALSE(o.sig) << "no signal may be sized from a quotient that does not fit";
  EXPECT_EQ(outs.back().unsized, "ma_cross_down on MICROUSDT at price 0.00000001: target "
                                 "order_notional 1000 / price overflow; no signal");
  for (size_t i = 0; i + 1 < outs.size(); ++i)
    EXPECT_EQ(outs[i].unsized, "") << i;
}

TEST(ma_crossover, a_target_that_fits_keeps_the_sign_of_the_cross_at_tiny_prices) {
  auto cfg = make_cfg(true);
  cfg.qty_step = fixed::from_raw(1);
  cfg.order_notional = fixed::from_int<900>(); // 900 / 1e-8 = 9e10 fits
  ma_crossover logic{cfg, "MICROUSDT"};
  std::optional<tradewind::signal> down;
  int64_t ts = 0;
  for (int64_t raw : {10, 20, 30, 40, 1})
    if (auto o = logic.on_price(fixed::from_raw(raw), ts += 1000); o.sig)
      down = o.sig;
  ASSERT_TRUE(down);
  EXPECT_EQ(down->direction, -1);
  EXPECT_EQ(down->target_qty.to_string(), "-90000000000");
}
