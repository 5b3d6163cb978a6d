// The bridge's view of the node: bounded histories, the trading states the risk gate announces.

#include "bridge/rest/bridge_state.hpp"

#include <gtest/gtest.h>

using namespace tradewind;
using namespace tradewind::rest;

namespace {

bar make_bar(const std::string& sym, int64_t t, int64_t close) {
  bar b;
  b.symbol = sym;
  b.open_time_ms = t;
  b.close = *fixed::from_int(close);
  return b;
}

} // namespace

TEST(bridge_state, bars_are_bounded_per_symbol_and_republished_bars_replace) {
  state_limits lim;
  lim.bars_per_symbol = 3;
  bridge_state st{risk_config{}, lim};
  for (int i = 0; i < 5; ++i)
    st.on_bar(make_bar("A", i, 100 + i));
  st.on_bar(make_bar("A", 4, 200));
  auto bars = st.bars("A");
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(bars[0].open_time_ms, 2);
  EXPECT_EQ(bars[2].close, fixed::from_int<200>());
  EXPECT_TRUE(st.bars("B").empty());
}

TEST(bridge_state, orders_keep_their_latest_state_and_evict_the_oldest) {
  state_limits lim;
  lim.orders = 2;
  bridge_state st{risk_config{}, lim};
  order o;
  o.client_order_id = "a";
  o.created_ts_ms = 1;
  st.on_order(o);
  o.status = order_status::filled;
  st.on_order(o);
  EXPECT_EQ(st.find_order("a")->status, order_status::filled);
  o.client_order_id = "b";
  o.created_ts_ms = 2;
  st.on_order(o);
  o.client_order_id = "c";
  o.created_ts_ms = 3;
  st.on_order(o);
  EXPECT_FALSE(st.find_order("a"));
  auto all = st.orders();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].client_order_id, "b");
}

namespace {

trading_state_changed announced(scope_kind scope, std::string id, trading_state state,
                                state_cause cause = state_cause::operator_command) {
  trading_state_changed c;
  c.node = "n1";
  c.scope = scope;
  c.scope_id = std::move(id);
  c.state = state;
  c.cause = cause;
  c.ts_ms = 5;
  return c;
}

} // namespace

TEST(bridge_state, trading_states_are_the_ones_the_risk_gate_announces) {
  bridge_state st{risk_config{}};
  ASSERT_EQ(st.trading().size(), 1u); // the node, active until told otherwise
  EXPECT_EQ(st.trading()[0].state, trading_state::active);
  auto changed = st.on_state(announced(scope_kind::strategy, "s1", trading_state::halted));
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].scope, scope_kind::strategy);
  EXPECT_EQ(changed[0].state, trading_state::halted);
  st.on_state(announced(scope_kind::node, "", trading_state::reducing, state_cause::daily_loss));
  auto all = st.trading();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].scope, scope_kind::node);
  EXPECT_EQ(all[0].state, trading_state::reducing);
  EXPECT_EQ(all[1].scope_id, "s1");
  EXPECT_TRUE(st.on_state(announced(scope_kind::node, "", trading_state::reducing)).empty())
    << "no change, nothing reported";
  // A scope back to active stays listed, as active.
  st.on_state(announced(scope_kind::strategy, "s1", trading_state::active));
  ASSERT_EQ(st.trading().size(), 2u);
  EXPECT_EQ(st.trading()[1].state, trading_state::active);
}

TEST(bridge_state, commands_and_snapshots_alone_change_no_trading_state) {
  risk_config r;
  r.max_drawdown_pct = fixed::from_int<10>();
  bridge_state st{r};
  account_snapshot s;
  s.ts_ms = 1;
  s.equity = fixed::from_int<80>();
  s.high_water_mark = fixed::from_int<100>();
  s.drawdown_pct = fixed::from_int<20>();
  s.day_start_equity = fixed::from_int<80>();
  st.on_snapshot(s); // the risk gate decides whether that trips a breaker, and says so
  EXPECT_EQ(st.trading()[0].state, trading_state::active);
  auto changed = st.on_state(announced(scope_kind::node, "", trading_state::halted, state_cause::drawdown));
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].state, trading_state::halted);
}

TEST(bridge_state, restored_states_show_until_the_gate_announces_others) {
  bridge_state st{risk_config{}};
  trading_state_record daily;
  daily.scope = "daily_loss";
  daily.state = trading_state::reducing;
  daily.cause = "daily_loss";
  trading_state_record sym;
  sym.scope = "symbol:ETHUSDT";
  sym.state = trading_state::halted;
  auto changed = st.restore({daily, sym});
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[0].scope, scope_kind::node);
  EXPECT_EQ(changed[0].state, trading_state::reducing); // the gate shows the daily-loss latch on the node
  EXPECT_EQ(changed[1].scope_id, "ETHUSDT");
  st.on_state(announced(scope_kind::node, "", trading_state::active, state_cause::daily_loss));
  EXPECT_EQ(st.trading()[0].state, trading_state::active);
  EXPECT_EQ(st.trading()[1].state, trading_state::halted);
}

TEST(bridge_state, snapshots_feed_positions_and_the_equity_curve) {
  bridge_state st{risk_config{}};
  account_snapshot s;
  s.ts_ms = 10;
  s.equity = fixed::from_int<1000>();
  position_update p;
  p.symbol = "A";
  p.qty = fixed::from_int<2>();
  s.positions.push_back(p);
  st.on_snapshot(s);
  s.ts_ms = 20;
  s.equity = fixed::from_int<990>();
  st.on_snapshot(s);
  auto curve = st.equity_curve();
  ASSERT_EQ(curve.size(), 2u);
  EXPECT_EQ(curve[1].equity, fixed::from_int<990>());
  ASSERT_EQ(st.positions().size(), 1u);
  EXPECT_EQ(st.positions()[0].qty, fixed::from_int<2>());
}

TEST(bridge_state, limits_and_strategy_params_follow_the_reports_and_updates_wait_for_them) {
  bridge_state st{risk_config{}};
  using namespace std::chrono_literals;
  EXPECT_FALSE(st.wait_for_update("u-1", 10ms)); // nothing reported: times out
  risk_limits_report r;
  r.update_id = "u-1";
  r.limits.max_drawdown_pct = fixed::from_int<10>();
  st.on_risk_limits(r);
  auto outcome = st.wait_for_update("u-1", 0ms); // a report before the wait counts
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->accepted);
  EXPECT_EQ(st.current_limits().max_drawdown_pct, fixed::from_int<10>());

  r.update_id = "u-2";
  r.accepted = false;
  r.error = "max_open_orders: must be >= 1, got 0";
  r.limits.max_drawdown_pct = fixed::from_int<50>();
  st.on_risk_limits(r);
  EXPECT_EQ(st.wait_for_update("u-2", 0ms)->error, "max_open_orders: must be >= 1, got 0");
  EXPECT_EQ(st.current_limits().max_drawdown_pct, fixed::from_int<10>()); // a rejection changes nothing

  EXPECT_FALSE(st.reported_params("s1"));
  strategy_report sr;
  sr.strategy_id = "s1";
  sr.update_id = "u-3";
  sr.params.fast = 4;
  st.on_strategy(sr);
  sr.accepted = false; // a second instance answering the same update does not replace the first answer
  st.on_strategy(sr);
  EXPECT_TRUE(st.wait_for_update("u-3", 0ms)->accepted);
  EXPECT_EQ(st.reported_params("s1")->fast, 4);
}
