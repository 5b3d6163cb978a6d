// The one strict parser for JSON from outside (schemas/json/strict.hpp): depth capped while
// parsing, duplicate keys and numbers beyond a double refused, bounded error texts.

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "schemas/json/codec.hpp"
#include "schemas/json/strict.hpp"

using namespace tradewind;
using json::parse_failure;

namespace {

std::string deep(size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

} // namespace

TEST(json_strict_parse, accepts_ordinary_documents) {
  nlohmann::json out;
  EXPECT_FALSE(json::parse_strict(R"({"a":[1,2,{"b":"c"}],"d":1.5e300})", out));
  EXPECT_EQ(out["a"][2]["b"], "c");
  nlohmann::ordered_json ordered;
  EXPECT_FALSE(json::parse_strict(R"({"z":1,"a":2})", ordered));
  EXPECT_EQ(ordered.begin().key(), "z");
}

TEST(json_strict_parse, caps_depth_while_parsing_without_recursing) {
  nlohmann::json out;
  EXPECT_FALSE(json::parse_strict(deep(32), out));
  auto err = json::parse_strict(deep(33), out);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, parse_failure::too_deep);
  EXPECT_TRUE(out.is_null());
  // 80,000 levels (the issue's crash) in well under a second and a bounded message.
  err = json::parse_strict(R"({"topics":)" + deep(80'000) + "}", out);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, parse_failure::too_deep);
  EXPECT_EQ(err->path.rfind("topics[0][0]", 0), 0u) << err->path;
  EXPECT_LE(err->message().size(), 300u);
  json::parse_limits tight;
  tight.max_depth = 2;
  EXPECT_TRUE(json::parse_strict(R"({"a":{"b":{}}})", out, tight));
  EXPECT_FALSE(json::parse_strict(R"({"a":{"b":1}})", out, tight));
}

TEST(json_strict_parse, refuses_duplicate_keys_naming_them) {
  nlohmann::json out;
  auto err = json::parse_strict(R"({"a":{"x":1,"x":2}})", out);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, parse_failure::duplicate_key);
  EXPECT_EQ(err->message(), "field 'a.x': duplicate field");
  EXPECT_FALSE(json::parse_strict(R"([{"x":1},{"x":2}])", out)); // same key in sibling objects is fine
}

TEST(json_strict_parse, numbers_beyond_a_double_name_the_field_not_the_value) {
  nlohmann::json out;
  for (const std::string& number : std::vector<std::string>{"1e309", "-1e309", "1" + std::string(400, '0')}) {
    auto err = json::parse_strict(R"({"limits":{"max":)" + number + "}}", out);
    ASSERT_TRUE(err) << number;
    EXPECT_EQ(err->kind, parse_failure::number_out_of_range);
    EXPECT_EQ(err->path, "limits.max");
    EXPECT_EQ(err->reason.find("000000"), std::string::npos);
  }
  EXPECT_FALSE(json::parse_strict("[1.7976931348623157e308]", out));
}

TEST(json_strict_parse, malformed_messages_are_bounded) {
  nlohmann::json out;
  auto err = json::parse_strict("\"" + std::string(100'000, 'x'), out);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, parse_failure::malformed);
  EXPECT_LE(err->reason.size(), 260u);
  EXPECT_EQ(err->reason.rfind("malformed JSON: [json.exception.parse_error.101]", 0), 0u);
}

TEST(json_strict_parse, msgpack_gets_the_same_limits) {
  nlohmann::json out;
  auto ok = nlohmann::json::to_msgpack(nlohmann::json::parse(R"({"a":[1,2]})"));
  EXPECT_FALSE(json::parse_strict_msgpack(std::string(ok.begin(), ok.end()), out));
  EXPECT_EQ(out["a"][1], 2);
  std::string nested(100'000, '\x91'); // fixarray of one element, 100,000 deep
  nested += '\xc0';                    // nil
  auto err = json::parse_strict_msgpack(nested, out);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, parse_failure::too_deep);
  std::string dup = "\x82\xa1x\x01\xa1x\x02"; // {"x":1,"x":2}
  err = json::parse_strict_msgpack(dup, out);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, parse_failure::duplicate_key);
  EXPECT_TRUE(json::parse_strict_msgpack("\xc1", out));
}

TEST(json_strict_parse, the_codec_uses_it) {
  auto deep_envelope = R"({"type":"fill","schema_version":1,"data":)" + deep(50'000) + "}";
  auto decoded = json::from_envelope(deep_envelope);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().reason.find("nesting deeper than 32 levels"), std::string::npos);
  auto huge = json::from_json<risk_limits>(R"({"max_open_orders":1e400})");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().path, "max_open_orders");
}
