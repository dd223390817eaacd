#include "flows/flows.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace talentflow {

std::string_view FlowClassName(FlowClass c) {
  switch (c) {
    case FlowClass::kStayer:
      return "stayer";
    case FlowClass::kJoiner:
      return "joiner";
    case FlowClass::kLeaver:
      return "leaver";
    case FlowClass::kOutside:
      return "outside";
    case FlowClass::kUnknownBefore:
      return "unknown_before";
    case FlowClass::kUnknownAfter:
      return "unknown_after";
    case FlowClass::kUnknownBoth:
      return "unknown_both";
  }
  return "";
}

std::string_view AgeRuleName(AgeRule r) {
  switch (r) {
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

std::string_view CompanyStatusName(CompanyStatus s) {
  switch (s) {
    case CompanyStatus::kSame:
      return "same";
    case CompanyStatus::kDifferent:
      return "different";
    case CompanyStatus::kUnknown:
      return "unknown";
  }
  return "";
}

int AgeBandOf(std::optional<int> age) {
  if (!age) return kAgeBands - 1;
  if (*age < 25) return 0;
  if (*age >= 60) return 8;
  return 1 + (*age - 25) / 5;
}

std::string_view AgeBandName(int band) {
  static constexpr std::string_view kNames[kAgeBands] = {"under 25",    "25-29",  "30-34", "35-39",
                                                         "40-44",       "45-49",  "50-54", "55-59",
                                                         "60 and over", "unknown"};
  return kNames[band];
}

std::string_view JvlVarName(JvlVar v) {
  static constexpr std::string_view kNames[kJvlVars] = {"uni_rank_bachelor",
                                                        "uni_rank_master",
                                                        "uni_rank_mba",
                                                        "uni_rank_doctorate",
                                                        "age",
                                                        "salary",
                                                        "asian_share",
                                                        "connections",
                                                        "connections_per_age"};
  return kNames[static_cast<int>(v)];
}

std::string_view MoveDefinitionName(MoveDefinition d) {
  switch (d) {
    case MoveDefinition::kEndpoint:
      return "endpoint";
    case MoveDefinition::kPersistent:
      return "persistent";
  }
  return "";
}

std::optional<MoveDefinition> ParseMoveDefinition(std::string_view name) {
  if (name == "endpoint") return MoveDefinition::kEndpoint;
  if (name == "persistent") return MoveDefinition::kPersistent;
  return std::nullopt;
}

void PersistenceEvents::Merge(const PersistenceEvents& o) {
  confirmed_moves += o.confirmed_moves;
  excursions += o.excursions;
  changes_across_gap += o.changes_across_gap;
  unconfirmed_at_cutoff += o.unconfirmed_at_cutoff;
}

PersistenceOutcome ResolvePersistence(std::span<const QuarterStatus> st, int before_point,
                                      int after_point, int k) {
  const int n = static_cast<int>(st.size());
  auto spell_end = [&](int start) {
    int end = start;
    while (end + 1 < n && st[end + 1] == st[start]) ++end;
    return end;
  };
  PersistenceOutcome out;
  // Established at before: the latest confirmed spell starting at or before
  // it; a person with none is established where they are seen at before.
  QuarterStatus established = st[before_point];
  for (int start = 0; start <= before_point;) {
    if (st[start] == QuarterStatus::kUnknown) {
      ++start;
      continue;
    }
    const int end = spell_end(start);
    if (end - start + 1 >= k) established = st[start];
    start = end + 1;
  }
  // Walk the spells that overlap [before, after], from the one holding before.
  QuarterStatus in_force = established;
  int first = before_point;
  while (first > 0 && st[first - 1] == st[before_point]) --first;
  for (int start = first; start <= after_point;) {
    if (st[start] == QuarterStatus::kUnknown) {
      ++start;
      continue;
    }
    const int end = spell_end(start);
    if (st[start] != in_force) {
      if (end - start + 1 >= k) {
        // Only a spell starting after `before` gets here: a confirmed spell
        // holding `before` is the established one.
        ++out.events.confirmed_moves;
        in_force = st[start];
      } else if (start == 0 || st[start - 1] == QuarterStatus::kUnknown ||
                 (end + 1 < n && st[end + 1] == QuarterStatus::kUnknown)) {
        ++out.events.changes_across_gap;
      } else if (end + 1 == n) {
        ++out.events.unconfirmed_at_cutoff;
      } else {
        ++out.events.excursions;
      }
    }
    start = end + 1;
  }
  out.before = established;
  out.after = in_force;
  // Both exist: `established` is seen at before or in a spell starting
  // earlier; `in_force` is `established` or a spell starting by after.
  out.before_point = before_point;
  while (out.before_point > 0 && st[out.before_point] != established) --out.before_point;
  out.after_point = after_point;
  while (out.after_point > 0 && st[out.after_point] != in_force) --out.after_point;
  return out;
}

StrId FirmOf(const Dataset& dataset, int64_t position) {
  if (position < 0) return kEmptyStr;
  StrId parent = dataset.positions.ultimate_parent_rcid[position];
  return parent != kEmptyStr ? parent : dataset.positions.rcid[position];
}

namespace {

// Country grouping key: trimmed, ASCII-lower-cased, inner spaces collapsed.
std::string CountryKeyText(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

template <typename Column>
void MarkDistinct(const Column& column, std::vector<uint8_t>* seen) {
  for (StrId id : column) {
    if (id >= seen->size()) seen->resize(static_cast<size_t>(id) + 1, 0);
    (*seen)[id] = 1;
  }
}

int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

}  // namespace

Status CheckMoveDefinition(const FlowsParams& params) {
  if (params.definition != MoveDefinition::kPersistent) return Status::Ok();
  if (params.persist_quarters < 1 || params.persist_quarters > kMaxPersistQuarters) {
    return InvalidArgument("--persist-quarters " + std::to_string(params.persist_quarters) +
                           ": must be 1 to " + std::to_string(kMaxPersistQuarters));
  }
  if ((params.after - params.before) % 3 != 0) {
    return InvalidArgument(
        "--definition persistent reads quarter points 3 months apart from --after back to "
        "--before, so they must be a whole number of quarters apart (" +
        FormatMonth(params.before) + " to " + FormatMonth(params.after) + " is " +
        std::to_string(params.after - params.before) + " months)");
  }
  return Status::Ok();
}

StatusOr<FlowsContext> FlowsContext::Build(const Dataset& dataset, const PlaceMatcher& places,
                                           const TitleRules& rules, const UniversityRanker* ranker,
                                           const FlowsParams& params) {
  if (params.before == kNoMonth || params.after == kNoMonth) {
    return InvalidArgument("--before and --after are required");
  }
  if (!(params.before < params.after)) {
    return InvalidArgument("--before must be earlier than --after");
  }
  if (params.study_places.size() > 65535) return InvalidArgument("too many study places");
  TF_RETURN_IF_ERROR(CheckMoveDefinition(params));
  if (params.definition == MoveDefinition::kPersistent && params.after > dataset.cutoff) {
    return InvalidArgument("--after " + FormatMonth(params.after) + " is later than the cutoff " +
                           FormatMonth(dataset.cutoff));
  }
  FlowsContext ctx;
  ctx.dataset = &dataset;
  ctx.places = &places;
  ctx.params = params;
  ctx.params.threads = ResolveThreads(params.threads);
  ctx.titles = TitleFlags::Build(dataset, rules, ctx.params.threads);

  // Universities: one lookup per distinct name.
  const EducationTable& edu = dataset.education;
  ctx.university_match.education_rows = static_cast<int64_t>(edu.size());
  if (ranker != nullptr && edu.size() > 0) {
    std::vector<uint8_t> seen;
    MarkDistinct(edu.university_name, &seen);
    std::unordered_map<StrId, UniversityRanker::Lookup> lookups;
    const int year = YearOf(params.after);
    for (StrId id = 1; id < seen.size(); ++id) {
      if (!seen[id]) continue;
      UniversityRanker::Lookup l = ranker->Find(dataset.str(id), year);
      if (l.rank) ctx.university_rank.emplace(id, *l.rank);
      lookups.emplace(id, l);
    }
    for (StrId id : edu.university_name) {
      if (id == kEmptyStr) continue;
      ++ctx.university_match.with_university;
      const auto& l = lookups.at(id);
      if (l.matched) ++ctx.university_match.matched;
      if (l.rank) ++ctx.university_match.ranked;
    }
  } else {
    for (StrId id : edu.university_name) {
      if (id != kEmptyStr) ++ctx.university_match.with_university;
    }
  }

  // Ethnicity: Asian when the value is "api" or contains "asian".
  {
    std::vector<uint8_t> seen;
    MarkDistinct(dataset.users.ethnicity_predicted, &seen);
    for (StrId id = 1; id < seen.size(); ++id) {
      if (!seen[id]) continue;
      std::string lower = CountryKeyText(dataset.str(id));
      ctx.asian.emplace(id, (lower == "api" || lower.find("asian") != std::string::npos) ? 1 : 0);
    }
  }

  // Countries: key ids in sorted key order, 0 = empty.
  {
    std::vector<uint8_t> seen;
    MarkDistinct(dataset.positions.country, &seen);
    MarkDistinct(dataset.users.user_country, &seen);
    std::map<std::string, std::vector<StrId>> by_key;
    for (StrId id = 1; id < seen.size(); ++id) {
      if (seen[id]) by_key[CountryKeyText(dataset.str(id))].push_back(id);
    }
    ctx.country_key_text.push_back("");
    for (auto& [key, ids] : by_key) {
      uint32_t key_id = 0;
      if (!key.empty()) {
        key_id = static_cast<uint32_t>(ctx.country_key_text.size());
        ctx.country_key_text.push_back(key);
      }
      for (StrId id : ids) ctx.country_key.emplace(id, key_id);
    }
  }
  return ctx;
}

PersonAttributes ComputeAttributes(const FlowsContext& ctx, uint32_t user, const Snapshot& after) {
  const Dataset& ds = *ctx.dataset;
  const UserTable& users = ds.users;
  const EducationTable& edu = ds.education;
  const PositionTable& pos = ds.positions;
  PersonAttributes a;
  Month bachelor_start = kNoMonth, bachelor_end = kNoMonth;
  for (uint32_t row = users.edu_begin[user]; row < users.edu_begin[user + 1]; ++row) {
    int level;
    switch (edu.degree[row]) {
      case Degree::kBachelor:
        level = 0;
        break;
      case Degree::kMaster:
        level = 1;
        break;
      case Degree::kMba:
        level = 2;
        break;
      case Degree::kDoctor:
        level = 3;
        break;
      default:
        continue;
    }
    a.holds[level] = true;
    auto it = ctx.university_rank.find(edu.university_name[row]);
    if (it != ctx.university_rank.end() &&
        (std::isnan(a.best_rank[level]) || it->second < a.best_rank[level])) {
      a.best_rank[level] = it->second;
    }
    if (level == 0) {
      if (edu.start[row] != kNoMonth &&
          (bachelor_start == kNoMonth || edu.start[row] < bachelor_start)) {
        bachelor_start = edu.start[row];
      }
      if (edu.end[row] != kNoMonth && (bachelor_end == kNoMonth || edu.end[row] < bachelor_end)) {
        bachelor_end = edu.end[row];
      }
    }
  }
  switch (users.highest_degree[user]) {
    case Degree::kBachelor:
      a.holds[0] = true;
      break;
    case Degree::kMaster:
      a.holds[1] = true;
      break;
    case Degree::kMba:
      a.holds[2] = true;
      break;
    case Degree::kDoctor:
      a.holds[3] = true;
      break;
    default:
      break;
  }
  a.bachelor_or_higher = a.holds[0] || a.holds[1] || a.holds[2] || a.holds[3];
  a.highly_educated = a.holds[3];
  for (int level = 0; level < 3; ++level) {
    if (!std::isnan(a.best_rank[level]) && a.best_rank[level] <= 50) a.highly_educated = true;
  }

  const int year = YearOf(ctx.params.after);
  const uint32_t pos_begin = users.pos_begin[user], pos_end = users.pos_begin[user + 1];
  if (users.birth_year[user] > 0) {
    a.age_rule = AgeRule::kBirthYear;
    a.age = year - users.birth_year[user];
  } else if (bachelor_start != kNoMonth) {
    a.age_rule = AgeRule::kBachelorStart;
    a.age = year - (YearOf(bachelor_start) - 18);
  } else if (bachelor_end != kNoMonth) {
    a.age_rule = AgeRule::kBachelorEnd;
    a.age = year - (YearOf(bachelor_end) - 22);
  } else if (pos_begin < pos_end) {
    a.age_rule = AgeRule::kFirstPosition;
    a.age = year - (YearOf(pos.start[pos_begin]) - 22);
  }

  if (after.position >= 0) a.salary = pos.salary[after.position];
  StrId eth = users.ethnicity_predicted[user];
  if (eth != kEmptyStr) {
    auto it = ctx.asian.find(eth);
    a.asian = it == ctx.asian.end() ? 0 : it->second;
  }
  a.connections = users.numconnections[user];
  for (uint32_t row = pos_begin; row < pos_end; ++row) {
    if (ctx.titles.flags(pos.title_raw[row]) & kTitleFounder) {
      a.founder = true;
      break;
    }
  }
  return a;
}

void CountryFlow::Merge(const CountryFlow& o) {
  leave += o.leave;
  join += o.join;
  he_leave += o.he_leave;
  he_join += o.he_join;
  if (o.first_user < first_user) {
    first_user = o.first_user;
    display = o.display;
  }
}

void FirmFlow::Merge(const FirmFlow& o) {
  std::vector<uint32_t> merged;
  merged.reserve(countries_before.size() + o.countries_before.size());
  std::set_union(countries_before.begin(), countries_before.end(), o.countries_before.begin(),
                 o.countries_before.end(), std::back_inserter(merged));
  countries_before = std::move(merged);
  headcount_before += o.headcount_before;
  headcount_after += o.headcount_after;
}

void CityFlow::Merge(const CityFlow& o) {
  count += o.count;
  bachelor_or_higher += o.bachelor_or_higher;
  mba += o.mba;
  doctor += o.doctor;
  founder += o.founder;
}

void FlowsAccumulator::Merge(FlowsAccumulator&& o) {
  for (int i = 0; i < kFlowClasses; ++i) classes[i] += o.classes[i];
  for (int i = 0; i < 2; ++i) {
    fallback[i] += o.fallback[i];
    no_location[i] += o.no_location[i];
  }
  for (int c = 0; c < kFlowClasses; ++c) {
    for (int r = 0; r < kAgeRules; ++r) age_rules[c][r] += o.age_rules[c][r];
  }
  for (int b = 0; b < kAgeBands; ++b) {
    for (int c = 0; c < 3; ++c) band_counts[b][c] += o.band_counts[b][c];
    if (band_salaries[b].empty()) {
      band_salaries[b] = std::move(o.band_salaries[b]);
    } else {
      band_salaries[b].insert(band_salaries[b].end(), o.band_salaries[b].begin(),
                              o.band_salaries[b].end());
    }
  }
  for (auto& [key, flow] : o.countries) countries[key].Merge(flow);
  for (int c = 0; c < 3; ++c) {
    for (int s = 0; s < kCompanyStatuses; ++s) company[c][s] += o.company[c][s];
  }
  if (firms.empty()) {
    firms = std::move(o.firms);
  } else {
    for (auto& [firm, flow] : o.firms) firms[firm].Merge(flow);
  }
  if (cities.size() < o.cities.size()) cities.resize(o.cities.size());
  for (size_t i = 0; i < o.cities.size(); ++i) cities[i].Merge(o.cities[i]);
  persistence.Merge(o.persistence);
  for (int e = 0; e < 4; ++e) {
    for (int p = 0; p < 4; ++p) reclassified[e][p] += o.reclassified[e][p];
  }
}

void FlowsMoments::Merge(const FlowsMoments& o) {
  for (int v = 0; v < kJvlVars; ++v) {
    for (int g = 0; g < 2; ++g) jvl[v][g].Merge(o.jvl[v][g]);
  }
  if (city_rank.size() < o.city_rank.size()) city_rank.resize(o.city_rank.size());
  for (size_t i = 0; i < o.city_rank.size(); ++i) {
    for (int l = 0; l < 3; ++l) city_rank[i][l].Merge(o.city_rank[i][l]);
  }
}

namespace {

QuarterStatus StatusAt(const Dataset& ds, const Snapshot& s, LocationCache* cache) {
  if (!s.known()) return QuarterStatus::kUnknown;
  return cache->Get(ds, s.country, s.metro_area, s.city).in_target ? QuarterStatus::kIn
                                                                   : QuarterStatus::kOut;
}

// Statuses at the quarter points from..to (step 3, both included), appended
// to *out; two points per pass over the person's positions.
void StatusesBetween(const FlowsContext& ctx, uint32_t user, Month from, Month to,
                     LocationCache* cache, std::vector<QuarterStatus>* out) {
  const Dataset& ds = *ctx.dataset;
  for (Month m = from; m <= to; m += 6) {
    Snapshot first, second;
    LocateAt2(ds, ctx.titles, user, m, std::min<Month>(m + 3, to), &first, &second);
    out->push_back(StatusAt(ds, first, cache));
    if (m + 3 <= to) out->push_back(StatusAt(ds, second, cache));
  }
}

FlowClass ClassOf(const LocationCache::Entry* eb, const LocationCache::Entry* ea) {
  if (!eb && !ea) return FlowClass::kUnknownBoth;
  if (!eb) return FlowClass::kUnknownBefore;
  if (!ea) return FlowClass::kUnknownAfter;
  if (eb->in_target && ea->in_target) return FlowClass::kStayer;
  if (ea->in_target) return FlowClass::kJoiner;
  if (eb->in_target) return FlowClass::kLeaver;
  return FlowClass::kOutside;
}

// The persistent definition for a person known at both snapshots: reads the
// quarter points it needs, resolves them, and moves f->before / f->after (and
// *eb / *ea) to the representative points.
void ApplyPersistence(const FlowsContext& ctx, uint32_t user, LocationCache* cache,
                      FlowsScratch* scratch, PersonFlow* f, const LocationCache::Entry** eb,
                      const LocationCache::Entry** ea) {
  const Dataset& ds = *ctx.dataset;
  const Month before = ctx.params.before, after = ctx.params.after;
  const int k = ctx.params.persist_quarters;
  const QuarterStatus at_before = (*eb)->in_target ? QuarterStatus::kIn : QuarterStatus::kOut;
  const QuarterStatus at_after = (*ea)->in_target ? QuarterStatus::kIn : QuarterStatus::kOut;
  // Forward: before .. after, then up to k - 1 points more (never past the
  // last quarter point on or before the cutoff).
  const Month last_point = after + 3 * ((ds.cutoff - after) / 3);
  const Month window_end = std::min<Month>(after + 3 * (k - 1), last_point);
  std::vector<QuarterStatus>& forward = scratch->forward;
  forward.clear();
  forward.push_back(at_before);
  if (before + 3 < after) StatusesBetween(ctx, user, before + 3, after - 3, cache, &forward);
  forward.push_back(at_after);
  if (after + 3 <= window_end) StatusesBetween(ctx, user, after + 3, window_end, cache, &forward);
  // Backward: only while the spell holding `before` (then each earlier
  // spell) is shorter than k and the person has positions that early.
  std::vector<QuarterStatus>& backward = scratch->backward;
  backward.clear();
  int run = 0;
  while (run < static_cast<int>(forward.size()) && forward[run] == at_before) ++run;
  QuarterStatus run_status = at_before;
  const Month first_start = ds.positions.start[ds.users.pos_begin[user]];
  for (Month m = before - 3; run < k && m >= first_start; m -= 3) {
    const QuarterStatus s = StatusAt(ds, LocateAt(ds, ctx.titles, user, m), cache);
    backward.push_back(s);
    if (s == run_status && s != QuarterStatus::kUnknown) {
      ++run;
    } else {
      run_status = s;
      run = s == QuarterStatus::kUnknown ? 0 : 1;
    }
  }
  std::vector<QuarterStatus>& st = scratch->statuses;
  st.assign(backward.rbegin(), backward.rend());
  st.insert(st.end(), forward.begin(), forward.end());
  const int before_point = static_cast<int>(backward.size());
  const int after_point = before_point + (after - before) / 3;
  const PersistenceOutcome o = ResolvePersistence(st, before_point, after_point, k);
  f->events = o.events;
  const Month first_month = before - 3 * before_point;
  if (o.before_point != before_point) {
    f->before = LocateAt(ds, ctx.titles, user, first_month + 3 * o.before_point);
    *eb = &cache->Get(ds, f->before.country, f->before.metro_area, f->before.city);
  }
  if (o.after_point != after_point) {
    f->after = LocateAt(ds, ctx.titles, user, first_month + 3 * o.after_point);
    *ea = &cache->Get(ds, f->after.country, f->after.metro_area, f->after.city);
  }
}

}  // namespace

PersonFlow ProcessPerson(const FlowsContext& ctx, uint32_t user, LocationCache* cache,
                         FlowsAccumulator* acc, FlowsMoments* moments, FlowsScratch* scratch) {
  const Dataset& ds = *ctx.dataset;
  PersonFlow f;
  LocateAt2(ds, ctx.titles, user, ctx.params.before, ctx.params.after, &f.before, &f.after);
  const LocationCache::Entry* eb = nullptr;
  const LocationCache::Entry* ea = nullptr;
  if (f.before.known()) {
    eb = &cache->Get(ds, f.before.country, f.before.metro_area, f.before.city);
    if (f.before.fallback) ++acc->fallback[0];
  } else if (f.before.state == SnapshotState::kNoLocation) {
    ++acc->no_location[0];
  }
  if (f.after.known()) {
    ea = &cache->Get(ds, f.after.country, f.after.metro_area, f.after.city);
    if (f.after.fallback) ++acc->fallback[1];
  } else if (f.after.state == SnapshotState::kNoLocation) {
    ++acc->no_location[1];
  }
  f.cls = f.endpoint_cls = ClassOf(eb, ea);
  if (ctx.params.definition == MoveDefinition::kPersistent && eb && ea) {
    FlowsScratch local;
    ApplyPersistence(ctx, user, cache, scratch ? scratch : &local, &f, &eb, &ea);
    f.cls = ClassOf(eb, ea);
    acc->persistence.Merge(f.events);
    ++acc->reclassified[static_cast<int>(f.endpoint_cls)][static_cast<int>(f.cls)];
  }
  const int cls = static_cast<int>(f.cls);
  ++acc->classes[cls];

  // Multinationals: firm presence by country at `before` over everyone, and
  // headcount in the place at both snapshots.
  const StrId firm_before = FirmOf(ds, f.before.position);
  const StrId firm_after = FirmOf(ds, f.after.position);
  if (eb && firm_before != kEmptyStr) {
    FirmFlow& firm = acc->firms[firm_before];
    uint32_t key = ctx.CountryKeyOf(f.before.country);
    if (key != 0) {
      auto it = std::lower_bound(firm.countries_before.begin(), firm.countries_before.end(), key);
      if (it == firm.countries_before.end() || *it != key) firm.countries_before.insert(it, key);
    }
    if (eb->in_target) ++firm.headcount_before;
  }
  if (ea && ea->in_target && firm_after != kEmptyStr) ++acc->firms[firm_after].headcount_after;

  if (!eb && !ea) return f;
  PersonAttributes attr = ComputeAttributes(ctx, user, f.after);
  acc->age_rules[cls][static_cast<int>(attr.age_rule)]++;

  // City human capital at `after`.
  if (ea) {
    for (uint16_t slot : ea->study_slots) {
      CityFlow& city = acc->cities[slot];
      ++city.count;
      city.bachelor_or_higher += attr.bachelor_or_higher;
      city.mba += attr.holds[2];
      city.doctor += attr.holds[3];
      city.founder += attr.founder;
      auto& ranks = moments->city_rank[slot];
      if (!std::isnan(attr.best_rank[0])) ranks[0].Add(attr.best_rank[0]);
      if (!std::isnan(attr.best_rank[1])) ranks[1].Add(attr.best_rank[1]);
      if (!std::isnan(attr.best_rank[3])) ranks[2].Add(attr.best_rank[3]);
    }
  }
  if (f.cls == FlowClass::kUnknownBefore || f.cls == FlowClass::kUnknownAfter) return f;

  const int band = AgeBandOf(attr.age);
  if (!std::isnan(attr.salary)) acc->band_salaries[band].push_back({attr.salary, f.cls});
  if (f.cls == FlowClass::kOutside) return f;
  acc->band_counts[band][cls]++;

  if (firm_before != kEmptyStr && firm_after != kEmptyStr) {
    f.company = firm_before == firm_after ? CompanyStatus::kSame : CompanyStatus::kDifferent;
  }
  acc->company[cls][static_cast<int>(f.company)]++;

  f.origin_key = ctx.CountryKeyOf(f.before.country);
  f.destination_key = ctx.CountryKeyOf(f.after.country);
  if (f.cls == FlowClass::kJoiner || f.cls == FlowClass::kLeaver) {
    const bool joiner = f.cls == FlowClass::kJoiner;
    const uint32_t key = joiner ? f.origin_key : f.destination_key;
    CountryFlow& country = acc->countries[key];
    if (joiner) {
      ++country.join;
      country.he_join += attr.highly_educated;
    } else {
      ++country.leave;
      country.he_leave += attr.highly_educated;
    }
    if (user < country.first_user) {
      country.first_user = user;
      country.display = joiner ? f.before.country : f.after.country;
    }
    auto& jvl = moments->jvl;
    const int g = joiner ? 0 : 1;
    for (int level = 0; level < kRankLevels; ++level) {
      if (!std::isnan(attr.best_rank[level])) jvl[level][g].Add(attr.best_rank[level]);
    }
    if (attr.age) jvl[static_cast<int>(JvlVar::kAge)][g].Add(*attr.age);
    if (!std::isnan(attr.salary)) jvl[static_cast<int>(JvlVar::kSalary)][g].Add(attr.salary);
    if (attr.asian >= 0) jvl[static_cast<int>(JvlVar::kAsian)][g].Add(attr.asian);
    if (attr.connections >= 0) {
      jvl[static_cast<int>(JvlVar::kConnections)][g].Add(attr.connections);
      if (attr.age && *attr.age > 0) {
        jvl[static_cast<int>(JvlVar::kConnectionsPerAge)][g].Add(
            static_cast<double>(attr.connections) / *attr.age);
      }
    }
  }
  return f;
}

FlowsResult RunFlows(const FlowsContext& ctx) {
  const uint32_t users = static_cast<uint32_t>(ctx.dataset->users.size());
  const uint32_t blocks = (users + kBlockUsers - 1) / kBlockUsers;
  const int threads = std::max(1, std::min<int>(ctx.params.threads, std::max<uint32_t>(blocks, 1)));
  const size_t slots = ctx.params.study_places.size();
  std::vector<FlowsMoments> block_moments(blocks);
  std::vector<FlowsAccumulator> thread_acc(threads);
  std::atomic<uint32_t> next_block{0};
  auto worker = [&](int thread) {
    LocationCache cache(ctx.places, ctx.params.target_place, ctx.params.study_places);
    FlowsScratch scratch;
    FlowsAccumulator& acc = thread_acc[thread];
    acc.cities.resize(slots);
    while (true) {
      uint32_t block = next_block.fetch_add(1);
      if (block >= blocks) break;
      FlowsMoments& moments = block_moments[block];
      moments.city_rank.resize(slots);
      const uint32_t end = std::min(users, (block + 1) * kBlockUsers);
      for (uint32_t user = block * kBlockUsers; user < end; ++user) {
        ProcessPerson(ctx, user, &cache, &acc, &moments, &scratch);
      }
    }
  };
  if (threads == 1) {
    worker(0);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
    for (auto& t : pool) t.join();
  }
  FlowsResult result;
  result.acc.cities.resize(slots);
  result.moments.city_rank.resize(slots);
  for (auto& acc : thread_acc) result.acc.Merge(std::move(acc));
  for (const auto& m : block_moments) result.moments.Merge(m);
  return result;
}

}  // namespace talentflow
