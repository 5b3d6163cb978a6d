// Order book: order state machine and paper fill model, with exact fixed-point values.

#include "actors/executors/order_book.hpp"

#include <gtest/gtest.h>

namespace tradewind {
namespace {

fixed fx(const char* text) { return *fixed::parse(text); }

executor_config make_cfg(int64_t fee_bps = 10, int64_t slippage_bps = 5,
                         const char* participation = "100") {
  executor_config cfg;
  cfg.fee_bps = fee_bps;
  cfg.slippage_bps = slippage_bps;
  cfg.max_participation_pct = fx(participation);
  return cfg;
}

order_intent market_intent(const std::string& cid, side s, const char* qty, int64_t ts = 1000,
                           const std::string& symbol = "BTCUSDT") {
  order_intent in;
  in.client_order_id = cid;
  in.strategy_id = "ma";
  in.symbol = symbol;
  in.order_side = s;
  in.type = order_type::market;
  in.qty = fx(qty);
  in.ts_ms = ts;
  return in;
}

order_intent limit_intent(const std::string& cid, side s, const char* qty, const char* limit,
                          int64_t ts = 1000) {
  auto in = market_intent(cid, s, qty, ts);
  in.type = order_type::limit;
  in.limit_price = fx(limit);
  return in;
}

market_event bar_at(int64_t ts, const char* o, const char* h, const char* l, const char* c,
                    const char* v, const std::string& symbol = "BTCUSDT") {
  bar b{symbol, ts, 60'000, fx(o), fx(h), fx(l), fx(c), fx(v)};
  return to_market_event(b);
}

const order& order_at(const std::vector<execution_event>& evs, size_t i) {
  return std::get<order>(evs.at(i));
}

const fill& fill_at(const std::vector<execution_event>& evs, size_t i) {
  return std::get<fill>(evs.at(i));
}

// --- accept / reject / duplicates -------------------------------------------------------

TEST(order_book, accept_publishes_one_accepted_update) {
  order_book book{make_cfg()};
  auto evs = book.accept(market_intent("ma-BTCUSDT-1", side::buy, "2"), 1000);
  ASSERT_EQ(evs.size(), 1u);
  const auto& o = order_at(evs, 0);
  EXPECT_EQ(o.client_order_id, "ma-BTCUSDT-1");
  EXPECT_EQ(o.strategy_id, "ma");
  EXPECT_EQ(o.symbol, "BTCUSDT");
  EXPECT_EQ(o.status, order_status::accepted);
  EXPECT_EQ(o.qty, fx("2"));
  EXPECT_TRUE(o.filled_qty.is_zero());
  EXPECT_EQ(o.created_ts_ms, 1000);
  EXPECT_EQ(o.updated_ts_ms, 1000);
  EXPECT_EQ(book.working_count(), 1u);
  ASSERT_NE(book.find_working("ma-BTCUSDT-1"), nullptr);
}

TEST(order_book, duplicate_intent_is_ignored_in_any_state) {
  order_book book{make_cfg()};
  auto in = market_intent("a", side::buy, "1");
  ASSERT_EQ(book.accept(in, 1000).size(), 1u);
  EXPECT_TRUE(book.accept(in, 1000).empty());
  EXPECT_EQ(book.working_count(), 1u);

  // Still ignored once the order is terminal (filled)...
  ASSERT_EQ(book.on_market(bar_at(2000, "100", "100", "100", "100", "10")).size(), 2u);
  EXPECT_EQ(book.working_count(), 0u);
  EXPECT_TRUE(book.accept(in, 3000).empty());
  EXPECT_EQ(book.working_count(), 0u);

  // ...and after a rejection.
  auto bad = market_intent("b", side::buy, "0");
  ASSERT_EQ(book.accept(bad, 1000).size(), 1u);
  bad.qty = fx("1");
  EXPECT_TRUE(book.accept(bad, 1000).empty());
  EXPECT_EQ(book.working_count(), 0u);
}

TEST(order_book, rejects_non_positive_qty) {
  order_book book{make_cfg()};
  auto evs = book.accept(market_intent("z", side::buy, "0"), 1000);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(order_at(evs, 0).status, order_status::rejected);
  EXPECT_EQ(order_at(evs, 0).reject_reason, "qty must be positive, got 0");

  evs = book.accept(market_intent("n", side::sell, "-1.5"), 1000);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(order_at(evs, 0).reject_reason, "qty must be positive, got -1.5");
  EXPECT_EQ(book.working_count(), 0u);
}

TEST(order_book, rejects_limit_without_price) {
  order_book book{make_cfg()};
  auto evs = book.accept(limit_intent("l", side::buy, "1", "0"), 1000);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(order_at(evs, 0).status, order_status::rejected);
  EXPECT_EQ(order_at(evs, 0).reject_reason, "limit order needs a positive limit_price, got 0");
  EXPECT_EQ(book.working_count(), 0u);
}

TEST(order_book, rejects_missing_symbol) {
  order_book book{make_cfg()};
  auto evs = book.accept(market_intent("s", side::buy, "1", 1000, ""), 1000);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(order_at(evs, 0).reject_reason, "missing symbol");
}

// --- market orders ----------------------------------------------------------------------

TEST(order_book, market_buy_pays_open_plus_slippage_and_fee) {
  order_book book{make_cfg(10, 5)};
  book.accept(market_intent("buy-1", side::buy, "2"), 1000);
  auto evs = book.on_market(bar_at(2000, "100", "110", "90", "105", "10"));
  ASSERT_EQ(evs.size(), 2u);
  const auto& f = fill_at(evs, 0);
  EXPECT_EQ(f.fill_id, "buy-1-1");
  EXPECT_EQ(f.client_order_id, "buy-1");
  EXPECT_EQ(f.strategy_id, "ma");
  EXPECT_EQ(f.symbol, "BTCUSDT");
  EXPECT_EQ(f.order_side, side::buy);
  EXPECT_EQ(f.price, fx("100.05"));  // 100 × (1 + 5/10000)
  EXPECT_EQ(f.qty, fx("2"));
  EXPECT_EQ(f.fee, fx("0.2001"));    // 200.1 × 10/10000
  EXPECT_EQ(f.ts_ms, 2000);
  const auto& o = order_at(evs, 1);
  EXPECT_EQ(o.status, order_status::filled);
  EXPECT_EQ(o.filled_qty, fx("2"));
  EXPECT_EQ(o.avg_fill_price, fx("100.05"));
  EXPECT_EQ(o.created_ts_ms, 1000);
  EXPECT_EQ(o.updated_ts_ms, 2000);
  EXPECT_EQ(book.working_count(), 0u);
}

TEST(order_book, market_sell_receives_open_minus_slippage) {
  order_book book{make_cfg(10, 5)};
  book.accept(market_intent("sell-1", side::sell, "1"), 1000);
  auto evs = book.on_market(bar_at(2000, "100", "110", "90", "105", "10"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).price, fx("99.95"));
  EXPECT_EQ(fill_at(evs, 0).fee, fx("0.09995"));
  EXPECT_EQ(order_at(evs, 1).status, order_status::filled);
}

TEST(order_book, prices_and_fees_round_half_away_to_8_digits) {
  order_book book{make_cfg(10, 5)};
  book.accept(market_intent("r", side::buy, "0.001"), 1000);
  auto evs = book.on_market(bar_at(2000, "12345.67891234", "12400", "12300", "12350", "5"));
  ASSERT_EQ(evs.size(), 2u);
  // slippage 6.172839456 → 6.17283946; notional 12.3518517518 → 12.35185175
  EXPECT_EQ(fill_at(evs, 0).price, fx("12351.8517518"));
  EXPECT_EQ(fill_at(evs, 0).fee, fx("0.01235185"));
}

TEST(order_book, trade_tick_fills_at_its_price_capped_by_its_qty) {
  order_book book{make_cfg(10, 0)};
  book.accept(market_intent("t", side::buy, "3"), 1000);
  trade_tick tick{"BTCUSDT", 1001, 7, side::sell, fx("50"), fx("1.25")};
  auto evs = book.on_market(to_market_event(tick));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).price, fx("50"));
  EXPECT_EQ(fill_at(evs, 0).qty, fx("1.25"));
  EXPECT_EQ(fill_at(evs, 0).ts_ms, 1001);
  EXPECT_EQ(order_at(evs, 1).status, order_status::partially_filled);
}

TEST(order_book, never_fills_on_same_time_or_earlier_event) {
  order_book book{make_cfg()};
  book.accept(market_intent("late", side::buy, "1", 2000), 2000);
  EXPECT_TRUE(book.on_market(bar_at(1000, "100", "100", "100", "100", "10")).empty());
  EXPECT_TRUE(book.on_market(bar_at(2000, "100", "100", "100", "100", "10")).empty());
  EXPECT_EQ(book.find_working("late")->status, order_status::accepted);
  auto evs = book.on_market(bar_at(2001, "100", "100", "100", "100", "10"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).ts_ms, 2001);
}

TEST(order_book, other_symbol_does_not_fill) {
  order_book book{make_cfg()};
  book.accept(market_intent("x", side::buy, "1"), 1000);
  EXPECT_TRUE(book.on_market(bar_at(2000, "10", "10", "10", "10", "10", "ETHUSDT")).empty());
  EXPECT_EQ(book.working_count(), 1u);
}

TEST(order_book, orders_fill_in_acceptance_order) {
  order_book book{make_cfg(0, 0)};
  book.accept(market_intent("second-by-name", side::buy, "1"), 1000);
  book.accept(market_intent("a-first-by-name", side::sell, "1"), 1000);
  auto evs = book.on_market(bar_at(2000, "100", "100", "100", "100", "10"));
  ASSERT_EQ(evs.size(), 4u);
  EXPECT_EQ(fill_at(evs, 0).client_order_id, "second-by-name");
  EXPECT_EQ(order_at(evs, 1).client_order_id, "second-by-name");
  EXPECT_EQ(fill_at(evs, 2).client_order_id, "a-first-by-name");
  EXPECT_EQ(order_at(evs, 3).client_order_id, "a-first-by-name");
}

// --- limit orders -----------------------------------------------------------------------

TEST(order_book, limit_buy_fills_only_when_low_reaches_limit) {
  order_book book{make_cfg(10, 5)};
  book.accept(limit_intent("lb", side::buy, "1", "95"), 1000);
  EXPECT_TRUE(book.on_market(bar_at(2000, "100", "101", "95.00000001", "100", "10")).empty());
  auto evs = book.on_market(bar_at(3000, "100", "101", "94", "96", "10"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).price, fx("95")); // min(open, limit), no slippage
  EXPECT_EQ(fill_at(evs, 0).fee, fx("0.095"));
}

TEST(order_book, limit_buy_gap_down_fills_at_open) {
  order_book book{make_cfg(10, 5)};
  book.accept(limit_intent("lb", side::buy, "1", "95"), 1000);
  auto evs = book.on_market(bar_at(2000, "93", "94", "92", "93.5", "10"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).price, fx("93"));
}

TEST(order_book, limit_sell_fills_only_when_high_reaches_limit) {
  order_book book{make_cfg(10, 5)};
  book.accept(limit_intent("ls", side::sell, "1", "105"), 1000);
  EXPECT_TRUE(book.on_market(bar_at(2000, "100", "104.99999999", "99", "100", "10")).empty());
  auto evs = book.on_market(bar_at(3000, "100", "106", "99", "105", "10"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).price, fx("105")); // max(open, limit)
  book.accept(limit_intent("ls2", side::sell, "1", "105"), 3000);
  evs = book.on_market(bar_at(4000, "107", "108", "106", "107", "10"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).price, fx("107")); // gap up: the open is better
}

// --- partial fills ----------------------------------------------------------------------

TEST(order_book, participation_cap_splits_fills_over_bars) {
  order_book book{make_cfg(0, 0, "10")};
  book.accept(market_intent("p", side::buy, "3"), 1000);

  auto evs = book.on_market(bar_at(2000, "100", "100", "100", "100", "10"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).fill_id, "p-1");
  EXPECT_EQ(fill_at(evs, 0).qty, fx("1"));
  EXPECT_EQ(order_at(evs, 1).status, order_status::partially_filled);
  EXPECT_EQ(order_at(evs, 1).filled_qty, fx("1"));

  evs = book.on_market(bar_at(3000, "100", "100", "100", "100", "10"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).fill_id, "p-2");
  EXPECT_EQ(order_at(evs, 1).status, order_status::partially_filled);

  evs = book.on_market(bar_at(4000, "101", "101", "101", "101", "20")); // cap 2, remaining 1
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).fill_id, "p-3");
  EXPECT_EQ(fill_at(evs, 0).qty, fx("1"));
  const auto& o = order_at(evs, 1);
  EXPECT_EQ(o.status, order_status::filled);
  EXPECT_EQ(o.filled_qty, fx("3"));
  EXPECT_EQ(o.avg_fill_price, fx("100.33333333")); // 301 / 3, rounded once
  EXPECT_EQ(book.working_count(), 0u);
}

