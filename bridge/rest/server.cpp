#include "bridge/rest/server.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <thread>
#include <vector>

#include "bridge/rest/session/sessions.hpp"

namespace tradewind::rest {

using namespace session;

namespace {

/// Answers a connection over bridge.max_connections with a 503 and closes it. The request is
/// drained (bounded) after the answer so the close does not reset the connection under it.
class refusal : public std::enable_shared_from_this<refusal> {
public:
  explicit refusal(tcp::socket&& socket) : stream_(std::move(socket)) {}

  void run() {
    static const std::string body =
      R"({"type":"https://tradewind.dev/problems/too-many-connections","title":"Too many connections",)"
      R"("status":503,"detail":"the bridge holds bridge.max_connections connections; retry later"})";
    static const std::string answer =
      "HTTP/1.1 503 Service Unavailable\r\nServer: tradewind\r\nContent-Type: application/problem+json\r\n"
      "Retry-After: 1\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    stream_.expires_after(std::chrono::seconds(1));
    net::async_write(stream_, net::buffer(answer), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec)
        return;
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      self->drain();
    });
  }

private:
  void drain() {
    stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (!ec && ++self->reads_ < 16)
        self->drain();
    });
  }

  beast::tcp_stream stream_;
  std::array<char, 4096> scratch_{};
  int reads_ = 0;
};

/// An accept failure that more attempts cannot fix right now (descriptors or memory).
const char* resource_error(const beast::error_code& ec) {
  if (ec == net::error::no_descriptors)
    return "emfile";
  if (ec.value() == ENFILE && ec.category() == boost::system::system_category())
    return "enfile";
  if (ec == net::error::no_buffer_space || ec == net::error::no_memory)
    return "no_memory";
  return nullptr;
}

} // namespace

struct http_server::impl {
  impl(server_options o, std::shared_ptr<api> h, std::shared_ptr<metrics::node_metrics> m)
    : sh(std::make_shared<shared>()),
      streams(std::make_shared<session_list>()),
      ioc(o.threads),
      acceptor(net::make_strand(ioc)),
      backoff(acceptor.get_executor()),
      key_timer(net::make_strand(ioc)) {
    sh->opts = std::move(o);
    sh->handler = std::move(h);
    sh->metrics = std::move(m);
  }

  ~impl() {
    if (reserve_fd >= 0)
      ::close(reserve_fd);
  }

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open())
        return;
      if (ec)
        return on_accept_error(ec);
      backoff_ms = 0;
      if (sh->connections.load() >= sh->opts.max_connections) {
        if (sh->metrics)
          sh->metrics->on_connection_refused("at_capacity");
        if (sh->tls) {
          beast::error_code ignored;
          socket.close(ignored); // no plain-text answer on a TLS port
        } else {
          std::make_shared<refusal>(std::move(socket))->run();
        }
      } else {
        auto slot = std::make_shared<connection_slot>(sh);
        if (sh->tls)
          run_tls_session(std::move(socket), sh, streams, std::move(slot));
        else
          std::make_shared<http_session<plain_stream>>(std::move(socket), sh, streams, std::move(slot))->run();
      }
      accept();
    });
  }

  /// Out of descriptors, the listening socket stays readable: retrying at once spins. Free the
  /// reserve descriptor to take one pending connection off the queue and close it (the client
  /// learns at once instead of hanging), then wait before the next accept (50 ms doubling to 1 s).
  void on_accept_error(const beast::error_code& ec) {
    const char* reason = resource_error(ec);
    if (sh->metrics)
      sh->metrics->on_accept_error(reason ? reason : "other");
    if (reason && reserve_fd >= 0) {
      ::close(reserve_fd);
      reserve_fd = -1;
      int fd = ::accept4(acceptor.native_handle(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd >= 0) {
        ::close(fd);
        if (sh->metrics)
          sh->metrics->on_connection_refused("fd_exhausted");
      }
      reserve_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    backoff_ms = std::clamp<int64_t>(backoff_ms * 2, 50, 1'000);
    if (sh->opts.log)
      sh->opts.log->warn("event=bridge_accept_failed reason={} detail=\"{}\" retry_in_ms={} open_connections={}",
                         reason ? reason : "other", ec.message(), backoff_ms, sh->connections.load());
    backoff.expires_after(std::chrono::milliseconds(backoff_ms));
    backoff.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec && acceptor.is_open())
        accept();
    });
  }

  /// Re-checks the key of every open stream; a revoked or removed key's streams close with 1008.
  void check_keys() {
    key_timer.expires_after(std::chrono::milliseconds(key_check_ms));
    key_timer.async_wait([this](beast::error_code ec) {
      if (ec || !running_flag.load())
        return;
      for (auto& s : streams->live())
        if (!sh->handler->key_active(s->key_id()) && s->close_for_policy("api key revoked") && sh->metrics)
          sh->metrics->on_stream_closed("key_revoked");
      check_keys();
    });
  }

  static constexpr int64_t key_check_ms = 250;

  std::shared_ptr<shared> sh;
  std::shared_ptr<session_list> streams;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::steady_timer backoff;
  net::steady_timer key_timer;
  int64_t backoff_ms = 0;
  int reserve_fd = -1;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool running = false;
  std::atomic<bool> running_flag{false};
};

