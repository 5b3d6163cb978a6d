#include "config/impl/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "config/impl/text.hpp"

namespace tradewind::config_impl {

namespace {

void set_position(config_error& err, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0)
    return;
  err.line = mark.line + 1;
  err.column = mark.column + 1;
}

/// Plain decimal integer text ("-12", "300"); no sign prefix "+", no exponent, no separators.
std::optional<int64_t> parse_int64(const std::string& text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return v;
}

std::optional<uint64_t> parse_uint64(const std::string& text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return v;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

} // namespace

void read_context::fail(const std::string& path, const YAML::Node& at, std::string reason) {
  config_error err{path, std::move(reason), {}, 0, 0};
  if (at.IsDefined())
    set_position(err, at.Mark());
  errors.push_back(std::move(err));
}

std::string describe(std::string_view path, const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull())
    return "nothing";
  if (node.IsSequence())
    return "a list";
  if (node.IsMap())
    return "a mapping";
  return shown_text(path, node.Scalar());
}

map_reader::map_reader(read_context& ctx, YAML::Node node, std::string path)
  : ctx_(ctx), node_(std::move(node)), path_(std::move(path)) {
  if (!node_.IsDefined() || node_.IsNull())
    return;
  if (!node_.IsMap()) {
    ctx_.undecodable.insert(path_);
    ctx_.fail(path_.empty() ? std::string("(top level)") : path_, node_,
              "expected a mapping, got " + describe(path_, node_));
    return;
  }
  is_map_ = true;
}

std::string map_reader::join(std::string_view key) const {
  return join_key(path_, key);
}

std::optional<YAML::Node> map_reader::declare(std::string_view key) {
  known_.emplace_back(key);
  if (!is_map_)
    return std::nullopt;
  const YAML::Node& map = node_;
  YAML::Node value = map[std::string(key)];
  if (!value.IsDefined())
    return std::nullopt;
  ctx_.marks[join(key)] = value.Mark();
  return value;
}

std::optional<std::string> map_reader::scalar(const std::string& path, const YAML::Node& value,
                                              std::string_view what) {
  if (value.IsScalar())
    return value.Scalar();
  ctx_.undecodable.insert(path);
  ctx_.fail(path, value, "expected " + std::string(what) + ", got " + describe(path, value));
  return std::nullopt;
}

void map_reader::get(std::string_view key, std::string& out) {
  auto value = declare(key);
  if (!value)
    return;
  if (auto text = scalar(join(key), *value, "a string"))
    out = *text;
}

void map_reader::get(std::string_view key, bool& out) {
  auto value = declare(key);
  if (!value)
    return;
  std::string path = join(key);
  auto text = scalar(path, *value, "true or false");
  if (!text)
    return;
  std::string l = lower(*text);
  if (l == "true" || l == "false") {
    out = l == "true";
    return;
  }
  ctx_.undecodable.insert(path);
  ctx_.fail(path, *value, "expected true or false, got " + shown_text(path, *text));
}

template <class Int>
void map_reader::get_integer(std::string_view key, Int& out) {
  auto value = declare(key);
  if (!value)
    return;
  std::string path = join(key);
  const char* what = std::is_signed_v<Int> ? "an integer" : "a non-negative integer";
  auto text = scalar(path, *value, what);
  if (!text)
    return;
  if constexpr (std::is_signed_v<Int>) {
    auto v = parse_int64(*text);
    if (v && *v >= std::numeric_limits<Int>::min() && *v <= std::numeric_limits<Int>::max()) {
      out = static_cast<Int>(*v);
      return;
    }
    if (v) {
      ctx_.undecodable.insert(path);
      ctx_.fail(path, *value,
                "expected an integer in [" + std::to_string(std::numeric_limits<Int>::min()) + ", "
                  + std::to_string(std::numeric_limits<Int>::max()) + "], got "
                  + shown_number(path, *text));
      return;
    }
  } else {
    if (auto v = parse_uint64(*text)) {
      out = *v;
      return;
    }
  }
  ctx_.undecodable.insert(path);
  ctx_.fail(path, *value, std::string("expected ") + what + ", got " + shown_text(path, *text));
}

void map_reader::get(std::string_view key, int& out) {
  get_integer(key, out);
}

void map_reader::get(std::string_view key, int64_t& out) {
  get_integer(key, out);
}

