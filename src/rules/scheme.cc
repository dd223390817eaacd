#include "rules/scheme.h"

#include <fmt/format.h>

#include <set>

#include "rules/person.h"

namespace talentflow::rules {

std::string FormatNumber(double value);  // person.cc

std::string FormatScalar(const Scalar& value) {
  if (const auto* number = std::get_if<double>(&value)) return FormatNumber(*number);
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
  return fmt::format("\"{}\"", std::get<std::string>(value));
}

std::string FormatSpan(const Dated& dated) {
  if (!dated.until) return fmt::format("{} ..", FormatDate(dated.from));
  return fmt::format("{} .. {}", FormatDate(dated.from), FormatDate(*dated.until));
}

const ParamValue* Parameter::InForce(Date date) const {
  for (const ParamValue& value : values) {
    if (value.Covers(date)) return &value;
  }
  return nullptr;
}

std::string_view CriterionKindName(CriterionKind kind) {
  switch (kind) {
    case CriterionKind::kCompare:
      return "compare";
    case CriterionKind::kInList:
      return "in_list";
    case CriterionKind::kDegree:
      return "degree";
    case CriterionKind::kExperience:
      return "experience";
    case CriterionKind::kAll:
      return "all";
    case CriterionKind::kAny:
      return "any";
    case CriterionKind::kAtLeast:
      return "at_least";
    case CriterionKind::kNot:
      return "not";
    case CriterionKind::kPoints:
      return "points";
    case CriterionKind::kSum:
      return "sum";
    case CriterionKind::kUndetermined:
      return "undetermined";
  }
  return "?";
}

bool Criterion::IsBoolean() const {
  if (kind == CriterionKind::kPoints) return false;
  if (kind == CriterionKind::kSum) return pass_mark.present();
  return true;
}

bool Criterion::IsScored() const {
  return kind == CriterionKind::kPoints || kind == CriterionKind::kSum ||
         kind == CriterionKind::kAtLeast;
}

const std::vector<std::string>& ComparisonItems() {
  static const std::vector<std::string> items = {
      "visa",      "launched",           "target_group",   "mechanism",
      "job_offer", "income_requirement", "first_stay",     "path_to_pr",
      "family",    "children_education", "social_welfare", "flexibility",
      "holders"};
  return items;
}

std::vector<std::string> Scheme::Categories() const {
  std::set<std::string> names;
  for (const Rule& rule : rules) names.insert(rule.category);
  return {names.begin(), names.end()};
}

Scheme::CategoryOnDate Scheme::OnDate(const std::string& category, Date date) const {
  CategoryOnDate on;
  for (const Rule& rule : rules) {
    if (rule.category != category) continue;
    if (rule.Covers(date)) on.in_force = &rule;
    if (!on.first || rule.from < *on.first) on.first = rule.from;
    if (!rule.until) {
      on.open_ended = true;
    } else if (!on.last || *rule.until > *on.last) {
      on.last = *rule.until;
    }
  }
  return on;
}

const ListEntry* DatedList::Find(std::string_view name, Date date) const {
  auto it = index.find(NormalizeName(name));
  if (it == index.end()) return nullptr;
  for (size_t pos : it->second) {
    if (entries[pos].Covers(date)) return &entries[pos];
  }
  return nullptr;
}

std::filesystem::path DefaultSchemesDir() {
  return std::filesystem::path(TALENTFLOW_DATA_DIR) / "schemes";
}

}  // namespace talentflow::rules
