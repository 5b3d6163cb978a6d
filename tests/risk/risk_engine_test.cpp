#include <gtest/gtest.h>

#include "actors/risk/risk_engine.hpp"
#include "risk_test_util.hpp"

using namespace tradewind;
using namespace tradewind::risk;
using namespace tradewind::risk::test;

namespace {

using strs = std::vector<std::string>;

/// One line per orders-topic message: "decision <cid> <reason>", "intent <cid> <side> <qty>",
/// "cancel <cid>", "watermark <ts>[ eos]".
strs describe(const gate_output& out) {
  strs lines;
  for (auto& msg : out.orders) {
    if (auto d = std::get_if<risk_decision>(&msg))
      lines.push_back("decision " + d->client_order_id + " " + std::string{to_string(d->reason)});
    else if (auto i = std::get_if<order_intent>(&msg))
      lines.push_back("intent " + i->client_order_id + " " + std::string{to_string(i->order_side)}
                      + " " + i->qty.to_string());
    else if (auto c = std::get_if<cancel_request>(&msg))
      lines.push_back("cancel " + c->client_order_id);
    else {
      auto& w = std::get<watermark>(msg);
      lines.push_back("watermark " + std::to_string(w.ts_ms) + (w.end_of_stream ? " eos" : ""));
    }
  }
  return lines;
}

const risk_decision& decision_at(const gate_output& out, size_t i) {
  return std::get<risk_decision>(out.orders.at(i));
}

struct engine_fixture : ::testing::Test {
  risk_config cfg;
  std::unique_ptr<risk_engine> eng;

  void make(std::vector<std::string> strategies) {
    eng = std::make_unique<risk_engine>(cfg, strategies, [] { return int64_t{777}; });
  }

  /// Publishes a snapshot and the account watermark at `ts`, as the portfolio does.
  gate_output account_at(account_snapshot snap) {
    auto out = eng->on_snapshot(snap);
    auto more = eng->on_watermark(wm("account", snap.ts_ms));
    out.orders.insert(out.orders.end(), more.orders.begin(), more.orders.end());
    return out;
  }
};

} // namespace

TEST_F(engine_fixture, signals_from_two_strategies_wait_for_both_watermarks) {
  make({"s1", "s2"});
  EXPECT_TRUE(describe(account_at(snapshot(100))).empty()); // strategies have no watermark yet
  EXPECT_TRUE(eng->on_signal(make_signal("s2", "BTCUSDT", 100, 1, fx(1))).orders.empty());
  EXPECT_TRUE(eng->on_signal(make_signal("s1", "ETHUSDT", 100, 1, fx(2))).orders.empty());
  EXPECT_TRUE(eng->on_signal(make_signal("s1", "BTCUSDT", 100, 1, fx(1))).orders.empty());
  EXPECT_TRUE(eng->on_watermark(wm("strategy:s2", 100)).orders.empty());
  auto out = eng->on_watermark(wm("strategy:s1", 100));
  // Each strategy sizes against its own share: s1's approved BTCUSDT order does not count
  // toward s2's target.
  EXPECT_EQ(describe(out), (strs{"decision s1-BTCUSDT-1 none", "intent s1-BTCUSDT-1 buy 1",
                                 "decision s1-ETHUSDT-1 none", "intent s1-ETHUSDT-1 buy 2",
                                 "decision s2-BTCUSDT-1 none", "intent s2-BTCUSDT-1 buy 1",
                                 "watermark 100"}));
  EXPECT_EQ(eng->published_watermark(), 100);
  EXPECT_EQ(eng->pending_orders().size(), 3u);
  auto& intent = std::get<order_intent>(out.orders[1]);
  EXPECT_EQ(intent.ts_ms, 100);
  EXPECT_EQ(intent.strategy_id, "s1");
  EXPECT_EQ(intent.type, order_type::market);
}

TEST_F(engine_fixture, watermark_is_published_without_decisions_and_only_forward) {
  make({"s1"});
  eng->on_snapshot(snapshot(100));
  EXPECT_TRUE(eng->on_watermark(wm("strategy:s1", 200)).orders.empty());
  EXPECT_EQ(describe(eng->on_watermark(wm("account", 100))), strs{"watermark 100"});
  EXPECT_TRUE(eng->on_watermark(wm("account", 100)).orders.empty());
  EXPECT_TRUE(eng->on_watermark(wm("strategy:other", 900)).orders.empty());
}

