// Fuzz target for the population mode's derivation of scheme inputs from
// profiles (pool.h): differential, the pool's direct input
// (ProfileInputBuilder through FastEvaluator, what `schemes pool` counts)
// against the documented derivation (PersonFromProfile through the tracing
// CheckPerson), person by person, with the bundled schemes.
//
// The input is a dataset laid out as for the ingest fuzzer: the first byte
// holds options, the rest is cut at each ASCII record separator (0x1E) into
// individual_user, individual_positions, individual_user_education (always
// written, empty when missing), company_mapping and individual_positions_raw
// (written when present). A dataset the ingest rejects is skipped. Options:
//   bits 0-1  the evaluation date: 2016-01-01, 2023-06-01, 2024-11-01 or
//             2027-03-01 (before, during and after the schemes' changes)
//   bit 2     assume an allowed nationality
//   bits 3-5  seniority threshold of "senior" (1 + value)
// Every person is evaluated at the primary position of 2023-06 (panel.h
// LocateAt, as the flow engine locates them). For every scheme category the
// two paths must give the same verdict, the same points range and, when
// explaining, the same missing inputs; anything else traps.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/month.h"
#include "ingest/dataset.h"
#include "ingest/ingest.h"
#include "ingest/internal/fuzz_dataset.h"
#include "panel/panel.h"
#include "panel/title_rules.h"
#include "rules/compiled.h"
#include "rules/evaluate.h"
#include "rules/internal/fuzz_support.h"
#include "rules/pool.h"
#include "rules/scheme.h"

namespace talentflow::rules {
namespace {
namespace fs = std::filesystem;

constexpr const char* kDates[] = {"2016-01-01", "2023-06-01", "2024-11-01", "2027-03-01"};

// The bundled schemes, compiled once per date; a failure is the fuzzer's own.
struct Schemes {
  Registry registry;
  std::array<std::unique_ptr<CompiledSchemes>, 4> compiled;
  TitleRules titles;
};

const Schemes& Bundled() {
  static const Schemes* schemes = [] {
    StatusOr<Registry> registry = LoadRegistry(DefaultSchemesDir());
    StatusOr<TitleRules> titles = TitleRules::LoadDefault();
    if (!registry.ok() || !titles.ok()) __builtin_trap();
    auto* s = new Schemes{std::move(*registry), {}, std::move(*titles)};
    for (size_t d = 0; d < std::size(kDates); ++d) {
      StatusOr<CompiledSchemes> compiled =
          CompiledSchemes::Compile(s->registry, *ParseDate(kDates[d]));
      if (!compiled.ok()) __builtin_trap();
      s->compiled[d] = std::make_unique<CompiledSchemes>(std::move(*compiled));
    }
    return s;
  }();
  return *schemes;
}

}  // namespace
}  // namespace talentflow::rules

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  using namespace talentflow::rules;
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const fs::path& scratch = talentflow::fuzz::ScratchDir("pool");
  const fs::path dir = talentflow::fuzz::WriteDataset(
      std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), scratch);

  const Schemes& schemes = Bundled();
  StatusOr<Dataset> dataset = talentflow::fuzz::LoadWithFuzzOptions(dir, scratch);
  if (!dataset.ok()) return 0;

  const size_t date_idx = flags & 3;
  PoolOptions options;
  options.date = *ParseDate(kDates[date_idx]);
  options.assume_allowed_nationality = (flags & 4) != 0;
  options.senior_min = 1 + ((flags >> 3) & 7);
  const CompiledSchemes& compiled = *schemes.compiled[date_idx];
  const TitleFlags titles = TitleFlags::Build(*dataset, schemes.titles, 1);
  ProfileInputBuilder builder(compiled, *dataset, options);
  FastEvaluator evaluator(compiled);
  PersonInput input;
  std::vector<FastResult> got, explained;
  for (uint32_t user = 0; user < dataset->users.size(); ++user) {
    const Snapshot after = LocateAt(*dataset, titles, user, MakeMonth(2023, 6));
    const std::vector<SchemeResult> want = CheckPerson(
        schemes.registry, PersonFromProfile(*dataset, user, after, options), options.date);
    builder.Build(user, after, &input);
    evaluator.Evaluate(input, &got);
    evaluator.Evaluate(input, &explained, /*explain=*/true);
    if (got.size() != want.size() || explained.size() != want.size()) __builtin_trap();
    for (size_t i = 0; i < want.size(); ++i) {
      if (got[i].verdict != want[i].verdict || explained[i].verdict != want[i].verdict ||
          !rules::fuzz::Same(got[i].points_min, want[i].points_min) ||
          !rules::fuzz::Same(got[i].points_max, want[i].points_max) ||
          explained[i].missing != want[i].missing)
        __builtin_trap();
    }
  }
  return 0;
}
