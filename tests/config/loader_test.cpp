// Loading: example files, typed decoding, unknown keys, YAML syntax and file errors, secrets.

#include "config/loader.hpp"

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/impl/text.hpp"
#include "config_test_util.hpp"

using namespace tradewind;
using namespace tradewind::config_test;
using testing::ElementsAre;
using testing::HasSubstr;
using testing::Not;

namespace {

std::string source_path(const std::string& relative) {
  return (std::filesystem::path(TW_SOURCE_DIR) / relative).lexically_normal().string();
}

} // namespace

// --- example files ---------------------------------------------------------------------------

TEST(config_examples, paper_yaml_loads_with_documented_values) {
  auto r = load_config_file(source_path("config/examples/paper.yaml"), {});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "paper.yaml");
  ASSERT_TRUE(r.config);
  const node_config& c = *r.config;
  EXPECT_EQ(c.node_name, "paper-1");
  EXPECT_EQ(c.threads, 2);
  EXPECT_EQ(c.log.level, "info");
  EXPECT_EQ(c.collector.mode, "replay");
  ASSERT_EQ(c.collector.feeds.size(), 1u);
  EXPECT_EQ(c.collector.feeds[0].symbol, "BTCUSDT");
  EXPECT_EQ(c.collector.feeds[0].path, source_path("data/sample-btcusdt-5m.csv"));
  EXPECT_EQ(c.collector.feeds[0].format, feed_format::candles);
  EXPECT_EQ(c.collector.speed, fixed{});
  EXPECT_EQ(c.collector.max_ahead, 4096u);
  ASSERT_EQ(c.strategies.size(), 1u);
  EXPECT_EQ(c.strategies[0].id, "btc-ma-10-30");
  EXPECT_EQ(c.strategies[0].symbols, std::vector<std::string>{"BTCUSDT"});
  EXPECT_EQ(c.strategies[0].fast, 10);
  EXPECT_EQ(c.strategies[0].slow, 30);
  EXPECT_EQ(c.strategies[0].qty_step, fixed::from_raw(1000));
  EXPECT_EQ(c.strategies[0].order_notional, fixed::from_int<1000>());
  EXPECT_FALSE(c.strategies[0].allow_short);
  EXPECT_EQ(c.risk.max_position_pct, fixed::from_int<50>());
  EXPECT_EQ(c.risk.max_order_notional, fixed::from_int<10'000>());
  EXPECT_EQ(c.executor.fee_bps, 10);
  EXPECT_EQ(c.portfolio.initial_cash, fixed::from_int<100'000>());
  EXPECT_EQ(c.notifier.log_min_severity, severity::info);
  EXPECT_TRUE(c.notifier.webhooks.empty());
  EXPECT_EQ(c.store.url, "sqlite:tradewind.db");
  EXPECT_EQ(c.store.pool_size, 4);
  EXPECT_FALSE(c.bridge.enabled);
  EXPECT_EQ(c.bridge.max_connections, 256);
  EXPECT_EQ(c.bridge.preauth_rate_limit_per_s, 2);
  EXPECT_EQ(c.bridge.preauth_burst, 20);
  EXPECT_EQ(c.store.connect_timeout_ms, 5000);
  EXPECT_EQ(c.supervisor.max_backoff_ms, 5000);
}

TEST(config_examples, synthetic_yaml_loads_with_expected_values) {
  auto r = load_config_file(source_path("config/examples/synthetic.yaml"), {});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "synthetic.yaml");
  const node_config& c = *r.config;
  EXPECT_EQ(c.node_name, "synthetic-demo");
  EXPECT_EQ(c.collector.mode, "synthetic");
  EXPECT_EQ(c.collector.synthetic.symbols, (std::vector<std::string>{"SYNTHUSDT", "DEMOUSDT"}));
  EXPECT_EQ(c.collector.synthetic.seed, 7u);
  EXPECT_EQ(c.collector.synthetic.volatility_bps, fixed::from_int<25>());
  EXPECT_EQ(c.collector.synthetic.bars, 5000u);
  EXPECT_EQ(c.collector.synthetic.start_time_ms, 1'672'531'200'000); // default kept
  ASSERT_EQ(c.strategies.size(), 2u);
  EXPECT_EQ(c.strategies[1].id, "demo-trend");
  EXPECT_EQ(c.strategies[1].fast, 12);
  EXPECT_EQ(c.strategies[1].slow, 48);
  EXPECT_EQ(c.strategies[1].qty_step, fixed::from_raw(100'000));
  EXPECT_TRUE(c.strategies[1].allow_short);
  EXPECT_EQ(c.risk.max_position_pct, fixed::from_int<30>());
  EXPECT_EQ(c.risk.max_open_orders, 10); // default kept
  EXPECT_EQ(c.store.url, "sqlite:synthetic-demo.db");
}

TEST(config_examples, btcusdt_2023_01_yaml_loads_the_bundled_recording) {
  auto r = load_config_file(source_path("config/examples/btcusdt-2023-01.yaml"), {});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "btcusdt-2023-01.yaml");
  EXPECT_EQ(r.config->collector.feeds[0].path,
            (std::filesystem::path(TW_DATA_DIR) / "BTCUSDT-5m-2023-01.csv").lexically_normal().string());
  EXPECT_EQ(r.config->strategies.size(), 2u);
}

// --- typed decoding --------------------------------------------------------------------------

TEST(config_decode, minimal_config_gets_struct_defaults) {
  auto r = load(minimal);
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  node_config defaults;
  EXPECT_EQ(r.config->node_name, defaults.node_name);
  EXPECT_EQ(r.config->risk.max_drawdown_pct, defaults.risk.max_drawdown_pct);
  EXPECT_EQ(r.config->strategies[0].type, "ma_crossover");
  EXPECT_EQ(r.config->strategies[0].slow, 30);
  EXPECT_TRUE(r.config->strategies[0].enabled);
}

TEST(config_decode, fixed_is_parsed_exactly_from_the_scalar_text) {
  auto r = load(minimal + "risk:\n  max_position_pct: 0.1\n  max_order_notional: \"0.3\"\n"
                          "portfolio:\n  initial_cash: 0.00000001\n");
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  EXPECT_EQ(r.config->risk.max_position_pct.raw, 10'000'000);
  EXPECT_EQ(r.config->risk.max_order_notional.raw, 30'000'000);
  EXPECT_EQ(r.config->portfolio.initial_cash.raw, 1);
}

TEST(config_decode, fixed_with_more_than_8_digits_or_exponent_is_rejected) {
  EXPECT_THAT(errors_of(minimal + "portfolio:\n  initial_cash: 0.000000001\n"),
              ElementsAre("portfolio.initial_cash: expected a decimal number with at most 8 fractional digits, "
                          "got \"0.000000001\""));
  EXPECT_THAT(errors_of(minimal + "portfolio:\n  initial_cash: 1e5\n"),
              ElementsAre("portfolio.initial_cash: expected a decimal number with at most 8 fractional digits, "
                          "got \"1e5\""));
}

TEST(config_decode, integer_of_wrong_type_is_reported) {
  EXPECT_THAT(errors_of(minimal + "risk:\n  max_open_orders: ten\n"),
              ElementsAre("risk.max_open_orders: expected an integer, got \"ten\""));
  EXPECT_THAT(errors_of(minimal + "risk:\n  max_open_orders: 2.5\n"),
              ElementsAre("risk.max_open_orders: expected an integer, got \"2.5\""));
}

TEST(config_decode, integer_out_of_range_is_reported) {
  EXPECT_THAT(errors_of(minimal + "node:\n  threads: 99999999999\n"),
              ElementsAre("node.threads: expected an integer in [-2147483648, 2147483647], got 99999999999"));
}

TEST(config_decode, negative_unsigned_is_reported) {
  EXPECT_THAT(errors_of("collector:\n  mode: synthetic\n  synthetic:\n    bars: -1\nstrategies:\n  - id: s1\n"),
              ElementsAre("collector.synthetic.bars: expected a non-negative integer, got \"-1\""));
}

TEST(config_decode, bool_accepts_only_true_or_false) {
  EXPECT_THAT(errors_of("collector:\n  mode: synthetic\nstrategies:\n  - id: s1\n    allow_short: maybe\n"),
              ElementsAre("strategies[0].allow_short: expected true or false, got \"maybe\""));
  auto r = load("collector:\n  mode: synthetic\nstrategies:\n  - id: s1\n    allow_short: True\n");
  ASSERT_TRUE(r.config);
  EXPECT_TRUE(r.config->strategies[0].allow_short);
}

TEST(config_decode, enums_are_read_by_name) {
  auto r = load(minimal + "notifier:\n  log_min_severity: critical\n  webhooks:\n"
                          "    - url: http://localhost:9000/alerts\n      min_severity: info\n");
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  EXPECT_EQ(r.config->notifier.log_min_severity, severity::critical);
  EXPECT_EQ(r.config->notifier.webhooks[0].min_severity, severity::info);
  EXPECT_THAT(errors_of(minimal + "notifier:\n  log_min_severity: fatal\n"),
              ElementsAre("notifier.log_min_severity: must be one of info|warning|critical, got \"fatal\""));
}

TEST(config_decode, wrong_node_kinds_are_reported) {
  EXPECT_THAT(errors_of(minimal + "risk: 5\n"), ElementsAre("risk: expected a mapping, got \"5\""));
  EXPECT_THAT(errors_of(minimal + "node:\n  name: [a, b]\n"),
              ElementsAre("node.name: expected a string, got a list"));
  EXPECT_THAT(errors_of("collector:\n  mode: synthetic\nstrategies: s1\n"),
              ElementsAre("strategies: expected a list, got \"s1\""));
  EXPECT_THAT(errors_of("collector:\n  mode: synthetic\nstrategies:\n  - id: s1\n    fast:\n"),
              ElementsAre("strategies[0].fast: expected an integer, got nothing"));
  EXPECT_THAT(errors_of("- a\n- b\n"), ElementsAre("(top level): expected a mapping, got a list"));
  EXPECT_THAT(errors_of("collector:\n  mode: synthetic\nstrategies:\n  - id: s1\n  - 7\n"),
              ElementsAre("strategies[1]: expected a mapping, got \"7\""));
}

TEST(config_decode, empty_text_reports_the_required_parts) {
  EXPECT_THAT(errors_of(""), ElementsAre("collector.feeds: replay mode needs at least one feed",
                                         "strategies: at least one enabled strategy is required"));
}

TEST(config_decode, empty_sections_keep_defaults) {
  auto r = load(minimal + "risk:\nexecutor: {}\n");
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  EXPECT_EQ(r.config->risk.max_open_orders, 10);
}

// --- unknown and duplicate keys --------------------------------------------------------------

TEST(config_keys, unknown_key_gets_a_suggestion) {
  EXPECT_THAT(errors_of(minimal + "risk:\n  max_postion_pct: 20\n"),
              ElementsAre("risk.max_postion_pct: unknown key (did you mean max_position_pct?)"));
  EXPECT_THAT(errors_of("collector:\n  mode: synthetic\nstrategies:\n  - id: s1\n  - id: s2\n    sloww: 40\n"),
              ElementsAre("strategies[1].sloww: unknown key (did you mean slow?)"));
  EXPECT_THAT(errors_of(minimal + "notifer: {}\n"), ElementsAre("notifer: unknown key (did you mean notifier?)"));
}

TEST(config_keys, unknown_key_without_a_close_match_lists_the_keys) {
  EXPECT_THAT(errors_of(minimal + "store:\n  database: x\n"),
              ElementsAre("store.database: unknown key (expected one of url, batch_size, flush_interval_ms, pool_size, connect_timeout_ms, max_pending_records)"));
}

TEST(config_keys, duplicate_key_is_rejected) {
  EXPECT_THAT(errors_of(minimal + "risk:\n  max_open_orders: 1\n  max_open_orders: 2\n"),
              ElementsAre("risk.max_open_orders: duplicate key (first at line 6)"));
}

TEST(config_keys, errors_carry_the_line_and_column_of_the_key) {
  auto r = load(minimal + "risk:\n  max_open_orders: ten\n  max_position_pct: 150\n");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].line, 6);
  EXPECT_EQ(r.errors[0].column, 20);
  EXPECT_EQ(r.errors[1].line, 7);
  EXPECT_EQ(format_errors(r.errors, "x.yaml"),
            "x.yaml:6: risk.max_open_orders: expected an integer, got \"ten\"\n"
            "x.yaml:7: risk.max_position_pct: must be in (0, 100], got 150\n");
}

