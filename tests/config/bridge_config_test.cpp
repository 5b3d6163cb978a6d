// The `bridge:` section: defaults, decoding and every rule with its exact message.

#include <fstream>

#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "config_test_util.hpp"
#include "tests/support/self_signed.hpp"

using namespace tradewind;
using namespace tradewind::config_test;
using testing::ElementsAre;

TEST(bridge_config, defaults_keep_the_bridge_off_and_local) {
  auto r = load(minimal);
  ASSERT_TRUE(r.config) << messages(r).front();
  const auto& b = r.config->bridge;
  EXPECT_FALSE(b.enabled);
  EXPECT_EQ(b.listen_address, "127.0.0.1");
  EXPECT_EQ(b.port, 8080);
  EXPECT_EQ(b.keys_file, "");
  EXPECT_EQ(b.audit_log, "tradewind-audit.jsonl");
  EXPECT_EQ(b.rate_limit_per_s, 20);
  EXPECT_EQ(b.burst, 40);
  EXPECT_EQ(b.preauth_rate_limit_per_s, 2);
  EXPECT_EQ(b.preauth_burst, 20);
  EXPECT_EQ(b.max_connections, 256);
  EXPECT_EQ(b.max_body_bytes, 65536);
  EXPECT_EQ(b.request_timeout_ms, 10000);
  EXPECT_EQ(b.ws_queue_limit, 1000);
  EXPECT_FALSE(b.tls.enabled());
  EXPECT_EQ(b.tls.cert_file, "");
  EXPECT_EQ(b.tls.key_file, "");
  EXPECT_EQ(b.tls.min_version, "1.2");
}

TEST(bridge_config, every_key_is_read_and_keys_file_resolves_against_the_config_dir) {
  auto r = load(minimal + "bridge:\n  enabled: true\n  listen_address: '::1'\n  port: 0\n"
                          "  keys_file: keys.json\n  audit_log: /tmp/audit.jsonl\n  rate_limit_per_s: 5\n"
                          "  burst: 7\n  max_body_bytes: 1024\n  request_timeout_ms: 250\n  ws_queue_limit: 3\n"
                          "  preauth_rate_limit_per_s: 9\n  preauth_burst: 11\n  max_connections: 64\n");
  ASSERT_TRUE(r.config) << messages(r).front();
  const auto& b = r.config->bridge;
  EXPECT_TRUE(b.enabled);
  EXPECT_EQ(b.listen_address, "::1");
  EXPECT_EQ(b.port, 0);
  EXPECT_EQ(b.keys_file, (std::filesystem::path(test_base_dir()) / "keys.json").lexically_normal().string());
  EXPECT_EQ(b.audit_log, "/tmp/audit.jsonl");
  EXPECT_EQ(b.rate_limit_per_s, 5);
  EXPECT_EQ(b.burst, 7);
  EXPECT_EQ(b.max_body_bytes, 1024);
  EXPECT_EQ(b.request_timeout_ms, 250);
  EXPECT_EQ(b.ws_queue_limit, 3);
  EXPECT_EQ(b.preauth_rate_limit_per_s, 9);
  EXPECT_EQ(b.preauth_burst, 11);
  EXPECT_EQ(b.max_connections, 64);
}

TEST(bridge_config, rules) {
  EXPECT_THAT(errors_of(minimal + "bridge:\n  enabled: true\n  listen_address: localhost\n  port: 70000\n"
                                  "  rate_limit_per_s: 0\n  burst: 0\n  max_body_bytes: 0\n"
                                  "  request_timeout_ms: -1\n  ws_queue_limit: 0\n  audit_log: ''\n"),
              ElementsAre("bridge.listen_address: must be an IPv4 or IPv6 address (e.g. 127.0.0.1), got \"localhost\"",
                          "bridge.port: must be in [0, 65535], got 70000",
                          "bridge.rate_limit_per_s: must be > 0, got 0", "bridge.burst: must be >= 1, got 0",
                          "bridge.max_body_bytes: must be > 0, got 0",
                          "bridge.request_timeout_ms: must be > 0, got -1",
                          "bridge.ws_queue_limit: must be >= 1, got 0",
                          "bridge.audit_log: is required when bridge.enabled is true"));
}

TEST(bridge_config, preauth_and_connection_rules) {
  EXPECT_THAT(errors_of(minimal + "bridge:\n  preauth_rate_limit_per_s: 0\n  preauth_burst: 0\n  max_connections: 0\n"),
              ElementsAre("bridge.preauth_rate_limit_per_s: must be > 0, got 0", "bridge.preauth_burst: must be >= 1, got 0",
                          "bridge.max_connections: must be in [1, 100000], got 0"));
  EXPECT_THAT(errors_of(minimal + "bridge:\n  max_connections: 100001\n"),
              ElementsAre("bridge.max_connections: must be in [1, 100000], got 100001"));
}

