#pragma once
// Append-only audit trail of mutating API calls: one JSON object per line with the key id,
// never the token, in a file, and the same entry in the store's audit_log table (queried by
// GET /api/v1/audit) when the node's store can be shared. Live updates also carry the values
// before and after.

#include <cstdint>
#include <fstream>
#include <memory>
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
  /// For live updates (risk limits, strategy parameters): a JSON object {"old": …, "new": …}
  /// written as the entry's "change" (file line and store detail); empty for other calls.
  std::string change;
};

class store_reader;

/// Thread-safe appender; each entry is flushed before append() returns.
class audit_log {
public:
  /// Opens `path` for appending (created when absent); entries also go to `store` when it
  /// is not null and shareable.
  explicit audit_log(std::string path, std::shared_ptr<store_reader> store = nullptr);
  /// False when the file could not be opened (entries are then dropped).
  bool is_open() const { return out_.is_open(); }
  /// Writes the file line, then the store row (a failed store write is counted by the
  /// store_reader's read/write metrics; the file line is kept either way).
  void append(const audit_entry& e);
  const std::string& path() const { return path_; }

private:
  std::string path_;
  std::mutex mtx_;
  std::ofstream out_;
  std::shared_ptr<store_reader> store_;
};

} // namespace tradewind::rest
