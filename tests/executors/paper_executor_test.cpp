// Paper executor actor in a real actor system: watermark gating, publication order, end of stream.

#include "actors/executors/paper_executor.hpp"

#include <chrono>
#include <optional>
#include <variant>

#include "caf/all.hpp"

#include <gtest/gtest.h>

#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/registry.hpp"
#include "schemas/trading.hpp"

namespace tradewind {
namespace {

using namespace std::chrono_literals;

fixed fx(const char* text) { return *fixed::parse(text); }

caf::actor_system_config& configure(caf::actor_system_config& cfg) {
  register_message_types(cfg);
  cfg.set("scheduler.max-threads", 2);
  cfg.set("logger.console", caf::atom("none"));
  return cfg;
}

using output = std::variant<order, fill, watermark, alert>;

struct executor_fixture : ::testing::Test {
  caf::actor_system_config cfg;
  caf::actor_system sys{configure(cfg)};
  caf::scoped_actor self{sys};
  caf::group market = topic_group(sys, topic::market_data);
  caf::group orders = topic_group(sys, topic::orders);
  caf::actor executor;

  void SetUp() override {
    self->join(topic_group(sys, topic::executions));
    executor_config ec;
    ec.fee_bps = 10;
    ec.slippage_bps = 5;
    executor = spawn_paper_executor(sys, ec, make_node_context("test", "warn"));
  }

  void TearDown() override {
    self->send_exit(executor, caf::exit_reason::user_shutdown);
  }

  /// Next message published on the joined topics; the timeout only turns a hang into a failure.
  output next() {
    std::optional<output> got;
    self->receive([&](const order& o) { got = o; }, [&](const fill& f) { got = f; },
                  [&](const watermark& w) { got = w; }, [&](const alert& a) { got = a; },
                  caf::after(30s) >> [] {});
    if (!got)
      throw std::runtime_error("no message from the executor within 30 s");
    return *got;
  }

  void expect_watermark(int64_t ts, bool end) {
    auto out = next();
    ASSERT_TRUE(std::holds_alternative<watermark>(out)) << "expected a watermark, got index "
                                                        << out.index();
    const auto& wm = std::get<watermark>(out);
    EXPECT_EQ(wm.source, "executor");
    EXPECT_EQ(wm.ts_ms, ts);
    EXPECT_EQ(wm.end_of_stream, end);
  }

  order expect_order(order_status status) {
    auto out = next();
    if (!std::holds_alternative<order>(out)) {
      ADD_FAILURE() << "expected an order, got index " << out.index();
      return {};
    }
    EXPECT_EQ(std::get<order>(out).status, status);
    return std::get<order>(out);
  }

  fill expect_fill() {
    auto out = next();
    if (!std::holds_alternative<fill>(out)) {
      ADD_FAILURE() << "expected a fill, got index " << out.index();
      return {};
    }
    return std::get<fill>(out);
  }

  void publish_bar(int64_t ts, const char* open) {
    self->send(market,
               bar{"BTCUSDT", ts, 60'000, fx(open), fx(open), fx(open), fx(open), fx("10")});
  }
  void publish_market_wm(int64_t ts, bool end = false) {
    self->send(market, watermark{"market", ts, end});
  }
  void publish_risk_wm(int64_t ts, bool end = false) {
    self->send(orders, watermark{"risk", ts, end});
  }
  void publish_intent(const std::string& cid, const char* qty, int64_t ts) {
    order_intent in;
    in.client_order_id = cid;
    in.strategy_id = "ma";
    in.symbol = "BTCUSDT";
    in.order_side = side::buy;
    in.qty = fx(qty);
    in.ts_ms = ts;
    self->send(orders, risk_decision{cid, "ma", "BTCUSDT", true, deny_reason::none, "", ts});
    self->send(orders, in);
  }
};

TEST_F(executor_fixture, accepts_fills_and_forwards_watermarks_in_order) {
  publish_bar(1000, "100");
  publish_market_wm(1000);
  expect_watermark(1000, false);

  publish_intent("ma-BTCUSDT-1", "2", 1000);
  publish_risk_wm(1000);
  publish_bar(2000, "200");
  publish_market_wm(2000);

  auto accepted = expect_order(order_status::accepted);
  EXPECT_EQ(accepted.client_order_id, "ma-BTCUSDT-1");
  auto f = expect_fill();
  EXPECT_EQ(f.fill_id, "ma-BTCUSDT-1-1");
  EXPECT_EQ(f.price, fx("200.1"));
  EXPECT_EQ(f.qty, fx("2"));
  EXPECT_EQ(f.fee, fx("0.4002"));
  EXPECT_EQ(f.ts_ms, 2000);
  auto filled = expect_order(order_status::filled);
  EXPECT_EQ(filled.avg_fill_price, fx("200.1"));
  EXPECT_EQ(filled.updated_ts_ms, 2000);
  expect_watermark(2000, false);
}

TEST_F(executor_fixture, holds_market_data_until_the_risk_watermark_catches_up) {
  publish_market_wm(1000);
  // The bar at 2000 arrives before the risk gate decided the signal at 1000: it must wait,
  // otherwise the intent below would miss it.
  publish_bar(2000, "100");
  publish_market_wm(2000);
  expect_watermark(1000, false);

  publish_intent("ma-BTCUSDT-7", "1", 1000);
  expect_order(order_status::accepted);
  publish_risk_wm(1000);

  auto f = expect_fill();
  EXPECT_EQ(f.ts_ms, 2000);
  EXPECT_EQ(f.price, fx("100.05"));
  expect_order(order_status::filled);
  expect_watermark(2000, false);
}

TEST_F(executor_fixture, duplicate_intent_makes_one_order_and_reject_raises_alert) {
  self->join(topic_group(sys, topic::alerts));
  publish_intent("dup", "1", 1000);
  publish_intent("dup", "1", 1000);
  publish_intent("bad", "0", 1000);
  expect_order(order_status::accepted);
  auto rejected = expect_order(order_status::rejected);
  EXPECT_EQ(rejected.client_order_id, "bad");
  // The executor publishes the order first, then the alert about it.
  auto out = next();
  ASSERT_TRUE(std::holds_alternative<alert>(out));
  const auto& a = std::get<alert>(out);
  EXPECT_EQ(a.level, severity::warning);
  EXPECT_EQ(a.code, "order_rejected");
  EXPECT_EQ(a.source, "paper_executor");
  EXPECT_EQ(a.message, "order bad rejected: qty must be positive, got 0");
}

TEST_F(executor_fixture, cancel_request_cancels_open_orders) {
  publish_intent("c1", "1", 1000);
  publish_intent("c2", "1", 1000);
  expect_order(order_status::accepted);
  expect_order(order_status::accepted);
  self->send(orders, cancel_request{"", "kill switch", 1500});
  auto c1 = expect_order(order_status::cancelled);
  auto c2 = expect_order(order_status::cancelled);
  EXPECT_EQ(c1.client_order_id, "c1");
  EXPECT_EQ(c2.client_order_id, "c2");
  EXPECT_EQ(c2.updated_ts_ms, 1500);
}

TEST_F(executor_fixture, end_of_stream_waits_for_the_risk_gate) {
  publish_bar(1000, "100");
  publish_market_wm(1000, true);
  expect_watermark(1000, false);
  publish_risk_wm(1000, true);
  expect_watermark(1000, true);
}

TEST_F(executor_fixture, end_of_stream_when_risk_ended_first) {
  publish_risk_wm(500, true);
  publish_bar(1000, "100");
  publish_market_wm(1000, true);
  expect_watermark(1000, true);
}

} // namespace
} // namespace tradewind
