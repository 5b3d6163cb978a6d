// Against a real RabbitMQ (scripts/test.sh starts it and exports TW_TEST_AMQP_URL,
// TW_TEST_RMQ_MGMT_URL and TW_TEST_RMQ_CTL): apply is idempotent, export → rabbitmqctl
// import_definitions yields the same objects, plan reports conflicting queue arguments.
// Each test works in a fresh vhost it creates and deletes.

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tools/topology_cmd.hpp"
#include "topology/amqp_admin.hpp"
#include "topology/export_definitions.hpp"
#include "topology/loader.hpp"
#include "topology/management_client.hpp"
#include "topology/plan.hpp"
#include "topology_test_util.hpp"

using namespace tradewind;
using namespace tradewind::topology;
using namespace tradewind::topology_test;
using testing::HasSubstr;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
}

struct run_result {
  int code;
  std::string out;
  std::string err;
};

/// A fresh vhost and a copy of an example topology that targets it.
class broker_test : public testing::Test {
protected:
  void SetUp() override {
    amqp_url_ = env("TW_TEST_AMQP_URL");
    mgmt_url_ = env("TW_TEST_RMQ_MGMT_URL");
    ctl_ = env("TW_TEST_RMQ_CTL");
    if (amqp_url_.empty() || mgmt_url_.empty() || ctl_.empty())
      GTEST_SKIP() << "no test broker: TW_TEST_AMQP_URL, TW_TEST_RMQ_MGMT_URL and TW_TEST_RMQ_CTL are set by "
                      "scripts/test.sh";
    static std::atomic<int> counter{0};
    vhost_ = "tw-topology-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    dir_ = std::filesystem::temp_directory_path() / vhost_;
    std::filesystem::create_directories(dir_);
    client_ = std::make_unique<management_client>(mgmt_url_);
    client_->delete_vhost(vhost_);
  }

  void TearDown() override {
    if (client_) {
      EXPECT_EQ(client_->delete_vhost(vhost_), "");
    }
    if (!dir_.empty())
      std::filesystem::remove_all(dir_);
  }

  /// Writes `example` with the test vhost, absolute config paths and `edits` applied.
  std::string topology_file(const std::string& example_name,
                            const std::vector<std::pair<std::string, std::string>>& edits = {}) {
    std::string text = read_text(example(example_name));
    replace_all(text, "vhost: /\n", "vhost: " + vhost_ + "\n");
    replace_all(text, "../../config/examples/", source_path("config/examples") + "/");
    for (const auto& [from, to] : edits) {
      auto p = text.find(from);
      EXPECT_NE(p, std::string::npos) << from;
      if (p != std::string::npos)
        text.replace(p, from.size(), to);
    }
    auto path = (dir_ / ("edited-" + example_name)).string();
    std::ofstream(path) << text;
    return path;
  }

  run_result run(const std::string& verb, const std::string& file) {
    std::ostringstream out, err;
    topology_cmd_options opts;
    opts.amqp_url = amqp_url_;
    opts.management_url = mgmt_url_;
    opts.out = &out;
    opts.err = &err;
    int code = run_topology_command(verb, file, opts);
    return {code, out.str(), err.str()};
  }

  broker_state desired(const std::string& file) {
    auto r = load_file(file);
    EXPECT_TRUE(r.topology) << format_errors(r.errors, file);
    return r.topology ? desired_state(*r.topology) : broker_state{};
  }

  broker_state actual() {
    auto r = client_->fetch_state(vhost_);
    EXPECT_TRUE(r.state) << r.error;
    return r.state ? *r.state : broker_state{};
  }

  std::string amqp_url_, mgmt_url_, ctl_, vhost_;
  std::filesystem::path dir_;
  std::unique_ptr<management_client> client_;
};

