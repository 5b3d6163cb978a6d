#include "actors/notifiers/webhook.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "net/http_client.hpp"
#include "schemas/json/codec.hpp"

namespace tradewind {

std::string webhook_body(const alert& a, const std::string& node) {
  auto body = nlohmann::json::parse(json::to_json(a));
  body["node"] = node;
  // replace: a stray invalid UTF-8 byte in the node name must not throw inside an actor
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

attempt_outcome classify(const http::response& r) {
  if (!r.received())
    return attempt_outcome::retry;
  if (r.status >= 200 && r.status < 300)
    return attempt_outcome::delivered;
  if (r.status >= 500 || r.status == 408 || r.status == 429)
    return attempt_outcome::retry;
  return attempt_outcome::give_up;
}

int64_t webhook_backoff_ms(const webhook_config& cfg, int retry) {
  constexpr int64_t cap_ms = 3'600'000;
  int64_t delay = std::max<int64_t>(cfg.initial_backoff_ms, 1);
  for (int i = 1; i < retry && delay < cap_ms; ++i)
    delay *= 2;
  return std::min(delay, cap_ms);
}

bool bounded_queue::push(std::string body) {
  bool dropped = false;
  if (items_.size() >= capacity_ && !items_.empty()) {
    items_.pop_front();
    ++dropped_;
    dropped = true;
  }
  items_.push_back(std::move(body));
  return dropped;
}

std::string bounded_queue::pop() {
  auto front = std::move(items_.front());
  items_.pop_front();
  return front;
}

} // namespace tradewind
