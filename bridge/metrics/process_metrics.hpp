#pragma once
// The standard `process_*` metrics (prometheus-cpp does not provide them), read from /proc.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <prometheus/collectable.h>

namespace tradewind::metrics {

/// One reading of the process figures; a field is nullopt when /proc could not supply it.
struct process_sample {
  std::optional<double> cpu_seconds;          ///< user + system CPU time
  std::optional<double> resident_memory_bytes;
  std::optional<double> virtual_memory_bytes;
  std::optional<double> open_fds;
  std::optional<double> max_fds;              ///< soft RLIMIT_NOFILE
  std::optional<double> start_time_seconds;   ///< Unix time the process started
};

/// Reads the figures of the calling process from `proc_dir` ("/proc" outside tests).
process_sample read_process_sample(const std::string& proc_dir = "/proc");

/// Parses /proc/<pid>/stat and /proc/stat text (exposed for tests). `ticks_per_s` and
/// `page_size` come from sysconf in read_process_sample.
process_sample parse_process_stat(const std::string& pid_stat, const std::string& system_stat,
                                  long ticks_per_s, long page_size);

/// A collectable that reads /proc at every scrape.
class process_collector : public prometheus::Collectable {
public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

} // namespace tradewind::metrics
