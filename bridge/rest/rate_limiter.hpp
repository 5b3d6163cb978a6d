#pragma once
// Per-key token-bucket rate limit of the REST bridge. Pure logic; time is passed in.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tradewind::rest {

/// A bucket of `burst` tokens per key, refilled at `rate_per_s`. Thread-safe.
class rate_limiter {
public:
  /// `max_keys` > 0 bounds the memory: when a new key would exceed it, buckets that have refilled
  /// are forgotten (a forgotten bucket is a full one, so nobody gains), then, if still full, all.
  rate_limiter(double rate_per_s, double burst, size_t max_keys = 0)
    : rate_(rate_per_s), burst_(burst), max_keys_(max_keys) {}

  struct verdict {
    bool allowed = true;
    int64_t retry_after_s = 0; ///< whole seconds until a token is available (>= 1 when denied)
  };

  /// Takes one token from `key`'s bucket at wall time `now_ms`.
  verdict take(const std::string& key, int64_t now_ms);

private:
  struct bucket {
    double tokens;
    int64_t last_ms;
  };
  void refill(bucket& b, int64_t now_ms) const;
  void make_room(int64_t now_ms);

  double rate_;
  double burst_;
  size_t max_keys_;
  std::mutex mtx_;
  std::unordered_map<std::string, bucket> buckets_;
};

} // namespace tradewind::rest
