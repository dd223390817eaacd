// Fuzz target for the scheme and list file loader (scheme.h LoadSchemeText,
// LoadListText), the strict TOML reader of user-editable rule files.
//
// The input is loaded both as a list file and as a scheme file (against the
// bundled lists of data/schemes/lists). A list that loads is queried by its
// own names. A scheme that loads is evaluated, on its own and with every
// criterion made a rule of its own, on the days its rules and parameters
// change and a few fixed days, for the hand-worked people of
// tests/rules/people, by the tracing evaluator (evaluate.h CheckPerson) and
// by the compiled one (compiled.h, fast and explain modes); the two must
// agree on every verdict, points range, pass mark and missing field. The
// loader's promise is that evaluation never meets a dangling reference, so
// any crash, sanitizer report or escaping exception after a successful load
// is a loader bug. A disagreement traps.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_util.h"
#include "rules/compiled.h"
#include "rules/evaluate.h"
#include "rules/internal/fuzz_support.h"
#include "rules/person.h"
#include "rules/scheme.h"

namespace talentflow::rules {
namespace {

void ExpectSame(const Registry& registry, const std::vector<Person>& people, Date date) {
  StatusOr<CompiledSchemes> compiled = CompiledSchemes::Compile(registry, date);
  // A scheme that loaded must compile: the loader checked every reference.
  if (!compiled.ok()) __builtin_trap();
  FastEvaluator evaluator(*compiled);
  for (const Person& person : people)
    fuzz::TrapUnlessEvaluatorsAgree(registry, *compiled, evaluator, person);
}

// The dates on which something in `scheme` starts or stops, the day before,
// and a few fixed days; at most a dozen, to keep each run fast.
std::vector<Date> DatesOf(const Scheme& scheme) {
  std::set<int> days = {MakeDate(2019, 6, 30).days, MakeDate(2024, 11, 1).days};
  auto add = [&](Date date) {
    if (days.size() < 12) days.insert({date.days - 1, date.days});
  };
  add(scheme.launched);
  if (scheme.closed) add(Date{scheme.closed->days + 1});
  for (const Rule& rule : scheme.rules) add(rule.from);
  for (const auto& [name, param] : scheme.parameters)
    for (const ParamValue& value : param.values) add(value.from);
  std::vector<Date> dates;
  for (int day : days) dates.push_back(Date{day});
  return dates;
}

struct Fixture {
  Registry registry;  // the bundled lists only
  std::vector<Person> people;
};

Fixture& TheFixture() {
  static Fixture* fixture = [] {
    auto* f = new Fixture;
    StatusOr<Registry> loaded = LoadRegistry(TALENTFLOW_SOURCE_DIR "/data/schemes");
    if (!loaded.ok()) __builtin_trap();
    f->registry.lists = std::move(loaded->lists);
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(TALENTFLOW_SOURCE_DIR "/tests/rules/people", ec)) {
      if (entry.path().extension() != ".json") continue;
      StatusOr<std::string> text = ReadFile(entry.path());
      if (!text.ok()) __builtin_trap();
      StatusOr<Person> person =
          ParsePersonJson(nlohmann::json::parse(*text), entry.path().filename().string());
      if (!person.ok()) __builtin_trap();
      f->people.push_back(std::move(person).value());
    }
    f->people.push_back(Person{});  // nothing known
    return f;
  }();
  return *fixture;
}

}  // namespace
}  // namespace talentflow::rules

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow::rules;
  Fixture& fixture = TheFixture();
  std::string_view text(reinterpret_cast<const char*>(data), size);

  talentflow::StatusOr<DatedList> list = LoadListText(text, "lists/fuzz.toml", "fuzz");
  if (list.ok()) {
    for (const ListEntry& entry : list->entries) {
      list->Find(entry.name, entry.from);
      for (const std::string& alias : entry.aliases) list->Find(alias, MakeDate(2024, 11, 1));
    }
  } else if (list.status().message().empty()) {
    __builtin_trap();
  }

  talentflow::StatusOr<Scheme> scheme =
      LoadSchemeText(text, "fz/fuzz.toml", "fz/fuzz", fixture.registry.lists);
  if (!scheme.ok()) {
    if (scheme.status().message().empty()) __builtin_trap();
    return 0;
  }
  const std::vector<Date> dates = DatesOf(*scheme);
  Registry& registry = fixture.registry;
  registry.schemes.emplace("fz/fuzz", *scheme);
  for (Date date : dates) ExpectSame(registry, fixture.people, date);
  fuzz::MakeEveryCriterionARule(registry.schemes.at("fz/fuzz"));
  for (Date date : dates) ExpectSame(registry, fixture.people, date);
  registry.schemes.clear();
  return 0;
}
