#include "rules/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <set>

#include "rules/internal/logic.h"

namespace talentflow::rules {

namespace {

using internal::AddMonths;
using internal::And;
using internal::Best;
using internal::DegreeFilters;

Tri CompareRange(const NumRange& range, std::string_view op, double value) {
  return internal::CompareRange(range, internal::ParseCompareOp(op), value);
}

bool IsUndecided(const Trace& trace) {
  if (trace.boolean) return trace.outcome == Tri::kUnknown;
  return trace.points_min != trace.points_max;
}

void AddMissingTo(Trace& trace, const std::string& field) {
  if (std::find(trace.missing.begin(), trace.missing.end(), field) == trace.missing.end()) {
    trace.missing.push_back(field);
  }
}

class Evaluator {
 public:
  // `detail`: false skips everything only a reader of the trace needs
  // (texts, values read, parameters, missing fields); outcomes and points are
  // the same. Population mode uses it.
  Evaluator(const Registry& registry, const Scheme& scheme, const Person& person, Date date,
            const FieldSet& fields, bool detail)
      : registry_(registry),
        scheme_(scheme),
        person_(person),
        date_(date),
        fields_(fields),
        detail_(detail) {}

  Trace Eval(const std::string& id) {
    const Criterion& crit = scheme_.criteria.at(id);
    Trace trace;
    trace.id = id;  // short: fits the small-string buffer, no allocation
    if (detail_) trace.kind = std::string(CriterionKindName(crit.kind));
    if (detail_) {
      trace.description = crit.description;
      trace.reference = crit.reference;
    }
    trace.boolean = crit.IsBoolean();
    trace.scored = crit.IsScored();
    switch (crit.kind) {
      case CriterionKind::kCompare:
        EvalCompare(crit, trace);
        break;
      case CriterionKind::kInList:
        EvalInList(crit, trace);
        break;
      case CriterionKind::kDegree:
        EvalDegree(crit, trace);
        break;
      case CriterionKind::kExperience:
        EvalExperience(crit, trace);
        break;
      case CriterionKind::kAll:
      case CriterionKind::kAny:
      case CriterionKind::kNot:
      case CriterionKind::kAtLeast:
        EvalCombinator(crit, trace);
        break;
      case CriterionKind::kPoints:
        EvalPoints(crit, trace);
        break;
      case CriterionKind::kSum:
        EvalSum(crit, trace);
        break;
      case CriterionKind::kUndetermined:
        trace.outcome = Tri::kUnknown;
        if (detail_) trace.note = crit.reason;
        AddMissing(trace, fmt::format("(not decidable from data: {})", id));
        break;
    }
    if (IsUndecided(trace)) {
      for (const Trace& child : trace.children) {
        if (!IsUndecided(child)) continue;
        for (const std::string& field : child.missing) AddMissing(trace, field);
      }
    } else {
      trace.missing.clear();
    }
    return trace;
  }

 private:
  void AddMissing(Trace& trace, const std::string& field) {
    if (detail_) AddMissingTo(trace, field);
  }

  // The operand's value on the date; records the parameter used. nullopt
  // (with a note) when no value of the parameter is in force.
  std::optional<Scalar> Resolve(const Operand& operand, Trace& trace) {
    if (operand.literal) return operand.literal;
    const Parameter& param = scheme_.parameters.at(operand.param);
    const ParamValue* value = param.InForce(date_);
    if (value == nullptr) {
      if (detail_)
        trace.note +=
            fmt::format("no value of parameter {} in force on {}; ", param.name, FormatDate(date_));
      AddMissing(trace, fmt::format("(parameter {} on {})", param.name, FormatDate(date_)));
      return std::nullopt;
    }
    std::string text = FormatScalar(*value->scalar);
    if (!value->unit.empty()) text += " " + value->unit;
    if (detail_) trace.params.push_back({param.name, text, FormatSpan(*value), value->reference});
    return value->scalar;
  }

  std::optional<double> ResolveNumber(const Operand& operand, Trace& trace) {
    std::optional<Scalar> value = Resolve(operand, trace);
    if (!value) return std::nullopt;
    return std::get<double>(*value);
  }

