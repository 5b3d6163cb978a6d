#pragma once
// The next text message of a Beast WebSocket stream (plain or TLS), waiting at most a time.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>

namespace tradewind::test {

/// The next message of `ws`, or nullopt after `timeout_ms`; the pending read is then cancelled
/// and `ws` is unusable.
template <class WebSocket>
std::optional<std::string> read_message(WebSocket& ws, boost::beast::flat_buffer& buf, boost::asio::io_context& ioc,
                                        int64_t timeout_ms) {
  std::optional<std::string> out;
  bool done = false;
  ws.async_read(buf, [&](boost::beast::error_code ec, size_t) {
    done = true;
    if (!ec) {
      out = boost::beast::buffers_to_string(buf.data());
      buf.consume(buf.size());
    }
  });
  ioc.restart();
  ioc.run_for(std::chrono::milliseconds(timeout_ms));
  if (!done) {
    boost::beast::error_code ec;
    boost::beast::get_lowest_layer(ws).socket().cancel(ec);
    ioc.restart();
    ioc.run_for(std::chrono::milliseconds(100));
    return std::nullopt;
  }
  return out;
}

} // namespace tradewind::test
