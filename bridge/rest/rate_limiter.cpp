#include "bridge/rest/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace tradewind::rest {

rate_limiter::verdict rate_limiter::take(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto [it, fresh] = buckets_.try_emplace(key, bucket{burst_, now_ms});
  auto& b = it->second;
  if (!fresh && now_ms > b.last_ms) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now_ms - b.last_ms) * rate_ / 1000.0);
    b.last_ms = now_ms;
  }
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
