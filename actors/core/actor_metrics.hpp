#pragma once
// Per-actor message figures: tradewind_actor_messages_handled_total, the
// tradewind_actor_handling_seconds histogram and the tradewind_actor_mailbox_depth gauge,
// labelled `actor`. CAF 0.17 has no telemetry, so actors record into a probe (see
// actors/core/instrument.hpp); a probe is written by its actor's thread with relaxed atomics
// and read at scrape time, so recording takes no lock.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/collectable.h>

namespace tradewind {

/// The figures of one actor label. Every handled message is counted; one in `sample_every`
/// (the first, then every 16th) is timed and has the mailbox depth sampled, because two clock
/// reads per message (~50 ns each on this VM's kvm-clock) would add ~90 ns to every message,
/// as much as many handlers take. Lives as long as the node's actor_metrics, so an actor
/// restarted under the same label keeps counting where its predecessor stopped.
class actor_probe {
public:
  static constexpr uint64_t sample_every = 16;
  /// Upper bounds of the handling-time buckets, in nanoseconds (1 µs … 1 s).
  static constexpr std::array<int64_t, 14> bucket_bounds_ns{
    1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 500'000,
    1'000'000, 5'000'000, 25'000'000, 100'000'000, 1'000'000'000};

  /// Whether the next handled message is to be timed.
  bool next_is_sampled() const noexcept { return handled() % sample_every == 0; }
  /// One handled message.
  void count() noexcept { handled_.fetch_add(1, std::memory_order_relaxed); }
  /// A timed message: how long the handler ran, and how many messages were waiting in the
  /// mailbox when it started.
  void record_sample(int64_t handling_ns, size_t mailbox_depth) noexcept;
  /// The actor found its mailbox empty after a message: the depth is 0 until the next sample.
  void mailbox_drained() noexcept { depth_.store(0, std::memory_order_relaxed); }

  uint64_t handled() const noexcept { return handled_.load(std::memory_order_relaxed); }
  uint64_t mailbox_depth() const noexcept { return depth_.load(std::memory_order_relaxed); }
  /// Sum of the sampled handling times, in nanoseconds.
  uint64_t handling_ns() const noexcept { return sum_ns_.load(std::memory_order_relaxed); }
  /// Timed messages per bucket (not cumulative); the last element counts those above every bound.
  std::array<uint64_t, bucket_bounds_ns.size() + 1> buckets() const noexcept;

private:
  std::atomic<uint64_t> handled_{0};
  std::atomic<uint64_t> sum_ns_{0};
  std::atomic<uint64_t> depth_{0};
  std::array<std::atomic<uint64_t>, bucket_bounds_ns.size() + 1> buckets_{};
};

/// Every actor probe of one node, and their exposition. Thread-safe.
class actor_metrics : public prometheus::Collectable {
public:
  /// The probe of `actor` (e.g. "risk_gate", "strategy:ma"), created on first use; the
  /// reference stays valid for the lifetime of this object.
  actor_probe& probe(const std::string& actor);

  std::vector<prometheus::MetricFamily> Collect() const override;

private:
  mutable std::mutex mtx_;
  std::map<std::string, std::unique_ptr<actor_probe>> probes_;
};

} // namespace tradewind
