// `tradewind db migrate|status` (tools/db_cmd) against SQLite files; the PostgreSQL cases
// are in postgres_store_test.cpp (integration).

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "actors/storage/store.hpp"
#include "tests/storage/store_test_support.hpp"
#include "tools/db_cmd.hpp"

namespace tradewind {
namespace {

struct db_run {
  int code;
  std::string out;
  std::string err;
};

db_run run(const std::string& verb, db_cmd_options opt) {
  std::ostringstream out, err;
  opt.out = &out;
  opt.err = &err;
  int code = run_db_command(verb, opt);
  return {code, out.str(), err.str()};
}

TEST(db_cmd, status_migrate_status_on_a_new_file) {
  testing::temp_db tmp{"db_cmd_new"};
  db_cmd_options opt;
  opt.url = tmp.url();
  auto s = run("status", opt);
  EXPECT_EQ(s.code, db_exit_pending);
  EXPECT_EQ(s.out, "store " + tmp.url() +
                     ": schema version 0, this build 3 (3 migrations pending; run `tradewind db "
                     "migrate`)\n");
  auto m = run("migrate", opt);
  EXPECT_EQ(m.code, db_exit_ok) << m.err;
  EXPECT_EQ(m.out, "store " + tmp.url() + ": migrated from version 0 to 3\n");
  auto again = run("migrate", opt);
  EXPECT_EQ(again.code, db_exit_ok);
  EXPECT_EQ(again.out, "store " + tmp.url() + ": already at version 3\n");
  auto up = run("status", opt);
  EXPECT_EQ(up.code, db_exit_ok);
  EXPECT_EQ(up.out, "store " + tmp.url() + ": schema version 3, this build 3 (up to date)\n");
}

TEST(db_cmd, migrates_to_a_chosen_version) {
  testing::temp_db tmp{"db_cmd_to"};
  db_cmd_options opt;
  opt.url = tmp.url();
  opt.target_version = 1;
  EXPECT_EQ(run("migrate", opt).out, "store " + tmp.url() + ": migrated from version 0 to 1\n");
  opt.target_version = 0;
  auto s = run("status", opt);
  EXPECT_EQ(s.code, db_exit_pending);
  EXPECT_EQ(s.out, "store " + tmp.url() +
                     ": schema version 1, this build 3 (2 migrations pending; run `tradewind db "
                     "migrate`)\n");
  EXPECT_EQ(run("migrate", opt).out, "store " + tmp.url() + ": migrated from version 1 to 3\n");
}

TEST(db_cmd, reads_the_store_from_a_config_file) {
  testing::temp_db tmp{"db_cmd_cfg"};
  auto yaml = std::filesystem::temp_directory_path() /
              ("tw_db_cmd_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream{yaml} << "collector:\n  mode: synthetic\nstrategies:\n  - id: s1\nstore:\n  url: "
                      << tmp.url() << "\n";
  db_cmd_options opt;
  opt.config_path = yaml.string();
  auto m = run("migrate", opt);
  std::filesystem::remove(yaml);
  EXPECT_EQ(m.code, db_exit_ok) << m.err;
  EXPECT_EQ(m.out, "store " + tmp.url() + ": migrated from version 0 to 3\n");
}

TEST(db_cmd, reports_a_newer_database) {
  testing::temp_db tmp{"db_cmd_newer"};
  db_cmd_options opt;
  opt.url = tmp.url();
  ASSERT_EQ(run("migrate", opt).code, db_exit_ok);
  testing::raw_exec(tmp.path(), "INSERT INTO schema_version VALUES (9, 0)");
  auto s = run("status", opt);
  EXPECT_EQ(s.code, db_exit_pending);
  EXPECT_EQ(s.out, "store " + tmp.url() +
                     ": schema version 9, this build 3 (the database is newer than this build; "
                     "upgrade Tradewind)\n");
  auto m = run("migrate", opt);
  EXPECT_EQ(m.code, db_exit_error);
  EXPECT_EQ(m.err, "tradewind db migrate: " + tmp.url() +
                     ": cannot migrate: database schema version 9 is newer than this build "
                     "supports (3); upgrade Tradewind or use another database\n");
}

TEST(db_cmd, usage_errors) {
  db_cmd_options opt;
  auto none = run("status", opt);
  EXPECT_EQ(none.code, db_exit_usage);
  EXPECT_EQ(none.err, "tradewind db: name the store with --config FILE or --url URL\n");
  opt.url = "sqlite:x.db";
  auto verb = run("drop", opt);
  EXPECT_EQ(verb.code, db_exit_usage);
  EXPECT_EQ(verb.err, "tradewind db: unknown command 'drop' (expected migrate or status)\n");
  opt.url.clear();
  opt.config_path = "/nonexistent/tw.yaml";
  auto bad = run("status", opt);
  EXPECT_EQ(bad.code, db_exit_usage);
  EXPECT_NE(bad.err.find("tradewind db: 1 configuration error:\n"), std::string::npos) << bad.err;
}

TEST(db_cmd, never_prints_a_password) {
  db_cmd_options opt;
  opt.url = "postgresql://tw:hunter2@127.0.0.1:1/tw";
  auto s = run("status", opt);
  EXPECT_EQ(s.code, db_exit_error);
  EXPECT_EQ(s.err.rfind("tradewind db status: postgresql://tw:***@127.0.0.1:1/tw: cannot connect: ", 0),
            0u)
    << s.err;
  EXPECT_EQ(s.err.find("hunter2"), std::string::npos);
  auto m = run("migrate", opt);
  EXPECT_EQ((m.out + m.err).find("hunter2"), std::string::npos);
}

} // namespace
} // namespace tradewind
