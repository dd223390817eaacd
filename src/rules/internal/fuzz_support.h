// What the rules fuzz targets (scheme_fuzzer.cc, person_fuzzer.cc) share:
// the check that the tracing evaluator (evaluate.h CheckPerson) and the
// compiled one (compiled.h FastEvaluator, fast and explain modes) agree on a
// person, and the registry transform that makes every criterion a rule of
// its own so that they are compared criterion by criterion. A disagreement
// traps (the fuzzer's finding). For fuzz targets only.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/compiled.h"
#include "rules/evaluate.h"
#include "rules/person.h"
#include "rules/scheme.h"

namespace talentflow::rules::fuzz {

// Equal, counting NaN as equal to NaN: the evaluators must agree, not be finite.
inline bool Same(double a, double b) { return a == b || (a != a && b != b); }
inline bool Same(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || Same(*a, *b));
}

// Every criterion of `scheme` as a category of its own, in force on every date.
inline void MakeEveryCriterionARule(Scheme& scheme) {
  scheme.launched = MakeDate(1900, 1, 1);
  scheme.closed.reset();
  scheme.rules.clear();
  for (const auto& [name, criterion] : scheme.criteria) {
    Rule rule;
    rule.from = scheme.launched;
    rule.category = name;
    rule.eligible = name;
    if (criterion.IsScored()) rule.score = name;
    scheme.rules.push_back(std::move(rule));
  }
}

// `compiled` is `registry` compiled for its date and `evaluator` built on it.
inline void TrapUnlessEvaluatorsAgree(const Registry& registry, const CompiledSchemes& compiled,
                                      FastEvaluator& evaluator, const Person& person) {
  const std::vector<SchemeResult> want = CheckPerson(registry, person, compiled.date());
  PersonInput input;
  compiled.FillInput(person, &input);
  std::vector<FastResult> fast, explained;
  evaluator.Evaluate(input, &fast);
  evaluator.Evaluate(input, &explained, /*explain=*/true);
  const auto& slots = compiled.slots();
  if (slots.size() != want.size() || fast.size() != want.size() || explained.size() != want.size())
    __builtin_trap();
  for (size_t pos = 0; pos < want.size(); ++pos) {
    const SchemeResult& trace = want[pos];
    if (slots[pos].scheme != trace.scheme || slots[pos].category != trace.category)
      __builtin_trap();
    for (const FastResult* got : {&fast[pos], &explained[pos]}) {
      if (got->verdict != trace.verdict || got->scored != trace.scored ||
          !Same(got->points_min, trace.points_min) || !Same(got->points_max, trace.points_max) ||
          !Same(got->pass_mark, trace.pass_mark))
        __builtin_trap();
    }
    if (!fast[pos].missing.empty() || explained[pos].missing != trace.missing) __builtin_trap();
  }
}

}  // namespace talentflow::rules::fuzz
