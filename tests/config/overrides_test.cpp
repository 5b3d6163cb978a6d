// Environment overrides TRADEWIND__SECTION__KEY applied to the YAML tree before validation.

#include "config/loader.hpp"

#include <cstdlib>

#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "config_test_util.hpp"

using namespace tradewind;
using namespace tradewind::config_test;
using testing::ElementsAre;

TEST(config_env, override_replaces_a_yaml_value) {
  auto r = load(minimal + "risk:\n  max_position_pct: 50\n", {{"TRADEWIND__RISK__MAX_POSITION_PCT", "20"}});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  EXPECT_EQ(r.config->risk.max_position_pct, fixed::from_int<20>());
}

TEST(config_env, override_creates_an_absent_section_and_key) {
  auto r = load(minimal, {{"TRADEWIND__NODE__NAME", "edge-7"}, {"TRADEWIND__EXECUTOR__FEE_BPS", "0"}});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  EXPECT_EQ(r.config->node_name, "edge-7");
  EXPECT_EQ(r.config->executor.fee_bps, 0);
}

TEST(config_env, variable_names_are_case_insensitive_after_the_prefix) {
  auto r = load(minimal, {{"TRADEWIND__Node__Threads", "4"}});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  EXPECT_EQ(r.config->threads, 4);
}

TEST(config_env, list_items_are_addressed_by_index) {
  auto r = load("collector:\n  mode: synthetic\nstrategies:\n  - id: s1\n  - id: s2\n",
                {{"TRADEWIND__STRATEGIES__0__FAST", "5"}, {"TRADEWIND__STRATEGIES__1__SLOW", "99"}});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  EXPECT_EQ(r.config->strategies[0].fast, 5);
  EXPECT_EQ(r.config->strategies[1].slow, 99);
}

TEST(config_env, an_index_one_past_the_end_appends_an_item) {
  auto r = load(minimal, {{"TRADEWIND__STRATEGIES__1__ID", "extra"}});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  ASSERT_EQ(r.config->strategies.size(), 2u);
  EXPECT_EQ(r.config->strategies[1].id, "extra");
}

TEST(config_env, a_value_in_brackets_is_a_list) {
  auto r = load("collector:\n  mode: synthetic\n  synthetic:\n    symbols: [A]\nstrategies:\n  - id: s1\n",
                {{"TRADEWIND__COLLECTOR__SYNTHETIC__SYMBOLS", "[AUSDT, BUSDT]"},
                 {"TRADEWIND__STRATEGIES__0__SYMBOLS", "[BUSDT]"}});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  EXPECT_EQ(r.config->collector.synthetic.symbols, (std::vector<std::string>{"AUSDT", "BUSDT"}));
  EXPECT_EQ(r.config->strategies[0].symbols, std::vector<std::string>{"BUSDT"});
}

TEST(config_env, fixed_override_is_exact) {
  auto r = load(minimal, {{"TRADEWIND__STRATEGIES__0__QTY_STEP", "0.1"}});
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->strategies[0].qty_step.raw, 10'000'000);
}

TEST(config_env, unknown_key_names_the_variable) {
  EXPECT_THAT(errors_of(minimal, {{"TRADEWIND__RISK__MAX_POSTION_PCT", "20"}}),
              ElementsAre("risk.max_postion_pct (from TRADEWIND__RISK__MAX_POSTION_PCT): unknown key "
                          "(did you mean max_position_pct?)"));
  EXPECT_THAT(errors_of(minimal, {{"TRADEWIND__RISKY__X", "1"}}),
              ElementsAre("risky (from TRADEWIND__RISKY__X): unknown key (did you mean risk?)"));
}

