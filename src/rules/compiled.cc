#include "rules/compiled.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <map>

#include "rules/internal/logic.h"

namespace talentflow::rules {

namespace {

using internal::And;
using internal::Best;
using internal::CompareOp;
using internal::DegreeFilters;

constexpr int kLevelCount = 5;
constexpr int kRankOfLevel[kLevelCount] = {0, 1, 2, 2, 3};  // mba ranks with master

int RankOf(int level) { return level < 0 ? -1 : kRankOfLevel[level]; }

int FieldIndex(std::string_view name) {
  const FieldInfo* info = FindField(name);
  return info == nullptr ? -1 : static_cast<int>(info - FieldCatalog().data());
}

// An operand with its value on the compiled date.
struct CompiledOperand {
  bool present = false;  // the criterion gives one
  bool known = false;    // a literal, or a parameter value in force
  Scalar value;
  double number = 0;       // value, when a number
  std::string normalized;  // NormalizeName(value), when a string
  std::string missing;     // "(parameter NAME on DATE)" when not known
};

struct CompiledRow {
  bool tests_field = false;
  std::optional<double> at_least, below, at_most;
  std::optional<CompiledOperand> equals;
  int if_node = -1;
  double points = 0;
};

struct Node {
  std::string id;
  CriterionKind kind = CriterionKind::kCompare;
  bool boolean = true;
  int field = -1;  // catalog index
  std::string field_name;
  FieldType field_type = FieldType::kNumber;
  CompareOp op = CompareOp::kGe;
  CompiledOperand value;  // compare, experience
  // in_list (lists of fields) and degree (lists of institutions)
  const DatedList* list = nullptr;
  std::string list_missing;  // " (not on the partial list ID)", after what was looked up
  int degree_list = -1;      // slot in InstitutionHits
  bool list_on_graduation = false;
  // all, any, not, at_least, sum
  std::vector<int> children;
  CompiledOperand n, cap, pass_mark;
  // points
  bool table_known = false;
  std::string table_missing;
  std::vector<CompiledRow> rows;
  // degree
  bool has_min_level = false;
  int min_rank = -1;
  bool has_levels = false;
  unsigned levels_mask = 0;
  CompiledOperand within_years, within_months;
  std::optional<bool> stem, full_time;
  std::vector<std::string> countries, not_countries;
  // experience
  CompiledOperand lookback_years;
  bool after_graduation = true;
  std::optional<bool> senior, multinational, international;
  std::vector<std::string> sectors;  // normalized
  // undetermined
  std::string undetermined_missing;
};

struct Plan {
  Verdict constant = Verdict::kCannotTell;  // when eligible < 0
  int eligible = -1;
  int score = -1;
};

struct NodeResult {
  Tri outcome = Tri::kUnknown;
  double points_min = 0, points_max = 0;
  bool has_pass_mark = false;
  double pass_mark = 0;
};

// Missing fields of an undecided node, without duplicates (the final list is
// sorted, so the order of insertion does not matter).
class Missing {
 public:
  void Add(std::string field) {
    if (std::find(items_.begin(), items_.end(), field) == items_.end()) {
      items_.push_back(std::move(field));
    }
  }
  void Merge(const Missing& other) {
    for (const std::string& field : other.items_) Add(field);
  }
  void Clear() { items_.clear(); }
  std::vector<std::string>& Items() { return items_; }

 private:
  std::vector<std::string> items_;
};

}  // namespace

struct CompiledSchemes::Impl {
  const Registry* registry = nullptr;
  Date date;
  int year = 0;
  Month month = 0;
  std::string date_text;
  std::vector<Node> nodes;
  std::vector<Slot> slots;
  std::vector<Plan> plans;
  std::vector<const DatedList*> degree_lists;
  std::vector<std::string> degree_list_ids;
  // Catalog indices the evaluator needs by name.
  int age = -1, highest_degree = -1, doctorate_count = -1, master_count = -1, bachelor_count = -1,
      degree_count = -1, english_good = -1, chinese_good = -1, languages_good_count = -1,
      japanese_university_graduate = -1, languages_good = -1, nationality = -1;

  StatusOr<CompiledOperand> CompileOperand(const Scheme& scheme, const Operand& operand) const {
    CompiledOperand out;
    out.present = operand.present();
    if (operand.literal) {
      out.known = true;
      out.value = *operand.literal;
    } else if (!operand.param.empty()) {
      auto it = scheme.parameters.find(operand.param);
      if (it == scheme.parameters.end() || it->second.is_table) {
        return Internal(fmt::format("{}: parameter \"{}\" is not a scalar parameter", scheme.id,
                                    operand.param));
      }
      const ParamValue* value = it->second.InForce(date);
      if (value == nullptr) {
        out.missing = fmt::format("(parameter {} on {})", operand.param, date_text);
      } else {
        out.known = true;
        out.value = *value->scalar;
      }
    }
    if (out.known) {
      if (const double* number = std::get_if<double>(&out.value)) out.number = *number;
      if (const auto* text = std::get_if<std::string>(&out.value)) {
        out.normalized = NormalizeName(*text);
      }
    }
    return out;
  }

