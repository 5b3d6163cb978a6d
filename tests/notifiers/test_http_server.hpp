#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1:<ephemeral> for tests: one thread, one connection at
// a time, records every request and answers with a scripted status.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace tradewind::testing {

/// One request as the server saw it.
struct recorded_request {
  std::string method;
  std::string target;
  std::string content_type;
  std::string body;
  std::chrono::steady_clock::time_point at;
};

class test_http_server {
public:
  /// Maps the 0-based request index to the status to answer; 0 means "never answer"
  /// (the connection is held open until the client gives up, release() or the server stops).
  using script = std::function<int(size_t index)>;

  explicit test_http_server(script s)
    : script_(std::move(s)), acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { run(); });
  }

  ~test_http_server() {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      stopping_ = true;
    }
    cv_.notify_all();
    // Wake a blocking accept() with a throw-away connection.
    boost::system::error_code ec;
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s{ioc};
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port()}, ec);
    thread_.join();
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }

  std::vector<recorded_request> requests() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return requests_;
  }

  /// Closes the held connection and every later one at once: the test decides when a
  /// "silent" server lets go, not a clock.
  void release() {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      released_ = true;
    }
    cv_.notify_all();
  }

  /// Waits until at least `n` requests arrived; false on timeout.
  bool wait_for(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, timeout, [&] { return requests_.size() >= n; });
  }

private:
  void run() {
    namespace http = boost::beast::http;
    for (;;) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket sock{ioc_};
      acceptor_.accept(sock, ec);
      {
        std::lock_guard<std::mutex> guard{mtx_};
        if (stopping_)
          return;
      }
      if (ec)
        continue;
      boost::beast::flat_buffer buf;
      http::request<http::string_body> req;
      http::read(sock, buf, req, ec);
      if (ec)
        continue;
      size_t index;
      {
        std::lock_guard<std::mutex> guard{mtx_};
        index = requests_.size();
        requests_.push_back({std::string{req.method_string()}, std::string{req.target()},
                             std::string{req[http::field::content_type]}, req.body(),
                             std::chrono::steady_clock::now()});
      }
      cv_.notify_all();
      int status = script_(index);
      if (status == 0) { // hold the connection until released or stopped
        std::unique_lock<std::mutex> guard{mtx_};
        cv_.wait(guard, [&] { return stopping_ || released_; });
        continue;
      }
      http::response<http::string_body> res{static_cast<http::status>(status), 11};
      res.set(http::field::content_type, "text/plain");
      if (status != 204 && status != 304) // those must not carry a body
        res.body() = "status " + std::to_string(status);
      res.keep_alive(false);
      res.prepare_payload();
      http::write(sock, res, ec);
      sock.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    }
  }

  script script_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<recorded_request> requests_;
  bool stopping_ = false;
  bool released_ = false;
  std::thread thread_;
};

/// A port on 127.0.0.1 where nothing listens (bound once, then released).
inline uint16_t unused_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  return a.local_endpoint().port();
}

} // namespace tradewind::testing
