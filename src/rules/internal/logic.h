// The three-valued logic and range comparisons shared by the two evaluators
// of the scheme engine: the tracing one (evaluate.cc, behind `schemes check`)
// and the compiled one (compiled.cc, behind `schemes pool`). Keeping these
// primitives in one place is what lets the two agree by construction on the
// arithmetic; compiled_test.cc checks that they agree on everything else.
// Pure functions; thread-safe.
#pragma once

#include <algorithm>
#include <string_view>

#include "rules/date.h"
#include "rules/evaluate.h"
#include "rules/person.h"

namespace talentflow::rules::internal {

inline Tri And(Tri a, Tri b) {
  if (a == Tri::kNo || b == Tri::kNo) return Tri::kNo;
  if (a == Tri::kUnknown || b == Tri::kUnknown) return Tri::kUnknown;
  return Tri::kYes;
}

// The country, STEM and full-time filters of a degree criterion (any type
// with `countries`, `not_countries`, `stem`, `full_time`) on one degree:
// kNo if one fails, kUnknown if one cannot be read (need(known, field) is
// asked in this order and records what is missing), else kYes.
template <typename DegreeT, typename FiltersT, typename NeedT>
Tri DegreeFilters(const DegreeT& degree, const FiltersT& f, NeedT&& need) {
  Tri out = Tri::kYes;
  if (!f.countries.empty() || !f.not_countries.empty()) {
    if (need(!degree.country.empty(), "country")) {
      bool listed =
          std::find(f.countries.begin(), f.countries.end(), degree.country) != f.countries.end();
      bool excluded = std::find(f.not_countries.begin(), f.not_countries.end(), degree.country) !=
                      f.not_countries.end();
      if ((!f.countries.empty() && !listed) || excluded) out = Tri::kNo;
    } else {
      out = Tri::kUnknown;
    }
  }
  if (f.stem) {
    if (need(degree.stem.has_value(), "stem")) {
      if (*degree.stem != *f.stem) out = Tri::kNo;
    } else {
      out = And(out, Tri::kUnknown);
    }
  }
  if (f.full_time) {
    if (need(degree.full_time.has_value(), "full_time")) {
      if (*degree.full_time != *f.full_time) out = Tri::kNo;
    } else {
      out = And(out, Tri::kUnknown);
    }
  }
  return out;
}

inline Tri Best(Tri a, Tri b) {
  if (a == Tri::kYes || b == Tri::kYes) return Tri::kYes;
  if (a == Tri::kUnknown || b == Tri::kUnknown) return Tri::kUnknown;
  return Tri::kNo;
}

enum class CompareOp { kGe, kGt, kLe, kLt, kEq, kNe };

// The operators of docs/schemes.md; the loader admits no other, and anything
// else reads as "!=" (as the tracing evaluator always did).
inline CompareOp ParseCompareOp(std::string_view op) {
  if (op == ">=") return CompareOp::kGe;
  if (op == ">") return CompareOp::kGt;
  if (op == "<=") return CompareOp::kLe;
  if (op == "<") return CompareOp::kLt;
  if (op == "==") return CompareOp::kEq;
  return CompareOp::kNe;
}

// Whether every value in `range` satisfies `op value` (yes), none does
// (no), or some do (cannot tell).
inline Tri CompareRange(const NumRange& range, CompareOp op, double value) {
  auto decide = [](bool all, bool none) {
    return all ? Tri::kYes : none ? Tri::kNo : Tri::kUnknown;
  };
  switch (op) {
    case CompareOp::kGe:
      return decide(range.lo >= value, range.hi < value);
    case CompareOp::kGt:
      return decide(range.lo > value, range.hi <= value);
    case CompareOp::kLe:
      return decide(range.hi <= value, range.lo > value);
    case CompareOp::kLt:
      return decide(range.hi < value, range.lo >= value);
    case CompareOp::kEq:
    case CompareOp::kNe:
      break;
  }
  bool exact = range.lo == value && range.hi == value;
  bool outside = value < range.lo || value > range.hi;
  if (op == CompareOp::kEq) return decide(exact, outside);
  return decide(outside, exact);
}

// The same day `months` months later; a day past the end of the target month
// becomes its last day (31 Jan + 1 month = 28 or 29 Feb).
inline Date AddMonths(Date date, int months) {
  int index = YearOf(date) * 12 + (MonthOf(date) - 1) + months;
  int year = index / 12, month = index % 12 + 1;
  int day = DayOf(date);
  while (!IsValidDay(year, month, day)) --day;
  return MakeDate(year, month, day);
}

}  // namespace talentflow::rules::internal