  const ResolvedField& Read(const std::string& field, Trace& trace) {
    const ResolvedField& resolved = fields_.at(field);
    if (detail_)
      trace.reads.push_back({field, resolved.value ? FormatFieldValue(*resolved.value) : "missing",
                             resolved.derivation});
    if (!resolved.value) AddMissing(trace, field);
    return resolved;
  }

  static Tri CompareValues(const FieldValue& value, std::string_view op, const Scalar& operand) {
    if (const auto* range = std::get_if<NumRange>(&value)) {
      return CompareRange(*range, op, std::get<double>(operand));
    }
    bool equal = false;
    if (const auto* flag = std::get_if<bool>(&value)) {
      equal = std::holds_alternative<bool>(operand) && std::get<bool>(operand) == *flag;
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      equal = std::holds_alternative<std::string>(operand) &&
              NormalizeName(std::get<std::string>(operand)) == NormalizeName(*text);
    }
    return (equal == (op == "==")) ? Tri::kYes : Tri::kNo;
  }

  void EvalCompare(const Criterion& crit, Trace& trace) {
    const ResolvedField& field = Read(crit.field, trace);
    std::optional<Scalar> operand = Resolve(crit.value, trace);
    if (detail_)
      trace.note += fmt::format("{} {} {}", crit.field, crit.op,
                                operand ? FormatScalar(*operand) : std::string("?"));
    if (!field.value || !operand) {
      trace.outcome = Tri::kUnknown;
      return;
    }
    trace.outcome = CompareValues(*field.value, crit.op, *operand);
    if (trace.outcome == Tri::kUnknown) {
      AddMissing(trace,
                 fmt::format("{} (known only as {})", crit.field, FormatFieldValue(*field.value)));
    }
  }

  // Looks `name` up in a list on `on`: yes if listed, no if absent from a
  // complete list, cannot tell if absent from a partial list.
  Tri LookUp(const std::string& list_id, const std::string& name, Date on, Trace& trace,
             const std::string& what) {
    const DatedList& list = registry_.lists.at(list_id);
    const ListEntry* entry = list.Find(name, on);
    if (entry != nullptr) {
      if (detail_)
        trace.params.push_back({fmt::format("list {}", list_id),
                                fmt::format("\"{}\" listed", entry->name), FormatSpan(*entry),
                                entry->reference});
      return Tri::kYes;
    }
    if (detail_)
      trace.params.push_back(
          {fmt::format("list {}", list_id),
           fmt::format("\"{}\" not listed on {}", name, FormatDate(on)),
           fmt::format("list as of {}{}", list.as_of, list.complete ? "" : ", partial"),
           list.source});
    if (list.complete) return Tri::kNo;
    AddMissing(trace, fmt::format("{} (not on the partial list {})", what, list_id));
    return Tri::kUnknown;
  }

  void EvalInList(const Criterion& crit, Trace& trace) {
    const ResolvedField& field = Read(crit.field, trace);
    if (!field.value) {
      trace.outcome = Tri::kUnknown;
      return;
    }
    trace.outcome =
        LookUp(crit.list, std::get<std::string>(*field.value), date_, trace, crit.field);
  }

