// Issue 11 over real sockets against the tradewind binary: deep JSON (WebSocket and HTTP), numbers
// beyond a double, money as JSON numbers, duplicate keys, request smuggling framings, router
// targets, a key revoked under an open stream, the connection cap, descriptor exhaustion under a
// low RLIMIT_NOFILE and a keyless audit flood; and hostile clients the node withstands (slow
// headers, 500 concurrent connections, 200 stream clients that never read, path traversal).
// Every wait is "until it happens" with a generous overall deadline, never a timed assertion.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bridge/rest/api_keys.hpp"
#include "test_client.hpp"

using namespace tradewind;
using namespace tradewind::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t line_count(const fs::path& p) {
  std::ifstream in(p);
  size_t n = 0;
  for (std::string line; std::getline(in, line);)
    ++n;
  return n;
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
    .count();
}

template <class Pred>
bool eventually(Pred pred, int seconds = 30) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (pred())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

/// Sum of every sample of `family` (all label sets) in a Prometheus scrape.
double metric_sum(const std::string& scrape, const std::string& family) {
  double sum = 0;
  std::istringstream in(scrape);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(family, 0) != 0)
      continue;
    auto rest = line.substr(family.size());
    if (!rest.empty() && rest[0] != '{' && rest[0] != ' ')
      continue; // another family sharing the prefix
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

