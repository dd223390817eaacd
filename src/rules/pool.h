// Population mode: the scheme rules applied to every classified person of a
// flow run (e.g. how many people who left Hong Kong would qualify for TTPS B),
// with each person's inputs derived from their profile and "cannot tell"
// counted separately, never guessed.
//
// The flow engine (flows/flows.h) classifies each person between two
// snapshots; PersonFromProfile turns the profile into a rules::Person (the
// derivation of every input is in docs/schemes.md and in PoolDerivations());
// each scheme category is evaluated on one date. The pool itself builds the
// same person directly as the compiled evaluator's input (ProfileInputBuilder,
// compiled.h), which gives the same outcomes as CheckPerson on PersonFromProfile
// without the trace (pool_test.cc checks this person by person). Work is split into blocks of
// users over `threads` workers; every worker owns its counts, which are
// integers merged after the pass, so results do not depend on the thread
// count. The Registry and FlowsContext are only read.
//
// Example:
//   TF_ASSIGN_OR_RETURN(PoolResult result, RunPool(registry, flows_ctx, options));
//   TF_RETURN_IF_ERROR(WritePool(out_dir, result, options));
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "flows/flows.h"
#include "rules/compiled.h"
#include "rules/evaluate.h"
#include "rules/scheme.h"

namespace talentflow::rules {

struct PoolOptions {
  Date date;                                // evaluation date of the rules
  std::vector<FlowClass> classes;           // classes counted, e.g. {kLeaver}
  bool assume_allowed_nationality = false;  // see docs/schemes.md "pool"
  // HK$ per US$ (Revelio salaries are annual US$); the peg's band.
  double hkd_per_usd_low = 7.75;
  double hkd_per_usd_high = 7.85;
  int senior_min = 4;  // Revelio seniority at or above this counts as senior
  int threads = 1;
  // Disclosure threshold: a count cell below k (and above 0) is suppressed in
  // the published table, and so is, in a row where that leaves a single
  // suppressed verdict, a second count (persons minus the other verdicts
  // would give it back; see WritePool); 0 disables.
  int k = 10;
  // Labels for the metadata file.
  std::string place, before, after, dataset;
};

inline constexpr int kVerdicts = 6;

struct PoolResult {
  // (scheme id, category) -> class -> counts by Verdict.
  std::map<std::pair<std::string, std::string>, std::map<FlowClass, std::array<int64_t, kVerdicts>>>
      counts;
  std::map<FlowClass, int64_t> persons;  // persons counted per class
  // CPU seconds of the workers (classifying every user, building the inputs
  // of the persons counted and evaluating them), for `--timings`; not part
  // of the outputs, which do not depend on it.
  double worker_cpu_seconds = 0;
};

// The rules::Person of one profile, as the pool evaluates it on `date`.
// `after` is the person's snapshot at the after month (for the salary).
Person PersonFromProfile(const Dataset& dataset, uint32_t user, const Snapshot& after,
                         const PoolOptions& options);

// PersonFromProfile's person as the input of a FastEvaluator, built without
// the intermediate Person. Institution names are resolved against the lists
// once per distinct string. One per thread; `compiled` and `dataset` must
// outlive it.
class ProfileInputBuilder {
 public:
  ProfileInputBuilder(const CompiledSchemes& compiled, const Dataset& dataset,
                      const PoolOptions& options)
      : compiled_(compiled), dataset_(dataset), options_(options) {}

  void Build(uint32_t user, const Snapshot& after, PersonInput* input);

 private:
  const CompiledSchemes& compiled_;
  const Dataset& dataset_;
  const PoolOptions& options_;
  std::unordered_map<StrId, InstitutionHits> institutions_;
};

// The documented derivation of every input the pool fills, in order.
const std::vector<std::pair<std::string, std::string>>& PoolDerivations();

StatusOr<PoolResult> RunPool(const Registry& registry, const FlowsContext& flows,
                             const PoolOptions& options);

// Writes OUT_DIR/tables/scheme_pool.csv (scheme, category, class, persons,
// then one column per outcome; counts below k suppressed) with its table
// metadata, and OUT_DIR/schemes_pool.json (options, assumptions, the
// derivation of each input, the rows and the suppressed cells), atomically.
Status WritePool(const std::filesystem::path& out_dir, const PoolResult& result,
                 const PoolOptions& options);

}  // namespace talentflow::rules
