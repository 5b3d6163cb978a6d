#pragma once
// `tradewind topology validate|plan|apply|export FILE`: check a topology file, compare it
// with a broker, declare it, or print it as RabbitMQ definitions JSON.

#include <iostream>
#include <string>

namespace tradewind {

/// Broker endpoints and output streams of the topology commands.
struct topology_cmd_options {
  /// --amqp-url; empty → $TRADEWIND_AMQP_URL → amqp://guest:guest@127.0.0.1:5672/
  std::string amqp_url;
  /// --management-url; empty → $TRADEWIND_MANAGEMENT_URL → http://guest:guest@127.0.0.1:15672
  std::string management_url;
  std::ostream* out = &std::cout; ///< results (plan, definitions JSON)
  std::ostream* err = &std::cerr; ///< errors
};

/// Exit codes of run_topology_command.
inline constexpr int topology_exit_ok = 0;
inline constexpr int topology_exit_broker_error = 1; ///< broker unreachable, refused or failed
inline constexpr int topology_exit_invalid = 2;      ///< invalid topology file or unknown verb
inline constexpr int topology_exit_conflict = 3;     ///< plan/apply found conflicts (apply changed nothing)

/// Runs one verb on `file`:
/// - validate: loads and checks the file; prints `FILE: OK (…)` or every error.
/// - plan: reads the broker through the management API and prints what apply would do.
/// - apply: plan, then (when there is no conflict) declares everything over AMQP; prints
///   the plan and `applied: …`. A second apply creates nothing.
/// - export: prints the RabbitMQ definitions JSON (for `rabbitmqctl import_definitions`).
/// Passwords in URLs are never printed.
int run_topology_command(const std::string& verb, const std::string& file, const topology_cmd_options& options);

} // namespace tradewind
