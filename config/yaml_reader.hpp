#pragma once
// The one strict reader of a YAML tree, used by the node config (config/loader.cpp) and the
// topology file (topology/loader.cpp): every key read is declared once, so the same declaration
// decodes the value and defines the set of known keys of a mapping; done() reports the others
// (with a "did you mean"). Problems are collected, never thrown. Values of secret-looking keys
// never appear in a message (config/impl/text.hpp, is_secret_path).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace tradewind::yaml {

/// One problem found while reading: the key path, what is wrong and, when known, where.
struct problem {
  std::string path;   ///< key path such as `queues[2].delivery_limit`; `(top level)` for the root
  std::string reason; ///< what is wrong, e.g. `expected an integer, got "ten"`
  int line = 0;       ///< 1-based line in the YAML text; 0 when unknown
  int column = 0;     ///< 1-based column; 0 when unknown
};

/// What a decode pass found: problems, paths whose value did not decode (so the rule checks
/// can skip them) and where each key sits in the text (to give rule errors a line number).
struct read_context {
  std::vector<problem> errors;
  std::set<std::string> undecodable;
  std::map<std::string, YAML::Mark> marks;

  /// Records a problem at `path`; `at` supplies the line and column when it has them.
  void fail(const std::string& path, const YAML::Node& at, std::string reason);
  /// Records a problem at `path`, positioned where `marks` says the key is.
  void fail(const std::string& path, std::string reason);
};

/// How a node looks in a message: `"text"` (or `<redacted>`), `a list`, `a mapping`, `nothing`.
std::string describe(std::string_view path, const YAML::Node& node);

/// A scalar as shown in a message: `"text"`, or `<redacted>` when `path` names a secret.
std::string shown(std::string_view path, std::string_view text);

/// Reads the keys of one mapping. Declare every key with get()/section()/list(), then
/// call done(), which reports the keys present in the YAML that were never declared.
/// A key that is present with a null value (`key:`) is an error for a scalar ("got nothing")
/// and means "absent" for a section or a list.
class map_reader {
public:
  /// `node` may be undefined or null (the mapping is absent: everything keeps its default).
  map_reader(read_context& ctx, YAML::Node node, std::string path);

  /// `required`: report "is required" when the key is absent from a present mapping.
  void get(std::string_view key, std::string& out, bool required = false);
  /// true or false, in any letter case.
  void get(std::string_view key, bool& out);
  void get(std::string_view key, int& out);
  void get(std::string_view key, int64_t& out);
  void get(std::string_view key, uint64_t& out);
  /// An integer that stays nullopt when the key is absent.
  void get(std::string_view key, std::optional<int64_t>& out);
  /// A list of scalars; replaces `out` when present.
  void get(std::string_view key, std::vector<std::string>& out);
  /// A mapping of strings (name → value) in file order; replaces `out` when present.
  void get(std::string_view key, std::vector<std::pair<std::string, std::string>>& out);

  /// A scalar decoded by `parse` (returns nullopt when the text is not a valid value). A
  /// non-scalar is reported as "expected <what>, got …"; an invalid text as
  /// `complaint(shown text)`. Returns true when the key is present and valid.
  template <class T, class Parse, class Complaint>
  bool get_parsed(std::string_view key, T& out, std::string_view what, Parse parse, Complaint complaint,
                  bool required = false) {
    std::optional<YAML::Node> value;
    auto text = scalar_of(key, what, required, value);
    if (!text)
      return false;
    if (auto v = parse(*text)) {
      out = *v;
      return true;
    }
    std::string path = join(key);
    ctx_.undecodable.insert(path);
    ctx_.fail(path, *value, complaint(shown(path, *text)));
    return false;
  }

  /// One of a fixed set of names, parsed by `parse`; an unknown name is reported as
  /// `unknown <what> "x" (expected one of <choices>)`.
  template <class T>
  bool get_enum(std::string_view key, T& out, std::optional<T> (*parse)(std::string_view), std::string_view what,
                std::string_view choices, bool required = false) {
    return get_parsed(key, out, "one of " + std::string(choices), parse,
                      [&](const std::string& text) {
                        return "unknown " + std::string(what) + " " + text + " (expected one of "
                               + std::string(choices) + ")";
                      },
                      required);
  }

  /// A nested mapping, read with its own map_reader.
  map_reader section(std::string_view key) { return section_as<map_reader>(key); }

  /// A list of mappings; `read_item(map_reader&, T&)` fills each default-constructed item.
  /// Replaces `out` when the key is present.
  template <class T, class F>
  void list(std::string_view key, std::vector<T>& out, F read_item) {
    list_as<map_reader>(key, out, read_item);
  }

  /// Reports unknown keys (with a suggestion) and duplicate keys.
  void done();

protected:
  /// section() and list() for a reader that extends this one with getters of its own
  /// (config/impl/yaml_reader.hpp): `Reader` is constructible like map_reader.
  template <class Reader>
  Reader section_as(std::string_view key) {
    auto value = declare(key);
    return Reader(ctx_, value ? *value : YAML::Node(), join(key));
  }

  template <class Reader, class T, class F>
  void list_as(std::string_view key, std::vector<T>& out, F& read_item) {
    std::optional<YAML::Node> value = declare(key);
    if (!value || value->IsNull())
      return;
    std::string path = join(key);
    if (!value->IsSequence()) {
      ctx_.undecodable.insert(path);
      ctx_.fail(path, *value, "expected a list, got " + describe(path, *value));
      return;
    }
    out.clear();
    for (size_t i = 0; i < value->size(); ++i) {
      T item{};
      std::string item_path = path + "[" + std::to_string(i) + "]";
      ctx_.marks[item_path] = (*value)[i].Mark();
      Reader item_reader(ctx_, (*value)[i], item_path);
      read_item(item_reader, item);
      item_reader.done();
      out.push_back(std::move(item));
    }
  }

  /// Remembers `key` as known and returns its value; nullopt when absent.
  std::optional<YAML::Node> declare(std::string_view key);
  std::string join(std::string_view key) const;
  /// The text of the scalar at `key` (its node in `value`); nullopt when absent (reported when
  /// `required`) or after reporting a non-scalar as "expected <what>".
  std::optional<std::string> scalar_of(std::string_view key, std::string_view what, bool required,
                                       std::optional<YAML::Node>& value);
  /// True when `key` is present and decoded into `out`.
  template <class Int>
  bool get_integer(std::string_view key, Int& out);

  read_context& ctx_;
  YAML::Node node_;
  std::string path_;
  bool is_map_ = false;
  std::vector<std::string> known_;
};

} // namespace tradewind::yaml
