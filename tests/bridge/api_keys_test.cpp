// API keys: token shape, hashing, the keys file, verification and the apikey command.

#include "bridge/rest/api_keys.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "tools/apikey_cmd.hpp"

using namespace tradewind;
using namespace tradewind::rest;

namespace {

std::string temp_file(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("tw-keys-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::filesystem::remove(p);
  return p.string();
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

TEST(api_keys, sha256_matches_the_known_vector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(api_keys, generated_token_splits_into_id_and_a_32_byte_secret_stored_as_hash) {
  auto k = generate_key("ops", key_scope::trade, 1234);
  auto parts = split_token(k.token);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->first, k.key.id);
  EXPECT_EQ(parts->second.size(), 64u);
  EXPECT_EQ(k.key.sha256_hex, sha256_hex(parts->second));
  EXPECT_EQ(k.key.id.size(), 13u);
  EXPECT_EQ(k.key.scope, key_scope::trade);
  EXPECT_NE(generate_key("ops", key_scope::trade, 1).token, k.token);
}

TEST(api_keys, malformed_tokens_do_not_split) {
  EXPECT_FALSE(split_token(""));
  EXPECT_FALSE(split_token("Bearer x"));
  EXPECT_FALSE(split_token("tw_kabc_short"));
  EXPECT_FALSE(split_token("tw_xabc_" + std::string(64, 'a')));
  EXPECT_TRUE(split_token("tw_kabc_" + std::string(64, 'a')));
}

TEST(api_keys, scopes_include_the_lower_ones) {
  EXPECT_TRUE(scope_allows(key_scope::admin, key_scope::read));
  EXPECT_TRUE(scope_allows(key_scope::trade, key_scope::trade));
  EXPECT_FALSE(scope_allows(key_scope::read, key_scope::trade));
  EXPECT_FALSE(scope_allows(key_scope::trade, key_scope::admin));
  EXPECT_EQ(parse_scope("admin"), key_scope::admin);
  EXPECT_FALSE(parse_scope("root"));
}

TEST(api_keys, file_round_trip_keeps_only_hashes_and_is_private) {
  auto path = temp_file("roundtrip.json");
  auto k = generate_key("ci", key_scope::admin, 99);
  ASSERT_EQ(save_keys(path, {k.key}), "");
  auto text = read(path);
  EXPECT_EQ(text.find(split_token(k.token)->second), std::string::npos) << "the secret must not be stored";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto loaded = load_keys(path, false);
  ASSERT_EQ(loaded.error, "");
  ASSERT_EQ(loaded.keys.size(), 1u);
  EXPECT_EQ(loaded.keys[0].id, k.key.id);
  EXPECT_EQ(loaded.keys[0].name, "ci");
  EXPECT_EQ(loaded.keys[0].scope, key_scope::admin);
  EXPECT_EQ(loaded.keys[0].created_ms, 99);
}

TEST(api_keys, load_errors_name_the_file) {
  auto path = temp_file("bad.json");
  EXPECT_EQ(load_keys(path, true).error, "");
  EXPECT_EQ(load_keys(path, false).error, "cannot read keys file " + path);
  std::ofstream(path) << "{\"keys\": 3}";
  EXPECT_EQ(load_keys(path, false).error, "invalid keys file " + path + ": expected an object with a \"keys\" array");
}

TEST(api_keys, ring_verifies_tokens_and_rejects_revoked_or_forged_ones) {
  auto good = generate_key("a", key_scope::read, 1);
  auto gone = generate_key("b", key_scope::read, 1);
  gone.key.revoked = true;
  key_ring ring{std::vector<api_key>{good.key, gone.key}};
  auto k = ring.verify(good.token, 0);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->id, good.key.id);
  EXPECT_FALSE(ring.verify(gone.token, 0));
  auto forged = "tw_" + good.key.id + "_" + std::string(64, '0');
  EXPECT_FALSE(ring.verify(forged, 0));
}

TEST(api_keys, ring_reloads_the_file_after_a_revoke) {
  auto path = temp_file("reload.json");
  apikey_cmd_options o;
  o.keys_file = path;
  o.name = "bot";
  o.scope = "trade";
  std::ostringstream out, err;
  ASSERT_EQ(run_apikey_command("create", o, out, err), 0) << err.str();
  auto text = out.str();
  auto pos = text.find("token: ");
  ASSERT_NE(pos, std::string::npos);
  auto token = text.substr(pos + 7, text.find('\n', pos) - pos - 7);
  key_ring ring{path};
  auto k = ring.verify(token, 10'000);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->scope, key_scope::trade);
  EXPECT_EQ(text.substr(0, 12 + k->id.size() + 1), "created key " + k->id + " ");

  o.id = k->id;
  std::ostringstream out2, err2;
  ASSERT_EQ(run_apikey_command("revoke", o, out2, err2), 0) << err2.str();
  EXPECT_EQ(out2.str(), "revoked key " + k->id + " (bot)\n");
  // The file's mtime may not move within one clock tick; bump it so the reload is observed.
  std::filesystem::last_write_time(path, std::filesystem::last_write_time(path) + std::chrono::seconds(2));
  EXPECT_FALSE(ring.verify(token, 12'000));
}

TEST(apikey_command, list_shows_status_and_never_the_hash) {
  auto path = temp_file("list.json");
  apikey_cmd_options o;
  o.keys_file = path;
  o.name = "reader";
  std::ostringstream out, err;
  ASSERT_EQ(run_apikey_command("create", o, out, err), 0);
  std::ostringstream listing, err2;
  ASSERT_EQ(run_apikey_command("list", o, listing, err2), 0);
  auto loaded = load_keys(path, false);
  ASSERT_EQ(loaded.keys.size(), 1u);
  EXPECT_NE(listing.str().find(loaded.keys[0].id + "  read   active"), std::string::npos) << listing.str();
  EXPECT_EQ(listing.str().find(loaded.keys[0].sha256_hex), std::string::npos);
}

TEST(apikey_command, errors) {
  apikey_cmd_options o;
  std::ostringstream out, err;
  EXPECT_EQ(run_apikey_command("list", o, out, err), 2);
  EXPECT_EQ(err.str(), "tradewind apikey list: --keys-file is required\n");
  o.keys_file = temp_file("errors.json");
  o.name = "x";
  o.scope = "root";
  std::ostringstream err2;
  EXPECT_EQ(run_apikey_command("create", o, out, err2), 2);
  EXPECT_EQ(err2.str(), "tradewind apikey create: --scope must be read, trade or admin, got 'root'\n");
  o.id = "kdeadbeef";
  std::ostringstream err3;
  EXPECT_EQ(run_apikey_command("revoke", o, out, err3), 1);
  EXPECT_EQ(err3.str(), "tradewind apikey revoke: cannot read keys file " + o.keys_file + "\n");
}
