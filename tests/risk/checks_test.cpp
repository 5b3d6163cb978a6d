#include <gtest/gtest.h>

#include "actors/risk/checks.hpp"
#include "risk_test_util.hpp"

using namespace tradewind;
using namespace tradewind::risk;
using namespace tradewind::risk::test;

namespace {

/// Active, BTCUSDT at 100, flat, no open orders, equity 100 000, nothing approved yet.
check_context base_ctx() {
  check_context ctx;
  ctx.last_price = fx(100);
  ctx.equity = fx(100'000);
  return ctx;
}

risk_config cfg_default() {
  return risk_config{}; // 50 %, 10 000, 10 open, 500 bps, 30 per 60 000 ms
}

void expect_approved(const order_intent& in, const check_context& ctx,
                     const risk_config& cfg = cfg_default()) {
  auto d = check_intent(in, ctx, cfg);
  EXPECT_TRUE(d.approved) << to_string(d.reason) << ": " << d.detail;
  EXPECT_EQ(d.reason, deny_reason::none);
  EXPECT_EQ(d.detail, "");
}

void expect_denied(const order_intent& in, const check_context& ctx, deny_reason reason,
                   const std::string& detail, const risk_config& cfg = cfg_default()) {
  auto d = check_intent(in, ctx, cfg);
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason, reason) << to_string(d.reason);
  EXPECT_EQ(d.detail, detail);
}

} // namespace

TEST(checks, decision_carries_the_intent_ids_and_event_time) {
  auto d = check_intent(market("m-1", side::buy, fx(1), 1234, "BTCUSDT", "s9"), base_ctx(),
                        cfg_default());
  EXPECT_TRUE(d.approved);
  EXPECT_EQ(d.client_order_id, "m-1");
  EXPECT_EQ(d.strategy_id, "s9");
  EXPECT_EQ(d.symbol, "BTCUSDT");
  EXPECT_EQ(d.ts_ms, 1234);
}

TEST(checks, invalid_order) {
  auto ctx = base_ctx();
  expect_approved(market("a", side::buy, fx("0.00000001")), ctx);
  expect_denied(market("a", side::buy, {}), ctx, deny_reason::invalid_order, "qty 0 <= 0");
  expect_denied(market("a", side::sell, fx(-1)), ctx, deny_reason::invalid_order, "qty -1 <= 0");
  expect_denied(limit("a", side::buy, fx(1), {}), ctx, deny_reason::invalid_order,
                "limit order needs a positive limit_price, got 0");
  auto with_price = market("a", side::buy, fx(1));
  with_price.limit_price = fx(100);
  expect_denied(with_price, ctx, deny_reason::invalid_order, "market order with limit_price 100");
}

TEST(checks, trading_halted) {
  auto ctx = base_ctx();
  ctx.state = {trading_state::halted, "symbol BTCUSDT halted", deny_reason::trading_halted};
  expect_denied(market("a", side::buy, fx(1)), ctx, deny_reason::trading_halted,
                "symbol BTCUSDT halted");
  // HALTED denies reducing orders too.
  ctx.position = fx(5);
  expect_denied(market("a", side::sell, fx(1)), ctx, deny_reason::trading_halted,
                "symbol BTCUSDT halted");
}

TEST(checks, duplicate_order) {
  auto ctx = base_ctx();
  ctx.duplicate = true;
  expect_denied(market("s1-BTCUSDT-3", side::buy, fx(1)), ctx, deny_reason::duplicate_order,
                "client_order_id s1-BTCUSDT-3 already decided");
}

TEST(checks, reduce_only_allows_only_reducing_orders) {
  auto ctx = base_ctx();
  ctx.state = {trading_state::reducing, "node reducing", deny_reason::reduce_only};
  ctx.position = fx(1);
  ctx.open_net = fx("0.5");
  expect_approved(market("a", side::sell, fx("1.5")), ctx); // 1.5 -> 0
  expect_denied(market("a", side::sell, fx("1.50000001")), ctx, deny_reason::reduce_only,
                "node reducing: exposure 1.5 -> -0.00000001 is not reducing");
  expect_denied(market("a", side::buy, fx(1)), ctx, deny_reason::reduce_only,
                "node reducing: exposure 1.5 -> 2.5 is not reducing");
  ctx.position = {};
  ctx.open_net = {};
  ctx.state = {trading_state::reducing, "daily loss breaker", deny_reason::daily_loss_limit};
  expect_denied(market("a", side::sell, fx(1)), ctx, deny_reason::daily_loss_limit,
                "daily loss breaker: exposure 0 -> -1 is not reducing");
}

