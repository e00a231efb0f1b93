// The storage plugins the storage tests run against, as a gtest parameter.
#pragma once

#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace p2j::testing {

enum class Backend { kSqlite, kPostgres };

// "sqlite" or "postgres": the test name suffix and the directory under migrations/.
inline std::string databaseName(Backend backend) { return backend == Backend::kSqlite ? "sqlite" : "postgres"; }

inline void PrintTo(Backend backend, std::ostream* out) { *out << databaseName(backend); }

inline std::string backendTestName(const ::testing::TestParamInfo<Backend>& backend) {
  return databaseName(backend.param);
}

inline const auto kBothBackends = ::testing::Values(Backend::kSqlite, Backend::kPostgres);

// The migration names of migrations/<database>/, oldest first: what a plugin must report.
inline std::vector<std::string> migrationFiles(const std::string& database) {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(kSourceDir) / "migrations" / database)) {
    if (entry.path().extension() == ".sql") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace p2j::testing
