#pragma once
// Reading requests and writing answers for the REST handlers: query integers and pages, the
// strict JSON body (schemas/json/strict.hpp) and its fields, the merge of a partial update.
// Each check returns the 400/422 failure that names the parameter or field instead of throwing.
// Decimals travel as JSON strings only: a JSON number for one is a 422.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bridge/rest/routes/route.hpp"
#include "config/validate.hpp"
#include "schemas/enums.hpp"
#include "schemas/fixed.hpp"
#include "schemas/json/codec.hpp"

namespace tradewind::rest::routes {

/// Compact JSON text; invalid UTF-8 is replaced, never thrown on.
std::string dump(const nlohmann::json& j);

/// A schema message as a JSON value (the same text as on the wire).
template <class T>
nlohmann::json to_value(const T& x) {
  return nlohmann::json::parse(tradewind::json::to_json(x));
}

/// Client-supplied text in an error message, cut so a reply never echoes a whole payload.
std::string clip(const std::string& s, size_t max_chars = 64);

/// True for 1-64 characters of [A-Za-z0-9._-] (client order ids).
bool valid_id(const std::string& s);

// -- query ------------------------------------------------------------------------------------

/// The integer query parameter `name` in [lo, hi], `def` when absent; a 400 otherwise.
result<int64_t> int_param(const call& c, const std::string& name, int64_t def, int64_t lo, int64_t hi);

/// `items` cut by the limit/offset query parameters, as {items,total,limit,offset}.
result<http_response> page(const call& c, std::vector<nlohmann::json> items);

// -- body -------------------------------------------------------------------------------------

/// The body as a JSON object, parsed strictly: empty, malformed, too deep, duplicate keys and
/// a non-object are 400s; a number beyond a double is a 422 naming the field.
result<nlohmann::json> parse_body(const call& c);

/// 422 for field `field` with the reason `why` ("field 'qty' must be > 0, got 0").
failure invalid_field(const std::string& field, const std::string& why);

/// 422 for the first field of `body` not in `allowed`.
check only_fields(const nlohmann::json& body, std::initializer_list<const char*> allowed);

/// 422 when `body` names no field; `expected` lists what it may name.
check require_some_field(const nlohmann::json& body, const std::string& expected);

/// 422 listing every rule `errors` reports (paths are the body's field names).
check reject_invalid(const std::vector<config_error>& errors);

/// A string field: 422 when it is not a string, or when it is absent and `required`.
result<std::optional<std::string>> string_field(const nlohmann::json& body, const char* name, bool required);

/// A string field naming an Enum value; `names` lists them for the 422 ("buy|sell").
template <class Enum>
result<std::optional<Enum>> enum_field(const nlohmann::json& body, const char* name, bool required,
                                       const char* names) {
  auto text = string_field(body, name, required);
  if (!text)
    return text.error();
  if (!*text)
    return std::optional<Enum>{};
  auto v = enum_from_string<Enum>(**text);
  if (!v)
    return invalid_field(name, "must be one of " + std::string{names} + ", got '" + clip(**text) + "'");
  return v;
}

/// A decimal given as a JSON string ("0.5") within fixed's range; a JSON number is a 422 (it
/// may already have been through a double).
result<std::optional<fixed>> decimal_field(const nlohmann::json& body, const char* name, bool required);

/// `current` with the fields named in `body` replaced, decoded strictly by the schema codec:
/// unknown fields, wrong JSON types and out-of-range integers are 422s naming the field.
/// Defined for risk_limits and strategy_params.
template <class T>
result<T> patched(const T& current, const nlohmann::json& body);

} // namespace tradewind::rest::routes
