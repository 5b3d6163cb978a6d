#pragma once
// The bridge's HTTP/1.1 + WebSocket server (Boost.Beast, kept inside server.cpp), optionally
// over TLS (HTTPS + WSS on the same port, OpenSSL). It runs on its own I/O threads, never on
// the CAF scheduler: requests go to rest::api, stream events come in through publish().

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "bridge/rest/stream_queue.hpp"

namespace spdlog {
class logger;
} // namespace spdlog

namespace tradewind::metrics {
class node_metrics;
} // namespace tradewind::metrics

namespace tradewind::rest {

class api;

struct server_options {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;               ///< 0 = ephemeral
  int64_t max_body_bytes = 65'536;    ///< larger bodies → 413
  int64_t request_timeout_ms = 10'000; ///< per request read; idle keep-alive connections close after it
  size_t ws_queue_limit = 1'000;      ///< per client, drop-oldest
  int64_t max_connections = 256;      ///< open HTTP + WebSocket connections; more get 503 and close
  int threads = 2;                    ///< I/O threads
  std::string tls_cert_file;          ///< PEM chain; set with tls_key_file to serve HTTPS/WSS only
  std::string tls_key_file;           ///< PEM private key of the chain's leaf
  std::string tls_min_version = "1.2"; ///< 1.2|1.3
  std::shared_ptr<spdlog::logger> log; ///< TLS handshake failures, at debug; may be null
};

class http_server {
public:
  http_server(server_options opts, std::shared_ptr<api> handler, std::shared_ptr<metrics::node_metrics> metrics);
  /// Stops and joins the I/O threads.
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Loads the TLS files (if any), binds, listens and starts the I/O threads. Returns an error
  /// message on failure.
  std::optional<std::string> start();
  /// The bound port (after a successful start).
  uint16_t port() const;
  /// Closes the listener and every connection, then joins the threads. Idempotent.
  void stop();

  /// Queues `event` (a JSON text) for every stream client subscribed to `topic`. Never
  /// blocks on I/O: called from the bridge actor.
  void publish(stream_topic topic, std::shared_ptr<const std::string> event);

  /// Connected stream clients.
  size_t stream_clients() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tradewind::rest
