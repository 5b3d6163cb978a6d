#include <algorithm>

#include "actors/core/supervisor.hpp"

namespace tradewind {

bool restart_policy::on_failure(int64_t now_ms) {
  failures_.erase(std::remove_if(failures_.begin(), failures_.end(),
                                 [&](int64_t t) { return now_ms - t >= cfg_.window_ms; }),
                  failures_.end());
  failures_.push_back(now_ms);
  return static_cast<int>(failures_.size()) <= cfg_.max_restarts;
}

int64_t restart_policy::backoff_ms() const {
  int64_t delay = cfg_.initial_backoff_ms;
  for (size_t i = 1; i < failures_.size() && delay < cfg_.max_backoff_ms; ++i)
    delay *= 2;
  return std::min(delay, cfg_.max_backoff_ms);
}

} // namespace tradewind
