// Fuzz target for the flow engine and its publication (flows.h RunFlows,
// publish.h Publish): what `talentflow flows` does after the ingest.
//
// The input is a dataset laid out as for the ingest fuzzer: the first byte
// holds options, the rest is cut at each ASCII record separator (0x1E) into
// individual_user, individual_positions, individual_user_education (always
// written, empty when missing), company_mapping and individual_positions_raw
// (written when present). A dataset the ingest rejects is skipped (the ingest
// fuzzer covers that). For one it accepts, with the bundled gazetteer,
// rankings and title patterns (loaded once) and Hong Kong as the place:
//
//   options bit 0     persistent definition (else endpoint)
//   options bit 1     K = 2 quarters (else 1) for the persistent definition
//   options bits 2-3  disclosure k: 0, 1, 2 or 10
//   options bit 4     before = 2021-03 (else 2019-12); after is 2023-06
//
// Checks, each a trap when it fails: FlowsContext::Build accepts the
// dataset; every person gets exactly one class; the persistent definition
// with K = 1 gives the endpoint definition's classes; each published class
// count is the engine's count, and at least k; a class count of at least k
// is suppressed only as one of disclosure.complementary; neither the classes
// (which add up to the users) nor the leavers and their destinations hold a
// single suppressed count, nor suppressed counts on one side adding up to
// fewer than k while a published count of k or more is left; every
// published table is written without an
// internal error and results.json serialises (nlohmann throws on invalid
// UTF-8). The sanitizers catch memory errors and undefined behaviour.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/month.h"
#include "flows/flows.h"
#include "ingest/dataset.h"
#include "ingest/ingest.h"
#include "ingest/internal/fuzz_dataset.h"
#include "io/table.h"
#include "stats/flows_run.h"
#include "stats/publish.h"

