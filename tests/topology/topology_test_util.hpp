#pragma once
// Helpers shared by the topology tests.

#include <filesystem>
#include <string>
#include <vector>

#include "topology/loader.hpp"

namespace tradewind::topology_test {

inline std::string source_path(const std::string& relative) {
  return (std::filesystem::path(TW_SOURCE_DIR) / relative).lexically_normal().string();
}

inline std::string example(const std::string& name) {
  return source_path("topology/examples/" + name);
}

/// error.message() of every error, in order.
inline std::vector<std::string> messages(const topology::load_result& r) {
  std::vector<std::string> out;
  for (const auto& e : r.errors)
    out.push_back(e.message());
  return out;
}

} // namespace tradewind::topology_test
