#pragma once
// Minimal blocking HTTP and WebSocket clients for the bridge tests (Beast stays in the .cpp).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace tradewind::test {

struct reply {
  int status = 0;                            ///< 0 when the transport failed
  std::map<std::string, std::string> headers; ///< lower-case names
  std::string body;
  std::string error;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

/// One request on a fresh connection to 127.0.0.1:port.
reply http_call(uint16_t port, const std::string& method, const std::string& target, const std::string& token = "",
                const std::string& body = "", const std::string& content_type = "application/json");

/// Sends raw bytes and returns everything read until the peer closes or `timeout_ms` passes.
std::string raw_exchange(uint16_t port, const std::string& bytes, int64_t timeout_ms);

/// Like raw_exchange, but stops as soon as what was read contains `until` (e.g. the end of a
/// response header on a connection that stays open); `timeout_ms` is only the overall deadline.
std::string raw_exchange_until(uint16_t port, const std::string& bytes, const std::string& until, int64_t timeout_ms);

/// A WebSocket client of /api/v1/stream.
class ws_client {
public:
  ws_client();
  ~ws_client();
  /// Connects and upgrades `target`; returns the HTTP status on refusal, 101 on success.
  int connect(uint16_t port, const std::string& target, const std::string& token = "");
  void send(const std::string& text);
  /// The next text message, or nullopt after `timeout_ms`.
  std::optional<std::string> read(int64_t timeout_ms);
  /// After read() returned nullopt because the server closed the stream: its close code (1008 =
  /// policy violation, ...) and reason; 0 and "" when no close frame came.
  int close_code() const;
  std::string close_reason() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tradewind::test
