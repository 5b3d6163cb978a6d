#pragma once
// The one strict JSON parser for text from outside the process (HTTP bodies, WebSocket
// messages, AMQP payloads, keys files): nesting depth capped while parsing, duplicate keys and
// numbers beyond a double rejected, error texts bounded and naming the field, never the value.
// The codec (codec.cpp) parses with it too.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace tradewind::json {

/// Why strict parsing refused a document.
enum class parse_failure : uint8_t {
  malformed,           ///< not one JSON text (syntax, invalid UTF-8, trailing bytes)
  too_deep,            ///< arrays/objects nested deeper than parse_limits::max_depth
  duplicate_key,       ///< an object names the same key twice
  number_out_of_range, ///< a number a double cannot hold (|x| >= ~1.8e308)
};

/// Limits applied while parsing (before any value is built past them).
struct parse_limits {
  /// Deepest nesting of arrays and objects accepted; the top-level value is depth 1. No Tradewind
  /// message goes deeper than 5, so 32 leaves room and keeps every later recursion (dump,
  /// compare, copy) far from the stack's end.
  int max_depth = 32;
};

/// A refused document: what, where (field path, "" for the whole document) and a bounded reason.
struct parse_error {
  parse_failure kind = parse_failure::malformed;
  std::string path;   ///< "topics[0]", "limits.max_open_orders"; at most ~120 characters
  std::string reason; ///< e.g. "duplicate field"; never contains the offending value

  /// "field 'path': reason", or the reason alone when the path is empty.
  std::string message() const { return path.empty() ? reason : "field '" + path + "': " + reason; }
};

/// Parses `text` into `out`. nullopt on success; otherwise `out` is left null.
std::optional<parse_error> parse_strict(std::string_view text, nlohmann::json& out, const parse_limits& limits = {});
/// Same, keeping object keys in document order.
std::optional<parse_error> parse_strict(std::string_view text, nlohmann::ordered_json& out,
                                        const parse_limits& limits = {});
/// Strictly parses a MessagePack document (same depth and duplicate-key rules).
std::optional<parse_error> parse_strict_msgpack(std::string_view bytes, nlohmann::json& out,
                                                const parse_limits& limits = {});

/// `text` as a JSON string literal for an error message, cut to `max_chars` bytes (+ "...").
std::string quoted_preview(std::string_view text, size_t max_chars = 40);

} // namespace tradewind::json
