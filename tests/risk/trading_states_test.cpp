#include <gtest/gtest.h>

#include "actors/risk/trading_states.hpp"
#include "risk_test_util.hpp"

using namespace tradewind;
using namespace tradewind::risk;
using namespace tradewind::risk::test;

namespace {

constexpr int64_t day_ms = 86'400'000;
constexpr int64_t day1 = 1'672'531'200'000; // 2023-01-01T00:00:00Z

} // namespace

TEST(trading_states, everything_starts_active) {
  trading_states st;
  auto v = st.effective("s1", "BTCUSDT");
  EXPECT_EQ(v.state, trading_state::active);
  EXPECT_EQ(v.why, "");
  EXPECT_FALSE(st.daily_loss_active());
}

TEST(trading_states, halt_symbol_scope_applies_to_that_symbol_only) {
  trading_states st;
  auto out = st.apply(command(control_action::halt, scope_kind::symbol, "BTCUSDT"));
  EXPECT_TRUE(out.valid);
  EXPECT_TRUE(out.changed());
  EXPECT_EQ(out.scope_label, "symbol BTCUSDT");
  EXPECT_EQ(out.before, trading_state::active);
  EXPECT_EQ(out.after, trading_state::halted);
  EXPECT_EQ(st.effective("s1", "BTCUSDT").state, trading_state::halted);
  EXPECT_EQ(st.effective("s1", "BTCUSDT").why, "symbol BTCUSDT halted");
  EXPECT_EQ(st.effective("s1", "ETHUSDT").state, trading_state::active);
}

TEST(trading_states, strategy_scope_applies_to_that_strategy_only) {
  trading_states st;
  st.apply(command(control_action::reduce_only, scope_kind::strategy, "s1"));
  EXPECT_EQ(st.effective("s1", "BTCUSDT").state, trading_state::reducing);
  EXPECT_EQ(st.effective("s1", "BTCUSDT").why, "strategy s1 reducing");
  EXPECT_EQ(st.effective("s2", "BTCUSDT").state, trading_state::active);
  EXPECT_EQ(st.state_of(scope_kind::strategy, "s1"), trading_state::reducing);
}

TEST(trading_states, most_restrictive_scope_wins) {
  trading_states st;
  st.apply(command(control_action::reduce_only, scope_kind::node));
  st.apply(command(control_action::halt, scope_kind::symbol, "BTCUSDT"));
  EXPECT_EQ(st.effective("s1", "BTCUSDT").why, "symbol BTCUSDT halted");
  EXPECT_EQ(st.effective("s1", "ETHUSDT").why, "node reducing");
}

TEST(trading_states, resume_returns_to_active_and_repeats_are_not_changes) {
  trading_states st;
  st.apply(command(control_action::halt, scope_kind::node));
  EXPECT_FALSE(st.apply(command(control_action::halt, scope_kind::node)).changed());
  auto out = st.apply(command(control_action::resume, scope_kind::node));
  EXPECT_TRUE(out.changed());
  EXPECT_EQ(out.before, trading_state::halted);
  EXPECT_EQ(st.effective("s1", "BTCUSDT").state, trading_state::active);
}

TEST(trading_states, scoped_command_without_id_is_ignored) {
  trading_states st;
  auto out = st.apply(command(control_action::halt, scope_kind::strategy, ""));
  EXPECT_FALSE(out.valid);
  EXPECT_EQ(out.error, "scope strategy needs a scope_id");
  EXPECT_EQ(st.effective("", "BTCUSDT").state, trading_state::active);
}

