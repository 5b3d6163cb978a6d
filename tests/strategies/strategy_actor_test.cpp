// The strategy actor on a real actor system: its start-up report, live parameter updates from
// the control topic (applied, reported, alerted, kept across a restart) and their effect on the
// next signal.

#include <gtest/gtest.h>

#include <chrono>

#include "caf/all.hpp"

#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/strategies/strategy.hpp"
#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"
#include "actors/core/system_config.hpp"

using namespace tradewind;

namespace {

struct strategy_fixture : ::testing::Test {
  using config = node_system_config;

  config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor control{sys}; ///< listens on control
  caf::scoped_actor alerts{sys};  ///< listens on alerts
  caf::scoped_actor signals{sys}; ///< listens on signals
  std::shared_ptr<node_context> ctx = make_node_context("test", "warn");
  std::shared_ptr<carry_over<strategy_config>> carried;
  caf::actor strategy;

  void SetUp() override {
    control->join(topic_group(sys, topic::control));
    alerts->join(topic_group(sys, topic::alerts));
    signals->join(topic_group(sys, topic::signals));
    ctx->wall_clock_ms = [] { return int64_t{5}; };
    strategy_config s;
    s.id = "s1";
    s.fast = 2;
    s.slow = 3;
    s.qty_step = *fixed::parse("0.001");
    carried = make_carry_over(s);
    strategy = spawn_strategy(sys, carried, ctx);
  }

  void TearDown() override { control->send_exit(strategy, caf::exit_reason::user_shutdown); }

  strategy_update update(std::string id, std::string strategy_id, int fast, int slow, int64_t notional) {
    strategy_params p;
    p.fast = fast;
    p.slow = slow;
    p.order_notional = *fixed::from_int(notional);
    p.qty_step = *fixed::parse("0.001");
    return strategy_update{std::move(id), std::move(strategy_id), p, "", "api:k1", 1};
  }

  /// "report <node> <strategy> <update id> accepted|rejected <fast>/<slow> <order_notional>".
  std::string next_report() {
    std::string line = "timeout";
    bool done = false;
    while (!done)
      control->receive(
        [&](const strategy_report& r) {
          line = "report " + r.node + " " + r.strategy_id + " " + r.update_id + " "
                 + (r.accepted ? "accepted " : "rejected ") + std::to_string(r.params.fast) + "/"
                 + std::to_string(r.params.slow) + " " + r.params.order_notional.to_string();
          done = true;
        },
        [&](const strategy_update&) {},
        caf::after(std::chrono::seconds(30)) >> [&] { done = true; });
    return line;
  }

  /// "<level> <code>: <message>".
  std::string next_alert() {
    std::string line = "timeout";
    alerts->receive(
      [&](const alert& a) { line = std::string{to_string(a.level)} + " " + a.code + ": " + a.message; },
      caf::after(std::chrono::seconds(30)) >> [] {});
    return line;
  }

  /// Publishes one bar per close, one second apart, each followed by its market watermark.
  void bars(const std::vector<int>& closes) {
    for (int c : closes) {
      bar b;
      b.symbol = "BTCUSDT";
      b.open_time_ms = (ts += 1000);
      b.close = *fixed::from_int(c);
      signals->send(topic_group(sys, topic::market_data), b);
      signals->send(topic_group(sys, topic::market_data), watermark{"market", ts, false});
    }
  }

  /// Signals until the strategy's watermark reaches `until`, as "seq direction target".
  std::vector<std::string> signals_until(int64_t until) {
    std::vector<std::string> out;
    bool done = false;
    while (!done)
      signals->receive(
        [&](const tradewind::signal& s) {
          out.push_back(std::to_string(s.seq) + " " + std::to_string(s.direction) + " " + s.target_qty.to_string());
        },
        [&](const watermark& w) { done = w.ts_ms >= until; },
        caf::after(std::chrono::seconds(30)) >> [&] { done = true; });
    return out;
  }

  int64_t ts = 0;
};

} // namespace

