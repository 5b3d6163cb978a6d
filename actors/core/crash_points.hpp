#pragma once
// Fault injection for crash-recovery tests: named points in the code where a node can be made
// to kill itself (SIGKILL, no cleanup) the Nth time it gets there, e.g. between the outbox
// commit and the send. Armed only by the TRADEWIND_CRASH_AT environment variable of
// `tradewind run`; a node without it pays one branch per point.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tradewind {

class crash_points {
public:
  /// The points this build knows, for validation and --help.
  static const std::vector<std::string>& known();

  /// Disarmed: reached() never kills.
  crash_points() = default;

  /// Parses "point:N[,point:N…]" (N >= 1). Sets `error` (naming the bad part and the
  /// known points) and returns nullopt on a malformed spec.
  static std::optional<crash_points> parse(std::string_view spec, std::string& error);

  /// Counts one arrival at `point`; kills the process with SIGKILL on the armed count.
  /// `before_kill` runs first (e.g. to flush the log). Thread-safe.
  template <class F>
  void reached(std::string_view point, F&& before_kill) {
    if (armed_.empty())
      return;
    if (auto* a = find(point); a && ++a->count == a->at) {
      before_kill();
      kill_now();
    }
  }

  bool armed() const { return !armed_.empty(); }

private:
  struct armed_point {
    std::string name;
    uint64_t at = 0;
    std::atomic<uint64_t> count{0};
  };
  armed_point* find(std::string_view point);
  [[noreturn]] static void kill_now();

  std::vector<std::unique_ptr<armed_point>> armed_; ///< pointers: atomics cannot move
};

} // namespace tradewind
