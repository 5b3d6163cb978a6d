#pragma once
// Pure parts of the webhook channel: request body, retry policy and the bounded queue.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "config/node_config.hpp"
#include "schemas/control.hpp"

namespace tradewind {

namespace http {
struct response;
} // namespace http

/// Alerts waiting for one webhook beyond this many drop the oldest.
inline constexpr size_t webhook_queue_capacity = 1'000;

/// The POST body: the alert's JSON (schemas/json/codec.hpp) with "node" added.
std::string webhook_body(const alert& a, const std::string& node);

/// What to do after one delivery attempt.
enum class attempt_outcome : uint8_t {
  delivered, ///< 2xx
  retry,     ///< transport error, timeout, 5xx, 408 or 429: try again after a back-off
  give_up,   ///< any other status (4xx, 3xx, 1xx): the request itself is wrong, do not retry
};

/// Classifies the result of one attempt.
attempt_outcome classify(const http::response& r);

/// Delay before retry number `retry` (1-based): initial_backoff_ms × 2^(retry-1), capped at
/// one hour so a large retry count cannot overflow.
int64_t webhook_backoff_ms(const webhook_config& cfg, int retry);

/// FIFO of pending alert bodies for one webhook, bounded: pushing onto a full queue drops
/// the oldest entry and counts it.
class bounded_queue {
public:
  bounded_queue() : bounded_queue(webhook_queue_capacity) {}
  explicit bounded_queue(size_t capacity) : capacity_(capacity) {}

  /// Appends; returns true when the oldest entry was dropped to make room.
  bool push(std::string body);
  /// Removes and returns the oldest entry. Precondition: !empty().
  std::string pop();
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  uint64_t dropped() const { return dropped_; }

private:
  size_t capacity_;
  std::deque<std::string> items_;
  uint64_t dropped_ = 0;
};

} // namespace tradewind