// --- all errors at once ----------------------------------------------------------------------

TEST(config_errors, all_errors_are_reported_at_once_in_document_order) {
  std::string yaml = "node:\n"
                     "  threads: 0\n"
                     "collector:\n"
                     "  mode: synthetic\n"
                     "strategies:\n"
                     "  - id: Bad Id\n"
                     "    fast: 20\n"
                     "    slow: 10\n"
                     "risk:\n"
                     "  max_postion_pct: 20\n"
                     "  max_open_orders: ten\n"
                     "store:\n"
                     "  url: postgresql://u:hunter2@/tw\n";
  EXPECT_THAT(errors_of(yaml), ElementsAre("node.threads: must be in [1, 64], got 0",
                                           "strategies[0].id: must match [a-z0-9_-]+, got \"Bad Id\"",
                                           "strategies[0].slow: must be > fast (20), got 10",
                                           "risk.max_postion_pct: unknown key (did you mean max_position_pct?)",
                                           "risk.max_open_orders: expected an integer, got \"ten\"",
                                           "store.url: postgresql:// needs a host (e.g. postgresql://user:pass@host:5432/db)"));
}

TEST(config_errors, a_value_that_fails_to_decode_is_not_reported_again_by_rules) {
  EXPECT_THAT(errors_of("collector:\n  mode: synthetic\nstrategies:\n  - id: s1\n    fast: ten\n    slow: 5\n"),
              ElementsAre("strategies[0].fast: expected an integer, got \"ten\""));
}

