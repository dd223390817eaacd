// RunFlowsCommand: everything `talentflow flows` does, as a library call:
// load the dataset (ingest, with quarantine), the gazetteer, the university
// rankings and the title patterns; locate every person at both snapshots;
// classify; aggregate; publish with disclosure control; write
// OUT_DIR/results.json, OUT_DIR/tables/*.csv + *.meta.json and
// OUT_DIR/quarantine/. Outputs are written atomically and are byte-identical
// for the same inputs and parameters (no timestamps, sorted output).
//
// Threads: starts and joins its own workers (params.threads, 0 = all cores).
//
// Example:
//   FlowsRunOptions o{.dataset_dir = "demo", .place = "Hong Kong",
//                     .before = MakeMonth(2019, 12), .after = MakeMonth(2023, 6),
//                     .out_dir = "out"};
//   TF_ASSIGN_OR_RETURN(FlowsRunSummary s, RunFlowsCommand(o));
//   fmt::print("{}", s.headline);
#pragma once

#include <filesystem>
#include <string>

#include "common/month.h"
#include "common/status.h"
#include "flows/flows.h"
#include "panel/gazetteer.h"
#include "panel/place_matcher.h"
#include "panel/university_ranks.h"

namespace talentflow {

struct FlowsRunOptions {
  std::filesystem::path dataset_dir;
  std::string place;
  Month before = kNoMonth;
  Month after = kNoMonth;
  Month cutoff = kNoMonth;  // kNoMonth: the latest updated_dt
  int k = 10;
  std::filesystem::path rankings;   // empty: data/rankings (bundled)
  std::string ranking = "THE";      // which ranking of the table to use
  std::filesystem::path gazetteer;  // empty: data/gazetteer/places.csv
  std::filesystem::path titles;     // empty: data/titles/title_patterns.csv
  std::filesystem::path out_dir;
  int threads = 0;
  bool progress = false;
  MoveDefinition definition = MoveDefinition::kEndpoint;
  int persist_quarters = 2;  // K of the persistent definition
};

struct FlowsRunSummary {
  std::string headline;  // printed by the command: stayers, joiners, leavers, net
  // Wall-clock seconds per phase (for --timings and the benchmark; never
  // written to results, which must not change between runs).
  double load_seconds = 0, engine_seconds = 0, write_seconds = 0;
};

StatusOr<FlowsRunSummary> RunFlowsCommand(const FlowsRunOptions& options);

// Adapters from the refdata types to the engine's interfaces.
class GazetteerMatcher : public PlaceMatcher {
 public:
  explicit GazetteerMatcher(const Gazetteer* gazetteer) : gazetteer_(gazetteer) {}
  void Match(std::string_view country, std::string_view metro_area, std::string_view city,
             std::vector<uint32_t>* out) const override {
    gazetteer_->Match(country, metro_area, city, out);
  }

 private:
  const Gazetteer* gazetteer_;
};

class RanksLookup : public UniversityRanker {
 public:
  RanksLookup(const UniversityRanks* ranks, std::string ranking)
      : ranks_(ranks), ranking_(std::move(ranking)) {}
  Lookup Find(std::string_view name, int year) const override {
    Lookup l;
    std::optional<uint32_t> inst = ranks_->Find(name);
    if (!inst) return l;
    l.matched = true;
    l.rank = ranks_->Rank(*inst, ranking_, year);
    return l;
  }

 private:
  const UniversityRanks* ranks_;
  std::string ranking_;
};

}  // namespace talentflow
