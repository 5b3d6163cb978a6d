// URL helpers of net/url.hpp: credentials split off for a Basic header, percent-encoding, base64.

#include <gtest/gtest.h>

#include "net/redact.hpp"
#include "net/url.hpp"

using namespace tradewind::net;

TEST(net_url, credentials_are_split_and_redacted) {
  auto c = split_credentials("http://gu%40st:p%3Ass@127.0.0.1:15672/api");
  EXPECT_EQ(c.url, "http://127.0.0.1:15672/api");
  EXPECT_EQ(c.user, "gu@st");
  EXPECT_EQ(c.password, "p:ss");
  EXPECT_EQ(tradewind::redact_url("amqp://guest:secret@h:5672/"), "amqp://guest:***@h:5672/");
  EXPECT_EQ(tradewind::redact_url("amqp://h:5672/"), "amqp://h:5672/");
  EXPECT_EQ(percent_encode("/"), "%2F");
  EXPECT_EQ(base64("guest:guest"), "Z3Vlc3Q6Z3Vlc3Q=");
  EXPECT_EQ(base64("ab"), "YWI=");
  EXPECT_EQ(base64("abc"), "YWJj");
}
