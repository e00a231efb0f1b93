#include "app/restart_only.hpp"

namespace p2j::app {
namespace {

bool sameRotation(const observability::LogRotation& a, const observability::LogRotation& b) {
  return a.max_bytes == b.max_bytes && a.interval == b.interval && a.keep == b.keep;
}

}  // namespace

std::vector<std::string> restartOnlyChanges(const config::Config& running, const config::Config& wanted) {
  std::vector<std::string> changed;
  auto check = [&](bool differs, const char* name) {
    if (differs) changed.emplace_back(name);
  };
  const auto& a = running.server;
  const auto& b = wanted.server;
  check(a.host != b.host || a.port != b.port, "server.listen");
  check(a.threads != b.threads, "server.threads");
  check(a.max_queued != b.max_queued, "server.max_queued");
  check(a.keep_alive_timeout_seconds != b.keep_alive_timeout_seconds, "server.keep_alive_timeout_seconds");
  check(a.receive_timeout_seconds != b.receive_timeout_seconds, "server.receive_timeout_seconds");
  check(running.logging.json != wanted.logging.json, "logging.format");
  check(running.logging.file != wanted.logging.file, "logging.file");
  check(running.logging.access_file != wanted.logging.access_file, "logging.access_file");
  check(!sameRotation(running.logging.rotation, wanted.logging.rotation), "logging.rotation");
  check(running.metrics.enabled != wanted.metrics.enabled, "metrics.enabled");
  check(running.plugin_dirs != wanted.plugin_dirs, "plugin_dirs");
  return changed;
}

config::Config keepRestartOnly(const config::Config& running, config::Config wanted) {
  auto& server = wanted.server;
  server.host = running.server.host;
  server.port = running.server.port;
  server.threads = running.server.threads;
  server.max_queued = running.server.max_queued;
  server.keep_alive_timeout_seconds = running.server.keep_alive_timeout_seconds;
  server.receive_timeout_seconds = running.server.receive_timeout_seconds;
  wanted.logging.json = running.logging.json;
  wanted.logging.file = running.logging.file;
  wanted.logging.access_file = running.logging.access_file;
  wanted.logging.rotation = running.logging.rotation;
  wanted.metrics = running.metrics;
  wanted.plugin_dirs = running.plugin_dirs;
  return wanted;
}

}  // namespace p2j::app
