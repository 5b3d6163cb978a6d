// The `tradewind` command: run a node, validate configuration, print the version.

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "actors/core/crash_points.hpp"
#include "actors/core/node_context.hpp"
#include "config/loader.hpp"
#include "net/redact.hpp"
#include "tools/cluster_node.hpp"
#include "tools/node_runner.hpp"
#include "topology/loader.hpp"
#include "tools/role_adopter.hpp"
#include "tools/topology_cmd.hpp"
#include "tools/apikey_cmd.hpp"
#include "tools/db_cmd.hpp"
#include "tools/cluster_cmd.hpp"
#include "actors/storage/store.hpp"

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

/// `run` options.
struct run_options {
  std::string config_path;   ///< --config; with --topology defaults to the node's config
  std::string log_level;     ///< --log-level
  std::string node;          ///< --node: one node of --topology
  std::string topology_path; ///< --topology
};

/// Loads the topology and plans node `opts.node`; prints errors and returns nullopt on error.
std::optional<node_plan> plan_or_report(const run_options& opts, node_config& cfg,
                                        const std::shared_ptr<node_context>& ctx, const topology::model& m,
                                        role_adopter& adopter) {
  auto planned = plan_node(m, opts.node, cfg, ctx, [&adopter](const std::string& lost, const auto& remaining) {
    return adopter.on_node_lost(lost, remaining);
  });
  if (planned.plan)
    return planned.plan;
  std::cerr << "tradewind: cannot run node " << opts.node << " of " << opts.topology_path << ":\n";
  for (const auto& e : planned.errors)
    std::cerr << "  " << e << "\n";
  return std::nullopt;
}

/// A server-backed store must be migrated explicitly (`tradewind db migrate`); refuse to start
/// otherwise instead of letting the supervisor restart a store writer that cannot open.
bool store_ready(const store_config& store) {
  if (store.url.rfind("sqlite:", 0) == 0)
    return true; // the embedded default migrates itself
  auto status = read_schema_status(store);
  if (!status.is_ok()) {
    std::cerr << "tradewind: store " << redact_url(store.url) << ": " << status.error() << "\n";
    return false;
  }
  if (status.value().current != status.value().latest) {
    std::cerr << "tradewind: store " << redact_url(store.url) << " is at schema version "
              << status.value().current << ", this build needs " << status.value().latest
              << ": run `tradewind db migrate --config FILE` first\n";
    return false;
  }
  return true;
}

/// TRADEWIND_CRASH_AT=point:N[,…] arms fault injection for crash-recovery tests
/// (actors/core/crash_points.hpp); false with a message on a malformed value.
bool arm_crash_points(node_context& ctx) {
  const char* spec = std::getenv("TRADEWIND_CRASH_AT");
  if (!spec || !*spec)
    return true;
  std::string error;
  auto points = crash_points::parse(spec, error);
  if (!points) {
    std::cerr << "tradewind: " << error << "\n";
    return false;
  }
  ctx.log->warn("event=crash_points_armed spec=\"{}\"", spec);
  ctx.crash = std::make_shared<crash_points>(std::move(*points));
  return true;
}