  void EvalDegree(const Criterion& crit, Trace& trace) {
    if (!person_.degrees) {
      if (detail_) trace.reads.push_back({"degrees", "missing", "not given"});
      AddMissing(trace, "degrees");
      trace.outcome = Tri::kUnknown;
      return;
    }
    std::optional<double> within_years, within_months;
    if (crit.within_years.present()) within_years = ResolveNumber(crit.within_years, trace);
    if (crit.within_months.present()) within_months = ResolveNumber(crit.within_months, trace);
    Tri overall = Tri::kNo;
    if (person_.degrees->empty()) trace.reads.push_back({"degrees", "[] (none)", "given"});
    for (size_t idx = 0; idx < person_.degrees->size(); ++idx) {
      const Degree& degree = (*person_.degrees)[idx];
      std::string path = fmt::format("degrees[{}]", idx);
      Trace scratch;  // collects this degree's missing sub-fields
      Tri result = Tri::kYes;
      auto need = [&](bool known, const std::string& sub) {
        if (!known) AddMissing(scratch, path + "." + sub);
        return known;
      };
      if (degree.honorary) result = Tri::kNo;
      int rank = DegreeRank(degree.level);
      if (!crit.min_level.empty() && rank < DegreeRank(crit.min_level)) result = Tri::kNo;
      if (!crit.levels.empty() &&
          std::find(crit.levels.begin(), crit.levels.end(), degree.level) == crit.levels.end()) {
        result = Tri::kNo;
      }
      // The degree must have been awarded by the date.
      if (degree.graduation_date && *degree.graduation_date > date_) result = Tri::kNo;
      if (degree.graduation_year && *degree.graduation_year > YearOf(date_)) result = Tri::kNo;
      result = And(result, DegreeFilters(degree, crit, need));
      if (crit.within_years.present()) {
        if (!within_years) {
          result = And(result, Tri::kUnknown);
        } else if (need(degree.graduation_year.has_value(), "graduation_year")) {
          if (YearOf(date_) - *degree.graduation_year > *within_years) result = Tri::kNo;
          if (!degree.graduation_date && *degree.graduation_year == YearOf(date_)) {
            result = And(result, Tri::kUnknown);  // awarded later this year?
            AddMissing(scratch, path + ".graduation_date");
          }
        } else {
          result = And(result, Tri::kUnknown);
        }
      }
      if (crit.within_months.present()) {
        if (!within_months) {
          result = And(result, Tri::kUnknown);
        } else if (degree.graduation_date) {
          if (date_ > AddMonths(*degree.graduation_date, static_cast<int>(*within_months))) {
            result = Tri::kNo;
          }
        } else if (degree.graduation_year &&
                   (YearOf(date_) - *degree.graduation_year) * 12 - 11 > *within_months) {
          result = Tri::kNo;
        } else {
          need(false, "graduation_date");
          result = And(result, Tri::kUnknown);
        }
      }
      if (!crit.list.empty() && result != Tri::kNo) {
        std::optional<Date> on;
        if (crit.list_as_of == "evaluation_date") {
          on = date_;
        } else if (degree.graduation_date) {
          on = *degree.graduation_date;
        } else if (degree.graduation_year) {
          on = MakeDate(*degree.graduation_year, 12, 31);
        }
        if (!need(!degree.institution.empty(), "institution") ||
            !need(on.has_value(), "graduation_year")) {
          result = And(result, Tri::kUnknown);
        } else {
          result = And(result,
                       LookUp(crit.list, degree.institution, *on, scratch, path + ".institution"));
          for (ParamUse& use : scratch.params) trace.params.push_back(std::move(use));
          scratch.params.clear();
        }
      }
      if (detail_) {
        std::string summary =
            fmt::format("{} \"{}\" {} {}{}{}", degree.level, degree.institution,
                        degree.country.empty() ? "?" : degree.country,
                        degree.graduation_date   ? FormatDate(*degree.graduation_date)
                        : degree.graduation_year ? std::to_string(*degree.graduation_year)
                                                 : "year ?",
                        degree.stem ? (*degree.stem ? " STEM" : " non-STEM") : "",
                        degree.honorary ? " honorary" : "");
        trace.reads.push_back({path, summary, std::string(TriName(result))});
      }
      if (result == Tri::kUnknown) {
        for (const std::string& field : scratch.missing) AddMissing(trace, field);
      }
      overall = Best(overall, result);
    }
    trace.outcome = overall;
  }

