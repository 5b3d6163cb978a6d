#include "actors/core/latency_tracker.hpp"

#include <algorithm>
#include <chrono>

namespace tradewind {

int64_t latency_tracker::now_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

void latency_tracker::set_observer(observer fn) {
  std::lock_guard<std::mutex> g{mtx_};
  observer_ = std::move(fn);
}

void latency_tracker::tick_published(int64_t ts_ms) {
  auto t = now_ns();
  std::lock_guard<std::mutex> g{mtx_};
  if (!published_.empty() && published_.back().first >= ts_ms)
    return; // only the first event of a timestamp starts the clock
  published_.emplace_back(ts_ms, t);
  if (published_.size() > window_)
    published_.pop_front();
}

void latency_tracker::order_accepted(int64_t ts_ms) {
  auto t = now_ns();
  observer notify;
  int64_t latency = 0;
  {
    std::lock_guard<std::mutex> g{mtx_};
    auto it = std::lower_bound(published_.begin(), published_.end(), ts_ms,
                               [](const auto& p, int64_t ts) { return p.first < ts; });
    if (it == published_.end() || it->first != ts_ms)
      return; // manual order or an event outside the window: nothing to measure against
    latency = t - it->second;
    if (samples_.size() < window_)
      samples_.push_back(latency);
    notify = observer_;
  }
  if (notify)
    notify(latency);
}

std::vector<int64_t> latency_tracker::take_samples() {
  std::lock_guard<std::mutex> g{mtx_};
  return std::exchange(samples_, {});
}

} // namespace tradewind
