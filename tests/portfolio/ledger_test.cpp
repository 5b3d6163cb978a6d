// Ledger: cash, positions, realized/unrealized PnL, equity identity, high-water mark, days.

#include "actors/portfolio/ledger.hpp"

#include <array>
#include <map>
#include <set>

#include <gtest/gtest.h>

namespace tradewind {
namespace {

fixed fx(const char* text) { return *fixed::parse(text); }

fill make_fill(const std::string& symbol, side s, fixed qty, fixed price, fixed fee,
               int64_t ts = 1000) {
  fill f;
  f.fill_id = "f";
  f.client_order_id = "o";
  f.strategy_id = "ma";
  f.symbol = symbol;
  f.order_side = s;
  f.qty = qty;
  f.price = price;
  f.fee = fee;
  f.ts_ms = ts;
  return f;
}

fill buy(const char* qty, const char* price, const char* fee) {
  return make_fill("BTCUSDT", side::buy, fx(qty), fx(price), fx(fee));
}

fill sell(const char* qty, const char* price, const char* fee) {
  return make_fill("BTCUSDT", side::sell, fx(qty), fx(price), fx(fee));
}

TEST(ledger, long_position_lifecycle_add_reduce_flip_close) {
  ledger l{fx("100000")};

  l.apply_fill(buy("2", "100", "0.2"));
  auto p = l.position("BTCUSDT", 0);
  EXPECT_EQ(l.cash(), fx("99799.8"));
  EXPECT_EQ(p.qty, fx("2"));
  EXPECT_EQ(p.avg_entry_price, fx("100"));
  EXPECT_EQ(p.last_price, fx("100")); // never marked: last fill price
  EXPECT_EQ(l.equity(), fx("99999.8"));

  l.mark("BTCUSDT", fx("110"), 1500);
  EXPECT_EQ(l.position("BTCUSDT", 0).unrealized_pnl, fx("20"));
  EXPECT_EQ(l.equity(), fx("100019.8"));

  l.apply_fill(buy("1", "130", "0.13")); // add: avg (200 + 130) / 3
  p = l.position("BTCUSDT", 0);
  EXPECT_EQ(l.cash(), fx("99669.67"));
  EXPECT_EQ(p.qty, fx("3"));
  EXPECT_EQ(p.avg_entry_price, fx("110"));
  EXPECT_EQ(p.last_price, fx("110")); // marked symbols keep the market price
  EXPECT_TRUE(p.unrealized_pnl.is_zero());

  l.apply_fill(sell("1", "120", "0.12")); // partial close
  p = l.position("BTCUSDT", 0);
  EXPECT_EQ(l.cash(), fx("99789.55"));
  EXPECT_EQ(p.qty, fx("2"));
  EXPECT_EQ(p.avg_entry_price, fx("110"));
  EXPECT_EQ(p.realized_pnl, fx("10"));

  l.apply_fill(sell("3", "100", "0.3")); // flip: close 2 at a loss, open 1 short at 100
  p = l.position("BTCUSDT", 0);
  EXPECT_EQ(l.cash(), fx("100089.25"));
  EXPECT_EQ(p.qty, fx("-1"));
  EXPECT_EQ(p.avg_entry_price, fx("100"));
  EXPECT_EQ(p.realized_pnl, fx("-10"));

  l.mark("BTCUSDT", fx("95"), 2000);
  p = l.position("BTCUSDT", 0);
  EXPECT_EQ(p.unrealized_pnl, fx("5"));
  EXPECT_EQ(l.equity(), fx("99994.25"));

  l.apply_fill(buy("1", "90", "0.09")); // close the short
  p = l.position("BTCUSDT", 0);
  EXPECT_TRUE(p.qty.is_zero());
  EXPECT_TRUE(p.avg_entry_price.is_zero());
  EXPECT_TRUE(p.unrealized_pnl.is_zero());
  EXPECT_EQ(p.realized_pnl, fx("0"));
  EXPECT_EQ(l.fees_paid(), fx("0.84"));
  EXPECT_EQ(l.cash(), fx("99999.16"));
  EXPECT_EQ(l.equity(), *(fx("100000") + p.realized_pnl - l.fees_paid()));
}

TEST(ledger, short_from_flat_and_add_to_short) {
  ledger l{fx("1000")};
  l.apply_fill(sell("2", "50", "0.1"));
  l.apply_fill(sell("1", "56", "0"));
  auto p = l.position("BTCUSDT", 0);
  EXPECT_EQ(p.qty, fx("-3"));
  EXPECT_EQ(p.avg_entry_price, fx("52"));
  EXPECT_EQ(l.cash(), fx("1155.9"));
  l.mark("BTCUSDT", fx("60"), 1);
  EXPECT_EQ(l.position("BTCUSDT", 0).unrealized_pnl, fx("-24"));
  EXPECT_EQ(l.equity(), fx("975.9"));
  l.apply_fill(buy("1", "40", "0")); // short profits when buying back lower
  EXPECT_EQ(l.position("BTCUSDT", 0).realized_pnl, fx("12"));
}

TEST(ledger, average_entry_is_rounded_once_per_fill) {
  ledger l{fx("1000")};
  l.apply_fill(buy("1", "100", "0"));
  l.apply_fill(buy("2", "100.00000001", "0"));
  // (100 + 200.00000002) / 3 = 100.0000000066… → 100.00000001
  EXPECT_EQ(l.position("BTCUSDT", 0).avg_entry_price, fx("100.00000001"));
}

TEST(ledger, snapshot_lists_every_symbol_and_open_orders) {
  ledger l{fx("100")};
  l.mark("ETHUSDT", fx("2000"), 1);
  l.apply_fill(make_fill("BTCUSDT", side::buy, fx("0.001"), fx("30000"), fx("0.03")));
  l.mark("BTCUSDT", fx("31000"), 2);

  order open;
  open.client_order_id = "o1";
  open.symbol = "BTCUSDT";
  open.status = order_status::accepted;
  l.apply_order(open);
  open.status = order_status::partially_filled;
  l.apply_order(open);
  order done = open;
  done.client_order_id = "o2";
  done.status = order_status::accepted;
  l.apply_order(done);
  done.status = order_status::filled;
  l.apply_order(done);

  auto s = l.snapshot(5000);
  EXPECT_EQ(s.ts_ms, 5000);
  EXPECT_EQ(s.cash, fx("69.97"));
  EXPECT_EQ(s.equity, fx("100.97"));
  EXPECT_EQ(s.unrealized_pnl, fx("1"));
  EXPECT_EQ(s.fees_paid, fx("0.03"));
  ASSERT_EQ(s.positions.size(), 2u);
  EXPECT_EQ(s.positions[0].symbol, "BTCUSDT");
  EXPECT_EQ(s.positions[0].qty, fx("0.001"));
  EXPECT_EQ(s.positions[0].ts_ms, 5000);
  EXPECT_EQ(s.positions[1].symbol, "ETHUSDT"); // flat, with its last price
  EXPECT_TRUE(s.positions[1].qty.is_zero());
  EXPECT_EQ(s.positions[1].last_price, fx("2000"));
  ASSERT_EQ(s.open_orders.size(), 1u);
  EXPECT_EQ(s.open_orders[0].client_order_id, "o1");
  EXPECT_EQ(s.open_orders[0].status, order_status::partially_filled);
}

TEST(ledger, snapshot_splits_each_symbol_position_by_strategy) {
  ledger l{fx("100000")};
  auto a = buy("2", "100", "0");
  a.strategy_id = "fast";
  auto b = sell("0.5", "100", "0");
  b.strategy_id = "slow";
  auto c = sell("2", "101", "0");
  c.strategy_id = "fast"; // flat again: no longer listed
  l.apply_fill(a);
  l.apply_fill(b);
  auto s = l.snapshot(1000);
  ASSERT_EQ(s.strategy_positions.size(), 2u);
  EXPECT_EQ(s.strategy_positions[0].strategy_id, "fast");
  EXPECT_EQ(s.strategy_positions[0].qty, fx("2"));
  EXPECT_EQ(s.strategy_positions[1].strategy_id, "slow");
  EXPECT_EQ(s.strategy_positions[1].qty, fx("-0.5"));
  l.apply_fill(c);
  s = l.snapshot(2000);
  ASSERT_EQ(s.strategy_positions.size(), 1u);
  EXPECT_EQ(s.strategy_positions[0].strategy_id, "slow");
  EXPECT_EQ(s.positions.at(0).qty, fx("-0.5")); // the symbol total is the sum of the shares
}

TEST(ledger, changed_positions_are_reported_once) {
  ledger l{fx("1000")};
  l.mark("ETHUSDT", fx("10"), 1);
  l.apply_fill(buy("1", "100", "0"));
  auto changed = l.take_changed_positions(7);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].symbol, "BTCUSDT");
  EXPECT_EQ(changed[0].ts_ms, 7);
  l.mark("BTCUSDT", fx("101"), 8); // a mark is not a position change
  EXPECT_TRUE(l.take_changed_positions(8).empty());
}

