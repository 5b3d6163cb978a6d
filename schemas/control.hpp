#pragma once
// Control-plane messages: alerts, operator commands, heartbeats and event-time watermarks.

#include <cstdint>
#include <string>
#include <vector>

#include "schemas/enums.hpp"

namespace tradewind {

/// Something an operator should know about; routed by severity to notifier channels.
struct alert {
  static constexpr int schema_version = 1;
  severity level = severity::info;
  std::string code;      ///< stable machine name: "breaker_tripped", "actor_restarted", …
  std::string source;    ///< actor or component that raised it
  std::string message;   ///< one line for humans
  int64_t ts_ms = 0;     ///< wall-clock time it was raised
};

/// Operator command that switches the trading state of a scope.
struct control_command {
  static constexpr int schema_version = 1;
  control_action action = control_action::halt;
  scope_kind scope = scope_kind::node;
  std::string scope_id;  ///< strategy id or symbol; empty for node scope
  std::string reason;
  std::string issued_by; ///< operator, API key id or component
  int64_t ts_ms = 0;
};

/// Liveness of a node, published periodically.
struct heartbeat {
  static constexpr int schema_version = 1;
  std::string node;
  uint64_t seq = 0;
  int64_t ts_ms = 0;
  std::vector<std::string> actors;
  trading_state state = trading_state::active;
};

/// Event-time progress marker: its sender has emitted everything with event time <= ts_ms.
/// Watermarks are what make a run deterministic: each stage waits for its inputs'
/// watermarks instead of relying on message arrival order across actors.
struct watermark {
  static constexpr int schema_version = 1;
  std::string source;    ///< "market", "strategy:<id>", "account", "risk"
  int64_t ts_ms = 0;
  bool end_of_stream = false; ///< the source will emit nothing more
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, alert& x) {
  return f(caf_type_name("alert"), x.level, x.code, x.source, x.message, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, control_command& x) {
  return f(caf_type_name("control_command"), x.action, x.scope, x.scope_id, x.reason, x.issued_by,
           x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, heartbeat& x) {
  return f(caf_type_name("heartbeat"), x.node, x.seq, x.ts_ms, x.actors, x.state);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, watermark& x) {
  return f(caf_type_name("watermark"), x.source, x.ts_ms, x.end_of_stream);
}

} // namespace tradewind
