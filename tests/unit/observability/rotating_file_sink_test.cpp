#include "observability/rotating_file_sink.hpp"
#include "observability/log_format.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace p2j::observability {
namespace {

using std::chrono::hours;
using Clock = std::chrono::system_clock;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(RotatingFileSink& sink, const std::string& text, Clock::time_point time = Clock::now()) {
  sink.log(spdlog::details::log_msg(time, {}, "p2j", spdlog::level::info, text));
}

std::shared_ptr<RotatingFileSink> makeSink(const std::filesystem::path& path, LogRotation rotation) {
  auto sink = std::make_shared<RotatingFileSink>(path, rotation);
  sink->set_formatter(std::make_unique<TextLogFormatter>());
  return sink;
}

TEST(RotatingFileSink, RotatesBySizeAndKeepsTheNewestFiles) {
  testing::TempDir dir;
  const auto path = dir.path() / "p2j.log";
  auto sink = makeSink(path, {.max_bytes = 4096, .interval = LogRotation::Interval::kNone, .keep = 2});
  const std::string line(100, 'x');  // ~150 bytes a line with the prefix
  for (int i = 0; i < 200; ++i) write(*sink, line + std::to_string(i));
  for (const auto& file :
       {path, std::filesystem::path(path.string() + ".1"), std::filesystem::path(path.string() + ".2")}) {
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    EXPECT_LE(std::filesystem::file_size(file), 4096u) << file;
  }
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".3"));
  EXPECT_NE(read(path).find(line + "199\n"), std::string::npos) << "the newest line is in the current file";
  const std::string previous = read(path.string() + ".1");
  EXPECT_EQ(previous.back(), '\n') << "a line is never split across files";
}

TEST(RotatingFileSink, RotatesAtTheFirstLineOfANewPeriod) {
  testing::TempDir dir;
  const auto path = dir.path() / "access.log";
  auto sink = makeSink(path, {.max_bytes = 0, .interval = LogRotation::Interval::kHourly, .keep = 5});
  const auto hour = std::chrono::floor<hours>(Clock::now()) + hours(1);
  write(*sink, "late in this hour", hour - std::chrono::seconds(1));
  write(*sink, "first of the next", hour);
  write(*sink, "second of the next", hour + std::chrono::minutes(5));
  EXPECT_NE(read(path.string() + ".1").find("late in this hour"), std::string::npos);
  EXPECT_EQ(read(path.string() + ".1").find("next"), std::string::npos);
  EXPECT_NE(read(path).find("first of the next"), std::string::npos);
  EXPECT_NE(read(path).find("second of the next"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".2"));
}

TEST(RotatingFileSink, AFileFromAnEarlierDayIsRotatedBeforeTheFirstLine) {
  testing::TempDir dir;
  const auto path = dir.path() / "p2j.log";
  std::ofstream(path) << "yesterday's line\n";
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - hours(30));
  auto sink = makeSink(path, {.interval = LogRotation::Interval::kDaily});
  write(*sink, "today's line");
  EXPECT_EQ(read(path.string() + ".1"), "yesterday's line\n");
  EXPECT_EQ(read(path).find("yesterday"), std::string::npos);
}

TEST(RotatingFileSink, AppendsToAFileOfThisPeriod) {
  testing::TempDir dir;
  const auto path = dir.path() / "p2j.log";
  std::ofstream(path) << "earlier run\n";
  auto sink = makeSink(path, {.interval = LogRotation::Interval::kDaily});
  write(*sink, "this run");
  EXPECT_EQ(read(path).rfind("earlier run\n", 0), 0u);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".1"));
}

TEST(RotatingFileSink, KeepZeroStartsOver) {
  testing::TempDir dir;
  const auto path = dir.path() / "p2j.log";
  auto sink = makeSink(path, {.max_bytes = 4096, .interval = LogRotation::Interval::kNone, .keep = 0});
  for (int i = 0; i < 100; ++i) write(*sink, std::string(100, 'y'));
  EXPECT_LE(std::filesystem::file_size(path), 4096u);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".1"));
}

TEST(RotatingFileSink, CreatesFilesOnlyTheOwnerAndGroupRead) {
  testing::TempDir dir;
  const auto path = dir.path() / "p2j.log";
  const mode_t previous = ::umask(0);
  auto sink = makeSink(path, {});
  ::umask(previous);
  const auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::others_all, std::filesystem::perms::none);
}

TEST(RotatingFileSink, AnUnwritablePathIsAClearError) {
  try {
    RotatingFileSink sink("/nonexistent-dir/p2j.log", {});
    FAIL() << "expected a LogFileError";
  } catch (const LogFileError& e) {
    EXPECT_EQ(e.path(), "/nonexistent-dir/p2j.log");
    EXPECT_NE(std::string(e.what()).find("cannot write the log file /nonexistent-dir/p2j.log"), std::string::npos);
  }
}

}  // namespace
}  // namespace p2j::observability
