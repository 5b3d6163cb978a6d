#include "bridge/metrics/process_metrics.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <prometheus/metric_family.h>

namespace tradewind::metrics {

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<double> count_fds(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (!d)
    return std::nullopt;
  double n = 0;
  while (auto* e = readdir(d))
    if (e->d_name[0] != '.')
      ++n;
  closedir(d);
  return n - 1; // the descriptor opendir itself holds
}

prometheus::MetricFamily family(const std::string& name, const std::string& help,
                                prometheus::MetricType type, double value) {
  prometheus::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter)
    m.counter.value = value;
  else
    m.gauge.value = value;
  f.metric.push_back(m);
  return f;
}

} // namespace

process_sample parse_process_stat(const std::string& pid_stat, const std::string& system_stat,
                                  long ticks_per_s, long page_size) {
  process_sample out;
  // The command name (field 2) may contain spaces and parentheses: fields start after the last ')'.
  auto close = pid_stat.rfind(')');
  if (close != std::string::npos && ticks_per_s > 0) {
    std::istringstream fields(pid_stat.substr(close + 1));
    std::vector<std::string> f; // f[0] is field 3 (state)
    for (std::string tok; fields >> tok;)
      f.push_back(tok);
    if (f.size() >= 22) {
      double utime = std::stod(f[11]), stime = std::stod(f[12]); // fields 14 and 15
      out.cpu_seconds = (utime + stime) / static_cast<double>(ticks_per_s);
      double start_ticks = std::stod(f[19]);                      // field 22
      out.virtual_memory_bytes = std::stod(f[20]);               // field 23
      out.resident_memory_bytes = std::stod(f[21]) * static_cast<double>(page_size); // field 24
      std::istringstream sys(system_stat);
      for (std::string line; std::getline(sys, line);)
        if (line.rfind("btime ", 0) == 0)
          out.start_time_seconds = std::stod(line.substr(6)) + start_ticks / static_cast<double>(ticks_per_s);
    }
  }
  return out;
}

process_sample read_process_sample(const std::string& proc_dir) {
  auto out = parse_process_stat(read_all(proc_dir + "/self/stat"), read_all(proc_dir + "/stat"),
                                sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE));
  out.open_fds = count_fds(proc_dir + "/self/fd");
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0)
    out.max_fds = static_cast<double>(lim.rlim_cur);
  return out;
}

std::vector<prometheus::MetricFamily> process_collector::Collect() const {
  using prometheus::MetricType;
  auto s = read_process_sample();
  std::vector<prometheus::MetricFamily> out;
  auto add = [&](const std::optional<double>& v, const char* name, const char* help, MetricType t) {
    if (v)
      out.push_back(family(name, help, t, *v));
  };
  add(s.cpu_seconds, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
      MetricType::Counter);
  add(s.resident_memory_bytes, "process_resident_memory_bytes", "Resident memory size in bytes.",
      MetricType::Gauge);
  add(s.virtual_memory_bytes, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
      MetricType::Gauge);
  add(s.open_fds, "process_open_fds", "Number of open file descriptors.", MetricType::Gauge);
  add(s.max_fds, "process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge);
  add(s.start_time_seconds, "process_start_time_seconds",
      "Start time of the process since unix epoch in seconds.", MetricType::Gauge);
  return out;
}

} // namespace tradewind::metrics
