#pragma once
// API keys of the REST bridge: scopes, generation, the keys file (hashes only) and
// verification of bearer tokens. Tokens are "tw_<id>_<64 hex>": the id selects the key,
// the 32-byte secret is stored only as its SHA-256.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace tradewind::rest {

/// What a key may do; each scope includes the ones before it.
enum class key_scope : uint8_t {
  read,  ///< every GET and the stream
  trade, ///< + create and cancel manual orders
  admin, ///< + trading state, strategy enable/disable, limits
};

std::string_view to_string(key_scope s);
std::optional<key_scope> parse_scope(std::string_view text);
/// True when a key of scope `have` may call an endpoint that needs `need`.
inline bool scope_allows(key_scope have, key_scope need) {
  return static_cast<uint8_t>(have) >= static_cast<uint8_t>(need);
}

/// One stored key; the secret itself is never stored.
struct api_key {
  std::string id;          ///< "k" + 12 hex digits, shown in lists and the audit log
  std::string name;        ///< operator's label
  key_scope scope = key_scope::read;
  std::string sha256_hex;  ///< SHA-256 of the secret part of the token
  int64_t created_ms = 0;
  bool revoked = false;
  int64_t revoked_ms = 0;
};

/// A fresh key and the token to hand to its owner (shown once, never stored).
struct created_key {
  api_key key;
  std::string token;
};

/// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// A new key with a random 32-byte secret (OpenSSL RAND_bytes). Throws std::runtime_error
/// when the random generator fails.
created_key generate_key(const std::string& name, key_scope scope, int64_t now_ms);

/// Keys read from a file, or why they could not be.
struct key_file_result {
  std::vector<api_key> keys;
  std::string error; ///< empty on success
};

/// Reads a keys file ({"version":1,"keys":[…]}). A missing file is an empty list when
/// `missing_ok`, an error otherwise.
key_file_result load_keys(const std::string& path, bool missing_ok);

/// Writes the keys file atomically (temp file + rename) with mode 0600. Returns an error
/// message, empty on success.
std::string save_keys(const std::string& path, const std::vector<api_key>& keys);

/// Splits "tw_<id>_<secret>"; nullopt for any other shape.
std::optional<std::pair<std::string, std::string>> split_token(std::string_view token);

/// Verifies bearer tokens against a keys file, reloading it when the file changes (modification
/// time, inode or size, checked at most every reload_check_ms), so `tradewind apikey revoke`
/// takes effect on a running node, open WebSocket streams included (see active()). Thread-safe.
class key_ring {
public:
  /// `path` empty = no keys (every token is unknown).
  explicit key_ring(std::string path);
  /// For tests: a fixed set of keys, never reloaded.
  explicit key_ring(std::vector<api_key> keys);

  /// The non-revoked key `token` belongs to; nullopt for unknown, malformed or revoked tokens.
  std::optional<api_key> verify(std::string_view token, int64_t now_ms);

  /// True while the key `key_id` is in the file and not revoked (reloads a changed file first).
  bool active(const std::string& key_id, int64_t now_ms);

  /// How often the file's identity is re-checked (one stat).
  static constexpr int64_t reload_check_ms = 200;

  /// The last load error ("" when fine); the path's content is never included.
  std::string last_error() const;

private:
  void maybe_reload(int64_t now_ms);

  std::string path_;
  mutable std::mutex mtx_;
  std::vector<api_key> keys_;
  int64_t checked_ms_ = -1'000'000;
  std::tuple<int64_t, uint64_t, int64_t> stamp_{-1, 0, 0};
  std::string error_;
};

} // namespace tradewind::rest