  void EvalExperience(const Criterion& crit, Trace& trace) {
    std::optional<double> threshold = ResolveNumber(crit.value, trace);
    std::optional<double> lookback;
    if (crit.lookback_years.present()) lookback = ResolveNumber(crit.lookback_years, trace);
    if (!person_.jobs) {
      if (detail_) trace.reads.push_back({"jobs", "missing", "not given"});
      AddMissing(trace, "jobs");
      trace.outcome = Tri::kUnknown;
      return;
    }
    if (!threshold || (crit.lookback_years.present() && !lookback)) {
      trace.outcome = Tri::kUnknown;
      return;
    }
    Month end = MonthContaining(date_);  // months strictly before the date's month count
    Month begin = lookback ? end - static_cast<int>(*lookback * 12) : INT_MIN;
    // Work counts from the month after the first degree (bachelor or above).
    Month graduated = INT_MIN;
    std::string grad_note = "all jobs counted";
    if (crit.after_graduation) {
      if (!person_.degrees) {
        grad_note = "degrees not given: all jobs counted";
      } else {
        Month first = INT_MAX;
        for (const Degree& degree : *person_.degrees) {
          if (degree.honorary || DegreeRank(degree.level) < 1) continue;
          if (degree.graduation_date)
            first = std::min(first, MonthContaining(*degree.graduation_date));
          else if (degree.graduation_year)
            first = std::min(first, MakeMonth(*degree.graduation_year, 7));
        }
        if (first != INT_MAX) {
          graduated = first;
          grad_note = fmt::format("months after first degree {}", FormatMonth(first));
        } else {
          grad_note = "no dated degree: all jobs counted";
        }
      }
    }
    std::vector<Tri> job_match(person_.jobs->size(), Tri::kYes);
    std::vector<std::vector<std::string>> job_missing(person_.jobs->size());
    std::optional<std::string> nationality;
    if (auto it = person_.facts.find("nationality"); it != person_.facts.end()) {
      nationality = std::get<std::string>(it->second);
    }
    for (size_t idx = 0; idx < person_.jobs->size(); ++idx) {
      const Job& job = (*person_.jobs)[idx];
      std::string path = fmt::format("jobs[{}]", idx);
      Tri& match = job_match[idx];
      if (job.full_time && !*job.full_time) match = Tri::kNo;
      auto flag = [&](const std::optional<bool>& want, const std::optional<bool>& have,
                      const char* name) {
        if (!want) return;
        if (!have) {
          match = And(match, Tri::kUnknown);
          job_missing[idx].push_back(path + "." + name);
        } else if (*have != *want) {
          match = Tri::kNo;
        }
      };
      flag(crit.senior, job.senior, "senior");
      flag(crit.multinational, job.multinational, "multinational");
      std::optional<bool> international = job.international;
      if (!international && !job.country.empty() && nationality) {
        international = job.country != *nationality;
      }
      if (crit.international && !international) {
        match = And(match, Tri::kUnknown);
        job_missing[idx].push_back(job.country.empty() ? path + ".country" : "nationality");
      } else {
        flag(crit.international, international, "international");
      }
      if (!crit.sectors.empty()) {
        if (job.sector.empty()) {
          match = And(match, Tri::kUnknown);
          job_missing[idx].push_back(path + ".sector");
        } else {
          bool in = false;
          for (const std::string& sector : crit.sectors) {
            in = in || NormalizeName(sector) == NormalizeName(job.sector);
          }
          if (!in) match = Tri::kNo;
        }
      }
    }
    // Month by month, the best status of any job covering it.
    // Month by month over the covered span: 0 not counted, 1 possible, 2 sure.
    Month span_first = INT_MAX, span_last = INT_MIN;
    struct Spell {
      Month first, last;
      Tri match;
    };
    std::vector<Spell> spells;
    std::set<size_t> uncertain_jobs;
    for (size_t idx = 0; idx < person_.jobs->size(); ++idx) {
      const Job& job = (*person_.jobs)[idx];
      if (job_match[idx] == Tri::kNo) continue;
      Month first = std::max({job.start, begin, graduated == INT_MIN ? INT_MIN : graduated + 1});
      Month last = std::min(job.end ? *job.end : end - 1, end - 1);
      if (first > last) continue;
      spells.push_back({first, last, job_match[idx]});
      span_first = std::min(span_first, first);
      span_last = std::max(span_last, last);
      if (job_match[idx] == Tri::kUnknown) uncertain_jobs.insert(idx);
    }
    double sure = 0, possible = 0;
    if (!spells.empty()) {
      std::vector<uint8_t> months(static_cast<size_t>(span_last - span_first + 1), 0);
      for (const Spell& spell : spells) {
        uint8_t level = spell.match == Tri::kYes ? 2 : 1;
        for (Month m = spell.first; m <= spell.last; ++m) {
          uint8_t& cell = months[static_cast<size_t>(m - span_first)];
          cell = std::max(cell, level);
        }
      }
      for (uint8_t cell : months) {
        if (cell == 2) ++sure;
        if (cell > 0) ++possible;
      }
    }
    NumRange years{sure / 12.0, possible / 12.0};
    if (detail_)
      trace.reads.push_back(
          {"jobs", fmt::format("{} years", FormatFieldValue(FieldValue(years))),
           fmt::format("{} month(s) counted{}; {}; before {}", static_cast<int>(sure),
                       possible > sure ? fmt::format(" ({} more possible)", possible - sure) : "",
                       grad_note, FormatMonth(end))});
    if (detail_) trace.note = fmt::format("years {} {}", crit.op, FormatNumber(*threshold));
    trace.outcome = CompareRange(years, crit.op, *threshold);
    if (trace.outcome == Tri::kUnknown) {
      for (size_t idx : uncertain_jobs) {
        for (const std::string& field : job_missing[idx]) AddMissing(trace, field);
      }
    }
  }

