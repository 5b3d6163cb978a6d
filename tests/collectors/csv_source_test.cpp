// Unit tests of the CSV replay parser: both formats on real rows, header detection, every
// kind of malformed row with its exact message, and robustness on hostile input.

#include "actors/collectors/csv_source.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tradewind {
namespace {

/// Every event of `src`, in order.
std::vector<market_event> read_all(event_source& src) {
  std::vector<market_event> out;
  while (auto e = src.next())
    out.push_back(std::move(*e));
  return out;
}

std::vector<std::string> error_texts(event_source& src) {
  std::vector<std::string> out;
  for (auto& e : src.drain_errors())
    out.push_back(e.to_string());
  return out;
}

fixed dec(const char* text) {
  return *fixed::parse(text);
}

std::string sample_path(const char* name) {
  return std::string{TW_SOURCE_DIR} + "/data/" + name;
}

TEST(csv_source, parses_real_candles_exactly) {
  auto src =
      csv_source::open({"BTCUSDT", sample_path("sample-btcusdt-5m.csv"), feed_format::candles});
  auto events = read_all(*src);
  EXPECT_TRUE(src->drain_errors().empty());
  EXPECT_EQ(src->rows_skipped(), 0u);
  ASSERT_EQ(events.size(), 2000u);
  // First row: 1672677900000,16727.3,16728.8,16726.0,16726.1,691.508
  const auto& b = std::get<bar>(events.front());
  EXPECT_EQ(b.symbol, "BTCUSDT");
  EXPECT_EQ(b.open_time_ms, 1672677900000);
  EXPECT_EQ(b.interval_ms, 300'000);
  EXPECT_EQ(b.open.raw, 1'672'730'000'000);
  EXPECT_EQ(b.high.raw, 1'672'880'000'000);
  EXPECT_EQ(b.low.raw, 1'672'600'000'000);
  EXPECT_EQ(b.close.raw, 1'672'610'000'000);
  EXPECT_EQ(b.volume.raw, 69'150'800'000);
  // Last row: 1673277600000,17237.5,17245.0,17222.2,17225.1,1367.737
  const auto& last = std::get<bar>(events.back());
  EXPECT_EQ(last.open_time_ms, 1673277600000);
  EXPECT_EQ(last.interval_ms, 300'000);
  EXPECT_EQ(last.open, dec("17237.5"));
  EXPECT_EQ(last.high, dec("17245"));
  EXPECT_EQ(last.low, dec("17222.2"));
  EXPECT_EQ(last.close, dec("17225.1"));
  EXPECT_EQ(last.volume, dec("1367.737"));
}

TEST(csv_source, parses_real_trades_exactly) {
  auto src =
      csv_source::open({"ETHUSDT", sample_path("sample-ethusdt-trades.csv"), feed_format::trades});
  auto events = read_all(*src);
  EXPECT_TRUE(src->drain_errors().empty());
  ASSERT_EQ(events.size(), 300u); // includes several trades sharing one millisecond
  // 1675329600138,1206419187,buy,1666.8,26.062
  const auto& t0 = std::get<trade_tick>(events[0]);
  EXPECT_EQ(t0.symbol, "ETHUSDT");
  EXPECT_EQ(t0.ts_ms, 1675329600138);
  EXPECT_EQ(t0.trade_id, 1206419187);
  EXPECT_EQ(t0.aggressor, side::buy);
  EXPECT_EQ(t0.price.raw, 166'680'000'000);
  EXPECT_EQ(t0.qty.raw, 2'606'200'000);
  // 1675329600214,1206419188,sell,1666.79,0.152
  const auto& t1 = std::get<trade_tick>(events[1]);
  EXPECT_EQ(t1.aggressor, side::sell);
  EXPECT_EQ(t1.price, dec("1666.79"));
  EXPECT_EQ(t1.qty, dec("0.152"));
  // Rows 4 and 5 of the file share timestamp 1675329600228.
  EXPECT_EQ(std::get<trade_tick>(events[2]).ts_ms, std::get<trade_tick>(events[3]).ts_ms);
  // Last row: 1675329671672,1206419486,sell,1667.23,119.292
  const auto& tl = std::get<trade_tick>(events.back());
  EXPECT_EQ(tl.trade_id, 1206419486);
  EXPECT_EQ(tl.price, dec("1667.23"));
  EXPECT_EQ(tl.qty, dec("119.292"));
}

TEST(csv_source, header_is_optional_and_detected) {
  const std::string rows = "1000,10,11,9,10.5,1\n2000,10.5,12,10,11,2.25\n";
  auto with = csv_source::from_string("open_time_ms,open,high,low,close,volume\n" + rows, "h.csv",
                                      "X", feed_format::candles);
  auto without = csv_source::from_string(rows, "n.csv", "X", feed_format::candles);
  auto a = read_all(*with);
  auto b = read_all(*without);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(std::get<bar>(a[1]).close, std::get<bar>(b[1]).close);
  EXPECT_EQ(std::get<bar>(a[0]).interval_ms, 1000);
  EXPECT_EQ(with->rows_skipped(), 0u);
  EXPECT_EQ(without->rows_skipped(), 0u);
  EXPECT_TRUE(with->drain_errors().empty());
}

TEST(csv_source, header_detection_rules) {
  EXPECT_TRUE(is_header_line("open_time_ms,open,high,low,close,volume"));
  EXPECT_TRUE(is_header_line("time;price"));
  EXPECT_FALSE(is_header_line("1000,10,11,9,10.5,1"));
  // A garbled first data row is not mistaken for a header: it is reported.
  EXPECT_FALSE(is_header_line("abc,10,11,9,10.5,1"));
  auto src = csv_source::from_string("abc,10,11,9,10.5,1\n", "g.csv", "X", feed_format::candles);
  EXPECT_TRUE(read_all(*src).empty());
  EXPECT_EQ(error_texts(*src),
            std::vector<std::string>{R"(g.csv:1: column 'open_time_ms': "abc" is not an integer)"});
  // Only the first non-empty line may be a header.
  auto twice = csv_source::from_string("\na,b,c,d,e,f\na,b,c,d,e,f\n", "t.csv", "X",
                                       feed_format::candles);
  EXPECT_TRUE(read_all(*twice).empty());
  EXPECT_EQ(error_texts(*twice),
            std::vector<std::string>{R"(t.csv:3: column 'open_time_ms': "a" is not an integer)"});
}

TEST(csv_source, malformed_candle_rows_are_skipped_with_exact_reasons) {
  const std::string text = "open_time_ms,open,high,low,close,volume\n" // 1
                           "1000,10,11,9,10.5,1\n"                     // 2 ok
                           "2000,10,11,9,10.5\n"                       // 3
                           "3000,10,11,9,abc,1\n"                      // 4
                           "x4000,10,11,9,10,1\n"                      // 5
                           "5000,10,9,11,10,1\n"                       // 6
                           "6000,10,11,9,10,-1\n"                      // 7
                           "1000,10,11,9,10,1\n"                       // 8
                           "\n"                                        // 9 silently skipped
                           "7000,12,11,9,10,1\n"                       // 10
                           "8000,10,11,9,8,1\n"                        // 11
                           "9000,0,11,9,10,1\n"                        // 12
                           "10000,10,11,9,10,1.123456789\n"            // 13
                           "11000,10,11,9,10,0\n"                      // 14 ok: zero volume
                           "11000,10,11,9,10,1\n"                      // 15 same time again
                           "12000,10,11,9,10,1,7\n";                   // 16
  auto src = csv_source::from_string(text, "sample.csv", "BTCUSDT", feed_format::candles);
  auto events = read_all(*src);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<bar>(events[0]).open_time_ms, 1000);
  EXPECT_EQ(std::get<bar>(events[1]).open_time_ms, 11000);
  EXPECT_EQ(std::get<bar>(events[1]).volume, fixed{});
  // Interval comes from the first two *valid* rows.
  EXPECT_EQ(std::get<bar>(events[0]).interval_ms, 10'000);
  EXPECT_EQ(src->rows_skipped(), 12u);
  const std::vector<std::string> expected{
    "sample.csv:3: expected 6 columns, found 5",
    R"(sample.csv:4: column 'close': "abc" is not a decimal)",
    R"(sample.csv:5: column 'open_time_ms': "x4000" is not an integer)",
    "sample.csv:6: high 9 < low 11",
    R"(sample.csv:7: column 'volume': "-1" is negative)",
    "sample.csv:8: open_time_ms 1000 is not after the previous valid row's 1000",
    "sample.csv:10: open 12 outside [low 9, high 11]",
    "sample.csv:11: close 8 outside [low 9, high 11]",
    R"(sample.csv:12: column 'open': "0" is not positive)",
    R"(sample.csv:13: column 'volume': "1.123456789" is not a decimal)",
    "sample.csv:15: open_time_ms 11000 is not after the previous valid row's 11000",
    "sample.csv:16: expected 6 columns, found 7",
  };
  EXPECT_EQ(error_texts(*src), expected);
  EXPECT_TRUE(src->drain_errors().empty()); // drained
  auto errors_line = row_error{"sample.csv", 17, R"(column 'close': "abc" is not a decimal)"};
  EXPECT_EQ(errors_line.to_string(), R"(sample.csv:17: column 'close': "abc" is not a decimal)");
}

TEST(csv_source, malformed_trade_rows_are_skipped_with_exact_reasons) {
  const std::string text = "timestamp_ms,trade_id,side,price,amount\n" // 1
                           "100,1,buy,10.5,1\n"                         // 2 ok
                           "100,2,SELL,10.4,0.5\n"                      // 3 ok: same ms, any case
                           "101,3,hold,10.4,0.5\n"                      // 4
                           "102,x,buy,10.4,0.5\n"                       // 5
                           "103,5,buy,0,0.5\n"                          // 6
                           "104,6,buy,10.4,-2\n"                        // 7
                           "105,7,buy,10.4,0\n"                         // 8
                           "99,8,buy,10.4,1\n"                          // 9
                           "106,9,buy,1e-9,1\n"                         // 10
                           "106,10,buy,10.4\n"                          // 11
                           "107,11,sell,10.3,2\n";                      // 12 ok
  auto src = csv_source::from_string(text, "trades.csv", "ETHUSDT", feed_format::trades);
  auto events = read_all(*src);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(std::get<trade_tick>(events[1]).aggressor, side::sell);
  EXPECT_EQ(std::get<trade_tick>(events[2]).trade_id, 11);
  EXPECT_EQ(src->rows_skipped(), 8u);
  const std::vector<std::string> expected{
    R"(trades.csv:4: column 'side': "hold" is not buy or sell)",
    R"(trades.csv:5: column 'trade_id': "x" is not an integer)",
    R"(trades.csv:6: column 'price': "0" is not positive)",
    R"(trades.csv:7: column 'amount': "-2" is not positive)",
    R"(trades.csv:8: column 'amount': "0" is not positive)",
    "trades.csv:9: timestamp_ms 99 is before the previous valid row's 100",
    R"(trades.csv:10: column 'price': "1e-9" is not a decimal)",
    "trades.csv:11: expected 5 columns, found 4",
  };
  EXPECT_EQ(error_texts(*src), expected);
}

TEST(csv_source, accepts_exact_scientific_notation) {
  // Real recordings (ALTBTC-1m) print small volumes as 9.417e-05.
  auto src = csv_source::from_string("1000,0.0016,0.0017,0.0015,0.0016,9.417e-05\n"
                                     "2000,1.6E-3,0.0017,0.0015,0.0016,1e-08\n"
                                     "3000,0.0016,0.0017,0.0015,0.0016,2.5e+2\n"
                                     "4000,0.0016,0.0017,0.0015,0.0016,1.5e-9\n"
                                     "5000,0.0016,0.0017,0.0015,0.0016,1e\n",
                                     "sci.csv", "X", feed_format::candles);
  auto events = read_all(*src);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(std::get<bar>(events[0]).volume.raw, 9417);
  EXPECT_EQ(std::get<bar>(events[1]).open, dec("0.0016"));
  EXPECT_EQ(std::get<bar>(events[1]).volume.raw, 1);
  EXPECT_EQ(std::get<bar>(events[2]).volume, fixed::from_int<250>());
  EXPECT_EQ(error_texts(*src),
            (std::vector<std::string>{R"(sci.csv:4: column 'volume': "1.5e-9" is not a decimal)",
                                      R"(sci.csv:5: column 'volume': "1e" is not a decimal)"}));
}

TEST(csv_source, tolerates_crlf_bom_and_spaces) {
  auto src = csv_source::from_string("\xEF\xBB\xBFopen_time_ms,open,high,low,close,volume\r\n"
                                     "1000, 10 ,11,9,10.5,1\r\n"
                                     "   \r\n"
                                     "2000,10.5,12,10,11,2.25\r\n",
                                     "crlf.csv", "X", feed_format::candles);
  auto events = read_all(*src);
  EXPECT_TRUE(src->drain_errors().empty());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<bar>(events[0]).open, fixed::from_int<10>());
  EXPECT_EQ(std::get<bar>(events[1]).volume, dec("2.25"));
}

TEST(csv_source, single_bar_has_unknown_interval) {
  auto src = csv_source::from_string("1000,10,11,9,10.5,1\n", "one.csv", "X", feed_format::candles);
  auto events = read_all(*src);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<bar>(events[0]).interval_ms, 0);
}

TEST(csv_source, missing_file_yields_no_events_and_one_error) {
  auto src = csv_source::open({"X", "/nonexistent/dir/missing.csv", feed_format::candles});
  EXPECT_FALSE(src->next().has_value());
  EXPECT_FALSE(src->next().has_value());
  EXPECT_EQ(src->rows_skipped(), 0u);
  EXPECT_EQ(
      error_texts(*src),
      std::vector<std::string>{
          R"(missing.csv: cannot open "/nonexistent/dir/missing.csv": No such file or directory)"});
}

TEST(csv_source, hostile_input_never_throws) {
  std::string text = "1000,99999999999999999999,11,9,10,1\n"  // overflows
                     "1001,,,,,\n"                            // empty fields
                     "9223372036854775808,10,11,9,10,1\n"     // int64 overflow
                     ",,,,\n"
                     "\x01\x02\xff,\x80,1,2,3,4\n";
  text += std::string(100'000, ',') + "\n"; // one absurdly wide row
  std::vector<market_event> events;
  std::vector<std::string> errors;
  ASSERT_NO_THROW({
    auto src = csv_source::from_string(text, "bad.csv", "X", feed_format::candles);
    events = read_all(*src);
    errors = error_texts(*src);
  });
  EXPECT_TRUE(events.empty());
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_EQ(errors[0],
            R"(bad.csv:1: column 'open': "99999999999999999999" is not a decimal)");
  EXPECT_EQ(errors[1], R"(bad.csv:2: column 'open': "" is not a decimal)");
  EXPECT_EQ(errors[2],
            R"(bad.csv:3: column 'open_time_ms': "9223372036854775808" is not an integer)");
  EXPECT_EQ(errors[3], "bad.csv:4: expected 6 columns, found 5");
  EXPECT_EQ(errors[5], "bad.csv:6: expected 6 columns, found 100001");
}

TEST(csv_source, keeps_a_bounded_number_of_errors_but_counts_all) {
  std::string text;
  for (int i = 0; i < 1000; ++i)
    text += "not,a,row\n";
  auto src = csv_source::from_string(text, "many.csv", "X", feed_format::candles);
  EXPECT_FALSE(src->next().has_value());
  EXPECT_EQ(src->rows_skipped(), 999u); // the first line reads as a header
  EXPECT_EQ(src->drain_errors().size(), csv_source::max_pending_errors);
}

TEST(csv_source, full_bundled_recordings_parse_cleanly) {
  const std::string dir = TW_DATA_DIR;
  struct expectation {
    const char* file;
    feed_format format;
    size_t rows;
    int64_t interval;
  };
  for (auto& x : {expectation{"BTCUSDT-5m-2023-01.csv", feed_format::candles, 10'999, 300'000},
                  expectation{"ALTBTC-1m-2017-11.csv", feed_format::candles, 13'681, 60'000},
                  expectation{"ETHUSDT-trades-2023-02-02.csv", feed_format::trades, 1'000, 0}}) {
    auto src = csv_source::open({"X", dir + "/" + x.file, x.format});
    auto events = read_all(*src);
    EXPECT_EQ(events.size(), x.rows) << x.file;
    EXPECT_EQ(src->rows_skipped(), 0u) << x.file;
    if (x.format == feed_format::candles && !events.empty()) {
      EXPECT_EQ(std::get<bar>(events.front()).interval_ms, x.interval) << x.file;
    }
  }
}

} // namespace
} // namespace tradewind
