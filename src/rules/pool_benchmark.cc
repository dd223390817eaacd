// Speed of population mode on an in-memory dataset of generated profiles
// (deterministic: user i's history is a function of i): classification of
// every user, the inputs of the persons counted and the compiled evaluation.
#include <benchmark/benchmark.h>

#include "panel/test_dataset.h"
#include "rules/pool.h"

namespace talentflow::rules {
namespace {

using talentflow::testing::NameMatcher;
using talentflow::testing::TestDataset;

const Dataset& BigDataset(int users) {
  static std::map<int, Dataset> cache;
  auto it = cache.find(users);
  if (it != cache.end()) return it->second;
  TestDataset t;
  const char* unis[] = {"University of Oxford", "ETH Zurich", "Harvard University",
                        "Unknown College"};
  const char* places[] = {"Hong Kong", "Singapore", "United States"};
  for (int idx = 0; idx < users; ++idx) {
    std::string id = "u" + std::to_string(idx);
    t.User(id).birth_year = 1960 + idx % 40;
    std::string mid = std::to_string(2016 + idx % 5) + "-0" + std::to_string(1 + idx % 9);
    t.Position(id, id + "a", "2012-01", mid, places[idx % 3]).salary = 50000 + (idx % 50) * 10000;
    t.Position(id, id + "b", mid, "", places[(idx / 3) % 3]).salary = 60000 + (idx % 60) * 10000;
    t.Education(id, unis[idx % 4], talentflow::Degree::kBachelor).end = "2011-06";
  }
  return cache.emplace(users, t.Build(MakeMonth(2023, 9))).first->second;
}

void BM_Pool(benchmark::State& state) {
  static const NameMatcher places({"Hong Kong", "Singapore"});
  static const TitleRules titles = *TitleRules::LoadDefault();
  StatusOr<Registry> registry = LoadRegistry(TALENTFLOW_DATA_DIR "/schemes");
  if (!registry.ok()) {
    state.SkipWithError("schemes not found");
    return;
  }
  if (state.range(1) == 1)
    std::erase_if(registry->schemes, [](const auto& s) { return s.first != "hk/ttps"; });
  const Dataset& dataset = BigDataset(static_cast<int>(state.range(0)));
  FlowsParams params{.target_place = 0,
                     .before = MakeMonth(2015, 12),
                     .after = MakeMonth(2023, 6),
                     .study_places = {},
                     .threads = 2};
  StatusOr<FlowsContext> flows = FlowsContext::Build(dataset, places, titles, nullptr, params);
  PoolOptions options;
  options.date = *ParseDate("2023-06-01");
  options.classes = {FlowClass::kStayer, FlowClass::kJoiner, FlowClass::kLeaver};
  options.threads = 2;
  for (auto _ : state) {
    StatusOr<PoolResult> result = RunPool(*registry, *flows, options);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
// Args: users, 0 = all schemes / 1 = hk/ttps only. The work runs on two
// worker threads, so CPU is the whole process's and time is wall time.
BENCHMARK(BM_Pool)
    ->Args({100000, 0})
    ->Args({100000, 1})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace talentflow::rules
