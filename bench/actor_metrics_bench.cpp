// Cost of the per-actor metrics: one actor receiving a stream of small messages from
// another, with a plain behavior and with the same behavior wrapped by instrument(),
// alternating in the same process so both see the same machine load. One scheduler thread,
// so the figure is the CPU cost per message, not cross-thread wake-ups. Prints one JSON line
// with the medians in ns per message. Usage: actor_metrics_bench [--messages N] [--rounds R]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "caf/all.hpp"

#include "actors/core/instrument.hpp"
#include "actors/core/node_context.hpp"
#include "actors/core/system_config.hpp"

using namespace tradewind;

namespace {

using done_atom = caf::atom_constant<caf::atom("done")>;
using go_atom = caf::atom_constant<caf::atom("go")>;

struct bench_config : node_system_config {
  bench_config() : node_system_config(1) {}
};

caf::behavior receiver(caf::event_based_actor* self, int64_t n, caf::actor report, bool instrumented,
                       std::shared_ptr<node_context> ctx) {
  auto seen = std::make_shared<int64_t>(0);
  caf::behavior plain{[=](int64_t) {
    if (++*seen == n)
      self->send(report, done_atom::value);
  }};
  return instrumented ? instrument(self, *ctx, "receiver", std::move(plain)) : plain;
}

caf::behavior sender(caf::event_based_actor* self, caf::actor to, int64_t n) {
  return {[=](go_atom) {
    for (int64_t i = 0; i < n; ++i)
      self->send(to, i);
  }};
}

/// Nanoseconds per message from the first send to the last message handled.
double one_round(caf::actor_system& sys, int64_t n, bool instrumented, const std::shared_ptr<node_context>& ctx) {
  caf::scoped_actor self{sys};
  auto r = sys.spawn(receiver, n, caf::actor{self}, instrumented, ctx);
  auto s = sys.spawn(sender, r, n);
  auto start = std::chrono::steady_clock::now();
  self->send(s, go_atom::value);
  self->receive([](done_atom) {});
  auto ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  self->send_exit(s, caf::exit_reason::user_shutdown);
  self->send_exit(r, caf::exit_reason::user_shutdown);
  return ns / static_cast<double>(n);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
  int64_t messages = 1'000'000;
  int rounds = 12;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--messages")
      messages = std::stoll(argv[i + 1]);
    else if (k == "--rounds")
      rounds = std::stoi(argv[i + 1]);
  }
  bench_config cfg;
  caf::actor_system sys{cfg};
  auto ctx = make_node_context("bench", "off");
  std::vector<double> plain, instrumented;
  // The second round of a pair runs measurably slower (it frees the first one's mailbox
  // elements), so the order alternates.
  for (int r = 0; r < rounds; ++r) {
    for (bool with : {r % 2 == 1, r % 2 == 0})
      (with ? instrumented : plain).push_back(one_round(sys, messages, with, ctx));
  }
  double p = median(plain), i = median(instrumented);
  std::printf("{\"bench\":\"actor_metrics\",\"messages\":%lld,\"rounds\":%d,\"plain_ns_per_msg\":%.1f,"
              "\"instrumented_ns_per_msg\":%.1f,\"overhead_ns_per_msg\":%.1f,\"ratio\":%.3f}\n",
              static_cast<long long>(messages), rounds, p, i, i - p, i / p);
}
