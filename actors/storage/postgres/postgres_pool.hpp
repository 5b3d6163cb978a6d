#pragma once
// Connection pool over libpqxx for the PostgreSQL back end. Internal to postgres/: only its
// .cpp files include this header, so no public header sees <pqxx/pqxx>.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "actors/storage/store.hpp"

namespace tradewind::pg {

/// libpq connection string for `cfg.url`: the URL plus `connect_timeout` (whole seconds,
/// rounded up from cfg.connect_timeout_ms) and `application_name=tradewind` unless the URL
/// sets its own.
std::string conninfo_of(const store_config& cfg);


/// A libpq/libpqxx error text as one line (newlines and tabs folded, trailing blanks
/// removed), with every occurrence of one of `secrets` (see tradewind::secrets_in) replaced by `***`.
std::string clean_message(std::string_view what, const std::vector<std::string>& secrets);

/// Up to `cfg.pool_size` connections, opened lazily and reopened after a failure. A
/// broken connection is dropped when its lease ends; the next acquire() reconnects with
/// back-off (reconnect_delays). Thread-safe; acquire() blocks while every connection is leased.
class pool {
public:
  /// Delays before the 2nd and 3rd attempt of one reconnect (the 1st is immediate).
  static constexpr std::chrono::milliseconds reconnect_delays[] = {std::chrono::milliseconds{100},
                                                                  std::chrono::milliseconds{400}};

  explicit pool(const store_config& cfg);

  /// The URL with its password redacted: the prefix of every message.
  const std::string& shown_url() const { return shown_url_; }
  /// See clean_message.
  std::string clean(std::string_view what) const { return clean_message(what, secrets_); }

  /// Exclusive use of one connection; returns it to the pool on destruction.
  class lease {
  public:
    lease(pool* owner, std::unique_ptr<pqxx::connection> c) : owner_(owner), conn_(std::move(c)) {}
    lease(lease&& other) noexcept
      : owner_(std::exchange(other.owner_, nullptr)), conn_(std::move(other.conn_)),
        broken_(other.broken_) {}
    lease& operator=(lease&&) = delete;
    ~lease();
    pqxx::connection& operator*() { return *conn_; }
    pqxx::connection* operator->() { return conn_.get(); }
    /// The connection failed: close it instead of returning it to the pool.
    void mark_broken() { broken_ = true; }

  private:
    pool* owner_;
    std::unique_ptr<pqxx::connection> conn_;
    bool broken_ = false;
  };

  /// A healthy connection, reconnecting when needed; an error ("<url>: cannot connect: …")
  /// when the server stays unreachable or refuses the credentials.
  store_result<lease> acquire();

  /// Number of connections currently open (idle or leased).
  size_t open_connections() const;

private:
  void give_back(std::unique_ptr<pqxx::connection> c, bool broken);
  store_result<std::unique_ptr<pqxx::connection>> connect();

  std::string conninfo_;
  std::string shown_url_;
  std::vector<std::string> secrets_; ///< what redact_url hides in the url (passwords, secret params)
  size_t size_;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_; ///< open, unleased connections
  size_t leased_ = 0;
};

} // namespace tradewind::pg
