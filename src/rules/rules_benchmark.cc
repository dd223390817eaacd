// Speed of the scheme engine: every scheme for one person (the unit of work
// of `schemes check` and of each person in `schemes pool`).
#include <benchmark/benchmark.h>

#include "io/file_util.h"
#include "rules/evaluate.h"

namespace talentflow::rules {
namespace {

void BM_CheckPersonAllSchemes(benchmark::State& state) {
  StatusOr<Registry> registry = LoadRegistry(TALENTFLOW_DATA_DIR "/schemes");
  StatusOr<std::string> text = ReadFile(TALENTFLOW_DATA_DIR "/../tests/rules/people/ann.json");
  if (!registry.ok() || !text.ok()) {
    state.SkipWithError("fixtures not found");
    return;
  }
  StatusOr<Person> person = ParsePersonJson(nlohmann::json::parse(*text), "ann.json");
  Date date = *ParseDate("2025-07-01");
  for (auto _ : state) {
    std::vector<SchemeResult> results = CheckPerson(*registry, *person, date, state.range(0) != 0);
    benchmark::DoNotOptimize(results);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckPersonAllSchemes)->Arg(1)->Arg(0);

}  // namespace
}  // namespace talentflow::rules
