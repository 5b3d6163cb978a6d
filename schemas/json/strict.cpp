#include "schemas/json/strict.hpp"

#include <functional>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

namespace tradewind::json {

namespace {

constexpr size_t max_path_chars = 120;
constexpr size_t max_reason_chars = 240;

std::string cut(std::string s, size_t max_chars) {
  if (s.size() <= max_chars)
    return s;
  s.resize(max_chars);
  return s + "...";
}

/// `s` as a JSON string literal, ill-formed UTF-8 replaced by U+FFFD.
std::string quoted(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// `s` with ill-formed UTF-8 replaced by U+FFFD (nlohmann's messages quote raw input bytes).
std::string valid_utf8(const std::string& s) {
  return nlohmann::json::parse(quoted(s)).get<std::string>();
}

/// Thrown from inside the parser to stop it at the first violation; never leaves this file.
struct stop_parsing {
  parse_error error;
};

/// Tracks where the parser is (the field path) and enforces depth and unique keys. Fed by the
/// DOM parser's callback (JSON text) or by a SAX pass (MessagePack).
class walker {
public:
  explicit walker(const parse_limits& limits) : limits_(limits) {}

  void open(bool is_array) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      throw stop_parsing{{parse_failure::too_deep, current_path(),
                          "nesting deeper than " + std::to_string(limits_.max_depth) + " levels"}};
    stack_.emplace_back(is_array);
  }

  void close() {
    if (!stack_.empty())
      stack_.pop_back();
    element_done();
  }

  void key(const std::string& k) {
    auto& top = stack_.back();
    top.key = k;
    if (!top.keys.insert(k).second)
      throw stop_parsing{{parse_failure::duplicate_key, current_path(), "duplicate field"}};
  }

  void element_done() {
    if (!stack_.empty() && stack_.back().is_array)
      ++stack_.back().index;
  }

  /// Path of the value being parsed now (the innermost key or index included).
  std::string current_path() const {
    std::string path;
    for (const auto& f : stack_) {
      if (path.size() > max_path_chars)
        break;
      if (f.is_array)
        path += "[" + std::to_string(f.index) + "]";
      else
        path += (path.empty() ? "" : ".") + cut(f.key, 40);
    }
    return cut(std::move(path), max_path_chars);
  }

private:
  struct frame {
    explicit frame(bool array) : is_array(array) {}
    bool is_array = false;
    size_t index = 0;                     ///< arrays: index of the element being parsed
    std::string key;                      ///< objects: key of the member being parsed
    std::unordered_set<std::string> keys; ///< objects: keys seen so far
  };

  parse_limits limits_;
  std::vector<frame> stack_;
};

parse_error from_library(const nlohmann::json::exception& ex, const walker& w) {
  if (ex.id == 406) // out_of_range: number overflow (its message quotes the whole token)
    return {parse_failure::number_out_of_range, w.current_path(),
            "number out of range (a JSON number must be within +-1.7976931348623157e308)"};
  return {parse_failure::malformed, "", cut("malformed JSON: " + valid_utf8(ex.what()), max_reason_chars)};
}

template <class Json>
std::optional<parse_error> parse_text(std::string_view text, Json& out, const parse_limits& limits) {
  out = nullptr;
  walker w{limits};
  auto callback = [&w](int, typename Json::parse_event_t event, Json& parsed) {
    using ev = typename Json::parse_event_t;
    switch (event) {
      case ev::object_start: w.open(false); break;
      case ev::array_start: w.open(true); break;
      case ev::object_end:
      case ev::array_end: w.close(); break;
      case ev::key: w.key(parsed.template get_ref<const std::string&>()); break;
      case ev::value: w.element_done(); break;
    }
    return true;
  };
  try {
    out = Json::parse(text.begin(), text.end(), std::cref(callback));
    return std::nullopt;
  } catch (const stop_parsing& stop) {
    out = nullptr;
    return stop.error;
  } catch (const nlohmann::json::exception& ex) {
    out = nullptr;
    return from_library(ex, w);
  }
}

/// A SAX pass over MessagePack that only checks (nothing is built).
class msgpack_checker : public nlohmann::json_sax<nlohmann::json> {
public:
  explicit msgpack_checker(walker& w) : w_(w) {}
  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    w_.open(false);
    return true;
  }
  bool key(string_t& k) override {
    w_.key(k);
    return true;
  }
  bool end_object() override {
    w_.close();
    return true;
  }
  bool start_array(std::size_t) override {
    w_.open(true);
    return true;
  }
  bool end_array() override {
    w_.close();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    error = cut(std::string{"malformed MessagePack: "} + valid_utf8(ex.what()), max_reason_chars);
    return false;
  }

  std::string error;

private:
  bool value() {
    w_.element_done();
    return true;
  }
  walker& w_;
};

} // namespace

std::optional<parse_error> parse_strict(std::string_view text, nlohmann::json& out, const parse_limits& limits) {
  return parse_text(text, out, limits);
}

std::optional<parse_error> parse_strict(std::string_view text, nlohmann::ordered_json& out,
                                        const parse_limits& limits) {
  return parse_text(text, out, limits);
}

std::optional<parse_error> parse_strict_msgpack(std::string_view bytes, nlohmann::json& out,
                                                const parse_limits& limits) {
  out = nullptr;
  walker w{limits};
  msgpack_checker checker{w};
  try {
    if (!nlohmann::json::sax_parse(bytes.begin(), bytes.end(), &checker, nlohmann::json::input_format_t::msgpack))
      return parse_error{parse_failure::malformed, "",
                         checker.error.empty() ? "malformed MessagePack" : checker.error};
  } catch (const stop_parsing& stop) {
    return stop.error;
  }
  // Checked: bounded depth, unique keys; now build it (cannot fail differently).
  out = nlohmann::json::from_msgpack(bytes.begin(), bytes.end(), true, false);
  if (out.is_discarded()) {
    out = nullptr;
    return parse_error{parse_failure::malformed, "", "malformed MessagePack"};
  }
  return std::nullopt;
}

std::string quoted_preview(std::string_view text, size_t max_chars) {
  if (text.size() <= max_chars)
    return quoted(std::string{text});
  auto out = quoted(std::string{text.substr(0, max_chars)}); // a cut UTF-8 sequence becomes U+FFFD
  return out.insert(out.size() - 1, "...");
}

} // namespace tradewind::json