namespace talentflow {
namespace {
namespace fs = std::filesystem;

// The bundled reference data, loaded once; a failure is the fuzzer's own.
struct Reference {
  Reference(Gazetteer g, UniversityRanks r, TitleRules t)
      : gazetteer(std::move(g)), ranks(std::move(r)), titles(std::move(t)) {}
  Gazetteer gazetteer;
  UniversityRanks ranks;
  TitleRules titles;
  uint32_t target = 0;
  std::vector<uint32_t> study_places;
  std::vector<PlaceName> study_names;
  std::optional<GazetteerMatcher> matcher;
  std::optional<RanksLookup> ranker;
};

const Reference& Ref() {
  static const Reference* ref = [] {
    StatusOr<Gazetteer> gazetteer = Gazetteer::LoadDefault();
    StatusOr<UniversityRanks> ranks = UniversityRanks::LoadDefault();
    StatusOr<TitleRules> titles = TitleRules::LoadDefault();
    if (!gazetteer.ok() || !ranks.ok() || !titles.ok()) __builtin_trap();
    auto* r = new Reference(std::move(*gazetteer), std::move(*ranks), std::move(*titles));
    std::optional<uint32_t> hk = r->gazetteer.FindPlace("Hong Kong");
    if (!hk) __builtin_trap();
    r->target = *hk;
    r->matcher.emplace(&r->gazetteer);
    r->ranker.emplace(&r->ranks, "THE");
    std::vector<std::pair<int, uint32_t>> study;
    for (uint32_t i = 0; i < r->gazetteer.size(); ++i) {
      int order = r->gazetteer.place(i).study_order;
      if (order > 0) study.emplace_back(order, i);
    }
    std::sort(study.begin(), study.end());
    for (const auto& [order, idx] : study) {
      r->study_places.push_back(idx);
      r->study_names.push_back({r->gazetteer.place(idx).name_en, r->gazetteer.place(idx).name_zh});
    }
    return r;
  }();
  return *ref;
}

FlowsContext Context(const Dataset& dataset, const FlowsParams& params) {
  const Reference& ref = Ref();
  StatusOr<FlowsContext> ctx =
      FlowsContext::Build(dataset, *ref.matcher, ref.titles, &*ref.ranker, params);
  if (!ctx.ok()) __builtin_trap();  // valid parameters: every loaded dataset is accepted
  return std::move(*ctx);
}

}  // namespace
}  // namespace talentflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const fs::path& scratch = fuzz::ScratchDir("flows");
  const fs::path dir = fuzz::WriteDataset(
      std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), scratch);

  const Reference& ref = Ref();
  StatusOr<Dataset> dataset = fuzz::LoadWithFuzzOptions(dir, scratch);
  if (!dataset.ok()) return 0;

  FlowsParams params;
  params.target_place = ref.target;
  params.before = (flags & 0x10) != 0 ? MakeMonth(2021, 3) : MakeMonth(2019, 12);
  params.after = MakeMonth(2023, 6);
  params.study_places = ref.study_places;
  params.threads = 1;
  params.definition = (flags & 1) != 0 ? MoveDefinition::kPersistent : MoveDefinition::kEndpoint;
  params.persist_quarters = (flags & 2) != 0 ? 2 : 1;
  const FlowsContext ctx = Context(*dataset, params);
  const FlowsResult result = RunFlows(ctx);

  int64_t classified = 0;
  for (int64_t n : result.acc.classes) classified += n;
  if (classified != static_cast<int64_t>(dataset->users.size())) __builtin_trap();
  if (params.definition == MoveDefinition::kPersistent && params.persist_quarters == 1) {
    FlowsParams endpoint = params;
    endpoint.definition = MoveDefinition::kEndpoint;
    if (RunFlows(Context(*dataset, endpoint)).acc.classes != result.acc.classes) __builtin_trap();
  }

  static constexpr int kKs[] = {0, 1, 2, 10};
  PublishOptions publish;
  publish.k = kKs[(flags >> 2) & 3];
  publish.study_place_names = ref.study_names;
  const Publication pub = Publish(ctx, result, publish);
  const auto& classes = pub.results.at("classes");
  const int64_t complementary = pub.results.at("disclosure").at("complementary").get<int64_t>();
  int64_t hidden = 0, hidden_at_k = 0, hidden_sum = 0;
  bool class_partner_left = false;
  for (int c = 0; c < kFlowClasses; ++c) {
    const std::string name(FlowClassName(static_cast<FlowClass>(c)));
    const auto& cell = c < 4 ? classes.at(name) : classes.at("unclassified").at(name);
    const int64_t n = result.acc.classes[c];
    if (!cell.is_null() && (cell.get<int64_t>() != n || n < publish.k)) __builtin_trap();
    hidden += cell.is_null();
    hidden_at_k += cell.is_null() && n >= publish.k;
    if (cell.is_null()) hidden_sum += n;
    class_partner_left = class_partner_left || (!cell.is_null() && n >= publish.k);
  }
  // The classes add up to the users: one hidden class would be given back,
  // and hidden ones adding up to fewer than k persons would be that group.
  if (hidden == 1 || hidden_at_k > complementary) __builtin_trap();
  if (hidden >= 2 && hidden_sum < publish.k && class_partner_left) __builtin_trap();
  // Leavers by destination add up to the leavers (with no row at all the
  // empty table says there are none: nothing to hide).
  const auto& countries = pub.results.at("flows_by_country");
  const bool leavers_hidden = classes.at("leaver").is_null();
  int64_t hidden_leave = leavers_hidden;
  // What a reader computes: the leavers less the published destinations.
  int64_t hidden_leave_sum = leavers_hidden ? 0 : classes.at("leaver").get<int64_t>();
  bool leave_partner_left = !leavers_hidden;  // a published class is at least k
  for (const auto& row : countries) {
    if (row.at("leave").is_null()) {
      ++hidden_leave;
      continue;
    }
    hidden_leave_sum -= row.at("leave").get<int64_t>();
    leave_partner_left = leave_partner_left || row.at("leave").get<int64_t>() >= publish.k;
  }
  if (!countries.empty() && hidden_leave == 1) __builtin_trap();
  if (!leavers_hidden && hidden_leave >= 2 && hidden_leave_sum < publish.k && leave_partner_left) {
    __builtin_trap();
  }
  for (const Table& table : pub.tables) {
    if (!WriteTable(scratch / "tables", table).ok()) __builtin_trap();
  }
  fuzz::WriteFile(scratch / "results.json", pub.results.dump(2));
  return 0;
}
