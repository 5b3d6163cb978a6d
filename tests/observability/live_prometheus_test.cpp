// Grafana is not installable here, so the dashboard is checked the way Grafana would use it:
// a real tradewind node with the bridge, a real Prometheus scraping it every second with the
// kit's config and rules, then every panel query and template variable of
// deploy/observability/grafana/tradewind-dashboard.json goes through /api/v1/query and must
// parse and return data; every rule must evaluate without error. The node's own scrape
// passes `promtool check metrics`.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node_process.hpp"
#include "test_client.hpp"
#include "net/url.hpp"

using namespace tradewind::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kit = fs::path{TW_SOURCE_DIR} / "deploy" / "observability";
const char* prometheus_bin = "/usr/bin/prometheus";
const char* promtool_bin = "/usr/bin/promtool";

/// Replaces the only occurrence of `from`; fails the test when it is not there exactly once.
void replace_once(std::string& text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  ASSERT_EQ(text.find(from, at + 1), std::string::npos) << from;
  text.replace(at, from.size(), to);
}

/// Grafana's variables as Grafana would expand them for this one node.
std::string expand(std::string expr) {
  for (auto [var, value] : {std::pair{"$__rate_interval", "1m"}, {"$job", "tradewind"}, {"$instance", ".+"}}) {
    for (auto at = expr.find(var); at != std::string::npos; at = expr.find(var))
      expr.replace(at, std::string{var}.size(), value);
  }
  return expr;
}

class live_prometheus : public testing::Test {
protected:
  void SetUp() override {
    if (!fs::exists(prometheus_bin))
      GTEST_SKIP() << "prometheus not installed (Debian package prometheus; scripts/setup.sh installs it)";
    dir_ = fs::temp_directory_path() / ("tw-obs-prom-" + std::to_string(::getpid()));
    auto err = node_.start(dir_ / "node", TW_BINARY, node_options{"obs-prom", 20, 1000, "info", ""});
    ASSERT_EQ(err, "");
    start_prometheus();
  }

  void TearDown() override {
    if (!dir_.empty()) {
      prom_.stop();
      int rc = node_.stop();
      EXPECT_EQ(rc, 0) << node_.log().substr(0, 4000);
      if (!HasFailure())
        fs::remove_all(dir_);
    }
  }

  /// The kit's prometheus.yml with 1 s intervals and this test's ports, rules copied beside it.
  void start_prometheus() {
    auto conf_dir = dir_ / "prometheus";
    fs::create_directories(conf_dir / "data");
    fs::copy(kit / "rules", conf_dir / "rules", fs::copy_options::recursive);
    fs::copy(kit / "targets", conf_dir / "targets", fs::copy_options::recursive);
    prom_port_ = free_port();
    auto config = read_text(kit / "prometheus.yml");
    replace_once(config, "scrape_interval: 15s", "scrape_interval: 1s");
    replace_once(config, "evaluation_interval: 15s", "evaluation_interval: 1s");
    replace_once(config, "scrape_timeout: 10s", "scrape_timeout: 1s");
    replace_once(config, "\"127.0.0.1:8080\"", "\"127.0.0.1:" + std::to_string(node_.port()) + "\"");
    replace_once(config, "\"127.0.0.1:9090\"", "\"127.0.0.1:" + std::to_string(prom_port_) + "\"");
    std::ofstream(conf_dir / "prometheus.yml") << config;
    ASSERT_TRUE(prom_.start({prometheus_bin, "--config.file=" + (conf_dir / "prometheus.yml").string(),
                             "--storage.tsdb.path=" + (conf_dir / "data").string(),
                             "--web.listen-address=127.0.0.1:" + std::to_string(prom_port_)},
                            dir_ / "prometheus.log"));
    bool ready = eventually([&] { return http_call(prom_port_, "GET", "/-/ready").status == 200; }, 60);
    ASSERT_TRUE(ready) << read_text(dir_ / "prometheus.log");
  }

  /// An instant query; the whole API answer.
  json query(const std::string& promql) {
    auto r = http_call(prom_port_, "GET", "/api/v1/query?query=" + tradewind::net::percent_encode(promql));
    if (r.status == 0)
      return json{{"status", "transport"}, {"error", r.error}};
    auto j = json::parse(r.body, nullptr, false);
    return j.is_discarded() ? json{{"status", "unparsable"}, {"error", r.body}} : j;
  }

  /// The first sample value of an instant vector, or -1 when there is none.
  double scalar(const std::string& promql) {
    auto j = query(promql);
    if (j["status"] != "success" || j["data"]["result"].empty())
      return -1;
    return std::stod(j["data"]["result"][0]["value"][1].get<std::string>());
  }

  reply api(const std::string& method, const std::string& target, const std::string& body = "") {
    return http_call(node_.port(), method, target, node_.admin_token(), body);
  }

  fs::path dir_;
  node_process node_;
  child_process prom_;
  uint16_t prom_port_ = 0;
};

} // namespace

