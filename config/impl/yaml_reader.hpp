#pragma once
// Typed, strict reading of a YAML tree: every key read is declared once, so the same
// declaration decodes the value and defines the set of known keys of a section. Problems are
// collected, never thrown. Internal to the config library.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/loader.hpp"
#include "config/node_config.hpp"

namespace tradewind::config_impl {

/// Collects what a decode pass found: errors, paths that failed to decode and where each
/// key sits in the text (to give validation errors a line number).
struct read_context {
  std::vector<config_error> errors;
  std::set<std::string> undecodable;
  std::map<std::string, YAML::Mark> marks;

  /// Records an error at `path`; `at` supplies the line and column when it has them.
  void fail(const std::string& path, const YAML::Node& at, std::string reason);
};

/// How a node looks in a message: `"text"` (or `<redacted>`), `a list`, `a mapping`, `nothing`.
std::string describe(std::string_view path, const YAML::Node& node);

/// Reads the keys of one mapping. Declare every key with get()/section()/list(), then call
/// done(), which reports the keys present in the YAML that were never declared.
class map_reader {
public:
  /// `node` may be undefined or null (the section is absent: everything keeps its default).
  map_reader(read_context& ctx, YAML::Node node, std::string path);

  void get(std::string_view key, std::string& out);
  void get(std::string_view key, bool& out);
  void get(std::string_view key, int& out);
  void get(std::string_view key, int64_t& out);
  void get(std::string_view key, uint64_t& out);
  void get(std::string_view key, fixed& out);
  void get(std::string_view key, severity& out);
  void get(std::string_view key, feed_format& out);
  /// A list of strings; replaces the default list when present.
  void get(std::string_view key, std::vector<std::string>& out);

  /// A mapping of strings (name → value) in file order; replaces `out` when present.
  void get(std::string_view key, std::vector<std::pair<std::string, std::string>>& out);

  /// A nested mapping, read with its own map_reader.
  map_reader section(std::string_view key);

  /// A list of mappings; `read_item(map_reader&, T&)` fills each default-constructed item.
  /// Replaces `out` when the key is present.
  template <class T, class F>
  void list(std::string_view key, std::vector<T>& out, F read_item) {
    std::optional<YAML::Node> present = declare(key);
    if (!present || present->IsNull())
      return;
    const YAML::Node& value = *present;
    std::string path = join(key);
    if (!value.IsSequence()) {
      ctx_.undecodable.insert(path);
      ctx_.fail(path, value, "expected a list, got " + describe(path, value));
      return;
    }
    out.clear();
    for (size_t i = 0; i < value.size(); ++i) {
      T item{};
      map_reader item_reader(ctx_, value[i], path + "[" + std::to_string(i) + "]");
      read_item(item_reader, item);
      item_reader.done();
      out.push_back(std::move(item));
    }
  }

  /// Reports unknown keys (with a suggestion) and duplicate keys.
  void done();

  const std::string& path() const { return path_; }

private:
  /// Remembers `key` as known and returns its value; nullopt when absent.
  std::optional<YAML::Node> declare(std::string_view key);
  std::string join(std::string_view key) const;
  /// The text of a present value, or nullopt after reporting a non-scalar as "expected <what>".
  std::optional<std::string> scalar(const std::string& path, const YAML::Node& value,
                                    std::string_view what);
  template <class Int>
  void get_integer(std::string_view key, Int& out);

  read_context& ctx_;
  YAML::Node node_;
  std::string path_;
  bool is_map_ = false;
  std::vector<std::string> known_;
};

} // namespace tradewind::config_impl
