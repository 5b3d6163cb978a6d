#include <gtest/gtest.h>

#include "actors/core/run_summary.hpp"

using namespace tradewind;

TEST(run_summary, tallies_and_renders_one_screen) {
  run_summary s;
  bar b;
  b.open_time_ms = 1'672'531'200'000;
  s.on(b);
  b.open_time_ms = 1'672'531'500'000;
  s.on(b);
  s.on(tradewind::signal{});
  risk_decision denied;
  denied.reason = deny_reason::max_notional;
  s.on(denied);
  risk_decision ok;
  ok.approved = true;
  s.on(ok);
  order o;
  o.client_order_id = "a";
  o.status = order_status::accepted;
  s.on(o);
  o.status = order_status::filled;
  s.on(o);
  fill f;
  f.price = fixed::from_int<100>();
  f.qty = fixed::from_int<2>();
  f.fee = *fixed::parse("0.2");
  s.on(f);
  account_snapshot a;
  a.equity = fixed::from_int<1000>();
  s.on(a);
  a.equity = fixed::from_int<1100>();
  a.drawdown_pct = *fixed::parse("2.5");
  s.on(a);
  s.complete = true;

  EXPECT_EQ(s.ticks, 2u);
  EXPECT_EQ(s.orders_by_status().at("filled"), 1u);
  EXPECT_EQ(s.return_pct().value().to_string(), "10");
  auto text = format_summary(s, "sqlite:x.db");
  EXPECT_NE(text.find("(complete)"), std::string::npos);
  EXPECT_NE(text.find("period         2023-01-01 00:00 → 2023-01-01 00:05 UTC"), std::string::npos);
  EXPECT_NE(text.find("risk decisions 2 (denied 1)"), std::string::npos);
  EXPECT_NE(text.find("  denied max_notional: 1"), std::string::npos);
  EXPECT_NE(text.find("  filled: 1"), std::string::npos);
  EXPECT_NE(text.find("fills          1 (notional 200, fees 0.2)"), std::string::npos);
  EXPECT_NE(text.find("equity         1000 → 1100"), std::string::npos);
  EXPECT_NE(text.find("max drawdown   2.5 %"), std::string::npos);
  EXPECT_NE(text.find("store          sqlite:x.db"), std::string::npos);
}

TEST(run_summary, a_tally_that_overflows_prints_overflow_not_a_wrapped_number) {
  run_summary s;
  fill f;
  f.price = fixed::from_int<92'233'720'368>();
  f.qty = fixed::from_int<1>();
  s.on(f);
  s.on(f); // the second notional does not fit the running sum
  fill small;
  small.price = fixed::from_int<1>();
  small.qty = fixed::from_int<1>();
  s.on(small); // an error stays an error
  EXPECT_FALSE(s.fill_notional);
  EXPECT_NE(format_summary(s, "x").find("fills          3 (notional overflow, fees 0)"),
            std::string::npos)
    << format_summary(s, "x");
}
