#pragma once
// The interface every collector input implements (CSV replay, synthetic random walk), and the
// malformed-row report they share. Pure: no CAF.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "schemas/market.hpp"

namespace tradewind {

/// A market event as a source yields it.
using market_event = std::variant<bar, trade_tick>;

/// Event time of `e`: a bar's open time or a trade's timestamp (Unix ms).
int64_t event_time(const market_event& e);

/// One input row that was skipped, or (line 0) a file that could not be read.
struct row_error {
  std::string file;   ///< file name without its folder, e.g. "sample.csv"
  int64_t line = 0;   ///< 1-based line number; 0 when the whole file failed
  std::string reason; ///< e.g. `column 'close': "abc" is not a decimal`

  /// `sample.csv:17: column 'close': "abc" is not a decimal` (or `sample.csv: reason` for line 0).
  std::string to_string() const;
};

/// A stream of market events in the source's own event-time order (non-decreasing).
/// Sources never throw: bad input is skipped and reported through drain_errors().
class event_source {
public:
  virtual ~event_source() = default;

  /// The next event, or nullopt once the source is exhausted (and on every later call).
  virtual std::optional<market_event> next() = 0;

  /// Errors found since the previous call (at most a bounded number are kept between calls;
  /// rows_skipped() counts all of them).
  virtual std::vector<row_error> drain_errors() { return {}; }

  /// Rows skipped as malformed so far (empty lines and the header are not counted).
  virtual uint64_t rows_skipped() const { return 0; }
};

} // namespace tradewind