TEST_F(engine_fixture, pending_approvals_count_as_open_orders_until_a_snapshot_reports_them) {
  cfg.max_open_orders = 1;
  make({"s1"});
  account_at(snapshot(100));
  eng->on_signal(make_signal("s1", "BTCUSDT", 100, 1, fx(1)));
  eng->on_signal(make_signal("s1", "ETHUSDT", 100, 1, fx(1)));
  auto out = eng->on_watermark(wm("strategy:s1", 100));
  EXPECT_EQ(describe(out), (strs{"decision s1-BTCUSDT-1 none", "intent s1-BTCUSDT-1 buy 1",
                                 "decision s1-ETHUSDT-1 max_open_orders", "watermark 100"}));
  EXPECT_EQ(decision_at(out, 2).detail, "open orders 1 >= max_open_orders 1");

  // The next snapshot (as of 200) shows the order filled: pending is reconciled away.
  auto snap = snapshot(200);
  snap.positions[0].qty = fx(1);
  snap.strategy_positions = {{"s1", "BTCUSDT", fx(1)}};
  account_at(snap);
  EXPECT_TRUE(eng->pending_orders().empty());
  eng->on_signal(make_signal("s1", "ETHUSDT", 200, 2, fx(1)));
  eng->on_signal(make_signal("s1", "BTCUSDT", 200, 2, fx(3)));
  out = eng->on_watermark(wm("strategy:s1", 200));
  EXPECT_EQ(describe(out), (strs{"decision s1-BTCUSDT-2 none", "intent s1-BTCUSDT-2 buy 2",
                                 "decision s1-ETHUSDT-2 max_open_orders", "watermark 200"}));
}

TEST_F(engine_fixture, an_order_reported_by_the_snapshot_is_counted_once) {
  cfg.max_open_orders = 2;
  make({});
  account_at(snapshot(100));
  eng->on_manual_intent(limit("m-1", side::buy, fx(1), fx(99), 100));
  EXPECT_EQ(eng->pending_orders().size(), 1u);
  auto snap = snapshot(200); // the executor reported m-1 as resting
  snap.open_orders = {open_order("m-1", "manual", "BTCUSDT", side::buy, fx(1))};
  account_at(snap);
  EXPECT_TRUE(eng->pending_orders().empty());
  auto out = eng->on_manual_intent(market("m-2", side::buy, fx(1), 200));
  EXPECT_TRUE(decision_at(out, 0).approved); // 1 open order, not 2
  out = eng->on_manual_intent(market("m-3", side::buy, fx(1), 200));
  EXPECT_EQ(decision_at(out, 0).detail, "open orders 2 >= max_open_orders 2");
}

TEST_F(engine_fixture, rate_throttle_counts_approvals_over_event_time) {
  cfg.max_orders_per_window = 2;
  cfg.rate_window_ms = 1000;
  make({});
  account_at(snapshot(5000));
  strs reasons;
  for (int64_t ts : {1000, 1500, 1999, 2000, 2499, 2500}) {
    auto out = eng->on_manual_intent(
      market("m-" + std::to_string(ts), ts % 1000 < 500 ? side::buy : side::sell, fx(1), ts));
    reasons.push_back(std::string{to_string(decision_at(out, 0).reason)});
  }
  // Window (ts - 1000, ts]: 1999 sees 1000 and 1500; 2000 sees only 1500; 2499 sees 1500, 2000;
  // 2500 sees 2000 only (1500 left the window).
  EXPECT_EQ(reasons, (strs{"none", "none", "rate_limited", "none", "rate_limited", "none"}));
}

TEST_F(engine_fixture, duplicate_client_order_id_is_denied) {
  make({});
  account_at(snapshot(100));
  auto first = eng->on_manual_intent(market("m-1", side::buy, fx(1), 100));
  EXPECT_TRUE(decision_at(first, 0).approved);
  auto again = eng->on_manual_intent(market("m-1", side::buy, fx(1), 100));
  ASSERT_EQ(again.orders.size(), 1u);
  EXPECT_EQ(decision_at(again, 0).reason, deny_reason::duplicate_order);
  EXPECT_EQ(decision_at(again, 0).detail, "client_order_id m-1 already decided");
}

