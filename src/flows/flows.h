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
// (precomputed lookups) and writes only its worker's accumulator (and, for
// the persistent definition, its worker's scratch buffers, which carry no
// state from one person to the next).
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
#include <span>
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

// How a move between the snapshots is defined (docs/methodology.md
// section 8). kEndpoint compares the two snapshots only (the study's, the
// default); kPersistent counts a change of status only when the new status
// lasts persist_quarters consecutive quarter points.
enum class MoveDefinition : uint8_t { kEndpoint = 0, kPersistent };
std::string_view MoveDefinitionName(MoveDefinition d);
std::optional<MoveDefinition> ParseMoveDefinition(std::string_view name);
inline constexpr int kMaxPersistQuarters = 40;

struct FlowsParams {
  uint32_t target_place = 0;  // index in the PlaceMatcher's places
  Month before = kNoMonth;
  Month after = kNoMonth;
  // Place indices reported in city human capital, in report order.
  std::vector<uint32_t> study_places;
  int threads = 0;  // 0: std::thread::hardware_concurrency()
  MoveDefinition definition = MoveDefinition::kEndpoint;
  int persist_quarters = 2;  // K of kPersistent; 1 reproduces kEndpoint's classes
};

// The persistent definition's own requirements: 1 <= persist_quarters <=
// kMaxPersistQuarters and after - before a multiple of 3 months. OK for
// kEndpoint. FlowsContext::Build checks it too (and after <= cutoff).
Status CheckMoveDefinition(const FlowsParams& params);

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

// Persistence-confirmed moves (MoveDefinition::kPersistent). A person's
// status relative to the target place is read at quarter points: the months
// after + 3j (j of either sign), which include `before` because the context
// requires after - before to be a multiple of 3. Consecutive points with the
// same known status form a spell; a spell of at least K points is confirmed.
// The confirmed status at a snapshot is the status of the latest confirmed
// spell that starts at or before it (before: else the status observed at
// before). Unconfirmed spells away from the confirmed status are the events
// below. The exact rules, and why, are in docs/methodology.md section 8.
enum class QuarterStatus : uint8_t { kUnknown = 0, kIn, kOut };

struct PersistenceEvents {
  int64_t confirmed_moves = 0;        // changes of the confirmed status in (before, after]
  int64_t excursions = 0;             // spells away shorter than K, known on both sides
  int64_t changes_across_gap = 0;     // spells away shorter than K next to an unknown point
  int64_t unconfirmed_at_cutoff = 0;  // spells away still shorter than K at the cutoff
  void Merge(const PersistenceEvents& o);
};

struct PersistenceOutcome {
  QuarterStatus before = QuarterStatus::kUnknown;  // confirmed status at before
  QuarterStatus after = QuarterStatus::kUnknown;   // confirmed status at after
  // Representative points: the latest point at or before each snapshot whose
  // observed status is the confirmed one; the person's positions there stand
  // for them at the snapshot in every table.
  int before_point = -1, after_point = -1;
  PersistenceEvents events;
};

// The persistence rules on one person's observed statuses at consecutive
// quarter points. `statuses[before_point]` and `statuses[after_point]` are
// the snapshots.
// REQUIRES: 0 <= before_point <= after_point < statuses.size(); both
//   snapshot statuses known; k >= 1. Points before statuses[0] are unknown,
//   or the spell at statuses[0] already has k points. statuses.back() is the
//   last quarter point on or before the cutoff, or at least k - 1 points
//   after after_point.
// Example:
//   using enum QuarterStatus;  // in, out for 1 quarter, in: an excursion
//   std::vector<QuarterStatus> s = {kIn, kOut, kIn, kIn};
//   PersistenceOutcome o = ResolvePersistence(s, 0, 2, 2);  // o.after == kIn, one excursion
PersistenceOutcome ResolvePersistence(std::span<const QuarterStatus> statuses, int before_point,
                                      int after_point, int k);

// Per-worker buffers for the persistent definition (no state between persons).
struct FlowsScratch {
  std::vector<QuarterStatus> forward, backward, statuses;
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

// Everything one person's pass produces (exposed for tests). Under the
// persistent definition `before` and `after` are the representative
// snapshots, and `endpoint_cls` is the class the endpoint definition gives.
struct PersonFlow {
  Snapshot before, after;
  FlowClass cls = FlowClass::kUnknownBoth;
  FlowClass endpoint_cls = FlowClass::kUnknownBoth;
  PersistenceEvents events;
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
  // Persistent definition only: events over persons known at both
  // snapshots, and [endpoint class][persistent class] for those persons.
  PersistenceEvents persistence;
  std::array<std::array<int64_t, 4>, 4> reclassified{};

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
// `scratch` may be null (buffers are then allocated per call).
PersonFlow ProcessPerson(const FlowsContext& ctx, uint32_t user, LocationCache* cache,
                         FlowsAccumulator* acc, FlowsMoments* moments,
                         FlowsScratch* scratch = nullptr);

inline constexpr uint32_t kBlockUsers = 16384;

FlowsResult RunFlows(const FlowsContext& ctx);

// Firm key of a position: ultimate_parent_rcid, else rcid (kEmptyStr if neither).
StrId FirmOf(const Dataset& dataset, int64_t position);

}  // namespace talentflow
