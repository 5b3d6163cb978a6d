#pragma once
// JSON encoding of every Tradewind message type, with strict decoding and a versioned envelope.
// Encoding rules (decimals as strings, field names, envelope, versioning): schemas/json/README.md.
// The JSON library stays in codec.cpp; this header exposes text in and text out only.

#include <string>
#include <string_view>
#include <variant>

#include "schemas/control.hpp"
#include "schemas/json/decode_result.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind::json {

/// Any message that can travel in an envelope. The order of alternatives is not part of the
/// wire format (the envelope names the type), but keep it stable for readers of `index()`.
using any_message =
  std::variant<trade_tick, bar, signal, order_intent, risk_decision, order, fill, cancel_request,
               position_update, account_snapshot, alert, control_command, heartbeat, watermark,
               risk_limits_update, risk_limits_report, strategy_update, strategy_report,
               trading_state_changed>;

/// Wire name of a message type, e.g. type_name<fill>() == "fill"; the envelope's "type".
/// Defined for the alternatives of any_message only.
template <class T>
std::string_view type_name();

/// Wire name of the message held by `msg`.
std::string_view type_name(const any_message& msg);

/// Encodes a message as a compact JSON object whose keys are the struct's field names, in
/// declaration order. Decimals become strings, enums their text names. Never throws except
/// std::bad_alloc; invalid UTF-8 in strings is replaced by U+FFFD.
std::string to_json(const trade_tick& x);
std::string to_json(const bar& x);
std::string to_json(const signal& x);
std::string to_json(const order_intent& x);
std::string to_json(const risk_decision& x);
std::string to_json(const order& x);
std::string to_json(const fill& x);
std::string to_json(const cancel_request& x);
std::string to_json(const position_update& x);
std::string to_json(const account_snapshot& x);
std::string to_json(const alert& x);
std::string to_json(const control_command& x);
std::string to_json(const heartbeat& x);
std::string to_json(const watermark& x);
std::string to_json(const risk_limits_update& x);
std::string to_json(const risk_limits_report& x);
std::string to_json(const strategy_update& x);
std::string to_json(const strategy_report& x);
std::string to_json(const trading_state_changed& x);
/// Nested values that are also read on their own (the REST API's limit and parameter bodies).
std::string to_json(const risk_limits& x);
std::string to_json(const strategy_params& x);

/// Strictly decodes the output of to_json(const T&): the text must be one JSON object with
/// exactly T's fields (no missing, unknown or duplicate keys), each of the right JSON type
/// and range. Never throws; the error names the first offending field path.
/// Defined for the alternatives of any_message and for risk_limits and strategy_params.
template <class T>
decode_result<T> from_json(std::string_view text);

/// "name old -> new" for every field that differs, in field order, joined with ", " (values as
/// encoded, decimals unquoted: "max_open_orders 10 -> 3, max_position_pct 50 -> 12.5"); empty
/// when nothing differs. For the alerts and logs of live updates.
std::string describe_changes(const risk_limits& before, const risk_limits& after);
std::string describe_changes(const strategy_params& before, const strategy_params& after);

/// Wraps a message for the wire: {"type":"fill","schema_version":1,"data":{...}}.
/// Defined for the alternatives of any_message only.
template <class T>
std::string to_envelope(const T& x);

/// Envelope of whichever message `msg` holds.
std::string to_envelope(const any_message& msg);

/// Decodes an envelope of any known type. Errors: unknown "type", a "schema_version" other than
/// the one this build knows for that type, or any strict-decoding error inside "data" (paths
/// are prefixed with "data."). Never throws.
decode_result<any_message> from_envelope(std::string_view text);

/// Decodes an envelope that must hold a T (e.g. a REST endpoint accepting only control_command);
/// another type name is an error on field 'type'. Never throws.
template <class T>
decode_result<T> from_envelope_as(std::string_view text);

} // namespace tradewind::json
