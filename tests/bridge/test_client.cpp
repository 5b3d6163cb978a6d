#include "test_client.hpp"

#include "ws_read.hpp"

#include <chrono>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace tradewind::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

reply http_call(uint16_t port, const std::string& method, const std::string& target, const std::string& token,
                const std::string& body, const std::string& content_type) {
  reply out;
  try {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(20));
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!token.empty())
      req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
      req.set(http::field::content_type, content_type);
      req.body() = body;
    }
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buf, parser);
    auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
      std::string name{f.name_string()};
      for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string{f.value()};
    }
    out.body = res.body();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

std::string raw_exchange(uint16_t port, const std::string& bytes, int64_t timeout_ms) {
  return raw_exchange_until(port, bytes, "", timeout_ms);
}

std::string raw_exchange_until(uint16_t port, const std::string& bytes, const std::string& until, int64_t timeout_ms) {
  net::io_context ioc;
  tcp::socket sock(ioc);
  sock.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  net::write(sock, net::buffer(bytes));
  std::string out;
  std::array<char, 4096> buf{};
  std::function<void()> read_more = [&] {
    sock.async_read_some(net::buffer(buf), [&](beast::error_code ec, size_t n) {
      out.append(buf.data(), n);
      if (!until.empty() && out.find(until) != std::string::npos) {
        ioc.stop();
        return;
      }
      if (!ec)
        read_more();
    });
  };
  read_more();
  ioc.run_for(std::chrono::milliseconds(timeout_ms));
  return out;
}

struct ws_client::impl {
  net::io_context ioc;
  std::optional<websocket::stream<beast::tcp_stream>> ws;
  beast::flat_buffer buf;
};

ws_client::ws_client() : impl_(std::make_unique<impl>()) {}
ws_client::~ws_client() {
  if (impl_->ws) {
    beast::error_code ec;
    impl_->ws->next_layer().socket().close(ec);
  }
}

int ws_client::connect(uint16_t port, const std::string& target, const std::string& token) {
  impl_->ws.emplace(impl_->ioc);
  auto& ws = *impl_->ws;
  ws.next_layer().expires_after(std::chrono::seconds(10));
  ws.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  websocket::response_type res;
  beast::error_code ec;
  ws.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
    if (!token.empty())
      req.set(http::field::authorization, "Bearer " + token);
  }));
  ws.handshake(res, "127.0.0.1", target, ec);
  ws.next_layer().expires_never();
  if (ec)
    return static_cast<int>(res.result_int());
  return 101;
}

void ws_client::send(const std::string& text) {
  impl_->ws->text(true);
  impl_->ws->write(net::buffer(text));
}

std::optional<std::string> ws_client::read(int64_t timeout_ms) {
  return read_message(*impl_->ws, impl_->buf, impl_->ioc, timeout_ms);
}

int ws_client::close_code() const {
  return static_cast<int>(impl_->ws->reason().code);
}

std::string ws_client::close_reason() const {
  return std::string{impl_->ws->reason().reason.c_str()};
}

} // namespace tradewind::test
