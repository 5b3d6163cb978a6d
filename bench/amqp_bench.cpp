// Cross-node benchmark of the AMQP link: messages/s and end-to-end latency through
//   local topic (actor system "bench-a") → publisher actor → broker → consumer actor →
//   local topic (actor system "bench-b", a second node in the same process)
// against a raw rabbitmq-c publisher/consumer pair (one thread each, one connection each)
// on the same broker, in the same run, with the same settings: the same message bytes
// (JSON envelope + headers), delivery mode (persistent, as every link message), publisher
// confirms with the same window (amqp.max_in_flight, confirms read every
// amqp.confirm_batch), manual acks with the same prefetch. Prints one JSON line: the medians over --runs runs and the ratios.
//
// Usage: amqp_bench [AMQP_URL [MGMT_URL]] [--messages N] [--latency-messages N] [--rate R] [--runs R]
//                   [--encoding json|msgpack]
//   --encoding: the route's body encoding (both sides send the same bytes); default json.
//   AMQP_URL defaults to $TW_BENCH_AMQP_URL, MGMT_URL to $TW_BENCH_RMQ_MGMT_URL. With a
//   management URL the bench runs in a fresh vhost it deletes afterwards; without one it uses
//   the default vhost "/" with uniquely named auto-delete exchange and queues.
// Each run has two phases per side: throughput (N messages sent as fast as possible, time from
// the first send to the last delivery) and latency (paced at R msg/s, so latency is not
// queueing behind the flood; p50/p99 of send → local delivery).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "caf/all.hpp"

#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "bridge/amqp/impl/connection.hpp"
#include "bridge/amqp/impl/importers.hpp"
#include "bridge/amqp/link.hpp"
#include "bridge/amqp/wire.hpp"
#include "topology/amqp_admin.hpp"
#include "topology/management_client.hpp"
#include "net/url.hpp"
#include "actors/core/system_config.hpp"

using namespace tradewind;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
  std::string amqp_url, mgmt_url;
  int messages = 20'000;
  int latency_messages = 2'000;
  int rate = 1'000;
  int runs = 3;
  topology::wire_encoding encoding = topology::wire_encoding::json;
};

struct phase_result {
  double msgs_per_s = 0;
  double p50_us = 0, p99_us = 0;
};

using system_config = node_system_config;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch()).count();
}

tradewind::signal make_signal(uint64_t seq) {
  tradewind::signal s;
  s.strategy_id = "bench";
  s.symbol = "BTCUSDT";
  s.ts_ms = 1'672'531'200'000 + static_cast<int64_t>(seq);
  s.seq = seq;
  s.direction = 1;
  s.target_qty = fixed::from_int<1>();
  s.reference_price = fixed::from_int<16'000>();
  s.reason = "bench";
  return s;
}

double percentile(std::vector<double> xs, double p) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(xs.size() - 1) + 0.5);
  return xs[std::min(i, xs.size() - 1)];
}

double median(std::vector<double> xs) { return percentile(std::move(xs), 0.5); }

/// Send times (ns) by seq, written by the sender thread, read by the receiver.
struct stamps {
  explicit stamps(size_t n) : sent(n) {}
  std::vector<std::atomic<int64_t>> sent;
};

/// Paces message i of a phase: flood (rate 0) or i/rate seconds after `start`.
void pace(clock_type::time_point start, int i, int rate) {
  if (rate > 0)
    std::this_thread::sleep_until(start + std::chrono::microseconds(1'000'000LL * i / rate));
}

/// The broker objects of one side: a topic exchange, one classic durable queue bound to it
/// (auto-delete, so nothing is left in a shared vhost).
topology::broker_state objects(const std::string& vhost, const std::string& exchange, const std::string& queue) {
  topology::broker_state s;
  s.vhost = vhost;
  s.exchanges.push_back({exchange, "topic", true, true, false, {}});
  s.queues.push_back({queue, true, true, {}});
  s.bindings.push_back({exchange, queue, "signals.#", {}});
  return s;
}

// ---- through the Tradewind link -------------------------------------------------------