TEST(order_book, participation_cap_rounds_down_and_zero_cap_means_no_fill) {
  order_book book{make_cfg(0, 0, "10")};
  book.accept(market_intent("tiny", side::buy, "1"), 1000);
  // 0.00000005 × 10 % = 0.000000005 → 0: no fill, no update.
  EXPECT_TRUE(book.on_market(bar_at(2000, "100", "100", "100", "100", "0.00000005")).empty());
  EXPECT_TRUE(book.on_market(bar_at(2500, "100", "100", "100", "100", "0")).empty());
  // 0.00000019 × 10 % = 0.000000019 → 0.00000001 (down, not half-up).
  auto evs = book.on_market(bar_at(3000, "100", "100", "100", "100", "0.00000019"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(fill_at(evs, 0).qty, fx("0.00000001"));
}

// --- cancel -----------------------------------------------------------------------------

TEST(order_book, cancel_one_then_all) {
  order_book book{make_cfg()};
  book.accept(market_intent("a", side::buy, "1"), 1000);
  book.accept(limit_intent("b", side::buy, "1", "90"), 1000);
  book.accept(limit_intent("c", side::sell, "1", "110"), 1000);

  auto evs = book.cancel("b", 1500);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(order_at(evs, 0).client_order_id, "b");
  EXPECT_EQ(order_at(evs, 0).status, order_status::cancelled);
  EXPECT_EQ(order_at(evs, 0).updated_ts_ms, 1500);
  EXPECT_EQ(book.working_count(), 2u);
  EXPECT_TRUE(book.cancel("b", 1600).empty());
  EXPECT_TRUE(book.cancel("unknown", 1600).empty());

  evs = book.cancel("", 1700);
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(order_at(evs, 0).client_order_id, "a");
  EXPECT_EQ(order_at(evs, 1).client_order_id, "c");
  EXPECT_EQ(order_at(evs, 1).status, order_status::cancelled);
  EXPECT_EQ(book.working_count(), 0u);
  EXPECT_TRUE(book.on_market(bar_at(2000, "100", "200", "50", "100", "10")).empty());
}

TEST(order_book, cancel_keeps_partial_fill_and_skips_filled_orders) {
  order_book book{make_cfg(0, 0, "10")};
  book.accept(market_intent("part", side::buy, "2"), 1000);
  book.accept(market_intent("full", side::buy, "0.5"), 1000);
  book.on_market(bar_at(2000, "100", "100", "100", "100", "10"));
  auto evs = book.cancel("", 2500);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(order_at(evs, 0).client_order_id, "part");
  EXPECT_EQ(order_at(evs, 0).status, order_status::cancelled);
  EXPECT_EQ(order_at(evs, 0).filled_qty, fx("1"));
}

// Issue 11: a fill whose notional or fee does not fit is never made; the order ends rejected
// with the reason (the executor alerts on it) instead of booking a wrapped amount.
TEST(order_book, a_limit_order_whose_notional_does_not_fit_is_rejected_at_accept) {
  order_book book{make_cfg()};
  auto evs = book.accept(limit_intent("big", side::buy, "1000000000", "1000"), 1000);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(order_at(evs, 0).status, order_status::rejected);
  EXPECT_EQ(order_at(evs, 0).reject_reason,
            "notional qty 1000000000 × limit_price 1000 (or its fee) does not fit: overflow");
  EXPECT_EQ(book.working_count(), 0u);
}

TEST(order_book, a_fill_whose_notional_does_not_fit_rejects_the_order_without_a_fill) {
  order_book book{make_cfg()};
  book.accept(market_intent("big", side::buy, "1000000000"), 1000);
  auto evs = book.on_market(bar_at(2000, "100", "101", "99", "100", "92233720368"));
  ASSERT_EQ(evs.size(), 1u); // the order update only: no fill
  const auto& o = order_at(evs, 0);
  EXPECT_EQ(o.status, order_status::rejected);
  EXPECT_EQ(o.filled_qty, fixed{});
  EXPECT_EQ(o.reject_reason, "fill of 1000000000 at 100.05 does not fit (notional overflow, fee "
                             "overflow, average price 100.05)");
  EXPECT_EQ(book.working_count(), 0u);
}

} // namespace
} // namespace tradewind
