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
#include <string>
#include <string_view>
#include <vector>

#include "rules/case_runner.h"
#include "rules/compiled.h"
#include "rules/evaluate.h"
#include "rules/internal/fuzz_support.h"
#include "rules/person.h"
#include "rules/scheme.h"

namespace talentflow::rules {
namespace {

// Every criterion of every scheme as a category of its own.
Registry EveryCriterionARule(const Registry& registry) {
  Registry copy = registry;
  for (auto& [id, scheme] : copy.schemes) fuzz::MakeEveryCriterionARule(scheme);
  return copy;
}

struct Compiled {
  Compiled(const Registry& registry, CompiledSchemes compiled_schemes)
      : registry(registry), schemes(std::move(compiled_schemes)), evaluator(schemes) {}
  const Registry& registry;
  CompiledSchemes schemes;
  FastEvaluator evaluator;
};

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
    fuzz::TrapUnlessEvaluatorsAgree(compiled->registry, compiled->schemes, compiled->evaluator,
                                    *person);
  }
  return 0;
}
