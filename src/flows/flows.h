// The flow engine: classes between two snapshots (spec flows.md section 4),
// person attributes (section 5) and every aggregate the published tables of
// section 6 need, computed in one pass over persons.
//
// Work is split into fixed blocks of kBlockUsers consecutive users (the
// Dataset is sorted by user_id), processed by `threads` workers. Each worker
// owns a FlowsAccumulator for order-free integer aggregates (counts, per-
// country and per-firm maps, salary lists); floating-point moments are kept
// per block and merged in block order, so results are bit-identical whatever
// the thread count. Every aggregate has Merge(), so a later stage can split
// users across processes and merge partial results the same way.
//
// Per-person work reads only the immutable Dataset and FlowsContext
// (precomputed lookups) and writes only its worker's accumulator.
//
// Example:
//   TF_ASSIGN_OR_RETURN(FlowsContext ctx, FlowsContext::Build(ds, inputs, params));
//   FlowsAccumulator acc = RunFlows(ctx);
//   acc.classes[int(FlowClass::kStayer)]
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/month.h"
#include "common/status.h"
#include "ingest/dataset.h"
#include "panel/panel.h"
#include "panel/place_matcher.h"
#include "panel/title_rules.h"
#include "stats/moments.h"

namespace talentflow {

enum class FlowClass : uint8_t {
  kStayer = 0,
  kJoiner,
  kLeaver,
  kOutside,
  kUnknownBefore,
  kUnknownAfter,
  kUnknownBoth,
};
inline constexpr int kFlowClasses = 7;
std::string_view FlowClassName(FlowClass c);

enum class AgeRule : uint8_t {
  kBirthYear = 0,
  kBachelorStart,
  kBachelorEnd,
  kFirstPosition,
  kUnknown,
};
inline constexpr int kAgeRules = 5;
std::string_view AgeRuleName(AgeRule r);

enum class CompanyStatus : uint8_t { kSame = 0, kDifferent, kUnknown };
inline constexpr int kCompanyStatuses = 3;
std::string_view CompanyStatusName(CompanyStatus s);

// Degree levels with university ranks (spec section 6.3 and 6.7).
enum class RankLevel : uint8_t { kBachelor = 0, kMaster, kMba, kDoctor };
inline constexpr int kRankLevels = 4;

// Age bands of spec 6.2: under 25, 25-29, ..., 55-59, 60 and over, unknown.
inline constexpr int kAgeBands = 10;
int AgeBandOf(std::optional<int> age);
std::string_view AgeBandName(int band);

// Variables compared between joiners and leavers (spec 6.3), in table order.
enum class JvlVar : uint8_t {
  kRankBachelor = 0,
  kRankMaster,
  kRankMba,
  kRankDoctor,
  kAge,
  kSalary,
  kAsian,
  kConnections,
  kConnectionsPerAge,
};
inline constexpr int kJvlVars = 9;
std::string_view JvlVarName(JvlVar v);

// University ranking lookup, as the engine needs it; the refdata
// UniversityRanks table is adapted to this in the flows command.
class UniversityRanker {
 public:
  virtual ~UniversityRanker() = default;
  struct Lookup {
    bool matched = false;        // the name is a known institution
    std::optional<double> rank;  // its rank in the chosen ranking/year
  };
  virtual Lookup Find(std::string_view university_name, int year) const = 0;
};

struct FlowsParams {
  uint32_t target_place = 0;  // index in the PlaceMatcher's places
  Month before = kNoMonth;
  Month after = kNoMonth;
  // Place indices reported in city human capital, in report order.
  std::vector<uint32_t> study_places;
  int threads = 0;  // 0: std::thread::hardware_concurrency()
};

struct UniversityMatchStats {
  int64_t education_rows = 0;
  int64_t with_university = 0;  // non-empty university_name
  int64_t matched = 0;          // name found in the rankings' institutions
  int64_t ranked = 0;           // found and ranked in the chosen ranking/year
};

// Read-only lookups shared by all workers, built once before the pass.
struct FlowsContext {
  const Dataset* dataset = nullptr;
  const PlaceMatcher* places = nullptr;
  FlowsParams params;
  TitleFlags titles;
  std::unordered_map<StrId, double> university_rank;  // ranked names only
  UniversityMatchStats university_match;
  std::unordered_map<StrId, int8_t> asian;  // ethnicity StrId -> 1 Asian, 0 not
  // Country grouping: dataset country StrId -> key id. Keys are the trimmed,
  // ASCII-lower-cased, space-collapsed text; key 0 is the empty country.
  std::unordered_map<StrId, uint32_t> country_key;
  std::vector<std::string> country_key_text;

