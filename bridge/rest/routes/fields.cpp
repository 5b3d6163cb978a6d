#include "bridge/rest/routes/fields.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "schemas/json/strict.hpp"

namespace tradewind::rest::routes {

using nlohmann::json;

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string clip(const std::string& s, size_t max_chars) {
  return s.size() <= max_chars ? s : s.substr(0, max_chars) + "...";
}

bool valid_id(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
         });
}

result<int64_t> int_param(const call& c, const std::string& name, int64_t def, int64_t lo, int64_t hi) {
  auto v = c.q(name);
  if (!v)
    return def;
  // strtoll as std::stoll reads it (leading white space and '+' allowed), the whole text used.
  const char* text = v->c_str();
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(text, &end, 10);
  if (end != text && errno != ERANGE && static_cast<size_t>(end - text) == v->size() && n >= lo && n <= hi)
    return static_cast<int64_t>(n);
  return fail(400, "invalid-parameter", "Invalid query parameter",
              "query parameter '" + name + "' must be an integer in [" + std::to_string(lo) + ", "
                + std::to_string(hi) + "]");
}

result<http_response> page(const call& c, std::vector<json> items) {
  auto limit = int_param(c, "limit", 100, 1, 1000);
  if (!limit)
    return limit.error();
  auto offset = int_param(c, "offset", 0, 0, 1'000'000'000);
  if (!offset)
    return offset.error();
  json out{{"total", items.size()}, {"limit", *limit}, {"offset", *offset}, {"items", json::array()}};
  for (auto i = static_cast<size_t>(*offset); i < items.size() && out["items"].size() < static_cast<size_t>(*limit);
       ++i)
    out["items"].push_back(std::move(items[i]));
  return json_response(200, dump(out));
}

result<json> parse_body(const call& c) {
  if (c.req.body.empty())
    return fail(400, "malformed-json", "Malformed JSON", "the request body is empty; expected a JSON object");
  json body;
  if (auto err = tradewind::json::parse_strict(c.req.body, body)) {
    using tradewind::json::parse_failure;
    switch (err->kind) {
      case parse_failure::too_deep:
        return fail(400, "json-too-deep", "JSON nested too deeply", "the request body is rejected: " + err->message());
      case parse_failure::duplicate_key:
        return fail(400, "duplicate-key", "Duplicate JSON key",
                    "the request body names a key twice (" + err->message() + "); send each field once");
      case parse_failure::number_out_of_range:
        return fail(422, "invalid-field", "Invalid field", err->message());
      case parse_failure::malformed:
        break;
    }
    return fail(400, "malformed-json", "Malformed JSON", "the request body is " + err->reason);
  }
  if (!body.is_object())
    return fail(400, "malformed-json", "Malformed JSON", "the request body must be a JSON object");
  return body;
}

failure invalid_field(const std::string& field, const std::string& why) {
  return fail(422, "invalid-field", "Invalid field", "field '" + clip(field) + "' " + why);
}

namespace {

/// The 422 for a money or decimal field sent as a JSON number.
failure decimal_as_number(const std::string& field) {
  return invalid_field(field, "must be a decimal string such as \"0.5\", got a JSON number (decimals travel as "
                              "strings so no digit is lost to floating point)");
}

} // namespace

check only_fields(const json& body, std::initializer_list<const char*> allowed) {
  for (auto it = body.begin(); it != body.end(); ++it)
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; })) {
      std::string names;
      for (const auto* a : allowed)
        names += (names.empty() ? "" : ", ") + std::string{a};
      return invalid_field(it.key(), "is unknown (expected " + names + ")");
    }
  return std::nullopt;
}

check require_some_field(const json& body, const std::string& expected) {
  if (body.empty())
    return fail(422, "invalid-field", "Invalid field", "the body names no field; expected one or more of " + expected);
  return std::nullopt;
}

check reject_invalid(const std::vector<config_error>& errors) {
  if (errors.empty())
    return std::nullopt;
  std::string detail;
  for (const auto& e : errors)
    detail += (detail.empty() ? "" : "; ") + ("field '" + e.path + "' " + e.reason);
  return fail(422, "invalid-field", "Invalid field", detail);
}

result<std::optional<std::string>> string_field(const json& body, const char* name, bool required) {
  if (!body.contains(name)) {
    if (required)
      return invalid_field(name, "is required");
    return std::optional<std::string>{};
  }
  if (!body[name].is_string())
    return invalid_field(name, std::string{"must be a string, got "} + body[name].type_name());
  return body[name].get<std::string>();
}

result<std::optional<fixed>> decimal_field(const json& body, const char* name, bool required) {
  if (!body.contains(name)) {
    if (required)
      return invalid_field(name, "is required");
    return std::optional<fixed>{};
  }
  const auto& v = body[name];
  if (v.is_number())
    return decimal_as_number(name);
  if (!v.is_string())
    return invalid_field(name, std::string{"must be a decimal string, got "} + v.type_name());
  const auto& text = v.get_ref<const std::string&>();
  auto out = fixed::parse(text);
  // fixed::parse wraps just past +-92233720368.54775807; a sign that disagrees with the text is that.
  if (out && !out->is_zero() && (out->raw < 0) != (!text.empty() && text[0] == '-'))
    out.reset();
  if (!out)
    return invalid_field(name, "must be a decimal with at most 8 fractional digits within +-92233720368.54775807, got "
                                 + tradewind::json::quoted_preview(text));
  return out;
}

template <class T>
result<T> patched(const T& current, const json& body) {
  using ordered = nlohmann::ordered_json; // field names listed in struct order
  auto merged = ordered::parse(tradewind::json::to_json(current));
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (!merged.contains(it.key())) {
      std::string names;
      for (auto f = merged.begin(); f != merged.end(); ++f)
        names += (names.empty() ? "" : ", ") + f.key();
      return invalid_field(it.key(), "is unknown (expected " + names + ")");
    }
    if (merged[it.key()].is_string() && it.value().is_number())
      return decimal_as_number(it.key());
    merged[it.key()] = ordered(it.value()); // depth bounded by the strict parse of the body
  }
  auto decoded = tradewind::json::from_json<T>(merged.dump());
  if (!decoded)
    return fail(422, "invalid-field", "Invalid field", decoded.error().message());
  return std::move(decoded).value();
}

template result<risk_limits> patched(const risk_limits&, const json&);
template result<strategy_params> patched(const strategy_params&, const json&);

} // namespace tradewind::rest::routes
