#pragma once
// What the AMQP link puts on the wire and how it reads it back: the JSON envelope, the
// headers of every message, message ids for de-duplication, and the decision taken for a
// delivery (hand over, drop, dead-letter). Pure logic: no CAF, no rabbitmq-c.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "schemas/json/codec.hpp"
#include "topology/model.hpp"

namespace tradewind::amqp {

/// Header names carried by every message the link publishes.
namespace header {
inline constexpr const char* message_type = "message_type";     ///< wire type name ("fill")
inline constexpr const char* schema_version = "schema_version"; ///< the type's schema version
inline constexpr const char* origin_node = "origin_node";       ///< node whose actor produced it
inline constexpr const char* trace_id = "trace_id";             ///< "<node>-<publisher epoch ms>-<seq>"
inline constexpr const char* sent_at_ms = "sent_at_ms";         ///< wall clock when published, Unix ms
/// Added to a message the consumer could not decode, when it re-publishes it to the queue's
/// dead-letter exchange: why it was rejected.
inline constexpr const char* error = "x-tradewind-error";
/// Added with `error`: the queue the message was consumed from.
inline constexpr const char* error_queue = "x-tradewind-queue";
} // namespace header

/// Content types of a body: the schemas/json envelope as JSON text, or the same document as
/// MessagePack (a route's `encoding: msgpack`).
inline constexpr const char* content_type_json = "application/json";
inline constexpr const char* content_type_msgpack = "application/msgpack";

/// One message ready for basic.publish.
struct outgoing {
  std::string exchange;
  std::string routing_key;
  std::string body;        ///< schemas/json envelope, as JSON or MessagePack
  const char* content_type = content_type_json;
  std::string message_id;  ///< message_id(): consumers drop a second copy
  std::string type;        ///< header message_type
  int schema_version = 0;  ///< header schema_version
  std::string origin_node; ///< header origin_node
  std::string trace_id;    ///< header trace_id
  int64_t sent_at_ms = 0;  ///< header sent_at_ms
  bool persistent = false; ///< delivery_mode 2 (every message of the link; heartbeats are transient)
};

/// The topology message type of `msg`.
topology::message_type type_of(const json::any_message& msg);

/// Symbol of `msg` for sharding; empty for types without one.
std::string symbol_of(const json::any_message& msg);

/// De-duplication id of `msg` published by node `origin`: "order_intent:<client_order_id>",
/// "risk_decision:<client_order_id>", "fill:<fill_id>"; for every other type
/// "<type>:<origin>:<16 hex digits of FNV-1a-64 of `body`>" (a re-publish carries the same
/// body; two different messages of one node never do, but two nodes' alerts can: the same
/// actor name, text and millisecond when the broker drops every connection at once).
std::string message_id(const json::any_message& msg, std::string_view body, std::string_view origin);

/// A watermark of a strategy crossing the broker names its node: "strategy:<id>" becomes
/// "strategy:<id>@<node>", so that the risk gate waits for each strategy node separately when
/// a strategy id is sharded over several nodes. Other sources are returned as they are.
std::string qualify_source(const std::string& source, std::string_view node);

/// The envelope of `msg` in `encoding` (MessagePack: the JSON document, encoded; about a third
/// smaller for market data).
std::string encode_body(const json::any_message& msg, topology::wire_encoding encoding);

/// Builds the message for `msg` (already on local topic `pub.id`) published by `node`,
/// encoded as its route says,
/// persistent: a classic queue drops transient messages when the broker restarts, and a lost
/// watermark or end of stream would stall every node behind it. Strategy watermarks are
/// qualified (qualify_source) before encoding.
outgoing make_outgoing(json::any_message msg, const topology::publication& pub, std::string_view node,
                       std::string trace_id, int64_t now_ms);

/// What the consumer does with one delivery.
enum class verdict : uint8_t {
  deliver,     ///< decoded: hand it to the local topic, then ack
  own_origin,  ///< published by this node (delivered in-process already): ack and drop
  duplicate,   ///< message id seen in the window: ack and drop
  dead_letter, ///< undecodable or wrong topic: to the dead-letter exchange with `reason`
};

/// Result of inspecting one delivery.
struct inspection {
  verdict what = verdict::dead_letter;
  std::optional<json::any_message> message; ///< set for deliver
  std::string id;                           ///< message id (deliver, duplicate)
  std::string reason;                       ///< dead_letter: why, one line
};

/// Bounded set of recently seen message ids (oldest forgotten first).
class dedupe_window {
public:
  explicit dedupe_window(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
  /// True when `id` was not in the window (it is now); false for a duplicate.
  bool insert(const std::string& id);
  size_t size() const { return order_.size(); }

private:
  size_t capacity_;
  std::deque<std::string> order_;
  std::unordered_set<std::string> ids_;
};

/// A streak of the same failure (refused connection attempts while the broker is down): the
/// first failure is alerted, then at most one per `interval_ms`; the others are only logged,
/// so an outage raises a handful of alerts per link actor, not one per attempt. A success ends
/// the streak. `interval_ms` 0 alerts every failure.
class repeat_gate {
public:
  explicit repeat_gate(int64_t interval_ms) : interval_ms_(interval_ms) {}
  /// Records a failure at `now_ms`; true when it is to be alerted.
  bool failure(int64_t now_ms);
  void success();
  /// Failures of the current streak, the last one included.
  uint64_t streak() const { return streak_; }
  /// When failure() returned true: the failures before it that were not alerted.
  uint64_t not_alerted() const { return not_alerted_; }
  /// " (attempt N; M not alerted since the last alert)" for the alert text; empty for the
  /// first failure of a streak.
  std::string note() const;

private:
  int64_t interval_ms_;
  int64_t last_alert_ms_ = 0;
  uint64_t streak_ = 0;
  uint64_t since_alert_ = 0;
  uint64_t not_alerted_ = 0;
};

/// Decides what to do with a delivery of `body` from a queue feeding local topic `t`.
/// `origin` is the origin_node header (empty when absent); `content_type` says how to read
/// the body (empty or application/json: JSON text; application/msgpack; anything else is
/// dead-lettered). Registers the id in `seen` when the message is delivered.
inspection inspect_delivery(std::string_view body, std::string_view origin, std::string_view own_node, topic t,
                            dedupe_window& seen, std::string_view content_type = content_type_json);

} // namespace tradewind::amqp
