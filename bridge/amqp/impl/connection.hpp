#pragma once
// RAII rabbitmq-c connection with one channel, for the link actors (publisher, consumer).
// Internal to bridge/amqp: the only header of the link that includes amqp.h. One
// connection belongs to one thread (rabbitmq-c is not thread-safe).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <amqp.h>

#include "bridge/amqp/wire.hpp"

namespace tradewind::amqp::impl {

/// Settings of one connection.
struct connection_options {
  std::string url;          ///< amqp://user:pass@host:port/ (vhost ignored)
  std::string vhost;        ///< from the topology
  int heartbeat_s = 10;     ///< AMQP heartbeat (0 = off, rabbitmq-c's default)
  int timeout_ms = 10'000;  ///< connect and RPC timeout
};

/// One frame read from the connection, reduced to what the link reacts to.
struct frame_event {
  enum kind_t : uint8_t {
    none,          ///< nothing within the timeout
    ack,           ///< publisher confirm: delivery_tag (and all below when multiple)
    nack,          ///< broker could not take the message(s)
    returned,      ///< mandatory message that no queue took (reply_text, routing_key, message_id)
    deliver,       ///< (consumer) use consume() instead; not produced by poll()
    closed,        ///< channel or connection closed by the broker, or socket error (text)
    other,         ///< anything else (ignored)
  } kind = none;
  uint64_t delivery_tag = 0;
  bool multiple = false;
  std::string text;         ///< closed/returned: why
  std::string routing_key;  ///< returned
  std::string message_id;   ///< returned
};

/// One delivery taken by consume(); the envelope is released by the destructor.
struct delivery {
  uint64_t delivery_tag = 0;
  bool redelivered = false;
  std::string routing_key;
  std::string body;
  std::string origin_node;  ///< header origin_node, empty when absent
  std::string message_id;   ///< property message_id
  amqp_envelope_t envelope{};
  bool owns_envelope = false;
  delivery() = default;
  delivery(const delivery&) = delete;
  delivery& operator=(const delivery&) = delete;
  ~delivery();
  /// A text header of the message; empty when absent or not text.
  std::string header(const char* key) const;
  /// An integer header of the message (any integer kind); -1 when absent or not an integer.
  int64_t header_int(const char* key) const;
  /// The delivery_mode property (1 transient, 2 persistent; 0 when absent).
  int delivery_mode() const;
  /// The content_type property.
  std::string content_type() const;
};

class connection {
public:
  connection() = default;
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Connects, logs in (heartbeats on) and opens channel 1. Error text without the
  /// password; empty on success.
  std::string open(const connection_options& opts);
  bool is_open() const { return state_ != nullptr && !dead_; }
  /// host:port vhost "v" (for messages).
  const std::string& where() const { return where_; }

  /// confirm.select on the channel; error text or empty.
  std::string enable_confirms();
  /// basic.qos prefetch_count; error text or empty.
  std::string set_prefetch(int prefetch);
  /// basic.consume without auto-ack; error text or empty. With `stream_offset`, `queue` is a
  /// stream read from that offset (0: the first it still holds); its deliveries carry their
  /// offset in header x-stream-offset.
  std::string start_consuming(const std::string& queue, const std::string& tag,
                              std::optional<int64_t> stream_offset = std::nullopt);

  /// basic.publish with mandatory = true and every header; returns an error text (the
  /// connection is then dead) or empty. `extra` headers are appended (dead-lettering).
  std::string publish(const outgoing& m, const std::map<std::string, std::string>& extra = {});
  /// Re-publishes a delivery as it came (headers, body) to `exchange`/`key` plus `extra` headers.
  std::string republish(const delivery& d, const std::string& exchange, const std::string& key,
                        const std::map<std::string, std::string>& extra);

  /// basic.ack / basic.reject(requeue=false) of one delivery; error text or empty.
  std::string ack(uint64_t delivery_tag);
  std::string reject(uint64_t delivery_tag);

  /// Reads one frame (waiting at most timeout_ms; 0 = only what is already there).
  /// Heartbeats are sent and checked by rabbitmq-c while it waits.
  frame_event poll(int timeout_ms);

  /// Waits at most timeout_ms for a delivery. Returns true and fills `d` on a delivery;
  /// false otherwise, with `ev` saying what else came (none, ack, nack, closed, …).
  bool consume(int timeout_ms, delivery& d, frame_event& ev);

  /// Closes politely (when still open) and frees everything.
  void close();

private:
  std::string rpc_error(const std::string& what);
  frame_event on_method(const amqp_frame_t& frame);

  amqp_connection_state_t state_ = nullptr;
  bool logged_in_ = false;
  bool dead_ = false;
  std::string where_;
};

} // namespace tradewind::amqp::impl
