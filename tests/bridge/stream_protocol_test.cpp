// The WebSocket stream's client messages, without a socket: what a subscription changes, and
// that a hostile message changes nothing and gets a short error.

#include "bridge/rest/stream_protocol.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace tradewind::rest;
using nlohmann::json;

namespace {

TEST(stream_protocol, subscribe_and_unsubscribe_change_the_topic_set_and_report_it) {
  std::set<stream_topic> topics;
  auto r = json::parse(apply_stream_message(R"({"action":"subscribe","topics":["orders","ticks"]})", topics));
  EXPECT_EQ(r["type"], "subscribed");
  EXPECT_EQ(r["topics"], json::parse(R"(["ticks","orders"])"));
  EXPECT_EQ(topics, (std::set<stream_topic>{stream_topic::ticks, stream_topic::orders}));
  r = json::parse(apply_stream_message(R"({"action":"unsubscribe","topics":["ticks"]})", topics));
  EXPECT_EQ(r["type"], "unsubscribed");
  EXPECT_EQ(topics, std::set<stream_topic>{stream_topic::orders});
}

TEST(stream_protocol, one_unknown_topic_refuses_the_whole_message) {
  std::set<stream_topic> topics{stream_topic::alerts};
  auto r = json::parse(apply_stream_message(R"({"action":"subscribe","topics":["fills",[[1]]]})", topics));
  EXPECT_EQ(r["type"], "error");
  EXPECT_EQ(r["detail"], "topics[1]: unknown topic a JSON array "
                         "(expected ticks|signals|orders|fills|positions|alerts|risk_state)");
  EXPECT_EQ(topics, std::set<stream_topic>{stream_topic::alerts});
}

TEST(stream_protocol, a_deep_or_long_message_gets_a_bounded_error_and_changes_nothing) {
  std::set<stream_topic> topics;
  std::string deep = R"({"action":"subscribe","topics":)" + std::string(80'000, '[') + std::string(80'000, ']') + "}";
  auto r = json::parse(apply_stream_message(deep, topics));
  EXPECT_EQ(r["type"], "error");
  EXPECT_LT(r["detail"].get<std::string>().size(), 200u);
  std::string long_name = R"({"action":"subscribe","topics":[")" + std::string(1'000'000, 'x') + R"("]})";
  r = json::parse(apply_stream_message(long_name, topics));
  EXPECT_EQ(r["type"], "error");
  EXPECT_LT(r["detail"].get<std::string>().size(), 200u);
  EXPECT_TRUE(topics.empty());
}

TEST(stream_protocol, wrong_shapes_say_what_is_expected) {
  std::set<stream_topic> topics;
  EXPECT_EQ(json::parse(apply_stream_message("[]", topics))["detail"],
            R"(expected {"action":"subscribe"|"unsubscribe","topics":[...]})");
  EXPECT_EQ(json::parse(apply_stream_message(R"({"action":"subscribe","topics":"ticks"})", topics))["detail"],
            "field 'topics' must be an array of topic names");
  auto dup = json::parse(apply_stream_message(R"({"action":"subscribe","action":"x","topics":[]})", topics));
  EXPECT_EQ(dup["type"], "error");
  EXPECT_NE(dup["detail"].get<std::string>().find("action"), std::string::npos) << dup;
}

} // namespace
