// What POST /admin/reload asks of the server it runs in: re-read the configuration and apply it whole, or
// keep the running one and say why.
#pragma once

#include <string>
#include <vector>

namespace p2j::endpoints {

struct ReloadReport {
  bool success = false;
  std::string error;  // "file:line:col: what is wrong", when not
  std::string file;
  int generation = 0;  // of the configuration serving now: 1 at start-up, +1 per successful reload
  size_t endpoints = 0;
  std::vector<std::string> created;           // plugin instances made for this configuration
  std::vector<std::string> kept;              // taken over unchanged from the previous one
  std::vector<std::string> removed;           // the previous one's instances this one does not use
  std::vector<std::string> restart_required;  // settings that changed but keep their running value
};

class ConfigReloader {
 public:
  virtual ~ConfigReloader() = default;
  // Never throws: a failure is a report with success false.
  virtual ReloadReport reload() = 0;
};

}  // namespace p2j::endpoints
