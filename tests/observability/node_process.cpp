#include "node_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include "bridge/rest/api_keys.hpp"

namespace fs = std::filesystem;

namespace tradewind::test {

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0
      && ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

child_process::~child_process() {
  stop(5);
}

bool child_process::start(const std::vector<std::string>& argv, const fs::path& log, const fs::path& cwd) {
  pid_ = ::fork();
  if (pid_ < 0)
    return false;
  if (pid_ == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0)
      _exit(126);
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::perror("execvp");
    _exit(127);
  }
  status_ = -1;
  return true;
}

bool child_process::running() {
  if (pid_ <= 0)
    return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    return false;
  }
  return true;
}

int child_process::wait(double seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  while (running()) {
    if (std::chrono::steady_clock::now() >= until) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return status_;
}

int child_process::stop(double grace_s) {
  if (pid_ <= 0)
    return status_;
  ::kill(pid_, SIGTERM);
  int rc = wait(grace_s);
  return rc;
}

std::string node_process::start(const fs::path& dir, const std::string& binary, const node_options& opts) {
  dir_ = dir;
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch()).count();
  auto key = rest::generate_key("obs-admin", rest::key_scope::admin, now_ms);
  admin_ = key.token;
  if (auto err = rest::save_keys((dir_ / "keys.json").string(), {key.key}); !err.empty())
    return "cannot write keys: " + err;
  // Event time starts now, so manual orders (stamped with the wall clock) are decided soon.
  std::ofstream(dir_ / "node.yaml") << "node:\n  name: " << opts.name
                                    << "\ncollector:\n  mode: synthetic\n  speed: " << opts.speed
                                    << "\n  synthetic:\n    symbols: [SYNTHUSDT]\n    seed: 7\n    interval_ms: "
                                    << opts.interval_ms << "\n    bars: 0\n    start_time_ms: " << now_ms
                                    << "\nstrategies:\n  - id: s1\n    fast: 2\n    slow: 5\n"
                                       "    order_notional: 2000\n    qty_step: 0.001\n"
                                       "store:\n  url: sqlite:"
                                    << (dir_ / "store.db").string()
                                    << "\nbridge:\n  enabled: true\n  port: 0\n  keys_file: keys.json\n  audit_log: "
                                    << (dir_ / "audit.jsonl").string() << "\n  rate_limit_per_s: 1000\n  burst: 2000\n"
                                    << opts.bridge_yaml << "log:\n  level: " << opts.log_level << "\n";
  if (!proc_.start({binary, "run", "-c", (dir_ / "node.yaml").string()}, dir_ / "node.log"))
    return "fork failed";
  std::regex listening{"event=bridge_listening address=127\\.0\\.0\\.1 port=(\\d+)"};
  bool up = eventually(
    [&] {
      std::smatch m;
      auto text = log();
      if (!std::regex_search(text, m, listening))
        return false;
      port_ = static_cast<uint16_t>(std::stoi(m[1]));
      return true;
    },
    60);
  if (!up)
    return "no bridge_listening line within 60 s; log:\n" + log();
  return "";
}

int node_process::stop() {
  return proc_.stop(30);
}

} // namespace tradewind::test
