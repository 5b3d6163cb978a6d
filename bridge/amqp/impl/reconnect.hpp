#pragma once
// What every link actor (publisher, consumer, membership) does about its broker connection:
// exponential back-off between attempts, the alerts of an outage (amqp_connection_lost,
// amqp_connect_failed rate-limited, amqp_reconnected), the connection metrics, and how any
// of its alerts is raised. Internal to bridge/amqp; lives inside one link actor (its thread).

#include <chrono>
#include <cstdint>
#include <string>

#include "caf/group.hpp"

#include "bridge/amqp/wire.hpp"
#include "config/node_config.hpp"
#include "schemas/enums.hpp"

namespace tradewind {
struct node_context;
}

namespace tradewind::amqp {
class connection_metrics;
}

namespace tradewind::amqp::impl {

class reconnector {
public:
  /// `actor`: the alert source and log field (`amqp-out:signals`, `amqp-in:<queue>`,
  /// `membership`); `role`: how texts name it (`publisher amqp-out:signals`, `membership`);
  /// `metrics`: the actor's connection figures, nullptr when it has none.
  reconnector(std::string actor, std::string role, const amqp_config& cfg, node_context& ctx, caf::group alerts,
              connection_metrics* metrics);

  /// True once the back-off after the last failure or loss has passed.
  bool due() const { return clock::now() >= next_attempt_; }

  /// A connect attempt failed with `error`: alert amqp_connect_failed for the first one of an
  /// outage, then at most once per amqp.connect_alert_interval_ms (logged only in between);
  /// the next attempt waits the back-off, which doubles up to amqp.reconnect_max_ms.
  void failed(const std::string& error);

  /// Connected to `where`: the back-off starts again at amqp.reconnect_initial_ms; after an
  /// outage alert amqp_reconnected, else log amqp_connected.
  void connected(const std::string& where);

  /// The open connection broke (`why`): alert amqp_connection_lost; the next attempt waits the
  /// current back-off. The caller closes the connection.
  void lost(const std::string& why);

  /// Logs the alert (info at info, else warn) and sends it to the node's alerts topic,
  /// anonymously: an alert sent by a consumer would look imported and never leave the node.
  void raise(severity level, const std::string& code, const std::string& text);

private:
  using clock = std::chrono::steady_clock;

  std::string actor_;
  std::string role_;
  const amqp_config& cfg_;
  node_context& ctx_;
  caf::group alerts_;
  connection_metrics* metrics_;
  repeat_gate connect_failures_;
  int64_t backoff_ms_;
  bool was_down_ = false;
  clock::time_point next_attempt_{};
};

} // namespace tradewind::amqp::impl
