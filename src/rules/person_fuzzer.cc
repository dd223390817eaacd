// Fuzz target for person files (person.h ParsePersonJson, and the TOML form
// of the scheme test cases through case_runner.h TomlPersonToJson).
//
// The input is a person as JSON or, failing that, as TOML. A person that
// parses is evaluated against the bundled schemes (data/schemes) on a few
// dates both by the tracing evaluator (evaluate.h CheckPerson) and by the
// compiled one (compiled.h FastEvaluator, fast and explain modes), also with
// every criterion made a rule of its own; they must agree on every verdict,
// points range, pass mark and (explain mode) missing field, as compiled.h
// promises. Any exception escaping, or a disagreement, ends the run.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/case_runner.h"
#include "rules/compiled.h"
#include "rules/evaluate.h"
#include "rules/person.h"
#include "rules/scheme.h"

namespace talentflow::rules {
namespace {

// Every criterion of every scheme as a category of its own, in force on
// every date, so the evaluators are compared criterion by criterion.
Registry EveryCriterionARule(const Registry& registry) {
  Registry copy = registry;
  for (auto& [id, scheme] : copy.schemes) {
    scheme.launched = MakeDate(1900, 1, 1);
    scheme.closed.reset();
    scheme.rules.clear();
    for (const auto& [name, criterion] : scheme.criteria) {
      Rule rule;
      rule.from = scheme.launched;
      rule.category = name;
      rule.eligible = name;
      if (criterion.IsScored()) rule.score = name;
      scheme.rules.push_back(std::move(rule));
    }
  }
  return copy;
}

// Equal, counting NaN as equal to NaN: the evaluators must agree, not be finite.
bool Same(double a, double b) { return a == b || (a != a && b != b); }
bool Same(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || Same(*a, *b));
}

struct Compiled {
  Compiled(const Registry& registry, CompiledSchemes compiled_schemes)
      : registry(registry), schemes(std::move(compiled_schemes)), evaluator(schemes) {}
  const Registry& registry;
  CompiledSchemes schemes;
  FastEvaluator evaluator;
};

void ExpectSame(Compiled& compiled, const Person& person) {
  const Date date = compiled.schemes.date();
  const std::vector<SchemeResult> want = CheckPerson(compiled.registry, person, date);
  PersonInput input;
  compiled.schemes.FillInput(person, &input);
  std::vector<FastResult> fast, explained;
  compiled.evaluator.Evaluate(input, &fast);
  compiled.evaluator.Evaluate(input, &explained, /*explain=*/true);
  const auto& slots = compiled.schemes.slots();
  if (slots.size() != want.size() || fast.size() != want.size() || explained.size() != want.size())
    __builtin_trap();
  for (size_t pos = 0; pos < want.size(); ++pos) {
    const SchemeResult& trace = want[pos];
    if (slots[pos].scheme != trace.scheme || slots[pos].category != trace.category)
      __builtin_trap();
    for (const FastResult* got : {&fast[pos], &explained[pos]}) {
      if (got->verdict != trace.verdict || got->scored != trace.scored ||
          !Same(got->points_min, trace.points_min) || !Same(got->points_max, trace.points_max) ||
          !Same(got->pass_mark, trace.pass_mark))
        __builtin_trap();
    }
    if (!fast[pos].missing.empty() || explained[pos].missing != trace.missing) __builtin_trap();
  }
}

std::vector<std::unique_ptr<Compiled>>& AllCompiled() {
  static auto* all = [] {
    auto* registry = new Registry;
    StatusOr<Registry> loaded = LoadRegistry(TALENTFLOW_SOURCE_DIR "/data/schemes");
    if (!loaded.ok()) __builtin_trap();
    *registry = std::move(loaded).value();
    auto* every_criterion = new Registry(EveryCriterionARule(*registry));
    auto* compiled = new std::vector<std::unique_ptr<Compiled>>;
    for (const Registry* reg : {registry, every_criterion}) {
      for (Date date : {MakeDate(2019, 6, 30), MakeDate(2023, 1, 1), MakeDate(2024, 11, 1),
                        MakeDate(2026, 3, 1)}) {
        StatusOr<CompiledSchemes> schemes = CompiledSchemes::Compile(*reg, date);
        if (!schemes.ok()) __builtin_trap();
        compiled->push_back(std::make_unique<Compiled>(*reg, std::move(schemes).value()));
      }
    }
    return compiled;
  }();
  return *all;
}

}  // namespace
}  // namespace talentflow::rules

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow::rules;
  auto& all = AllCompiled();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    talentflow::StatusOr<nlohmann::json> from_toml = TomlPersonToJson(text, "fuzz.toml");
    if (!from_toml.ok()) return 0;
    json = std::move(from_toml).value();
  }
  talentflow::StatusOr<Person> person = ParsePersonJson(json, "fuzz.json");
  if (!person.ok()) {
    if (person.status().message().empty()) __builtin_trap();
    return 0;
  }
  for (auto& compiled : all) {
    ResolveFields(*person, compiled->schemes.date());
    ExpectSame(*compiled, *person);
  }
  return 0;
}