  StatusOr<CompiledOperand> CompileNumber(const Scheme& scheme, const Operand& operand,
                                          const std::string& what) const {
    TF_ASSIGN_OR_RETURN(CompiledOperand out, CompileOperand(scheme, operand));
    if (out.known && !std::holds_alternative<double>(out.value)) {
      return Internal(fmt::format("{}: {} is not a number", scheme.id, what));
    }
    return out;
  }

  int DegreeListSlot(const std::string& id, const DatedList* list) {
    for (size_t slot = 0; slot < degree_list_ids.size(); ++slot) {
      if (degree_list_ids[slot] == id) return static_cast<int>(slot);
    }
    degree_lists.push_back(list);
    degree_list_ids.push_back(id);
    return static_cast<int>(degree_lists.size() - 1);
  }

  // Compiles criterion `id` of `scheme` and what it refers to (children
  // first, so a node's children have smaller indices); `done` maps the
  // scheme's criterion ids to nodes already compiled.
  StatusOr<int> CompileNode(const Scheme& scheme, const std::string& id,
                            std::map<std::string, int>& done) {
    if (auto it = done.find(id); it != done.end()) return it->second;
    auto crit_it = scheme.criteria.find(id);
    if (crit_it == scheme.criteria.end()) {
      return Internal(fmt::format("{}: criterion \"{}\" is not defined", scheme.id, id));
    }
    const Criterion& crit = crit_it->second;
    Node node;
    node.id = id;
    node.kind = crit.kind;
    node.boolean = crit.IsBoolean();
    std::string where = fmt::format("criteria.{}", id);
    if (!crit.field.empty()) {
      node.field = FieldIndex(crit.field);
      if (node.field < 0) {
        return Internal(fmt::format("{}: {}: \"{}\" is not a field", scheme.id, where, crit.field));
      }
      node.field_name = crit.field;
      node.field_type = FieldCatalog()[node.field].type;
    }
    if (!crit.op.empty()) node.op = internal::ParseCompareOp(crit.op);
    for (const std::string& child : crit.of) {
      TF_ASSIGN_OR_RETURN(int child_node, CompileNode(scheme, child, done));
      node.children.push_back(child_node);
    }
    if (!crit.list.empty()) {
      auto list_it = registry->lists.find(crit.list);
      if (list_it == registry->lists.end()) {
        return Internal(fmt::format("{}: {}: list \"{}\" not loaded", scheme.id, where, crit.list));
      }
      node.list = &list_it->second;
      node.list_missing = fmt::format(" (not on the partial list {})", crit.list);
    }
    switch (crit.kind) {
      case CriterionKind::kCompare: {
        TF_ASSIGN_OR_RETURN(node.value, CompileOperand(scheme, crit.value));
        if (node.field_type == FieldType::kNumber && node.value.known &&
            !std::holds_alternative<double>(node.value.value)) {
          return Internal(fmt::format("{}: {}: value is not a number", scheme.id, where));
        }
        break;
      }
      case CriterionKind::kInList:
        break;
      case CriterionKind::kDegree: {
        node.has_min_level = !crit.min_level.empty();
        node.min_rank = DegreeRank(crit.min_level);
        node.has_levels = !crit.levels.empty();
        for (const std::string& level : crit.levels) {
          int code = DegreeLevelCode(level);
          if (code >= 0) node.levels_mask |= 1u << code;
        }
        if (node.list != nullptr) node.degree_list = DegreeListSlot(crit.list, node.list);
        node.list_on_graduation = crit.list_as_of != "evaluation_date";
        TF_ASSIGN_OR_RETURN(node.within_years,
                            CompileNumber(scheme, crit.within_years, where + ".within_years"));
        TF_ASSIGN_OR_RETURN(node.within_months,
                            CompileNumber(scheme, crit.within_months, where + ".within_months"));
        node.stem = crit.stem;
        node.full_time = crit.full_time;
        node.countries = crit.countries;
        node.not_countries = crit.not_countries;
        break;
      }
      case CriterionKind::kExperience: {
        TF_ASSIGN_OR_RETURN(node.value, CompileNumber(scheme, crit.value, where + ".value"));
        TF_ASSIGN_OR_RETURN(node.lookback_years,
                            CompileNumber(scheme, crit.lookback_years, where + ".lookback_years"));
        node.after_graduation = crit.after_graduation;
        node.senior = crit.senior;
        node.multinational = crit.multinational;
        node.international = crit.international;
        for (const std::string& sector : crit.sectors)
          node.sectors.push_back(NormalizeName(sector));
        break;
      }
      case CriterionKind::kAll:
      case CriterionKind::kAny:
      case CriterionKind::kNot:
        break;
      case CriterionKind::kAtLeast: {
        TF_ASSIGN_OR_RETURN(node.n, CompileNumber(scheme, crit.n, where + ".n"));
        break;
      }
      case CriterionKind::kPoints: {
        auto table_it = scheme.parameters.find(crit.table);
        if (table_it == scheme.parameters.end() || !table_it->second.is_table) {
          return Internal(
              fmt::format("{}: {}: \"{}\" is not a points table", scheme.id, where, crit.table));
        }
        const ParamValue* value = table_it->second.InForce(date);
        if (value == nullptr) {
          node.table_missing = fmt::format("(parameter {} on {})", crit.table, date_text);
          break;
        }
        node.table_known = true;
        for (const PointsRow& row : value->rows) {
          CompiledRow compiled;
          compiled.tests_field = row.at_least || row.below || row.at_most || row.equals;
          if (compiled.tests_field && node.field < 0) {
            return Internal(
                fmt::format("{}: {}: rows test a value but no field", scheme.id, where));
          }
          compiled.at_least = row.at_least;
          compiled.below = row.below;
          compiled.at_most = row.at_most;
          if (row.equals) {
            Operand literal;
            literal.literal = *row.equals;
            TF_ASSIGN_OR_RETURN(CompiledOperand equals, CompileOperand(scheme, literal));
            if (node.field_type == FieldType::kNumber &&
                !std::holds_alternative<double>(equals.value)) {
              return Internal(fmt::format("{}: {}: row equals a non-number on a number field",
                                          scheme.id, crit.table));
            }
            compiled.equals = std::move(equals);
          }
          if (!row.if_criterion.empty()) {
            TF_ASSIGN_OR_RETURN(compiled.if_node, CompileNode(scheme, row.if_criterion, done));
          }
          compiled.points = row.points;
          node.rows.push_back(std::move(compiled));
        }
        break;
      }
      case CriterionKind::kSum: {
        TF_ASSIGN_OR_RETURN(node.cap, CompileNumber(scheme, crit.cap, where + ".cap"));
        TF_ASSIGN_OR_RETURN(node.pass_mark,
                            CompileNumber(scheme, crit.pass_mark, where + ".pass_mark"));
        break;
      }
      case CriterionKind::kUndetermined:
        node.undetermined_missing = fmt::format("(not decidable from data: {})", id);
        break;
    }
    nodes.push_back(std::move(node));
    int index = static_cast<int>(nodes.size() - 1);
    done[id] = index;
    return index;
  }