std::string last_line(const std::string& text) {
  auto end = text.find_last_not_of('\n');
  auto start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

/// Sorted "kind name details" lines of a state, to compare two states as sets.
std::vector<std::string> inventory(const broker_state& s) {
  std::vector<std::string> out;
  for (const auto& e : s.exchanges)
    out.push_back("exchange " + e.name + " " + e.type + (e.durable ? " durable" : "") + (e.auto_delete ? " auto_delete" : ""));
  for (const auto& q : s.queues) {
    std::string args;
    for (const auto& [k, v] : q.arguments)
      args += " " + k + "=" + to_text(v);
    out.push_back("queue " + q.name + (q.durable ? " durable" : "") + args);
  }
  for (const auto& b : s.bindings)
    out.push_back("binding " + binding_name(b));
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_F(broker_test, apply_is_idempotent) {
  ASSERT_EQ(client_->create_vhost(vhost_), "");
  auto file = topology_file("cluster.yaml");
  auto first = run("apply", file);
  ASSERT_EQ(first.code, topology_exit_ok) << first.out << first.err;
  EXPECT_EQ(last_line(first.out), "applied: created 6 exchanges, 10 queues, 14 bindings; 0 unchanged");
  EXPECT_EQ(inventory(actual()), inventory(desired(file)));

  auto second = run("apply", file);
  ASSERT_EQ(second.code, topology_exit_ok) << second.out << second.err;
  EXPECT_EQ(last_line(second.out), "applied: created 0 exchanges, 0 queues, 0 bindings; 30 unchanged");

  auto plan = run("plan", file);
  ASSERT_EQ(plan.code, topology_exit_ok) << plan.err;
  EXPECT_EQ(last_line(plan.out), "0 to create, 30 unchanged, 0 conflicts");
  EXPECT_THAT(plan.out, HasSubstr("  unchanged  queue strategy-1.market_data\n"));
  EXPECT_THAT(plan.out, HasSubstr("  unchanged  binding market_data -> trading.market_data [md.*]\n"));
  EXPECT_EQ(inventory(actual()), inventory(desired(file)));
}

TEST_F(broker_test, export_then_import_definitions_yields_the_same_objects) {
  ASSERT_EQ(client_->create_vhost(vhost_), "");
  auto file = topology_file("cluster.yaml");
  auto exported = run("export", file);
  ASSERT_EQ(exported.code, topology_exit_ok) << exported.err;
  auto json_path = (dir_ / "definitions.json").string();
  std::ofstream(json_path) << exported.out;

  std::string command = ctl_ + " import_definitions " + json_path + " > " + (dir_ / "import.log").string() + " 2>&1";
  int rc = std::system(command.c_str());
  ASSERT_EQ(rc, 0) << command << "\n" << read_text((dir_ / "import.log").string());

  auto want = inventory(desired(file));
  EXPECT_EQ(want.size(), 30u);
  // rabbitmqctl says the import "is asynchronous and can take some time": poll the
  // management API until the objects are there (bounded, so a broken import still fails).
  std::vector<std::string> got;
  for (int i = 0; i < 300; ++i) {
    got = inventory(actual());
    if (got == want)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(got, want);
  // What import created is exactly what apply would have: nothing to do.
  auto plan = run("plan", file);
  EXPECT_EQ(plan.code, topology_exit_ok) << plan.err;
  EXPECT_EQ(last_line(plan.out), "0 to create, 30 unchanged, 0 conflicts");
}

TEST_F(broker_test, plan_reports_a_conflicting_queue_argument_and_apply_refuses) {
  ASSERT_EQ(client_->create_vhost(vhost_), "");
  auto file = topology_file("cluster.yaml");
  ASSERT_EQ(run("apply", file).code, topology_exit_ok);
  auto changed = topology_file("cluster.yaml", {{"delivery_limit: 5", "delivery_limit: 7"}});
  auto before = inventory(actual());

  auto plan = run("plan", changed);
  EXPECT_EQ(plan.code, topology_exit_conflict);
  EXPECT_THAT(plan.out, HasSubstr("  conflict   queue trading.market_data: x-delivery-limit is 5 on the broker, 7 "
                                  "in the topology\n"));
  EXPECT_EQ(last_line(plan.out), "0 to create, 29 unchanged, 1 conflict");

  auto apply = run("apply", changed);
  EXPECT_EQ(apply.code, topology_exit_conflict);
  EXPECT_EQ(apply.err, "tradewind: nothing applied: 1 conflict (RabbitMQ cannot change these in place: delete the "
                       "objects or change the topology)\n");
  EXPECT_EQ(inventory(actual()), before);
}

TEST_F(broker_test, the_broker_itself_refuses_an_inequivalent_declaration) {
  ASSERT_EQ(client_->create_vhost(vhost_), "");
  std::string error;
  auto admin = amqp_admin::connect(amqp_url_, vhost_, error);
  ASSERT_TRUE(admin) << error;
  queue_state q{"q", true, false, {{"x-max-length", int64_t{10}}}};
  EXPECT_EQ(admin->declare(q), "");
  EXPECT_EQ(admin->declare(q), "");
  q.arguments["x-max-length"] = int64_t{20};
  EXPECT_THAT(admin->declare(q), HasSubstr("406 PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue 'q'"));
  // the channel was replaced: the admin still works
  EXPECT_EQ(admin->declare(exchange_state{"ex", "topic", true, false, false, {}}), "");
}

TEST_F(broker_test, a_missing_vhost_is_named) {
  auto plan = run("plan", topology_file("default.yaml"));
  EXPECT_EQ(plan.code, topology_exit_broker_error);
  EXPECT_THAT(plan.err, HasSubstr("vhost \"" + vhost_ + "\" does not exist on the broker"));
  std::string error;
  EXPECT_FALSE(amqp_admin::connect(amqp_url_, vhost_, error));
  EXPECT_THAT(error, HasSubstr("vhost"));
}
