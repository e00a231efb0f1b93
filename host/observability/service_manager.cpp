#include "observability/service_manager.hpp"

#include "observability/logging.hpp"

#include <systemd/sd-daemon.h>

namespace p2j::observability {

void notifyServiceManager(const std::string& state) {
  // A lost notification is not worth failing over: systemd's start timeout reports a missing READY=1.
  if (const int result = sd_notify(0, state.c_str()); result < 0) {
    log(Log::kApplication).warn("could not notify the service manager ({}): {}", state, result);
  }
}

}  // namespace p2j::observability
