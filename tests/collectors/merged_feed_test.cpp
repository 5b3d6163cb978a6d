// Unit tests of the k-way merge: order across feeds, watermark placement, end of stream,
// determinism and error aggregation.

#include "actors/collectors/merged_feed.hpp"

#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actors/collectors/csv_source.hpp"

namespace tradewind {
namespace {

std::vector<std::string> drain(merged_feed& feed) {
  std::vector<std::string> out;
  while (auto item = feed.next())
    out.push_back(to_string(*item));
  return out;
}

/// A source that yields fixed trade times (possibly out of order, to test the guard).
class scripted_source final : public event_source {
public:
  explicit scripted_source(std::vector<int64_t> times) : times_(std::move(times)) {}
  std::optional<market_event> next() override {
    if (i_ >= times_.size())
      return std::nullopt;
    trade_tick t;
    t.symbol = "S";
    t.ts_ms = times_[i_];
    t.trade_id = static_cast<int64_t>(++i_);
    t.price = fixed::from_int<1>();
    t.qty = fixed::from_int<1>();
    return market_event{t};
  }

private:
  std::vector<int64_t> times_;
  size_t i_ = 0;
};

std::unique_ptr<event_source> candles(const std::string& symbol, const std::string& text) {
  return csv_source::from_string(text, symbol + ".csv", symbol, feed_format::candles);
}

std::unique_ptr<event_source> trades(const std::string& symbol, const std::string& text) {
  return csv_source::from_string(text, symbol + ".csv", symbol, feed_format::trades);
}

TEST(merged_feed, orders_by_time_then_feed_index_with_watermarks) {
  std::vector<std::unique_ptr<event_source>> sources;
  sources.push_back(candles("AAA", "1000,10,11,9,10,1\n2000,10,12,10,11,2\n3000,11,11,10,10,3\n"));
  sources.push_back(trades("BBB", "1000,1,buy,5,1\n1000,2,sell,5.1,2\n2500,3,buy,5.2,3\n"
                                  "3000,4,sell,5.3,4\n"));
  merged_feed feed{std::move(sources)};
  const std::vector<std::string> expected{
    "bar AAA t=1000 i=1000 o=10 h=11 l=9 c=10 v=1",
    "trade BBB t=1000 id=1 buy p=5 q=1",
    "trade BBB t=1000 id=2 sell p=5.1 q=2",
    "watermark market t=1000",
    "bar AAA t=2000 i=1000 o=10 h=12 l=10 c=11 v=2",
    "watermark market t=2000",
    "trade BBB t=2500 id=3 buy p=5.2 q=3",
    "watermark market t=2500",
    "bar AAA t=3000 i=1000 o=11 h=11 l=10 c=10 v=3",
    "trade BBB t=3000 id=4 sell p=5.3 q=4",
    "watermark market t=3000 eos",
  };
  EXPECT_EQ(drain(feed), expected);
  EXPECT_TRUE(feed.finished());
  EXPECT_EQ(feed.events(), 7u);
  EXPECT_FALSE(feed.next().has_value()); // stays ended
}

TEST(merged_feed, equal_times_follow_feed_index_not_arrival) {
  // On equal times the lower feed index goes first, whatever order the items were read in.
  std::vector<std::unique_ptr<event_source>> sources;
  sources.push_back(std::make_unique<scripted_source>(std::vector<int64_t>{5, 7}));
  sources.push_back(std::make_unique<scripted_source>(std::vector<int64_t>{3, 5, 5}));
  merged_feed feed{std::move(sources)};
  std::vector<std::string> got = drain(feed);
  const std::vector<std::string> expected{
    "trade S t=3 id=1 buy p=1 q=1", // feed 1
    "watermark market t=3",
    "trade S t=5 id=1 buy p=1 q=1", // feed 0 first on a tie
    "trade S t=5 id=2 buy p=1 q=1", // then feed 1, in its own order
    "trade S t=5 id=3 buy p=1 q=1",
    "watermark market t=5",
    "trade S t=7 id=2 buy p=1 q=1",
    "watermark market t=7 eos",
  };
  EXPECT_EQ(got, expected);
}

TEST(merged_feed, empty_input_yields_only_end_of_stream) {
  merged_feed none{{}};
  EXPECT_EQ(drain(none), std::vector<std::string>{"watermark market t=0 eos"});
  std::vector<std::unique_ptr<event_source>> sources;
  sources.push_back(candles("AAA", "open_time_ms,open,high,low,close,volume\n"));
  merged_feed header_only{std::move(sources)};
  auto item = header_only.next();
  ASSERT_TRUE(item.has_value());
  const auto& w = std::get<watermark>(*item);
  EXPECT_EQ(w.source, "market");
  EXPECT_EQ(w.ts_ms, 0);
  EXPECT_TRUE(w.end_of_stream);
  EXPECT_FALSE(header_only.next().has_value());
}

TEST(merged_feed, drops_events_that_go_back_in_time) {
  std::vector<std::unique_ptr<event_source>> sources;
  sources.push_back(std::make_unique<scripted_source>(std::vector<int64_t>{5, 3, 5, 6}));
  merged_feed feed{std::move(sources)};
  const std::vector<std::string> expected{
    "trade S t=5 id=1 buy p=1 q=1",
    "trade S t=5 id=3 buy p=1 q=1",
    "watermark market t=5",
    "trade S t=6 id=4 buy p=1 q=1",
    "watermark market t=6 eos",
  };
  EXPECT_EQ(drain(feed), expected);
  EXPECT_EQ(feed.out_of_order_dropped(), 1u);
}

TEST(merged_feed, aggregates_errors_in_source_order) {
  std::vector<std::unique_ptr<event_source>> sources;
  sources.push_back(candles("AAA", "1000,10,11,9,10,1\n2000,bad,11,9,10,1\n"));
  sources.push_back(trades("BBB", "1000,1,buy,5\n"));
  merged_feed feed{std::move(sources)};
  drain(feed);
  EXPECT_EQ(feed.rows_skipped(), 2u);
  auto errors = feed.drain_errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].to_string(), R"(AAA.csv:2: column 'open': "bad" is not a decimal)");
  EXPECT_EQ(errors[1].to_string(), "BBB.csv:1: expected 5 columns, found 4");
  EXPECT_TRUE(feed.drain_errors().empty());
}