class link_side {
public:
  link_side(const options& opt, const std::string& vhost, const std::string& suffix)
      : sys_a_(cfg_a_), sys_b_(cfg_b_), observer_(sys_b_) {
    std::string exchange = "tw-bench-link-" + suffix, queue = exchange + ".q";
    amqp::link_settings base;
    base.amqp.url = opt.amqp_url;
    base.vhost = vhost;
    base.declarations = objects(vhost, exchange, queue);
    auto ctx = make_node_context("bench", "warn");
    amqp::publisher_spec pub{topic::signals, exchange,
                             topology::route_decl{topic::signals, exchange, "signals.{node}", 0, opt.encoding}};
    amqp::link_settings a = base;
    a.node = "bench-a";
    publisher_ = amqp::spawn_publisher(sys_a_, a, pub, std::make_shared<amqp::importer_registry>(), ctx);
    amqp::link_settings b = base;
    b.node = "bench-b";
    observer_->join(topic_group(sys_b_, topic::signals));
    consumer_ = amqp::spawn_consumer(sys_b_, b, amqp::consumer_spec{topic::signals, queue, "", ""},
                                     std::make_shared<amqp::importer_registry>(), ctx);
  }

  ~link_side() {
    caf::anon_send_exit(publisher_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(consumer_, caf::exit_reason::user_shutdown);
  }

  /// Sends `n` signals (seq from `first`) at `rate` (0 = flood) and waits for all of them.
  phase_result run(uint64_t first, int n, int rate) {
    stamps st(static_cast<size_t>(n));
    auto grp = topic_group(sys_a_, topic::signals);
    std::thread sender([&] {
      caf::scoped_actor self{sys_a_};
      auto start = clock_type::now();
      for (int i = 0; i < n; ++i) {
        pace(start, i, rate);
        st.sent[static_cast<size_t>(i)].store(now_ns());
        self->send(grp, make_signal(first + static_cast<uint64_t>(i)));
      }
    });
    std::vector<double> lat_us;
    lat_us.reserve(static_cast<size_t>(n));
    int64_t t0 = 0, t_last = 0;
    bool timed_out = false;
    while (static_cast<int>(lat_us.size()) < n && !timed_out) {
      observer_->receive(
        [&](const tradewind::signal& s) {
          if (s.seq < first || s.seq >= first + static_cast<uint64_t>(n))
            return; // a straggler of an earlier phase cannot happen (each phase waits for all)
          t_last = now_ns();
          auto sent = st.sent[static_cast<size_t>(s.seq - first)].load();
          lat_us.push_back(static_cast<double>(t_last - sent) / 1e3);
        },
        caf::after(std::chrono::seconds(60)) >> [&] { timed_out = true; });
    }
    sender.join();
    if (timed_out)
      throw std::runtime_error("link: only " + std::to_string(lat_us.size()) + " of " + std::to_string(n)
                               + " messages arrived within 60 s");
    t0 = st.sent[0].load();
    return {n / (static_cast<double>(t_last - t0) / 1e9), percentile(lat_us, 0.5), percentile(lat_us, 0.99)};
  }

private:
  system_config cfg_a_, cfg_b_;
  caf::actor_system sys_a_, sys_b_;
  caf::scoped_actor observer_;
  caf::actor publisher_, consumer_;
};

// ---- raw rabbitmq-c pair ----------------------------------------------------------------

class raw_side {
public:
  raw_side(const options& opt, const std::string& vhost, const std::string& suffix)
      : opt_(opt), vhost_(vhost), exchange_("tw-bench-raw-" + suffix), queue_(exchange_ + ".q") {
    std::string err;
    auto admin = topology::amqp_admin::connect(opt.amqp_url, vhost, err);
    if (!admin)
      throw std::runtime_error(err);
    if (auto e = admin->declare_all(objects(vhost, exchange_, queue_)); !e.empty())
      throw std::runtime_error(e);
    open(pub_);
    if (auto e = pub_.enable_confirms(); !e.empty())
      throw std::runtime_error(e);
    open(sub_);
    if (auto e = sub_.set_prefetch(amqp_config{}.prefetch); !e.empty())
      throw std::runtime_error(e);
    if (auto e = sub_.start_consuming(queue_, "bench-raw"); !e.empty())
      throw std::runtime_error(e);
  }

