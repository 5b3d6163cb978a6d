#include "schemas/json/codec.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "schemas/json/fields.hpp"
#include "schemas/json/strict.hpp"

// Every message type, once; expands the per-type overloads and instantiations below.
#define TW_JSON_MESSAGE_TYPES(X)                                                                     \
  X(trade_tick) X(bar) X(signal) X(order_intent) X(risk_decision) X(order) X(fill) X(cancel_request) \
  X(position_update) X(account_snapshot) X(alert) X(control_command) X(heartbeat) X(watermark)      \
  X(risk_limits_update) X(risk_limits_report) X(strategy_update) X(strategy_report)  \
  X(trading_state_changed)

// Nested values that are also encoded and decoded on their own (no envelope, no type name).
#define TW_JSON_NESTED_TYPES(X) X(risk_limits) X(strategy_params)

namespace tradewind::json {

// ordered_json keeps keys in insertion order, so the output follows struct order.
using ojson = nlohmann::ordered_json;

namespace {
// One overload per type; type_name<T>() picks by pointer type (instantiated at the end).
#define TW_JSON_WIRE_NAME(T) \
  constexpr std::string_view wire_name(const T*) { return #T; }
TW_JSON_MESSAGE_TYPES(TW_JSON_WIRE_NAME)
#undef TW_JSON_WIRE_NAME
} // namespace

template <class T>
std::string_view type_name() {
  return wire_name(static_cast<const T*>(nullptr));
}

std::string_view type_name(const any_message& msg) {
  return std::visit([](const auto& x) { return type_name<std::decay_t<decltype(x)>>(); }, msg);
}

namespace {

template <class T, class Variant>
struct is_alternative;
template <class T, class... Ts>
struct is_alternative<T, std::variant<Ts...>> : std::disjunction<std::is_same<T, Ts>...> {};
template <class T>
constexpr bool is_message_v = is_alternative<T, any_message>::value || std::is_same_v<T, strategy_position>
                               || std::is_same_v<T, risk_limits> || std::is_same_v<T, strategy_params>;

/// Serializes without throwing on invalid UTF-8 (it becomes U+FFFD): a bad byte in a free-text
/// field must not take down the publisher.
std::string dump(const ojson& j) {
  return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

/// A JSON string literal for error messages, shortened so an error stays one readable line.
std::string json_quote(const std::string& s) {
  constexpr size_t max_chars = 40;
  if (s.size() <= max_chars)
    return dump(ojson(s));
  std::string out = dump(ojson(s.substr(0, max_chars))); // a cut UTF-8 sequence becomes U+FFFD
  return out.insert(out.size() - 1, "...");
}

std::string join(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

// ---------------------------------------------------------------------------------- encoding

ojson encode_value(const std::string& x) { return x; }
ojson encode_value(bool x) { return x; }
ojson encode_value(int32_t x) { return x; }
ojson encode_value(int64_t x) { return x; }
ojson encode_value(uint64_t x) { return x; }
/// Exact decimal text, never a JSON number: a double cannot hold every 8-digit decimal.
ojson encode_value(fixed x) { return x.to_string(); }
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
ojson encode_value(E x) {
  return std::string(to_string(x));
}
template <class T>
ojson encode_value(const std::vector<T>& xs);
template <class T, std::enable_if_t<is_message_v<T>, int> = 0>
ojson encode_value(const T& x);

struct object_encoder {
  ojson out = ojson::object();

  template <class T>
  void operator()(const char* name, const T& value) {
    out[name] = encode_value(value);
  }
};

template <class T>
ojson encode_value(const std::vector<T>& xs) {
  ojson out = ojson::array();
  for (const auto& x : xs)
    out.push_back(encode_value(x));
  return out;
}

template <class T, std::enable_if_t<is_message_v<T>, int>>
ojson encode_value(const T& x) {
  object_encoder enc;
  // fields() takes a mutable struct because the decoder shares it; the encoder only reads.
  detail::fields(enc, const_cast<T&>(x));
  return std::move(enc.out);
}

// ---------------------------------------------------------------------------------- decoding

/// Keeps the first error; later checks become no-ops so one bad field gives one clear message.
struct error_slot {
  std::optional<decode_error> first;

  bool failed() const { return first.has_value(); }
  void fail(std::string path, std::string reason) {
    if (!first)
      first = decode_error{std::move(path), std::move(reason)};
  }
};

std::string kind_of(const ojson& j) {
  switch (j.type()) {
    case ojson::value_t::null: return "null";
    case ojson::value_t::object: return "object";
    case ojson::value_t::array: return "array";
    case ojson::value_t::string: return "string";
    case ojson::value_t::boolean: return "boolean";
    case ojson::value_t::number_integer:
    case ojson::value_t::number_unsigned:
    case ojson::value_t::number_float: return "number";
    default: return "binary";
  }
}

/// Any JSON value, kept unparsed (the envelope's "data" until its type is known).
struct raw_json {
  const ojson* value = nullptr;
};

void decode_value(const ojson& j, const std::string& path, raw_json& out, error_slot&) {
  out.value = &j;
}

void decode_value(const ojson& j, const std::string& path, std::string& out, error_slot& e) {
  if (!j.is_string())
    return e.fail(path, "expected a string, got " + kind_of(j));
  out = j.get_ref<const std::string&>();
}

void decode_value(const ojson& j, const std::string& path, bool& out, error_slot& e) {
  if (!j.is_boolean())
    return e.fail(path, "expected a boolean, got " + kind_of(j));
  out = j.get<bool>();
}

template <class Int>
void decode_integer(const ojson& j, const std::string& path, Int& out, error_slot& e,
                    const char* int_name) {
  using limits = std::numeric_limits<Int>;
  auto out_of_range = [&] {
    e.fail(path, std::string("integer out of range for ") + int_name + " (got " + dump(j) + ")");
  };
  if (j.is_number_unsigned()) { // nlohmann stores every non-negative integer here
    auto v = j.get<uint64_t>();
    if (v > static_cast<uint64_t>(limits::max()))
      return out_of_range();
    out = static_cast<Int>(v);
  } else if (j.is_number_integer()) {
    auto v = j.get<int64_t>();
    if (v < static_cast<int64_t>(limits::min()) ||
        (v > 0 && static_cast<uint64_t>(v) > static_cast<uint64_t>(limits::max())))
      return out_of_range();
    out = static_cast<Int>(v);
  } else if (j.is_number_float()) {
    // nlohmann parses integer literals beyond 64 bits as doubles; call those out of range
    // rather than "not an integer". 1.0 or 1e3 in range are still rejected: we emit integers.
    auto d = j.get<double>();
    bool integral = std::isfinite(d) && std::trunc(d) == d;
    // max() + 1 is a power of two, exact as a double (max() itself may round up to it).
    double upper = static_cast<double>(limits::max()) + 1.0;
    if (integral && (d < static_cast<double>(limits::min()) || d >= upper))
      return out_of_range();
    e.fail(path, "expected an integer, got number");
  } else {
    e.fail(path, "expected an integer, got " + kind_of(j));
  }
}

void decode_value(const ojson& j, const std::string& path, int32_t& out, error_slot& e) {
  decode_integer(j, path, out, e, "int32");
}
void decode_value(const ojson& j, const std::string& path, int64_t& out, error_slot& e) {
  decode_integer(j, path, out, e, "int64");
}
void decode_value(const ojson& j, const std::string& path, uint64_t& out, error_slot& e) {
  decode_integer(j, path, out, e, "uint64");
}

/// Only decimal strings: a JSON number would have passed through some parser's double and may
/// already have lost digits (0.1 + 0.2 style), so accepting one would hide precision bugs.
void decode_value(const ojson& j, const std::string& path, fixed& out, error_slot& e) {
  if (!j.is_string())
    return e.fail(path, "expected a decimal string, got " + kind_of(j));
  const auto& text = j.get_ref<const std::string&>();
  auto parsed = fixed::parse(text);
  // fixed::parse wraps around just past ±92233720368.54775807 (e.g. "92233720368.9" comes back
  // negative); a sign that disagrees with the text is that overflow.
  if (parsed && !parsed->is_zero() && (parsed->raw < 0) != (!text.empty() && text[0] == '-'))
    parsed.reset();
  if (!parsed)
    return e.fail(path, "invalid decimal " + json_quote(text) +
                          " (expected plain decimal text with at most 8 fractional digits)");
  out = *parsed;
}

/// "a, b, c": every text name of E (enums are dense from 0; to_string says "unknown" past the end).
template <class E>
std::string enum_names() {
  std::string out;
  for (unsigned i = 0; i <= std::numeric_limits<std::underlying_type_t<E>>::max(); ++i) {
    auto name = to_string(static_cast<E>(i));
    if (name == "unknown")
      break;
    if (!out.empty())
      out += ", ";
    out += name;
  }
  return out;
}

template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void decode_value(const ojson& j, const std::string& path, E& out, error_slot& e) {
  if (!j.is_string())
    return e.fail(path, "expected a string, got " + kind_of(j));
  const auto& text = j.get_ref<const std::string&>();
  auto parsed = enum_from_string<E>(text);
  if (!parsed)
    return e.fail(path, "unknown value " + json_quote(text) + " (expected one of: " +
                          enum_names<E>() + ")");
  out = *parsed;
}

template <class T>
void decode_value(const ojson& j, const std::string& path, std::vector<T>& out, error_slot& e);
template <class T, std::enable_if_t<is_message_v<T>, int> = 0>
void decode_value(const ojson& j, const std::string& path, T& out, error_slot& e);

/// Reads the fields of one JSON object in fields() order, then rejects keys nobody asked for.
class object_decoder {
public:
  object_decoder(const ojson& obj, std::string path, error_slot& e)
    : obj_(obj), path_(std::move(path)), e_(e) {}

  template <class T>
  void operator()(const char* name, T& value) {
    known_.emplace_back(name);
    if (e_.failed())
      return;
    auto it = obj_.find(name);
    if (it == obj_.end())
      return e_.fail(join(path_, name), "missing required field");
    decode_value(*it, join(path_, name), value, e_);
  }

  void reject_unknown_fields() {
    for (auto it = obj_.begin(); it != obj_.end() && !e_.failed(); ++it)
      if (std::find(known_.begin(), known_.end(), it.key()) == known_.end())
        e_.fail(join(path_, it.key()), "unknown field");
  }

private:
  const ojson& obj_;
  std::string path_;
  error_slot& e_;
  std::vector<std::string_view> known_;
};

template <class T>
void decode_value(const ojson& j, const std::string& path, std::vector<T>& out, error_slot& e) {
  if (!j.is_array())
    return e.fail(path, "expected an array, got " + kind_of(j));
  out.clear();
  out.reserve(j.size());
  for (size_t i = 0; i < j.size() && !e.failed(); ++i)
    decode_value(j[i], path + "[" + std::to_string(i) + "]", out.emplace_back(), e);
}

template <class T, std::enable_if_t<is_message_v<T>, int>>
void decode_value(const ojson& j, const std::string& path, T& out, error_slot& e) {
  if (!j.is_object())
    return e.fail(path, "expected an object, got " + kind_of(j));
  object_decoder d(j, path, e);
  detail::fields(d, out);
  d.reject_unknown_fields();
}

// ---------------------------------------------------------------------------------- parsing

/// Parses text into a DOM with the one strict parser (schemas/json/strict.hpp): depth capped
/// while parsing, duplicate keys refused; malformed text gives nlohmann's message (line, column).
std::optional<ojson> parse(std::string_view text, error_slot& e) {
  ojson out;
  if (auto err = parse_strict(text, out)) {
    e.fail(std::move(err->path), std::move(err->reason));
    return std::nullopt;
  }
  return out;
}

/// Runs a decoding step; turns the unexpected (std::bad_alloc, a library bug) into an error value.
template <class T, class F>
decode_result<T> guarded(F&& step) {
  try {
    return step();
  } catch (const std::exception& ex) {
    return decode_error{"", std::string("internal decoder error: ") + ex.what()};
  } catch (...) {
    return decode_error{"", "internal decoder error"};
  }
}

// ---------------------------------------------------------------------------------- envelope

/// An envelope's header fields, with "data" left undecoded until the type is known.
struct envelope {
  std::string type;
  int64_t schema_version = 0;
  raw_json data;
};

void read_envelope(const ojson& root, envelope& env, error_slot& e) {
  if (!root.is_object())
    return e.fail("", "expected an object, got " + kind_of(root));
  object_decoder d(root, "", e);
  d("type", env.type);
  d("schema_version", env.schema_version);
  d("data", env.data);
  d.reject_unknown_fields();
}

template <class T>
void decode_envelope_data(const envelope& env, T& out, error_slot& e) {
  if (env.schema_version != T::schema_version)
    return e.fail("schema_version", "unsupported version " + std::to_string(env.schema_version) +
                                      " for " + std::string(type_name<T>()) + " (supported: " +
                                      std::to_string(T::schema_version) + ")");
  decode_value(*env.data.value, "data", out, e);
}

/// Finds the alternative named env.type and decodes into it.
template <size_t I = 0>
void decode_any(const envelope& env, std::optional<any_message>& out, error_slot& e) {
  if constexpr (I < std::variant_size_v<any_message>) {
    using T = std::variant_alternative_t<I, any_message>;
    if (env.type != type_name<T>())
      return decode_any<I + 1>(env, out, e);
    T value{};
    decode_envelope_data(env, value, e);
    if (!e.failed())
      out = std::move(value);
  } else {
    e.fail("type", "unknown message type " + json_quote(env.type));
  }
}

} // namespace

// ---------------------------------------------------------------------------------- public API

#define TW_JSON_TO_JSON(T) \
  std::string to_json(const T& x) { return dump(encode_value(x)); }
TW_JSON_MESSAGE_TYPES(TW_JSON_TO_JSON)
TW_JSON_NESTED_TYPES(TW_JSON_TO_JSON)
#undef TW_JSON_TO_JSON

namespace {

std::string shown(const ojson& v) {
  return v.is_string() ? v.get<std::string>() : dump(v);
}

template <class T>
std::string changes_between(const T& before, const T& after) {
  auto a = encode_value(before);
  auto b = encode_value(after);
  std::string out;
  for (auto it = a.begin(); it != a.end(); ++it)
    if (it.value() != b[it.key()])
      out += (out.empty() ? "" : ", ") + it.key() + " " + shown(it.value()) + " -> " + shown(b[it.key()]);
  return out;
}

} // namespace

std::string describe_changes(const risk_limits& before, const risk_limits& after) {
  return changes_between(before, after);
}

std::string describe_changes(const strategy_params& before, const strategy_params& after) {
  return changes_between(before, after);
}

template <class T>
decode_result<T> from_json(std::string_view text) {
  return guarded<T>([&]() -> decode_result<T> {
    error_slot e;
    auto root = parse(text, e);
    T out{};
    if (!e.failed())
      decode_value(*root, "", out, e);
    if (e.failed())
      return std::move(*e.first);
    return out;
  });
}

template <class T>
std::string to_envelope(const T& x) {
  ojson env = ojson::object();
  env["type"] = std::string(type_name<T>());
  env["schema_version"] = T::schema_version;
  env["data"] = encode_value(x);
  return dump(env);
}

std::string to_envelope(const any_message& msg) {
  return std::visit([](const auto& x) { return to_envelope(x); }, msg);
}

decode_result<any_message> from_envelope(std::string_view text) {
  return guarded<any_message>([&]() -> decode_result<any_message> {
    error_slot e;
    envelope env;
    std::optional<any_message> out;
    auto root = parse(text, e);
    if (!e.failed())
      read_envelope(*root, env, e);
    if (!e.failed())
      decode_any(env, out, e);
    if (e.failed())
      return std::move(*e.first);
    return std::move(*out);
  });
}

template <class T>
decode_result<T> from_envelope_as(std::string_view text) {
  return guarded<T>([&]() -> decode_result<T> {
    error_slot e;
    envelope env;
    T out{};
    auto root = parse(text, e);
    if (!e.failed())
      read_envelope(*root, env, e);
    if (!e.failed() && env.type != type_name<T>())
      e.fail("type", "expected " + json_quote(std::string(type_name<T>())) + ", got " +
                       json_quote(env.type));
    if (!e.failed())
      decode_envelope_data(env, out, e);
    if (e.failed())
      return std::move(*e.first);
    return out;
  });
}

#define TW_JSON_INSTANTIATE(T)                                          \
  template std::string_view type_name<T>();                            \
  template decode_result<T> from_json<T>(std::string_view);            \
  template std::string to_envelope<T>(const T&);                       \
  template decode_result<T> from_envelope_as<T>(std::string_view);
TW_JSON_MESSAGE_TYPES(TW_JSON_INSTANTIATE)
#undef TW_JSON_INSTANTIATE

#define TW_JSON_INSTANTIATE_NESTED(T) template decode_result<T> from_json<T>(std::string_view);
TW_JSON_NESTED_TYPES(TW_JSON_INSTANTIATE_NESTED)
#undef TW_JSON_INSTANTIATE_NESTED

} // namespace tradewind::json
