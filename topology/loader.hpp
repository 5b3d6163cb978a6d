#pragma once
// Loads a topology YAML file into the typed model (topology/model.hpp) and validates it.
// Strict: unknown keys are rejected with their key path; every problem of the file is
// returned at once, each with its key path and line. Format: topology/examples/README.md.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "topology/model.hpp"

namespace tradewind::topology {

/// One problem found in a topology.
struct topology_error {
  std::string path;   ///< key path such as `queues[2].delivery_limit`; empty for file-level errors
  std::string reason; ///< what is wrong
  int line = 0;       ///< 1-based line in the YAML text; 0 when unknown
  int column = 0;     ///< 1-based column; 0 when unknown

  /// `path: reason`, or `reason` for file-level errors.
  std::string message() const;
};

/// Outcome of a load: a model when and only when `errors` is empty.
struct load_result {
  std::optional<model> topology;
  std::vector<topology_error> errors; ///< in document order; errors without a line come last
};

/// Reads, decodes and validates the YAML file at `path`; node config paths resolve against
/// the file's directory (and must exist).
load_result load_file(const std::string& path);

/// Same for YAML text. With an empty `base_dir`, config paths are not checked on disk.
load_result load_text(std::string_view yaml, const std::string& base_dir = "");

/// One error per line, `file:line: path: reason` (the `file:line: ` prefix when the line is known).
std::string format_errors(const std::vector<topology_error>& errors, const std::string& file);

} // namespace tradewind::topology
