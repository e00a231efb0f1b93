#include "pipelines/active_sessions.hpp"

#include <atomic>

namespace p2j::pipelines {
namespace {

std::atomic<int64_t> active{0};

}  // namespace

ActiveSession::ActiveSession() { active.fetch_add(1, std::memory_order_relaxed); }

ActiveSession::~ActiveSession() { active.fetch_sub(1, std::memory_order_relaxed); }

int64_t ActiveSession::count() { return active.load(std::memory_order_relaxed); }

}  // namespace p2j::pipelines
