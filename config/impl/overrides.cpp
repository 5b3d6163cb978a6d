#include "config/impl/overrides.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "config/impl/text.hpp"

namespace tradewind::config_impl {

namespace {

std::optional<std::vector<std::string>> split_name(std::string_view rest) {
  std::vector<std::string> segments;
  for (;;) {
    size_t sep = rest.find("__");
    std::string segment(rest.substr(0, sep));
    if (segment.empty())
      return std::nullopt;
    std::transform(segment.begin(), segment.end(), segment.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    segments.push_back(std::move(segment));
    if (sep == std::string_view::npos)
      return segments;
    rest.remove_prefix(sep + 2);
  }
}

bool is_index(const std::string& segment) {
  return !segment.empty() && segment.size() <= 6
         && std::all_of(segment.begin(), segment.end(), [](unsigned char c) { return std::isdigit(c); });
}

/// Walks or creates the tree along `segments`; one instance per variable.
class override_writer {
public:
  override_writer(YAML::Node& root, std::string variable, std::vector<config_error>& errors)
    : root_(root), variable_(std::move(variable)), errors_(errors) {}

  /// Sets the value; returns the key path on success.
  std::optional<std::string> apply(const std::vector<std::string>& segments, const YAML::Node& value) {
    if (!root_.IsDefined() || root_.IsNull())
      root_ = YAML::Node(YAML::NodeType::Map);
    YAML::Node current;
    current.reset(root_);
    std::string path;
    for (size_t i = 0; i < segments.size(); ++i) {
      bool last = i + 1 == segments.size();
      YAML::Node fresh = last ? value
                              : YAML::Node(is_index(segments[i + 1]) ? YAML::NodeType::Sequence
                                                                     : YAML::NodeType::Map);
      auto next = step(current, path, segments[i], fresh, last);
      if (!next)
        return std::nullopt;
      current.reset(*next);
    }
    return path;
  }

private:
  void fail(std::string reason) {
    config_error err;
    err.reason = std::move(reason);
    err.source = variable_;
    errors_.push_back(std::move(err));
  }

  /// Moves from `node` (at `path`) to its child `segment`, creating it from `fresh` when
  /// absent, or replacing it with `fresh` when `overwrite`. Extends `path`.
  std::optional<YAML::Node> step(YAML::Node& node, std::string& path, const std::string& segment,
                                 const YAML::Node& fresh, bool overwrite) {
    if (node.IsSequence()) {
      if (!is_index(segment)) {
        fail((path.empty() ? std::string("the top level") : path) + " is a list: use an item index, not \""
             + segment + "\"");
        return std::nullopt;
      }
      size_t index = std::stoul(segment);
      if (index > node.size()) {
        std::string count = std::to_string(node.size()) + (node.size() == 1 ? " item" : " items");
        fail("index " + segment + " is out of range: " + path + " has " + count
             + " (an override may append one item at index " + std::to_string(node.size()) + ")");
        return std::nullopt;
      }
      path = join_index(path, index);
      if (index == node.size()) {
        node.push_back(fresh);
      } else if (overwrite) {
        node[index] = fresh;
      }
      return node[index];
    }
    if (!node.IsMap()) {
      fail((path.empty() ? std::string("the top level") : path) + " holds a value, so it has no key \""
           + segment + "\"");
      return std::nullopt;
    }
    path = join_key(path, segment);
    const YAML::Node& lookup = node;
    YAML::Node existing = lookup[segment];
    if (overwrite || !existing.IsDefined() || existing.IsNull())
      node[segment] = fresh;
    return node[segment];
  }

  YAML::Node& root_;
  std::string variable_;
  std::vector<config_error>& errors_;
};

std::optional<YAML::Node> parse_value(const std::string& text) {
  if (text.empty() || text.front() != '[')
    return YAML::Node(text);
  try {
    YAML::Node list = YAML::Load(text);
    if (list.IsSequence())
      return list;
  } catch (const YAML::Exception&) {
  }
  return std::nullopt;
}

} // namespace

std::map<std::string, std::string> apply_overrides(YAML::Node& root,
                                                   const std::map<std::string, std::string>& env,
                                                   std::vector<config_error>& errors) {
  std::map<std::string, std::string> origins;
  const std::string prefix = override_prefix;
  for (const auto& entry : env) {
    const std::string& name = entry.first; // not a structured binding: lambdas below capture it
    const std::string& text = entry.second;
    if (name.compare(0, prefix.size(), prefix) != 0)
      continue;
    auto fail = [&](std::string reason) {
      config_error err;
      err.reason = std::move(reason);
      err.source = name;
      errors.push_back(std::move(err));
    };
    auto segments = split_name(std::string_view(name).substr(prefix.size()));
    if (!segments) {
      fail("malformed override name: use TRADEWIND__SECTION__KEY, with list items by index "
           "(TRADEWIND__STRATEGIES__0__FAST)");
      continue;
    }
    auto value = parse_value(text);
    if (!value) {
      fail("a value starting with [ must be a YAML flow list such as [BTCUSDT, ETHUSDT]");
      continue;
    }
    if (auto path = override_writer(root, name, errors).apply(*segments, *value))
      origins[*path] = name;
  }
  return origins;
}

} // namespace tradewind::config_impl
