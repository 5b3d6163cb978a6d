// The bridge over real TLS (bridge.tls set) against the tradewind binary: HTTPS and WSS with a
// throwaway self-signed certificate, and what happens to clients that do not speak TLS.

#include <unistd.h>

#include <regex>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/observability/node_process.hpp"
#include "tests/support/self_signed.hpp"
#include "test_client.hpp"
#include "tls_client.hpp"

using namespace tradewind;
using namespace tradewind::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// One TLS node (min_version 1.3, debug log) shared by the suite, and the certificate to trust.
struct tls_node {
  fs::path dir = fs::temp_directory_path() / ("tw-bridge-tls-" + std::to_string(::getpid()));
  node_process node;
  pem_pair pem;
  pem_pair stranger; ///< a certificate the node does not use
  std::string error;

  void start() {
    fs::remove_all(dir);
    fs::create_directories(dir / "pki");
    pem = write_self_signed(dir / "pki", "bridge");
    stranger = write_self_signed(dir / "pki", "stranger");
    node_options opts;
    opts.name = "tls-test";
    opts.log_level = "debug";
    opts.bridge_yaml = "  request_timeout_ms: 1500\n  tls:\n    cert_file: " + pem.cert_file + "\n    key_file: "
                       + pem.key_file + "\n    min_version: '1.3'\n";
    error = node.start(dir / "node", TW_BINARY, opts);
  }
};

tls_node* tls = nullptr;

/// The value of one series in Prometheus text (-1 when absent).
double series(const std::string& text, const std::string& name_and_labels) {
  auto at = text.find("\n" + name_and_labels + " ");
  if (at == std::string::npos)
    return -1;
  return std::stod(text.substr(at + name_and_labels.size() + 2));
}

class bridge_tls : public testing::Test {
protected:
  static void SetUpTestSuite() {
    tls = new tls_node;
    tls->start();
  }
  static void TearDownTestSuite() {
    int rc = tls->node.stop();
    EXPECT_EQ(rc, 0) << tls->node.log().substr(0, 4000);
    if (rc == 0)
      fs::remove_all(tls->dir); // kept for inspection when the node failed
    delete tls;
    tls = nullptr;
  }
  void SetUp() override { ASSERT_EQ(tls->error, ""); }

  uint16_t port() const { return tls->node.port(); }
  tls_client_options trusted() const { return {tls->pem.cert_file, false}; }
  reply get(const std::string& target, const std::string& token = "") {
    return https_call(port(), trusted(), "GET", target, token);
  }
  double failures(const std::string& reason) {
    return series(get("/metrics").body, "tradewind_http_tls_handshake_failures_total{reason=\"" + reason + "\"}");
  }
};

} // namespace

namespace {

struct silent_outcome {
  bool closed = false;   ///< the server ended the connection
  std::string received;  ///< what it sent before that
};

/// Connects, sends nothing, and waits (60 s at most) for the server to close the connection.
silent_outcome silent_client_outcome(uint16_t port) {
  silent_outcome out;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0)
      ::close(fd);
    return out;
  }
  timeval tv{60, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[512];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      out.received.append(buf, static_cast<size_t>(n));
      continue;
    }
    out.closed = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK); // EAGAIN: the 60 s ran out
    break;
  }
  ::close(fd);
  return out;
}

} // namespace

TEST_F(bridge_tls, https_with_a_bearer_key_verifies_against_the_certificate) {
  EXPECT_NE(tls->node.log().find("tls=true"), std::string::npos);
  auto live = get("/api/v1/live");
  ASSERT_EQ(live.status, 200) << live.error;
  EXPECT_EQ(json::parse(live.body)["status"], "alive");
  auto positions = get("/api/v1/positions", tls->node.admin_token());
  EXPECT_EQ(positions.status, 200) << positions.body;
  EXPECT_TRUE(json::parse(positions.body).contains("items"));
  EXPECT_EQ(get("/api/v1/positions").status, 401);
  auto page = get("/");
  EXPECT_EQ(page.status, 200);
  // The dashboard derives its stream URL from the page's scheme.
  EXPECT_NE(page.body.find(R"(location.protocol === "https:" ? "wss://" : "ws://")"), std::string::npos);
}

TEST_F(bridge_tls, a_client_that_does_not_trust_the_certificate_is_refused_and_counted) {
  auto refused = https_call(port(), {tls->stranger.cert_file, false}, "GET", "/api/v1/live");
  EXPECT_EQ(refused.status, 0);
  EXPECT_NE(refused.error.find("certificate verify failed"), std::string::npos) << refused.error;
  EXPECT_TRUE(eventually([&] { return failures("bad_certificate") >= 1; }, 10));
}

TEST_F(bridge_tls, min_version_13_refuses_a_tls12_client) {
  auto old = https_call(port(), {tls->pem.cert_file, true}, "GET", "/api/v1/live");
  EXPECT_EQ(old.status, 0);
  EXPECT_NE(old.error, "");
  EXPECT_TRUE(eventually([&] { return failures("protocol_version") >= 1; }, 10));
}

TEST_F(bridge_tls, plain_http_and_garbage_get_no_http_answer_and_the_server_keeps_serving) {
  auto plain = raw_exchange(port(), "GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 3000);
  EXPECT_EQ(plain.rfind("HTTP/", 0), std::string::npos) << plain;
  auto garbage = raw_exchange(port(), std::string("\x00\xff garbage \x16\x03\x01\x00", 16) + std::string(64, 'x'), 3000);
  EXPECT_EQ(garbage.rfind("HTTP/", 0), std::string::npos) << garbage;
  // A client that connects and says nothing is dropped after request_timeout_ms: the server
  // closes the connection (read returns end of stream) without sending a byte.
  auto silent = silent_client_outcome(port());
  EXPECT_TRUE(silent.closed) << "still open after 60 s";
  EXPECT_EQ(silent.received, "");
  EXPECT_EQ(http_call(port(), "GET", "/api/v1/live").status, 0);
  EXPECT_EQ(get("/api/v1/live").status, 200);
  EXPECT_TRUE(eventually([&] { return failures("plain_http") >= 2; }, 10)); // raw GET + http_call
  EXPECT_GE(failures("not_tls"), 1);
  EXPECT_GE(failures("timeout"), 1);
  auto log = tls->node.log();
  EXPECT_TRUE(std::regex_search(log, std::regex{"event=bridge_tls_handshake_failed remote=127\\.0\\.0\\.1:\\d+ "
                                                "reason=plain_http detail=\"[^\"]+\""}))
    << log.substr(0, 4000);
  EXPECT_EQ(log.find("BEGIN"), std::string::npos); // no PEM material in the log
}

TEST_F(bridge_tls, wss_subscribe_receives_events) {
  wss_client ws;
  ASSERT_EQ(ws.connect(port(), trusted(), "/api/v1/stream?access_token=" + tls->node.admin_token()), 101);
  ws.send(R"({"action":"subscribe","topics":["ticks"]})");
  auto ack = ws.read(10'000);
  ASSERT_TRUE(ack);
  EXPECT_EQ(json::parse(*ack)["type"], "subscribed");
  auto event = ws.read(20'000);
  ASSERT_TRUE(event) << "no tick over wss within 20 s";
  auto j = json::parse(*event);
  EXPECT_EQ(j["type"], "bar") << *event;
  EXPECT_EQ(j["data"]["symbol"], "SYNTHUSDT") << *event;
  wss_client stranger;
  EXPECT_EQ(stranger.connect(port(), {tls->stranger.cert_file, false}, "/api/v1/stream"), 0);
}