TEST_F(engine_fixture, drawdown_breaker_halts_cancels_all_and_needs_a_resume) {
  make({});
  auto snap = snapshot(100);
  snap.drawdown_pct = fx(20);
  auto out = eng->on_snapshot(snap);
  EXPECT_EQ(describe(out), strs{"cancel "});
  auto& cancel = std::get<cancel_request>(out.orders[0]);
  EXPECT_EQ(cancel.ts_ms, 100);
  EXPECT_EQ(cancel.reason,
            "drawdown_pct 20 >= max_drawdown_pct 20: node halted, cancelling all open orders");
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].level, severity::critical);
  EXPECT_EQ(out.alerts[0].code, "breaker_tripped");
  EXPECT_EQ(out.alerts[0].source, "risk");
  EXPECT_EQ(out.alerts[0].message, cancel.reason);
  EXPECT_EQ(out.alerts[0].ts_ms, 777);
  eng->on_watermark(wm("account", 100));

  // Even a reducing order is refused while halted.
  auto denied = eng->on_manual_intent(market("m-1", side::sell, fx(1), 100));
  EXPECT_EQ(decision_at(denied, 0).reason, deny_reason::max_drawdown);
  EXPECT_EQ(decision_at(denied, 0).detail, "node halted by drawdown breaker");

  auto resumed = eng->on_control(command(control_action::resume, scope_kind::node, "", "reviewed"));
  EXPECT_TRUE(resumed.orders.empty());
  ASSERT_EQ(resumed.alerts.size(), 1u);
  EXPECT_EQ(resumed.alerts[0].level, severity::info);
  EXPECT_EQ(resumed.alerts[0].code, "trading_state_changed");
  EXPECT_EQ(resumed.alerts[0].message, "node halted -> active (resume node by ops: reviewed)");

  account_at(snapshot(200));
  auto ok = eng->on_manual_intent(market("m-2", side::buy, fx(1), 200));
  EXPECT_TRUE(decision_at(ok, 0).approved);
}

TEST_F(engine_fixture, daily_loss_makes_the_node_reduce_only_until_next_utc_day) {
  constexpr int64_t day1 = 1'672'531'200'000;
  make({});
  auto snap = snapshot(day1 + 60'000);
  snap.equity = fx(94'000);
  snap.positions[0].qty = fx(2);
  auto out = account_at(snap);
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].level, severity::warning);
  EXPECT_EQ(out.alerts[0].code, "breaker_tripped");
  EXPECT_TRUE(out.orders.size() == 1u); // just the watermark: no cancel for daily loss

  auto grow = eng->on_manual_intent(market("m-1", side::buy, fx(1), day1 + 60'000));
  EXPECT_EQ(decision_at(grow, 0).reason, deny_reason::daily_loss_limit);
  EXPECT_EQ(decision_at(grow, 0).detail, "daily loss breaker: exposure 2 -> 3 is not reducing");
  auto shrink = eng->on_manual_intent(market("m-2", side::sell, fx(1), day1 + 60'000));
  EXPECT_TRUE(decision_at(shrink, 0).approved);

  auto next = snapshot(day1 + 86'400'000);
  next.equity = fx(94'000);
  next.day_start_equity = fx(94'000);
  out = account_at(next);
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].code, "breaker_reset");
  EXPECT_EQ(out.alerts[0].level, severity::info);
  auto ok = eng->on_manual_intent(market("m-3", side::buy, fx(1), day1 + 86'400'000));
  EXPECT_TRUE(decision_at(ok, 0).approved);
}

TEST_F(engine_fixture, halt_symbol_cancels_its_open_orders_and_denies_only_that_symbol) {
  make({});
  auto snap = snapshot(100);
  snap.open_orders = {open_order("a", "s1", "BTCUSDT", side::buy, fx(1)),
                      open_order("b", "s2", "ETHUSDT", side::buy, fx(1))};
  account_at(snap);
  eng->on_manual_intent(market("m-1", side::buy, fx(1), 100, "BTCUSDT")); // pending
  auto out = eng->on_control(command(control_action::halt, scope_kind::symbol, "BTCUSDT", "maint"));
  EXPECT_EQ(describe(out), (strs{"cancel a", "cancel m-1"}));
  EXPECT_EQ(std::get<cancel_request>(out.orders[0]).reason, "halt symbol BTCUSDT by ops: maint");
  EXPECT_EQ(std::get<cancel_request>(out.orders[0]).ts_ms, 100);
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].level, severity::critical);
  EXPECT_EQ(out.alerts[0].code, "trading_state_changed");
  EXPECT_EQ(out.alerts[0].message,
            "symbol BTCUSDT active -> halted (halt symbol BTCUSDT by ops: maint)");

  auto x = eng->on_manual_intent(market("m-2", side::buy, fx(1), 100, "BTCUSDT"));
  EXPECT_EQ(decision_at(x, 0).reason, deny_reason::trading_halted);
  EXPECT_EQ(decision_at(x, 0).detail, "symbol BTCUSDT halted");
  auto y = eng->on_manual_intent(market("m-3", side::buy, fx(1), 100, "ETHUSDT"));
  EXPECT_TRUE(decision_at(y, 0).approved);
}

TEST_F(engine_fixture, halt_strategy_cancels_that_strategys_orders_and_halt_node_cancels_all) {
  make({"s1", "s2"});
  auto snap = snapshot(100);
  snap.open_orders = {open_order("a", "s1", "BTCUSDT", side::buy, fx(1)),
                      open_order("b", "s2", "BTCUSDT", side::buy, fx(1)),
                      open_order("c", "s1", "ETHUSDT", side::sell, fx(1))};
  account_at(snap);
  auto out = eng->on_control(command(control_action::halt, scope_kind::strategy, "s1"));
  EXPECT_EQ(describe(out), (strs{"cancel a", "cancel c"}));
  EXPECT_EQ(out.alerts.at(0).message, "strategy s1 active -> halted (halt strategy s1 by ops)");

  eng->on_signal(make_signal("s1", "BTCUSDT", 100, 1, fx(5)));
  eng->on_signal(make_signal("s2", "ETHUSDT", 100, 1, fx(5)));
  eng->on_watermark(wm("strategy:s1", 100));
  auto decided = eng->on_watermark(wm("strategy:s2", 100));
  EXPECT_EQ(describe(decided), (strs{"decision s1-BTCUSDT-1 trading_halted",
                                     "decision s2-ETHUSDT-1 none", "intent s2-ETHUSDT-1 buy 5",
                                     "watermark 100"}));

  out = eng->on_control(command(control_action::halt, scope_kind::node));
  EXPECT_EQ(describe(out), strs{"cancel "});
  EXPECT_EQ(eng->states().state_of(scope_kind::node, ""), trading_state::halted);
}

TEST_F(engine_fixture, reduce_only_command_raises_a_warning_alert_and_bad_commands_are_ignored) {
  make({});
  auto out = eng->on_control(command(control_action::reduce_only, scope_kind::node));
  EXPECT_TRUE(out.orders.empty());
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].level, severity::warning);
  EXPECT_EQ(out.alerts[0].message, "node active -> reducing (reduce_only node by ops)");

  auto bad = eng->on_control(command(control_action::halt, scope_kind::symbol, ""));
  EXPECT_TRUE(bad.orders.empty());
  EXPECT_TRUE(bad.alerts.empty());
  EXPECT_EQ(bad.warnings, strs{"control command ignored: scope symbol needs a scope_id"});
}

