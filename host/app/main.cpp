#include "app/commands.hpp"

#include <malloc.h>
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
  // glibc gives the free top of a thread's heap back to the kernel once it passes 128 KiB: a request's
  // JSON documents (64 KiB pools) went back and forth, one madvise a twentieth request at 64 connections,
  // each a TLB shoot-down on every core. Up to 2 MiB per arena stays. Setting a threshold stops glibc from
  // moving its mmap threshold up as it would, so that one is set too: blocks up to 1 MiB (a large body,
  // its parse) come from the heap rather than from an mmap and munmap (another shoot-down) each time.
  mallopt(M_TRIM_THRESHOLD, 2 * 1024 * 1024);
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);

  return p2j::app::runCommand(argc, argv, signals);
}
