#include "config/yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <type_traits>

#include "config/impl/text.hpp"

namespace tradewind::yaml {

namespace {

void set_position(problem& err, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0)
    return;
  err.line = mark.line + 1;
  err.column = mark.column + 1;
}

/// Plain decimal integer text ("-12", "300"); no sign prefix "+", no exponent, no separators.
template <class Int>
std::optional<Int> parse_integer(const std::string& text) {
  Int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return v;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string where(const std::string& path) {
  return path.empty() ? std::string("(top level)") : path;
}

} // namespace

void read_context::fail(const std::string& path, const YAML::Node& at, std::string reason) {
  problem err{path, std::move(reason), 0, 0};
  if (at.IsDefined())
    set_position(err, at.Mark());
  errors.push_back(std::move(err));
}

void read_context::fail(const std::string& path, std::string reason) {
  problem err{path, std::move(reason), 0, 0};
  if (auto it = marks.find(path); it != marks.end())
    set_position(err, it->second);
  errors.push_back(std::move(err));
}

std::string shown(std::string_view path, std::string_view text) {
  return config_impl::shown_text(path, text);
}

std::string describe(std::string_view path, const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull())
    return "nothing";
  if (node.IsSequence())
    return "a list";
  if (node.IsMap())
    return "a mapping";
  return shown(path, node.Scalar());
}

map_reader::map_reader(read_context& ctx, YAML::Node node, std::string path)
  : ctx_(ctx), node_(std::move(node)), path_(std::move(path)) {
  if (!node_.IsDefined() || node_.IsNull())
    return;
  if (!node_.IsMap()) {
    ctx_.undecodable.insert(path_);
    ctx_.fail(where(path_), node_, "expected a mapping, got " + describe(path_, node_));
    return;
  }
  is_map_ = true;
}

std::string map_reader::join(std::string_view key) const {
  return config_impl::join_key(path_, key);
}

std::optional<YAML::Node> map_reader::declare(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end())
    known_.emplace_back(key);
  if (!is_map_)
    return std::nullopt;
  const YAML::Node& map = node_; // const: operator[] on a non-const node would insert the key
  YAML::Node value = map[std::string(key)];
  if (!value.IsDefined())
    return std::nullopt;
  ctx_.marks[join(key)] = value.Mark();
  return value;
}

std::optional<std::string> map_reader::scalar_of(std::string_view key, std::string_view what, bool required,
                                                 std::optional<YAML::Node>& value) {
  value = declare(key);
  std::string path = join(key);
  if (required && is_map_ && (!value || value->IsNull())) {
    ctx_.undecodable.insert(path);
    ctx_.fail(path, node_, "is required");
    return std::nullopt;
  }
  if (!value)
    return std::nullopt;
  if (value->IsScalar())
    return value->Scalar();
  ctx_.undecodable.insert(path);
  ctx_.fail(path, *value, "expected " + std::string(what) + ", got " + describe(path, *value));
  return std::nullopt;
}

void map_reader::get(std::string_view key, std::string& out, bool required) {
  std::optional<YAML::Node> value;
  if (auto text = scalar_of(key, "a string", required, value))
    out = *text;
}

void map_reader::get(std::string_view key, bool& out) {
  get_parsed(
    key, out, "true or false",
    [](const std::string& text) -> std::optional<bool> {
      std::string l = lower(text);
      if (l == "true" || l == "false")
        return l == "true";
      return std::nullopt;
    },
    [](const std::string& text) { return "expected true or false, got " + text; });
}

template <class Int>
bool map_reader::get_integer(std::string_view key, Int& out) {
  std::optional<YAML::Node> value;
  const char* what = std::is_signed_v<Int> ? "an integer" : "a non-negative integer";
  auto text = scalar_of(key, what, false, value);
  if (!text)
    return false;
  std::string path = join(key);
  if constexpr (std::is_signed_v<Int>) {
    auto v = parse_integer<int64_t>(*text);
    if (v && *v >= std::numeric_limits<Int>::min() && *v <= std::numeric_limits<Int>::max()) {
      out = static_cast<Int>(*v);
      return true;
    }
    if (v) {
      ctx_.undecodable.insert(path);
      ctx_.fail(path, *value,
                "expected an integer in [" + std::to_string(std::numeric_limits<Int>::min()) + ", "
                  + std::to_string(std::numeric_limits<Int>::max()) + "], got "
                  + config_impl::shown_number(path, *text));
      return false;
    }
  } else {
    if (auto v = parse_integer<uint64_t>(*text)) {
      out = *v;
      return true;
    }
  }
  ctx_.undecodable.insert(path);
  ctx_.fail(path, *value, std::string("expected ") + what + ", got " + shown(path, *text));
  return false;
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

void map_reader::get(std::string_view key, std::optional<int64_t>& out) {
  if (int64_t v = 0; get_integer(key, v))
    out = v;
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
    std::string item_path = config_impl::join_index(path, i);
    ctx_.marks[item_path] = item.Mark();
    if (item.IsScalar()) {
      items.push_back(item.Scalar());
      continue;
    }
    // Both the item and the list: a rule on the list ("needs at least one") must not fire
    // because of an item that did not decode.
    ctx_.undecodable.insert(item_path);
    ctx_.undecodable.insert(path);
    ctx_.fail(item_path, item, "expected a string, got " + describe(item_path, item));
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
    std::optional<YAML::Node> item_value;
    if (!it->second.IsScalar()) {
      ctx_.undecodable.insert(item_path);
      ctx_.fail(item_path, it->second, "expected a string, got " + describe(item_path, it->second));
      continue;
    }
    items.emplace_back(name, it->second.Scalar());
  }
  out = std::move(items);
}

void map_reader::done() {
  if (!is_map_)
    return;
  std::map<std::string, YAML::Mark> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const YAML::Node key_node = it->first; // a copy: it-> yields a temporary proxy
    if (!key_node.IsScalar()) {
      ctx_.fail(where(path_), key_node, "keys must be plain names, got " + describe(path_, key_node));
      continue;
    }
    const std::string& key = key_node.Scalar();
    std::string path = join(key);
    auto [first, inserted] = seen.emplace(key, key_node.Mark());
    if (!inserted) {
      ctx_.fail(path, key_node, "duplicate key (first at line " + std::to_string(first->second.line + 1) + ")");
      continue;
    }
    if (std::find(known_.begin(), known_.end(), key) != known_.end())
      continue;
    std::string hint = config_impl::closest_key(key, known_);
    ctx_.fail(path, key_node,
              hint.empty() ? "unknown key (expected one of " + config_impl::join_names(known_, ", ") + ")"
                           : "unknown key (did you mean " + hint + "?)");
  }
}

} // namespace tradewind::yaml