TEST_F(engine_fixture, end_of_stream_decides_everything_left_and_ends_the_risk_stream) {
  make({"s1"});
  eng->on_snapshot(snapshot(100));
  eng->on_signal(make_signal("s1", "BTCUSDT", 100, 1, fx(1)));
  eng->on_signal(make_signal("s1", "BTCUSDT", 150, 2, fx(2)));
  eng->on_watermark(wm("strategy:s1", 150, true));
  auto out = eng->on_watermark(wm("account", 100));
  EXPECT_EQ(describe(out), (strs{"decision s1-BTCUSDT-1 none", "intent s1-BTCUSDT-1 buy 1",
                                 "watermark 100"}));
  // The account does not end before the risk gate (the executor waits for the risk end):
  // catching up with the strategies' last event time is enough.
  out = eng->on_watermark(wm("account", 150));
  EXPECT_EQ(describe(out), (strs{"decision s1-BTCUSDT-2 none", "intent s1-BTCUSDT-2 buy 1",
                                 "watermark 150 eos"}));
  EXPECT_EQ(eng->queued(), 0u);
  EXPECT_TRUE(eng->on_watermark(wm("account", 150, true)).orders.empty());
}

namespace {

risk_limits_update limits_update(risk_config limits, std::string id) {
  risk_limits_update u;
  u.update_id = std::move(id);
  u.limits = limits;
  u.reason = "test";
  u.issued_by = "api:k1";
  u.ts_ms = 42;
  return u;
}

} // namespace

