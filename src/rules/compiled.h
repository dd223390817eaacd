// Compiled schemes: a Registry prepared once for one evaluation date, and the
// fast evaluator that population mode (`schemes pool`) runs for every person.
//
// Compiling resolves everything that depends only on the rules and the date:
// which rule of each scheme category is in force, the parameter value in
// force behind every "$name", the rows of each points table, field names to
// catalog slots, list names to the lists, operators to an enum, and each
// criterion reference to an index into one flat array of nodes. Evaluating a
// person then walks that array with no name lookups, no trace objects and no
// allocation per node; the result of every node is remembered for the rest of
// the person, so criteria shared by several categories are evaluated once.
//
// The outcomes, points and pass marks are exactly those of CheckPerson
// (evaluate.h), whose trace `schemes check` shows to users; with `explain` the
// missing fields are the same too. compiled_test.cc checks this on every
// scheme test case and every hand-worked person.
//
// A CompiledSchemes is immutable after Compile and may be shared by threads;
// it refers to the Registry it was compiled from, which must outlive it. A
// FastEvaluator and a PersonInput are per thread.
//
// Example:
//   TF_ASSIGN_OR_RETURN(CompiledSchemes compiled, CompiledSchemes::Compile(registry, date));
//   FastEvaluator evaluator(compiled);
//   PersonInput input;
//   compiled.FillInput(person, &input);
//   evaluator.Evaluate(input, &results);  // results[i] is compiled.slots()[i]
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/evaluate.h"
#include "rules/person.h"
#include "rules/scheme.h"

namespace talentflow::rules {

// One (scheme, category) result of the compiled evaluator.
struct FastResult {
  Verdict verdict = Verdict::kCannotTell;
  bool scored = false;
  double points_min = 0, points_max = 0;
  std::optional<double> pass_mark;
  std::vector<std::string> missing;  // sorted; filled only when explaining
};

// Degree levels as small integers: sub_degree 0, bachelor 1, master 2, mba 3,
// doctorate 4; -1 for anything else.
int DegreeLevelCode(std::string_view level);

// For one institution name: per list that degree criteria look names up in
// (in the order CompiledSchemes assigns), that list's entries for the name,
// or nullptr when the list does not name it.
using InstitutionHits = std::vector<const std::vector<size_t>*>;

// The value of one catalog field in a PersonInput.
struct InputField {
  bool present = false;
  NumRange number;                 // kNumber
  bool flag = false;               // kBool
  std::string text;                // kString, as given
  std::string normalized;          // kString, NormalizeName(text)
  std::vector<std::string> items;  // kStringList
};

struct DegreeInput {
  int level = -1;  // DegreeLevelCode
  bool honorary = false;
  std::string country;
  std::optional<Date> graduation_date;
  std::optional<int> graduation_year;
  std::optional<bool> stem, full_time;
  const InstitutionHits* institution = nullptr;  // nullptr: no institution given
};

struct JobInput {
  Month start = kNoMonth;
  std::optional<Month> end;  // nullopt: ongoing
  std::optional<bool> full_time, senior, multinational, international;
  std::string country;
  bool has_sector = false;
  std::string sector;  // NormalizeName of the sector as given
};

// What the compiled evaluator reads of one person: a Person with its names
// resolved. Fields derived on the date (age, degree counts, language flags)
// are computed by the evaluator, so only given fields are set here. Reused
// from person to person (Clear keeps the capacity).
struct PersonInput {
  PersonInput();

  std::optional<Date> birth_date;
  std::optional<int> birth_year;
  bool has_degrees = false;  // false: degrees unknown
  std::vector<DegreeInput> degrees;
  bool has_jobs = false;  // false: jobs unknown
  std::vector<JobInput> jobs;

  void Clear();
  // The slot of a given field, marked present. REQUIRES: a catalog index.
  InputField& Set(int field);
  const InputField& Get(int field) const { return fields_[field]; }

  // Institution lists resolved for this person only (FillInput), for callers
  // without a cache of their own.
  std::deque<InstitutionHits> owned_institutions;

 private:
  std::vector<InputField> fields_;  // by catalog index
  std::vector<int> set_;            // indices to reset on Clear
};

class FastEvaluator;

class CompiledSchemes {
 public:
  // Compiles every scheme of `registry` for `date`. Errors only for rules the
  // tracing evaluator could not evaluate either (a value of the wrong type).
  static StatusOr<CompiledSchemes> Compile(const Registry& registry, Date date);

  CompiledSchemes(CompiledSchemes&&) noexcept;
  CompiledSchemes& operator=(CompiledSchemes&&) noexcept;
  ~CompiledSchemes();

  struct Slot {
    std::string scheme;
    std::string category;  // "" for a single route, or a scheme not open on the date
  };
  // The results' layout: CheckPerson's order on the date.
  const std::vector<Slot>& slots() const;
  Date date() const;

  // The lists of degree criteria that name `name`; see InstitutionHits.
  InstitutionHits ResolveInstitution(std::string_view name) const;

  // `person` as an input (institutions resolved into input->owned_institutions).
  void FillInput(const Person& person, PersonInput* input) const;

 private:
  friend class FastEvaluator;
  struct Impl;
  explicit CompiledSchemes(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Evaluates persons against one CompiledSchemes; owns the per-person scratch
// (node results, derived fields, work spells). One per thread.
class FastEvaluator {
 public:
  explicit FastEvaluator(const CompiledSchemes& compiled);
  ~FastEvaluator();

  // Fills `results` (resized to compiled.slots()). With `explain` false, the
  // missing lists stay empty and undecided-only work is skipped.
  // REQUIRES: the institutions of `input` were resolved by this evaluator's
  // CompiledSchemes (FillInput or ResolveInstitution).
  void Evaluate(const PersonInput& input, std::vector<FastResult>* results, bool explain = false);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace talentflow::rules
