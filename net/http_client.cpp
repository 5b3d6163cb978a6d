#include "net/http_client.hpp"

#include "net/redact.hpp"

#include <chrono>
#include <exception>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace tradewind::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::optional<url_parts> parse_url(std::string_view url, std::string* error) {
  auto fail = [&](std::string msg) -> std::optional<url_parts> {
    if (error)
      *error = "invalid url '" + redact_url(url) + "': " + std::move(msg);
    return std::nullopt;
  };
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme)
    return fail("only http:// is supported");
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  url_parts out;
  if (slash != std::string_view::npos)
    out.target = std::string{rest.substr(slash)};
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    auto port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string{port}) > 65535)
      return fail("bad port '" + std::string{port} + "'");
    out.port = std::string{port};
    authority = authority.substr(0, colon);
  }
  if (authority.empty())
    return fail("no host");
  out.host = std::string{authority};
  return out;
}

namespace {

response transport_error(std::string msg) {
  response r;
  r.error = std::move(msg);
  return r;
}

/// Runs connect, write and read as asynchronous operations on a private io_context so the
/// stream's single deadline bounds all three; the caller still blocks until they finish.
response exchange(const request& req, const url_parts& url) {
  asio::io_context ioc;
  beast::error_code ec;
  tcp::resolver resolver{ioc};
  auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (ec)
    return transport_error("resolve " + url.host + ":" + url.port + ": " + ec.message());

  auto verb = bhttp::string_to_verb(req.method);
  if (verb == bhttp::verb::unknown)
    return transport_error("unknown method '" + req.method + "'");
  bhttp::request<bhttp::string_body> out{verb, url.target, 11};
  out.set(bhttp::field::host, url.port == "80" ? url.host : url.host + ":" + url.port);
  out.set(bhttp::field::user_agent, "tradewind");
  out.set(bhttp::field::connection, "close");
  if (!req.content_type.empty())
    out.set(bhttp::field::content_type, req.content_type);
  for (const auto& [name, value] : req.headers)
    out.set(name, value);
  out.body() = req.body;
  out.prepare_payload();

  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> in;
  const char* stage = "connecting";
  beast::error_code result;
  stream.expires_after(std::chrono::milliseconds{req.timeout_ms});
  stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    if ((result = e))
      return;
    stage = "writing";
    bhttp::async_write(stream, out, [&](beast::error_code e, size_t) {
      if ((result = e))
        return;
      stage = "reading";
      bhttp::async_read(stream, buffer, in, [&](beast::error_code e, size_t) { result = e; });
    });
  });
  ioc.run();
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);

  auto where = url.host + ":" + url.port;
  if (result == beast::error::timeout)
    return transport_error("timeout after " + std::to_string(req.timeout_ms) + " ms while " +
                           stage + " " + where);
  if (result)
    return transport_error(std::string{stage} + " " + where + ": " + result.message());
  response r;
  r.status = static_cast<int>(in.result_int());
  r.body = std::move(in.body());
  return r;
}

} // namespace

response send(const request& req) {
  std::string error;
  auto url = parse_url(req.url, &error);
  if (!url)
    return transport_error(error);
  try {
    return exchange(req, *url);
  } catch (const std::exception& e) { // Beast/Asio edge: errors become values
    return transport_error(std::string{"http client: "} + e.what());
  }
}

response post_json(const std::string& url, std::string body, int64_t timeout_ms) {
  request req;
  req.url = url;
  req.content_type = "application/json";
  req.body = std::move(body);
  req.timeout_ms = timeout_ms;
  return send(req);
}

} // namespace tradewind::http
