#pragma once
// PostgreSQL test helpers: a fresh schema per test on the server named by TW_TEST_PG_URL
// (so parallel ctest runs never collide), and raw SQL behind the store's back.

#include <atomic>
#include <cstdlib>
#include <string>

#include <unistd.h>

#include <pqxx/pqxx>

namespace tradewind::testing {

/// TW_TEST_PG_URL, or empty when the integration environment is absent.
inline std::string pg_test_url() {
  const char* url = std::getenv("TW_TEST_PG_URL");
  return url ? url : "";
}

/// `base` with one more query parameter.
inline std::string with_param(const std::string& base, const std::string& param) {
  return base + (base.find('?') == std::string::npos ? "?" : "&") + param;
}

/// A schema created on construction and dropped (with everything in it) on destruction;
/// url() points the connection's search_path at it and names the application uniquely.
class pg_schema {
public:
  explicit pg_schema(const std::string& test) : base_(pg_test_url()) {
    static std::atomic<int> counter{0};
    name_ = "tw_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_";
    for (char c : test.substr(0, 30))
      name_ += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    exec_on(base_, "DROP SCHEMA IF EXISTS " + name_ + " CASCADE; CREATE SCHEMA " + name_);
  }
  ~pg_schema() {
    try {
      exec_on(base_, "DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    } catch (...) {
    }
  }
  const std::string& name() const { return name_; }
  /// Connections through this url create and find tables in the schema.
  std::string url() const {
    return with_param(with_param(base_, "options=-csearch_path%3D" + name_),
                      "application_name=" + name_);
  }

  static void exec_on(const std::string& url, const std::string& sql) {
    pqxx::connection c{url};
    pqxx::nontransaction tx{c};
    tx.exec(sql);
  }

  /// The first column of the first row of `sql`, as text ("" for NULL or no row).
  static std::string query_on(const std::string& url, const std::string& sql) {
    pqxx::connection c{url};
    pqxx::nontransaction tx{c};
    auto r = tx.exec(sql);
    return r.empty() || r[0][0].is_null() ? std::string{} : r[0][0].c_str();
  }

private:
  std::string base_;
  std::string name_;
};

} // namespace tradewind::testing
