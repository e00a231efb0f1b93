#include "app/commands.hpp"

#include <pthread.h>

#include <csignal>

int main(int argc, char** argv) {
  // Block the stop and reload signals before any thread exists, so every thread inherits the mask and a
  // signal that arrives during start-up waits for sigwait() instead of killing the process mid-write.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  return p2j::app::runCommand(argc, argv, signals);
}
