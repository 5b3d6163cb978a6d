#pragma once
// The bridge server's connections, private to bridge/rest (server.cpp and session/tls.cpp):
// http_session and ws_session are templates over the plain TCP stream or the TLS stream, so
// both kinds run the same HTTP and WebSocket code. server.cpp instantiates the plain ones and
// owns the listener; session/tls.cpp instantiates the TLS ones, so the costly SSL
// instantiations compile in a TU of their own and the plain TU stays as it was.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "bridge/metrics/node_metrics.hpp"
#include "bridge/rest/api.hpp"
#include "bridge/rest/server.hpp"
#include "bridge/rest/stream_protocol.hpp"
#include "schemas/json/strict.hpp"

namespace tradewind::rest::session {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

inline constexpr const char* stream_path = "/api/v1/stream";

inline http_request to_request(const http::request<http::string_body>& req, const std::string& remote) {
  http_request out;
  out.method = std::string{req.method_string()};
  out.target = std::string{req.target()};
  out.authorization = std::string{req[http::field::authorization]};
  out.content_type = std::string{req[http::field::content_type]};
  out.body = req.body();
  out.remote = remote;
  return out;
}

inline std::shared_ptr<http::response<http::string_body>> to_beast(const http_response& r, unsigned version, bool keep_alive) {
  auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
  res->set(http::field::server, "tradewind");
  if (!r.content_type.empty())
    res->set(http::field::content_type, r.content_type);
  res->set(http::field::cache_control, "no-store");
  res->set("X-Content-Type-Options", "nosniff");
  for (const auto& [k, v] : r.headers)
    res->set(k, v);
  res->keep_alive(keep_alive);
  res->body() = r.body;
  res->prepare_payload();
  return res;
}

inline std::string remote_of(const tcp::socket& s) {
  boost::system::error_code ec;
  auto ep = s.remote_endpoint(ec);
  return ec ? std::string{"?"} : ep.address().to_string() + ":" + std::to_string(ep.port());
}

/// Shared by the listener, the sessions and publish().
struct shared {
  server_options opts;
  std::shared_ptr<api> handler;
  std::shared_ptr<metrics::node_metrics> metrics;
  std::unique_ptr<net::ssl::context> tls; ///< null = plain HTTP
  std::atomic<int64_t> connections{0};    ///< open HTTP + WebSocket connections (see connection_slot)
};

/// One of bridge.max_connections, held by a connection's session (HTTP, then WebSocket) for its
/// whole life; the count and the gauge follow.
class connection_slot {
public:
  explicit connection_slot(std::shared_ptr<shared> sh) : sh_(std::move(sh)) {
    auto n = ++sh_->connections;
    if (sh_->metrics)
      sh_->metrics->set_open_connections(n);
  }
  ~connection_slot() {
    auto n = --sh_->connections;
    if (sh_->metrics)
      sh_->metrics->set_open_connections(n);
  }
  connection_slot(const connection_slot&) = delete;
  connection_slot& operator=(const connection_slot&) = delete;

private:
  std::shared_ptr<shared> sh_;
};
using slot_ptr = std::shared_ptr<connection_slot>;

/// The TLS context of `opts`, or why it cannot be built (session/tls.cpp).
std::optional<std::string> make_tls_context(const server_options& opts, std::unique_ptr<net::ssl::context>& out);

/// The metric label of a failed TLS handshake: a small fixed set, never the peer's bytes.
const char* handshake_failure_reason(const beast::error_code& ec);

struct session_list;

/// Runs a TLS connection: handshake, then HTTP and WebSocket as on a plain one (session/tls.cpp).
void run_tls_session(tcp::socket&& socket, std::shared_ptr<shared> sh, std::shared_ptr<session_list> streams,
                     slot_ptr slot);

/// What publish() needs of a stream client, whether it came over plain TCP or TLS.
class stream_sink {
public:
  virtual ~stream_sink() = default;
  /// Queues `event` when the client subscribed to `topic`. Called from any thread.
  virtual void offer(stream_topic topic, const std::shared_ptr<const std::string>& event) = 0;
  virtual size_t queued() = 0;
  virtual void close() = 0;
  /// The API key the stream was opened with (re-checked for revocation by the server).
  virtual const std::string& key_id() const = 0;
  /// Stops delivering at once and closes with 1008 (policy violation) and `reason`; false when
  /// the stream was already closing.
  virtual bool close_for_policy(const char* reason) = 0;
};

/// One WebSocket client: its subscriptions and its bounded outgoing queue.
template <class Stream>
class ws_session : public stream_sink, public std::enable_shared_from_this<ws_session<Stream>> {
public:
  ws_session(Stream&& stream, std::shared_ptr<shared> sh, std::string key_id, slot_ptr slot)
    : ws_(std::move(stream)), sh_(std::move(sh)), queue_(sh_->opts.ws_queue_limit), key_id_(std::move(key_id)),
      slot_(std::move(slot)) {}

