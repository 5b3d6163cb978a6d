#pragma once
// Tick-to-order latency: wall time from the collector publishing the market event with
// event time T to the executor accepting an order whose intent has event time T.

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace tradewind {

/// Shared by the collector (stamps) and the executor (measures); thread-safe.
class latency_tracker {
public:
  /// Called with each measured latency in nanoseconds (e.g. to feed a histogram).
  using observer = std::function<void(int64_t)>;

  explicit latency_tracker(size_t window = 65'536) : window_(window) {}

  void set_observer(observer fn);
  /// The collector published the first event with event time `ts_ms`.
  void tick_published(int64_t ts_ms);
  /// The executor accepted an order whose intent has event time `ts_ms`; records the sample.
  void order_accepted(int64_t ts_ms);
  /// The samples recorded so far (nanoseconds), oldest first; clears them.
  std::vector<int64_t> take_samples();

private:
  static int64_t now_ns();

  std::mutex mtx_;
  size_t window_;
  std::deque<std::pair<int64_t, int64_t>> published_; ///< (event ts, wall ns), ascending ts
  std::vector<int64_t> samples_;
  observer observer_;
};

} // namespace tradewind
