#pragma once
// The WebSocket stream's client messages ({"action":"subscribe"|"unsubscribe","topics":[…]}):
// parsed strictly, applied to a client's topic set, answered with one reply. Pure logic, so
// the session only moves bytes and every hostile message can be tested and fuzzed here.

#include <set>
#include <string>
#include <string_view>

#include "bridge/rest/stream_queue.hpp"

namespace tradewind::rest {

/// Applies one client message to `topics` (changed only when the whole message is valid) and
/// returns the reply to send: {"type":"subscribed"|"unsubscribed","topics":[…]} or
/// {"type":"error","detail":…}. The detail never quotes more than a bounded preview of the
/// client's value.
std::string apply_stream_message(std::string_view text, std::set<stream_topic>& topics);

} // namespace tradewind::rest
