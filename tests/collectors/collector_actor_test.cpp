// Actor tests of the collector in a real actor system (2 scheduler threads): full replay,
// resume from a replay cursor, back-pressure from account watermarks, the malformed-rows
// alert, pacing and synthetic mode. Synchronisation uses messages (stats_atom round trips),
// never sleeps.

#include "actors/collectors/collector.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/all.hpp"

#include "actors/collectors/merged_feed.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "schemas/atoms.hpp"
#include "schemas/control.hpp"
#include "schemas/registry.hpp"
#include "schemas/trading.hpp"

namespace tradewind {
namespace {

constexpr auto receive_timeout = std::chrono::seconds(30);

std::string sample_path(const char* name) {
  return std::string{TW_SOURCE_DIR} + "/data/" + name;
}

/// The items an offline merge of `cfg` yields: what the actor must publish.
std::vector<std::string> offline_items(const collector_config& cfg) {
  auto feed = make_market_feed(cfg);
  std::vector<std::string> out;
  while (auto item = feed.next())
    out.push_back(to_string(*item));
  return out;
}

class collector_actor : public ::testing::Test {
protected:
  collector_actor() {
    sys_cfg_.set("scheduler.max-threads", 2);
    register_message_types(sys_cfg_);
    sys_.emplace(sys_cfg_);
    self_.emplace(*sys_);
    self()->join(topic_group(*sys_, topic::market_data));
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("tw-collector-" + std::to_string(::getpid()) + "-" + info->name());
    std::filesystem::create_directories(dir_);
  }