void map_reader::get(std::string_view key, uint64_t& out) {
  get_integer(key, out);
}

void map_reader::get(std::string_view key, fixed& out) {
  auto value = declare(key);
  if (!value)
    return;
  std::string path = join(key);
  auto text = scalar(path, *value, "a decimal number");
  if (!text)
    return;
  // Parsed from the scalar text, never through double, so 0.1 stays exactly 0.1.
  if (auto v = fixed::parse(*text)) {
    out = *v;
    return;
  }
  ctx_.undecodable.insert(path);
  ctx_.fail(path, *value,
            "expected a decimal number with at most 8 fractional digits, got " + shown_text(path, *text));
}

void map_reader::get(std::string_view key, severity& out) {
  auto value = declare(key);
  if (!value)
    return;
  std::string path = join(key);
  auto text = scalar(path, *value, "a severity");
  if (!text)
    return;
  if (auto v = enum_from_string<severity>(*text)) {
    out = *v;
    return;
  }
  ctx_.undecodable.insert(path);
  ctx_.fail(path, *value, "must be one of info|warning|critical, got " + shown_text(path, *text));
}

void map_reader::get(std::string_view key, feed_format& out) {
  auto value = declare(key);
  if (!value)
    return;
  std::string path = join(key);
  auto text = scalar(path, *value, "a feed format");
  if (!text)
    return;
  if (*text == "candles" || *text == "trades") {
    out = *text == "candles" ? feed_format::candles : feed_format::trades;
    return;
  }
  ctx_.undecodable.insert(path);
  ctx_.fail(path, *value, "must be one of candles|trades, got " + shown_text(path, *text));
}

void map_reader::get(std::string_view key, std::vector<std::string>& out) {
  auto value = declare(key);
  if (!value || value->IsNull())
    return;
  std::string path = join(key);
  if (!value->IsSequence()) {
    ctx_.undecodable.insert(path);
    ctx_.fail(path, *value, "expected a list, got " + describe(path, *value));
    return;
  }
  std::vector<std::string> items;
  for (size_t i = 0; i < value->size(); ++i) {
    YAML::Node item = (*value)[i];
    std::string item_path = join_index(path, i);
    ctx_.marks[item_path] = item.Mark();
    if (auto text = scalar(item_path, item, "a string"))
      items.push_back(*text);
  }
  out = std::move(items);
}

void map_reader::get(std::string_view key, std::vector<std::pair<std::string, std::string>>& out) {
  auto value = declare(key);
  if (!value || value->IsNull())
    return;
  std::string path = join(key);
  if (!value->IsMap()) {
    ctx_.undecodable.insert(path);
    ctx_.fail(path, *value, "expected a mapping, got " + describe(path, *value));
    return;
  }
  std::vector<std::pair<std::string, std::string>> items;
  for (auto it = value->begin(); it != value->end(); ++it) {
    auto name = it->first.IsScalar() ? it->first.Scalar() : std::string{};
    std::string item_path = path + "." + name;
    ctx_.marks[item_path] = it->second.Mark();
    if (auto text = scalar(item_path, it->second, "a string"))
      items.emplace_back(name, *text);
  }
  out = std::move(items);
}

map_reader map_reader::section(std::string_view key) {
  auto value = declare(key);
  return map_reader(ctx_, value ? *value : YAML::Node(), join(key));
}

void map_reader::done() {
  if (!is_map_)
    return;
  std::map<std::string, YAML::Mark> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const YAML::Node key_node = it->first; // a copy: it-> yields a temporary proxy
    if (!key_node.IsScalar()) {
      ctx_.fail(path_.empty() ? std::string("(top level)") : path_, key_node,
                "keys must be plain names, got " + describe(path_, key_node));
      continue;
    }
    const std::string& key = key_node.Scalar();
    std::string path = join(key);
    auto [first, inserted] = seen.emplace(key, key_node.Mark());
    if (!inserted) {
      ctx_.fail(path, key_node,
                "duplicate key (first at line " + std::to_string(first->second.line + 1) + ")");
      continue;
    }
    if (std::find(known_.begin(), known_.end(), key) != known_.end())
      continue;
    std::string hint = closest_key(key, known_);
    ctx_.fail(path, key_node, hint.empty() ? "unknown key (expected one of " + join_names(known_, ", ") + ")"
                                           : "unknown key (did you mean " + hint + "?)");
  }
}

} // namespace tradewind::config_impl
