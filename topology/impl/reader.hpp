#pragma once
// Strict reading of a YAML mapping: every key read is declared, so done() can report the
// unknown ones (with a "did you mean"). Problems are collected, never thrown. Internal to
// the topology library.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "topology/loader.hpp"

namespace tradewind::topology::impl {

/// What a decode pass found.
struct read_context {
  std::vector<topology_error> errors;
  std::set<std::string> undecodable;       ///< paths whose value did not decode
  std::map<std::string, YAML::Mark> marks; ///< where each key path sits in the text

  void fail(const std::string& path, const YAML::Node& at, std::string reason);
  /// Records an error at `path`, positioned where `marks` says the key is.
  void fail(const std::string& path, std::string reason);
};

/// `"text"`, `a list`, `a mapping` or `nothing`.
std::string describe(const YAML::Node& node);

/// The candidate closest to `key` when it is a plausible typo, else "".
std::string closest(std::string_view key, const std::vector<std::string>& candidates);

/// `a|b|c`.
std::string join(const std::vector<std::string>& names, std::string_view separator);

class map_reader {
public:
  map_reader(read_context& ctx, YAML::Node node, std::string path);

  void get(std::string_view key, std::string& out, bool required = false);
  void get(std::string_view key, bool& out);
  void get(std::string_view key, int& out);
  void get(std::string_view key, std::optional<int64_t>& out);
  void get(std::string_view key, std::vector<std::string>& out);

  /// A scalar parsed by `parse` (nullopt = invalid → "must be one of <choices>, got "x"").
  /// Returns true when the key is present and valid.
  template <class T>
  bool get_enum(std::string_view key, T& out, std::optional<T> (*parse)(std::string_view), std::string_view what,
                std::string_view choices, bool required = false) {
    auto text = scalar_of(key, required);
    if (!text)
      return false;
    if (auto v = parse(*text)) {
      out = *v;
      return true;
    }
    std::string path = join_key(key);
    ctx_.undecodable.insert(path);
    ctx_.fail(path, "unknown " + std::string(what) + " \"" + *text + "\" (expected one of " + std::string(choices) + ")");
    return false;
  }

  /// A list of mappings, each read by `read_item(map_reader&, T&)`.
  template <class T, class F>
  void list(std::string_view key, std::vector<T>& out, F read_item) {
    auto value = declare(key);
    if (!value || value->IsNull())
      return;
    std::string path = join_key(key);
    if (!value->IsSequence()) {
      ctx_.undecodable.insert(path);
      ctx_.fail(path, *value, "expected a list, got " + describe(*value));
      return;
    }
    for (size_t i = 0; i < value->size(); ++i) {
      T item{};
      std::string item_path = path + "[" + std::to_string(i) + "]";
      ctx_.marks[item_path] = (*value)[i].Mark();
      map_reader r(ctx_, (*value)[i], item_path);
      read_item(r, item);
      r.done();
      out.push_back(std::move(item));
    }
  }

  /// True when `key` is present (declares it).
  bool has(std::string_view key);

  /// Reports unknown and duplicate keys.
  void done();

  const std::string& path() const { return path_; }
  bool is_map() const { return is_map_; }

private:
  std::optional<YAML::Node> declare(std::string_view key);
  std::optional<std::string> scalar_of(std::string_view key, bool required);
  std::string join_key(std::string_view key) const;

  read_context& ctx_;
  YAML::Node node_;
  std::string path_;
  bool is_map_ = false;
  std::vector<std::string> known_;
};

} // namespace tradewind::topology::impl
