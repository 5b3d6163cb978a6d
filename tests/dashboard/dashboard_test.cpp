// The dashboard page in a real browser: headless Chromium (driven by dashboard_check.mjs
// through playwright-core) against a node on a paced synthetic feed sees equity and orders
// update live and halts trading with the button; the REST API then shows the risk gate
// denying a new order with trading_halted.

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node_process.hpp"
#include "test_client.hpp"

using namespace tradewind::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path here = fs::path{TW_SOURCE_DIR} / "tests" / "dashboard";

std::string chromium_path() {
  if (const char* env = std::getenv("TW_CHROMIUM"))
    return env;
  return "/usr/bin/chromium";
}

std::string node_js() {
  for (const char* p : {"/usr/bin/node", "/usr/local/bin/node"})
    if (fs::exists(p))
      return p;
  return "";
}

} // namespace

TEST(dashboard_browser, shows_live_equity_and_orders_and_halts_trading_with_the_button) {
  if (!fs::exists(chromium_path()))
    GTEST_SKIP() << "chromium not installed at " << chromium_path()
                 << " (Debian package chromium; scripts/setup.sh installs it)";
  if (node_js().empty())
    GTEST_SKIP() << "node (Node.js) not found";
  if (!fs::exists(here / "node_modules" / "playwright-core" / "package.json"))
    GTEST_SKIP() << "tests/dashboard/node_modules is absent: run `npm ci` in tests/dashboard (scripts/test.sh does)";

  auto dir = fs::temp_directory_path() / ("tw-dashboard-" + std::to_string(::getpid()));
  node_process node;
  // 5 bars per wall second: equity and orders keep changing while the page watches.
  ASSERT_EQ(node.start(dir / "node", TW_BINARY, node_options{"dash-test", 5, 1000, "info", ""}), "");
  auto url = "http://127.0.0.1:" + std::to_string(node.port()) + "/";

  child_process browser;
  ASSERT_TRUE(browser.start({node_js(), (here / "dashboard_check.mjs").string(), url, node.admin_token(),
                             (dir / "dashboard.png").string()},
                            dir / "browser.log", here));
  int rc = browser.wait(240);
  auto out = read_text(dir / "browser.log");
  ASSERT_EQ(rc, 0) << "browser run failed (" << rc << "):\n" << out << "\nnode log:\n" << node.log().substr(0, 3000);
  auto line = out.substr(out.rfind("{\"ok\""));
  auto seen = json::parse(line);
  EXPECT_EQ(seen["steps"], json::parse(R"(["loaded","connected","equity_live","orders_live","halted"])"));
  EXPECT_EQ(seen["title"], "Tradewind dashboard");
  EXPECT_EQ(seen["node"], "node: dash-test (up)") << line;
  EXPECT_NE(seen["equity_before"], seen["equity_after"]);
  EXPECT_FALSE(seen["new_orders"].empty());
  EXPECT_EQ(seen["trading_state"], "halted");
  EXPECT_TRUE(fs::exists(dir / "dashboard.png"));

  // The button went through the risk gate: the node is halted and a new order is denied.
  const auto& token = node.admin_token();
  auto state = http_call(node.port(), "GET", "/api/v1/trading-state", token);
  ASSERT_EQ(state.status, 200) << state.body;
  EXPECT_EQ(json::parse(state.body)["node"], "halted");
  auto placed = http_call(node.port(), "POST", "/api/v1/orders", token,
                          R"({"symbol":"SYNTHUSDT","side":"buy","qty":"0.01","client_order_id":"dash-after-halt"})");
  ASSERT_EQ(placed.status, 202) << placed.body;
  json order;
  EXPECT_TRUE(eventually([&] {
    auto r = http_call(node.port(), "GET", "/api/v1/orders/dash-after-halt", token);
    if (r.status != 200)
      return false;
    order = json::parse(r.body);
    return order["status"] == "denied";
  }, 60)) << order.dump();
  EXPECT_EQ(order["decision"]["approved"], false);
  EXPECT_EQ(order["decision"]["reason"], "trading_halted");
  auto audit = read_text(dir / "node" / "audit.jsonl");
  EXPECT_NE(audit.find("\"path\":\"/api/v1/trading-state\""), std::string::npos) << audit;

  EXPECT_EQ(node.stop(), 0) << node.log().substr(0, 4000);
  if (!HasFailure())
    fs::remove_all(dir);
}