  ~collector_actor() override {
    for (auto& a : spawned_)
      self()->send_exit(a, caf::exit_reason::user_shutdown);
    self_.reset();
    sys_.reset(); // joins every actor
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  caf::scoped_actor& self() { return *self_; }

  caf::actor spawn(const collector_config& cfg, replay_cursor cursor) {
    auto a = spawn_collector(*sys_, cfg, std::move(cursor), make_node_context("test", "warn"));
    spawned_.push_back(a);
    return a;
  }

  std::string write_file(const std::string& name, const std::string& text) {
    auto path = (dir_ / name).string();
    std::ofstream{path} << text;
    return path;
  }

  /// The next market_data item, or nullopt (and a test failure) after the timeout.
  std::optional<std::string> receive_item() {
    std::optional<std::string> out;
    self()->receive([&](bar& b) { out = to_string(market_item{std::move(b)}); },
                    [&](trade_tick& t) { out = to_string(market_item{std::move(t)}); },
                    [&](watermark& w) { out = to_string(market_item{std::move(w)}); },
                    caf::after(receive_timeout) >> [&] { ADD_FAILURE() << "no market item"; });
    return out;
  }

  std::vector<std::string> receive_items(size_t n) {
    std::vector<std::string> out;
    for (size_t i = 0; i < n; ++i) {
      auto item = receive_item();
      if (!item)
        break;
      out.push_back(std::move(*item));
    }
    return out;
  }

  /// Items until (and including) the end-of-stream watermark.
  std::vector<std::string> receive_until_end() {
    std::vector<std::string> out;
    while (auto item = receive_item()) {
      out.push_back(std::move(*item));
      if (out.back().size() > 4 && out.back().compare(out.back().size() - 4, 4, " eos") == 0)
        break;
    }
    return out;
  }

  /// Round trip to the collector: everything it published before handling this request is
  /// already in our mailbox; returns its cursor.
  uint64_t published(const caf::actor& collector) {
    uint64_t n = 0;
    self()->request(collector, receive_timeout, stats_atom::value)
      .receive([&](uint64_t x) { n = x; },
               [&](caf::error& e) { ADD_FAILURE() << sys_->render(e); });
    return n;
  }

  /// True when no market item is waiting (call right after published()).
  bool mailbox_has_no_item() {
    bool none = true;
    self()->receive([&](bar &) { none = false; }, [&](trade_tick &) { none = false; },
                    [&](watermark &) { none = false; },
                    caf::after(std::chrono::seconds(0)) >> [] {});
    return none;
  }

  void publish_account(const watermark& w) {
    self()->send(topic_group(*sys_, topic::account), w);
  }

  caf::actor_system_config sys_cfg_;
  std::optional<caf::actor_system> sys_;
  std::optional<caf::scoped_actor> self_;
  std::vector<caf::actor> spawned_;
  std::filesystem::path dir_;
};

collector_config sample_replay() {
  collector_config cfg;
  cfg.feeds = {{"BTCUSDT", sample_path("sample-btcusdt-5m.csv"), feed_format::candles},
               {"ETHUSDT", sample_path("sample-ethusdt-trades.csv"), feed_format::trades}};
  cfg.max_ahead = 1'000'000; // no portfolio in this test: never wait for account watermarks
  return cfg;
}

TEST_F(collector_actor, publishes_every_item_in_order_then_end_of_stream) {
  auto cfg = sample_replay();
  const auto expected = offline_items(cfg);
  ASSERT_EQ(expected.size(), 2300u + 2247u);
  auto cursor = std::make_shared<std::atomic<uint64_t>>(0);
  auto collector = spawn(cfg, cursor);
  EXPECT_EQ(receive_until_end(), expected);
  EXPECT_EQ(published(collector), expected.size());
  EXPECT_EQ(cursor->load(), expected.size());
  EXPECT_TRUE(mailbox_has_no_item()); // idle after the end, still alive
}

TEST_F(collector_actor, resumes_at_the_replay_cursor) {
  auto cfg = sample_replay();
  const auto expected = offline_items(cfg);
  const uint64_t k = 1234;
  auto cursor = std::make_shared<std::atomic<uint64_t>>(k);
  auto collector = spawn(cfg, cursor);
  const std::vector<std::string> rest(expected.begin() + k, expected.end());
  EXPECT_EQ(receive_until_end(), rest);
  EXPECT_EQ(published(collector), expected.size());
}

TEST_F(collector_actor, a_finished_cursor_publishes_nothing_more) {
  auto cfg = sample_replay();
  const auto total = offline_items(cfg).size();
  auto collector = spawn(cfg, std::make_shared<std::atomic<uint64_t>>(total));
  EXPECT_EQ(published(collector), total);
  EXPECT_TRUE(mailbox_has_no_item());
}

TEST_F(collector_actor, pauses_beyond_max_ahead_until_account_watermarks_advance) {
  std::string text;
  for (int t = 1; t <= 8; ++t)
    text += std::to_string(t * 1000) + ",10,11,9,10," + std::to_string(t) + "\n";
  collector_config cfg;
  cfg.feeds = {{"AAA", write_file("bp.csv", text), feed_format::candles}};
  cfg.max_ahead = 3;
  auto collector = spawn(cfg, std::make_shared<std::atomic<uint64_t>>(0));
  auto bar_at = [](int t) {
    return "bar AAA t=" + std::to_string(t * 1000) + " i=1000 o=10 h=11 l=9 c=10 v=" +
           std::to_string(t);
  };
  auto wm_at = [](int t, bool eos = false) {
    return "watermark market t=" + std::to_string(t * 1000) + (eos ? " eos" : "");
  };
  // Three events go out, each followed by its watermark; the fourth waits.
  EXPECT_EQ(receive_items(6), (std::vector<std::string>{bar_at(1), wm_at(1), bar_at(2), wm_at(2),
                                                        bar_at(3), wm_at(3)}));
  EXPECT_EQ(published(collector), 6u);
  EXPECT_TRUE(mailbox_has_no_item());
  // Other traffic on account does not release it (and raises no unexpected-message error).
  self()->send(topic_group(*sys_, topic::account), account_snapshot{});
  self()->send(topic_group(*sys_, topic::account), position_update{});
  publish_account(watermark{"risk", 99'000, false});
  EXPECT_EQ(published(collector), 6u);
  // The account has handled t=1000: one event is acknowledged, one more may go out.
  publish_account(watermark{"account", 1000, false});
  EXPECT_EQ(receive_items(2), (std::vector<std::string>{bar_at(4), wm_at(4)}));
  EXPECT_EQ(published(collector), 8u);
  EXPECT_TRUE(mailbox_has_no_item());
  // Everything acknowledged: three more events, then it waits again.
  publish_account(watermark{"account", 4000, false});
  EXPECT_EQ(receive_items(6), (std::vector<std::string>{bar_at(5), wm_at(5), bar_at(6), wm_at(6),
                                                        bar_at(7), wm_at(7)}));
  EXPECT_EQ(published(collector), 14u);
  EXPECT_TRUE(mailbox_has_no_item());
  publish_account(watermark{"account", 7000, false});
  EXPECT_EQ(receive_until_end(), (std::vector<std::string>{bar_at(8), wm_at(8, true)}));
  EXPECT_EQ(published(collector), 16u);
}

TEST_F(collector_actor, completes_a_group_of_equal_times_before_pausing) {
  // Four trades share t=5: pausing inside the group would withhold watermark 5 and the
  // account could never catch up, so the whole group and its watermark go out.
  collector_config cfg;
  cfg.feeds = {{"BBB",
                write_file("eq.csv", "5,1,buy,1,1\n5,2,buy,1,1\n5,3,buy,1,1\n5,4,buy,1,1\n"
                                     "6,5,sell,1,1\n"),
                feed_format::trades}};
  cfg.max_ahead = 2;
  auto collector = spawn(cfg, std::make_shared<std::atomic<uint64_t>>(0));
  auto items = receive_items(5);
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[4], "watermark market t=5");
  EXPECT_EQ(published(collector), 5u);
  EXPECT_TRUE(mailbox_has_no_item());
  publish_account(watermark{"account", 5, false});
  EXPECT_EQ(receive_until_end(), (std::vector<std::string>{"trade BBB t=6 id=5 sell p=1 q=1",
                                                           "watermark market t=6 eos"}));
}

TEST_F(collector_actor, reports_malformed_rows_once_as_a_warning_alert) {
  self()->join(topic_group(*sys_, topic::alerts));
  collector_config cfg;
  cfg.feeds = {{"AAA",
                write_file("bad.csv", "open_time_ms,open,high,low,close,volume\n"
                                      "1000,10,11,9,10,1\n"
                                      "2000,10,11,9,abc,1\n"
                                      "3000,10,11,9,10,1\n"
                                      "4000,10,11,9,10\n"),
                feed_format::candles}};
  auto collector = spawn(cfg, std::make_shared<std::atomic<uint64_t>>(0));
  auto items = receive_until_end();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items.back(), "watermark market t=3000 eos");
  std::optional<alert> got;
  self()->receive([&](alert& a) { got = std::move(a); },
                  caf::after(receive_timeout) >> [&] { ADD_FAILURE() << "no alert"; });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->level, severity::warning);
  EXPECT_EQ(got->code, "malformed_rows");
  EXPECT_EQ(got->source, "collector");
  EXPECT_EQ(
      got->message,
      R"(2 malformed rows skipped; first at bad.csv:3: column 'close': "abc" is not a decimal)");
  EXPECT_GT(got->ts_ms, 0);
  published(collector);
  bool second = false;
  self()->receive([&](alert&) { second = true; }, caf::after(std::chrono::seconds(0)) >> [] {});
  EXPECT_FALSE(second);
}

TEST_F(collector_actor, an_unreadable_feed_raises_a_critical_alert_and_ends_the_stream) {
  self()->join(topic_group(*sys_, topic::alerts));
  collector_config cfg;
  const auto missing = (dir_ / "missing.csv").string();
  cfg.feeds = {{"AAA", missing, feed_format::candles}};
  spawn(cfg, std::make_shared<std::atomic<uint64_t>>(0));
  EXPECT_EQ(receive_until_end(), std::vector<std::string>{"watermark market t=0 eos"});
  std::optional<alert> got;
  self()->receive([&](alert& a) { got = std::move(a); },
                  caf::after(receive_timeout) >> [&] { ADD_FAILURE() << "no alert"; });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->level, severity::critical);
  EXPECT_EQ(got->code, "feed_unreadable");
  EXPECT_EQ(got->message,
            "missing.csv: cannot open \"" + missing + "\": No such file or directory");
}

TEST_F(collector_actor, paced_replay_waits_between_event_times) {
  collector_config cfg;
  cfg.feeds = {{"AAA",
                write_file("paced.csv", "0,10,11,9,10,1\n1000,10,11,9,10,1\n2000,10,11,9,10,1\n"),
                feed_format::candles}};
  cfg.speed = fixed::from_int<50>(); // 1 s of event time = 20 ms of wall time
  const auto start = std::chrono::steady_clock::now();
  spawn(cfg, std::make_shared<std::atomic<uint64_t>>(0));
  auto items = receive_until_end();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(items, offline_items(cfg));
  EXPECT_GE(elapsed, std::chrono::milliseconds(40)); // two gaps of 20 ms
}

TEST_F(collector_actor, synthetic_mode_publishes_the_seeded_walk) {
  collector_config cfg;
  cfg.mode = "synthetic";
  cfg.synthetic.symbols = {"AAAUSDT", "BBBUSDT"};
  cfg.synthetic.bars = 300;
  cfg.max_ahead = 1'000'000;
  const auto expected = offline_items(cfg);
  ASSERT_EQ(expected.size(), 900u);
  spawn(cfg, std::make_shared<std::atomic<uint64_t>>(0));
  EXPECT_EQ(receive_until_end(), expected);
}

} // namespace
} // namespace tradewind