TEST(bridge_config, unknown_key_is_rejected) {
  auto errs = errors_of(minimal + "bridge:\n  cors: true\n  tls:\n    cert: a.pem\n");
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_THAT(errs[0], testing::StartsWith("bridge.cors: unknown key"));
  EXPECT_THAT(errs[1], testing::StartsWith("bridge.tls.cert: unknown key"));
}

namespace {

std::string tls_section(const std::string& cert, const std::string& key, const std::string& extra = "") {
  std::string out = minimal + "bridge:\n  tls:\n";
  if (!cert.empty())
    out += "    cert_file: " + cert + "\n";
  if (!key.empty())
    out += "    key_file: " + key + "\n";
  return out + extra;
}

} // namespace

TEST(bridge_config, tls_files_resolve_against_the_config_dir_and_are_checked) {
  temp_dir dir("tls-ok");
  auto pair = test::write_self_signed(dir.path(), "node");
  auto r = load_config_text(tls_section("node.crt", "node.key", "    min_version: '1.3'\n"), dir.path().string(), {});
  ASSERT_TRUE(r.config) << messages(r).front();
  const auto& tls = r.config->bridge.tls;
  EXPECT_TRUE(tls.enabled());
  EXPECT_EQ(tls.cert_file, pair.cert_file);
  EXPECT_EQ(tls.key_file, pair.key_file);
  EXPECT_EQ(tls.min_version, "1.3");
}

TEST(bridge_config, tls_needs_both_files) {
  EXPECT_THAT(errors_of(tls_section("/tmp/a.crt", "")),
              ElementsAre("bridge.tls.key_file: is required when bridge.tls.cert_file is set (set both to serve "
                          "HTTPS, neither for plain HTTP)"));
  EXPECT_THAT(errors_of(tls_section("", "/tmp/a.key")),
              ElementsAre("bridge.tls.cert_file: is required when bridge.tls.key_file is set (set both to serve "
                          "HTTPS, neither for plain HTTP)"));
}

TEST(bridge_config, tls_files_must_exist_and_hold_pem) {
  temp_dir dir("tls-files");
  std::ofstream(dir.path() / "junk.crt") << "not a certificate\n";
  std::ofstream(dir.path() / "junk.key") << "not a key\n";
  EXPECT_THAT(errors_of(tls_section((dir.path() / "missing.crt").string(), (dir.path() / "missing.key").string())),
              ElementsAre("bridge.tls.cert_file: cannot read the file: No such file or directory",
                          "bridge.tls.key_file: cannot read the file: No such file or directory"));
  EXPECT_THAT(errors_of(tls_section((dir.path() / "junk.crt").string(), (dir.path() / "junk.key").string())),
              ElementsAre("bridge.tls.cert_file: holds no PEM certificate (expected a -----BEGIN CERTIFICATE----- "
                          "block)",
                          "bridge.tls.key_file: holds no unencrypted PEM private key (an encrypted key must be "
                          "decrypted first, e.g. openssl pkey -in KEY -out KEY.plain)"));
}

TEST(bridge_config, an_encrypted_tls_key_is_refused_without_a_prompt) {
  temp_dir dir("tls-encrypted");
  auto locked = test::write_self_signed(dir.path(), "locked", "correct horse");
  EXPECT_THAT(errors_of(tls_section(locked.cert_file, locked.key_file)),
              ElementsAre("bridge.tls.key_file: holds no unencrypted PEM private key (an encrypted key must be "
                          "decrypted first, e.g. openssl pkey -in KEY -out KEY.plain)"));
}

TEST(bridge_config, tls_key_must_match_the_certificate) {
  temp_dir dir("tls-mismatch");
  auto a = test::write_self_signed(dir.path(), "a");
  auto b = test::write_self_signed(dir.path(), "b");
  EXPECT_THAT(errors_of(tls_section(a.cert_file, b.key_file)),
              ElementsAre("bridge.tls.key_file: does not match the certificate in bridge.tls.cert_file (use the "
                          "private key the certificate was issued for)"));
  EXPECT_THAT(errors_of(tls_section(a.cert_file, a.key_file, "    min_version: 1.1\n")),
              ElementsAre("bridge.tls.min_version: must be one of 1.2|1.3, got \"1.1\""));
}