TEST(config_errors, config_is_empty_when_there_are_errors) {
  auto r = load(minimal + "risk:\n  max_open_orders: 0\n");
  EXPECT_FALSE(r.config.has_value());
  EXPECT_EQ(r.errors.size(), 1u);
}

// --- syntax and file errors ------------------------------------------------------------------

TEST(config_syntax, yaml_syntax_error_has_line_and_column) {
  auto r = load("node:\n  name: a\n  threads: [1, 2\nrisk: {}\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message(), "invalid YAML at line 4, column 5: end of sequence flow not found");
  EXPECT_EQ(r.errors[0].line, 4);
  EXPECT_FALSE(r.config);
}

TEST(config_syntax, syntax_error_in_a_file_names_the_file) {
  temp_dir dir("syntax");
  std::string file = (dir.path() / "bad.yaml").string();
  std::ofstream(file) << "node:\n  name: a\n threads: 2\n";
  auto r = load_config_file(file, {});
  ASSERT_EQ(r.errors.size(), 1u) << format_errors(r.errors, file);
  EXPECT_EQ(r.errors[0].message(), "invalid YAML in " + file + " at line 3, column 2: end of map not found");
}

TEST(config_file, unreadable_file_is_reported) {
  auto r = load_config_file("/nonexistent/tradewind.yaml", {});
  EXPECT_THAT(messages(r),
              ElementsAre("cannot read config file /nonexistent/tradewind.yaml: No such file or directory"));
  temp_dir dir("unreadable");
  EXPECT_THAT(messages(load_config_file(dir.path().string(), {})),
              ElementsAre("cannot read config file " + dir.path().string() + ": is a directory"));
}

TEST(config_file, relative_feed_paths_resolve_against_the_config_directory) {
  temp_dir dir("relative");
  std::filesystem::create_directories(dir.path() / "conf");
  std::filesystem::create_directories(dir.path() / "data");
  std::ofstream(dir.path() / "data" / "f.csv") << "open_time_ms,open,high,low,close,volume\n";
  std::string file = (dir.path() / "conf" / "node.yaml").string();
  std::ofstream(file) << "collector:\n  feeds:\n    - symbol: BTCUSDT\n      path: ../data/f.csv\n"
                         "strategies:\n  - id: s1\n";
  auto r = load_config_file(file, {});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, file);
  EXPECT_EQ(r.config->collector.feeds[0].path, (dir.path() / "data" / "f.csv").string());
}

