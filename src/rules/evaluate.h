// Evaluation of schemes for one person on one date, with a full trace.
//
// Three-valued logic throughout: a criterion is met, not met, or cannot be
// told because an input is missing (the trace names the fields). Points are
// ranges [min, max] for the same reason. Evaluation reads only a loaded
// Registry and a Person and allocates its own results, so any number of
// threads may evaluate against one Registry at once.
//
// Example:
//   TF_ASSIGN_OR_RETURN(Registry reg, LoadRegistry(DefaultSchemesDir()));
//   std::vector<SchemeResult> results = CheckPerson(reg, person, date);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/person.h"
#include "rules/scheme.h"

namespace talentflow::rules {

enum class Tri { kNo, kYes, kUnknown };
std::string_view TriName(Tri tri);  // "met", "not met", "cannot tell"

struct ParamUse {
  std::string name;
  std::string value;
  std::string span;  // "2022-12-28 .. "
  std::string reference;
};

struct FieldRead {
  std::string field;
  std::string value;  // formatted, or "missing"
  std::string derivation;
};

struct Trace {
  std::string id;
  std::string kind;
  std::string description;
  std::string reference;
  bool boolean = true;  // has an outcome
  Tri outcome = Tri::kUnknown;
  bool scored = false;  // has points
  double points_min = 0, points_max = 0;
  std::optional<double> pass_mark;
  std::vector<FieldRead> reads;
  std::vector<ParamUse> params;
  std::vector<std::string> missing;  // fields whose absence left this undecided
  std::string note;
  std::vector<Trace> children;
};

enum class Verdict { kEligible, kNotEligible, kCannotTell, kDidNotExist, kClosed, kNoRuleInForce };
std::string_view VerdictName(Verdict verdict);  // "eligible", "not_eligible", ...
StatusOr<Verdict> ParseVerdict(std::string_view name);

struct SchemeResult {
  std::string scheme;    // "hk/ttps"
  std::string category;  // "" for single-route schemes
  std::string name_en, name_zh, jurisdiction_name;
  Verdict verdict = Verdict::kCannotTell;
  std::string note;  // e.g. "launched 2022-12-28"
  std::string rule_span, rule_reference, rule_note;
  bool scored = false;
  double points_min = 0, points_max = 0;
  std::optional<double> pass_mark;
  std::vector<std::string> missing;  // sorted, unique
  std::optional<Trace> eligibility;
  std::optional<Trace> score;  // only when the score criterion differs from eligibility
};

// Every category of every scheme on `date` (schemes in id order, categories
// in name order). Schemes not yet launched give kDidNotExist. With `detail`
// false the traces carry outcomes and points only (no texts, values read,
// parameters or missing fields): the population mode's fast path.
std::vector<SchemeResult> CheckPerson(const Registry& registry, const Person& person, Date date,
                                      bool detail = true);

// One scheme only. REQUIRES: `scheme` belongs to `registry`.
std::vector<SchemeResult> CheckScheme(const Registry& registry, const Scheme& scheme,
                                      const Person& person, Date date);

}  // namespace talentflow::rules
