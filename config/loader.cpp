#include "config/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "config/impl/decode.hpp"
#include "config/impl/overrides.hpp"
#include "config/impl/yaml_reader.hpp"
#include "config/validate.hpp"

extern char** environ;

namespace tradewind {

namespace {

bool within(const std::string& inner, const std::string& outer) {
  if (inner.compare(0, outer.size(), outer) != 0)
    return false;
  return inner.size() == outer.size() || inner[outer.size()] == '.' || inner[outer.size()] == '[';
}

std::optional<YAML::Mark> text_position(const std::map<std::string, YAML::Mark>& marks, const std::string& path) {
  auto it = marks.find(path);
  if (it == marks.end() || it->second.is_null() || it->second.line < 0)
    return std::nullopt;
  return it->second;
}

/// The variable an error is due to: one that set the key or a parent of it, or, for a key
/// with no position in the text, one that created it on the way to a deeper key.
std::string source_of(const config_error& err, bool in_text, const std::map<std::string, std::string>& origins) {
  for (const auto& [path, variable] : origins)
    if (within(err.path, path))
      return variable;
  if (!in_text)
    for (const auto& [path, variable] : origins)
      if (within(path, err.path))
        return variable;
  return {};
}

/// Gives each key error the line of its key and the variable that set it, if any.
void annotate(std::vector<config_error>& errors, const std::map<std::string, YAML::Mark>& marks,
              const std::map<std::string, std::string>& origins) {
  for (auto& err : errors) {
    if (err.path.empty())
      continue;
    auto mark = text_position(marks, err.path);
    err.source = source_of(err, err.line > 0 || mark, origins);
    if (!err.source.empty()) {
      err.line = err.column = 0; // the value did not come from the text
    } else if (err.line == 0 && mark) {
      err.line = mark->line + 1;
      err.column = mark->column + 1;
    }
  }
  // Document order reads best; errors without a position (overrides, missing keys) go last.
  std::stable_sort(errors.begin(), errors.end(), [](const config_error& a, const config_error& b) {
    auto key = [](const config_error& e) { return std::make_tuple(e.line == 0, e.line, e.column); };
    return key(a) < key(b);
  });
}

config_error syntax_error(const YAML::Exception& e, const std::string& file) {
  config_error err;
  std::string where = file.empty() ? std::string() : " in " + file;
  if (e.mark.is_null()) {
    err.reason = "invalid YAML" + where + ": " + e.msg;
    return err;
  }
  err.line = e.mark.line + 1;
  err.column = e.mark.column + 1;
  err.reason = "invalid YAML" + where + " at line " + std::to_string(err.line) + ", column "
               + std::to_string(err.column) + ": " + e.msg;
  return err;
}

load_result load(std::string_view yaml, const std::string& base_dir, const std::map<std::string, std::string>& env,
                 const std::string& file) {
  load_result result;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    result.errors.push_back(syntax_error(e, file));
    return result;
  }
  std::error_code ec;
  std::filesystem::path base = base_dir.empty() ? std::filesystem::current_path(ec) : std::filesystem::path(base_dir);
  base = std::filesystem::absolute(base, ec);

  std::vector<config_error> override_errors;
  auto origins = config_impl::apply_overrides(root, env, override_errors);
  config_impl::read_context ctx;
  node_config cfg = config_impl::decode_node_config(root, base.lexically_normal().string(), ctx);
  // A top level that is not a mapping has no keys to check rules on.
  bool top_level_usable = ctx.undecodable.count("") == 0;
  auto rule_errors = top_level_usable ? validate_config(cfg, ctx.undecodable) : std::vector<config_error>{};

  result.errors = std::move(override_errors);
  for (auto& p : ctx.errors)
    result.errors.push_back(config_impl::to_config_error(std::move(p)));
  result.errors.insert(result.errors.end(), rule_errors.begin(), rule_errors.end());
  annotate(result.errors, ctx.marks, origins);
  if (result.errors.empty())
    result.config = std::move(cfg);
  return result;
}

} // namespace

std::string config_error::message() const {
  if (path.empty())
    return source.empty() ? reason : source + ": " + reason;
  std::string out = path;
  if (!source.empty())
    out += " (from " + source + ")";
  return out + ": " + reason;
}

load_result load_config_file(const std::string& path, const std::map<std::string, std::string>& env) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec)) {
    std::string why = std::filesystem::is_directory(path, ec) ? "is a directory" : std::strerror(errno);
    load_result result;
    result.errors.push_back(config_error{"", "cannot read config file " + path + ": " + why, {}, 0, 0});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string dir = std::filesystem::absolute(path, ec).parent_path().string();
  return load(text.str(), dir, env, path);
}

load_result load_config_text(std::string_view yaml, const std::string& base_dir,
                             const std::map<std::string, std::string>& env) {
  return load(yaml, base_dir, env, "");
}

std::map<std::string, std::string> environment_overrides() {
  std::map<std::string, std::string> out;
  const std::string prefix = config_impl::override_prefix;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view kv(*entry);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos || kv.compare(0, prefix.size(), prefix) != 0)
      continue;
    out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return out;
}

std::string format_errors(const std::vector<config_error>& errors, const std::string& file) {
  std::string out;
  for (const auto& err : errors) {
    if (err.line > 0 && !file.empty())
      out += file + ":" + std::to_string(err.line) + ": ";
    out += err.message();
    out += '\n';
  }
  return out;
}

} // namespace tradewind
