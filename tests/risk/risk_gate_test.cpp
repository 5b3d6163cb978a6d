#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <optional>

#include <unistd.h>

#include "caf/all.hpp"

#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/risk/risk_gate.hpp"
#include "actors/storage/store.hpp"
#include "risk_test_util.hpp"
#include "actors/core/system_config.hpp"

using namespace tradewind;
using namespace tradewind::risk::test;

namespace {

/// A real actor system on two workers, a risk gate for strategy s1, a scoped actor
/// listening on the orders and alerts topics and another on the control topic.
struct gate_fixture : ::testing::Test {
  using config = node_system_config;

  config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  caf::scoped_actor control{sys}; ///< listens on the control topic only
  caf::actor gate;
  /// The gate's limits across its (re)starts, as the supervisor's start closure keeps them.
  std::shared_ptr<carry_over<risk_config>> limits = make_carry_over(risk_config{});

  void SetUp() override {
    self->join(topic_group(sys, topic::orders));
    self->join(topic_group(sys, topic::alerts));
    control->join(topic_group(sys, topic::control));
    start_gate(std::nullopt);
  }

  /// Starts the gate, stopping the previous one first (a restart).
  void start_gate(std::optional<store_config> outbox) {
    if (gate)
      self->send_exit(gate, caf::exit_reason::user_shutdown);
    auto ctx = make_node_context("test", "warn");
    ctx->wall_clock_ms = [] { return int64_t{1}; };
    gate = spawn_risk_gate(sys, limits, {"s1"}, ctx, std::move(outbox));
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

  /// The next risk_limits_report on control as "report <node> <update_id> accepted|rejected
  /// <max_order_notional>"; "timeout" after 30 s. Other control messages are skipped.
  std::string next_report() {
    std::string line = "timeout";
    bool done = false;
    while (!done)
      control->receive(
        [&](const risk_limits_report& r) {
          line = "report " + r.node + " " + r.update_id + " " + (r.accepted ? "accepted " : "rejected ")
                 + r.limits.max_order_notional.to_string();
          done = true;
        },
        [&](const risk_limits_update&) {},
        [&](const control_command&) {},
        [&](const trading_state_changed&) {},
        [&](const order_intent&) {},
        caf::after(std::chrono::seconds(30)) >> [&] { done = true; });
    return line;
  }

  /// The next trading_state_changed on control as "<node> <scope>[:<id>] <state> <cause>";
  /// "timeout" after 30 s. Other control messages are skipped.
  std::string next_change() {
    std::string line = "timeout";
    bool done = false;
    while (!done)
      control->receive(
        [&](const trading_state_changed& c) {
          line = c.node + " " + std::string{to_string(c.scope)} + (c.scope_id.empty() ? "" : ":" + c.scope_id) + " "
                 + std::string{to_string(c.state)} + " " + std::string{to_string(c.cause)};
          done = true;
        },
        [&](const risk_limits_report&) {},
        [&](const risk_limits_update&) {},
        [&](const control_command&) {},
        [&](const order_intent&) {},
        caf::after(std::chrono::seconds(30)) >> [&] { done = true; });
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
  // The bridge hears the state on the control topic (and over AMQP, on another node).
  EXPECT_EQ(next_change(), "test node halted operator");
  // A manual order on the control topic is now refused.
  publish(topic::account, snapshot(100));
  publish(topic::account, wm("account", 100));
  publish(topic::signals, wm("strategy:s1", 100));
  EXPECT_EQ(next(), "watermark risk 100");
  publish(topic::control, market("op-1", side::buy, fx(1), 100));
  EXPECT_EQ(next(), "decision op-1 trading_halted");
}

namespace {

/// A fresh SQLite store file for one outbox test, removed afterwards.
struct outbox_file {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("tw-gate-outbox-" + std::to_string(::getpid()) + ".db");
  outbox_file() { remove(); }
  ~outbox_file() { remove(); }
  void remove() {
    for (auto suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path.string() + suffix);
  }
  store_config cfg() const {
    store_config c;
    c.url = "sqlite:" + path.string();
    return c;
  }
  std::unique_ptr<store> open() const {
    auto s = open_store(cfg());
    EXPECT_TRUE(s.is_ok()) << s.error();
    return s ? std::move(s.value()) : nullptr;
  }
};

} // namespace

TEST_F(gate_fixture, an_approved_intent_is_in_the_outbox_before_it_is_published) {
  outbox_file file;
  start_gate(file.cfg());
  publish(topic::account, snapshot(100));
  publish(topic::account, wm("account", 100));
  publish(topic::signals, make_signal("s1", "BTCUSDT", 100, 1, fx("0.5")));
  publish(topic::signals, wm("strategy:s1", 100));
  EXPECT_EQ(next(), "decision s1-BTCUSDT-1 none");
  // Published only after the commit, so the row is there as soon as the intent arrives.
  auto db = file.open();
  ASSERT_TRUE(db);
  auto unacked = db->unacked_outbox();
  ASSERT_TRUE(unacked.is_ok()) << unacked.error();
  ASSERT_EQ(unacked.value().size(), 1u);
  EXPECT_EQ(unacked.value()[0].client_order_id, "s1-BTCUSDT-1");
  EXPECT_EQ(next(), "intent s1-BTCUSDT-1 buy 0.5");
  EXPECT_EQ(db->list_orders().value().at(0).status, order_status::new_order);
  EXPECT_EQ(db->list_decisions().value().size(), 1u);
}

TEST_F(gate_fixture, an_unacknowledged_intent_is_resent_once_the_flow_reaches_its_event_time) {
  outbox_file file;
  {
    auto db = file.open();
    ASSERT_TRUE(db);
    approved_order left;
    left.intent = market("s1-BTCUSDT-7", side::sell, fx("0.25"), 200);
    left.decision = risk_decision{"s1-BTCUSDT-7", "s1", "BTCUSDT", true, deny_reason::none, "", 200};
    ASSERT_TRUE(db->write_outbox({left}, 5).is_ok());
  }
  start_gate(file.cfg());
  EXPECT_EQ(next(), "alert outbox_replayed warning");
  publish(topic::account, snapshot(100));
  publish(topic::account, wm("account", 100));
  publish(topic::signals, wm("strategy:s1", 100));
  EXPECT_EQ(next(), "watermark risk 100"); // not yet: the intent was decided at 200
  publish(topic::account, wm("account", 300));
  publish(topic::signals, wm("strategy:s1", 300));
  EXPECT_EQ(next(), "intent s1-BTCUSDT-7 sell 0.25");
  EXPECT_EQ(next(), "watermark risk 300");
  // Still unacknowledged (no executor here), but recorded as sent again, and sent only once.
  publish(topic::account, wm("account", 400));
  publish(topic::signals, wm("strategy:s1", 400));
  EXPECT_EQ(next(), "watermark risk 400");
}

TEST_F(gate_fixture, announces_its_limits_and_applies_an_update_from_the_control_topic) {
  EXPECT_EQ(next_report(), "report test  accepted 10000");
  auto lower = risk_config{};
  lower.max_order_notional = fx(50);
  publish(topic::control, risk_limits_update{"u-1", lower, "test", "api:k1", 1});
  EXPECT_EQ(next_report(), "report test u-1 accepted 50");
  EXPECT_EQ(next(), "alert risk_limits_changed info");
  EXPECT_EQ(limits->get().max_order_notional, fx(50)); // kept for a restarted gate
  // The next decision uses the new limit.
  publish(topic::account, snapshot(100));
  publish(topic::account, wm("account", 100));
  publish(topic::signals, wm("strategy:s1", 100));
  EXPECT_EQ(next(), "watermark risk 100");
  publish(topic::control, market("op-1", side::buy, fx(1), 100));
  EXPECT_EQ(next(), "decision op-1 max_notional");
  // An invalid update is refused and reported; the limits stay.
  auto bad = lower;
  bad.max_open_orders = 0;
  publish(topic::control, risk_limits_update{"u-2", bad, "", "api:k1", 2});
  EXPECT_EQ(next_report(), "report test u-2 rejected 50");
  EXPECT_EQ(next(), "alert risk_limits_rejected warning");
}

TEST_F(gate_fixture, a_restarted_gate_starts_with_the_limits_it_had_applied) {
  EXPECT_EQ(next_report(), "report test  accepted 10000");
  auto lower = risk_config{};
  lower.max_order_notional = fx(70);
  publish(topic::control, risk_limits_update{"u-1", lower, "", "ops", 1});
  EXPECT_EQ(next_report(), "report test u-1 accepted 70");
  start_gate(std::nullopt);
  EXPECT_EQ(next_report(), "report test  accepted 70");
}
