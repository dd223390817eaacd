#include "synth/truth.h"

#include <cmath>

namespace talentflow::synth {

namespace {
constexpr double kFixedScale = 4294967296.0;  // 2^32
}

const char* TableName(Table table) {
  switch (table) {
    case Table::kUser:
      return "individual_user";
    case Table::kPositions:
      return "individual_positions";
    case Table::kEducation:
      return "individual_user_education";
    case Table::kRaw:
      return "individual_positions_raw";
    case Table::kMapping:
      return "company_mapping";
  }
  return "";
}

const char* FateName(Fate fate) {
  switch (fate) {
    case Fate::kUsed:
      return "used";
    case Fate::kCollapsed:
      return "exact_duplicates_collapsed";
    case Fate::kMalformedRow:
      return "malformed_row";
    case Fate::kMissingKey:
      return "missing_key";
    case Fate::kBadDate:
      return "bad_date";
    case Fate::kBadNumber:
      return "bad_number";
    case Fate::kNoStart:
      return "no_start";
    case Fate::kBefore1950:
      return "before_1950";
    case Fate::kAfterCutoff:
      return "after_cutoff";
    case Fate::kEndBeforeStart:
      return "end_before_start";
    case Fate::kConflictingDuplicate:
      return "conflicting_duplicate";
    case Fate::kUnknownUser:
      return "unknown_user";
  }
  return "";
}

const char* ClassName(PersonClass cls) {
  switch (cls) {
    case PersonClass::kStayer:
      return "stayer";
    case PersonClass::kJoiner:
      return "joiner";
    case PersonClass::kLeaver:
      return "leaver";
    case PersonClass::kOutside:
      return "outside";
    case PersonClass::kUnknownBefore:
      return "unknown_before";
    case PersonClass::kUnknownAfter:
      return "unknown_after";
    case PersonClass::kUnknownBoth:
      return "unknown_both";
  }
  return "";
}

const char* AgeRuleName(AgeRule rule) {
  switch (rule) {
    case AgeRule::kBirthYear:
      return "birth_year";
    case AgeRule::kBachelorStart:
      return "bachelor_start";
    case AgeRule::kBachelorEnd:
      return "bachelor_end";
    case AgeRule::kFirstPosition:
      return "first_position";
    case AgeRule::kUnknown:
      return "unknown";
  }
  return "";
}

const char* PersonVarName(PersonVar var) {
  switch (var) {
    case PersonVar::kAge:
      return "age";
    case PersonVar::kSalary:
      return "salary";
    case PersonVar::kAsian:
      return "asian_share";
    case PersonVar::kConnections:
      return "connections";
    case PersonVar::kConnectionsPerAge:
      return "connections_per_age";
  }
  return "";
}

const char* PlantName(Plant plant) {
  static const char* const kNames[kPlantCount] = {"side_role_at_snapshot",
                                                  "same_start_tie",
                                                  "empty_country_position",
                                                  "open_spell",
                                                  "end_after_cutoff",
                                                  "end_at_snapshot",
                                                  "start_at_snapshot",
                                                  "move_next_month",
                                                  "excursion",
                                                  "executive_primary",
                                                  "title_only_in_raw",
                                                  "parent_only_in_mapping",
                                                  "stale_profile",
                                                  "decoy_user",
                                                  "same_id_bad_row"};
  return kNames[static_cast<int>(plant)];
}

void Moments::Add(double value) {
  auto fixed = static_cast<__int128>(std::llround(value * kFixedScale));
  ++n;
  sum += fixed;
  sum_sq += fixed * fixed;
}

double Moments::Mean() const {
  if (n == 0) return 0;
  return static_cast<double>(static_cast<long double>(sum) / kFixedScale / n);
}

double Moments::SampleSd() const {
  if (n < 2) return 0;
  long double s = static_cast<long double>(sum) / kFixedScale;
  long double ss = static_cast<long double>(sum_sq) / (kFixedScale * kFixedScale);
  long double var = (ss - s * s / n) / (n - 1);
  if (var < 0) var = 0;
  return static_cast<double>(std::sqrt(var));
}

void TruthPartial::Resize(size_t countries, size_t firms_count, size_t metros) {
  join_from.assign(countries, 0);
  leave_to.assign(countries, 0);
  firms.assign(firms_count, FirmAggregate{});
  located_after.assign(metros, 0);
  located_traits.assign(metros, std::array<int64_t, 4>{});
}

void TruthPartial::Merge(const TruthPartial& o) {
  for (int t = 0; t < kTableCount; ++t)
    for (int f = 0; f < kFateCount; ++f) rows[t][f] += o.rows[t][f];
  persons += o.persons;
  for (int c = 0; c < kClassCount; ++c) classes[c] += o.classes[c];
  for (int c = 0; c < 4; ++c)
    for (int s = 0; s < 3; ++s) same_company[c][s] += o.same_company[c][s];
  for (size_t i = 0; i < join_from.size() && i < o.join_from.size(); ++i) {
    join_from[i] += o.join_from[i];
    leave_to[i] += o.leave_to[i];
  }
  fallback_before += o.fallback_before;
  fallback_after += o.fallback_after;
  for (int c = 0; c < kClassCount; ++c)
    for (int r = 0; r < kAgeRuleCount; ++r) age_rule[c][r] += o.age_rule[c][r];
  for (int c = 0; c < 3; ++c)
    for (int v = 0; v < kPersonVarCount; ++v) moments[c][v].Merge(o.moments[c][v]);
  for (size_t i = 0; i < firms.size() && i < o.firms.size(); ++i) firms[i].Merge(o.firms[i]);
  for (size_t i = 0; i < located_after.size() && i < o.located_after.size(); ++i) {
    located_after[i] += o.located_after[i];
    for (int k = 0; k < 4; ++k) located_traits[i][k] += o.located_traits[i][k];
  }
  for (int b = 0; b < 9; ++b)
    for (int c = 0; c < 4; ++c) age_bands[b][c] += o.age_bands[b][c];
  for (int p = 0; p < kPlantCount; ++p) plants[p] += o.plants[p];
  self_check_mismatches += o.self_check_mismatches;
}

}  // namespace talentflow::synth
