#pragma once

#include <string>

namespace p2j::observability {

// Tells the service manager that started p2j what it is doing, in sd_notify(3) terms ("READY=1",
// "STOPPING=1", "STATUS=..."), which systemd's Type=notify waits for. A no-op when no service manager
// asked for it ($NOTIFY_SOCKET unset), so the server runs the same by hand, in a container or in tests.
void notifyServiceManager(const std::string& state);

}  // namespace p2j::observability
