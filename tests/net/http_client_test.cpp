// The blocking HTTP client against a real local server.

#include <chrono>

#include <gtest/gtest.h>

#include "net/http_client.hpp"
#include "tests/notifiers/test_http_server.hpp"

namespace tradewind {
namespace {

using namespace std::chrono_literals;

TEST(http_url, parses_host_port_and_target) {
  auto u = http::parse_url("http://127.0.0.1:8080/a/b?c=1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "8080");
  EXPECT_EQ(u->target, "/a/b?c=1");
  auto d = http::parse_url("http://example.com");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->host, "example.com");
  EXPECT_EQ(d->port, "80");
  EXPECT_EQ(d->target, "/");
}

TEST(http_url, rejects_bad_urls_with_a_reason) {
  std::string error;
  EXPECT_FALSE(http::parse_url("https://example.com/", &error));
  EXPECT_EQ(error, "invalid url 'https://example.com/': only http:// is supported");
  EXPECT_FALSE(http::parse_url("http://:80/", &error));
  EXPECT_EQ(error, "invalid url 'http://:80/': no host");
  EXPECT_FALSE(http::parse_url("http://h:99999/", &error));
  EXPECT_EQ(error, "invalid url 'http://h:99999/': bad port '99999'");
  EXPECT_FALSE(http::parse_url("http://h:x/", &error));
  EXPECT_EQ(error, "invalid url 'http://h:x/': bad port 'x'");
}

TEST(http_client, posts_json_and_reads_the_status) {
  testing::test_http_server server{[](size_t) { return 201; }};
  auto r = http::post_json(server.url("/in?x=1"), R"({"a":1})", 5'000);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "status 201");
  EXPECT_TRUE(r.is_success());
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/in?x=1");
  EXPECT_EQ(seen[0].content_type, "application/json");
  EXPECT_EQ(seen[0].body, R"({"a":1})");
}

TEST(http_client, reports_error_statuses_as_received) {
  testing::test_http_server server{[](size_t) { return 503; }};
  auto r = http::post_json(server.url(), "{}", 5'000);
  EXPECT_TRUE(r.received());
  EXPECT_FALSE(r.is_success());
  EXPECT_EQ(r.status, 503);
}

TEST(http_client, reports_a_refused_connection) {
  auto port = std::to_string(testing::unused_port());
  auto r = http::post_json("http://127.0.0.1:" + port + "/", "{}", 5'000);
  EXPECT_FALSE(r.received());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error, "connecting 127.0.0.1:" + port + ": Connection refused");
}

TEST(http_client, times_out_on_a_silent_server) {
  testing::test_http_server server{[](size_t) { return 0; }};
  auto start = std::chrono::steady_clock::now();
  auto r = http::post_json(server.url(), "{}", 300);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.error, "timeout after 300 ms while reading 127.0.0.1:" +
                       std::to_string(server.port()));
  EXPECT_GE(elapsed, 300ms); // the server holds the connection until it stops: only the
                             // client's own timeout can have ended the call
}

TEST(http_client, rejects_an_invalid_url_without_io) {
  auto r = http::post_json("ftp://x/", "{}", 100);
  EXPECT_EQ(r.error, "invalid url 'ftp://x/': only http:// is supported");
}

} // namespace
} // namespace tradewind