  void EvalCombinator(const Criterion& crit, Trace& trace) {
    int yes = 0, unknown = 0;
    for (const std::string& child : crit.of) {
      Trace evaluated = Eval(child);
      Tri outcome = evaluated.outcome;
      if (outcome == Tri::kYes) ++yes;
      if (outcome == Tri::kUnknown) ++unknown;
      // Children are kept for the reader of the trace only.
      if (detail_) trace.children.push_back(std::move(evaluated));
    }
    int total = static_cast<int>(crit.of.size());
    int no = total - yes - unknown;
    switch (crit.kind) {
      case CriterionKind::kAll:
        trace.outcome = no > 0 ? Tri::kNo : unknown > 0 ? Tri::kUnknown : Tri::kYes;
        break;
      case CriterionKind::kAny:
        trace.outcome = yes > 0 ? Tri::kYes : unknown > 0 ? Tri::kUnknown : Tri::kNo;
        break;
      case CriterionKind::kNot:
        trace.outcome = yes > 0 ? Tri::kNo : unknown > 0 ? Tri::kUnknown : Tri::kYes;
        break;
      case CriterionKind::kAtLeast: {
        std::optional<double> n = ResolveNumber(crit.n, trace);
        trace.points_min = yes;
        trace.points_max = yes + unknown;
        if (!n) {
          trace.outcome = Tri::kUnknown;
          break;
        }
        trace.pass_mark = *n;
        if (detail_)
          trace.note = fmt::format("{} of {} met, {} cannot tell; at least {} needed", yes, total,
                                   unknown, FormatNumber(*n));
        trace.outcome = yes >= *n ? Tri::kYes : yes + unknown < *n ? Tri::kNo : Tri::kUnknown;
        break;
      }
      default:
        break;
    }
  }

  Tri RowMatches(const PointsRow& row, const Criterion& crit, Trace& trace,
                 std::map<std::string, Tri>& evaluated) {
    Tri result = Tri::kYes;
    bool tests_field = row.at_least || row.below || row.at_most || row.equals;
    if (tests_field) {
      const ResolvedField& field = fields_.at(crit.field);
      if (!field.value) {
        AddMissing(trace, crit.field);
        result = Tri::kUnknown;
      } else {
        if (row.at_least) result = And(result, CompareValues(*field.value, ">=", *row.at_least));
        if (row.below) result = And(result, CompareValues(*field.value, "<", *row.below));
        if (row.at_most) result = And(result, CompareValues(*field.value, "<=", *row.at_most));
        if (row.equals) result = And(result, CompareValues(*field.value, "==", *row.equals));
        if (result == Tri::kUnknown) {
          AddMissing(trace, fmt::format("{} (known only as {})", crit.field,
                                        FormatFieldValue(*field.value)));
        }
      }
    }
    if (!row.if_criterion.empty()) {
      auto it = evaluated.find(row.if_criterion);
      if (it == evaluated.end()) {
        Trace child = Eval(row.if_criterion);
        it = evaluated.emplace(row.if_criterion, child.outcome).first;
        if (detail_) trace.children.push_back(std::move(child));
      }
      result = And(result, it->second);
    }
    return result;
  }