/// Checks the stream contract on any item sequence: times never go back, every watermark T
/// comes after all events <= T and before all events > T, and the last item is the only eos.
void expect_stream_contract(const std::vector<market_item>& items) {
  ASSERT_FALSE(items.empty());
  int64_t last_event = std::numeric_limits<int64_t>::min();
  int64_t last_watermark = std::numeric_limits<int64_t>::min();
  for (size_t i = 0; i < items.size(); ++i) {
    const int64_t t = item_time(items[i]);
    if (auto* w = std::get_if<watermark>(&items[i])) {
      EXPECT_EQ(w->end_of_stream, i + 1 == items.size()) << i;
      EXPECT_EQ(t, last_event) << "a watermark closes exactly the last event time, item " << i;
      last_watermark = t;
    } else {
      EXPECT_GE(t, last_event) << i;
      EXPECT_GT(t, last_watermark) << "event after its watermark, item " << i;
      if (i > 0 && t > last_event && last_event != std::numeric_limits<int64_t>::min()) {
        EXPECT_TRUE(std::holds_alternative<watermark>(items[i - 1])) << "missing watermark " << i;
      }
      last_event = t;
    }
  }
  EXPECT_TRUE(std::get<watermark>(items.back()).end_of_stream);
}

TEST(merged_feed, project_samples_merge_deterministically) {
  collector_config cfg;
  cfg.feeds = {{"ETHUSDT", std::string{TW_SOURCE_DIR} + "/data/sample-ethusdt-trades.csv",
                feed_format::trades},
               {"BTCUSDT", std::string{TW_SOURCE_DIR} + "/data/sample-btcusdt-5m.csv",
                feed_format::candles}};
  auto run = [&] {
    auto feed = make_market_feed(cfg);
    std::vector<market_item> items;
    while (auto item = feed.next())
      items.push_back(std::move(*item));
    EXPECT_EQ(feed.events(), 2300u);
    EXPECT_EQ(feed.rows_skipped(), 0u);
    return items;
  };
  auto a = run();
  auto b = run();
  expect_stream_contract(a);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    ASSERT_EQ(to_string(a[i]), to_string(b[i])) << i;
  // The BTC bars (January) all come before the ETH trades (February 2).
  EXPECT_EQ(to_string(a.front()),
            "bar BTCUSDT t=1672677900000 i=300000 o=16727.3 h=16728.8 l=16726 c=16726.1 v=691.508");
  EXPECT_EQ(to_string(a.back()), "watermark market t=1675329671672 eos");
  // 2000 bars at 2000 distinct times, 300 trades at 247 distinct times: one watermark each
  // (the last one is the end-of-stream watermark).
  size_t watermarks = 0;
  for (auto& x : a)
    watermarks += std::holds_alternative<watermark>(x);
  EXPECT_EQ(watermarks, 2247u);
  EXPECT_EQ(a.size(), 2300u + 2247u);
}

TEST(merged_feed, synthetic_mode_interleaves_symbols_by_index) {
  collector_config cfg;
  cfg.mode = "synthetic";
  cfg.synthetic.symbols = {"AAAUSDT", "BBBUSDT"};
  cfg.synthetic.bars = 3;
  cfg.synthetic.interval_ms = 60'000;
  cfg.synthetic.start_time_ms = 0;
  auto feed = make_market_feed(cfg);
  std::vector<std::string> kinds;
  while (auto item = feed.next()) {
    if (auto* b = std::get_if<bar>(&*item))
      kinds.push_back(b->symbol + "@" + std::to_string(b->open_time_ms));
    else
      kinds.push_back("wm@" + std::to_string(item_time(*item)));
  }
  const std::vector<std::string> expected{"AAAUSDT@0",      "BBBUSDT@0",      "wm@0",
                                          "AAAUSDT@60000",  "BBBUSDT@60000",  "wm@60000",
                                          "AAAUSDT@120000", "BBBUSDT@120000", "wm@120000"};
  EXPECT_EQ(kinds, expected);
}

} // namespace
} // namespace tradewind
