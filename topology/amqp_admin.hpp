#pragma once
// Declares exchanges, queues and bindings over AMQP 0-9-1 (rabbitmq-c, wrapped in
// topology/impl/ so this header stays free of the C API). Declarations are idempotent: an
// object that exists with the same properties is left as it is; one with other properties
// makes the broker refuse (PRECONDITION_FAILED), reported as an error. Blocking: call it
// from a thread that may block. One admin per thread (rabbitmq-c connections are not
// thread-safe).

#include <memory>
#include <string>

#include "topology/broker_state.hpp"

namespace tradewind::topology {

namespace impl {
class amqp_connection;
}

class amqp_admin {
public:
  /// Connects to `url` (`amqp://user:pass@host:port/`) and opens a channel in `vhost` (the
  /// URL's own vhost is ignored: the topology names its vhost). Returns nullptr and sets
  /// `error` (without the password) on failure.
  static std::unique_ptr<amqp_admin> connect(const std::string& url, const std::string& vhost, std::string& error,
                                             int timeout_ms = 10'000);

  ~amqp_admin();
  amqp_admin(const amqp_admin&) = delete;
  amqp_admin& operator=(const amqp_admin&) = delete;

  /// exchange.declare; returns an error text, empty on success.
  std::string declare(const exchange_state& e);
  /// queue.declare (never exclusive); returns an error text, empty on success.
  std::string declare(const queue_state& q);
  /// queue.bind; returns an error text, empty on success.
  std::string bind(const binding_state& b);
  /// Exchanges, then queues, then bindings; stops at the first error and returns it.
  std::string declare_all(const broker_state& s);

private:
  explicit amqp_admin(std::unique_ptr<impl::amqp_connection> conn);
  std::unique_ptr<impl::amqp_connection> conn_;
};

} // namespace tradewind::topology