  void EvalPoints(const Criterion& crit, Trace& trace) {
    const Parameter& table = scheme_.parameters.at(crit.table);
    const ParamValue* value = table.InForce(date_);
    if (!crit.field.empty()) Read(crit.field, trace);
    if (value == nullptr) {
      if (detail_)
        trace.note =
            fmt::format("no points table {} in force on {}", crit.table, FormatDate(date_));
      AddMissing(trace, fmt::format("(parameter {} on {})", crit.table, FormatDate(date_)));
      return;
    }
    if (detail_)
      trace.params.push_back({table.name, fmt::format("{} row(s)", value->rows.size()),
                              FormatSpan(*value), value->reference});
    std::map<std::string, Tri> evaluated;
    std::vector<double> possible;
    bool decided = false;
    for (const PointsRow& row : value->rows) {
      Tri match = RowMatches(row, crit, trace, evaluated);
      if (match == Tri::kNo) continue;
      possible.push_back(row.points);
      if (match == Tri::kYes) {
        decided = true;
        break;
      }
    }
    if (!decided) possible.push_back(0);
    trace.points_min = *std::min_element(possible.begin(), possible.end());
    trace.points_max = *std::max_element(possible.begin(), possible.end());
  }

  void EvalSum(const Criterion& crit, Trace& trace) {
    double low = 0, high = 0;
    for (const std::string& child : crit.of) {
      Trace evaluated = Eval(child);
      low += evaluated.points_min;
      high += evaluated.points_max;
      if (detail_) trace.children.push_back(std::move(evaluated));
    }
    if (crit.cap.present()) {
      if (std::optional<double> cap = ResolveNumber(crit.cap, trace)) {
        low = std::min(low, *cap);
        high = std::min(high, *cap);
        if (detail_) trace.note = fmt::format("capped at {}; ", FormatNumber(*cap));
      }
    }
    trace.points_min = low;
    trace.points_max = high;
    if (crit.pass_mark.present()) {
      std::optional<double> mark = ResolveNumber(crit.pass_mark, trace);
      if (!mark) {
        trace.outcome = Tri::kUnknown;
        return;
      }
      trace.pass_mark = *mark;
      if (detail_) trace.note += fmt::format("pass mark {}", FormatNumber(*mark));
      trace.outcome = low >= *mark ? Tri::kYes : high < *mark ? Tri::kNo : Tri::kUnknown;
    }
  }

  const Registry& registry_;
  const Scheme& scheme_;
  const Person& person_;
  Date date_;
  const FieldSet& fields_;
  bool detail_;
};

}  // namespace

std::string_view TriName(Tri tri) {
  switch (tri) {
    case Tri::kYes:
      return "met";
    case Tri::kNo:
      return "not met";
    case Tri::kUnknown:
      return "cannot tell";
  }
  return "?";
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kEligible:
      return "eligible";
    case Verdict::kNotEligible:
      return "not_eligible";
    case Verdict::kCannotTell:
      return "cannot_tell";
    case Verdict::kDidNotExist:
      return "did_not_exist";
    case Verdict::kClosed:
      return "closed";
    case Verdict::kNoRuleInForce:
      return "no_rule_in_force";
  }
  return "?";
}

StatusOr<Verdict> ParseVerdict(std::string_view name) {
  for (Verdict verdict : {Verdict::kEligible, Verdict::kNotEligible, Verdict::kCannotTell,
                          Verdict::kDidNotExist, Verdict::kClosed, Verdict::kNoRuleInForce}) {
    if (VerdictName(verdict) == name) return verdict;
  }
  return DataError(
      fmt::format("\"{}\": expected eligible, not_eligible, cannot_tell, "
                  "did_not_exist, closed or no_rule_in_force",
                  name));
}

