#pragma once
// Integration-test support: the test broker from scripts/test.sh, a fresh vhost per test,
// and the cluster topology of the AMQP tests (tests/amqp/README.md).

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "topology/management_client.hpp"

namespace tradewind::amqp_test {

inline std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

/// The cluster topology: collector, strategy-1 (symbol shard 0: BTCUSDT), strategy-2 (shard 1:
/// SOLUSDT), trading (risk, executor, portfolio, store, notifier), with dead-lettering. Market
/// data travels as MessagePack (the other routes as JSON), strategy nodes consume streams.
/// `audit_queue`: also a classic queue `audit.market_data` that takes all market data and
/// that no node consumes (a classic queue keeps only persistent messages across a broker
/// restart).
inline std::string cluster_topology(const std::string& vhost, const std::string& config, bool audit_queue = false) {
  std::string audit_decl = audit_queue ? "  - {name: audit.market_data, type: classic}\n" : "";
  std::string audit_binding =
    audit_queue ? "  - {exchange: market_data, queue: audit.market_data, routing_key: \"md.*\"}\n" : "";
  return "version: 1\nvhost: " + vhost + R"(
exchanges:
  - {name: market_data, type: topic}
  - {name: signals, type: topic}
  - {name: orders, type: topic}
  - {name: risk, type: topic}
  - {name: system, type: topic}
  - {name: dlx, type: topic}
routes:
  - {topic: market_data, exchange: market_data, routing_key: "md.{shard}", shards: 2, encoding: msgpack}
  - {topic: signals, exchange: signals, routing_key: "signals.{node}"}
  - {topic: orders, exchange: orders, routing_key: "orders.{type}"}
  - {topic: executions, exchange: orders, routing_key: "executions.{type}"}
  - {topic: account, exchange: risk, routing_key: "account.{type}"}
  - {topic: alerts, exchange: system, routing_key: "alerts.{node}"}
  - {topic: control, exchange: system, routing_key: "control.{node}"}
nodes:
  - name: collector
    config: )" + config + R"(
    actors: [{kind: collector}]
  - name: strategy-1
    config: )" + config + R"(
    actors: [{kind: strategy, strategies: [ma-10-30, ma-5-20]}]
  - name: strategy-2
    config: )" + config + R"(
    actors: [{kind: strategy, strategies: [ma-10-30, ma-5-20]}]
  - name: trading
    config: )" + config + R"(
    actors: [{kind: risk}, {kind: executor}, {kind: portfolio}, {kind: store}, {kind: notifier}]
queues:
  - {name: strategy-1.market_data, node: strategy-1, topic: market_data, type: stream, max_age: 1D, dead_letter_exchange: dlx}
  - {name: strategy-2.market_data, node: strategy-2, topic: market_data, type: stream, max_age: 1D, dead_letter_exchange: dlx}
  - {name: trading.market_data, node: trading, topic: market_data, type: quorum, delivery_limit: 5, dead_letter_exchange: dlx}
  - {name: trading.signals, node: trading, topic: signals, type: quorum, delivery_limit: 5, dead_letter_exchange: dlx}
  - {name: trading.control, node: trading, topic: control, type: quorum, delivery_limit: 5, dead_letter_exchange: dlx}
  - {name: strategy-1.control, node: strategy-1, topic: control, type: quorum, delivery_limit: 5, dead_letter_exchange: dlx}
  - {name: strategy-2.control, node: strategy-2, topic: control, type: quorum, delivery_limit: 5, dead_letter_exchange: dlx}
  - {name: trading.alerts, node: trading, topic: alerts, dead_letter_exchange: dlx, max_length: 100000}
  - {name: collector.account, node: collector, topic: account, type: quorum, delivery_limit: 5, dead_letter_exchange: dlx}
  - {name: dead_letters, type: quorum}
)" + audit_decl + R"(bindings:
  - {exchange: market_data, queue: strategy-1.market_data, routing_key: md.0}
  - {exchange: market_data, queue: strategy-1.market_data, routing_key: md.all}
  - {exchange: market_data, queue: strategy-2.market_data, routing_key: md.1}
  - {exchange: market_data, queue: strategy-2.market_data, routing_key: md.all}
  - {exchange: market_data, queue: trading.market_data, routing_key: "md.*"}
  - {exchange: signals, queue: trading.signals, routing_key: "signals.*"}
  - {exchange: system, queue: trading.control, routing_key: "control.*"}
  - {exchange: system, queue: strategy-1.control, routing_key: "control.*"}
  - {exchange: system, queue: strategy-2.control, routing_key: "control.*"}
  - {exchange: system, queue: trading.alerts, routing_key: "alerts.*"}
  - {exchange: risk, queue: collector.account, routing_key: "account.*"}
  - {exchange: dlx, queue: dead_letters, routing_key: "#"}
)" + audit_binding;
}

