#include "rules/pool.h"

#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include "io/file_util.h"
#include "io/table.h"
#include "stats/disclosure.h"

namespace talentflow::rules {
namespace {

constexpr uint32_t kPoolBlock = 4096;

int VerdictIndex(Verdict verdict) { return static_cast<int>(verdict); }

double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// The scheme engine's level of an education row's degree, if it has one.
std::optional<std::string_view> LevelOf(talentflow::Degree degree) {
  switch (degree) {
    case talentflow::Degree::kAssociate:
      return "sub_degree";
    case talentflow::Degree::kBachelor:
      return "bachelor";
    case talentflow::Degree::kMaster:
      return "master";
    case talentflow::Degree::kMba:
      return "mba";
    case talentflow::Degree::kDoctor:
      return "doctorate";
    default:
      return std::nullopt;
  }
}

int NationalityField() {
  static const int field = static_cast<int>(FindField("nationality") - FieldCatalog().data());
  return field;
}

int IncomeField() {
  static const int field = static_cast<int>(FindField("annual_income_hkd") - FieldCatalog().data());
  return field;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& PoolDerivations() {
  static const std::vector<std::pair<std::string, std::string>> derivations = {
      {"id", "individual_user.user_id"},
      {"birth_year",
       "individual_user.birth_year when present (age is then a two-value range); "
       "otherwise missing (no guess from education dates)"},
      {"degrees",
       "individual_user_education rows whose degree maps to a level (associate -> sub_degree, "
       "bachelor, master, mba, doctor -> doctorate; high school and other are skipped); "
       "institution = university_name; graduation = the enddate month (year, and the 1st of "
       "that month as the date); country, stem and full_time unknown. A person with no "
       "education rows has degrees unknown (not 'none')"},
      {"jobs",
       "every used individual_positions row: start and end months (an open spell is "
       "ongoing), employer = rcid; senior = seniority >= senior_min (unknown when "
       "seniority is missing); country, sector, multinational unknown"},
      {"annual_income_hkd",
       "salary (annual US$) of the primary position at the after snapshot times the HK$ peg "
       "band [7.75, 7.85], as a range; a model estimate of pay, not taxable income"},
      {"nationality",
       "unknown (profiles carry no nationality); with "
       "--assume-allowed-nationality set to \"ZZ\", i.e. assumed not excluded"},
      {"other fields",
       "unknown: every other catalog field is missing, so criteria needing them "
       "give cannot tell"},
  };
  return derivations;
}

Person PersonFromProfile(const Dataset& dataset, uint32_t user, const Snapshot& after,
                         const PoolOptions& options) {
  Person person;
  person.id = std::string(dataset.str(dataset.users.user_id[user]));
  if (dataset.users.birth_year[user] > 0) person.birth_year = dataset.users.birth_year[user];
  const EducationTable& edu = dataset.education;
  uint32_t edu_begin = dataset.users.edu_begin[user], edu_end = dataset.users.edu_begin[user + 1];
  if (edu_end > edu_begin) {
    person.degrees.emplace();
    for (uint32_t row = edu_begin; row < edu_end; ++row) {
      std::optional<std::string_view> level = LevelOf(edu.degree[row]);
      if (!level) continue;
      rules::Degree degree;
      degree.level = std::string(*level);
      degree.institution = std::string(dataset.str(edu.university_name[row]));
      if (edu.end[row] != kNoMonth) {
        int year = talentflow::YearOf(edu.end[row]);
        degree.graduation_year = year;
        degree.graduation_date = MakeDate(year, MonthOfYear(edu.end[row]), 1);
      }
      person.degrees->push_back(std::move(degree));
    }
  }
  const PositionTable& pos = dataset.positions;
  person.jobs.emplace();
  for (uint32_t row = dataset.users.pos_begin[user]; row < dataset.users.pos_begin[user + 1];
       ++row) {
    Job job;
    job.start = pos.start[row];
    if (!pos.end_open[row]) job.end = pos.end[row];
    job.employer = std::string(dataset.str(pos.rcid[row]));
    if (pos.seniority[row] >= 0) job.senior = pos.seniority[row] >= options.senior_min;
    person.jobs->push_back(std::move(job));
  }
  if (after.position >= 0 && !std::isnan(pos.salary[after.position])) {
    double usd = pos.salary[after.position];
    person.facts["annual_income_hkd"] =
        NumRange{usd * options.hkd_per_usd_low, usd * options.hkd_per_usd_high};
  }
  if (options.assume_allowed_nationality) person.facts["nationality"] = std::string("ZZ");
  return person;
}

// Mirrors PersonFromProfile line by line; the id and employers are not read
// by any rule and are left out.
void ProfileInputBuilder::Build(uint32_t user, const Snapshot& after, PersonInput* input) {
  input->Clear();
  if (dataset_.users.birth_year[user] > 0) input->birth_year = dataset_.users.birth_year[user];
  const EducationTable& edu = dataset_.education;
  uint32_t edu_begin = dataset_.users.edu_begin[user];
  uint32_t edu_end = dataset_.users.edu_begin[user + 1];
  if (edu_end > edu_begin) {
    input->has_degrees = true;
    for (uint32_t row = edu_begin; row < edu_end; ++row) {
      std::optional<std::string_view> level = LevelOf(edu.degree[row]);
      if (!level) continue;
      DegreeInput& degree = input->degrees.emplace_back();
      degree.level = DegreeLevelCode(*level);
      StrId institution = edu.university_name[row];
      std::string_view name = dataset_.str(institution);
      if (!name.empty()) {
        auto it = institutions_.find(institution);
        if (it == institutions_.end()) {
          it = institutions_.emplace(institution, compiled_.ResolveInstitution(name)).first;
        }
        degree.institution = &it->second;
      }
      if (edu.end[row] != kNoMonth) {
        int year = talentflow::YearOf(edu.end[row]);
        degree.graduation_year = year;
        degree.graduation_date = MakeDate(year, MonthOfYear(edu.end[row]), 1);
      }
    }
  }
  const PositionTable& pos = dataset_.positions;
  input->has_jobs = true;
  for (uint32_t row = dataset_.users.pos_begin[user]; row < dataset_.users.pos_begin[user + 1];
       ++row) {
    JobInput& job = input->jobs.emplace_back();
    job.start = pos.start[row];
    if (!pos.end_open[row]) job.end = pos.end[row];
    if (pos.seniority[row] >= 0) job.senior = pos.seniority[row] >= options_.senior_min;
  }
  if (after.position >= 0 && !std::isnan(pos.salary[after.position])) {
    double usd = pos.salary[after.position];
    input->Set(IncomeField()).number =
        NumRange{usd * options_.hkd_per_usd_low, usd * options_.hkd_per_usd_high};
  }
  if (options_.assume_allowed_nationality) {
    InputField& nationality = input->Set(NationalityField());
    nationality.text = "ZZ";
    nationality.normalized = NormalizeName("ZZ");
  }
}

StatusOr<PoolResult> RunPool(const Registry& registry, const FlowsContext& flows,
                             const PoolOptions& options) {
  const Dataset& dataset = *flows.dataset;
  const uint32_t users = static_cast<uint32_t>(dataset.users.size());
  const uint32_t blocks = (users + kPoolBlock - 1) / kPoolBlock;
  const int threads = std::max(1, std::min<int>(options.threads, std::max<uint32_t>(blocks, 1)));
  // The rules compiled for the date. Their (scheme, category) slots are the
  // same for every person, so workers count by slot and names are attached
  // once.
  TF_ASSIGN_OR_RETURN(const CompiledSchemes compiled,
                      CompiledSchemes::Compile(registry, options.date));
  const std::vector<CompiledSchemes::Slot>& layout = compiled.slots();
  struct Partial {
    double cpu_seconds = 0;
    std::map<FlowClass, int64_t> persons;
    std::vector<std::array<std::array<int64_t, kVerdicts>, kFlowClasses>> by_position;
  };
  std::vector<Partial> partial(threads);
  for (Partial& part : partial) part.by_position.resize(layout.size());
  std::atomic<uint32_t> next_block{0};
  auto worker = [&](int thread) {
    const double cpu_start = ThreadCpuSeconds();
    LocationCache cache(flows.places, flows.params.target_place, flows.params.study_places);
    FlowsAccumulator scratch_acc;
    scratch_acc.cities.resize(flows.params.study_places.size());
    FlowsMoments scratch_moments;
    scratch_moments.city_rank.resize(flows.params.study_places.size());
    Partial& mine = partial[thread];
    ProfileInputBuilder builder(compiled, dataset, options);
    FastEvaluator evaluator(compiled);
    PersonInput input;
    std::vector<FastResult> results;
    while (true) {
      uint32_t block = next_block.fetch_add(1);
      if (block >= blocks) break;
      uint32_t end = std::min(users, (block + 1) * kPoolBlock);
      for (uint32_t user = block * kPoolBlock; user < end; ++user) {
        PersonFlow flow = ProcessPerson(flows, user, &cache, &scratch_acc, &scratch_moments);
        if (std::find(options.classes.begin(), options.classes.end(), flow.cls) ==
            options.classes.end()) {
          continue;
        }
        ++mine.persons[flow.cls];
        builder.Build(user, flow.after, &input);
        evaluator.Evaluate(input, &results);
        for (size_t position = 0; position < results.size(); ++position) {
          ++mine.by_position[position][static_cast<int>(flow.cls)]
                            [VerdictIndex(results[position].verdict)];
        }
      }
      // The scratch aggregates are not used; keep them from growing.
      scratch_acc = FlowsAccumulator();
      scratch_acc.cities.resize(flows.params.study_places.size());
    }
    mine.cpu_seconds = ThreadCpuSeconds() - cpu_start;
  };
  if (threads == 1) {
    worker(0);
  } else {
    std::vector<std::thread> pool;
    for (int thread = 0; thread < threads; ++thread) pool.emplace_back(worker, thread);
    for (std::thread& running : pool) running.join();
  }
  PoolResult result;
  for (size_t pos = 0; pos < layout.size(); ++pos) {
    auto& by_class = result.counts[{layout[pos].scheme, layout[pos].category}];
    for (FlowClass cls : options.classes) {
      auto& target = by_class[cls];
      for (const Partial& part : partial) {
        for (int idx = 0; idx < kVerdicts; ++idx) {
          target[idx] += part.by_position[pos][static_cast<int>(cls)][idx];
        }
      }
    }
  }
  for (const Partial& part : partial) {
    for (const auto& [cls, count] : part.persons) result.persons[cls] += count;
    result.worker_cpu_seconds += part.cpu_seconds;
  }
  return result;
}

Status WritePool(const std::filesystem::path& out_dir, const PoolResult& result,
                 const PoolOptions& options) {
  static constexpr std::array<const char*, kVerdicts> kVerdictColumns = {
      "eligible", "not_eligible", "cannot_tell", "did_not_exist", "closed", "no_rule_in_force"};
  static constexpr std::array<const char*, kVerdicts> kVerdictLabelsEn = {
      "Eligible",      "Not eligible",    "Cannot tell", "Scheme did not exist",
      "Scheme closed", "No rule in force"};
  static constexpr std::array<const char*, kVerdicts> kVerdictLabelsZh = {
      "合資格", "不合資格", "無法判斷", "計劃尚未設立", "計劃已關閉", "無生效規則"};
  Table table;
  table.name = "scheme_pool";
  table.title_en = "Eligible pools by scheme and flow class";
  table.title_zh = "按計劃及流動類別劃分的合資格人數";
  table.source = "schemes";
  table.notes = fmt::format(
      "Rules applied on {}; inputs derived from profiles (see schemes_pool.json "
      "\"derivations\"). Counts below k = {} are suppressed.",
      FormatDate(options.date), options.k);
  table.columns = {{"scheme", "Scheme", "計劃", ColumnType::kString},
                   {"category", "Category", "類別", ColumnType::kString},
                   {"class", "Flow class", "流動類別", ColumnType::kString},
                   {"persons", "Persons", "人數", ColumnType::kInt}};
  for (int idx = 0; idx < kVerdicts; ++idx) {
    table.columns.push_back(
        {kVerdictColumns[idx], kVerdictLabelsEn[idx], kVerdictLabelsZh[idx], ColumnType::kInt});
  }
  // Every person of a class gets one verdict per category, so a row's
  // verdicts add up to its persons: a single suppressed verdict would be
  // persons minus the others. Complementary suppression (stats/disclosure.h)
  // protects each row; a class's persons are one count shared by its rows.
  Disclosure disclosure(options.k, Disclosure::Zeros::kPublish);
  std::map<FlowClass, Disclosure::CellId> persons_id;
  for (FlowClass cls : options.classes) {
    auto persons_it = result.persons.find(cls);
    persons_id[cls] = disclosure.Add(persons_it == result.persons.end() ? 0 : persons_it->second);
  }
  std::vector<std::array<Disclosure::CellId, kVerdicts>> verdict_ids;
  for (const auto& [key, by_class] : result.counts) {
    for (FlowClass cls : options.classes) {
      auto it = by_class.find(cls);
      std::array<int64_t, kVerdicts> counts{};
      if (it != by_class.end()) counts = it->second;
      std::array<Disclosure::CellId, kVerdicts> ids{};
      std::vector<Disclosure::Term> relation = {{persons_id[cls], -1}};
      for (int idx = 0; idx < kVerdicts; ++idx) {
        ids[idx] = disclosure.Add(counts[idx]);
        relation.push_back({ids[idx], 1});
      }
      disclosure.Relate(std::move(relation));
      verdict_ids.push_back(ids);
    }
  }
  disclosure.Protect();
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  nlohmann::ordered_json suppressed = nlohmann::ordered_json::array();
  size_t row_idx = 0;
  for (const auto& [key, by_class] : result.counts) {
    for (FlowClass cls : options.classes) {
      std::vector<Cell> row = {key.first, key.second, std::string(FlowClassName(cls)),
                               disclosure.cell(persons_id[cls])};
      for (int idx = 0; idx < kVerdicts; ++idx) {
        row.push_back(disclosure.cell(verdict_ids[row_idx][idx]));
      }
      ++row_idx;
      nlohmann::ordered_json json_row;
      for (size_t col = 0; col < row.size(); ++col) {
        const std::string& name = table.columns[col].name;
        if (std::holds_alternative<Suppressed>(row[col])) {
          json_row[name] = nullptr;
          suppressed.push_back({{"table", table.name},
                                {"scheme", key.first},
                                {"category", key.second},
                                {"class", FlowClassName(cls)},
                                {"column", name}});
        } else if (const auto* text = std::get_if<std::string>(&row[col])) {
          json_row[name] = *text;
        } else {
          json_row[name] = std::get<int64_t>(row[col]);
        }
      }
      rows.push_back(std::move(json_row));
      table.rows.push_back(std::move(row));
    }
  }
  nlohmann::ordered_json meta;
  meta["format"] = "talentflow.schemes.pool/1";
  meta["dataset"] = options.dataset;
  meta["place"] = options.place;
  meta["before"] = options.before;
  meta["after"] = options.after;
  meta["date"] = FormatDate(options.date);
  meta["k"] = options.k;
  meta["classes"] = nlohmann::ordered_json::array();
  for (FlowClass cls : options.classes) meta["classes"].push_back(FlowClassName(cls));
  meta["assume_allowed_nationality"] = options.assume_allowed_nationality;
  meta["hkd_per_usd"] = {options.hkd_per_usd_low, options.hkd_per_usd_high};
  meta["senior_min"] = options.senior_min;
  meta["derivations"] = nlohmann::ordered_json::object();
  for (const auto& [input, how] : PoolDerivations()) meta["derivations"][input] = how;
  meta["pool"] = std::move(rows);
  meta["suppressed"] = std::move(suppressed);
  TF_RETURN_IF_ERROR(WriteTable(out_dir / "tables", table));
  return WriteFileAtomic(out_dir / "schemes_pool.json", meta.dump(2) + "\n");
}

}  // namespace talentflow::rules