int cmd_run(run_options opts) {
  std::optional<topology::model> topo;
  if (!opts.topology_path.empty()) {
    if (opts.node.empty()) {
      std::cerr << "tradewind: --topology needs --node NAME\n";
      return 2;
    }
    auto loaded = topology::load_file(opts.topology_path);
    if (!loaded.topology) {
      std::cerr << "tradewind: invalid topology " << opts.topology_path << ":\n"
                << topology::format_errors(loaded.errors, opts.topology_path);
      return 2;
    }
    topo = std::move(loaded.topology);
    if (opts.config_path.empty())
      opts.config_path = node_config_path(*topo, opts.node);
  } else if (!opts.node.empty()) {
    std::cerr << "tradewind: --node needs --topology FILE\n";
    return 2;
  }
  if (opts.config_path.empty()) {
    std::cerr << "tradewind: run needs --config FILE (or --topology FILE --node NAME whose node has a config)\n";
    return 2;
  }
  auto cfg = load_or_report(opts.config_path);
  if (!cfg)
    return 2;
  if (!opts.log_level.empty())
    cfg->log.level = opts.log_level;
  if (topo) {
    cfg->node_name = opts.node;
    auto errors = apply_actor_configs(*topo, opts.node, *cfg);
    if (!errors.empty()) {
      std::cerr << "tradewind: cannot run node " << opts.node << " of " << opts.topology_path << ":\n";
      for (const auto& e : errors)
        std::cerr << "  " << e << "\n";
      return 2;
    }
  }
  if (!store_ready(cfg->store))
    return 2;
  auto ctx = make_node_context(cfg->node_name, cfg->log.level, cfg->log.format);
  if (!arm_crash_points(*ctx))
    return 2;
  run_result result;
  // Declared before the node runs: its membership actor calls it until the node stops.
  std::optional<role_adopter> adopter;
  bool adopted_ok = true;
  std::string adopted_report;
  if (topo) {
    adopter.emplace(*topo, opts.node, ctx);
    auto plan = plan_or_report(opts, *cfg, ctx, *topo, *adopter);
    if (!plan)
      return 2;
    result = run_node(*cfg, ctx, *plan);
    adopted_ok = adopter->finish(result.interrupted, adopted_report);
  } else {
    result = run_node(*cfg, ctx);
  }
  std::cout << format_summary(result.summary, redact_url(cfg->store.url)) << adopted_report;
  if (!adopted_ok) {
    std::cerr << "tradewind: a strategy role this node took over did not finish cleanly; check the log above\n";
    return 1;
  }
  if (!result.store_flushed) {
    std::cerr << "tradewind: the store did not confirm the final flush; check the log above\n";
    return 1;
  }
  if (!result.links_flushed) {
    std::cerr << "tradewind: the broker did not confirm every message for other nodes; check the log above\n";
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

  run_options run_opts;
  auto* run = app.add_subcommand("run", "Start a node (Ctrl-C / SIGTERM stops it gracefully)");
  run->add_option("-c,--config", run_opts.config_path,
                  "Node configuration (YAML); required unless --topology names the node's config")
    ->check(CLI::ExistingFile);
  run->add_option("--log-level", run_opts.log_level, "Override log.level (trace|debug|info|warn|error)")
    ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  run->add_option("--topology", run_opts.topology_path,
                  "Topology file (YAML): run only node --node of it, linked to the others over RabbitMQ")
    ->check(CLI::ExistingFile);
  run->add_option("--node", run_opts.node, "Node of --topology to run");

  auto* config = app.add_subcommand("config", "Configuration tools");
  config->require_subcommand(1);
  std::string validate_path;
  auto* validate = config->add_subcommand("validate", "Check a configuration file without running");
  validate->add_option("file", validate_path, "Node configuration (YAML)")->required();

  auto* topology = app.add_subcommand("topology", "Declared RabbitMQ topology (see topology/examples/README.md)");
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

  auto* cluster = app.add_subcommand("cluster", "A running cluster (see bridge/amqp/README.md)");
  cluster->require_subcommand(1);
  cluster_cmd_options cluster_opts;
  auto* cluster_nodes =
    cluster->add_subcommand("nodes", "List the nodes by listening to their heartbeats");
  cluster_nodes->add_option("--topology", cluster_opts.topology_path, "Topology file (YAML)")
    ->required();
  cluster_nodes->add_option(
    "--amqp-url", cluster_opts.amqp_url,
    "AMQP URL (default: $TRADEWIND_AMQP_URL, else amqp://guest:guest@127.0.0.1:5672/)");
  cluster_nodes->add_option("--listen-s", cluster_opts.listen_s,
                            "Seconds to listen (default 6; heartbeats every 5 s)");

  auto* db = app.add_subcommand("db", "Store schema: migrate or show the version");
  db->require_subcommand(1);
  db_cmd_options db_opts;
  for (auto [verb, help] :
       {std::pair{"migrate", "Apply missing migrations (safe to repeat)"},
        std::pair{"status", "Show schema version vs this build (exit 3 if they differ)"}}) {
    auto* sub = db->add_subcommand(verb, help);
    sub->add_option("-c,--config", db_opts.config_path, "Node configuration (YAML); its store section");
    sub->add_option("--url", db_opts.url, "Store URL (wins over --config)");
    if (std::string{verb} == "migrate")
      sub->add_option("--to", db_opts.target_version, "Stop at this version");
  }

  auto* apikey = app.add_subcommand("apikey", "REST bridge API keys (stored hashed)");
  apikey->require_subcommand(1);
  apikey_cmd_options apikey_opts;
  auto* ak_create = apikey->add_subcommand("create", "Create a key; prints its token once");
  ak_create->add_option("--scope", apikey_opts.scope, "read|trade|admin")
    ->check(CLI::IsMember({"read", "trade", "admin"}));
  ak_create->add_option("--name", apikey_opts.name, "Label")->required();
  auto* ak_list = apikey->add_subcommand("list", "List keys (never secrets)");
  auto* ak_revoke = apikey->add_subcommand("revoke", "Revoke a key");
  ak_revoke->add_option("id", apikey_opts.id, "Key id (k…)")->required();
  for (auto* sub : {ak_create, ak_list, ak_revoke})
    sub->add_option("--keys-file", apikey_opts.keys_file, "Keys file (JSON)")->required();

  auto* version = app.add_subcommand("version", "Print the version");

  CLI11_PARSE(app, argc, argv);
  if (*run)
    return cmd_run(run_opts);
  if (*validate)
    return cmd_validate(validate_path);
  if (*topology)
    return run_topology_command(topology->get_subcommands().front()->get_name(), topology_file,
                                topology_opts);
  if (*cluster)
    return run_cluster_nodes(cluster_opts);
  if (*db)
    return run_db_command(db->get_subcommands().front()->get_name(), db_opts);
  if (*apikey)
    return run_apikey_command(apikey->get_subcommands().front()->get_name(), apikey_opts, std::cout,
                              std::cerr);
  if (*version) {
    std::cout << "tradewind " << TRADEWIND_VERSION << "\n";
    return 0;
  }
  return 0;
}
