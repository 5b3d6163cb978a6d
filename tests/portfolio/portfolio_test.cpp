// Portfolio actor in a real actor system: snapshots as of the watermark, whatever runs ahead.

#include "actors/portfolio/portfolio.hpp"

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

using output = std::variant<position_update, account_snapshot, watermark>;

struct portfolio_fixture : ::testing::Test {
  caf::actor_system_config cfg;
  caf::actor_system sys{configure(cfg)};
  caf::scoped_actor self{sys};
  caf::group market = topic_group(sys, topic::market_data);
  caf::group executions = topic_group(sys, topic::executions);
  caf::actor portfolio;

  void SetUp() override {
    self->join(topic_group(sys, topic::account));
    portfolio_config pc;
    pc.initial_cash = fx("10000");
    portfolio = spawn_portfolio(sys, pc, make_node_context("test", "warn"));
  }

  void TearDown() override { self->send_exit(portfolio, caf::exit_reason::user_shutdown); }

  /// Next message on account; the timeout only turns a hang into a failure.
  output next() {
    std::optional<output> got;
    self->receive([&](const position_update& p) { got = p; },
                  [&](const account_snapshot& s) { got = s; },
                  [&](const watermark& w) { got = w; }, caf::after(30s) >> [] {});
    if (!got)
      throw std::runtime_error("no message from the portfolio within 30 s");
    return *got;
  }

  template <class T>
  T expect() {
    auto out = next();
    if (!std::holds_alternative<T>(out)) {
      ADD_FAILURE() << "unexpected message kind " << out.index();
      return {};
    }
    return std::get<T>(out);
  }

  void expect_watermark(int64_t ts, bool end) {
    auto wm = expect<watermark>();
    EXPECT_EQ(wm.source, "account");
    EXPECT_EQ(wm.ts_ms, ts);
    EXPECT_EQ(wm.end_of_stream, end);
  }

  void publish_bar(int64_t ts, const char* close) {
    self->send(market, bar{"BTCUSDT", ts, 60'000, fx(close), fx(close), fx(close), fx(close),
                           fx("5")});
  }
  void publish_market_wm(int64_t ts, bool end = false) {
    self->send(market, watermark{"market", ts, end});
  }
  void publish_executor_wm(int64_t ts, bool end = false) {
    self->send(executions, watermark{"executor", ts, end});
  }
  void publish_buy_fill(int64_t ts, const char* qty, const char* price, const char* fee) {
    self->send(executions, fill{"o-1", "o", "ma", "BTCUSDT", side::buy, fx(price), fx(qty),
                                fx(fee), ts});
    order o;
    o.client_order_id = "o";
    o.symbol = "BTCUSDT";
    o.qty = fx(qty);
    o.status = order_status::filled;
    self->send(executions, o);
  }
};

TEST_F(portfolio_fixture, snapshot_at_watermark_ignores_prices_that_ran_ahead) {
  publish_bar(1000, "100");
  publish_market_wm(1000);
  publish_bar(2000, "110"); // market data ahead of the executor
  publish_market_wm(2000);
  publish_buy_fill(1000, "2", "100", "0.2");
  publish_executor_wm(1000);

  auto pos = expect<position_update>();
  EXPECT_EQ(pos.symbol, "BTCUSDT");
  EXPECT_EQ(pos.qty, fx("2"));
  EXPECT_EQ(pos.avg_entry_price, fx("100"));
  EXPECT_EQ(pos.last_price, fx("100"));
  EXPECT_EQ(pos.ts_ms, 1000);
  auto snap = expect<account_snapshot>();
  EXPECT_EQ(snap.ts_ms, 1000);
  EXPECT_EQ(snap.cash, fx("9799.8"));
  EXPECT_EQ(snap.equity, fx("9999.8"));
  EXPECT_TRUE(snap.open_orders.empty());
  expect_watermark(1000, false);

  publish_executor_wm(2000);
  snap = expect<account_snapshot>(); // no fill since 1000: no position_update
  EXPECT_EQ(snap.ts_ms, 2000);
  EXPECT_EQ(snap.equity, fx("10019.8"));
  EXPECT_EQ(snap.high_water_mark, fx("10019.8"));
  EXPECT_EQ(snap.unrealized_pnl, fx("20"));
  expect_watermark(2000, false);

  publish_market_wm(2000, true);
  publish_executor_wm(2000, true);
  expect_watermark(2000, true);
}