TEST(checks, no_market_data) {
  auto ctx = base_ctx();
  ctx.last_price.reset();
  expect_denied(market("a", side::buy, fx(1), 1000, "DOGEUSDT"), ctx,
                deny_reason::no_market_data, "no last price for DOGEUSDT");
}

TEST(checks, price_collar) {
  auto ctx = base_ctx();
  expect_approved(limit("a", side::buy, fx(1), fx(105)), ctx); // exactly 500 bps
  expect_approved(limit("a", side::sell, fx(1), fx(95)), ctx);
  expect_denied(limit("a", side::buy, fx(1), fx("105.00000001")), ctx, deny_reason::price_collar,
                "limit 105.00000001 is 500.000001 bps from last 100 > price_collar_bps 500");
  expect_denied(limit("a", side::sell, fx(1), fx("94.99")), ctx, deny_reason::price_collar,
                "limit 94.99 is 501 bps from last 100 > price_collar_bps 500");
}

TEST(checks, max_notional_uses_limit_price_or_last) {
  auto ctx = base_ctx();
  expect_approved(market("a", side::buy, fx(100)), ctx); // 100 × 100 = 10 000
  expect_denied(market("a", side::buy, fx("100.00000001")), ctx, deny_reason::max_notional,
                "notional 10000.000001 > max_order_notional 10000");
  ctx.last_price = fx(12'000);
  expect_denied(limit("a", side::buy, fx(1), fx("12000.5")), ctx, deny_reason::max_notional,
                "notional 12000.5 > max_order_notional 10000");
}

TEST(checks, max_position_for_exposure_increasing_orders) {
  auto cfg = cfg_default();
  cfg.max_order_notional = fx(1'000'000);
  auto ctx = base_ctx();
  ctx.position = fx(300);
  ctx.open_net = fx(100);
  // (300 + 100 + 100) × 100 = 50 000 = 50 % of 100 000
  expect_approved(market("a", side::buy, fx(100)), ctx, cfg);
  expect_denied(market("a", side::buy, fx("100.00000001")), ctx, deny_reason::max_position,
                "position notional 50000.000001 > 50000 (max_position_pct 50 of equity 100000)",
                cfg);
  // Short side counts by absolute value; flipping through zero is not reducing.
  expect_denied(market("a", side::sell, fx(901)), ctx, deny_reason::max_position,
                "position notional 50100 > 50000 (max_position_pct 50 of equity 100000)", cfg);
  // Reducing orders pass even when the position is already above the limit.
  ctx.position = fx(1000);
  expect_approved(market("a", side::sell, fx(1)), ctx, cfg);
}

TEST(checks, max_open_orders_for_exposure_increasing_orders) {
  auto ctx = base_ctx();
  ctx.open_orders = 9;
  expect_approved(market("a", side::buy, fx(1)), ctx);
  ctx.open_orders = 10;
  expect_denied(market("a", side::buy, fx(1)), ctx, deny_reason::max_open_orders,
                "open orders 10 >= max_open_orders 10");
  ctx.position = fx(2);
  expect_approved(market("a", side::sell, fx(1)), ctx);
}

TEST(checks, rate_limited) {
  auto ctx = base_ctx();
  ctx.approved_in_window = 29;
  expect_approved(market("a", side::buy, fx(1)), ctx);
  ctx.approved_in_window = 30;
  expect_denied(market("a", side::buy, fx(1)), ctx, deny_reason::rate_limited,
                "approved orders 30 in last 60000 ms >= max_orders_per_window 30");
}

TEST(checks, first_failing_check_wins_in_documented_order) {
  // Start with an intent and context that fail every check, then fix them one at a time.
  auto cfg = cfg_default();
  auto ctx = base_ctx();
  ctx.state = {trading_state::halted, "node halted", deny_reason::trading_halted};
  ctx.duplicate = true;
  ctx.last_price.reset();
  ctx.open_orders = 10;
  ctx.approved_in_window = 30;
  ctx.position = fx(600); // already above max_position
  auto in = limit("x", side::buy, {}, fx(200));

  auto reason = [&] { return check_intent(in, ctx, cfg).reason; };
  EXPECT_EQ(reason(), deny_reason::invalid_order);
  in.qty = fx(100);
  EXPECT_EQ(reason(), deny_reason::trading_halted);
  ctx.state = {trading_state::reducing, "node reducing", deny_reason::reduce_only};
  EXPECT_EQ(reason(), deny_reason::duplicate_order);
  ctx.duplicate = false;
  EXPECT_EQ(reason(), deny_reason::reduce_only);
  ctx.state = {};
  EXPECT_EQ(reason(), deny_reason::no_market_data);
  ctx.last_price = fx(100);
  EXPECT_EQ(reason(), deny_reason::price_collar);
  in.limit_price = fx(101);
  EXPECT_EQ(reason(), deny_reason::max_notional);
  cfg.max_order_notional = fx(1'000'000);
  EXPECT_EQ(reason(), deny_reason::max_position);
  ctx.position = {};
  EXPECT_EQ(reason(), deny_reason::max_open_orders);
  ctx.open_orders = 0;
  EXPECT_EQ(reason(), deny_reason::rate_limited);
  ctx.approved_in_window = 0;
  EXPECT_EQ(reason(), deny_reason::none);
}

// Defect 1 of issue 11: qty × price computed in 128 bits and cast to int64 wrapped negative
// and passed max_order_notional and max_position_pct. Any amount that does not fit is now
// refused as invalid_order, whatever the limits are.
TEST(checks, an_order_whose_notional_overflows_is_invalid_not_approved) {
  auto cfg = cfg_default();
  cfg.max_order_notional = fx(5'000);
  cfg.max_position_pct = fx(30);
  auto huge = fx("92233720368.54775807"); // INT64_MAX raw units
  expect_denied(market("big", side::buy, huge), base_ctx(), deny_reason::invalid_order,
                "notional qty 92233720368.54775807 × price 100 does not fit: overflow", cfg);
  expect_denied(market("big-sell", side::sell, huge), base_ctx(), deny_reason::invalid_order,
                "notional qty 92233720368.54775807 × price 100 does not fit: overflow", cfg);
  expect_denied(limit("big-limit", side::buy, fx(1'000'000'000), fx(101)), base_ctx(),
                deny_reason::invalid_order,
                "notional qty 1000000000 × price 101 does not fit: overflow", cfg);
}

TEST(checks, an_exposure_that_overflows_is_invalid_whatever_the_side) {
  auto ctx = base_ctx();
  ctx.last_price = fx("0.00000001"); // notional stays tiny, so only the exposure overflows
  ctx.position = fx("92233720368");
  expect_denied(market("over", side::buy, fx(1)), ctx, deny_reason::invalid_order,
                "exposure 92233720368 + order 1 does not fit: overflow");
  ctx.position = fx("-92233720368");
  expect_denied(market("under", side::sell, fx(1)), ctx, deny_reason::invalid_order,
                "exposure -92233720368 + order -1 does not fit: overflow");
  ctx.position = fx("92233720368");
  ctx.open_net = fx("1");
  expect_denied(market("open", side::sell, fx(1)), ctx, deny_reason::invalid_order,
                "exposure (position 92233720368 + open orders 1) does not fit: overflow");
  ctx.open_net = fixed_result{fixed_error::overflow}; // open orders that already overflow
  expect_denied(market("open2", side::sell, fx(1)), ctx, deny_reason::invalid_order,
                "exposure (position 92233720368 + open orders overflow) does not fit: overflow");
}

TEST(checks, a_position_notional_that_overflows_is_invalid) {
  auto ctx = base_ctx();
  ctx.position = fx(922'337'204); // the order's notional fits, the whole position's does not
  auto cfg = cfg_default();
  cfg.max_order_notional = fx("92233720368");
  expect_denied(market("pos", side::buy, fx(1)), ctx, deny_reason::invalid_order,
                "position notional |922337205| × last 100 does not fit: overflow", cfg);
}