TEST(ledger, high_water_mark_and_drawdown) {
  ledger l{fx("100000")};
  l.apply_fill(buy("10", "100", "0"));
  l.mark("BTCUSDT", fx("100"), 1);
  auto s = l.snapshot(1);
  EXPECT_EQ(s.equity, fx("100000"));
  EXPECT_EQ(s.high_water_mark, fx("100000"));
  EXPECT_TRUE(s.drawdown_pct.is_zero());

  l.mark("BTCUSDT", fx("90"), 2);
  s = l.snapshot(2);
  EXPECT_EQ(s.equity, fx("99900"));
  EXPECT_EQ(s.high_water_mark, fx("100000"));
  EXPECT_EQ(s.drawdown_pct, fx("0.1"));

  l.mark("BTCUSDT", fx("120"), 3);
  s = l.snapshot(3);
  EXPECT_EQ(s.high_water_mark, fx("100200"));
  EXPECT_TRUE(s.drawdown_pct.is_zero());

  l.mark("BTCUSDT", fx("110"), 4);
  s = l.snapshot(4);
  EXPECT_EQ(s.high_water_mark, fx("100200"));
  EXPECT_EQ(s.drawdown_pct, fx("0.0998004")); // 100 × 100 / 100200 = 0.09980039920…
}

