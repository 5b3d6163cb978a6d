#include "bridge/rest/session/sessions.hpp"

#include <boost/beast/websocket/ssl.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace tradewind::rest::session {

// The loader checked the files already; this catches files changed since.
std::optional<std::string> make_tls_context(const server_options& opts, std::unique_ptr<net::ssl::context>& out) {
  auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2
                   | net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1
                   | net::ssl::context::single_dh_use);
  SSL_CTX_set_options(ctx->native_handle(), SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), opts.tls_min_version == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION);
  // An encrypted key must fail to load, never wait for a passphrase on the terminal.
  ctx->set_password_callback([](size_t, net::ssl::context::password_purpose) { return std::string{}; });
  beast::error_code ec;
  ctx->use_certificate_chain_file(opts.tls_cert_file, ec);
  if (ec)
    return "cannot load bridge.tls.cert_file: " + ec.message();
  ctx->use_private_key_file(opts.tls_key_file, net::ssl::context::pem, ec);
  if (ec)
    return "cannot load bridge.tls.key_file: " + ec.message();
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    ERR_clear_error();
    return "bridge.tls.key_file does not match bridge.tls.cert_file";
  }
  out = std::move(ctx);
  return std::nullopt;
}

const char* handshake_failure_reason(const beast::error_code& ec) {
  if (ec == beast::error::timeout)
    return "timeout";
  if (ec == net::error::eof || ec == net::ssl::error::stream_truncated || ec == net::error::connection_reset)
    return "closed";
  if (ec.category() != net::error::get_ssl_category())
    return "other";
  switch (ERR_GET_REASON(static_cast<unsigned long>(ec.value()))) {
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST: return "plain_http";
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_UNKNOWN_PROTOCOL: return "not_tls";
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_VERSION_TOO_LOW:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION: return "protocol_version";
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA: return "bad_certificate";
    default: return "other";
  }
}

void run_tls_session(tcp::socket&& socket, std::shared_ptr<shared> sh, std::shared_ptr<session_list> streams,
                     slot_ptr slot) {
  std::make_shared<http_session<tls_stream>>(std::move(socket), std::move(sh), std::move(streams), std::move(slot))
    ->run();
}

} // namespace tradewind::rest::session