TEST(trading_states, drawdown_breaker_latches_until_resume) {
  trading_states st;
  risk_config cfg; // max_drawdown_pct 20
  auto snap = snapshot(day1);
  snap.drawdown_pct = fx("19.99999999");
  EXPECT_TRUE(st.on_snapshot(snap, cfg).empty());

  snap.drawdown_pct = fx(20);
  auto ev = st.on_snapshot(snap, cfg);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, breaker_event::drawdown_tripped);
  EXPECT_EQ(ev[0].message,
            "drawdown_pct 20 >= max_drawdown_pct 20: node halted, cancelling all open orders");
  EXPECT_TRUE(st.halted_by_drawdown());
  EXPECT_EQ(st.effective("s1", "BTCUSDT").why, "node halted by drawdown breaker");

  // Latched: no second trip, and recovery alone does not lift it.
  EXPECT_TRUE(st.on_snapshot(snap, cfg).empty());
  snap.drawdown_pct = {};
  EXPECT_TRUE(st.on_snapshot(snap, cfg).empty());
  EXPECT_EQ(st.effective("s1", "BTCUSDT").state, trading_state::halted);

  st.apply(command(control_action::resume, scope_kind::node));
  EXPECT_FALSE(st.halted_by_drawdown());
  EXPECT_EQ(st.effective("s1", "BTCUSDT").state, trading_state::active);
  // A breach that persists after the resume trips again.
  snap.drawdown_pct = fx(25);
  EXPECT_EQ(st.on_snapshot(snap, cfg).size(), 1u);
}

TEST(trading_states, daily_loss_breaker_reduces_until_the_utc_day_changes) {
  trading_states st;
  risk_config cfg; // daily_loss_limit_pct 5
  auto snap = snapshot(day1 + 1000);
  snap.equity = fx("95000.00000001");
  EXPECT_TRUE(st.on_snapshot(snap, cfg).empty());

  snap.equity = fx(95'000);
  auto ev = st.on_snapshot(snap, cfg);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, breaker_event::daily_loss_tripped);
  EXPECT_EQ(ev[0].message, "daily loss -5000 <= -5000 (daily_loss_limit_pct 5 of "
                           "day_start_equity 100000): reduce-only until the UTC day changes");
  EXPECT_TRUE(st.daily_loss_active());
  EXPECT_EQ(st.effective("s1", "BTCUSDT").state, trading_state::reducing);
  EXPECT_EQ(st.effective("s1", "BTCUSDT").why, "daily loss breaker");

  // Same day: recovering does not lift it.
  snap.ts_ms = day1 + day_ms - 1;
  snap.equity = fx(99'000);
  EXPECT_TRUE(st.on_snapshot(snap, cfg).empty());
  EXPECT_TRUE(st.daily_loss_active());

  // Next UTC day: reset against the new day start.
  snap.ts_ms = day1 + day_ms;
  snap.day_start_equity = fx(99'000);
  ev = st.on_snapshot(snap, cfg);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, breaker_event::daily_loss_reset);
  EXPECT_EQ(ev[0].message, "UTC day changed (day_start_equity 99000): daily loss breaker reset");
  EXPECT_FALSE(st.daily_loss_active());
  EXPECT_EQ(st.effective("s1", "BTCUSDT").state, trading_state::active);
}

TEST(trading_states, operator_halt_outranks_daily_loss) {
  trading_states st;
  risk_config cfg;
  auto snap = snapshot(day1);
  snap.equity = fx(90'000);
  st.on_snapshot(snap, cfg);
  st.apply(command(control_action::halt, scope_kind::strategy, "s1"));
  EXPECT_EQ(st.effective("s1", "BTCUSDT").why, "strategy s1 halted");
  EXPECT_EQ(st.effective("s2", "BTCUSDT").why, "daily loss breaker");
}

TEST(trading_states, alert_severity_and_target_state) {
  EXPECT_EQ(target_state(control_action::halt), trading_state::halted);
  EXPECT_EQ(target_state(control_action::reduce_only), trading_state::reducing);
  EXPECT_EQ(target_state(control_action::resume), trading_state::active);
  EXPECT_EQ(severity_of(trading_state::active), severity::info);
  EXPECT_EQ(severity_of(trading_state::reducing), severity::warning);
  EXPECT_EQ(severity_of(trading_state::halted), severity::critical);
}
