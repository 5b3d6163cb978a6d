#pragma once
// The one RAII wrapper of a rabbitmq-c connection with one channel: synchronous methods for
// the topology's declarations (topology/amqp_admin.cpp), publishing, confirms and consuming for
// the AMQP link (bridge/amqp/impl/connection.hpp adds the link's message format on top).
// With its .cpp the only place of topology/ that includes amqp.h; outside topology/ only the
// link's impl/ files include it. One connection belongs to one thread (rabbitmq-c is not
// thread-safe).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <amqp.h>

namespace tradewind::topology::impl {

/// Settings of one connection.
struct connection_options {
  std::string url;          ///< amqp://user:pass@host:port/ (the URL's vhost is ignored)
  std::string vhost;        ///< from the topology
  int heartbeat_s = 10;     ///< AMQP heartbeat (0 = off)
  int timeout_ms = 10'000;  ///< connect and RPC timeout
  /// After the broker closes the channel (e.g. PRECONDITION_FAILED on a declaration),
  /// acknowledge and open a fresh one, so later calls still work (the admin). Otherwise the
  /// connection counts as dead and its owner reconnects (the link: a fresh channel would lack
  /// its confirm mode and consumers).
  bool reopen_channel_after_error = false;
};

/// A field table (arguments, headers) that points into the keys and strings it is given
/// without copying them: they must outlive every use of table().
class field_table {
public:
  void add(const char* key, const std::string& value);
  void add(const char* key, int64_t value);
  void add(const char* key, bool value);
  /// A text literal would silently become a bool: pass a std::string that outlives the table.
  void add(const char* key, const char* value) = delete;
  /// An entry as it came from the broker (its bytes stay owned by the message).
  void add_raw(const amqp_table_entry_t& e) { entries_.push_back(e); }
  /// Valid while this object and the strings it points into are unchanged.
  amqp_table_t table();

private:
  std::vector<amqp_table_entry_t> entries_;
};

/// One frame read from the connection, reduced to what a publisher or consumer reacts to.
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

class amqp_connection {
public:
  amqp_connection() = default;
  ~amqp_connection();
  amqp_connection(const amqp_connection&) = delete;
  amqp_connection& operator=(const amqp_connection&) = delete;

  /// Connects (closing what was open), logs in to opts.vhost and opens a channel. Error text
  /// without the password; empty on success.
  std::string open(const connection_options& opts);
  bool is_open() const { return state_ != nullptr && !dead_; }
  /// host:port vhost "v" (for messages).
  const std::string& where() const { return where_; }

  /// For synchronous methods the wrapper has no call for (declarations): call them with
  /// state() and channel(), then check().
  amqp_connection_state_t state() const { return state_; }
  amqp_channel_t channel() const { return channel_; }
  /// Checks the reply of the last synchronous call: empty when it succeeded, else
  /// `AMQP <where>: <what>: <reply code> <reply text>`.
  std::string check(const std::string& what);

  /// confirm.select on the channel; error text or empty.
  std::string enable_confirms();
  /// basic.qos prefetch_count; error text or empty.
  std::string set_prefetch(int prefetch);
  /// basic.consume without auto-ack; error text or empty. With `stream_offset`, `queue` is a
  /// stream read from that offset (0: the first it still holds); its deliveries carry their
  /// offset in header x-stream-offset.
  std::string start_consuming(const std::string& queue, const std::string& tag,
                              std::optional<int64_t> stream_offset = std::nullopt);

  /// basic.publish; returns an error text (the connection is then dead) or empty. `what`
  /// names the call in the error.
  std::string publish(const std::string& exchange, const std::string& key, bool mandatory,
                      const amqp_basic_properties_t& props, amqp_bytes_t body,
                      const char* what = "basic.publish");
  /// Re-publishes a delivery as it came (headers, body) to `exchange`/`key` plus `extra` text
  /// headers (which replace headers of the same name).
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
  std::string describe(const amqp_rpc_reply_t& r, const std::string& what);
  std::string open_channel();
  frame_event on_method(const amqp_frame_t& frame);

  amqp_connection_state_t state_ = nullptr;
  amqp_channel_t channel_ = 0;
  bool reopen_channel_ = false;
  bool logged_in_ = false;
  bool dead_ = false;
  std::string where_;
};

/// `s` as bytes, pointing into it (no copy).
inline amqp_bytes_t bytes_of(const std::string& s) {
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = const_cast<char*>(s.data());
  return b;
}

/// The text of `b` (empty for null bytes).
std::string text_of(amqp_bytes_t b);

} // namespace tradewind::topology::impl