TEST_F(live_prometheus, every_dashboard_query_returns_data_and_every_rule_evaluates) {
  // A denial, so "denials by reason" has a series: an order far above max_order_notional.
  auto placed = api("POST", "/api/v1/orders", R"({"symbol":"SYNTHUSDT","side":"buy","qty":"100000","client_order_id":"obs-deny-1"})");
  ASSERT_EQ(placed.status, 202) << placed.body;
  std::string decision;
  EXPECT_TRUE(eventually([&] {
    auto r = api("GET", "/api/v1/orders/obs-deny-1");
    if (r.status != 200)
      return false;
    decision = json::parse(r.body)["status"];
    return decision == "denied";
  }, 60)) << decision;

  // Enough scrapes for rate() over the data, with orders, fills and the denial in them.
  bool scraped = eventually([&] {
    return scalar(R"(count_over_time(up{job="tradewind"}[1m]))") >= 8
           && scalar(R"(up{job="tradewind"})") == 1
           && scalar(R"(tradewind_tick_to_order_latency_seconds_count{job="tradewind"})") > 0
           && scalar(R"(sum(tradewind_risk_denials_total{job="tradewind"}))") >= 1
           && scalar(R"(tradewind_fills_total{job="tradewind"})") > 0;
  }, 120);
  ASSERT_TRUE(scraped) << "prometheus log:\n" << read_text(dir_ / "prometheus.log").substr(0, 4000)
                       << "\ntargets: " << http_call(prom_port_, "GET", "/api/v1/targets").body;

  // The exposition itself, linted by Prometheus' own tool, with the actor and store families.
  auto scrape = http_call(node_.port(), "GET", "/metrics");
  ASSERT_EQ(scrape.status, 200);
  for (const char* family : {"tradewind_actor_messages_handled_total{actor=\"strategy:s1\"}",
                             "tradewind_actor_handling_seconds_bucket{actor=\"collector\",le=\"+Inf\"}",
                             "tradewind_actor_mailbox_depth{actor=\"store_writer\"}",
                             "tradewind_store_records_written_total{kind=\"fill\"}", "tradewind_store_queue_depth ",
                             "tradewind_store_write_seconds_count ", "tradewind_store_commit_failures_total 0"})
    EXPECT_NE(scrape.body.find(family), std::string::npos) << family;
  if (fs::exists(promtool_bin)) {
    std::ofstream(dir_ / "scrape.txt") << scrape.body;
    auto cmd = std::string{promtool_bin} + " check metrics < " + (dir_ / "scrape.txt").string() + " > "
               + (dir_ / "promtool.out").string() + " 2>&1";
    int rc = std::system(cmd.c_str());
    EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << read_text(dir_ / "promtool.out");
  }

  auto dashboard = json::parse(read_text(kit / "grafana" / "tradewind-dashboard.json"));
  int checked = 0;
  for (const auto& panel : dashboard["panels"]) {
    for (const auto& target : panel.value("targets", json::array())) {
      auto expr = expand(target["expr"].get<std::string>());
      auto answer = query(expr);
      ++checked;
      EXPECT_EQ(answer["status"], "success") << panel["title"] << ": " << expr << "\n" << answer.dump();
      if (answer["status"] != "success")
        continue;
      EXPECT_FALSE(answer["data"]["result"].empty()) << panel["title"] << ": no data for " << expr;
    }
  }
  EXPECT_EQ(checked, 57);

  // Template variables: label_values(<selector>, <label>) → the label's values over matching series.
  std::regex label_values{R"(label_values\((.+), (\w+)\))"};
  for (const auto& var : dashboard["templating"]["list"]) {
    if (var["type"] != "query")
      continue;
    auto def = expand(var["definition"].get<std::string>());
    std::smatch m;
    ASSERT_TRUE(std::regex_match(def, m, label_values)) << def;
    auto r = http_call(prom_port_, "GET", "/api/v1/label/" + m[2].str() + "/values?match[]=" + tradewind::net::percent_encode(m[1].str()));
    auto values = json::parse(r.body)["data"];
    EXPECT_FALSE(values.empty()) << def;
    if (var["name"] == "instance") {
      EXPECT_EQ(values, json::array({"127.0.0.1:" + std::to_string(node_.port())}));
    }
  }

  // Every recording and alert rule has been evaluated against the live data without error.
  json groups;
  bool evaluated = eventually([&] {
    groups = json::parse(http_call(prom_port_, "GET", "/api/v1/rules").body)["data"]["groups"];
    for (const auto& g : groups)
      for (const auto& r : g["rules"])
        if (r["health"] != "ok")
          return false;
    return groups.size() == 2;
  }, 30);
  EXPECT_TRUE(evaluated) << groups.dump(2);
  // The 5xx ratio records a 0 for this healthy node rather than nothing.
  EXPECT_EQ(scalar(R"(tradewind:http_5xx_ratio:rate5m{job="tradewind"})"), 0.0);
  // A healthy, trading node raises none of the node/pipeline alerts.
  auto firing = query(R"(ALERTS{alertstate="firing", alertname=~"TradewindNodeDown|TradewindTradingHalted|TradewindPipelineStalled|TradewindMarketDataStalled"})");
  EXPECT_TRUE(firing["data"]["result"].empty()) << firing.dump();
}