namespace {

std::vector<SchemeResult> CheckSchemeWithFields(const Registry& registry, const Scheme& scheme,
                                                const Person& person, Date date,
                                                const FieldSet& fields, bool detail) {
  std::vector<SchemeResult> results;
  SchemeResult base;
  base.scheme = scheme.id;
  if (detail) {
    base.name_en = scheme.name_en;
    base.name_zh = scheme.name_zh;
    base.jurisdiction_name = scheme.jurisdiction_name;
  }
  if (date < scheme.launched) {
    base.verdict = Verdict::kDidNotExist;
    base.note = fmt::format("did not exist on {}: launched {}", FormatDate(date),
                            FormatDate(scheme.launched));
    results.push_back(base);
    return results;
  }
  if (scheme.closed && date > *scheme.closed) {
    base.verdict = Verdict::kClosed;
    base.note = fmt::format("closed on {}", FormatDate(*scheme.closed));
    results.push_back(base);
    return results;
  }
  Evaluator evaluator(registry, scheme, person, date, fields, detail);
  for (const std::string& category : scheme.Categories()) {
    SchemeResult result = base;
    result.category = category;
    const Scheme::CategoryOnDate on = scheme.OnDate(category, date);
    const Rule* in_force = on.in_force;
    if (in_force == nullptr) {
      if (date < *on.first) {
        result.verdict = Verdict::kDidNotExist;
        result.note =
            fmt::format("did not exist on {}: opened {}", FormatDate(date), FormatDate(*on.first));
      } else if (!on.open_ended && on.last && date > *on.last) {
        result.verdict = Verdict::kClosed;
        result.note = fmt::format("closed after {}", FormatDate(*on.last));
      } else {
        result.verdict = Verdict::kNoRuleInForce;
        result.note = fmt::format("no rule encoded for {}", FormatDate(date));
      }
      results.push_back(std::move(result));
      continue;
    }
    result.rule_span = FormatSpan(*in_force);
    result.rule_reference = in_force->reference;
    result.rule_note = in_force->note;
    if (in_force->eligible.empty()) {
      result.verdict = Verdict::kNoRuleInForce;
      result.note = fmt::format("the rules in force on {} are not encoded", FormatDate(date));
      results.push_back(std::move(result));
      continue;
    }
    Trace eligibility = evaluator.Eval(in_force->eligible);
    result.verdict = eligibility.outcome == Tri::kYes  ? Verdict::kEligible
                     : eligibility.outcome == Tri::kNo ? Verdict::kNotEligible
                                                       : Verdict::kCannotTell;
    if (result.verdict == Verdict::kCannotTell) {
      result.missing = eligibility.missing;
      std::sort(result.missing.begin(), result.missing.end());
    }
    if (!in_force->score.empty()) {
      const Trace* score = &eligibility;
      if (in_force->score != in_force->eligible) {
        result.score = evaluator.Eval(in_force->score);
        score = &*result.score;
      }
      result.scored = true;
      result.points_min = score->points_min;
      result.points_max = score->points_max;
      result.pass_mark = score->pass_mark;
    }
    result.eligibility = std::move(eligibility);
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace

std::vector<SchemeResult> CheckScheme(const Registry& registry, const Scheme& scheme,
                                      const Person& person, Date date) {
  return CheckSchemeWithFields(registry, scheme, person, date, ResolveFields(person, date),
                               /*detail=*/true);
}

std::vector<SchemeResult> CheckPerson(const Registry& registry, const Person& person, Date date,
                                      bool detail) {
  std::vector<SchemeResult> results;
  const FieldSet fields = ResolveFields(person, date);
  for (const auto& [id, scheme] : registry.schemes) {
    for (SchemeResult& result :
         CheckSchemeWithFields(registry, scheme, person, date, fields, detail)) {
      results.push_back(std::move(result));
    }
  }
  return results;
}

}  // namespace talentflow::rules
