// The `tradewind` command: run a node, validate configuration, print the version.

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "actors/core/node_context.hpp"
#include "config/loader.hpp"
#include "tools/node_runner.hpp"
#include "tools/topology_cmd.hpp"

#ifndef TRADEWIND_VERSION
#define TRADEWIND_VERSION "0.0.0"
#endif

namespace {

using namespace tradewind;

/// Loads and validates `path`; prints every error to stderr. Returns nullopt on error.
std::optional<node_config> load_or_report(const std::string& path) {
  auto res = load_config_file(path, environment_overrides());
  if (res.config)
    return res.config;
  std::cerr << "tradewind: " << res.errors.size() << " configuration error"
            << (res.errors.size() == 1 ? "" : "s") << " (nothing was started):\n"
            << format_errors(res.errors, path);
  return std::nullopt;
}

int cmd_run(const std::string& config_path, const std::string& log_level) {
  auto cfg = load_or_report(config_path);
  if (!cfg)
    return 2;
  if (!log_level.empty())
    cfg->log.level = log_level;
  auto ctx = make_node_context(cfg->node_name, cfg->log.level, cfg->log.format);
  auto result = run_node(*cfg, ctx);
  std::cout << format_summary(result.summary, cfg->store.url);
  if (!result.store_flushed) {
    std::cerr << "tradewind: the store did not confirm the final flush; check the log above\n";
    return 1;
  }
  return 0;
}

int cmd_validate(const std::string& path) {
  auto cfg = load_or_report(path);
  if (!cfg)
    return 2;
  std::cout << path << ": OK (node " << cfg->node_name << ", " << cfg->strategies.size()
            << " strateg" << (cfg->strategies.size() == 1 ? "y" : "ies") << ", collector "
            << cfg->collector.mode << ")\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Tradewind: a distributed crypto-trading system of supervised actors.\n"
               "Environment variables TRADEWIND__<SECTION>__<KEY> override config keys."};
  app.require_subcommand(1);
  app.set_version_flag("--version", TRADEWIND_VERSION);

  std::string config_path, log_level;
  auto* run = app.add_subcommand("run", "Start a node (Ctrl-C / SIGTERM stops it gracefully)");
  run->add_option("-c,--config", config_path, "Node configuration (YAML)")->required()->check(CLI::ExistingFile);
  run->add_option("--log-level", log_level, "Override log.level (trace|debug|info|warn|error)")
    ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));

  auto* config = app.add_subcommand("config", "Configuration tools");
  config->require_subcommand(1);
  std::string validate_path;
  auto* validate = config->add_subcommand("validate", "Check a configuration file without running");
  validate->add_option("file", validate_path, "Node configuration (YAML)")->required();

  auto* topology = app.add_subcommand("topology", "Declared RabbitMQ topology (see topology/README.md)");
  topology->require_subcommand(1);
  std::string topology_file;
  topology_cmd_options topology_opts;
  const std::vector<std::pair<std::string, std::string>> topology_verbs{
    {"validate", "Check a topology file (no broker needed)"},
    {"plan", "Compare with the broker: what apply would create, and conflicts"},
    {"apply", "Declare exchanges, queues and bindings (idempotent)"},
    {"export", "Print RabbitMQ definitions JSON for rabbitmqctl import_definitions"}};
  for (const auto& [verb, help] : topology_verbs) {
    auto* sub = topology->add_subcommand(verb, help);
    sub->add_option("file", topology_file, "Topology file (YAML)")->required();
    sub->add_option("--amqp-url", topology_opts.amqp_url,
                    "AMQP URL (default: $TRADEWIND_AMQP_URL, else amqp://guest:guest@127.0.0.1:5672/)");
    sub->add_option("--management-url", topology_opts.management_url,
                    "Management API URL (default: $TRADEWIND_MANAGEMENT_URL, else "
                    "http://guest:guest@127.0.0.1:15672)");
  }

  auto* version = app.add_subcommand("version", "Print the version");

  CLI11_PARSE(app, argc, argv);
  if (*run)
    return cmd_run(config_path, log_level);
  if (*validate)
    return cmd_validate(validate_path);
  if (*topology)
    return run_topology_command(topology->get_subcommands().front()->get_name(), topology_file,
                                topology_opts);
  if (*version) {
    std::cout << "tradewind " << TRADEWIND_VERSION << "\n";
    return 0;
  }
  return 0;
}
