#include "tools/cluster_cmd.hpp"

#include <chrono>
#include <cstdlib>

#include "bridge/amqp/membership.hpp"
#include "net/redact.hpp"
#include "topology/loader.hpp"
#include "net/url.hpp"

namespace tradewind {

int run_cluster_nodes(const cluster_cmd_options& options) {
  auto loaded = topology::load_file(options.topology_path);
  if (!loaded.topology) {
    *options.err << "tradewind: invalid topology " << options.topology_path << ":\n"
                 << topology::format_errors(loaded.errors, options.topology_path);
    return 2;
  }
  const auto& m = *loaded.topology;
  std::string url = options.amqp_url;
  if (url.empty()) {
    const char* env = std::getenv("TRADEWIND_AMQP_URL");
    url = env ? env : "amqp://guest:guest@127.0.0.1:5672/";
  }
  // Checked first: converting a double beyond int64 (or NaN) to an integer is undefined.
  if (!(options.listen_s >= 0 && options.listen_s <= 86'400)) {
    *options.err << "tradewind: --listen-s must be within [0, 86400], got " << options.listen_s << "\n";
    return 2;
  }
  auto duration = std::chrono::milliseconds(static_cast<int64_t>(options.listen_s * 1000)); // tw-cast-ok
  auto r = amqp::listen_heartbeats(url, m.vhost, amqp::membership_exchange(m), duration);
  if (!r.error.empty()) {
    *options.err << "tradewind: cannot listen to heartbeats on " << tradewind::redact_url(url) << " vhost \""
                 << m.vhost << "\": " << r.error << "\n";
    return 1;
  }
  std::vector<std::string> declared;
  for (const auto& n : m.nodes)
    declared.push_back(n.name);
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch()).count();
  *options.out << amqp::format_members(r.members, declared, now_ms);
  return 0;
}

} // namespace tradewind
