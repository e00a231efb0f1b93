// Times Extractor::extract() on each public corpus prompt and reports the median time per prompt
// (target: at most 10 µs). The corpus path comes from P2J_CORPUS, else tests/corpus/prompts.jsonl
// relative to the working directory (the repository root).
#include "extractor.hpp"

#include <p2j/sdk/plugin.hpp>

#include <benchmark/benchmark.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct CorpusPrompt {
  std::string id;
  std::string prompt;
};

std::vector<CorpusPrompt> loadCorpus(const std::string& path) {
  std::vector<CorpusPrompt> prompts;
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    rapidjson::Document row;
    row.Parse(line.c_str(), line.size());
    if (row.HasParseError() || !row.IsObject()) continue;
    const auto id = row.FindMember("id");
    const auto prompt = row.FindMember("prompt");
    if (id == row.MemberEnd() || prompt == row.MemberEnd() || !id->value.IsString() || !prompt->value.IsString()) {
      continue;
    }
    prompts.push_back({{id->value.GetString(), id->value.GetStringLength()},
                       {prompt->value.GetString(), prompt->value.GetStringLength()}});
  }
  return prompts;
}

const p2j::agent_rules::Extractor& extractor() {
  static const p2j::agent_rules::Extractor instance;
  return instance;
}

void extractOne(benchmark::State& state, const std::string& prompt) {
  for (auto _ : state) {
    try {
      benchmark::DoNotOptimize(extractor().extract(prompt));
    } catch (const p2j::sdk::Refused&) {
      // Refusals are part of the workload: a non-design prompt costs a throw.
    }
  }
}

// Prints each prompt's time as usual, then the median over all prompts.
class MedianReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      // Every benchmark here runs in microseconds (see Unit below), which is the unit this reports in.
      if (run.run_type == Run::RT_Iteration && run.iterations > 0) microseconds_.push_back(run.GetAdjustedRealTime());
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    if (microseconds_.empty()) return;
    std::sort(microseconds_.begin(), microseconds_.end());
    const size_t n = microseconds_.size();
    const double median = n % 2 == 1 ? microseconds_[n / 2] : (microseconds_[n / 2 - 1] + microseconds_[n / 2]) / 2;
    std::printf("median time per prompt: %.2f us over %zu prompts (max %.2f us)\n", median, n, microseconds_.back());
  }

 private:
  std::vector<double> microseconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const char* configured = std::getenv("P2J_CORPUS");
  const std::string path = configured != nullptr ? configured : "tests/corpus/prompts.jsonl";
  const auto prompts = loadCorpus(path);
  if (prompts.empty()) {
    std::fprintf(stderr, "extractor_bench: no prompts read from %s (set P2J_CORPUS)\n", path.c_str());
    return 2;
  }
  extractor();  // builds the tables before any timing
  for (const auto& entry : prompts) {
    benchmark::RegisterBenchmark(("extract/" + entry.id).c_str(), extractOne, entry.prompt)
        ->Unit(benchmark::kMicrosecond);
  }
  MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