  // REQUIRES: dataset, places and rules outlive the context. `ranker` may be
  // null (no ranks).
  static StatusOr<FlowsContext> Build(const Dataset& dataset, const PlaceMatcher& places,
                                      const TitleRules& rules, const UniversityRanker* ranker,
                                      const FlowsParams& params);
  uint32_t CountryKeyOf(StrId country) const {
    auto it = country_key.find(country);
    return it == country_key.end() ? 0 : it->second;
  }
};

// Attributes of one person (spec section 5).
struct PersonAttributes {
  AgeRule age_rule = AgeRule::kUnknown;
  std::optional<int> age;
  double salary = NAN;                                            // primary position at `after`
  std::array<double, kRankLevels> best_rank{NAN, NAN, NAN, NAN};  // lowest rank held
  std::array<bool, kRankLevels> holds{false, false, false, false};
  bool bachelor_or_higher = false;
  int8_t asian = -1;  // -1 unknown
  int32_t connections = -1;
  bool highly_educated = false;
  bool founder = false;
};

PersonAttributes ComputeAttributes(const FlowsContext& ctx, uint32_t user, const Snapshot& after);

// Everything one person's pass produces (exposed for tests).
struct PersonFlow {
  Snapshot before, after;
  FlowClass cls = FlowClass::kUnknownBoth;
  CompanyStatus company = CompanyStatus::kUnknown;
  uint32_t origin_key = 0, destination_key = 0;  // country keys at before / after
};

struct CountryFlow {
  int64_t leave = 0, join = 0, he_leave = 0, he_join = 0;
  // Display text: the country value of the lowest user index seen ("first
  // seen in user order"), deterministic whatever the merge order.
  uint32_t first_user = UINT32_MAX;
  StrId display = kEmptyStr;
  void Merge(const CountryFlow& o);
};

struct FirmFlow {
  std::vector<uint32_t> countries_before;  // sorted distinct country keys (non-empty)
  int64_t headcount_before = 0;            // primary-position employees in the place at before
  int64_t headcount_after = 0;
  void Merge(const FirmFlow& o);
};

struct CityFlow {
  int64_t count = 0, bachelor_or_higher = 0, mba = 0, doctor = 0, founder = 0;
  void Merge(const CityFlow& o);
};

struct SalaryEntry {
  double salary;
  FlowClass cls;
};

// Order-free aggregates (integer counts, maps, lists).
struct FlowsAccumulator {
  std::array<int64_t, kFlowClasses> classes{};
  std::array<int64_t, 2> fallback{};     // known snapshots located by the profile: before, after
  std::array<int64_t, 2> no_location{};  // active position but no location: before, after
  std::array<std::array<int64_t, kAgeRules>, kFlowClasses> age_rules{};
  // [band][stayer, joiner, leaver]
  std::array<std::array<int64_t, 3>, kAgeBands> band_counts{};
  // Salaries of every classified person (stayer, joiner, leaver, outside) by band.
  std::array<std::vector<SalaryEntry>, kAgeBands> band_salaries;
  std::map<uint32_t, CountryFlow> countries;  // by country key
  // [class stayer/joiner/leaver][CompanyStatus]
  std::array<std::array<int64_t, kCompanyStatuses>, 3> company{};
  std::unordered_map<StrId, FirmFlow> firms;  // by ultimate parent (else rcid)
  std::vector<CityFlow> cities;               // by study slot

  void Merge(FlowsAccumulator&& o);
};

// Floating-point aggregates, merged in block order.
struct FlowsMoments {
  std::array<std::array<Moments, 2>, kJvlVars> jvl;  // [var][0 joiner, 1 leaver]
  std::vector<std::array<Moments, 3>> city_rank;     // [slot][bachelor, master, doctor]
  void Merge(const FlowsMoments& o);
};

struct FlowsResult {
  FlowsAccumulator acc;
  FlowsMoments moments;
};

// Processes one person into the accumulators (exposed for tests).
PersonFlow ProcessPerson(const FlowsContext& ctx, uint32_t user, LocationCache* cache,
                         FlowsAccumulator* acc, FlowsMoments* moments);

inline constexpr uint32_t kBlockUsers = 16384;

FlowsResult RunFlows(const FlowsContext& ctx);

// Firm key of a position: ultimate_parent_rcid, else rcid (kEmptyStr if neither).
StrId FirmOf(const Dataset& dataset, int64_t position);

}  // namespace talentflow
