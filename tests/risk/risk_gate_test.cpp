#include <gtest/gtest.h>

#include <chrono>

#include "caf/all.hpp"

#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/risk/risk_gate.hpp"
#include "risk_test_util.hpp"
#include "schemas/registry.hpp"

using namespace tradewind;
using namespace tradewind::risk::test;

namespace {

/// A real actor system on two workers, a risk gate for strategy s1, and a scoped actor
/// listening on the orders and alerts topics.
struct gate_fixture : ::testing::Test {
  struct config : caf::actor_system_config {
    config() {
      register_message_types(*this);
      set("scheduler.max-threads", 2);
    }
  };

  config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  caf::actor gate;

  void SetUp() override {
    self->join(topic_group(sys, topic::orders));
    self->join(topic_group(sys, topic::alerts));
    auto ctx = make_node_context("test", "warn");
    ctx->wall_clock_ms = [] { return int64_t{1}; };
    gate = spawn_risk_gate(sys, risk_config{}, {"s1"}, ctx);
  }

  void TearDown() override {
    self->send_exit(gate, caf::exit_reason::user_shutdown);
  }

  template <class T>
  void publish(topic t, T msg) {
    self->send(topic_group(sys, t), std::move(msg));
  }

  /// The next message on orders/alerts as one line; "timeout" after 30 s.
  std::string next() {
    std::string line = "timeout";
    self->receive(
      [&](const risk_decision& d) {
        line = "decision " + d.client_order_id + " " + std::string{to_string(d.reason)};
      },
      [&](const order_intent& i) {
        line = "intent " + i.client_order_id + " " + std::string{to_string(i.order_side)} + " "
               + i.qty.to_string();
      },
      [&](const cancel_request& c) { line = "cancel " + c.client_order_id; },
      [&](const watermark& w) { line = "watermark " + w.source + " " + std::to_string(w.ts_ms); },
      [&](const alert& a) { line = "alert " + a.code + " " + std::string{to_string(a.level)}; },
      caf::after(std::chrono::seconds(30)) >> [] {});
    return line;
  }
};

} // namespace

TEST_F(gate_fixture, decides_a_signal_once_account_and_strategy_watermarks_pass) {
  publish(topic::account, snapshot(100));
  publish(topic::account, wm("account", 100));
  publish(topic::signals, make_signal("s1", "BTCUSDT", 100, 1, fx("0.5")));
  publish(topic::signals, wm("strategy:s1", 100));
  EXPECT_EQ(next(), "decision s1-BTCUSDT-1 none");
  EXPECT_EQ(next(), "intent s1-BTCUSDT-1 buy 0.5");
  EXPECT_EQ(next(), "watermark risk 100");
}

TEST_F(gate_fixture, halt_on_control_topic_cancels_all_and_alerts) {
  publish(topic::control, command(control_action::halt, scope_kind::node, "", "test"));
  EXPECT_EQ(next(), "cancel ");
  EXPECT_EQ(next(), "alert trading_state_changed critical");
  // A manual order on the control topic is now refused.
  publish(topic::account, snapshot(100));
  publish(topic::account, wm("account", 100));
  publish(topic::signals, wm("strategy:s1", 100));
  EXPECT_EQ(next(), "watermark risk 100");
  publish(topic::control, market("op-1", side::buy, fx(1), 100));
  EXPECT_EQ(next(), "decision op-1 trading_halted");
}