TEST_F(strategy_fixture, applies_an_update_for_its_id_to_the_next_signal_and_reports_it) {
  EXPECT_EQ(next_report(), "report test s1  accepted 2/3 1000");
  control->send(topic_group(sys, topic::control), update("u-0", "other", 4, 9, 10));
  control->send(topic_group(sys, topic::control), update("u-1", "s1", 2, 3, 600));
  EXPECT_EQ(next_report(), "report test s1 u-1 accepted 2/3 600"); // nothing for "other"
  EXPECT_EQ(next_alert(), "info strategy_params_changed: strategy s1 parameters changed by api:k1: "
                          "order_notional 1000 -> 600");
  EXPECT_EQ(carried->get().order_notional, fixed::from_int<600>());
  bars({10, 9, 8, 7, 9, 12});
  EXPECT_EQ(signals_until(6000), std::vector<std::string>{"1 1 50"}); // 600 / 12
}

TEST_F(strategy_fixture, rejects_an_invalid_update_and_keeps_its_parameters) {
  EXPECT_EQ(next_report(), "report test s1  accepted 2/3 1000");
  control->send(topic_group(sys, topic::control), update("u-2", "s1", 3, 3, 600));
  EXPECT_EQ(next_report(), "report test s1 u-2 rejected 2/3 1000");
  EXPECT_EQ(next_alert(), "warning strategy_params_rejected: strategy s1 update u-2 by api:k1 rejected: "
                          "slow: must be > fast (3), got 3");
  EXPECT_EQ(carried->get().fast, 2);
}

TEST_F(strategy_fixture, a_restarted_instance_keeps_the_parameters_it_had_applied) {
  EXPECT_EQ(next_report(), "report test s1  accepted 2/3 1000");
  control->send(topic_group(sys, topic::control), update("u-3", "s1", 5, 20, 700));
  EXPECT_EQ(next_report(), "report test s1 u-3 accepted 5/20 700");
  control->send_exit(strategy, caf::exit_reason::kill);
  strategy = spawn_strategy(sys, carried, ctx); // what the supervisor's start closure does
  EXPECT_EQ(next_report(), "report test s1  accepted 5/20 700");
}

// Defect 2 of issue 11 through the real strategy actor: on a micro-priced symbol with
// allow_short, a cross down whose target does not fit publishes no signal, only an alert.
TEST_F(strategy_fixture, a_cross_that_cannot_be_sized_publishes_no_signal_and_alerts) {
  control->send_exit(strategy, caf::exit_reason::user_shutdown); // the fixture's s1 is not short
  strategy_config s;
  s.id = "micro";
  s.fast = 2;
  s.slow = 3;
  s.allow_short = true;
  s.order_notional = fixed::from_int<1000>();
  s.qty_step = fixed::from_raw(1);
  strategy = spawn_strategy(sys, make_carry_over(s), ctx);
  for (int64_t raw : {10, 20, 30, 40, 1}) {
    bar b;
    b.symbol = "MICROUSDT";
    b.open_time_ms = (ts += 1000);
    b.close = fixed::from_raw(raw);
    signals->send(topic_group(sys, topic::market_data), b);
    signals->send(topic_group(sys, topic::market_data), watermark{"market", ts, false});
  }
  // Waits (generously) for the strategy to have handled every bar: its watermark for the last.
  bool reached = false;
  std::vector<std::string> sigs;
  while (!reached) {
    bool timed_out = false;
    signals->receive(
      [&](const tradewind::signal& sig) { sigs.push_back(sig.strategy_id + " " + sig.target_qty.to_string()); },
      [&](const watermark& w) { reached = w.source == "strategy:micro" && w.ts_ms >= ts; },
      caf::after(std::chrono::seconds(30)) >> [&] { timed_out = true; });
    ASSERT_FALSE(timed_out) << "no strategy watermark";
  }
  EXPECT_TRUE(sigs.empty()) << sigs.front();
  EXPECT_EQ(next_alert(), "warning signal_unsizable: strategy micro: ma_cross_down on MICROUSDT at price "
                          "0.00000001: target order_notional 1000 / price overflow; no signal");
}
