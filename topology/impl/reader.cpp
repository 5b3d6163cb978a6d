#include "topology/impl/reader.hpp"

#include <algorithm>
#include <charconv>

namespace tradewind::topology::impl {

namespace {

void set_position(topology_error& err, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0)
    return;
  err.line = mark.line + 1;
  err.column = mark.column + 1;
}

std::optional<int64_t> parse_int64(const std::string& text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return v;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

} // namespace

void read_context::fail(const std::string& path, const YAML::Node& at, std::string reason) {
  topology_error err{path, std::move(reason), 0, 0};
  if (at.IsDefined())
    set_position(err, at.Mark());
  errors.push_back(std::move(err));
}

void read_context::fail(const std::string& path, std::string reason) {
  topology_error err{path, std::move(reason), 0, 0};
  if (auto it = marks.find(path); it != marks.end())
    set_position(err, it->second);
  errors.push_back(std::move(err));
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull())
    return "nothing";
  if (node.IsSequence())
    return "a list";
  if (node.IsMap())
    return "a mapping";
  return "\"" + node.Scalar() + "\"";
}

std::string closest(std::string_view key, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 0;
  for (const auto& c : candidates) {
    size_t d = edit_distance(key, c);
    if (d <= std::max<size_t>(2, c.size() / 3) && (best.empty() || d < best_distance)) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string join(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty())
      out += separator;
    out += n;
  }
  return out;
}

map_reader::map_reader(read_context& ctx, YAML::Node node, std::string path)
  : ctx_(ctx), node_(std::move(node)), path_(std::move(path)) {
  if (!node_.IsDefined() || node_.IsNull())
    return;
  if (!node_.IsMap()) {
    ctx_.undecodable.insert(path_);
    ctx_.fail(path_.empty() ? std::string("(top level)") : path_, node_, "expected a mapping, got " + describe(node_));
    return;
  }
  is_map_ = true;
}

std::string map_reader::join_key(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
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
  ctx_.marks[join_key(key)] = value.Mark();
  return value;
}

bool map_reader::has(std::string_view key) {
  auto v = declare(key);
  return v && !v->IsNull();
}

std::optional<std::string> map_reader::scalar_of(std::string_view key, bool required) {
  auto value = declare(key);
  std::string path = join_key(key);
  if (!value || value->IsNull()) {
    if (required && is_map_) {
      ctx_.undecodable.insert(path);
      ctx_.fail(path, node_, "is required");
    }
    return std::nullopt;
  }
  if (!value->IsScalar()) {
    ctx_.undecodable.insert(path);
    ctx_.fail(path, *value, "expected a single value, got " + describe(*value));
    return std::nullopt;
  }
  return value->Scalar();
}

void map_reader::get(std::string_view key, std::string& out, bool required) {
  if (auto text = scalar_of(key, required))
    out = *text;
}

void map_reader::get(std::string_view key, bool& out) {
  auto text = scalar_of(key, false);
  if (!text)
    return;
  if (*text == "true" || *text == "false") {
    out = *text == "true";
    return;
  }
  std::string path = join_key(key);
  ctx_.undecodable.insert(path);
  ctx_.fail(path, "expected true or false, got \"" + *text + "\"");
}

void map_reader::get(std::string_view key, std::optional<int64_t>& out) {
  auto text = scalar_of(key, false);
  if (!text)
    return;
  if (auto v = parse_int64(*text)) {
    out = *v;
    return;
  }
  std::string path = join_key(key);
  ctx_.undecodable.insert(path);
  ctx_.fail(path, "expected an integer, got \"" + *text + "\"");
}

void map_reader::get(std::string_view key, int& out) {
  std::optional<int64_t> v;
  get(key, v);
  if (!v)
    return;
  if (*v < -2147483648LL || *v > 2147483647LL) {
    std::string path = join_key(key);
    ctx_.undecodable.insert(path);
    ctx_.fail(path, "expected an integer, got \"" + std::to_string(*v) + "\"");
    return;
  }
  out = static_cast<int>(*v);
}

void map_reader::get(std::string_view key, std::vector<std::string>& out) {
  auto value = declare(key);
  if (!value || value->IsNull())
    return;
  std::string path = join_key(key);
  if (!value->IsSequence()) {
    ctx_.undecodable.insert(path);
    ctx_.fail(path, *value, "expected a list, got " + describe(*value));
    return;
  }
  out.clear();
  for (size_t i = 0; i < value->size(); ++i) {
    YAML::Node item = (*value)[i];
    std::string item_path = path + "[" + std::to_string(i) + "]";
    ctx_.marks[item_path] = item.Mark();
    if (item.IsScalar()) {
      out.push_back(item.Scalar());
    } else {
      ctx_.undecodable.insert(path);
      ctx_.fail(item_path, item, "expected a single value, got " + describe(item));
    }
  }
}

void map_reader::done() {
  if (!is_map_)
    return;
  std::map<std::string, YAML::Mark> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const YAML::Node key_node = it->first;
    if (!key_node.IsScalar()) {
      ctx_.fail(path_.empty() ? std::string("(top level)") : path_, key_node,
                "keys must be plain names, got " + describe(key_node));
      continue;
    }
    const std::string& key = key_node.Scalar();
    std::string path = join_key(key);
    auto [first, inserted] = seen.emplace(key, key_node.Mark());
    if (!inserted) {
      ctx_.fail(path, key_node, "duplicate key (first at line " + std::to_string(first->second.line + 1) + ")");
      continue;
    }
    if (std::find(known_.begin(), known_.end(), key) != known_.end())
      continue;
    std::string hint = closest(key, known_);
    ctx_.fail(path, key_node,
              hint.empty() ? "unknown key (expected one of " + join(known_, ", ") + ")"
                           : "unknown key (did you mean " + hint + "?)");
  }
}

} // namespace tradewind::topology::impl
