// The monitoring kit in deploy/observability checked by Prometheus' own tool: the scrape
// config and rule files are valid, the alert rules pass their unit tests, and the Grafana
// dashboard is well-formed JSON whose panels all carry a query.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node_process.hpp"

using nlohmann::json;
using tradewind::test::read_text;
namespace fs = std::filesystem;

namespace {

const fs::path kit = fs::path{TW_SOURCE_DIR} / "deploy" / "observability";
const char* promtool = "/usr/bin/promtool";

/// Runs promtool with `args` in the kit folder; exit code and combined output.
std::pair<int, std::string> run_promtool(const std::string& args) {
  auto out = fs::temp_directory_path() / ("tw-promtool-" + std::to_string(::getpid()) + ".out");
  auto cmd = "cd " + kit.string() + " && " + promtool + " " + args + " > " + out.string() + " 2>&1";
  int rc = std::system(cmd.c_str());
  auto text = read_text(out);
  fs::remove(out);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, text};
}

class promtool_kit : public testing::Test {
protected:
  void SetUp() override {
    if (!fs::exists(promtool))
      GTEST_SKIP() << "promtool not installed (Debian package prometheus; scripts/setup.sh installs it)";
  }
};

} // namespace

TEST_F(promtool_kit, scrape_config_is_valid) {
  auto [rc, out] = run_promtool("check config prometheus.yml");
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("SUCCESS: prometheus.yml is valid prometheus config file syntax"), std::string::npos) << out;
  EXPECT_NE(out.find("SUCCESS: 1 rule files found"), std::string::npos) << out;
}

TEST_F(promtool_kit, rules_are_valid) {
  auto [rc, out] = run_promtool("check rules rules/tradewind.rules.yml");
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("SUCCESS: 20 rules found"), std::string::npos) << out;
}

TEST_F(promtool_kit, rule_unit_tests_pass) {
  auto [rc, out] = run_promtool("test rules rules/tradewind.rules.test.yml");
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("SUCCESS"), std::string::npos) << out;
}

TEST_F(promtool_kit, rule_unit_tests_cover_every_alert) {
  // Every alert of the rules file is exercised by at least one alert_rule_test.
  auto rules = read_text(kit / "rules" / "tradewind.rules.yml");
  auto tests = read_text(kit / "rules" / "tradewind.rules.test.yml");
  std::regex alert_re{"- alert: (\\w+)"};
  int alerts = 0;
  for (std::sregex_iterator it{rules.begin(), rules.end(), alert_re}, end; it != end; ++it) {
    ++alerts;
    auto name = (*it)[1].str();
    EXPECT_NE(tests.find("alertname: " + name + "\n"), std::string::npos) << name << " has no unit test";
  }
  EXPECT_EQ(alerts, 19);
}

TEST(grafana_dashboard, every_panel_has_a_datasource_and_a_query) {
  auto doc = json::parse(read_text(kit / "grafana" / "tradewind-dashboard.json"));
  EXPECT_EQ(doc["uid"], "tradewind-node");
  std::set<std::string> titles;
  int queries = 0;
  for (const auto& p : doc["panels"]) {
    if (p["type"] == "row")
      continue;
    EXPECT_TRUE(titles.insert(p["title"].get<std::string>()).second) << "duplicate title " << p["title"];
    EXPECT_EQ(p["datasource"]["uid"], "${datasource}") << p["title"];
    ASSERT_FALSE(p["targets"].empty()) << p["title"];
    for (const auto& t : p["targets"]) {
      EXPECT_FALSE(t["expr"].get<std::string>().empty()) << p["title"];
      ++queries;
    }
  }
  for (const char* want : {"Equity", "PnL", "Drawdown", "Orders by status", "Risk denials by reason",
                           "Tick-to-order latency", "HTTP requests by route and status", "HTTP latency p50 / p99",
                           "CPU", "Resident memory", "Messages handled per actor", "Actor handling time p99",
                           "Actor mailbox depth", "Store queue", "Store commit duration p50 / p99",
                           "AMQP published / confirmed", "AMQP connections"})
    EXPECT_EQ(titles.count(want), 1u) << want;
  EXPECT_EQ(queries, 57);
}
