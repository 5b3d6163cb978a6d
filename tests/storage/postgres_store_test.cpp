// PostgreSQL-specific store behaviour against the real server at TW_TEST_PG_URL: startup
// errors without secrets, refusal of an unmigrated schema, pooling and reconnection.

#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "actors/storage/store.hpp"
#include "net/redact.hpp"
#include "tests/storage/pg_test_support.hpp"
#include "tools/db_cmd.hpp"

namespace tradewind {
namespace {

class postgres_store_test : public ::testing::Test {
protected:
  void SetUp() override {
    if (testing::pg_test_url().empty())
      GTEST_SKIP() << "TW_TEST_PG_URL is not set (scripts/test.sh starts PostgreSQL and sets it)";
    schema_ = std::make_unique<testing::pg_schema>(
      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    cfg_.url = schema_->url();
  }

  /// Terminates every server connection opened through this test's url.
  void kill_connections() {
    testing::pg_schema::exec_on(testing::pg_test_url(),
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                " WHERE application_name = '" + schema_->name() + "'");
  }

  std::unique_ptr<testing::pg_schema> schema_;
  store_config cfg_;
};

/// TW_TEST_PG_URL with its user and password replaced.
std::string with_user(const std::string& user_and_password) {
  auto url = testing::pg_test_url();
  auto start = url.find("://") + 3;
  auto at = url.find('@', start);
  return url.substr(0, start) + user_and_password + url.substr(at);
}

TEST_F(postgres_store_test, refuses_an_unmigrated_database_and_says_how_to_fix_it) {
  auto r = open_store(cfg_);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error(), redact_url(cfg_.url) +
                         ": database schema version 0 is older than this build needs (3); run "
                         "`tradewind db migrate` with the same store url first");
  ASSERT_TRUE(migrate_store(cfg_, 1).is_ok());
  r = open_store(cfg_);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("database schema version 1 is older than this build needs (3)"),
            std::string::npos)
    << r.error();
  ASSERT_TRUE(migrate_store(cfg_).is_ok());
  EXPECT_TRUE(open_store(cfg_).is_ok());
}

TEST_F(postgres_store_test, wrong_credentials_fail_at_open_without_echoing_the_password) {
  cfg_.url = with_user("tw_no_such_user:hunter2");
  cfg_.connect_timeout_ms = 2'000;
  auto r = open_store(cfg_);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().find(redact_url(cfg_.url) + ": cannot connect: "), 0u) << r.error();
  // trust or password authentication: either way the server names the problem.
  EXPECT_TRUE(r.error().find("role \"tw_no_such_user\" does not exist") != std::string::npos ||
              r.error().find("password authentication failed") != std::string::npos)
    << r.error();
  EXPECT_EQ(r.error().find("hunter2"), std::string::npos) << r.error();
  auto m = migrate_store(cfg_);
  ASSERT_FALSE(m.is_ok());
  EXPECT_EQ(m.error().find("hunter2"), std::string::npos) << m.error();
}

TEST_F(postgres_store_test, an_unknown_database_is_a_clear_startup_error) {
  auto url = testing::pg_test_url();
  cfg_.url = url.substr(0, url.rfind('/')) + "/tw_no_such_db";
  auto r = open_store(cfg_);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("database \"tw_no_such_db\" does not exist"), std::string::npos)
    << r.error();
}

TEST_F(postgres_store_test, reconnects_after_the_server_dropped_the_connection) {
  ASSERT_TRUE(migrate_store(cfg_).is_ok());
  cfg_.pool_size = 1;
  auto opened = open_store(cfg_);
  ASSERT_TRUE(opened.is_ok()) << opened.error();
  auto& db = opened.value();
  store_batch first;
  first.alerts = {alert{severity::info, "a1", "t", "m", 1}};
  ASSERT_TRUE(db->write_batch(first).is_ok());

  kill_connections();
  store_batch second;
  second.alerts = {alert{severity::info, "a2", "t", "m", 2}};
  auto status = db->write_batch(second);
  if (!status) { // the dead connection is noticed on use: that call fails, nothing half-written
    EXPECT_NE(status.message().find(redact_url(cfg_.url) + ": write_batch: "),
              std::string::npos)
      << status.message();
    status = db->write_batch(second); // the store writer's retry: reconnects
  }
  ASSERT_TRUE(status.is_ok()) << status.message();
  auto alerts = db->list_alerts().value();
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[1].code, "a2");
}

TEST_F(postgres_store_test, a_pool_serves_concurrent_readers) {
  ASSERT_TRUE(migrate_store(cfg_).is_ok());
  cfg_.pool_size = 3;
  auto db = std::move(open_store(cfg_).value());
  store_batch b;
  b.alerts = {alert{severity::info, "x", "t", "m", 1}};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  // The store is documented as single-user, but the pool itself must be safe: 6 threads
  // share 3 connections.
  std::vector<std::thread> readers;
  std::atomic<int> good{0};
  for (int i = 0; i < 6; ++i)
    readers.emplace_back([&] {
      for (int j = 0; j < 5; ++j)
        if (auto r = db->list_alerts(); r && r.value().size() == 1)
          ++good;
    });
  for (auto& t : readers)
    t.join();
  EXPECT_EQ(good.load(), 30);
}

TEST_F(postgres_store_test, stores_fixed_values_as_exact_bigints) {
  ASSERT_TRUE(migrate_store(cfg_).is_ok());
  auto db = std::move(open_store(cfg_).value());
  store_batch b;
  fill f;
  f.fill_id = "F1";
  f.price = *fixed::parse("12.5");
  b.fills = {f};
  ASSERT_TRUE(db->write_batch(b).is_ok());
  pqxx::connection c{cfg_.url};
  pqxx::read_transaction tx{c};
  auto row = tx.exec1("SELECT price_e8, pg_typeof(price_e8)::text FROM fills");
  EXPECT_EQ(row[0].as<int64_t>(), 1'250'000'000);
  EXPECT_EQ(row[1].as<std::string>(), "bigint");
}

TEST_F(postgres_store_test, db_command_migrates_and_reports_status) {
  std::ostringstream out, err;
  db_cmd_options opt;
  opt.url = cfg_.url;
  opt.out = &out;
  opt.err = &err;
  auto shown = redact_url(cfg_.url);
  EXPECT_EQ(run_db_command("status", opt), db_exit_pending);
  EXPECT_EQ(run_db_command("migrate", opt), db_exit_ok) << err.str();
  EXPECT_EQ(run_db_command("status", opt), db_exit_ok);
  EXPECT_EQ(out.str(), "store " + shown +
                         ": schema version 0, this build 3 (3 migrations pending; run `tradewind "
                         "db migrate`)\n"
                         "store " + shown + ": migrated from version 0 to 3\n"
                         "store " + shown + ": schema version 3, this build 3 (up to date)\n");
  EXPECT_TRUE(open_store(cfg_).is_ok());
}

TEST_F(postgres_store_test, concurrent_migrations_apply_each_version_once) {
  std::vector<std::thread> migrators;
  std::string errors[3];
  for (auto& e : errors)
    migrators.emplace_back([this, &e] {
      auto r = migrate_store(cfg_);
      e = r ? "" : r.error();
    });
  for (auto& t : migrators)
    t.join();
  for (const auto& e : errors)
    EXPECT_EQ(e, "");
  pqxx::connection c{cfg_.url};
  pqxx::read_transaction tx{c};
  EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM schema_version")[0].as<int>(), 3);
}

} // namespace
} // namespace tradewind
