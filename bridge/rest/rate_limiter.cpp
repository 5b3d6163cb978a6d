#include "bridge/rest/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace tradewind::rest {

void rate_limiter::refill(bucket& b, int64_t now_ms) const {
  if (now_ms > b.last_ms) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now_ms - b.last_ms) * rate_ / 1000.0);
    b.last_ms = now_ms;
  }
}

void rate_limiter::make_room(int64_t now_ms) {
  if (max_keys_ == 0 || buckets_.size() < max_keys_)
    return;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now_ms);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
  if (buckets_.size() >= max_keys_)
    buckets_.clear();
}

rate_limiter::verdict rate_limiter::take(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (!buckets_.count(key))
    make_room(now_ms);
  auto [it, fresh] = buckets_.try_emplace(key, bucket{burst_, now_ms});
  auto& b = it->second;
  if (!fresh)
    refill(b, now_ms);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {true, 0};
  }
  // Capped before the conversion (a double beyond int64 is undefined behaviour to convert);
  // a retry hint of ~31 years already means "not soon".
  auto wait_s = std::min(std::ceil((1.0 - b.tokens) / rate_), 1e9);
  return {false, std::max<int64_t>(1, static_cast<int64_t>(wait_s))}; // tw-cast-ok: <= 1e9
}

} // namespace tradewind::rest
