#include "redis_connection.hpp"

#include <hiredis/hiredis.h>

#include <sys/time.h>
#include <cerrno>
#include <memory>

namespace p2j::redis {
namespace {

timeval toTimeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return tv;
}

Reply copyReply(const redisReply& raw) {
  Reply reply;
  switch (raw.type) {
    case REDIS_REPLY_STRING:
      reply.type = Reply::Type::kString;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_STATUS:
      reply.type = Reply::Type::kStatus;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_ERROR:
      reply.type = Reply::Type::kError;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_INTEGER:
      reply.type = Reply::Type::kInteger;
      reply.integer = raw.integer;
      break;
    case REDIS_REPLY_ARRAY:
      reply.type = Reply::Type::kArray;
      reply.elements.reserve(raw.elements);
      for (size_t i = 0; i < raw.elements; ++i) reply.elements.push_back(copyReply(*raw.element[i]));
      break;
    default:
      reply.type = Reply::Type::kNil;
      break;
  }
  return reply;
}

// Error replies that say the server cannot serve now, not that the command was wrong.
bool isNotReady(const std::string& error) {
  for (const std::string_view prefix : {"LOADING", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN", "CLUSTERDOWN"}) {
    if (error.starts_with(prefix)) return true;
  }
  return false;
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};

}  // namespace

Connection::Connection(const Address& address, Timeouts timeouts) : where_(address.display()) {
  context_ = redisConnectWithTimeout(address.host.c_str(), address.port, toTimeval(timeouts.connect));
  if (context_ == nullptr) throw Unavailable("Redis at " + where_ + ": out of memory for a connection");
  if (context_->err != 0) {
    const std::string reason = context_->errstr;
    redisFree(context_);
    throw Unavailable("cannot connect to Redis at " + where_ + ": " + reason);
  }
  try {
    if (redisSetTimeout(context_, toTimeval(timeouts.command)) != REDIS_OK) {
      throw Unavailable("Redis at " + where_ + ": cannot set the command timeout: " + context_->errstr);
    }
    // Dead peers behind a silent network are found by TCP keep-alive between commands.
    redisEnableKeepAlive(context_);
    if (!address.password.empty()) {
      const Reply login = address.username.empty() ? command({"AUTH", address.password})
                                                   : command({"AUTH", address.username, address.password});
      // The reply may quote the user name, never the password; it is not repeated either way.
      if (login.isError()) throw Unavailable("Redis at " + where_ + " refused the login (AUTH)");
    }
    if (address.database != 0) {
      const Reply selected = command({"SELECT", std::to_string(address.database)});
      if (selected.isError()) throw Unavailable("Redis at " + where_ + ": SELECT failed: " + selected.text);
    }
  } catch (...) {
    redisFree(context_);
    throw;
  }
}

Connection::~Connection() { redisFree(context_); }

Reply Connection::command(std::initializer_list<std::string_view> arguments) {
  return send(arguments.begin(), arguments.size());
}

Reply Connection::command(const std::vector<std::string_view>& arguments) {
  return send(arguments.data(), arguments.size());
}

Reply Connection::send(const std::string_view* arguments, size_t count) {
  if (broken_) throw Unavailable("Redis at " + where_ + ": the connection broke earlier");
  std::vector<const char*> pointers(count);
  std::vector<size_t> lengths(count);
  for (size_t i = 0; i < count; ++i) {
    pointers[i] = arguments[i].data();
    lengths[i] = arguments[i].size();
  }
  errno = 0;
  std::unique_ptr<redisReply, ReplyDeleter> raw(
      static_cast<redisReply*>(redisCommandArgv(context_, static_cast<int>(count), pointers.data(), lengths.data())));
  const int error_number = errno;
  if (raw == nullptr) {
    broken_ = true;
    const bool closed = context_->err == REDIS_ERR_EOF ||
                        (context_->err == REDIS_ERR_IO && (error_number == ECONNRESET || error_number == EPIPE));
    const bool timed_out = context_->err == REDIS_ERR_IO && (error_number == EAGAIN || error_number == EWOULDBLOCK);
    throw Unavailable("Redis at " + where_ + ": " + (timed_out ? "timed out" : std::string(context_->errstr)), closed);
  }
  Reply reply = copyReply(*raw);
  if (reply.isError() && isNotReady(reply.text)) throw Unavailable("Redis at " + where_ + ": " + reply.text);
  return reply;
}

}  // namespace p2j::redis
