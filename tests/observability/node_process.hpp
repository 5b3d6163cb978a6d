#pragma once
// Test helpers shared by tests/observability and tests/dashboard: child processes (the
// tradewind binary, Prometheus, node), a node with the bridge on an endless paced synthetic
// feed and an admin key, polling, free ports.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace tradewind::test {

/// Whole file as text ("" when absent).
std::string read_text(const std::filesystem::path& p);

/// Polls `pred` every 100 ms for up to `seconds`; true as soon as it holds.
template <class Pred>
bool eventually(Pred pred, double seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  while (std::chrono::steady_clock::now() < until) {
    if (pred())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pred();
}

/// A loopback TCP port that was free a moment ago (bind to 0, read, close).
uint16_t free_port();

/// A child process with stdout and stderr appended to `log`; SIGTERM then SIGKILL on stop.
class child_process {
public:
  child_process() = default;
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Starts argv[0] with argv; false when fork failed.
  bool start(const std::vector<std::string>& argv, const std::filesystem::path& log,
             const std::filesystem::path& cwd = {});
  bool running();
  /// Waits up to `seconds` for the child to exit by itself; its exit code, or -1 on timeout
  /// (the child is then killed), 128+signal when signalled.
  int wait(double seconds);
  /// SIGTERM, up to `grace_s` to exit, then SIGKILL; the exit code as in wait().
  int stop(double grace_s = 20);
  pid_t pid() const { return pid_; }

private:
  pid_t pid_ = -1;
  int status_ = -1;
};

/// What the test node runs: one strategy on an endless synthetic feed at `speed`× real time.
struct node_options {
  std::string name = "obs-test";
  int speed = 20;          ///< event time per wall time; one bar per interval_ms of event time
  int interval_ms = 1000;  ///< bar interval of the synthetic feed
  std::string log_level = "info"; ///< log.level
  std::string bridge_yaml; ///< more keys under `bridge:`, each line indented two spaces (e.g. a tls section)
};

/// A tradewind node with the bridge on an ephemeral port and an admin API key.
class node_process {
public:
  /// Writes keys and config under `dir`, starts `binary run -c`, waits for the
  /// `event=bridge_listening` log line. "" on success, else what went wrong with the log.
  std::string start(const std::filesystem::path& dir, const std::string& binary, const node_options& opts);
  /// SIGTERM and wait; the exit code.
  int stop();
  uint16_t port() const { return port_; }
  const std::string& admin_token() const { return admin_; }
  std::string log() const { return read_text(dir_ / "node.log"); }
  const std::filesystem::path& dir() const { return dir_; }

private:
  std::filesystem::path dir_;
  child_process proc_;
  uint16_t port_ = 0;
  std::string admin_;
};

} // namespace tradewind::test
