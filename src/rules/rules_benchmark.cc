// Speed of the scheme engine: every scheme for one person (the unit of work
// of `schemes check` and of each person in `schemes pool`), with the tracing
// evaluator and with the compiled one the pool uses.
#include <benchmark/benchmark.h>

#include "io/file_util.h"
#include "rules/compiled.h"
#include "rules/evaluate.h"

namespace talentflow::rules {
namespace {

struct Fixture {
  Registry registry;
  Person person;
  Date date;
};

// tests/rules/people/ann.json on 2025-07-01, or nullopt when not found.
const Fixture* Ann() {
  static const std::optional<Fixture> fixture = []() -> std::optional<Fixture> {
    StatusOr<Registry> registry = LoadRegistry(TALENTFLOW_DATA_DIR "/schemes");
    StatusOr<std::string> text = ReadFile(TALENTFLOW_DATA_DIR "/../tests/rules/people/ann.json");
    if (!registry.ok() || !text.ok()) return std::nullopt;
    StatusOr<Person> person = ParsePersonJson(nlohmann::json::parse(*text), "ann.json");
    if (!person.ok()) return std::nullopt;
    return Fixture{std::move(registry).value(), std::move(person).value(),
                   *ParseDate("2025-07-01")};
  }();
  return fixture ? &*fixture : nullptr;
}

// Arg 1: full trace (`schemes check`); 0: the lean trace path.
void BM_CheckPersonAllSchemes(benchmark::State& state) {
  const Fixture* ann = Ann();
  if (ann == nullptr) {
    state.SkipWithError("fixtures not found");
    return;
  }
  for (auto _ : state) {
    std::vector<SchemeResult> results =
        CheckPerson(ann->registry, ann->person, ann->date, state.range(0) != 0);
    benchmark::DoNotOptimize(results);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckPersonAllSchemes)->Arg(1)->Arg(0);

// The compiled evaluator (`schemes pool`); arg 1 also collects the missing
// fields. The input is built once, as the pool resolves institutions once.
void BM_CompiledPersonAllSchemes(benchmark::State& state) {
  const Fixture* ann = Ann();
  if (ann == nullptr) {
    state.SkipWithError("fixtures not found");
    return;
  }
  StatusOr<CompiledSchemes> compiled = CompiledSchemes::Compile(ann->registry, ann->date);
  if (!compiled.ok()) {
    state.SkipWithError("compile failed");
    return;
  }
  PersonInput input;
  compiled->FillInput(ann->person, &input);
  FastEvaluator evaluator(*compiled);
  std::vector<FastResult> results;
  for (auto _ : state) {
    evaluator.Evaluate(input, &results, state.range(0) != 0);
    benchmark::DoNotOptimize(results.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompiledPersonAllSchemes)->Arg(0)->Arg(1);

// Compiling every scheme for a date (once per pool run).
void BM_CompileSchemes(benchmark::State& state) {
  const Fixture* ann = Ann();
  if (ann == nullptr) {
    state.SkipWithError("fixtures not found");
    return;
  }
  for (auto _ : state) {
    StatusOr<CompiledSchemes> compiled = CompiledSchemes::Compile(ann->registry, ann->date);
    benchmark::DoNotOptimize(compiled);
  }
}
BENCHMARK(BM_CompileSchemes);

}  // namespace
}  // namespace talentflow::rules
