#pragma once
// Blocking HTTPS and WSS clients for the bridge's TLS tests (Beast and OpenSSL stay in the .cpp,
// the only TLS client TU).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "test_client.hpp"

namespace tradewind::test {

/// How the client verifies the server: against `ca_file` only, with the host name 127.0.0.1.
struct tls_client_options {
  std::string ca_file;      ///< PEM certificate(s) trusted; the server's chain must verify against them
  bool max_tls12 = false;   ///< offer TLS 1.2 at most (to test bridge.tls.min_version: '1.3')
};

/// One HTTPS request on a fresh connection to 127.0.0.1:port; status 0 and `error` set when
/// the connection or the handshake failed (e.g. "certificate verify failed").
reply https_call(uint16_t port, const tls_client_options& tls, const std::string& method, const std::string& target,
                 const std::string& token = "");

/// A WebSocket client of /api/v1/stream over TLS.
class wss_client {
public:
  wss_client();
  ~wss_client();
  /// Handshakes TLS and upgrades `target`; the HTTP status on refusal, 101 on success, 0 when
  /// TLS failed.
  int connect(uint16_t port, const tls_client_options& tls, const std::string& target);
  void send(const std::string& text);
  /// The next text message, or nullopt after `timeout_ms`.
  std::optional<std::string> read(int64_t timeout_ms);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tradewind::test
