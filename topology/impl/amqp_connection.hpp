#pragma once
// RAII wrapper of one rabbitmq-c connection with one channel, for synchronous methods.
// Internal to the topology library; the only place (with its .cpp) that includes amqp.h.

#include <string>
#include <vector>

#include <amqp.h>

namespace tradewind::topology::impl {

/// Owns an amqp_connection_state_t: closes the channel and connection and frees the state in
/// the destructor. A channel closed by the broker (e.g. PRECONDITION_FAILED) is acknowledged
/// and replaced by a fresh one, so later calls still work.
class amqp_connection {
public:
  amqp_connection();
  ~amqp_connection();
  amqp_connection(const amqp_connection&) = delete;
  amqp_connection& operator=(const amqp_connection&) = delete;

  /// Parses `url`, connects, logs in to `vhost` and opens a channel. Error text (no password)
  /// on failure, empty on success.
  std::string open(const std::string& url, const std::string& vhost, int timeout_ms);

  amqp_connection_state_t state() const { return state_; }
  amqp_channel_t channel() const { return channel_; }

  /// Checks the reply of the last synchronous call: empty when it succeeded, else
  /// `<what>: <reply code> <reply text>`; recovers the channel after a channel error.
  std::string check(const std::string& what);

private:
  std::string describe(const amqp_rpc_reply_t& r, const std::string& what);
  std::string open_channel();

  amqp_connection_state_t state_ = nullptr;
  amqp_channel_t channel_ = 0;
  bool logged_in_ = false;
  bool dead_ = false;
  std::string where_; ///< host:port/vhost, for messages
};

/// A field table whose strings live as long as the table.
class amqp_args {
public:
  void add(const std::string& key, const std::string& value);
  void add(const std::string& key, int64_t value);
  void add(const std::string& key, bool value);
  /// Valid until this object changes or dies.
  amqp_table_t table();

private:
  struct entry {
    std::string key;
    std::string text;
    amqp_field_value_t value;
  };
  std::vector<entry> entries_;
  std::vector<amqp_table_entry_t> raw_;
};

} // namespace tradewind::topology::impl