  // The plan of each category of `scheme` on the date, as CheckPerson decides.
  Status CompileScheme(const Scheme& scheme) {
    if (date < scheme.launched || (scheme.closed && date > *scheme.closed)) {
      slots.push_back({scheme.id, ""});
      plans.push_back({date < scheme.launched ? Verdict::kDidNotExist : Verdict::kClosed, -1, -1});
      return Status::Ok();
    }
    std::map<std::string, int> done;
    for (const std::string& category : scheme.Categories()) {
      const Scheme::CategoryOnDate on = scheme.OnDate(category, date);
      const Rule* in_force = on.in_force;
      Plan plan;
      if (in_force == nullptr) {
        plan.constant = date < *on.first                                 ? Verdict::kDidNotExist
                        : (!on.open_ended && on.last && date > *on.last) ? Verdict::kClosed
                                                                         : Verdict::kNoRuleInForce;
      } else if (in_force->eligible.empty()) {
        plan.constant = Verdict::kNoRuleInForce;
      } else {
        TF_ASSIGN_OR_RETURN(plan.eligible, CompileNode(scheme, in_force->eligible, done));
        if (!in_force->score.empty()) {
          TF_ASSIGN_OR_RETURN(plan.score, CompileNode(scheme, in_force->score, done));
        }
      }
      slots.push_back({scheme.id, category});
      plans.push_back(plan);
    }
    return Status::Ok();
  }
};

int DegreeLevelCode(std::string_view level) {
  if (level == "sub_degree") return 0;
  if (level == "bachelor") return 1;
  if (level == "master") return 2;
  if (level == "mba") return 3;
  if (level == "doctorate") return 4;
  return -1;
}

PersonInput::PersonInput() : fields_(FieldCatalog().size()) {}

void PersonInput::Clear() {
  birth_date.reset();
  birth_year.reset();
  has_degrees = false;
  degrees.clear();
  has_jobs = false;
  jobs.clear();
  owned_institutions.clear();
  for (int field : set_) fields_[field].present = false;
  set_.clear();
}

InputField& PersonInput::Set(int field) {
  InputField& slot = fields_[field];
  if (!slot.present) {
    slot.present = true;
    set_.push_back(field);
  }
  return slot;
}

CompiledSchemes::CompiledSchemes(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CompiledSchemes::CompiledSchemes(CompiledSchemes&&) noexcept = default;
CompiledSchemes& CompiledSchemes::operator=(CompiledSchemes&&) noexcept = default;
CompiledSchemes::~CompiledSchemes() = default;

StatusOr<CompiledSchemes> CompiledSchemes::Compile(const Registry& registry, Date date) {
  auto impl = std::make_unique<Impl>();
  impl->registry = &registry;
  impl->date = date;
  impl->year = YearOf(date);
  impl->month = MonthContaining(date);
  impl->date_text = FormatDate(date);
  struct Named {
    int* index;
    const char* name;
  };
  for (const Named& named : std::initializer_list<Named>{
           {&impl->age, "age"},
           {&impl->highest_degree, "highest_degree"},
           {&impl->doctorate_count, "doctorate_count"},
           {&impl->master_count, "master_count"},
           {&impl->bachelor_count, "bachelor_count"},
           {&impl->degree_count, "degree_count"},
           {&impl->english_good, "english_good"},
           {&impl->chinese_good, "chinese_good"},
           {&impl->languages_good_count, "languages_good_count"},
           {&impl->japanese_university_graduate, "japanese_university_graduate"},
           {&impl->languages_good, "languages_good"},
           {&impl->nationality, "nationality"}}) {
    *named.index = FieldIndex(named.name);
    if (*named.index < 0) return Internal(fmt::format("field {} not in the catalog", named.name));
  }
  // Derived fields are computed by FastEvaluator's Derive: a new one must be
  // added there too.
  for (const FieldInfo& info : FieldCatalog()) {
    if (!info.derived) continue;
    int index = FieldIndex(info.name);
    if (index != impl->age && index != impl->highest_degree && index != impl->doctorate_count &&
        index != impl->master_count && index != impl->bachelor_count &&
        index != impl->degree_count && index != impl->english_good && index != impl->chinese_good &&
        index != impl->languages_good_count && index != impl->japanese_university_graduate) {
      return Internal(
          fmt::format("derived field {} is not computed by the compiled evaluator", info.name));
    }
  }
  for (const auto& [id, scheme] : registry.schemes) {
    TF_RETURN_IF_ERROR(impl->CompileScheme(scheme));
  }
  return CompiledSchemes(std::move(impl));
}

const std::vector<CompiledSchemes::Slot>& CompiledSchemes::slots() const { return impl_->slots; }

Date CompiledSchemes::date() const { return impl_->date; }

InstitutionHits CompiledSchemes::ResolveInstitution(std::string_view name) const {
  std::string normalized = NormalizeName(name);
  InstitutionHits hits(impl_->degree_lists.size(), nullptr);
  for (size_t slot = 0; slot < hits.size(); ++slot) {
    const auto& index = impl_->degree_lists[slot]->index;
    if (auto it = index.find(normalized); it != index.end()) hits[slot] = &it->second;
  }
  return hits;
}

void CompiledSchemes::FillInput(const Person& person, PersonInput* input) const {
  input->Clear();
  input->birth_date = person.birth_date;
  input->birth_year = person.birth_year;
  if (person.degrees) {
    input->has_degrees = true;
    for (const Degree& degree : *person.degrees) {
      DegreeInput out;
      out.level = DegreeLevelCode(degree.level);
      out.honorary = degree.honorary;
      out.country = degree.country;
      out.graduation_date = degree.graduation_date;
      out.graduation_year = degree.graduation_year;
      out.stem = degree.stem;
      out.full_time = degree.full_time;
      if (!degree.institution.empty()) {
        out.institution =
            &input->owned_institutions.emplace_back(ResolveInstitution(degree.institution));
      }
      input->degrees.push_back(std::move(out));
    }
  }
  if (person.jobs) {
    input->has_jobs = true;
    for (const Job& job : *person.jobs) {
      JobInput out;
      out.start = job.start;
      out.end = job.end;
      out.full_time = job.full_time;
      out.senior = job.senior;
      out.multinational = job.multinational;
      out.international = job.international;
      out.country = job.country;
      out.has_sector = !job.sector.empty();
      out.sector = NormalizeName(job.sector);
      input->jobs.push_back(std::move(out));
    }
  }
  for (const auto& [name, value] : person.facts) {
    int field = FieldIndex(name);
    if (field < 0) continue;  // ParsePersonJson admits catalog fields only
    InputField& slot = input->Set(field);
    if (const auto* range = std::get_if<NumRange>(&value)) {
      slot.number = *range;
    } else if (const bool* flag = std::get_if<bool>(&value)) {
      slot.flag = *flag;
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      slot.text = *text;
      slot.normalized = NormalizeName(*text);
    } else {
      slot.items = std::get<std::vector<std::string>>(value);
    }
  }
}

// ---------------------------------------------------------------------------
// Evaluation.

struct FastEvaluator::State {
  const CompiledSchemes::Impl& c;
  const PersonInput* in = nullptr;
  // Node results of the current person: valid where stamp == epoch.
  std::vector<NodeResult> memo;
  std::vector<uint32_t> stamp;
  uint32_t epoch = 0;
  // Derived fields of the current person, by catalog index.
  std::vector<InputField> derived;
  Month first_degree = INT_MIN;  // month of the first dated degree, INT_MIN if none
  struct Spell {
    Month first, last;
    bool sure;
  };
  std::vector<Spell> spells;
  std::vector<Tri> job_match;

  explicit State(const CompiledSchemes::Impl& compiled)
      : c(compiled),
        memo(compiled.nodes.size()),
        stamp(compiled.nodes.size(), 0),
        derived(FieldCatalog().size()) {}

  const InputField& Field(int field) const {
    return FieldCatalog()[field].derived ? derived[field] : in->Get(field);
  }

  // The derived fields and the graduation month, as ResolveFields and the
  // experience rule compute them.
  void Derive() {
    InputField& age = derived[c.age];
    age.present = false;
    if (in->birth_date) {
      double years = CompletedYears(*in->birth_date, c.date);
      age.present = true;
      age.number = {years, years};
    } else if (in->birth_year) {
      double older = c.year - *in->birth_year;
      age.present = true;
      age.number = {older - 1, older};
    }
    static const char* kLevelNames[] = {"sub_degree", "bachelor", "master", "doctorate"};
    static const std::string kNormalizedLevels[] = {
        NormalizeName("sub_degree"), NormalizeName("bachelor"), NormalizeName("master"),
        NormalizeName("doctorate"), NormalizeName("none")};
    first_degree = INT_MIN;
    for (int field : {c.highest_degree, c.doctorate_count, c.master_count, c.bachelor_count,
                      c.degree_count, c.japanese_university_graduate}) {
      derived[field].present = in->has_degrees;
    }
    if (in->has_degrees) {
      int best = -1;
      double doctorates = 0, masters = 0, bachelors = 0;
      bool in_japan = false;
      Month first = INT_MAX;
      for (const DegreeInput& degree : in->degrees) {
        if (degree.honorary) continue;
        int rank = RankOf(degree.level);
        best = std::max(best, rank);
        if (rank == 3) ++doctorates;
        if (rank == 2) ++masters;
        if (rank == 1) ++bachelors;
        if (degree.country == "JP") in_japan = true;
        if (rank < 1) continue;
        if (degree.graduation_date) {
          first = std::min(first, MonthContaining(*degree.graduation_date));
        } else if (degree.graduation_year) {
          first = std::min(first, MakeMonth(*degree.graduation_year, 7));
        }
      }
      if (first != INT_MAX) first_degree = first;
      InputField& highest = derived[c.highest_degree];
      highest.text = best < 0 ? "none" : kLevelNames[best];
      highest.normalized = kNormalizedLevels[best < 0 ? 4 : best];
      derived[c.doctorate_count].number = {doctorates, doctorates};
      derived[c.master_count].number = {masters, masters};
      derived[c.bachelor_count].number = {bachelors, bachelors};
      double all = doctorates + masters + bachelors;
      derived[c.degree_count].number = {all, all};
      derived[c.japanese_university_graduate].flag = in_japan;
    }
    const InputField& languages = in->Get(c.languages_good);
    for (int field : {c.english_good, c.chinese_good, c.languages_good_count}) {
      derived[field].present = languages.present;
    }
    if (languages.present) {
      const std::vector<std::string>& items = languages.items;
      auto has = [&](const char* lang) {
        return std::find(items.begin(), items.end(), lang) != items.end();
      };
      std::vector<std::string> distinct = items;
      std::sort(distinct.begin(), distinct.end());
      double count =
          static_cast<double>(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
      derived[c.english_good].flag = has("english");
      derived[c.chinese_good].flag = has("chinese");
      derived[c.languages_good_count].number = {count, count};
    }
  }

  static bool Undecided(const Node& node, const NodeResult& result) {
    if (node.boolean) return result.outcome == Tri::kUnknown;
    return result.points_min != result.points_max;
  }

  // Evaluates a child for a parent; in explain mode its missing fields join
  // the parent's when the child is undecided.
  NodeResult Child(int index, Missing* parent) {
    if (parent == nullptr) return Eval(index, nullptr);
    Missing own;
    NodeResult result = Eval(index, &own);
    if (Undecided(c.nodes[index], result)) parent->Merge(own);
    return result;
  }

  // `missing` is null in fast mode (results are then remembered per person);
  // otherwise it receives the node's missing fields, empty when decided.
  NodeResult Eval(int index, Missing* missing) {
    if (missing == nullptr && stamp[index] == epoch) return memo[index];
    const Node& node = c.nodes[index];
    NodeResult result;
    switch (node.kind) {
      case CriterionKind::kCompare:
        EvalCompare(node, result, missing);
        break;
      case CriterionKind::kInList:
        EvalInList(node, result, missing);
        break;
      case CriterionKind::kDegree:
        EvalDegree(node, result, missing);
        break;
      case CriterionKind::kExperience:
        EvalExperience(node, result, missing);
        break;
      case CriterionKind::kAll:
      case CriterionKind::kAny:
      case CriterionKind::kNot:
      case CriterionKind::kAtLeast:
        EvalCombinator(node, result, missing);
        break;
      case CriterionKind::kPoints:
        EvalPoints(node, result, missing);
        break;
      case CriterionKind::kSum:
        EvalSum(node, result, missing);
        break;
      case CriterionKind::kUndetermined:
        result.outcome = Tri::kUnknown;
        if (missing) missing->Add(node.undetermined_missing);
        break;
    }
    if (missing == nullptr) {
      memo[index] = result;
      stamp[index] = epoch;
    } else if (!Undecided(node, result)) {
      missing->Clear();
    }
    return result;
  }

  static Tri CompareField(const InputField& slot, FieldType type, CompareOp op,
                          const CompiledOperand& operand) {
    if (type == FieldType::kNumber) return internal::CompareRange(slot.number, op, operand.number);
    bool equal = false;
    if (type == FieldType::kBool) {
      const bool* flag = std::get_if<bool>(&operand.value);
      equal = flag != nullptr && *flag == slot.flag;
    } else if (type == FieldType::kString) {
      equal = std::holds_alternative<std::string>(operand.value) &&
              operand.normalized == slot.normalized;
    }
    return (equal == (op == CompareOp::kEq)) ? Tri::kYes : Tri::kNo;
  }

  static std::string KnownOnlyAs(const Node& node, const InputField& slot) {
    return fmt::format("{} (known only as {})", node.field_name,
                       FormatFieldValue(FieldValue(slot.number)));
  }

  void EvalCompare(const Node& node, NodeResult& result, Missing* missing) {
    const InputField& slot = Field(node.field);
    if (missing && !slot.present) missing->Add(node.field_name);
    if (missing && !node.value.known) missing->Add(node.value.missing);
    if (!slot.present || !node.value.known) {
      result.outcome = Tri::kUnknown;
      return;
    }
    result.outcome = CompareField(slot, node.field_type, node.op, node.value);
    if (missing && result.outcome == Tri::kUnknown) missing->Add(KnownOnlyAs(node, slot));
  }

  // Whether `entries` (a name's entries in `list`) include one in force on
  // `on`: yes; else no for a complete list, cannot tell for a partial one.
  static Tri LookUp(const DatedList& list, const std::vector<size_t>* entries, Date on) {
    if (entries != nullptr) {
      for (size_t pos : *entries) {
        if (list.entries[pos].Covers(on)) return Tri::kYes;
      }
    }
    return list.complete ? Tri::kNo : Tri::kUnknown;
  }

  void EvalInList(const Node& node, NodeResult& result, Missing* missing) {
    const InputField& slot = Field(node.field);
    if (!slot.present) {
      if (missing) missing->Add(node.field_name);
      result.outcome = Tri::kUnknown;
      return;
    }
    auto it = node.list->index.find(slot.normalized);
    result.outcome =
        LookUp(*node.list, it == node.list->index.end() ? nullptr : &it->second, c.date);
    if (missing && result.outcome == Tri::kUnknown) {
      missing->Add(node.field_name + node.list_missing);
    }
  }

  void EvalDegree(const Node& node, NodeResult& result, Missing* missing) {
    if (!in->has_degrees) {
      if (missing) missing->Add("degrees");
      result.outcome = Tri::kUnknown;
      return;
    }
    if (missing && node.within_years.present && !node.within_years.known) {
      missing->Add(node.within_years.missing);
    }
    if (missing && node.within_months.present && !node.within_months.known) {
      missing->Add(node.within_months.missing);
    }
    Tri overall = Tri::kNo;
    Missing scratch;
    for (size_t idx = 0; idx < in->degrees.size() && overall != Tri::kYes; ++idx) {
      const DegreeInput& degree = in->degrees[idx];
      if (missing) scratch.Clear();
      auto need = [&](bool known, const char* sub) {
        if (!known && missing) scratch.Add(fmt::format("degrees[{}].{}", idx, sub));
        return known;
      };
      Tri match = Tri::kYes;
      if (degree.honorary) match = Tri::kNo;
      if (node.has_min_level && RankOf(degree.level) < node.min_rank) match = Tri::kNo;
      if (node.has_levels && (degree.level < 0 || !(node.levels_mask & (1u << degree.level)))) {
        match = Tri::kNo;
      }
      // The degree must have been awarded by the date.
      if (degree.graduation_date && *degree.graduation_date > c.date) match = Tri::kNo;
      if (degree.graduation_year && *degree.graduation_year > c.year) match = Tri::kNo;
      match = And(match, DegreeFilters(degree, node, need));
      if (node.within_years.present) {
        if (!node.within_years.known) {
          match = And(match, Tri::kUnknown);
        } else if (need(degree.graduation_year.has_value(), "graduation_year")) {
          if (c.year - *degree.graduation_year > node.within_years.number) match = Tri::kNo;
          if (!degree.graduation_date && *degree.graduation_year == c.year) {
            match = And(match, Tri::kUnknown);  // awarded later this year?
            need(false, "graduation_date");
          }
        } else {
          match = And(match, Tri::kUnknown);
        }
      }
      if (node.within_months.present) {
        if (!node.within_months.known) {
          match = And(match, Tri::kUnknown);
        } else if (degree.graduation_date) {
          if (c.date > internal::AddMonths(*degree.graduation_date,
                                           static_cast<int>(node.within_months.number))) {
            match = Tri::kNo;
          }
        } else if (degree.graduation_year &&
                   (c.year - *degree.graduation_year) * 12 - 11 > node.within_months.number) {
          match = Tri::kNo;
        } else {
          need(false, "graduation_date");
          match = And(match, Tri::kUnknown);
        }
      }
      if (node.degree_list >= 0 && match != Tri::kNo) {
        std::optional<Date> on;
        if (!node.list_on_graduation) {
          on = c.date;
        } else if (degree.graduation_date) {
          on = *degree.graduation_date;
        } else if (degree.graduation_year) {
          on = MakeDate(*degree.graduation_year, 12, 31);
        }
        if (!need(degree.institution != nullptr, "institution") ||
            !need(on.has_value(), "graduation_year")) {
          match = And(match, Tri::kUnknown);
        } else {
          Tri listed = LookUp(*node.list, (*degree.institution)[node.degree_list], *on);
          if (missing && listed == Tri::kUnknown) {
            scratch.Add(fmt::format("degrees[{}].institution{}", idx, node.list_missing));
          }
          match = And(match, listed);
        }
      }
      if (missing && match == Tri::kUnknown) missing->Merge(scratch);
      overall = Best(overall, match);
    }
    result.outcome = overall;
  }

  // Whether a job counts for an experience criterion; `missing` (explain
  // mode) receives the job's unknown attributes.
  static Tri MatchJob(const Node& node, const JobInput& job, size_t idx,
                      const InputField& nationality, Missing* missing) {
    Tri match = Tri::kYes;
    if (job.full_time && !*job.full_time) match = Tri::kNo;
    auto unknown = [&](const char* sub) {
      match = And(match, Tri::kUnknown);
      if (missing) missing->Add(fmt::format("jobs[{}].{}", idx, sub));
    };
    auto flag = [&](const std::optional<bool>& want, const std::optional<bool>& have,
                    const char* name) {
      if (!want) return;
      if (!have) {
        unknown(name);
      } else if (*have != *want) {
        match = Tri::kNo;
      }
    };
    flag(node.senior, job.senior, "senior");
    flag(node.multinational, job.multinational, "multinational");
    std::optional<bool> international = job.international;
    if (!international && !job.country.empty() && nationality.present) {
      international = job.country != nationality.text;
    }
    if (node.international && !international) {
      if (job.country.empty()) {
        unknown("country");
      } else {
        match = And(match, Tri::kUnknown);
        if (missing) missing->Add("nationality");
      }
    } else {
      flag(node.international, international, "international");
    }
    if (!node.sectors.empty()) {
      if (!job.has_sector) {
        unknown("sector");
      } else if (std::find(node.sectors.begin(), node.sectors.end(), job.sector) ==
                 node.sectors.end()) {
        match = Tri::kNo;
      }
    }
    return match;
  }

  // Months covered by the union of the spells (all, or the sure ones only).
  // REQUIRES: spells sorted by first month.
  double CoveredMonths(bool sure_only) const {
    double months = 0;
    Month run_first = 0, run_last = 0;
    bool open = false;
    for (const Spell& spell : spells) {
      if (sure_only && !spell.sure) continue;
      if (open && spell.first <= run_last + 1) {
        run_last = std::max(run_last, spell.last);
        continue;
      }
      if (open) months += run_last - run_first + 1;
      run_first = spell.first;
      run_last = spell.last;
      open = true;
    }
    if (open) months += run_last - run_first + 1;
    return months;
  }

  void EvalExperience(const Node& node, NodeResult& result, Missing* missing) {
    if (missing && !node.value.known) missing->Add(node.value.missing);
    if (missing && node.lookback_years.present && !node.lookback_years.known) {
      missing->Add(node.lookback_years.missing);
    }
    if (!in->has_jobs) {
      if (missing) missing->Add("jobs");
      result.outcome = Tri::kUnknown;
      return;
    }
    if (!node.value.known || (node.lookback_years.present && !node.lookback_years.known)) {
      result.outcome = Tri::kUnknown;
      return;
    }
    Month end = c.month;  // months strictly before the date's month count
    Month begin = node.lookback_years.present
                      ? end - static_cast<int>(node.lookback_years.number * 12)
                      : INT_MIN;
    // Work counts from the month after the first degree (bachelor or above).
    Month graduated = node.after_graduation ? first_degree : INT_MIN;
    const InputField& nationality = in->Get(c.nationality);
    spells.clear();
    job_match.assign(in->jobs.size(), Tri::kNo);
    for (size_t idx = 0; idx < in->jobs.size(); ++idx) {
      const JobInput& job = in->jobs[idx];
      Tri match = MatchJob(node, job, idx, nationality, nullptr);
      if (match == Tri::kNo) continue;
      Month first = std::max({job.start, begin, graduated == INT_MIN ? INT_MIN : graduated + 1});
      Month last = std::min(job.end ? *job.end : end - 1, end - 1);
      if (first > last) continue;
      spells.push_back({first, last, match == Tri::kYes});
      job_match[idx] = match;
    }
    std::sort(spells.begin(), spells.end(),
              [](const Spell& a, const Spell& b) { return a.first < b.first; });
    double sure = CoveredMonths(true), possible = CoveredMonths(false);
    NumRange years{sure / 12.0, possible / 12.0};
    result.outcome = internal::CompareRange(years, node.op, node.value.number);
    if (missing && result.outcome == Tri::kUnknown) {
      for (size_t idx = 0; idx < in->jobs.size(); ++idx) {
        if (job_match[idx] == Tri::kUnknown)
          MatchJob(node, in->jobs[idx], idx, nationality, missing);
      }
    }
  }

  void EvalCombinator(const Node& node, NodeResult& result, Missing* missing) {
    int yes = 0, no = 0, unknown = 0;
    for (int child : node.children) {
      Tri outcome = Child(child, missing).outcome;
      if (outcome == Tri::kYes) ++yes;
      if (outcome == Tri::kNo) ++no;
      if (outcome == Tri::kUnknown) ++unknown;
      // One child decides all (no) and any (yes); the rest cannot change
      // the outcome, and a decided node reports no missing fields.
      if (node.kind == CriterionKind::kAll && no > 0) break;
      if (node.kind == CriterionKind::kAny && yes > 0) break;
    }
    switch (node.kind) {
      case CriterionKind::kAll:
        result.outcome = no > 0 ? Tri::kNo : unknown > 0 ? Tri::kUnknown : Tri::kYes;
        break;
      case CriterionKind::kAny:
        result.outcome = yes > 0 ? Tri::kYes : unknown > 0 ? Tri::kUnknown : Tri::kNo;
        break;
      case CriterionKind::kNot:
        result.outcome = yes > 0 ? Tri::kNo : unknown > 0 ? Tri::kUnknown : Tri::kYes;
        break;
      case CriterionKind::kAtLeast: {
        result.points_min = yes;
        result.points_max = yes + unknown;
        if (!node.n.known) {
          if (missing) missing->Add(node.n.missing);
          result.outcome = Tri::kUnknown;
          break;
        }
        double n = node.n.number;
        result.has_pass_mark = true;
        result.pass_mark = n;
        result.outcome = yes >= n ? Tri::kYes : yes + unknown < n ? Tri::kNo : Tri::kUnknown;
        break;
      }
      default:
        break;
    }
  }

  void EvalPoints(const Node& node, NodeResult& result, Missing* missing) {
    const InputField* slot = node.field >= 0 ? &Field(node.field) : nullptr;
    if (missing && slot != nullptr && !slot->present) missing->Add(node.field_name);
    if (!node.table_known) {
      if (missing) missing->Add(node.table_missing);
      return;
    }
    bool any = false, decided = false;
    double low = 0, high = 0;
    for (const CompiledRow& row : node.rows) {
      Tri match = Tri::kYes;
      if (row.tests_field) {
        if (!slot->present) {
          match = Tri::kUnknown;
        } else {
          if (row.at_least) {
            match = And(match, internal::CompareRange(slot->number, CompareOp::kGe, *row.at_least));
          }
          if (row.below) {
            match = And(match, internal::CompareRange(slot->number, CompareOp::kLt, *row.below));
          }
          if (row.at_most) {
            match = And(match, internal::CompareRange(slot->number, CompareOp::kLe, *row.at_most));
          }
          if (row.equals) {
            match = And(match, CompareField(*slot, node.field_type, CompareOp::kEq, *row.equals));
          }
          if (missing && match == Tri::kUnknown) missing->Add(KnownOnlyAs(node, *slot));
        }
      }
      // A row already ruled out needs its condition only for the reader of
      // the missing fields.
      if (row.if_node >= 0 && (missing || match != Tri::kNo)) {
        match = And(match, Child(row.if_node, missing).outcome);
      }
      if (match == Tri::kNo) continue;
      low = any ? std::min(low, row.points) : row.points;
      high = any ? std::max(high, row.points) : row.points;
      any = true;
      if (match == Tri::kYes) {
        decided = true;
        break;
      }
    }
    if (!decided) {
      low = any ? std::min(low, 0.0) : 0;
      high = any ? std::max(high, 0.0) : 0;
    }
    result.points_min = low;
    result.points_max = high;
  }

  void EvalSum(const Node& node, NodeResult& result, Missing* missing) {
    double low = 0, high = 0;
    for (int child : node.children) {
      NodeResult part = Child(child, missing);
      low += part.points_min;
      high += part.points_max;
    }
    if (node.cap.present) {
      if (node.cap.known) {
        low = std::min(low, node.cap.number);
        high = std::min(high, node.cap.number);
      } else if (missing) {
        missing->Add(node.cap.missing);
      }
    }
    result.points_min = low;
    result.points_max = high;
    if (node.pass_mark.present) {
      if (!node.pass_mark.known) {
        if (missing) missing->Add(node.pass_mark.missing);
        result.outcome = Tri::kUnknown;
        return;
      }
      double mark = node.pass_mark.number;
      result.has_pass_mark = true;
      result.pass_mark = mark;
      result.outcome = low >= mark ? Tri::kYes : high < mark ? Tri::kNo : Tri::kUnknown;
    }
  }
};

FastEvaluator::FastEvaluator(const CompiledSchemes& compiled)
    : state_(std::make_unique<State>(*compiled.impl_)) {}

FastEvaluator::~FastEvaluator() = default;

void FastEvaluator::Evaluate(const PersonInput& input, std::vector<FastResult>* results,
                             bool explain) {
  State& s = *state_;
  s.in = &input;
  if (++s.epoch == 0) {  // wrapped: forget every stamp
    std::fill(s.stamp.begin(), s.stamp.end(), 0);
    s.epoch = 1;
  }
  s.Derive();
  const std::vector<Plan>& plans = s.c.plans;
  results->resize(plans.size());
  Missing missing, score_missing;
  for (size_t pos = 0; pos < plans.size(); ++pos) {
    const Plan& plan = plans[pos];
    FastResult& out = (*results)[pos];
    out.scored = false;
    out.points_min = out.points_max = 0;
    out.pass_mark.reset();
    out.missing.clear();
    if (plan.eligible < 0) {
      out.verdict = plan.constant;
      continue;
    }
    missing.Clear();
    NodeResult eligibility = s.Eval(plan.eligible, explain ? &missing : nullptr);
    out.verdict = eligibility.outcome == Tri::kYes  ? Verdict::kEligible
                  : eligibility.outcome == Tri::kNo ? Verdict::kNotEligible
                                                    : Verdict::kCannotTell;
    if (explain && out.verdict == Verdict::kCannotTell) {
      out.missing = missing.Items();
      std::sort(out.missing.begin(), out.missing.end());
    }
    if (plan.score >= 0) {
      score_missing.Clear();
      NodeResult score = plan.score == plan.eligible
                             ? eligibility
                             : s.Eval(plan.score, explain ? &score_missing : nullptr);
      out.scored = true;
      out.points_min = score.points_min;
      out.points_max = score.points_max;
      if (score.has_pass_mark) out.pass_mark = score.pass_mark;
    }
  }
}

}  // namespace talentflow::rules
