#pragma once
// `tradewind apikey create|list|revoke`: manage the REST bridge's API keys file.

#include <ostream>
#include <string>

namespace tradewind {

struct apikey_cmd_options {
  std::string keys_file;     ///< --keys-file (required)
  std::string name;          ///< create: --name
  std::string scope = "read"; ///< create: --scope read|trade|admin
  std::string id;            ///< revoke: the key id (k…)
};

/// Runs `verb` (create, list, revoke). create prints the token once on `out`; only its
/// SHA-256 is written to the file. Returns 0 on success, 1 on failure (message on `err`),
/// 2 for bad arguments.
int run_apikey_command(const std::string& verb, const apikey_cmd_options& opts, std::ostream& out,
                       std::ostream& err);

} // namespace tradewind