TEST_F(engine_fixture, lowering_a_limit_denies_an_order_the_old_limit_approved) {
  make({});
  account_at(snapshot(100));
  EXPECT_TRUE(decision_at(eng->on_manual_intent(market("m-1", side::buy, fx(1), 100)), 0).approved);
  auto lower = cfg;
  lower.max_order_notional = fx(50);
  auto out = eng->on_limits_update(limits_update(lower, "u-1"));
  EXPECT_TRUE(out.orders.empty());
  ASSERT_EQ(out.reports.size(), 1u);
  EXPECT_EQ(out.reports[0].update_id, "u-1");
  EXPECT_TRUE(out.reports[0].accepted);
  EXPECT_EQ(out.reports[0].limits.max_order_notional, fx(50));
  EXPECT_EQ(out.reports[0].ts_ms, 777);
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].level, severity::info);
  EXPECT_EQ(out.alerts[0].code, "risk_limits_changed");
  EXPECT_EQ(out.alerts[0].message, "risk limits changed by api:k1 (test): max_order_notional 10000 -> 50");
  EXPECT_EQ(eng->limits().max_order_notional, fx(50));
  auto denied = eng->on_manual_intent(market("m-2", side::buy, fx(1), 100));
  EXPECT_EQ(decision_at(denied, 0).reason, deny_reason::max_notional);
  EXPECT_EQ(decision_at(denied, 0).detail, "notional 100 > max_order_notional 50");
}

TEST_F(engine_fixture, raising_a_limit_approves_an_order_the_old_limit_denied) {
  cfg.max_open_orders = 1;
  make({});
  account_at(snapshot(100));
  EXPECT_TRUE(decision_at(eng->on_manual_intent(market("m-1", side::buy, fx(1), 100)), 0).approved);
  auto denied = eng->on_manual_intent(market("m-2", side::buy, fx(1), 100));
  EXPECT_EQ(decision_at(denied, 0).reason, deny_reason::max_open_orders);
  auto higher = cfg;
  higher.max_open_orders = 2;
  higher.max_position_pct = fx("12.5");
  auto out = eng->on_limits_update(limits_update(higher, "u-2"));
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].message,
            "risk limits changed by api:k1 (test): max_position_pct 50 -> 12.5, max_open_orders 1 -> 2");
  EXPECT_TRUE(decision_at(eng->on_manual_intent(market("m-3", side::buy, fx(1), 100)), 0).approved);
}

TEST_F(engine_fixture, an_update_applies_to_intents_already_queued_when_it_arrives) {
  make({"s1"});
  account_at(snapshot(100));
  EXPECT_TRUE(eng->on_manual_intent(market("m-1", side::buy, fx(1), 200)).orders.empty()); // waits for W >= 200
  auto lower = cfg;
  lower.max_order_notional = fx(50);
  eng->on_limits_update(limits_update(lower, "u-1"));
  account_at(snapshot(200));
  auto out = eng->on_watermark(wm("strategy:s1", 200));
  EXPECT_EQ(describe(out), (strs{"decision m-1 max_notional", "watermark 200"}));
}

TEST_F(engine_fixture, an_invalid_update_is_rejected_and_changes_nothing) {
  make({});
  auto bad = cfg;
  bad.max_position_pct = fx(150);
  bad.max_open_orders = 0;
  auto out = eng->on_limits_update(limits_update(bad, "u-9"));
  ASSERT_EQ(out.reports.size(), 1u);
  EXPECT_FALSE(out.reports[0].accepted);
  EXPECT_EQ(out.reports[0].error, "max_position_pct: must be in (0, 100], got 150; max_open_orders: must be >= 1, got 0");
  EXPECT_EQ(out.reports[0].limits.max_open_orders, 10);
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].level, severity::warning);
  EXPECT_EQ(out.alerts[0].code, "risk_limits_rejected");
  EXPECT_EQ(eng->limits().max_open_orders, 10);
  // Re-sending the limits in force is accepted without an alert.
  auto same = eng->on_limits_update(limits_update(cfg, "u-10"));
  ASSERT_EQ(same.reports.size(), 1u);
  EXPECT_TRUE(same.reports[0].accepted);
  EXPECT_TRUE(same.alerts.empty());
}

TEST_F(engine_fixture, breakers_use_the_updated_limits_from_the_next_snapshot) {
  make({});
  auto snap = snapshot(100);
  snap.drawdown_pct = fx(6);
  EXPECT_TRUE(eng->on_snapshot(snap).alerts.empty()); // 6 < 20
  auto tighter = cfg;
  tighter.max_drawdown_pct = fx(5);
  eng->on_limits_update(limits_update(tighter, "u-1"));
  snap.ts_ms = 200;
  auto out = eng->on_snapshot(snap);
  EXPECT_EQ(describe(out), strs{"cancel "});
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].code, "breaker_tripped");
}