// --- secrets ---------------------------------------------------------------------------------

TEST(config_secrets, values_of_secret_like_keys_are_redacted) {
  using config_impl::shown_text;
  EXPECT_EQ(shown_text("store.password", "hunter2"), "<redacted>");
  EXPECT_EQ(shown_text("notifier.webhooks[0].auth_token", "hunter2"), "<redacted>");
  EXPECT_EQ(shown_text("exchange.api_key", "hunter2"), "<redacted>");
  EXPECT_EQ(shown_text("exchange.client_secret", "hunter2"), "<redacted>");
  EXPECT_EQ(shown_text("exchange.API_KEY", "hunter2"), "<redacted>");
  EXPECT_EQ(config_impl::shown_number("vault.secrets[2]", "42"), "<redacted>");
  EXPECT_EQ(shown_text("node.name", "paper"), "\"paper\"");
}

TEST(config_secrets, errors_never_echo_secret_values) {
  // A made-up secret key given the wrong kind of value: the type error must not echo it.
  for (const auto& msg : errors_of(minimal + "store:\n  api_token: hunter2\n  password: [hunter2]\n"
                                             "node:\n  secret: {value: hunter2}\n"))
    EXPECT_THAT(msg, Not(HasSubstr("hunter2"))) << msg;
  auto from_env = errors_of(minimal, {{"TRADEWIND__STORE__PASSWORD", "hunter2"}});
  EXPECT_THAT(from_env, ElementsAre("store.password (from TRADEWIND__STORE__PASSWORD): unknown key "
                                    "(expected one of url, batch_size, flush_interval_ms, pool_size, connect_timeout_ms, max_pending_records)"));
  // URLs may embed credentials or tokens: never echoed.
  for (const auto& msg : errors_of(minimal + "store:\n  url: mysql://u:hunter2@h/db\nnotifier:\n  webhooks:\n"
                                             "    - url: https://hooks.example.com/hunter2\n"))
    EXPECT_THAT(msg, Not(HasSubstr("hunter2"))) << msg;
}

