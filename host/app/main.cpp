#include "app/commands.hpp"

#include <pthread.h>

#include <csignal>

int main(int argc, char** argv) {
  // Block the stop signals before any thread exists, so every thread inherits the mask and a signal
  // that arrives during start-up waits for sigwait() instead of killing the process mid-write.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  return p2j::app::runCommand(argc, argv, stop_signals);
}