TEST_F(engine_fixture, a_replayed_signal_is_decided_once) {
  make({"s1"});
  account_at(snapshot(100));
  eng->on_signal(make_signal("s1", "BTCUSDT", 100, 1, fx(1)));
  // A copy while the first waits (another node replaying the strategy's role): refused.
  auto copy = eng->on_signal(make_signal("s1", "BTCUSDT", 100, 1, fx(1)));
  EXPECT_TRUE(copy.orders.empty());
  ASSERT_EQ(copy.warnings.size(), 1u);
  EXPECT_EQ(copy.warnings[0], "replayed signal s1-BTCUSDT-1 dropped: the same signal is waiting");
  EXPECT_EQ(describe(eng->on_watermark(wm("strategy:s1", 100))),
            (strs{"decision s1-BTCUSDT-1 none", "intent s1-BTCUSDT-1 buy 1", "watermark 100"}));
  // A copy after the decision: below the published watermark, dropped.
  auto late = eng->on_signal(make_signal("s1", "BTCUSDT", 100, 1, fx(1)));
  EXPECT_TRUE(late.orders.empty());
  ASSERT_EQ(late.warnings.size(), 1u);
  EXPECT_EQ(late.warnings[0], "replayed signal s1-BTCUSDT-1 dropped: ts 100 <= risk watermark 100");
  EXPECT_TRUE(eng->on_watermark(wm("strategy:s1", 200)).orders.empty());
  EXPECT_EQ(eng->pending_orders().size(), 1u);
}

// Defect 2 of issue 11 at the gate: a signal whose delta does not fit gives no decision and
// no intent, only a warning alert saying why.
TEST_F(engine_fixture, a_signal_that_cannot_be_sized_raises_an_alert_and_orders_nothing) {
  make({"s1"});
  auto snap = snapshot(100);
  snap.strategy_positions.push_back({"s1", "BTCUSDT", fx("92233720368.54775807")});
  account_at(snap);
  EXPECT_TRUE(eng->on_signal(make_signal("s1", "BTCUSDT", 100, 1, fx(-1))).orders.empty());
  auto out = eng->on_watermark(wm("strategy:s1", 100));
  EXPECT_EQ(describe(out), (strs{"watermark 100"}));
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].code, "signal_unsizable");
  EXPECT_EQ(out.alerts[0].level, severity::warning);
  EXPECT_NE(out.alerts[0].message.find("cannot size signal s1-BTCUSDT-1"), std::string::npos)
    << out.alerts[0].message;
  EXPECT_TRUE(eng->pending_orders().empty());
}

// -- durable trading states (store::trading_state_record) ------------------------------------

TEST_F(engine_fixture, a_halt_and_a_resume_each_record_the_node_state_at_the_published_watermark) {
  make({});
  auto first = eng->on_control(command(control_action::halt, scope_kind::node));
  ASSERT_EQ(first.states.size(), 1u);
  EXPECT_EQ(first.states[0].since_ts_ms, decision_queue::no_watermark); // nothing decided yet
  account_at(snapshot(100));
  auto again = eng->on_control(command(control_action::halt, scope_kind::node));
  EXPECT_TRUE(again.states.empty()); // no change, nothing to write
  auto resumed = eng->on_control(command(control_action::resume, scope_kind::node, "", "ok"));
  ASSERT_EQ(resumed.states.size(), 1u);
  EXPECT_EQ(resumed.states[0].scope, "node");
  EXPECT_EQ(resumed.states[0].state, trading_state::active);
  EXPECT_EQ(resumed.states[0].cause, "operator");
  EXPECT_EQ(resumed.states[0].since_ts_ms, 100);
  EXPECT_EQ(resumed.states[0].detail, "resume node by ops: ok");
  auto sym = eng->on_control(command(control_action::reduce_only, scope_kind::symbol, "ETHUSDT"));
  ASSERT_EQ(sym.states.size(), 1u);
  EXPECT_EQ(sym.states[0].scope, "symbol:ETHUSDT");
  EXPECT_EQ(sym.states[0].state, trading_state::reducing);
  EXPECT_TRUE(eng->on_control(command(control_action::halt, scope_kind::symbol, "")).states.empty());
}

