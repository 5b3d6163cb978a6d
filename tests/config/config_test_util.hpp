#pragma once
// Helpers shared by the config tests: load YAML text and look at the error messages.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/loader.hpp"

namespace tradewind::config_test {

/// A valid config needing no files: synthetic mode (symbol SYNTHUSDT) and one strategy.
/// Tests append the other top-level sections they need.
inline const std::string minimal = "collector:\n  mode: synthetic\nstrategies:\n  - id: s1\n";

inline std::string test_base_dir() {
  return std::filesystem::temp_directory_path().string();
}

inline load_result load(const std::string& yaml, const std::map<std::string, std::string>& env = {}) {
  return load_config_text(yaml, test_base_dir(), env);
}

inline std::vector<std::string> messages(const load_result& r) {
  std::vector<std::string> out;
  for (const auto& e : r.errors)
    out.push_back(e.message());
  return out;
}

/// The messages of a load that must fail.
inline std::vector<std::string> errors_of(const std::string& yaml,
                                          const std::map<std::string, std::string>& env = {}) {
  return messages(load(yaml, env));
}

/// A directory of its own under the temp dir, removed at the end of the test.
class temp_dir {
public:
  explicit temp_dir(const std::string& name)
    : path_(std::filesystem::temp_directory_path() / ("tw-config-test-" + name)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

} // namespace tradewind::config_test
