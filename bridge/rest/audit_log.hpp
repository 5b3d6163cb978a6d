#pragma once
// Append-only audit trail of mutating API calls: one JSON object per line with the key id,
// never the token.

#include <cstdint>
#include <fstream>
#include <mutex>
#include <string>

namespace tradewind::rest {

/// One mutating call.
struct audit_entry {
  int64_t ts_ms = 0;     ///< wall clock
  std::string key_id;    ///< empty when the call was not authenticated
  std::string method;
  std::string path;      ///< without the query string
  int status = 0;
  std::string remote;
  std::string body;      ///< request body (JSON), truncated to 2 KiB
};

/// Thread-safe appender; each entry is flushed before append() returns.
class audit_log {
public:
  /// Opens `path` for appending (created when absent).
  explicit audit_log(std::string path);
  /// False when the file could not be opened (entries are then dropped).
  bool is_open() const { return out_.is_open(); }
  void append(const audit_entry& e);
  const std::string& path() const { return path_; }

private:
  std::string path_;
  std::mutex mtx_;
  std::ofstream out_;
};

} // namespace tradewind::rest