TEST(config_decode, webhook_headers_are_read_in_order_and_their_values_never_echoed) {
  auto r = load(minimal + "notifier:\n  webhooks:\n    - url: http://localhost:9000/alerts\n"
                          "      headers:\n        Authorization: \"Bearer hunter2\"\n        X-Trace: \"1\"\n");
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  ASSERT_EQ(r.config->notifier.webhooks[0].headers.size(), 2u);
  EXPECT_EQ(r.config->notifier.webhooks[0].headers[0], (std::pair<std::string, std::string>{"Authorization", "Bearer hunter2"}));
  EXPECT_EQ(r.config->notifier.webhooks[0].headers[1].first, "X-Trace");
  auto bad = errors_of(minimal + "notifier:\n  webhooks:\n    - url: http://localhost:9000/alerts\n"
                                 "      headers:\n        X-Token: [hunter2]\n");
  EXPECT_THAT(bad, ElementsAre("notifier.webhooks[0].headers.X-Token: expected a string, got a list"));
  auto rule = errors_of(minimal + "notifier:\n  webhooks:\n    - url: http://localhost:9000/alerts\n"
                                  "      headers:\n        \"bad name\": hunter2\n");
  EXPECT_THAT(rule, ElementsAre("notifier.webhooks[0].headers: header names must be HTTP tokens (letters, digits, -, _, …)"));
  EXPECT_THAT(errors_of(minimal + "notifier:\n  webhooks:\n    - url: http://localhost:9000/alerts\n"
                                  "      headers: hunter2\n"),
              ElementsAre("notifier.webhooks[0].headers: expected a mapping, got <redacted>"));
  EXPECT_EQ(config_impl::shown_text("notifier.webhooks[0].headers.Authorization", "hunter2"), "<redacted>");
  EXPECT_EQ(config_impl::shown_text("store.url", "postgresql://u:hunter2@h/db"), "<redacted>");
}
