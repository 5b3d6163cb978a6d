#include "bridge/rest/server.hpp"

#include <thread>
#include <vector>

#include "bridge/rest/session/sessions.hpp"

namespace tradewind::rest {

using namespace session;

std::string_view to_string(stream_topic t) {
  switch (t) {
    case stream_topic::ticks: return "ticks";
    case stream_topic::signals: return "signals";
    case stream_topic::orders: return "orders";
    case stream_topic::fills: return "fills";
    case stream_topic::positions: return "positions";
    case stream_topic::alerts: return "alerts";
    case stream_topic::risk_state: return "risk_state";
  }
  return "ticks";
}

std::optional<stream_topic> parse_stream_topic(std::string_view text) {
  for (auto t : all_stream_topics)
    if (text == to_string(t))
      return t;
  return std::nullopt;
}

struct http_server::impl {
  impl(server_options o, std::shared_ptr<api> h, std::shared_ptr<metrics::node_metrics> m)
    : sh(std::make_shared<shared>(shared{std::move(o), std::move(h), std::move(m), nullptr})),
      streams(std::make_shared<session_list>()),
      ioc(sh->opts.threads),
      acceptor(net::make_strand(ioc)) {}

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open())
        return;
      if (!ec && sh->tls)
        run_tls_session(std::move(socket), sh, streams);
      else if (!ec)
        std::make_shared<http_session<plain_stream>>(std::move(socket), sh, streams)->run();
      accept();
    });
  }

  std::shared_ptr<shared> sh;
  std::shared_ptr<session_list> streams;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool running = false;
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
  i.accept();
  i.running = true;
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
  net::post(i.acceptor.get_executor(), [&i] {
    beast::error_code ec;
    i.acceptor.close(ec);
  });
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