TEST(config_env, wrong_value_names_the_variable) {
  EXPECT_THAT(errors_of(minimal, {{"TRADEWIND__RISK__MAX_OPEN_ORDERS", "ten"}}),
              ElementsAre("risk.max_open_orders (from TRADEWIND__RISK__MAX_OPEN_ORDERS): expected an integer, "
                          "got \"ten\""));
  EXPECT_THAT(errors_of(minimal, {{"TRADEWIND__RISK__MAX_POSITION_PCT", "150"}}),
              ElementsAre("risk.max_position_pct (from TRADEWIND__RISK__MAX_POSITION_PCT): must be in (0, 100], "
                          "got 150"));
}

TEST(config_env, malformed_variables_are_rejected) {
  EXPECT_THAT(errors_of(minimal, {{"TRADEWIND__RISK____X", "1"}}),
              ElementsAre("TRADEWIND__RISK____X: malformed override name: use TRADEWIND__SECTION__KEY, with list "
                          "items by index (TRADEWIND__STRATEGIES__0__FAST)"));
  EXPECT_THAT(errors_of(minimal, {{"TRADEWIND__STRATEGIES__5__FAST", "5"}}),
              ElementsAre("TRADEWIND__STRATEGIES__5__FAST: index 5 is out of range: strategies has 1 item "
                          "(an override may append one item at index 1)"));
  EXPECT_THAT(errors_of(minimal, {{"TRADEWIND__STRATEGIES__FAST", "5"}}),
              ElementsAre("TRADEWIND__STRATEGIES__FAST: strategies is a list: use an item index, not \"fast\""));
  EXPECT_THAT(errors_of(minimal + "node:\n  name: a\n", {{"TRADEWIND__NODE__NAME__X", "5"}}),
              ElementsAre("TRADEWIND__NODE__NAME__X: node.name holds a value, so it has no key \"x\""));
  // Without node.name in the text the override creates a section where a value belongs.
  EXPECT_THAT(errors_of(minimal, {{"TRADEWIND__NODE__NAME__X", "5"}}),
              ElementsAre("node.name (from TRADEWIND__NODE__NAME__X): expected a string, got a mapping"));
  EXPECT_THAT(errors_of(minimal, {{"TRADEWIND__STRATEGIES__0__SYMBOLS", "[A, "}}),
              ElementsAre("TRADEWIND__STRATEGIES__0__SYMBOLS: a value starting with [ must be a YAML flow list "
                          "such as [BTCUSDT, ETHUSDT]"));
}

TEST(config_env, other_variables_are_ignored) {
  auto r = load(minimal, {{"HOME", "/root"}, {"TRADEWIND_RISK", "x"}, {"tradewind__risk__x", "1"}});
  EXPECT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
}

TEST(config_env, environment_overrides_reads_the_process_environment) {
  ::setenv("TRADEWIND__CONFIG_TEST__PROBE", "a=b", 1);
  ::setenv("NOT_TRADEWIND__CONFIG_TEST__PROBE", "x", 1);
  auto env = environment_overrides();
  ::unsetenv("TRADEWIND__CONFIG_TEST__PROBE");
  ::unsetenv("NOT_TRADEWIND__CONFIG_TEST__PROBE");
  EXPECT_EQ(env.at("TRADEWIND__CONFIG_TEST__PROBE"), "a=b");
  EXPECT_EQ(env.count("NOT_TRADEWIND__CONFIG_TEST__PROBE"), 0u);
  for (const auto& [name, value] : env)
    EXPECT_EQ(name.rfind("TRADEWIND__", 0), 0u) << name;
}

TEST(config_env, overrides_apply_to_a_config_file) {
  auto r = load_config_file(std::string(TW_SOURCE_DIR) + "/config/examples/paper.yaml",
                            {{"TRADEWIND__STRATEGIES__0__FAST", "5"}, {"TRADEWIND__STORE__URL", "sqlite:/tmp/x.db"}});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "paper.yaml");
  EXPECT_EQ(r.config->strategies[0].fast, 5);
  EXPECT_EQ(r.config->store.url, "sqlite:/tmp/x.db");
}
