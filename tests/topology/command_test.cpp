// `tradewind topology` without a broker: validate, export, errors, unreachable broker.

#include "tools/topology_cmd.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "topology_test_util.hpp"

using namespace tradewind;
using namespace tradewind::topology_test;
using testing::HasSubstr;
using testing::Not;

namespace {

struct run_result {
  int code;
  std::string out;
  std::string err;
};

run_result run(const std::string& verb, const std::string& file, topology_cmd_options opts = {}) {
  std::ostringstream out, err;
  opts.out = &out;
  opts.err = &err;
  int code = run_topology_command(verb, file, opts);
  return {code, out.str(), err.str()};
}

} // namespace

TEST(topology_command, validate_prints_a_summary) {
  auto r = run("validate", example("cluster.yaml"));
  EXPECT_EQ(r.code, topology_exit_ok);
  EXPECT_EQ(r.out, example("cluster.yaml") + ": OK (4 nodes, 6 exchanges, 10 queues, 14 bindings, 7 routes)\n");
}

TEST(topology_command, invalid_files_list_every_error) {
  auto file = std::filesystem::temp_directory_path() / "tw-topology-cmd-test.yaml";
  std::ofstream(file) << "nodes: []\nfoo: 1\n";
  auto r = run("plan", file.string());
  EXPECT_EQ(r.code, topology_exit_invalid);
  EXPECT_EQ(r.err, "tradewind: 2 topology errors in " + file.string() + ":\n" + file.string() +
                     ":1: nodes: at least one node is required\n" + file.string() +
                     ":2: foo: unknown key (expected one of version, vhost, exchanges, queues, bindings, routes, nodes)\n");
  std::filesystem::remove(file);
}

TEST(topology_command, unknown_verb) {
  auto r = run("destroy", example("cluster.yaml"));
  EXPECT_EQ(r.code, topology_exit_invalid);
  EXPECT_EQ(r.err, "tradewind: unknown topology command \"destroy\" (expected validate, plan, apply or export)\n");
}

TEST(topology_command, export_prints_definitions) {
  auto r = run("export", example("default.yaml"));
  EXPECT_EQ(r.code, topology_exit_ok);
  EXPECT_THAT(r.out, HasSubstr("\"name\": \"dead_letters\""));
}

TEST(topology_command, an_unreachable_broker_is_reported_without_the_password) {
  topology_cmd_options opts;
  opts.management_url = "http://guest:hunter2@127.0.0.1:9";
  opts.amqp_url = "amqp://guest:hunter2@127.0.0.1:9/";
  auto r = run("apply", example("default.yaml"), opts);
  EXPECT_EQ(r.code, topology_exit_broker_error);
  EXPECT_THAT(r.err, HasSubstr("http://guest:***@127.0.0.1:9"));
  EXPECT_THAT(r.err, Not(HasSubstr("hunter2")));
}