  void run(http::request<http::string_body> req) {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(static_cast<size_t>(sh_->opts.max_body_bytes)); // a bigger message closes with 1009
    ws_.async_accept(req, [self = this->shared_from_this()](beast::error_code ec) {
      if (!ec)
        self->read();
    });
  }

  void offer(stream_topic topic, const std::shared_ptr<const std::string>& event) override {
    size_t dropped = 0;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (closed_ || !topics_.count(topic))
        return;
      dropped = queue_.push(event);
      pending_drops_ += dropped;
    }
    if (sh_->metrics) {
      sh_->metrics->on_stream_sent(1);
      if (dropped)
        sh_->metrics->on_stream_dropped(static_cast<int64_t>(dropped));
    }
    kick();
  }

  size_t queued() override {
    std::lock_guard<std::mutex> guard{mtx_};
    return queue_.size();
  }

  void close() override {
    net::post(ws_.get_executor(), [self = this->shared_from_this()] {
      beast::error_code ec;
      beast::get_lowest_layer(self->ws_).socket().close(ec);
    });
  }

  const std::string& key_id() const override { return key_id_; }

  bool close_for_policy(const char* reason) override {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (closed_)
        return false;
      closed_ = true; // offer() and write_next() stop here: no event after this point
    }
    net::post(ws_.get_executor(), [self = this->shared_from_this(), reason] {
      // Bounded: a peer that never answers the close frame is cut off.
      beast::get_lowest_layer(self->ws_).expires_after(std::chrono::seconds(2));
      self->ws_.async_close(websocket::close_reason{websocket::close_code::policy_error, reason},
                            [self](beast::error_code) {
                              beast::error_code ec;
                              beast::get_lowest_layer(self->ws_).socket().close(ec);
                            });
    });
    return true;
  }

private:
  void kick() {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (writing_ || closed_)
        return;
      writing_ = true;
    }
    net::post(ws_.get_executor(), [self = this->shared_from_this()] { self->write_next(); });
  }

  void reply_text(std::string text) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      queue_.push(std::make_shared<const std::string>(std::move(text)));
    }
    kick();
  }

  void write_next() {
    std::shared_ptr<const std::string> next;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (pending_drops_ > 0) {
        // Tell the client how many events it missed before the next one it receives.
        next = std::make_shared<const std::string>(
          nlohmann::json{{"type", "dropped"}, {"count", pending_drops_}, {"total", queue_.dropped_total()}}.dump());
        pending_drops_ = 0;
      } else {
        next = queue_.pop();
      }
      if (!next || closed_) {
        writing_ = false;
        return;
      }
    }
    current_ = next;
    ws_.text(true);
    ws_.async_write(net::buffer(*current_), [self = this->shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        self->mark_closed();
        return;
      }
      self->write_next();
    });
  }

  void read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        self->mark_closed();
        return;
      }
      auto text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      self->on_message(text);
      self->read();
    });
  }

  void on_message(const std::string& text) {
    std::string answer;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      answer = apply_stream_message(text, topics_);
    }
    reply_text(std::move(answer));
  }

  void mark_closed() {
    std::lock_guard<std::mutex> guard{mtx_};
    closed_ = true;
    writing_ = false;
  }

  websocket::stream<Stream> ws_;
  std::shared_ptr<shared> sh_;
  beast::flat_buffer buffer_;
  std::mutex mtx_;
  std::set<stream_topic> topics_;
  bounded_queue queue_;
  uint64_t pending_drops_ = 0;
  bool writing_ = false;
  bool closed_ = false;
  std::shared_ptr<const std::string> current_; ///< kept alive during async_write
  std::string key_id_;
  slot_ptr slot_;
};

