#include "tls_client.hpp"

#include "ws_read.hpp"

#include <chrono>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/ssl.h>

namespace tradewind::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

namespace {

ssl::context make_context(const tls_client_options& opts) {
  ssl::context ctx{ssl::context::tls_client};
  ctx.load_verify_file(opts.ca_file);
  ctx.set_verify_mode(ssl::verify_peer);
  if (opts.max_tls12)
    SSL_CTX_set_max_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  return ctx;
}

/// Connects and completes the TLS handshake, verifying the server as 127.0.0.1.
void open(tls_stream& stream, uint16_t port) {
  stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(20));
  beast::get_lowest_layer(stream).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  stream.handshake(ssl::stream_base::client);
}

} // namespace

reply https_call(uint16_t port, const tls_client_options& tls, const std::string& method, const std::string& target,
                 const std::string& token) {
  reply out;
  try {
    net::io_context ioc;
    auto ctx = make_context(tls);
    tls_stream stream(ioc, ctx);
    open(stream, port);
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!token.empty())
      req.set(http::field::authorization, "Bearer " + token);
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buf, parser);
    out.status = static_cast<int>(parser.get().result_int());
    for (const auto& f : parser.get()) {
      std::string name{f.name_string()};
      for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string{f.value()};
    }
    out.body = parser.get().body();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

struct wss_client::impl {
  net::io_context ioc;
  std::optional<ssl::context> ctx;
  std::optional<websocket::stream<tls_stream>> ws;
  beast::flat_buffer buf;
};

wss_client::wss_client() : impl_(std::make_unique<impl>()) {}

wss_client::~wss_client() {
  if (impl_->ws) {
    beast::error_code ec;
    beast::get_lowest_layer(*impl_->ws).socket().close(ec);
  }
}

int wss_client::connect(uint16_t port, const tls_client_options& tls, const std::string& target) {
  impl_->ctx.emplace(make_context(tls));
  impl_->ws.emplace(impl_->ioc, *impl_->ctx);
  auto& ws = *impl_->ws;
  try {
    open(ws.next_layer(), port);
  } catch (const std::exception&) {
    return 0;
  }
  websocket::response_type res;
  beast::error_code ec;
  ws.handshake(res, "127.0.0.1", target, ec);
  beast::get_lowest_layer(ws).expires_never();
  return ec ? static_cast<int>(res.result_int()) : 101;
}

void wss_client::send(const std::string& text) {
  impl_->ws->text(true);
  impl_->ws->write(net::buffer(text));
}

std::optional<std::string> wss_client::read(int64_t timeout_ms) {
  return read_message(*impl_->ws, impl_->buf, impl_->ioc, timeout_ms);
}

} // namespace tradewind::test