/// The candle files of a cluster run: BTCUSDT (symbol shard 0) and SOLUSDT (shard 1).
struct cluster_feeds {
  std::string btc = std::string(TW_SOURCE_DIR) + "/data/sample-btcusdt-5m.csv";
  std::string sol = std::string(TW_SOURCE_DIR) + "/data/sample-solusdt-5m.csv";
};

/// The node config of the AMQP tests: two symbols (the samples by default), two strategies on
/// every symbol, risk limits that do not bind (or `risk`, a flow map of risk.* keys), the store
/// at `db`; `speed` paces the replay (collector.speed, "0" = full speed).
inline std::string cluster_config(const std::string& db, const std::string& amqp_url,
                                  const cluster_feeds& feeds = {}, const std::string& speed = "0",
                                  const std::string& risk = "{max_orders_per_window: 1000}") {
  return "node: {name: single, threads: 2}\nlog: {level: info}\ncollector:\n  mode: replay\n  speed: " + speed
         + "\n  feeds:\n"
         "    - {symbol: BTCUSDT, path: " + feeds.btc + "}\n"
         "    - {symbol: SOLUSDT, path: " + feeds.sol + "}\n"
         "strategies:\n"
         "  - {id: ma-10-30, fast: 10, slow: 30, order_notional: 1000, qty_step: 0.001}\n"
         "  - {id: ma-5-20, fast: 5, slow: 20, order_notional: 500, qty_step: 0.001}\n"
         "risk: " + risk + "\n"
         "store: {url: \"sqlite:" + db + "\"}\n"
         "amqp: {url: \"" + amqp_url + "\", heartbeat_s: 5, reconnect_initial_ms: 100, reconnect_max_ms: 1000}\n";
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

/// A fresh vhost (created through the management API, deleted afterwards) and a temp dir.
class broker_fixture : public testing::Test {
protected:
  void SetUp() override {
    amqp_url_ = env("TW_TEST_AMQP_URL");
    mgmt_url_ = env("TW_TEST_RMQ_MGMT_URL");
    if (amqp_url_.empty() || mgmt_url_.empty())
      GTEST_SKIP() << "no test broker: TW_TEST_AMQP_URL and TW_TEST_RMQ_MGMT_URL are set by scripts/test.sh";
    static std::atomic<int> counter{0};
    vhost_ = "tw-amqp-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    dir_ = std::filesystem::temp_directory_path() / vhost_;
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    client_ = std::make_unique<topology::management_client>(mgmt_url_);
    client_->delete_vhost(vhost_);
    ASSERT_EQ(client_->create_vhost(vhost_), "");
  }

  void TearDown() override {
    if (client_) {
      EXPECT_EQ(client_->delete_vhost(vhost_), "");
    }
    if (!dir_.empty() && !HasFailure())
      std::filesystem::remove_all(dir_);
  }

  std::string amqp_url_, mgmt_url_, vhost_;
  std::filesystem::path dir_;
  std::unique_ptr<topology::management_client> client_;
};

} // namespace tradewind::amqp_test