TEST_F(engine_fixture, breaker_trips_and_resets_record_their_latches_at_the_snapshot_time) {
  constexpr int64_t day1 = 1'672'531'200'000;
  make({});
  auto snap = snapshot(day1 + 60'000);
  snap.equity = fx(94'000);
  snap.drawdown_pct = fx(20);
  auto out = eng->on_snapshot(snap);
  ASSERT_EQ(out.states.size(), 2u);
  EXPECT_EQ(out.states[0].scope, "daily_loss");
  EXPECT_EQ(out.states[0].state, trading_state::reducing);
  EXPECT_EQ(out.states[0].day_start_equity, fx(100'000));
  EXPECT_EQ(out.states[0].utc_day, day1 / 86'400'000);
  EXPECT_EQ(out.states[1].scope, "node");
  EXPECT_EQ(out.states[1].state, trading_state::halted);
  EXPECT_EQ(out.states[1].cause, "drawdown");
  EXPECT_EQ(out.states[1].since_ts_ms, day1 + 60'000);
  auto next = snapshot(day1 + 86'400'000);
  next.drawdown_pct = fx(20);
  out = eng->on_snapshot(next);
  ASSERT_EQ(out.states.size(), 1u);
  EXPECT_EQ(out.states[0].scope, "daily_loss");
  EXPECT_EQ(out.states[0].state, trading_state::active);
}

trading_state_record stored(std::string scope, trading_state st, std::string cause, int64_t since) {
  trading_state_record r;
  r.scope = std::move(scope);
  r.state = st;
  r.cause = std::move(cause);
  r.since_ts_ms = since;
  r.detail = "halt node by api:ops";
  return r;
}

TEST_F(engine_fixture, a_restored_halt_alerts_and_applies_from_its_event_time_on) {
  make({});
  auto out = eng->restore({stored("node", trading_state::halted, "operator", 100),
                           stored("symbol:ETHUSDT", trading_state::active, "operator", 50)});
  ASSERT_EQ(out.alerts.size(), 1u); // the active scope needs no alert
  EXPECT_EQ(out.alerts[0].code, "trading_state_restored");
  EXPECT_EQ(out.alerts[0].level, severity::critical);
  EXPECT_EQ(out.alerts[0].message, "node halted (operator) restored from the store after a restart; in effect "
                                   "from event time 100: halt node by api:ops");
  EXPECT_EQ(eng->restoring(), 2u);
  // A feed replayed from the start re-decides its history as it was first decided …
  account_at(snapshot(100));
  auto early = eng->on_manual_intent(market("m-1", side::buy, fx(1), 100));
  EXPECT_TRUE(decision_at(early, 0).approved);
  // … and finds the node halted after the event time of the halt; the open order is cancelled.
  auto snap = snapshot(150);
  snap.open_orders = {open_order("m-1", "manual", "BTCUSDT", side::buy, fx(1))};
  auto later = account_at(snap);
  EXPECT_EQ(describe(later), (strs{"cancel ", "watermark 150"}));
  EXPECT_TRUE(later.states.empty()); // the stored state is not written again
  EXPECT_EQ(eng->restoring(), 0u);
  auto denied = eng->on_manual_intent(market("m-2", side::buy, fx(1), 150));
  EXPECT_EQ(decision_at(denied, 0).reason, deny_reason::trading_halted);
}

TEST_F(engine_fixture, a_restored_drawdown_latch_holds_under_looser_limits_until_a_resume) {
  cfg.max_drawdown_pct = fx(99);
  make({});
  auto out = eng->restore({stored("node", trading_state::halted, "drawdown", 100)});
  ASSERT_EQ(out.alerts.size(), 1u);
  auto snap = snapshot(100);
  snap.drawdown_pct = fx(20); // below the new limit: the live breaker would not trip
  EXPECT_EQ(describe(account_at(snap)), strs{"watermark 100"});
  auto later = account_at(snapshot(200));
  EXPECT_EQ(describe(later), (strs{"cancel ", "watermark 200"}));
  auto denied = eng->on_manual_intent(market("m-1", side::sell, fx(1), 200));
  EXPECT_EQ(decision_at(denied, 0).reason, deny_reason::max_drawdown);
  auto resumed = eng->on_control(command(control_action::resume, scope_kind::node));
  ASSERT_EQ(resumed.states.size(), 1u);
  EXPECT_EQ(resumed.states[0].state, trading_state::active);
  auto ok = eng->on_manual_intent(market("m-2", side::buy, fx(1), 200));
  EXPECT_TRUE(decision_at(ok, 0).approved);
}

TEST_F(engine_fixture, an_operator_command_acts_on_the_restored_state_and_a_restored_daily_latch_resets) {
  constexpr int64_t day1 = 1'672'531'200'000;
  make({});
  auto daily = stored("daily_loss", trading_state::reducing, "daily_loss", day1 + 1'000);
  daily.day_start_equity = fx(100'000);
  daily.utc_day = day1 / 86'400'000;
  auto out = eng->restore({stored("strategy:s1", trading_state::halted, "operator", day1 + 5'000), daily,
                           stored("bogus", trading_state::halted, "operator", 1),
                           stored("symbol:X", trading_state::halted, "drawdown", 1)});
  EXPECT_EQ(out.warnings.size(), 2u);
  EXPECT_EQ(out.alerts.size(), 2u);
  EXPECT_EQ(eng->restoring(), 2u);
  auto cmd = eng->on_control(command(control_action::resume, scope_kind::strategy, "s1"));
  EXPECT_EQ(eng->restoring(), 0u);
  // Written as newer than what it overrides, though the replay has not reached that time.
  ASSERT_EQ(cmd.states.size(), 1u);
  EXPECT_EQ(cmd.states[0].scope, "strategy:s1");
  EXPECT_EQ(cmd.states[0].state, trading_state::active);
  EXPECT_EQ(cmd.states[0].since_ts_ms, day1 + 5'000);
  ASSERT_EQ(cmd.alerts.size(), 1u);
  EXPECT_EQ(cmd.alerts[0].message, "strategy s1 halted -> active (resume strategy s1 by ops)");
  EXPECT_TRUE(eng->states().daily_loss_active());
  auto next = snapshot(day1 + 86'400'000);
  out = eng->on_snapshot(next);
  EXPECT_FALSE(eng->states().daily_loss_active());
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].code, "breaker_reset");
}

namespace {

/// One line per trading_state_changed: "<scope>[:<id>] <state> <cause> <ts>".
strs changes_of(const gate_output& out) {
  strs lines;
  for (const auto& c : out.changes)
    lines.push_back(std::string{to_string(c.scope)} + (c.scope_id.empty() ? "" : ":" + c.scope_id) + " "
                    + std::string{to_string(c.state)} + " " + std::string{to_string(c.cause)} + " "
                    + std::to_string(c.ts_ms));
  return lines;
}

} // namespace

TEST_F(engine_fixture, every_change_of_a_scope_state_is_announced_once) {
  constexpr int64_t day1 = 1'672'531'200'000;
  make({});
  account_at(snapshot(day1));
  auto halt = eng->on_control(command(control_action::halt, scope_kind::strategy, "s1", "news"));
  EXPECT_EQ(changes_of(halt), strs{"strategy:s1 halted operator " + std::to_string(day1)});
  EXPECT_EQ(halt.changes[0].detail, "halt strategy s1 by ops: news");
  EXPECT_TRUE(eng->on_control(command(control_action::halt, scope_kind::strategy, "s1")).changes.empty());
  EXPECT_TRUE(eng->on_control(command(control_action::halt, scope_kind::symbol, "")).changes.empty());
  auto resumed = eng->on_control(command(control_action::resume, scope_kind::strategy, "s1"));
  EXPECT_EQ(changes_of(resumed), strs{"strategy:s1 active operator " + std::to_string(day1)});

  // Breakers: the daily-loss breaker shows as the node reduce-only until the day changes.
  auto loss = snapshot(day1 + 60'000);
  loss.equity = fx(94'000);
  EXPECT_EQ(changes_of(account_at(loss)), strs{"node reducing daily_loss " + std::to_string(day1 + 60'000)});
  auto next = snapshot(day1 + 86'400'000);
  next.equity = fx(94'000);
  next.day_start_equity = fx(94'000);
  EXPECT_EQ(changes_of(account_at(next)), strs{"node active daily_loss " + std::to_string(day1 + 86'400'000)});
  auto dd = snapshot(day1 + 86'500'000);
  dd.drawdown_pct = fx(20);
  auto tripped = account_at(dd);
  EXPECT_EQ(changes_of(tripped), strs{"node halted drawdown " + std::to_string(day1 + 86'500'000)});
  EXPECT_EQ(tripped.changes[0].detail, tripped.alerts[0].message);
  EXPECT_TRUE(account_at(dd).changes.empty()) << "still halted: nothing new";
  EXPECT_EQ(changes_of(eng->on_control(command(control_action::resume, scope_kind::node))),
            strs{"node active operator " + std::to_string(day1 + 86'500'000)});
}

TEST_F(engine_fixture, restored_states_are_announced_at_once_and_when_they_take_effect) {
  make({});
  auto out = eng->restore({stored("node", trading_state::halted, "operator", 100),
                           stored("symbol:ETHUSDT", trading_state::active, "operator", 50),
                           stored("strategy:s1", trading_state::reducing, "operator", 70)});
  EXPECT_EQ(changes_of(out), (strs{"node halted operator 100", "strategy:s1 reducing operator 70"}));
  EXPECT_EQ(out.changes[0].detail, "restored from the store after a restart");
  EXPECT_TRUE(changes_of(account_at(snapshot(60))).empty());
  EXPECT_EQ(changes_of(account_at(snapshot(150))), (strs{"strategy:s1 reducing operator 70", "node halted operator 100"}));
}
