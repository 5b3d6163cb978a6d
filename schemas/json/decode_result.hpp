#pragma once
// Result of decoding a JSON document: either the value or an error naming the offending field.

#include <string>
#include <utility>
#include <variant>

namespace tradewind::json {

/// Why a JSON document was rejected: where (field path) and why (reason).
struct decode_error {
  std::string path;   ///< "positions[2].qty", "data.price"; empty when the whole document is at fault
  std::string reason; ///< e.g. "expected a decimal string, got number"

  /// One line for logs and API replies: "field 'price': expected a decimal string, got number",
  /// or only the reason when the path is empty (malformed JSON, top level not an object).
  std::string message() const {
    return path.empty() ? reason : "field '" + path + "': " + reason;
  }
};

/// A decoded value of type T or the decode_error that stopped decoding (the first one found).
template <class T>
class decode_result {
public:
  decode_result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  decode_result(decode_error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  /// The decoded value. Precondition: ok() (otherwise throws std::bad_variant_access).
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }

  /// The error. Precondition: !ok() (otherwise throws std::bad_variant_access).
  const decode_error& error() const { return std::get<1>(v_); }

private:
  std::variant<T, decode_error> v_;
};

} // namespace tradewind::json
