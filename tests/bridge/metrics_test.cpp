// Metrics: /proc parsing, the exposition text of node_metrics (with the node's registry),
// the stream queue.

#include "actors/core/actor_metrics.hpp"
#include "actors/core/metrics_registry.hpp"
#include "actors/storage/store_metrics.hpp"
#include "bridge/amqp/link_metrics.hpp"
#include "bridge/metrics/node_metrics.hpp"
#include "bridge/metrics/process_metrics.hpp"
#include "bridge/rest/stream_queue.hpp"

#include <gtest/gtest.h>

using namespace tradewind;

TEST(process_metrics, parses_proc_stat_with_spaces_in_the_command_name) {
  // Fields after ')': state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
  // utime(14) stime(15) cutime cstime priority nice threads itrealvalue starttime(22) vsize(23) rss(24)
  std::string stat = "42 (my (odd) prog) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 1000 123456789 300 1";
  auto s = metrics::parse_process_stat(stat, "cpu 1 2 3\nbtime 1700000000\n", 100, 4096);
  ASSERT_TRUE(s.cpu_seconds);
  EXPECT_DOUBLE_EQ(*s.cpu_seconds, 3.0);
  EXPECT_DOUBLE_EQ(*s.start_time_seconds, 1700000010.0);
  EXPECT_DOUBLE_EQ(*s.virtual_memory_bytes, 123456789.0);
  EXPECT_DOUBLE_EQ(*s.resident_memory_bytes, 300.0 * 4096);
}

TEST(process_metrics, live_process_has_every_figure) {
  auto s = metrics::read_process_sample();
  EXPECT_TRUE(s.cpu_seconds && s.resident_memory_bytes && s.virtual_memory_bytes && s.open_fds && s.max_fds
              && s.start_time_seconds);
  EXPECT_GT(*s.open_fds, 2.0);
  EXPECT_GT(*s.resident_memory_bytes, 1e5);
}

TEST(node_metrics, exposition_has_conventional_names_and_values) {
  metrics::node_metrics m{"n1"};
  order o;
  o.status = order_status::filled;
  m.on_order(o);
  risk_decision d;
  d.reason = deny_reason::max_notional;
  m.on_decision(d);
  account_snapshot s;
  s.equity = fixed::from_int<1000>();
  s.drawdown_pct = fixed::from_int<5>();
  m.on_snapshot(s);
  m.set_trading_state(scope_kind::node, "", trading_state::halted);
  m.observe_tick_to_order(0.002);
  auto text = m.serialize();
  for (const char* line :
       {"tradewind_orders_total{status=\"filled\"} 1", "tradewind_orders_total{status=\"rejected\"} 0",
        "tradewind_risk_denials_total{reason=\"max_notional\"} 1", "tradewind_risk_decisions_total{outcome=\"denied\"} 1",
        "tradewind_equity 1000", "tradewind_drawdown_ratio 0.05",
        "tradewind_trading_state{scope=\"node\",scope_id=\"\",state=\"halted\"} 1",
        "tradewind_trading_state{scope=\"node\",scope_id=\"\",state=\"active\"} 0",
        "tradewind_tick_to_order_latency_seconds_count 1", "tradewind_node_info{node=\"n1\"} 1",
        "# TYPE process_cpu_seconds_total counter", "# TYPE process_resident_memory_bytes gauge",
        "# TYPE process_open_fds gauge", "# TYPE process_max_fds gauge", "# TYPE process_start_time_seconds gauge",
        "# TYPE process_virtual_memory_bytes gauge"})
    EXPECT_NE(text.find(line), std::string::npos) << line;
}

TEST(node_metrics, serializes_the_node_registry_once_per_family) {
  auto registry = std::make_shared<metrics_registry>();
  registry->actors().probe("strategy:ma").record_sample(3'000, 2);
  registry->actors().probe("strategy:ma").count();
  store_metrics store{*registry, 500};
  store_metrics restarted{*registry, 500}; // a restarted store writer: same series
  store.set_queue_depth(7);
  restarted.commit_failed();
  amqp::publisher_metrics link{*registry, "amqp-out:signals", "signals"};
  link.connection().set_connected(true, true);
  metrics::node_metrics m{"n1", registry};
  auto text = m.serialize();
  for (const char* line :
       {"tradewind_actor_messages_handled_total{actor=\"strategy:ma\"} 1\n",
        "tradewind_actor_mailbox_depth{actor=\"strategy:ma\"} 2\n", "tradewind_store_queue_depth 7\n",
        "tradewind_store_queue_limit 500\n", "tradewind_store_commit_failures_total 1\n",
        "tradewind_store_records_written_total{kind=\"fill\"} 0\n", "tradewind_store_write_seconds_count 0\n",
        "tradewind_amqp_published_total{exchange=\"signals\"} 0\n", "tradewind_amqp_connected{link=\"amqp-out:signals\"} 1\n",
        "tradewind_amqp_reconnects_total{link=\"amqp-out:signals\"} 1\n", "tradewind_node_info{node=\"n1\"} 1\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line;
  for (const char* family : {"# TYPE tradewind_store_queue_depth gauge", "# TYPE tradewind_actor_handling_seconds histogram"}) {
    auto first = text.find(family);
    ASSERT_NE(first, std::string::npos) << family;
    EXPECT_EQ(text.find(family, first + 1), std::string::npos) << family << " twice";
  }
}

TEST(stream_queue, drops_the_oldest_when_full) {
  rest::bounded_queue q{2};
  auto ev = [](const char* s) { return std::make_shared<const std::string>(s); };
  EXPECT_EQ(q.push(ev("a")), 0u);
  EXPECT_EQ(q.push(ev("b")), 0u);
  EXPECT_EQ(q.push(ev("c")), 1u);
  EXPECT_EQ(q.dropped_total(), 1u);
  EXPECT_EQ(*q.pop(), "b");
  EXPECT_EQ(*q.pop(), "c");
  EXPECT_EQ(q.pop(), nullptr);
}