TEST_F(portfolio_fixture, executions_ahead_of_the_market_wait_for_its_watermark) {
  publish_executor_wm(1000);
  publish_buy_fill(2000, "1", "50", "0");
  publish_executor_wm(2000);
  // Nothing is published until the market watermark reaches 1000; then the fill at 2000
  // must not be in the snapshot at 1000.
  publish_bar(1000, "40");
  publish_market_wm(1000);
  auto snap = expect<account_snapshot>();
  EXPECT_EQ(snap.ts_ms, 1000);
  EXPECT_EQ(snap.cash, fx("10000"));
  ASSERT_EQ(snap.positions.size(), 1u);
  EXPECT_TRUE(snap.positions[0].qty.is_zero());
  EXPECT_EQ(snap.positions[0].last_price, fx("40"));
  expect_watermark(1000, false);

  publish_bar(2000, "60");
  publish_market_wm(2000, true); // market ends first
  auto pos = expect<position_update>();
  EXPECT_EQ(pos.qty, fx("1"));
  snap = expect<account_snapshot>();
  EXPECT_EQ(snap.ts_ms, 2000);
  EXPECT_EQ(snap.cash, fx("9950"));
  EXPECT_EQ(snap.equity, fx("10010"));
  expect_watermark(2000, false);

  publish_executor_wm(2000, true);
  expect_watermark(2000, true);
}

TEST_F(portfolio_fixture, open_orders_appear_in_the_snapshot) {
  order o;
  o.client_order_id = "ma-BTCUSDT-1";
  o.symbol = "BTCUSDT";
  o.qty = fx("1");
  o.status = order_status::accepted;
  o.created_ts_ms = o.updated_ts_ms = 1000;
  self->send(executions, o);
  publish_executor_wm(1000);
  publish_market_wm(1000);
  auto snap = expect<account_snapshot>();
  ASSERT_EQ(snap.open_orders.size(), 1u);
  EXPECT_EQ(snap.open_orders[0].client_order_id, "ma-BTCUSDT-1");
  EXPECT_EQ(snap.equity, fx("10000"));
  expect_watermark(1000, false);
}

// Issue 11: a fill the books cannot represent is refused by the ledger; the actor then halts
// the node (critical alert + halt command) and the published account stays as it was.
TEST_F(portfolio_fixture, a_fill_that_does_not_fit_halts_the_node_and_books_nothing) {
  caf::scoped_actor watcher{sys};
  watcher->join(topic_group(sys, topic::alerts));
  watcher->join(topic_group(sys, topic::control));
  publish_bar(1000, "100");
  publish_market_wm(1000);
  publish_buy_fill(1000, "92233720368.54775807", "100", "0");
  publish_executor_wm(1000);

  std::optional<alert> raised;
  std::optional<control_command> halt;
  while (!raised || !halt) {
    bool timed_out = false;
    watcher->receive([&](const alert& a) { raised = a; },
                     [&](const control_command& c) { halt = c; },
                     caf::after(30s) >> [&] { timed_out = true; });
    ASSERT_FALSE(timed_out) << "no ledger_overflow alert and halt within 30 s";
  }
  EXPECT_EQ(raised->code, "ledger_overflow");
  EXPECT_EQ(raised->level, severity::critical);
  EXPECT_NE(raised->message.find("does not fit"), std::string::npos) << raised->message;
  EXPECT_EQ(halt->action, control_action::halt);
  EXPECT_EQ(halt->scope, scope_kind::node);
  EXPECT_EQ(halt->issued_by, "portfolio");

  auto snap = expect<account_snapshot>(); // no position_update: nothing was booked
  EXPECT_EQ(snap.cash, fx("10000"));
  EXPECT_TRUE(snap.positions.empty() || snap.positions[0].qty.is_zero());
  expect_watermark(1000, false);
}

} // namespace
} // namespace tradewind
