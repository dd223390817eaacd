// Loading the shipped reference data and the per-row lookups the flow engine
// makes: university name matching and place matching.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "panel/gazetteer.h"
#include "panel/university_ranks.h"

namespace talentflow {
namespace {

void BM_LoadDefaultRanks(benchmark::State& state) {
  for (auto _ : state) {
    auto ranks = UniversityRanks::LoadDefault();
    if (!ranks.ok()) state.SkipWithError(ranks.status().message().c_str());
    benchmark::DoNotOptimize(ranks);
  }
}
BENCHMARK(BM_LoadDefaultRanks)->Unit(benchmark::kMillisecond);

void BM_LoadDefaultGazetteer(benchmark::State& state) {
  for (auto _ : state) {
    auto gaz = Gazetteer::LoadDefault();
    if (!gaz.ok()) state.SkipWithError(gaz.status().message().c_str());
    benchmark::DoNotOptimize(gaz);
  }
}
BENCHMARK(BM_LoadDefaultGazetteer)->Unit(benchmark::kMillisecond);

// A mix of direct hits, alias hits, fallback splits and misses.
void BM_FindUniversity(benchmark::State& state) {
  auto ranks = UniversityRanks::LoadDefault();
  if (!ranks.ok()) {
    state.SkipWithError(ranks.status().message().c_str());
    return;
  }
  const std::vector<std::string> names = {"The University of Hong Kong",
                                          "HKUST",
                                          "香港中文大學",
                                          "Univ. of California, Berkeley",
                                          "Northwestern University - Kellogg School of Management",
                                          "Lingnan University",
                                          "Harvard Business School",
                                          "University of Oxford",
                                          "清华大学",
                                          "Some College (Evening)"};
  size_t found = 0;
  for (auto _ : state) {
    for (const std::string& name : names) found += ranks->Find(name).has_value();
  }
  benchmark::DoNotOptimize(found);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(names.size()));
}
BENCHMARK(BM_FindUniversity);

void BM_MatchPlace(benchmark::State& state) {
  auto gaz = Gazetteer::LoadDefault();
  if (!gaz.ok()) {
    state.SkipWithError(gaz.status().message().c_str());
    return;
  }
  std::vector<uint32_t> out;
  for (auto _ : state) {
    out.clear();
    gaz->Match("United States", "San Francisco Bay Area", "Palo Alto", &out);
    gaz->Match("Hong Kong", "", "Kowloon", &out);
    gaz->Match("China", "Shenzhen Metropolitan Area", "Shenzhen", &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 3);
}
BENCHMARK(BM_MatchPlace);

}  // namespace
}  // namespace talentflow