/// A raw TCP connection to 127.0.0.1:port (blocking), or -1.
int tcp_connect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// utime + stime of `pid` in seconds (from /proc/<pid>/stat).
double cpu_seconds(pid_t pid) {
  auto text = read_file("/proc/" + std::to_string(pid) + "/stat");
  auto close = text.rfind(')');
  if (close == std::string::npos)
    return 0;
  std::istringstream in(text.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; in >> field; ++i) { // field 3 is the state, 14 utime, 15 stime
    if (i == 14)
      utime = std::stod(field);
    if (i == 15) {
      stime = std::stod(field);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

/// A node process with its own keys file and bridge settings.
struct node_process {
  fs::path dir;
  pid_t pid = -1;
  uint16_t port = 0;
  std::vector<rest::api_key> keys;
  std::string reader, admin, victim;
  std::string startup_error;

  std::string make_key(const char* name, rest::key_scope scope) {
    auto k = rest::generate_key(name, scope, wall_ms());
    keys.push_back(k.key);
    return k.token;
  }

  /// `bridge_yaml`: more keys under `bridge:`; `nofile` > 0 sets RLIMIT_NOFILE of the child.
  void start(const std::string& tag, const std::string& bridge_yaml, rlim_t nofile = 0, int speed = 20) {
    dir = fs::temp_directory_path() / ("tw-hardening-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    reader = make_key("reader", rest::key_scope::read);
    admin = make_key("admin", rest::key_scope::admin);
    victim = make_key("victim", rest::key_scope::read);
    ASSERT_EQ(rest::save_keys((dir / "keys.json").string(), keys), "");
    std::ofstream(dir / "node.yaml") << "node:\n  name: hardening-test\n"
                                        "collector:\n  mode: synthetic\n  speed: "
                                     << speed
                                     << "\n  synthetic:\n    symbols: [SYNTHUSDT]\n    seed: 7\n"
                                        "    interval_ms: 1000\n    bars: 0\n    start_time_ms: "
                                     << wall_ms()
                                     << "\nstrategies:\n  - id: s1\n    fast: 2\n    slow: 5\n"
                                        "    order_notional: 2000\n    qty_step: 0.001\n"
                                        "store:\n  url: sqlite:"
                                     << (dir / "store.db").string()
                                     << "\nbridge:\n  enabled: true\n  port: 0\n  keys_file: keys.json\n"
                                        "  audit_log: "
                                     << (dir / "audit.jsonl").string() << "\n"
                                     << bridge_yaml;
    pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      if (nofile > 0) {
        rlimit lim{nofile, nofile};
        ::setrlimit(RLIMIT_NOFILE, &lim);
      }
      auto log = (dir / "node.log").string();
      freopen(log.c_str(), "w", stdout);
      freopen(log.c_str(), "a", stderr);
      execl(TW_BINARY, TW_BINARY, "run", "-c", (dir / "node.yaml").c_str(), nullptr);
      _exit(127);
    }
    std::smatch m;
    std::regex listening{"event=bridge_listening address=127\\.0\\.0\\.1 port=(\\d+)"};
    bool up = eventually([&] {
      auto text = read_file(dir / "node.log");
      if (std::regex_search(text, m, listening)) {
        port = static_cast<uint16_t>(std::stoi(m[1]));
        return true;
      }
      return false;
    });
    if (!up)
      startup_error = "no bridge_listening line; log:\n" + read_file(dir / "node.log");
  }

  bool alive() const { return pid > 0 && ::kill(pid, 0) == 0 && ::waitpid(pid, nullptr, WNOHANG) == 0; }

  void revoke_victim() {
    auto id = rest::split_token(victim)->first;
    for (auto& k : keys)
      if (k.id == id) {
        k.revoked = true;
        k.revoked_ms = wall_ms();
      }
    ASSERT_EQ(rest::save_keys((dir / "keys.json").string(), keys), "");
  }

  int stop() {
    if (pid <= 0)
      return -1;
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

node_process* node = nullptr;

/// One node for the suite: bodies up to 1 MiB (so deep JSON reaches the parser), a small
/// connection cap, a pre-auth bucket that refills within a second.
class bridge_hardening : public testing::Test {
protected:
  static void SetUpTestSuite() {
    node = new node_process;
    node->start("main", "  max_body_bytes: 1048576\n  request_timeout_ms: 20000\n  max_connections: 24\n"
                        "  rate_limit_per_s: 1000\n  burst: 1000\n"
                        "  preauth_rate_limit_per_s: 50\n  preauth_burst: 50\n");
  }
  static void TearDownTestSuite() {
    int rc = node->stop();
    EXPECT_EQ(rc, 0) << read_file(node->dir / "node.log").substr(0, 4000);
    if (rc == 0)
      fs::remove_all(node->dir);
    delete node;
    node = nullptr;
  }
  void SetUp() override { ASSERT_NE(node->port, 0) << node->startup_error; }

  reply get(const std::string& target, const std::string& token) { return http_call(node->port, "GET", target, token); }

  /// The node is alive and serving.
  void expect_serving() {
    EXPECT_TRUE(node->alive());
    EXPECT_TRUE(eventually([&] { return get("/api/v1/live", "").status == 200; }));
    EXPECT_EQ(get("/api/v1/risk/limits", node->reader).status, 200);
  }

  static std::string deep(size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }
};

} // namespace

TEST_F(bridge_hardening, deep_json_over_websocket_subscribe_is_refused_and_the_node_survives) {
  ws_client ws;
  ASSERT_EQ(ws.connect(node->port, "/api/v1/stream", node->reader), 101);
  ws.send(R"({"action":"subscribe","topics":)" + deep(80'000) + "}"); // ~160 KB
  auto err = ws.read(20'000);
  ASSERT_TRUE(err) << "no answer to the deep message";
  auto j = json::parse(*err);
  EXPECT_EQ(j["type"], "error");
  EXPECT_NE(j["detail"].get<std::string>().find("nesting deeper than"), std::string::npos) << *err;
  EXPECT_LT(err->size(), 600u);
  // The unknown-topic answer names the position and the kind, never the value.
  ws.send(R"({"action":"subscribe","topics":[)" + deep(20) + "]}");
  auto unknown = ws.read(20'000);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(json::parse(*unknown)["detail"], "topics[0]: unknown topic a JSON array (expected "
                                             "ticks|signals|orders|fills|positions|alerts|risk_state)");
  ws.send(R"({"action":"subscribe","topics":["ticks"]})");
  bool subscribed = false;
  for (int i = 0; i < 50 && !subscribed; ++i) {
    auto msg = ws.read(20'000);
    ASSERT_TRUE(msg);
    subscribed = json::parse(*msg)["type"] == "subscribed";
  }
  EXPECT_TRUE(subscribed);
  expect_serving();
}

TEST_F(bridge_hardening, deep_json_over_put_risk_limits_is_400_and_the_node_survives) {
  auto body = R"({"max_open_orders":)" + deep(80'000) + "}";
  auto r = http_call(node->port, "PUT", "/api/v1/risk/limits", node->admin, body);
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 300) << r.error;
  EXPECT_LT(r.body.size(), 600u);
  EXPECT_EQ(json::parse(r.body)["title"], "JSON nested too deeply");
  expect_serving();
}

TEST_F(bridge_hardening, numbers_beyond_a_double_money_as_numbers_and_duplicate_keys_are_refused) {
  auto put = [&](const std::string& body) { return http_call(node->port, "PUT", "/api/v1/risk/limits", node->admin, body); };
  auto huge = put(R"({"max_open_orders":1e309})");
  EXPECT_EQ(huge.status, 422) << huge.body;
  EXPECT_EQ(json::parse(huge.body)["detail"].get<std::string>().rfind("field 'max_open_orders': number out of range", 0), 0u)
    << huge.body;
  EXPECT_EQ(huge.body.find("json.exception"), std::string::npos);
  auto money = http_call(node->port, "POST", "/api/v1/orders", node->admin,
                         R"({"symbol":"SYNTHUSDT","side":"buy","qty":12345678901.12345678})");
  EXPECT_EQ(money.status, 422) << money.body;
  EXPECT_NE(json::parse(money.body)["detail"].get<std::string>().find("field 'qty' must be a decimal string"),
            std::string::npos);
  auto limit_money = put(R"({"max_order_notional":5000})");
  EXPECT_EQ(limit_money.status, 422) << limit_money.body;
  auto dup = put(R"({"max_open_orders":3,"max_open_orders":300})");
  EXPECT_EQ(dup.status, 400) << dup.body;
  EXPECT_NE(json::parse(dup.body)["detail"].get<std::string>().find("'max_open_orders'"), std::string::npos);
  EXPECT_EQ(json::parse(get("/api/v1/risk/limits", node->reader).body)["max_open_orders"], 10);
  expect_serving();
}

TEST_F(bridge_hardening, smuggling_framings_are_400_and_close_and_the_trailing_bytes_never_run) {
  const std::string smuggled = "GET /api/v1/live HTTP/1.1\r\nHost: x\r\n\r\n";
  std::vector<std::string> framings{
    "Transfer-Encoding: chunked, identity\r\n",
    "Transfer-Encoding: xchunked\r\n",
    "Transfer-Encoding: gzip\r\n",
    "Transfer-Encoding: identity\r\n",
    "Transfer-Encoding: gzip, chunked\r\n",
    "Transfer-Encoding: gzip\r\nContent-Length: 0\r\n",
    "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n",
    "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n",
    "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
  };
  for (const auto& framing : framings) {
    auto answer = raw_exchange(node->port,
                               "POST /api/v1/orders HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n" + smuggled, 10'000);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << framing << answer;
    EXPECT_EQ(answer.find("HTTP/1.1 ", 1), std::string::npos) << "a second response: " << framing << answer;
    EXPECT_EQ(answer.find("alive"), std::string::npos) << framing << answer;
  }
  // A correct chunked body is still read (the route answers, here 405 for a GET-only path).
  auto chunked = raw_exchange(node->port,
                              "POST /api/v1/live HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                              "Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                              10'000);
  EXPECT_EQ(chunked.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u) << chunked;
  expect_serving();
}

TEST_F(bridge_hardening, router_needs_an_origin_form_target_and_never_decodes_a_slash_before_routing) {
  auto bearer = "Authorization: Bearer " + node->admin + "\r\n";
  auto x_target = raw_exchange(node->port, "GET Xapi/v1/audit HTTP/1.1\r\nHost: x\r\n" + bearer + "Connection: close\r\n\r\n",
                               10'000);
  EXPECT_EQ(x_target.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << x_target;
  EXPECT_EQ(x_target.find("\"items\""), std::string::npos);
  EXPECT_EQ(get("/api%2Fv1/audit", node->admin).status, 404);
  EXPECT_EQ(get("/api/v1%2Faudit", node->admin).status, 404);
  EXPECT_EQ(get("/api/v1/audit", node->admin).status, 200);
  auto options = raw_exchange(node->port, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10'000);
  EXPECT_EQ(options.rfind("HTTP/1.1 204 No Content\r\n", 0), 0u) << options;
  auto star = raw_exchange(node->port, "GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10'000);
  EXPECT_EQ(star.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << star;
}

TEST_F(bridge_hardening, a_revoked_key_loses_its_open_stream) {
  ws_client ws;
  ASSERT_EQ(ws.connect(node->port, "/api/v1/stream", node->victim), 101);
  ws.send(R"({"action":"subscribe","topics":["ticks","positions"]})");
  int before = 0;
  for (int i = 0; i < 200 && before < 3; ++i) {
    auto msg = ws.read(20'000);
    ASSERT_TRUE(msg) << "no event within 20 s";
    before += json::parse(*msg)["type"] != "subscribed";
  }
  ASSERT_GE(before, 3);
  node->revoke_victim();
  // Events already in flight may still arrive; then the server closes the stream with 1008.
  int after = 0;
  bool closed = false;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!closed && std::chrono::steady_clock::now() < until) {
    auto msg = ws.read(30'000);
    if (!msg)
      closed = true;
    else
      ++after;
  }
  ASSERT_TRUE(closed) << "the stream stayed open after the revocation (" << after << " events)";
  EXPECT_EQ(ws.close_code(), 1008);
  EXPECT_EQ(ws.close_reason(), "api key revoked");
  EXPECT_LT(after, 200) << "the stream kept delivering after the revocation";
  auto refused = raw_exchange(node->port,
                              "GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + node->victim
                                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                              10'000);
  EXPECT_EQ(refused.rfind("HTTP/1.1 401 Unauthorized\r\n", 0), 0u) << refused;
  EXPECT_TRUE(eventually([&] {
    return get("/metrics", "").body.find("tradewind_stream_closed_total{reason=\"key_revoked\"} 1") != std::string::npos;
  }));
}

TEST_F(bridge_hardening, connections_over_the_cap_get_503_and_service_resumes_when_they_close) {
  // Let sessions of earlier tests go.
  ASSERT_TRUE(eventually([&] {
    auto text = get("/metrics", "").body;
    return metric_sum(text, "tradewind_http_open_connections") <= 1;
  })) << get("/metrics", "").body;
  std::vector<int> idle;
  for (int i = 0; i < 24; ++i) {
    int fd = tcp_connect(node->port);
    ASSERT_GE(fd, 0);
    idle.push_back(fd);
  }
  // They are accepted in order; the next one is over the cap.
  reply over;
  EXPECT_TRUE(eventually([&] {
    over = get("/api/v1/live", "");
    return over.status == 503;
  })) << over.status << " " << over.body;
  EXPECT_EQ(over.header("retry-after"), "1");
  EXPECT_EQ(json::parse(over.body)["status"], 503);
  for (int fd : idle)
    ::close(fd);
  EXPECT_TRUE(eventually([&] { return get("/api/v1/live", "").status == 200; }));
  auto text = get("/metrics", "").body;
  EXPECT_GE(metric_sum(text, "tradewind_http_connections_refused_total"), 1) << text;
  EXPECT_NE(text.find("tradewind_http_connections_refused_total{reason=\"at_capacity\"}"), std::string::npos);
  expect_serving();
}

// Last: it drains 127.0.0.1's pre-auth bucket (it refills within a second).
TEST_F(bridge_hardening, keyless_flood_writes_no_audit_line_nor_row_and_is_counted) {
  auto audit_file = node->dir / "audit.jsonl";
  // An audited call first, so the store's audit table has a known count.
  ASSERT_EQ(http_call(node->port, "POST", "/api/v1/trading-state", node->admin, R"({"action":"resume"})").status, 202);
  auto rows = [&] {
    auto r = get("/api/v1/audit?limit=1000", node->admin);
    return r.status == 200 ? static_cast<int>(json::parse(r.body)["items"].size()) : -1;
  };
  int rows_before = -1;
  ASSERT_TRUE(eventually([&] { return (rows_before = rows()) >= 1; }));
  auto lines_before = line_count(audit_file);
  auto failures_before = metric_sum(get("/metrics", "").body, "tradewind_http_auth_failures_total");
  int unauthorized = 0, limited = 0, other = 0;
  for (int i = 0; i < 3'000; ++i) {
    auto r = http_call(node->port, "POST", i % 2 ? "/api/v1/orders" : "/api/v1/trading-state",
                       i % 3 ? "" : "tw_k000000000000_" + std::string(64, 'a'), R"({"action":"halt"})");
    unauthorized += r.status == 401;
    limited += r.status == 429;
    other += r.status != 401 && r.status != 429;
  }
  EXPECT_EQ(other, 0);
  EXPECT_GE(unauthorized, 50);
  EXPECT_GE(limited, 1);
  EXPECT_EQ(line_count(audit_file), lines_before);
  auto failures_after = metric_sum(get("/metrics", "").body, "tradewind_http_auth_failures_total");
  EXPECT_GE(failures_after - failures_before, 3'000);
  int rows_after = -1;
  EXPECT_TRUE(eventually([&] { return (rows_after = rows()) >= 0; })); // the address bucket refills
  // The GET itself is not audited; no row was added by the flood.
  EXPECT_EQ(rows_after, rows_before);
  EXPECT_EQ(json::parse(get("/api/v1/trading-state", node->reader).body)["node"], "active");
  // The failures are logged, but rate-limited (one line per 10 s): a handful, not 3,000.
  auto log = read_file(node->dir / "node.log");
  size_t logged = 0;
  for (auto pos = log.find("event=bridge_auth_failed"); pos != std::string::npos;
       pos = log.find("event=bridge_auth_failed", pos + 1))
    ++logged;
  EXPECT_GE(logged, 1u);
  EXPECT_LE(logged, 5u);
  expect_serving();
}

// A node of its own, started with RLIMIT_NOFILE 128 and a connection cap above it.
TEST(bridge_fd_exhaustion, accept_backs_off_without_spinning_and_service_resumes) {
  node_process n;
  n.start("fd", "  max_connections: 100000\n  request_timeout_ms: 60000\n", 128, 1);
  ASSERT_NE(n.port, 0) << n.startup_error;
  ASSERT_EQ(http_call(n.port, "GET", "/api/v1/live").status, 200);
  std::vector<int> held;
  for (int i = 0; i < 300; ++i) {
    int fd = tcp_connect(n.port);
    if (fd >= 0)
      held.push_back(fd);
  }
  ASSERT_GE(held.size(), 200u);
  // Wait until the node holds (nearly) every descriptor it may open, then measure its CPU.
  auto open_fds = [&] {
    size_t count = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator("/proc/" + std::to_string(n.pid) + "/fd", ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
      ++count;
    return count;
  };
  ASSERT_TRUE(eventually([&] { return open_fds() >= 124; })) << open_fds() << " descriptors open";
  auto cpu0 = cpu_seconds(n.pid);
  auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  auto used = cpu_seconds(n.pid) - cpu0;
  auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(used / wall, 0.2) << "the accept loop spins: " << used << " s of CPU in " << wall << " s";
  EXPECT_TRUE(n.alive());
  for (int fd : held)
    ::close(fd);
  EXPECT_TRUE(eventually([&] { return http_call(n.port, "GET", "/api/v1/live").status == 200; }, 60));
  auto text = http_call(n.port, "GET", "/metrics").body;
  EXPECT_GE(metric_sum(text, "tradewind_http_accept_errors_total"), 1) << text;
  EXPECT_NE(text.find("tradewind_http_accept_errors_total{reason=\"emfile\"}"), std::string::npos);
  EXPECT_EQ(n.stop(), 0) << read_file(n.dir / "node.log").substr(0, 4000);
  fs::remove_all(n.dir);
}

// ---- hostile clients that the node already withstands: kept true by tests (issue 13) --------

namespace {

/// Resident memory of `pid` in KiB (VmRSS), 0 when unreadable.
long rss_kib(pid_t pid) {
  std::istringstream in(read_file("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return 0;
}

/// True once the peer closed `fd` (read returns 0 or an error other than "try again").
bool closed_by_peer(int fd) {
  char buf[256];
  ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

int64_t bars_seen(uint16_t port, const std::string& token) {
  auto r = http_call(port, "GET", "/api/v1/candles/SYNTHUSDT?limit=1000", token);
  if (r.status != 200)
    return -1;
  auto doc = json::parse(r.body, nullptr, false);
  if (doc.is_discarded())
    return -1;
  const auto& items = doc.is_array() ? doc : doc.value("items", json::array());
  return items.empty() ? 0 : items.back().value("open_time_ms", int64_t{0});
}

} // namespace

TEST(bridge_hostile_clients, slow_header_clients_are_timed_out_while_others_are_served) {
  node_process n;
  n.start("slowloris", "  request_timeout_ms: 1000\n  max_connections: 1000\n");
  ASSERT_NE(n.port, 0) << n.startup_error;
  std::vector<int> slow;
  for (int i = 0; i < 20; ++i) {
    int fd = tcp_connect(n.port);
    ASSERT_GE(fd, 0);
    ASSERT_GT(::send(fd, "GET /api/v1/live HTTP/1.1\r\nHost: x\r\n", 36, MSG_NOSIGNAL), 0);
    slow.push_back(fd);
  }
  // They trickle one header byte at a time; the node serves everyone else meanwhile and closes
  // each slow one once its header has taken longer than request_timeout_ms.
  size_t closed = 0;
  bool served_meanwhile = false;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (closed < slow.size() && std::chrono::steady_clock::now() < until) {
    closed = 0;
    for (int fd : slow) {
      if (closed_by_peer(fd))
        ++closed;
      else
        ::send(fd, "X", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    served_meanwhile |= http_call(n.port, "GET", "/api/v1/live").status == 200;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(closed, slow.size()) << "slow-header connections still open";
  EXPECT_TRUE(served_meanwhile);
  for (int fd : slow)
    ::close(fd);
  EXPECT_TRUE(n.alive());
  EXPECT_EQ(n.stop(), 0) << read_file(n.dir / "node.log").substr(0, 4000);
  fs::remove_all(n.dir);
}

TEST(bridge_hostile_clients, five_hundred_concurrent_connections_are_all_answered) {
  node_process n;
  n.start("concurrent", "  max_connections: 1000\n  rate_limit_per_s: 100000\n  burst: 100000\n");
  ASSERT_NE(n.port, 0) << n.startup_error;
  std::vector<int> fds;
  for (int i = 0; i < 500; ++i) {
    int fd = tcp_connect(n.port);
    ASSERT_GE(fd, 0) << "connection " << i;
    fds.push_back(fd);
  }
  const std::string request = "GET /api/v1/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  for (int fd : fds)
    ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  size_t ok = 0;
  for (int fd : fds) {
    timeval tv{60, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string got;
    char buf[1024];
    for (ssize_t r; got.find("\r\n\r\n") == std::string::npos && (r = ::recv(fd, buf, sizeof buf, 0)) > 0;)
      got.append(buf, static_cast<size_t>(r));
    ok += got.rfind("HTTP/1.1 200 OK\r\n", 0) == 0;
    ::close(fd);
  }
  EXPECT_EQ(ok, fds.size());
  EXPECT_TRUE(n.alive());
  EXPECT_EQ(n.stop(), 0) << read_file(n.dir / "node.log").substr(0, 4000);
  fs::remove_all(n.dir);
}

TEST(bridge_hostile_clients, two_hundred_stream_clients_that_never_read_stay_bounded_while_trading_goes_on) {
  node_process n;
  n.start("noread", "  max_connections: 1000\n  rate_limit_per_s: 100000\n  burst: 100000\n", 0, 200);
  ASSERT_NE(n.port, 0) << n.startup_error;
  std::vector<std::unique_ptr<ws_client>> clients;
  for (int i = 0; i < 200; ++i) {
    auto c = std::make_unique<ws_client>();
    ASSERT_EQ(c->connect(n.port, "/api/v1/stream?access_token=" + n.reader), 101) << "client " << i;
    c->send(R"({"action":"subscribe","topics":["ticks","orders","fills","positions","alerts"]})");
    clients.push_back(std::move(c)); // and never read again
  }
  // Let every client's queue and socket buffers fill, then measure: memory must not keep
  // growing with the events that keep coming, and the market keeps moving.
  auto t0 = bars_seen(n.port, n.reader);
  ASSERT_TRUE(eventually([&] { return bars_seen(n.port, n.reader) >= t0 + 2'000 * 1000; }, 120));
  long rss_filled = rss_kib(n.pid);
  auto t1 = bars_seen(n.port, n.reader);
  ASSERT_TRUE(eventually([&] { return bars_seen(n.port, n.reader) >= t1 + 4'000 * 1000; }, 180))
    << "trading stalled behind the stream clients";
  long rss_later = rss_kib(n.pid);
  EXPECT_LT(rss_later - rss_filled, 64 * 1024) << "RSS " << rss_filled << " KiB -> " << rss_later << " KiB";
  EXPECT_TRUE(n.alive());
  clients.clear();
  EXPECT_EQ(n.stop(), 0) << read_file(n.dir / "node.log").substr(0, 4000);
  fs::remove_all(n.dir);
}

TEST_F(bridge_hardening, path_traversal_on_the_dashboard_routes_is_404) {
  for (const char* target : {"/../../../../etc/passwd", "/dashboard/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                             "/dashboard/..%2f..%2fetc%2fpasswd", "/static/../../etc/passwd", "//etc/passwd"}) {
    auto r = get(target, "");
    EXPECT_EQ(r.status, 404) << target << ": " << r.body.substr(0, 200);
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
  }
  expect_serving();
}
