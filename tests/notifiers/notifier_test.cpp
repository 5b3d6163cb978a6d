// Notifier actor with real webhook delivery to a local HTTP server: retries with back-off,
// no retry on 4xx, giving up on a dead endpoint, and never blocking on a slow one.

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "caf/all.hpp"

#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/notifiers/notifier.hpp"
#include "schemas/atoms.hpp"
#include "schemas/control.hpp"
#include "tests/notifiers/test_http_server.hpp"
#include "actors/core/system_config.hpp"

namespace tradewind {
namespace {

using namespace std::chrono_literals;

using test_config = node_system_config;

struct notifier_stats {
  uint64_t delivered = 0;
  uint64_t failed = 0;
  uint64_t dropped = 0;
  uint64_t attempts = 0;
  uint64_t suppressed = 0;
};

class notifier_test : public ::testing::Test {
protected:
  notifier_test() : sys_(cfg_), self_(sys_) { ctx_ = make_node_context("node-t", "off"); }

  ~notifier_test() override {
    if (notifier_)
      self_->send_exit(notifier_, caf::exit_reason::user_shutdown);
  }

  void start(const std::string& url, int max_retries, int64_t backoff_ms, int64_t timeout_ms) {
    webhook_config hook;
    hook.url = url;
    hook.min_severity = severity::warning;
    hook.max_retries = max_retries;
    hook.initial_backoff_ms = backoff_ms;
    hook.timeout_ms = timeout_ms;
    notifier_config cfg;
    cfg.webhooks = {hook};
    notifier_ = spawn_notifier(sys_, cfg, ctx_);
  }

  void publish(alert a) { self_->send(topic_group(sys_, topic::alerts), std::move(a)); }

  /// Asks the notifier; fails the test if it does not answer within `timeout`.
  notifier_stats stats(std::chrono::milliseconds timeout = 5s) {
    notifier_stats s;
    self_->request(notifier_, timeout, stats_atom::value)
      .receive(
        [&](uint64_t delivered, uint64_t failed, uint64_t dropped, uint64_t attempts,
            uint64_t suppressed) { s = {delivered, failed, dropped, attempts, suppressed}; },
        [&](caf::error& e) { ADD_FAILURE() << "stats: " << sys_.render(e); });
    return s;
  }

  /// Polls the notifier's counters (an external effect) until `done` holds or 20 s pass.
  template <class Pred>
  notifier_stats wait_until(Pred done) {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    auto s = stats();
    while (!done(s) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
      s = stats();
    }
    EXPECT_TRUE(done(s)) << "delivered=" << s.delivered << " failed=" << s.failed;
    return s;
  }

  test_config cfg_;
  caf::actor_system sys_;
  caf::scoped_actor self_;
  std::shared_ptr<node_context> ctx_;
  caf::actor notifier_;
};

alert critical_alert() {
  return alert{severity::critical, "breaker_tripped", "risk_gate", "drawdown 21 > 20", 1'234};
}

TEST_F(notifier_test, retries_with_doubling_backoff_until_delivered) {
  testing::test_http_server server{[](size_t i) { return i < 2 ? 500 : 200; }};
  start(server.url(), 3, 50, 2'000);
  publish(critical_alert());
  auto s = wait_until([](const notifier_stats& s) { return s.delivered == 1; });
  EXPECT_EQ(s.failed, 0u);
  EXPECT_EQ(s.attempts, 3u);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 3u);
  for (const auto& r : seen) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/hook");
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body, seen[0].body);
  }
  auto body = nlohmann::json::parse(seen[0].body);
  EXPECT_EQ(body["level"], "critical");
  EXPECT_EQ(body["code"], "breaker_tripped");
  EXPECT_EQ(body["source"], "risk_gate");
  EXPECT_EQ(body["message"], "drawdown 21 > 20");
  EXPECT_EQ(body["ts_ms"], 1'234);
  EXPECT_EQ(body["node"], "node-t");
  // Back-off: at least 50 ms before the 1st retry and at least 100 ms before the 2nd.
  EXPECT_GE(seen[1].at - seen[0].at, 50ms);
  EXPECT_GE(seen[2].at - seen[1].at, 100ms);
}

TEST_F(notifier_test, a_client_error_is_not_retried) {
  testing::test_http_server server{[](size_t) { return 400; }};
  start(server.url(), 3, 10, 2'000);
  publish(critical_alert());
  auto s = wait_until([](const notifier_stats& s) { return s.failed == 1; });
  EXPECT_EQ(s.delivered, 0u);
  EXPECT_EQ(s.attempts, 1u);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(notifier_test, too_many_requests_is_retried) {
  testing::test_http_server server{[](size_t i) { return i == 0 ? 429 : 204; }};
  start(server.url(), 1, 10, 2'000);
  publish(critical_alert());
  auto s = wait_until([](const notifier_stats& s) { return s.delivered == 1; });
  EXPECT_EQ(s.attempts, 2u);
}

TEST_F(notifier_test, gives_up_on_an_unreachable_endpoint_after_max_retries) {
  start("http://127.0.0.1:" + std::to_string(testing::unused_port()) + "/hook", 2, 20, 1'000);
  publish(critical_alert());
  auto s = wait_until([](const notifier_stats& s) { return s.failed == 1; });
  EXPECT_EQ(s.delivered, 0u);
  EXPECT_EQ(s.attempts, 3u);
}

TEST_F(notifier_test, a_silent_endpoint_does_not_block_the_notifier) {
  testing::test_http_server server{[](size_t) { return 0; }}; // holds every connection
  start(server.url(), 0, 10, 120'000);
  publish(critical_alert());
  ASSERT_TRUE(server.wait_for(1, 30s)); // the worker is now blocked in its HTTP call …
  // … until the server lets go (its own timeout is 2 minutes away), yet the notifier answers.
  auto s = stats(30s);
  EXPECT_EQ(s.delivered + s.failed, 0u);
  publish(alert{severity::critical, "second", "test", "queued behind the first", 2});
  server.release(); // both deliveries now fail: connection closed without an answer
  s = wait_until([](const notifier_stats& s) { return s.failed == 2; });
  EXPECT_EQ(s.attempts, 2u);
}

TEST_F(notifier_test, filters_by_severity_and_suppresses_duplicates) {
  testing::test_http_server server{[](size_t) { return 200; }};
  start(server.url(), 0, 10, 2'000);
  publish(alert{severity::info, "chatty", "test", "below the webhook's min_severity", 1});
  publish(critical_alert());
  publish(critical_alert()); // identical within 60 s
  auto s = wait_until(
    [](const notifier_stats& s) { return s.delivered == 1 && s.suppressed == 1; });
  EXPECT_EQ(s.attempts, 1u);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(seen[0].body)["code"], "breaker_tripped");
}

} // namespace
} // namespace tradewind