http_server::http_server(server_options opts, std::shared_ptr<api> handler,
                         std::shared_ptr<metrics::node_metrics> metrics)
  : impl_(std::make_unique<impl>(std::move(opts), std::move(handler), std::move(metrics))) {
  // nop
}

http_server::~http_server() {
  stop();
}

std::optional<std::string> http_server::start() {
  auto& i = *impl_;
  if (!i.sh->opts.tls_cert_file.empty())
    if (auto err = make_tls_context(i.sh->opts, i.sh->tls))
      return err;
  beast::error_code ec;
  auto address = net::ip::make_address(i.sh->opts.address, ec);
  if (ec)
    return "invalid listen address " + i.sh->opts.address + ": " + ec.message();
  tcp::endpoint ep{address, i.sh->opts.port};
  i.acceptor.open(ep.protocol(), ec);
  if (!ec)
    i.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    i.acceptor.bind(ep, ec);
  if (!ec)
    i.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return "cannot listen on " + i.sh->opts.address + ":" + std::to_string(i.sh->opts.port) + ": " + ec.message();
  i.port = i.acceptor.local_endpoint().port();
  i.reserve_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  i.running = true;
  i.running_flag = true;
  i.accept();
  i.check_keys();
  for (int n = 0; n < std::max(1, i.sh->opts.threads); ++n)
    i.threads.emplace_back([&i] { i.ioc.run(); });
  return std::nullopt;
}

uint16_t http_server::port() const {
  return impl_->port;
}

void http_server::stop() {
  auto& i = *impl_;
  if (!i.running)
    return;
  i.running = false;
  i.running_flag = false;
  net::post(i.acceptor.get_executor(), [&i] {
    beast::error_code ec;
    i.acceptor.close(ec);
    i.backoff.cancel();
  });
  net::post(i.key_timer.get_executor(), [&i] { i.key_timer.cancel(); });
  for (auto& s : i.streams->live())
    s->close();
  i.ioc.stop();
  for (auto& t : i.threads)
    if (t.joinable())
      t.join();
  i.threads.clear();
}

void http_server::publish(stream_topic topic, std::shared_ptr<const std::string> event) {
  auto sessions = impl_->streams->live();
  int64_t depth = 0;
  for (auto& s : sessions) {
    s->offer(topic, event);
    depth += static_cast<int64_t>(s->queued());
  }
  if (impl_->sh->metrics) {
    impl_->sh->metrics->set_stream_clients(static_cast<int64_t>(sessions.size()));
    impl_->sh->metrics->set_stream_queue_depth(depth);
  }
}

size_t http_server::stream_clients() const {
  return impl_->streams->live().size();
}

} // namespace tradewind::rest
