// No secret reaches a log line or an error text: the real `tradewind` binary is run at debug
// level with secret-bearing URLs in every accepted form — webhooks with a path token and a
// query token (pointing at a closed local port, so every attempt fails and is logged),
// webhook headers (Authorization, X-Api-Key), a PostgreSQL store URL with `?password=` and
// with a libpq conninfo `password=` (both unreachable), an AMQP URL with a password — and its
// whole stdout/stderr is searched: no secret may appear, and the redacted form must (so each
// log line the test relies on exists).

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "tests/notifiers/test_http_server.hpp"

namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  auto dir = fs::temp_directory_path() / ("tw-secrets-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string read_text(const fs::path& p) {
  std::ifstream in{p};
  return {std::istreambuf_iterator<char>{in}, {}};
}

/// A loopback port nothing listens on.
int closed_port() {
  return 1; // privileged and unused on a test machine: connect() is refused at once
}

/// Runs TW_BINARY with `args`, stdout and stderr into `log`, until it exits or `done(log text)`
/// holds (then SIGTERM, and SIGKILL after 30 s); everything it printed.
template <class Done>
std::string run(const std::vector<std::string>& args, const fs::path& log, Done done, int seconds = 120) {
  fs::remove(log);
  pid_t pid = ::fork();
  if (pid == 0) {
    std::freopen(log.c_str(), "w", stdout);
    std::freopen(log.c_str(), "a", stderr);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(TW_BINARY));
    for (const auto& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(TW_BINARY, argv.data());
    ::_exit(127);
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int status = 0;
  bool exited = false;
  while (std::chrono::steady_clock::now() < until) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    if (done(read_text(log)))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!exited) {
    ::kill(pid, SIGTERM);
    auto grace = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (::waitpid(pid, &status, WNOHANG) != pid) {
      if (std::chrono::steady_clock::now() > grace) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return read_text(log);
}

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

const std::vector<std::string> secrets = {
  "SLACKSECRET1", "QUERYSECRET2", "HDRSECRET3", "HDRSECRET4", "PGSECRET5", "CONNSECRET6", "AMQPSECRET7",
  "CFGSECRET8", "TGSECRET9",
};

void expect_no_secret(const std::string& output, const std::string& what) {
  for (const auto& s : secrets)
    EXPECT_FALSE(contains(output, s)) << what << " printed " << s << ":\n" << output;
}

std::string base_config(const std::string& store_url, int port, const std::string& accepting = "") {
  std::string p = std::to_string(port);
  return "node:\n  name: secrets-test\nlog:\n  level: debug\n"
         "collector:\n  mode: synthetic\n  speed: 100\n  synthetic:\n    symbols: [SYNTHUSDT]\n"
         "    seed: 7\n    interval_ms: 1000\n    bars: 0\n    start_time_ms: 1700000000000\n"
         "strategies:\n  - {id: s1, fast: 2, slow: 5, order_notional: 2000, qty_step: 0.001}\n"
         // A drawdown limit the first loss trips: a critical alert for the webhooks.
         "risk:\n  max_position_pct: 100\n  max_drawdown_pct: 0.01\n"
         "notifier:\n  webhooks:\n"
         "    - url: http://127.0.0.1:" + p + "/services/T000/B000/SLACKSECRET1\n"
         "      min_severity: info\n      max_retries: 1\n      initial_backoff_ms: 10\n      timeout_ms: 500\n"
         "      headers:\n        Authorization: \"Bearer HDRSECRET3\"\n        X-Api-Key: HDRSECRET4\n"
         "    - url: \"http://127.0.0.1:" + p + "/hook?token=QUERYSECRET2\"\n"
         "      min_severity: info\n      max_retries: 1\n      initial_backoff_ms: 10\n      timeout_ms: 500\n"
         + (accepting.empty() ? std::string{}
                              : "    - url: " + accepting + "\n      min_severity: info\n"
                                "      headers: {Authorization: \"Bearer HDRSECRET3\"}\n") +
         "store:\n  url: \"" + store_url + "\"\n"
         "amqp:\n  url: \"amqp://tw:AMQPSECRET7@127.0.0.1:1/\"\n";
}

TEST(secrets_in_logs, webhook_urls_and_headers_never_reach_the_log) {
  auto dir = temp_dir();
  auto cfg = dir / "webhooks.yaml";
  // A Telegram-style webhook that answers 200: its deliveries are logged at debug.
  tradewind::testing::test_http_server server{[](size_t) { return 200; }};
  auto accepting = server.url("/bot123456:TGSECRET9/sendMessage");
  std::ofstream{cfg} << base_config("sqlite:" + (dir / "store.db").string(), closed_port(), accepting);
  auto dots = std::string{"\xe2\x80\xa6"};
  auto origin = "http://127.0.0.1:" + std::to_string(closed_port()) + "/" + dots;
  auto out = run({"run", "-c", cfg.string()}, dir / "webhooks.log", [&](const std::string& text) {
    // Both webhooks failed an attempt and gave up at least once.
    size_t gave_up = 0;
    for (size_t at = 0; (at = text.find("event=webhook_gave_up", at)) != std::string::npos; ++at)
      ++gave_up;
    return gave_up >= 2 && text.find("event=webhook_delivered") != std::string::npos;
  });
  EXPECT_TRUE(contains(out, "event=webhook_delivered url=http://127.0.0.1:" + std::to_string(server.port()) + "/" + dots))
    << out;
  ASSERT_FALSE(server.requests().empty());
  EXPECT_EQ(server.requests()[0].target, "/bot123456:TGSECRET9/sendMessage"); // the secret is still sent
  EXPECT_TRUE(contains(out, "event=webhook_attempt_failed url=" + origin)) << out;
  EXPECT_TRUE(contains(out, "event=webhook_gave_up url=" + origin)) << out;
  expect_no_secret(out, "tradewind run (webhooks)");
}

TEST(secrets_in_logs, store_passwords_never_reach_the_run_error) {
  auto dir = temp_dir();
  auto cfg = dir / "pg-query.yaml";
  std::ofstream{cfg} << base_config("postgresql://tradewind@127.0.0.1:1/tradewind?password=PGSECRET5", 9);
  auto out = run({"run", "-c", cfg.string()}, dir / "pg-query.log", [](const std::string&) { return false; });
  EXPECT_TRUE(contains(out, "postgresql://tradewind@127.0.0.1:1/tradewind?password=***")) << out;
  expect_no_secret(out, "tradewind run (?password=)");

  auto db = run({"db", "status", "--url", "host=127.0.0.1 port=1 password=CONNSECRET6"}, dir / "conninfo.log",
                [](const std::string&) { return false; });
  EXPECT_TRUE(contains(db, "password=***")) << db;
  expect_no_secret(db, "tradewind db status (conninfo)");

  auto mig = run({"db", "migrate", "--url", "postgresql://tw:PGSECRET5@127.0.0.1:1/tw"}, dir / "migrate.log",
                 [](const std::string&) { return false; });
  EXPECT_TRUE(contains(mig, "postgresql://tw:***@127.0.0.1:1/tw")) << mig;
  expect_no_secret(mig, "tradewind db migrate (userinfo)");
}

TEST(secrets_in_logs, amqp_passwords_and_config_errors_never_echo_a_secret) {
  auto dir = temp_dir();
  auto topo = std::string{TW_SOURCE_DIR} + "/topology/examples/cluster.yaml";
  auto out = run({"cluster", "nodes", "--topology", topo, "--amqp-url", "amqp://tw:AMQPSECRET7@127.0.0.1:1/",
                  "--listen-s", "1"},
                 dir / "amqp.log", [](const std::string&) { return false; });
  EXPECT_TRUE(contains(out, "amqp://tw:***@127.0.0.1:1/")) << out;
  expect_no_secret(out, "tradewind cluster nodes");

  auto cfg = dir / "bad.yaml";
  std::ofstream{cfg} << "collector:\n  mode: synthetic\nstrategies:\n  - id: s1\n"
                        "notifier:\n  webhooks:\n    - url: https://hooks.example/services/CFGSECRET8\n"
                        "      headers:\n        Authorization: [CFGSECRET8]\n        \"bad name\": x\n";
  auto bad = run({"config", "validate", cfg.string()}, dir / "bad.log", [](const std::string&) { return false; });
  EXPECT_TRUE(contains(bad, "notifier.webhooks[0].url")) << bad;
  EXPECT_TRUE(contains(bad, "notifier.webhooks[0].headers")) << bad;
  expect_no_secret(bad, "tradewind config validate");
}

} // namespace
