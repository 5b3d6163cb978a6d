// The one URL / connection-string redactor (net/redact.hpp): every accepted form.

#include <gtest/gtest.h>

#include "net/redact.hpp"

using namespace tradewind;

namespace {

constexpr const char* dots = "/\xe2\x80\xa6"; // "/…"

} // namespace

TEST(redact_url, userinfo_password_becomes_stars_and_the_user_stays) {
  EXPECT_EQ(redact_url("amqp://guest:s3cr%40t@broker:5672/%2F"), "amqp://guest:***@broker:5672/%2F");
  EXPECT_EQ(redact_url("amqp://broker:5672/"), "amqp://broker:5672/");
  EXPECT_EQ(redact_url("postgresql://tw:p@ss@db:5432/tw"), "postgresql://tw:***@db:5432/tw");
  EXPECT_EQ(redact_url("postgresql://tw@db/tw"), "postgresql://tw@db/tw");
  EXPECT_EQ(redact_url("http://admin:pw@127.0.0.1:15672"), "http://admin:***@127.0.0.1:15672");
}

TEST(redact_url, secret_looking_query_values_become_stars) {
  EXPECT_EQ(redact_url("postgresql://db/tw?sslmode=require&password=hunter2&passfile=/x/.pgpass"),
            "postgresql://db/tw?sslmode=require&password=***&passfile=***");
  EXPECT_EQ(redact_url("postgres://db/tw?pass%77ord=hunter2"), "postgres://db/tw?pass%77ord=***");
  EXPECT_EQ(redact_url("amqp://h/?token=t&api_key=k&Signature=s&sig=x&flag"),
            "amqp://h/?token=***&api_key=***&Signature=***&sig=***&flag");
  EXPECT_EQ(redact_url("sqlite:tw.db?mode=ro&key=abc"), "sqlite:tw.db?mode=ro&key=***");
  EXPECT_EQ(redact_url("amqp://h/#frag"), std::string{"amqp://h/#"} + (dots + 1));
}

TEST(redact_url, web_urls_keep_only_the_origin) {
  // Slack, Discord and Telegram webhooks carry their secret in the path.
  EXPECT_EQ(redact_url("http://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX"),
            std::string{"http://hooks.slack.com"} + dots);
  EXPECT_EQ(redact_url("https://discord.com/api/webhooks/123/abcdef"), std::string{"https://discord.com"} + dots);
  EXPECT_EQ(redact_url("http://127.0.0.1:9/bot123:AAE/sendMessage?chat_id=1"), std::string{"http://127.0.0.1:9"} + dots);
  EXPECT_EQ(redact_url("http://h:8080/?token=abc"), std::string{"http://h:8080"} + dots);
  EXPECT_EQ(redact_url("HTTP://h/x"), std::string{"HTTP://h"} + dots);
  EXPECT_EQ(redact_url("http://h:8080/"), "http://h:8080/");
  EXPECT_EQ(redact_url("http://h:8080"), "http://h:8080");
  EXPECT_EQ(redact_url("https://ghp_token@github.com/x"), std::string{"https://***@github.com"} + dots);
}

TEST(redact_url, libpq_conninfo_values_of_secret_keywords_become_stars) {
  EXPECT_EQ(redact_url("host=db port=5432 password=hunter2 dbname=tw"),
            "host=db port=5432 password=*** dbname=tw");
  EXPECT_EQ(redact_url("host=db password = 'two words\\' here' user=tw"), "host=db password = *** user=tw");
  EXPECT_EQ(redact_url("sslpassword=a sslkey=/k passfile=/p"), "sslpassword=*** sslkey=*** passfile=***");
  EXPECT_EQ(redact_url("dbname=tw"), "dbname=tw");
  EXPECT_EQ(redact_url("plain text"), "plain text");
}

TEST(secrets_in, lists_the_hidden_values_decoded_longest_first) {
  auto s = secrets_in("postgresql://tw:p%40ss@db/tw?password=hunter2");
  EXPECT_EQ(s, (std::vector<std::string>{"hunter2", "p%40ss", "p@ss"}));
  auto web = secrets_in("http://h:9/services/T000/XXXXXXXXXXXX?token=abc");
  EXPECT_NE(std::find(web.begin(), web.end(), "XXXXXXXXXXXX"), web.end());
  EXPECT_NE(std::find(web.begin(), web.end(), "abc"), web.end());
  EXPECT_EQ(secrets_in("host=db password='a b'"), std::vector<std::string>{"a b"});
  EXPECT_TRUE(secrets_in("amqp://h:5672/").empty());
}

TEST(scrub, replaces_every_occurrence) {
  EXPECT_EQ(scrub("x hunter2 y hunter2", {"hunter2", ""}), "x *** y ***");
}

TEST(secret_key, matches_secret_looking_names_only) {
  for (auto k : {"password", "PASSFILE", "sslkey", "X-Api-Key", "Authorization", "access_token", "signature",
                 "client_secret", "Cookie", "sessionid", "pwd"})
    EXPECT_TRUE(secret_key(k)) << k;
  for (auto k : {"host", "dbname", "sslmode", "user", "application_name", "chat_id", "Content-Type"})
    EXPECT_FALSE(secret_key(k)) << k;
}

TEST(percent_decode, decodes_valid_escapes_and_keeps_the_rest) {
  EXPECT_EQ(percent_decode("a%40b%2Fc%zz%4"), "a@b/c%zz%4");
}