/// Registry of live stream sessions (publish() walks it from the actor's thread).
struct session_list {
  std::mutex mtx;
  std::vector<std::weak_ptr<stream_sink>> items;

  void add(const std::shared_ptr<stream_sink>& s) {
    std::lock_guard<std::mutex> guard{mtx};
    items.push_back(s);
  }

  std::vector<std::shared_ptr<stream_sink>> live() {
    std::lock_guard<std::mutex> guard{mtx};
    std::vector<std::shared_ptr<stream_sink>> out;
    std::vector<std::weak_ptr<stream_sink>> keep;
    for (auto& w : items)
      if (auto s = w.lock()) {
        out.push_back(s);
        keep.push_back(w);
      }
    items.swap(keep);
    return out;
  }
};

template <class Stream>
Stream make_stream(tcp::socket&& socket, shared& sh) {
  if constexpr (is_tls<Stream>)
    return Stream(std::move(socket), *sh.tls);
  else
    return Stream(std::move(socket));
}

/// One HTTP connection, plain or TLS: handshakes (TLS), reads requests (keep-alive), answers
/// through the api.
template <class Stream>
class http_session : public std::enable_shared_from_this<http_session<Stream>> {
public:
  http_session(tcp::socket&& socket, std::shared_ptr<shared> sh, std::shared_ptr<session_list> streams, slot_ptr slot)
    : remote_(remote_of(socket)), stream_(make_stream<Stream>(std::move(socket), *sh)), sh_(std::move(sh)),
      streams_(std::move(streams)), slot_(std::move(slot)) {}

  void run() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (is_tls<Stream>)
        self->handshake();
      else
        self->read();
    });
  }