  phase_result run(uint64_t first, int n, int rate) {
    stamps st(static_cast<size_t>(n));
    std::string pub_error;
    std::thread sender([&] { pub_error = publish(st, first, n, rate); });
    std::vector<double> lat_us;
    lat_us.reserve(static_cast<size_t>(n));
    int64_t t_last = 0;
    auto deadline = clock_type::now() + std::chrono::seconds(60);
    while (static_cast<int>(lat_us.size()) < n && clock_type::now() < deadline) {
      amqp::impl::delivery d;
      amqp::impl::frame_event ev;
      if (!sub_.consume(100, d, ev)) {
        if (ev.kind == amqp::impl::frame_event::closed)
          throw std::runtime_error("raw consumer: " + ev.text);
        continue;
      }
      t_last = now_ns();
      uint64_t seq = std::stoull(d.message_id);
      sub_.ack(d.delivery_tag);
      lat_us.push_back(static_cast<double>(t_last - st.sent[static_cast<size_t>(seq - first)].load()) / 1e3);
    }
    sender.join();
    if (!pub_error.empty())
      throw std::runtime_error("raw publisher: " + pub_error);
    if (static_cast<int>(lat_us.size()) < n)
      throw std::runtime_error("raw: only " + std::to_string(lat_us.size()) + " messages arrived within 60 s");
    return {n / (static_cast<double>(t_last - st.sent[0].load()) / 1e9), percentile(lat_us, 0.5),
            percentile(lat_us, 0.99)};
  }

private:
  void open(amqp::impl::connection& c) {
    if (auto e = c.open({opt_.amqp_url, vhost_, amqp_config{}.heartbeat_s, 10'000}); !e.empty())
      throw std::runtime_error(e);
  }

  /// Publishes like the link publisher: same envelope and headers, confirms read every
  /// confirm_batch messages, blocking while max_in_flight are unconfirmed, all confirmed at the end.
  std::string publish(stamps& st, uint64_t first, int n, int rate) {
    const amqp_config cfg{};
    uint64_t published = 0, confirmed = 0;
    std::string error;
    // Reads one frame; false when nothing came within timeout_ms or the channel failed.
    auto read_confirm = [&](int timeout_ms) -> bool {
      auto ev = pub_.poll(timeout_ms);
      if (ev.kind == amqp::impl::frame_event::ack)
        confirmed = ev.multiple ? ev.delivery_tag - base_tag_ : confirmed + 1;
      else if (ev.kind == amqp::impl::frame_event::nack || ev.kind == amqp::impl::frame_event::closed)
        error = "unexpected nack or close: " + ev.text;
      return error.empty() && ev.kind != amqp::impl::frame_event::none;
    };
    auto start = clock_type::now();
    for (int i = 0; i < n; ++i) {
      pace(start, i, rate);
      uint64_t seq = first + static_cast<uint64_t>(i);
      amqp::outgoing m;
      m.exchange = exchange_;
      m.routing_key = "signals.raw";
      m.body = amqp::encode_body(json::any_message{make_signal(seq)}, opt_.encoding);
      m.content_type =
        opt_.encoding == topology::wire_encoding::msgpack ? amqp::content_type_msgpack : amqp::content_type_json;
      m.message_id = std::to_string(seq);
      m.type = "signal";
      m.schema_version = tradewind::signal::schema_version;
      m.origin_node = "bench-raw";
      m.trace_id = "bench-raw-" + m.message_id;
      m.sent_at_ms = 0;
      m.persistent = true; // as the link publishes
      st.sent[static_cast<size_t>(i)].store(now_ns());
      if (auto e = pub_.publish(m); !e.empty())
        return e;
      ++published;
      if (published % static_cast<uint64_t>(cfg.confirm_batch) == 0 || rate > 0) {
        while (confirmed < published && read_confirm(0)) {
        }
        while (error.empty() && published - confirmed >= static_cast<uint64_t>(cfg.max_in_flight))
          read_confirm(1'000);
        if (!error.empty())
          return error;
      }
    }
    for (int tries = 0; confirmed < published && error.empty() && tries < 600; ++tries)
      read_confirm(100);
    if (!error.empty())
      return error;
    base_tag_ += published;
    return confirmed == published ? "" : "confirms missing";
  }

  const options& opt_;
  std::string vhost_, exchange_, queue_;
  amqp::impl::connection pub_, sub_;
  uint64_t base_tag_ = 0; ///< delivery tags of the channel continue across phases
};

options parse(int argc, char** argv) {
  options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> int {
      if (i + 1 >= argc)
        throw std::runtime_error(a + " needs a value");
      return std::stoi(argv[++i]);
    };
    if (a == "--messages")
      o.messages = next();
    else if (a == "--latency-messages")
      o.latency_messages = next();
    else if (a == "--rate")
      o.rate = next();
    else if (a == "--runs")
      o.runs = next();
    else if (a == "--encoding") {
      if (i + 1 >= argc)
        throw std::runtime_error(a + " needs a value");
      auto e = topology::parse_wire_encoding(argv[++i]);
      if (!e)
        throw std::runtime_error("--encoding: expected json or msgpack, got \"" + std::string(argv[i]) + "\"");
      o.encoding = *e;
    }
    else
      positional.push_back(a);
  }
  const char* env_url = std::getenv("TW_BENCH_AMQP_URL");
  const char* env_mgmt = std::getenv("TW_BENCH_RMQ_MGMT_URL");
  o.amqp_url = positional.size() > 0 ? positional[0] : env_url ? env_url : "";
  o.mgmt_url = positional.size() > 1 ? positional[1] : env_mgmt ? env_mgmt : "";
  return o;
}

} // namespace

int main(int argc, char** argv) {
  options opt;
  try {
    opt = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "amqp_bench: " << e.what() << "\n";
    return 2;
  }
  if (opt.amqp_url.empty()) {
    std::cerr << "amqp_bench: no broker: pass AMQP_URL [MGMT_URL] or set TW_BENCH_AMQP_URL "
                 "(e.g. amqp://guest:guest@127.0.0.1:5672/) and optionally TW_BENCH_RMQ_MGMT_URL "
                 "(e.g. http://guest:guest@127.0.0.1:15672) for a fresh vhost\n";
    return 2;
  }
  std::string suffix = std::to_string(::getpid());
  std::string vhost = "/";
  std::unique_ptr<topology::management_client> mgmt;
  if (!opt.mgmt_url.empty()) {
    vhost = "tw-bench-" + suffix;
    mgmt = std::make_unique<topology::management_client>(opt.mgmt_url);
    if (auto e = mgmt->create_vhost(vhost); !e.empty()) {
      std::cerr << "amqp_bench: cannot create vhost " << vhost << ": " << e << "\n";
      return 1;
    }
  }
  int rc = 0;
  std::vector<double> l_tp, l_p50, l_p99, r_tp, r_p50, r_p99;
  try {
    link_side link(opt, vhost, suffix);
    raw_side raw(opt, vhost, suffix);
    uint64_t seq = 0;
    // Warm-up (connections, queue, JIT-free but caches and the broker's first allocations).
    link.run(seq, 500, 0);
    seq += 500;
    raw.run(seq, 500, 0);
    seq += 500;
    for (int r = 0; r < opt.runs; ++r) {
      auto lt = link.run(seq, opt.messages, 0);
      seq += static_cast<uint64_t>(opt.messages);
      auto ll = link.run(seq, opt.latency_messages, opt.rate);
      seq += static_cast<uint64_t>(opt.latency_messages);
      auto rt = raw.run(seq, opt.messages, 0);
      seq += static_cast<uint64_t>(opt.messages);
      auto rl = raw.run(seq, opt.latency_messages, opt.rate);
      seq += static_cast<uint64_t>(opt.latency_messages);
      l_tp.push_back(lt.msgs_per_s), l_p50.push_back(ll.p50_us), l_p99.push_back(ll.p99_us);
      r_tp.push_back(rt.msgs_per_s), r_p50.push_back(rl.p50_us), r_p99.push_back(rl.p99_us);
    }
  } catch (const std::exception& e) {
    std::cerr << "amqp_bench: " << e.what() << "\n";
    rc = 1;
  }
  if (mgmt)
    mgmt->delete_vhost(vhost);
  if (rc != 0)
    return rc;
  const amqp_config cfg{};
  double ltp = median(l_tp), lp50 = median(l_p50), lp99 = median(l_p99);
  double rtp = median(r_tp), rp50 = median(r_p50), rp99 = median(r_p99);
  auto body_bytes = amqp::encode_body(json::any_message{make_signal(1)}, opt.encoding).size();
  std::printf("{\"bench\":\"amqp_link\",\"encoding\":\"%s\",\"body_bytes\":%zu,\"runs\":%d,\"messages\":%d,"
              "\"latency_messages\":%d,\"latency_rate\":%d,"
              "\"persistent\":true,\"confirms\":true,\"max_in_flight\":%d,\"confirm_batch\":%d,\"prefetch\":%d,"
              "\"link\":{\"msgs_per_s\":%.0f,\"p50_us\":%.0f,\"p99_us\":%.0f},"
              "\"raw\":{\"msgs_per_s\":%.0f,\"p50_us\":%.0f,\"p99_us\":%.0f},"
              "\"ratio\":{\"throughput_link_over_raw\":%.3f,\"p50_link_over_raw\":%.3f,\"p99_link_over_raw\":%.3f}}\n",
              std::string(topology::to_string(opt.encoding)).c_str(), body_bytes, opt.runs, opt.messages,
              opt.latency_messages, opt.rate, cfg.max_in_flight, cfg.confirm_batch,
              cfg.prefetch, ltp, lp50, lp99, rtp, rp50, rp99, ltp / rtp, lp50 / rp50, lp99 / rp99);
  return 0;
}
