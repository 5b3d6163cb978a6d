#include "tools/topology_cmd.hpp"

#include <cstdlib>

#include "topology/amqp_admin.hpp"
#include "topology/broker_state.hpp"
#include "topology/export_definitions.hpp"
#include "topology/loader.hpp"
#include "topology/management_client.hpp"
#include "topology/plan.hpp"
#include "net/url.hpp"

namespace tradewind {

namespace {

using namespace tradewind::topology;

constexpr const char* default_amqp_url = "amqp://guest:guest@127.0.0.1:5672/";
constexpr const char* default_management_url = "http://guest:guest@127.0.0.1:15672";

std::string pick(const std::string& given, const char* env_name, const char* fallback) {
  if (!given.empty())
    return given;
  if (const char* env = std::getenv(env_name); env && *env)
    return env;
  return fallback;
}

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// Loads `file`; prints the errors and returns nullopt when it is invalid.
std::optional<model> load_or_report(const std::string& file, std::ostream& err) {
  auto r = load_file(file);
  if (r.topology)
    return r.topology;
  err << "tradewind: " << plural(r.errors.size(), "topology error", "topology errors") << " in " << file << ":\n"
      << format_errors(r.errors, file);
  return std::nullopt;
}

int cmd_validate(const std::string& file, const model& m, std::ostream& out) {
  out << file << ": OK (" << plural(m.nodes.size(), "node", "nodes") << ", "
      << plural(m.exchanges.size(), "exchange", "exchanges") << ", " << plural(m.queues.size(), "queue", "queues")
      << ", " << plural(m.bindings.size(), "binding", "bindings") << ", " << plural(m.routes.size(), "route", "routes")
      << ")\n";
  return topology_exit_ok;
}

/// Reads the broker and compares; prints the plan. Returns nullopt after printing an error.
std::optional<plan> plan_or_report(const model& m, const std::string& management_url, std::ostream& out,
                                   std::ostream& err) {
  management_client client(management_url);
  auto actual = client.fetch_state(m.vhost);
  if (!actual.state) {
    err << "tradewind: " << actual.error << "\n";
    return std::nullopt;
  }
  auto p = make_plan(desired_state(m), *actual.state);
  out << "plan for vhost \"" << m.vhost << "\" on " << client.shown_url() << ":\n" << format_plan(p);
  return p;
}

int cmd_plan(const model& m, const std::string& management_url, std::ostream& out, std::ostream& err) {
  auto p = plan_or_report(m, management_url, out, err);
  if (!p)
    return topology_exit_broker_error;
  return p->has_conflicts() ? topology_exit_conflict : topology_exit_ok;
}

int cmd_apply(const model& m, const std::string& amqp_url, const std::string& management_url, std::ostream& out,
              std::ostream& err) {
  auto p = plan_or_report(m, management_url, out, err);
  if (!p)
    return topology_exit_broker_error;
  if (p->has_conflicts()) {
    err << "tradewind: nothing applied: " << plural(p->count(change_kind::conflict), "conflict", "conflicts")
        << " (RabbitMQ cannot change these in place: delete the objects or change the topology)\n";
    return topology_exit_conflict;
  }
  std::string error;
  auto admin = amqp_admin::connect(amqp_url, m.vhost, error);
  if (!admin) {
    err << "tradewind: " << error << "\n";
    return topology_exit_broker_error;
  }
  // Unchanged objects are declared again too: a declaration is idempotent and confirms them.
  if (auto e = admin->declare_all(desired_state(m)); !e.empty()) {
    err << "tradewind: apply stopped: " << e << "\n";
    return topology_exit_broker_error;
  }
  out << "applied: created " << plural(p->count(change_kind::create, object_kind::exchange), "exchange", "exchanges")
      << ", " << plural(p->count(change_kind::create, object_kind::queue), "queue", "queues") << ", "
      << plural(p->count(change_kind::create, object_kind::binding), "binding", "bindings") << "; "
      << p->count(change_kind::unchanged) << " unchanged\n";
  return topology_exit_ok;
}

} // namespace

int run_topology_command(const std::string& verb, const std::string& file, const topology_cmd_options& options) {
  std::ostream& out = *options.out;
  std::ostream& err = *options.err;
  if (verb != "validate" && verb != "plan" && verb != "apply" && verb != "export") {
    err << "tradewind: unknown topology command \"" << verb << "\" (expected validate, plan, apply or export)\n";
    return topology_exit_invalid;
  }
  auto m = load_or_report(file, err);
  if (!m)
    return topology_exit_invalid;
  std::string amqp_url = pick(options.amqp_url, "TRADEWIND_AMQP_URL", default_amqp_url);
  std::string management_url = pick(options.management_url, "TRADEWIND_MANAGEMENT_URL", default_management_url);
  if (verb == "validate")
    return cmd_validate(file, *m, out);
  if (verb == "export") {
    out << export_definitions(desired_state(*m));
    return topology_exit_ok;
  }
  if (verb == "plan")
    return cmd_plan(*m, management_url, out, err);
  return cmd_apply(*m, amqp_url, management_url, out, err);
}

} // namespace tradewind