private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  /// Bounded by request_timeout_ms: a client that connects and sends nothing cannot hold a slot.
  void handshake() {
    lowest().expires_after(std::chrono::milliseconds(sh_->opts.request_timeout_ms));
    stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
      if (ec)
        self->on_handshake_failed(ec);
      else
        self->read();
    });
  }

  void on_handshake_failed(const beast::error_code& ec) {
    const char* reason = handshake_failure_reason(ec);
    if (sh_->metrics)
      sh_->metrics->on_tls_handshake_failure(reason);
    if (sh_->opts.log)
      sh_->opts.log->debug("event=bridge_tls_handshake_failed remote={} reason={} detail=\"{}\"", remote_, reason,
                           ec.message());
    beast::error_code ignored;
    lowest().socket().close(ignored);
  }

  /// The header first, checked for RFC 9112 framing, then the body.
  void read() {
    parser_.emplace();
    parser_->body_limit(static_cast<uint64_t>(sh_->opts.max_body_bytes));
    lowest().expires_after(std::chrono::milliseconds(sh_->opts.request_timeout_ms));
    http::async_read_header(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->on_header(ec);
    });
  }

  void on_header(beast::error_code ec) {
    if (ec)
      return on_read(ec);
    if (auto why = framing_error(parser_->get())) {
      // The bytes after this header cannot be delimited safely: answer and close, read no more.
      auto r = problem(400, "bad-framing", "Bad request framing", why);
      sh_->handler->record("unmatched", std::string{parser_->get().method_string()}, 400, 0);
      write(to_beast(r, 11, false), false);
      return;
    }
    if (parser_->is_done())
      return on_read({});
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->on_read(ec);
    });
  }

  /// Why the message framing is refused (RFC 9112 §6): a Transfer-Encoding other than exactly
  /// "chunked", or Transfer-Encoding together with Content-Length. nullptr = acceptable.
  static const char* framing_error(const http::request<http::string_body>& h) {
    int te_fields = 0;
    std::string te;
    for (const auto& f : h) {
      if (f.name() != http::field::transfer_encoding)
        continue;
      ++te_fields;
      te += (te.empty() ? "" : ",") + std::string{f.value()};
    }
    if (te_fields == 0)
      return nullptr;
    if (h.find(http::field::content_length) != h.end())
      return "Transfer-Encoding and Content-Length together are not accepted";
    auto trimmed = te;
    trimmed.erase(0, trimmed.find_first_not_of(" \t"));
    trimmed.erase(trimmed.find_last_not_of(" \t") + 1);
    if (te_fields != 1 || !beast::iequals(trimmed, "chunked"))
      return "the only Transfer-Encoding accepted is 'chunked'";
    return nullptr;
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted
        || ec == net::ssl::error::stream_truncated) {
      close();
      return;
    }
    if (ec == http::error::body_limit) {
      auto& h = parser_->get();
      auto r = problem(413, "payload-too-large", "Payload too large",
                       "the request body exceeds bridge.max_body_bytes (" + std::to_string(sh_->opts.max_body_bytes)
                         + " bytes)");
      sh_->handler->record("oversized", std::string{h.method_string()}, 413, 0);
      write(to_beast(r, h.version(), false), false);
      return;
    }
    if (ec) {
      auto r = problem(400, "bad-request", "Bad request", "the request could not be parsed: " + ec.message());
      write(to_beast(r, 11, false), false);
      return;
    }
    auto req = parser_->release();
    lowest().expires_never();
    if (websocket::is_upgrade(req)) {
      upgrade(std::move(req));
      return;
    }
    auto response = sh_->handler->handle(to_request(req, remote_));
    bool keep = req.keep_alive();
    write(to_beast(response, req.version(), keep), keep);
  }

  void upgrade(http::request<http::string_body> req) {
    auto target = parse_target(std::string{req.target()});
    auto start = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    if (target.path != stream_path) {
      auto r = problem(404, "not-found", "Not found", "WebSocket upgrades are served on /api/v1/stream only");
      sh_->handler->record("unmatched", "GET", 404, seconds());
      write(to_beast(r, req.version(), false), false);
      return;
    }
    std::string key_id;
    if (auto denied = sh_->handler->authorize(to_request(req, remote_), access::read, &key_id)) {
      sh_->handler->record(stream_path, "GET", denied->status, seconds());
      write(to_beast(*denied, req.version(), false), false);
      return;
    }
    sh_->handler->record(stream_path, "GET", 101, seconds());
    auto session = std::make_shared<ws_session<Stream>>(std::move(stream_), sh_, key_id, slot_);
    streams_->add(session);
    if (sh_->metrics)
      sh_->metrics->set_stream_clients(static_cast<int64_t>(streams_->live().size()));
    session->run(std::move(req));
  }

  void write(std::shared_ptr<http::response<http::string_body>> res, bool keep_alive) {
    http::async_write(stream_, *res, [self = this->shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
      if (ec || !keep_alive) {
        self->close();
        return;
      }
      self->read();
    });
  }

  void close() {
    if constexpr (is_tls<Stream>) {
      // close_notify, bounded: the peer may never answer it.
      lowest().expires_after(std::chrono::milliseconds(sh_->opts.request_timeout_ms));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ec;
        self->lowest().socket().close(ec);
      });
    } else {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  std::string remote_;
  Stream stream_;
  std::shared_ptr<shared> sh_;
  std::shared_ptr<session_list> streams_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  slot_ptr slot_;
};

} // namespace tradewind::rest::session
