#pragma once
// WebSocket stream topics and the bounded per-client event queue (drop-oldest), so a slow
// client costs memory up to its limit and never slows the actors. Pure logic.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tradewind::rest {

/// What a stream client can subscribe to.
enum class stream_topic : uint8_t {
  ticks,      ///< trade_tick and bar envelopes
  signals,    ///< signal
  orders,     ///< order and risk_decision
  fills,      ///< fill
  positions,  ///< position_update and account_snapshot
  alerts,     ///< alert
  risk_state, ///< control_command, trading_state_changed, risk_limits_report, and alerts about trading-state changes and breakers
};

inline constexpr stream_topic all_stream_topics[] = {stream_topic::ticks,     stream_topic::signals,
                                                     stream_topic::orders,    stream_topic::fills,
                                                     stream_topic::positions, stream_topic::alerts,
                                                     stream_topic::risk_state};

std::string_view to_string(stream_topic t);
std::optional<stream_topic> parse_stream_topic(std::string_view text);

/// FIFO of serialized events with a fixed capacity: pushing into a full queue drops the
/// oldest event. Not thread-safe (each client's queue is guarded by its session).
class bounded_queue {
public:
  explicit bounded_queue(size_t limit) : limit_(limit == 0 ? 1 : limit) {}

  /// Appends `event`; returns how many events were dropped to make room (0 or 1).
  size_t push(std::shared_ptr<const std::string> event) {
    size_t dropped = 0;
    if (items_.size() >= limit_) {
      items_.pop_front();
      dropped = 1;
      dropped_total_ += 1;
    }
    items_.push_back(std::move(event));
    return dropped;
  }

  /// Removes the oldest event; nullptr when empty.
  std::shared_ptr<const std::string> pop() {
    if (items_.empty())
      return nullptr;
    auto out = std::move(items_.front());
    items_.pop_front();
    return out;
  }

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  /// Events dropped since construction.
  uint64_t dropped_total() const { return dropped_total_; }

private:
  size_t limit_;
  std::deque<std::shared_ptr<const std::string>> items_;
  uint64_t dropped_total_ = 0;
};

} // namespace tradewind::rest