TEST(ledger, day_start_equity_resets_at_utc_midnight) {
  constexpr int64_t day = 86'400'000;
  const int64_t d0 = 19'358 * day; // 2023-01-01T00:00:00Z
  ledger l{fx("1000")};
  l.apply_fill(buy("1", "100", "0"));
  l.mark("BTCUSDT", fx("100"), d0);
  EXPECT_EQ(l.snapshot(d0).day_start_equity, fx("1000"));
  l.mark("BTCUSDT", fx("90"), d0 + day - 1);
  auto s = l.snapshot(d0 + day - 1);
  EXPECT_EQ(s.equity, fx("990"));
  EXPECT_EQ(s.day_start_equity, fx("1000"));
  l.mark("BTCUSDT", fx("95"), d0 + day);
  s = l.snapshot(d0 + day);
  EXPECT_EQ(s.day_start_equity, fx("995"));
  l.mark("BTCUSDT", fx("80"), d0 + day + 60'000);
  EXPECT_EQ(l.snapshot(d0 + day + 60'000).day_start_equity, fx("995"));
}

/// Deterministic pseudo-random numbers for the invariant test.
struct lcg {
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  uint64_t next(uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  }
};

TEST(ledger, invariants_hold_over_random_fills_and_marks) {
  const std::array<std::string, 3> symbols{"AUSDT", "BUSDT", "CUSDT"};
  const auto initial = fx("50000");
  ledger l{initial};
  lcg rng;
  std::map<std::string, fixed> net_qty;
  std::map<std::string, fixed> last;
  std::set<std::string> marked;
  fixed expected_cash = initial;
  fixed expected_fees;
  for (int step = 0; step < 2000; ++step) {
    const auto& symbol = symbols[rng.next(symbols.size())];
    const auto price = fixed::from_raw(static_cast<int64_t>(1 + rng.next(500'000'000'000)));
    if (rng.next(3) == 0) {
      l.mark(symbol, price, step);
      last[symbol] = price;
      marked.insert(symbol);
    } else {
      const bool is_buy = rng.next(2) == 0;
      const auto qty = fixed::from_raw(static_cast<int64_t>(1 + rng.next(300'000'000)));
      const auto fee = *(price * qty).bps(10);
      ASSERT_FALSE(l.apply_fill(make_fill(symbol, is_buy ? side::buy : side::sell, qty, price, fee, step)));
      net_qty[symbol] = *(net_qty[symbol] + (is_buy ? qty : *(-qty)));
      expected_cash = *(expected_cash + (is_buy ? -(price * qty) - fee : price * qty - fee));
      expected_fees = *(expected_fees + fee);
      if (!marked.count(symbol)) // unmarked symbols are valued at their last fill price
        last[symbol] = price;
    }
    auto s = l.snapshot(step);
    fixed marked_value;
    fixed realized;
    for (const auto& p : s.positions) {
      ASSERT_EQ(p.qty, net_qty[p.symbol]) << "position = sum of signed fills, step " << step;
      ASSERT_EQ(p.last_price, last[p.symbol]);
      marked_value = *(marked_value + p.qty * p.last_price);
      realized = *(realized + p.realized_pnl);
    }
    ASSERT_EQ(s.cash, expected_cash);
    ASSERT_EQ(s.fees_paid, expected_fees);
    ASSERT_EQ(s.equity, *(s.cash + marked_value)) << "equity identity, step " << step;
    ASSERT_EQ(s.realized_pnl, realized);
  }
}

// Issue 11: a fill or mark that would leave an amount outside fixed's range is refused and
// leaves the books exactly as they were (no wrapped cash or position).
TEST(ledger, a_fill_whose_cash_overflows_is_refused_and_changes_nothing) {
  ledger l{fx("100000")};
  ASSERT_FALSE(l.apply_fill(buy("1", "100", "0.1")));
  auto before = l.snapshot(2000);
  auto why = l.apply_fill(make_fill("BTCUSDT", side::buy, fx("92233720368.54775807"), fx("100"),
                                    fx("0"), 3000));
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("does not fit"), std::string::npos) << *why;
  auto after = l.snapshot(4000);
  EXPECT_EQ(after.cash, before.cash);
  EXPECT_EQ(after.equity, before.equity);
  EXPECT_EQ(after.fees_paid, before.fees_paid);
  ASSERT_EQ(after.positions.size(), 1u);
  EXPECT_EQ(after.positions[0].qty, fx("1"));
  EXPECT_EQ(after.positions[0].avg_entry_price, fx("100"));
  ASSERT_EQ(after.strategy_positions.size(), 1u);
  EXPECT_EQ(after.strategy_positions[0].qty, fx("1"));
  auto changed = l.take_changed_positions(4000); // the first fill's change only
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].qty, fx("1"));
}

TEST(ledger, a_fill_of_a_new_symbol_that_does_not_fit_leaves_no_trace) {
  ledger l{fx("1000000")};
  // The notional fits, but the cash it adds to does not.
  auto why = l.apply_fill(make_fill("ETHUSDT", side::sell, fx("1000000000"), fx("92.2337"), fx("0")));
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("cash overflow"), std::string::npos) << *why;
  auto s = l.snapshot(1000);
  EXPECT_EQ(s.cash, fx("1000000"));
  EXPECT_TRUE(s.positions.empty());
  EXPECT_TRUE(s.strategy_positions.empty());
  EXPECT_TRUE(l.take_changed_positions(1000).empty());
}

TEST(ledger, a_mark_that_would_overflow_equity_is_refused_and_keeps_the_last_price) {
  ledger l{fx("100000")};
  ASSERT_FALSE(l.apply_fill(buy("10", "100", "0")));
  ASSERT_FALSE(l.mark("BTCUSDT", fx("110"), 1500));
  auto why = l.mark("BTCUSDT", fx("92233720368"), 1600); // 10 × 92 bn does not fit
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("mark BTCUSDT at 92233720368"), std::string::npos) << *why;
  auto s = l.snapshot(2000);
  EXPECT_EQ(s.positions.at(0).last_price, fx("110"));
  EXPECT_EQ(s.equity, fx("100100")); // 99 000 cash + 10 × 110
  EXPECT_FALSE(l.mark("NEWUSDT", fx("92233720368"), 1700)); // no position: nothing to value
}

TEST(ledger, a_mark_whose_drawdown_cannot_be_expressed_is_refused) {
  ledger l{fx("1")};
  l.snapshot(0); // high-water mark 1
  ASSERT_FALSE(l.apply_fill(make_fill("BTCUSDT", side::sell, fx("1"), fx("1"), fx("0"))));
  // Equity would be 2 - 1e9: a drawdown of ~1e11 % from a high-water mark of 1.
  auto why = l.mark("BTCUSDT", fx("1000000000"), 10);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("drawdown_pct"), std::string::npos) << *why;
  EXPECT_EQ(l.snapshot(20).equity, fx("1")); // 2 cash - 1 × 1 (the fill price)
}

} // namespace
} // namespace tradewind
