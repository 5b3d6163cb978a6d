#pragma once
// Streaming parser of the two replay CSV formats (candles and trades). Pure: no CAF.

#include <cstddef>
#include <deque>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "actors/collectors/event_source.hpp"
#include "config/node_config.hpp"

namespace tradewind {

/// The outcome of parsing one data line: the event, or why the row is malformed.
using row_result = std::variant<market_event, std::string>;

/// Parses one candle line `open_time_ms,open,high,low,close,volume` into a bar of `symbol`
/// (interval_ms left 0). Checks column count, numbers, prices > 0, low <= open,close <= high
/// and volume >= 0. Decimals are parsed exactly (fixed::parse); scientific notation such as
/// `9.417e-05`, which real recordings contain, is accepted when exact in 8 fractional digits.
row_result parse_candle_row(std::string_view line, const std::string& symbol);

/// Parses one trade line `timestamp_ms,trade_id,side,price,amount` (side: buy|sell, any case)
/// into a trade_tick of `symbol`. Checks column count, numbers, price > 0 and amount > 0.
row_result parse_trade_row(std::string_view line, const std::string& symbol);

/// True when `line` is a header: none of its columns is a number.
bool is_header_line(std::string_view line);

/// Reads one CSV file (or any stream) line by line and yields valid rows as events.
///
/// - The first non-empty line is skipped when it is a header (see is_header_line).
/// - Empty (or whitespace-only) lines are skipped silently.
/// - Malformed rows are skipped, counted and reported as row_error{file, line, reason}.
/// - Event time must not go back: candles need strictly increasing open times, trades
///   non-decreasing timestamps (several trades share a millisecond); other rows are malformed.
/// - Candles get interval_ms = difference of the first two valid open times (0 if fewer).
class csv_source final : public event_source {
public:
  /// At most this many errors are kept between two drain_errors() calls.
  static constexpr size_t max_pending_errors = 64;

  /// Reads `in`; `display_name` is used in errors. `symbol` is stamped on every event.
  csv_source(std::unique_ptr<std::istream> in, std::string display_name, std::string symbol,
             feed_format format);

  /// Opens `feed.path`. An unreadable file yields no events and one row_error with line 0.
  static std::unique_ptr<csv_source> open(const feed_config& feed);
  /// Parses `text` as if it were a file named `display_name` (for tests and tools).
  static std::unique_ptr<csv_source> from_string(std::string text, std::string display_name,
                                                 std::string symbol, feed_format format);

  std::optional<market_event> next() override;
  std::vector<row_error> drain_errors() override;
  uint64_t rows_skipped() const override { return rows_skipped_; }

private:
  /// Next valid row from the stream, without interval inference.
  std::optional<market_event> read_valid_row();
  /// Checks that event time does not go back; returns the reason when it does.
  std::optional<std::string> check_order(int64_t ts) const;
  void report(int64_t line, std::string reason);

  std::unique_ptr<std::istream> in_;
  std::string file_;
  std::string symbol_;
  feed_format format_;
  int64_t line_no_ = 0;
  bool seen_first_line_ = false;
  std::optional<int64_t> last_ts_;
  uint64_t rows_skipped_ = 0;
  std::vector<row_error> pending_errors_;
  /// Candles: rows read ahead to infer the interval before the first bar is returned.
  std::deque<market_event> lookahead_;
  bool interval_known_ = false;
  int64_t interval_ms_ = 0;
};

} // namespace tradewind
