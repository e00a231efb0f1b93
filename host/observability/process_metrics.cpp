#include "observability/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

namespace p2j::observability {
namespace {

prometheus::MetricFamily single(const char* name, const char* help, prometheus::MetricType type, double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
  return family;
}

// The fields of /proc/self/stat after the command name (which may contain spaces and parentheses), so
// that fields[0] is field 3 of proc(5), `state`.
std::vector<std::string> statFields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  const size_t name_end = line.rfind(')');
  if (name_end == std::string::npos) return {};
  std::istringstream rest(line.substr(name_end + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

std::optional<double> bootTimeSeconds() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double value = 0;
      if (in >> value) return value;
      return std::nullopt;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

std::optional<double> openFileDescriptors() {
  std::error_code error;
  std::filesystem::directory_iterator it("/proc/self/fd", error);
  if (error) return std::nullopt;
  double count = 0;
  for (const auto& entry : it) {
    (void)entry;
    ++count;
  }
  return count - 1;  // the iterator's own descriptor
}

}  // namespace

std::vector<prometheus::MetricFamily> processMetrics() {
  using Type = prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;
  const std::vector<std::string> fields = statFields();
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // proc(5) numbers the fields from 1 and fields[0] is field 3: field N is fields[N - 3].
  auto field = [&](size_t number) { return std::stod(fields.at(number - 3)); };
  if (fields.size() >= 22 && ticks > 0) {
    families.push_back(single("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                              Type::Counter, (field(14) + field(15)) / ticks));
    families.push_back(single("process_threads", "Number of OS threads in the process.", Type::Gauge, field(20)));
    if (const auto boot = bootTimeSeconds()) {
      families.push_back(single("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                                Type::Gauge, *boot + field(22) / ticks));
    }
  }
  if (fields.size() >= 24) {
    families.push_back(single("process_virtual_memory_bytes", "Virtual memory size in bytes.", Type::Gauge, field(23)));
    families.push_back(
        single("process_resident_memory_bytes", "Resident memory size in bytes.", Type::Gauge, field(24) * page));
  }
  if (const auto open = openFileDescriptors()) {
    families.push_back(single("process_open_fds", "Number of open file descriptors.", Type::Gauge, *open));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    families.push_back(single("process_max_fds", "Maximum number of open file descriptors.", Type::Gauge,
                              static_cast<double>(limit.rlim_cur)));
  }
  return families;
}

}  // namespace p2j::observability
