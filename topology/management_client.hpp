#pragma once
// A few calls of RabbitMQ's management HTTP API (plugin rabbitmq_management) with basic
// authentication: read the exchanges, queues and bindings of a vhost, create and delete
// vhosts. Blocking (net/http_client): call it from a thread that may block, never from the CAF
// scheduler. Passwords never appear in returned errors.

#include <cstdint>
#include <optional>
#include <string>

#include "topology/broker_state.hpp"

namespace tradewind::topology {

/// A broker state, or why it could not be read.
struct fetch_result {
  std::optional<broker_state> state;
  std::string error; ///< empty on success
};

class management_client {
public:
  /// `url`: `http://user:pass@host:port` (a path prefix is kept: `http://h:15672/rabbitmq`).
  explicit management_client(const std::string& url, int64_t timeout_ms = 10'000);

  /// GET /api/exchanges/{vhost}, /api/queues/{vhost} and /api/bindings/{vhost}. Leaves out the
  /// broker's own objects: the default exchange, `amq.*` exchanges, default-exchange bindings
  /// and exchange-to-exchange bindings. A missing vhost is an error naming it.
  fetch_result fetch_state(const std::string& vhost) const;

  /// PUT /api/vhosts/{vhost}; returns an error text, empty on success (also when it exists).
  std::string create_vhost(const std::string& vhost) const;

  /// DELETE /api/vhosts/{vhost}; returns an error text, empty on success.
  std::string delete_vhost(const std::string& vhost) const;

  /// The URL without the password, for messages.
  const std::string& shown_url() const { return shown_url_; }

private:
  struct reply {
    int status = 0;
    std::string body;
    std::string error;
  };
  reply call(const std::string& method, const std::string& path, const std::string& body = "") const;

  std::string base_url_;
  std::string authorization_;
  std::string shown_url_;
  int64_t timeout_ms_;
};

} // namespace tradewind::topology
