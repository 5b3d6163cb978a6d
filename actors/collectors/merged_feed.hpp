#pragma once
// K-way merge of event sources by event time, with market watermarks. Pure: no CAF.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "actors/collectors/event_source.hpp"
#include "config/node_config.hpp"
#include "schemas/control.hpp"

namespace tradewind {

/// One item of the market_data stream, exactly as the collector publishes it.
using market_item = std::variant<bar, trade_tick, watermark>;

/// Source name of the watermarks the collector publishes.
inline constexpr const char* market_watermark_source = "market";

/// Merges N sources into one stream ordered by (event time, source index), which is
/// deterministic: equal times keep the order of the sources, and each source's own order.
///
/// After the last event with time T (before the first event with a later time) it yields
/// watermark{"market", T}; after the last event it yields watermark{"market", T_last,
/// end_of_stream=true} (ts 0 if there was no event), then nullopt forever.
/// An event older than an already-yielded watermark would break that promise, so it is
/// dropped and counted (sources normally never produce one).
class merged_feed {
public:
  explicit merged_feed(std::vector<std::unique_ptr<event_source>> sources);

  /// The next item, or nullopt after the end-of-stream watermark.
  std::optional<market_item> next();

  /// Errors the sources found since the previous call, in source order.
  std::vector<row_error> drain_errors();
  /// Malformed rows skipped by all sources so far.
  uint64_t rows_skipped() const;
  /// Events dropped because their source went back in time (see class comment).
  uint64_t out_of_order_dropped() const { return out_of_order_dropped_; }
  /// Events (not watermarks) yielded so far.
  uint64_t events() const { return events_; }
  /// True once the end-of-stream watermark was yielded.
  bool finished() const { return finished_; }

private:
  /// Refills heads_[i] from source i (no-op when already full or exhausted).
  void fill(size_t i);

  std::vector<std::unique_ptr<event_source>> sources_;
  std::vector<std::optional<market_event>> heads_;
  std::vector<bool> exhausted_;
  std::optional<int64_t> last_ts_;       ///< time of the last yielded event
  bool watermark_pending_ = false;       ///< last_ts_ has no watermark yet
  bool finished_ = false;
  uint64_t events_ = 0;
  uint64_t out_of_order_dropped_ = 0;
};

/// Builds the feed `cfg` describes: mode "synthetic" → one synthetic_source per symbol,
/// otherwise one csv_source per feed (an unreadable file yields no events and a row_error
/// with line 0 from drain_errors()).
merged_feed make_market_feed(const collector_config& cfg);

/// Event time of an item (a watermark's ts_ms).
int64_t item_time(const market_item& item);

/// One-line description for logs and test diagnostics, e.g.
/// `bar BTCUSDT t=1672677900000 i=300000 o=16727.3 h=16728.8 l=16726 c=16726.1 v=691.508`.
std::string to_string(const market_item& item);

} // namespace tradewind
