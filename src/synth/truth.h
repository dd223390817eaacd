// Truth: the quantities the generator plants, accumulated while it writes.
//
// Every number here comes from the generator's own construction: row fates
// are known when a row is written, and each person's location, class,
// same-company status, age rule and attributes are computed from the rows the
// generator wrote and knows to survive cleaning (never by calling engine
// code). A TruthPartial holds one block of users; partials are merged in block
// order. All sums are integers (non-integer values in fixed point), so the
// merged truth does not depend on how users were split into blocks or threads.
//
// Threads: a TruthPartial belongs to one thread until it is merged.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/month.h"

namespace talentflow::synth {

enum class Table : int { kUser = 0, kPositions, kEducation, kRaw, kMapping };
inline constexpr int kTableCount = 5;
const char* TableName(Table table);

// Fate of one written row; everything after kCollapsed is a quarantine reason,
// in the cleaning rules' names.
enum class Fate : int {
  kUsed = 0,
  kCollapsed,
  kMalformedRow,
  kMissingKey,
  kBadDate,
  kBadNumber,
  kNoStart,
  kBefore1950,
  kAfterCutoff,
  kEndBeforeStart,
  kConflictingDuplicate,
  kUnknownUser,
};
inline constexpr int kFateCount = 12;
const char* FateName(Fate fate);

// Person classes between the two snapshots; the last three are unclassified.
enum class PersonClass : int {
  kStayer = 0,
  kJoiner,
  kLeaver,
  kOutside,
  kUnknownBefore,
  kUnknownAfter,
  kUnknownBoth,
};
inline constexpr int kClassCount = 7;
const char* ClassName(PersonClass cls);

enum class AgeRule : int { kBirthYear = 0, kBachelorStart, kBachelorEnd, kFirstPosition, kUnknown };
inline constexpr int kAgeRuleCount = 5;
const char* AgeRuleName(AgeRule rule);

enum class SameCompany : int { kSame = 0, kDifferent, kUnknown };

// Count, sum and sum of squares in fixed point (value * 2^32), exact and
// order-independent.
struct Moments {
  int64_t n = 0;
  __int128 sum = 0;
  __int128 sum_sq = 0;

  void Add(double value);
  void Merge(const Moments& other) {
    n += other.n;
    sum += other.sum;
    sum_sq += other.sum_sq;
  }
  double Mean() const;
  double SampleSd() const;  // n - 1 denominator; 0 when n < 2
};

// Variables compared between joiners and leavers (spec section 6.3).
enum class PersonVar : int { kAge = 0, kSalary, kAsian, kConnections, kConnectionsPerAge };
inline constexpr int kPersonVarCount = 5;
const char* PersonVarName(PersonVar var);

// Planted messes and situations, counted where they matter.
enum class Plant : int {
  kSideRoleAtSnapshot = 0,  // persons with a side role active at a snapshot beside a main job
  kSameStartTie,            // persons with two main positions starting the same month at a snapshot
  kEmptyCountryPosition,    // used positions written with an empty country
  kOpenSpell,               // used positions with an empty enddate
  kEndAfterCutoff,          // used positions ending after the cutoff
  kEndAtSnapshot,           // snapshot primaries whose end month is the snapshot month
  kStartAtSnapshot,         // snapshot primaries whose start month is the snapshot month
  kMoveNextMonth,           // job changes where the next job starts the month after the last ended
  kExcursion,               // spells entirely between the snapshots in a third country
  kExecutivePrimary,        // snapshot primaries with an executive title
  kTitleOnlyInRaw,          // used positions whose title is only in individual_positions_raw
  kParentOnlyInMapping,     // used positions whose parent comes from company_mapping
  kStaleProfile,            // persons whose profile country differs from their country at `after`
  kDecoyUser,               // user rows quarantined on purpose (their rows become unknown_user)
  kSameIdBadRow,            // rows sharing a used key but quarantined by rules 1-3
};
inline constexpr int kPlantCount = 15;
const char* PlantName(Plant plant);

// Per firm (ultimate parent, falling back to rcid) aggregates at the snapshots.
struct FirmAggregate {
  uint64_t countries_before = 0;  // bit per country index of primary-position employees
  int64_t in_place_before = 0;
  int64_t in_place_after = 0;
  void Merge(const FirmAggregate& o) {
    countries_before |= o.countries_before;
    in_place_before += o.in_place_before;
    in_place_after += o.in_place_after;
  }
};

struct TruthPartial {
  std::array<std::array<int64_t, kFateCount>, kTableCount> rows{};
  int64_t persons = 0;
  std::array<int64_t, kClassCount> classes{};
  std::array<std::array<int64_t, 3>, 4> same_company{};  // stayer, joiner, leaver, outside
  std::vector<int64_t> join_from;                        // by country index
  std::vector<int64_t> leave_to;
  int64_t fallback_before = 0, fallback_after = 0;
  std::array<std::array<int64_t, kAgeRuleCount>, kClassCount> age_rule{};
  std::array<std::array<Moments, kPersonVarCount>, 3> moments{};  // stayer, joiner, leaver
  std::vector<FirmAggregate> firms;                               // by firm index
  std::vector<int64_t> located_after;                             // by metro index
  // Per located_after slot: persons with a bachelor or higher, an MBA, a
  // doctorate (education rows after degree normalisation), a founder title.
  std::vector<std::array<int64_t, 4>> located_traits;
  // Classified persons with a known age, by age band (under 25, 25-29, ...,
  // 60 and over) and class (stayer, joiner, leaver, outside).
  std::array<std::array<int64_t, 4>, 9> age_bands{};
  std::array<int64_t, kPlantCount> plants{};
  int64_t self_check_mismatches = 0;  // persons whose evaluated class differs from the plan

  void Resize(size_t countries, size_t firms_count, size_t metros);
  void Merge(const TruthPartial& other);
  void CountRow(Table table, Fate fate, int64_t n = 1) {
    rows[static_cast<int>(table)][static_cast<int>(fate)] += n;
  }
};

}  // namespace talentflow::synth
