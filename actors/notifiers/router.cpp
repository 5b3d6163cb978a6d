#include "actors/notifiers/router.hpp"

namespace tradewind {

alert_router::alert_router(notifier_config cfg, int64_t dedupe_window_ms)
  : cfg_(std::move(cfg)), window_ms_(dedupe_window_ms) {}

route_decision alert_router::route(const alert& a, int64_t now_ms) {
  if (now_ms - last_expiry_ms_ >= window_ms_)
    expire(now_ms);
  route_decision d;
  auto [it, inserted] = seen_.try_emplace(key{a.code, a.source, a.message});
  auto& s = it->second;
  if (!inserted && now_ms - s.last_sent_ms < window_ms_) {
    ++s.suppressed;
    ++suppressed_total_;
    d.suppressed = true;
    return d;
  }
  d.suppressed_before = s.suppressed;
  s = seen{now_ms, 0};
  d.to_log = at_least(a.level, cfg_.log_min_severity);
  for (size_t i = 0; i < cfg_.webhooks.size(); ++i)
    if (at_least(a.level, cfg_.webhooks[i].min_severity))
      d.webhooks.push_back(i);
  return d;
}

void alert_router::expire(int64_t now_ms) {
  last_expiry_ms_ = now_ms;
  for (auto it = seen_.begin(); it != seen_.end();) {
    if (now_ms - it->second.last_sent_ms >= window_ms_)
      it = seen_.erase(it);
    else
      ++it;
  }
}

} // namespace tradewind
